// How long a reload blocks the event loop, which the bot's answers wait on:
// the whole index and title index of a library loaded in a fresh process,
// read synchronously (as before) or read ahead asynchronously first (as
// LiveSearch does), each run three times, interleaved. A tick every 1 ms
// measures the longest gap between ticks.
//   npm run bench:reload -- --corpus DIR [--data DIR]
// DIR: a corpus folder whose library holds many papers, e.g. after
//   npx paperbot ingest file ../shared/bench/arxiv-cs/papers.jsonl.gz --fill-authors "(authors not recorded)" --corpus /tmp/cs
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../../src/paths.js';
import { dropPrefetched, prefetchBinaryFiles } from '../../src/search/binaryFile.js';
import { indexDirOf, openSearch } from '../../src/search/openSearch.js';

const { values } = parseArgs({ options: { corpus: { type: 'string' }, data: { type: 'string' }, mode: { type: 'string' } } });
if (values.corpus === undefined) {
  process.stderr.write('bench:reload needs --corpus DIR (a corpus folder whose library is large; see the comment at the top)\n');
  process.exit(2);
}
const location = { corpusDir: values.corpus, dataDir: values.data ?? defaultDataDir(process.env), build: false as const, loadTitles: true };

if (values.mode !== undefined) {
  // One measurement, in this fresh process.
  let last = performance.now();
  let worst = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  if (values.mode === 'prefetch') await prefetchBinaryFiles(indexDirOf(location));
  last = performance.now();
  const search = openSearch(location);
  dropPrefetched();
  worst = Math.max(worst, performance.now() - last);
  clearInterval(ticker);
  if (search === null) throw new Error('no saved index matches the library: run paperbot ask once on it first');
  process.stdout.write(`${JSON.stringify({ papers: search.size, worstStallMs: worst, totalMs: performance.now() - started })}\n`);
  process.exit(0);
}

const runs: Record<string, { papers: number; worstStallMs: number; totalMs: number }[]> = { sync: [], prefetch: [] };
for (let round = 0; round < 3; round++) {
  for (const mode of ['sync', 'prefetch']) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--corpus', location.corpusDir, '--data', location.dataDir, '--mode', mode], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    runs[mode]!.push(JSON.parse(child.stdout));
    if (process.stderr.isTTY) process.stderr.write(`\rround ${round + 1}/3 ${mode}   `);
  }
}
if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sync = median(runs.sync!.map((r) => r.worstStallMs));
const ahead = median(runs.prefetch!.map((r) => r.worstStallMs));
console.log(`${runs.sync![0]!.papers.toLocaleString('en')} papers, whole index and title index loaded (median of 3):`);
console.log(`  read synchronously: longest stall ${sync.toFixed(0)} ms, load ${median(runs.sync!.map((r) => r.totalMs)).toFixed(0)} ms`);
console.log(`  read ahead first:   longest stall ${ahead.toFixed(0)} ms, load ${median(runs.prefetch!.map((r) => r.totalMs)).toFixed(0)} ms`);
console.log(`  stall ratio: ${(ahead / sync).toFixed(2)}`);
