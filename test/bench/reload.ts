// How long a reload blocks the event loop, which the bot's answers wait on:
// the whole index and title index of a library loaded in a fresh process,
// read synchronously (as before) or read ahead asynchronously first (as
// LiveSearch does); then the warm-up the bot gives each new search (the
// categories, the author names, the paper calendar), in one go (as before)
// or in slices (PaperSearch.warm, as the bot does). Each is run three times,
// interleaved. A tick every 1 ms measures the longest gap between ticks.
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
  const warming = values.mode.startsWith('warm-');
  const started = performance.now();
  if (values.mode === 'prefetch' || warming) await prefetchBinaryFiles(indexDirOf(location));
  last = performance.now();
  const search = openSearch(location);
  dropPrefetched();
  worst = Math.max(worst, performance.now() - last);
  if (search === null) throw new Error('no saved index matches the library: run paperbot ask once on it first');
  // The warm-up alone is timed in its modes.
  const warmStarted = performance.now();
  if (warming) worst = 0;
  last = performance.now();
  if (values.mode === 'warm-blocking') {
    search.categories();
    search.authors();
    search.calendar();
  } else if (values.mode === 'warm-sliced') await search.warm();
  worst = Math.max(worst, performance.now() - last);
  clearInterval(ticker);
  process.stdout.write(`${JSON.stringify({ papers: search.size, worstStallMs: worst, totalMs: performance.now() - (warming ? warmStarted : started) })}\n`);
  process.exit(0);
}

const MODES = ['sync', 'prefetch', 'warm-blocking', 'warm-sliced'];
const runs: Record<string, { papers: number; worstStallMs: number; totalMs: number }[]> = Object.fromEntries(MODES.map((m) => [m, []]));
for (let round = 0; round < 3; round++) {
  for (const mode of MODES) {
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
const stallOf = (mode: string) => median(runs[mode]!.map((r) => r.worstStallMs));
const timeOf = (mode: string) => median(runs[mode]!.map((r) => r.totalMs));
console.log('then the warm-up (categories, author names, paper calendar):');
console.log(`  in one go:  longest stall ${stallOf('warm-blocking').toFixed(0)} ms, ${timeOf('warm-blocking').toFixed(0)} ms in all`);
console.log(`  in slices:  longest stall ${stallOf('warm-sliced').toFixed(0)} ms, ${timeOf('warm-sliced').toFixed(0)} ms in all`);
console.log(`  stall ratio: ${(stallOf('warm-sliced') / stallOf('warm-blocking')).toFixed(3)}`);
console.log(JSON.stringify({ indexStallMs: ahead, warmStallMs: stallOf('warm-sliced'), warmBlockingStallMs: stallOf('warm-blocking'), warmMs: timeOf('warm-sliced') }));
