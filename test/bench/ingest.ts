// Ingest throughput: N generated records in the arXiv metadata snapshot's
// format (the real field layout, Zipf text) ingested into an empty corpus, then
// the index rebuilt, in a fresh process, as `paperbot ingest file` does.
//   npm run bench:ingest            100,000 records
//   npm run bench:ingest -- 20000
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { writeSyntheticCorpus } from './syntheticCorpus.js';

const count = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'paperbot-ingest-bench-'));
try {
  // Synthetic papers, rewritten as snapshot lines: id, submitter, authors (one
  // string), title, comments, journal-ref, doi, categories, abstract, versions,
  // update_date, authors_parsed.
  writeSyntheticCorpus(join(dir, 'gen'), count, 11);
  const lines = readFileSync(join(dir, 'gen', 'papers.jsonl'), 'utf8').trim().split('\n').map((line) => {
    const p = JSON.parse(line) as { id: string; title: string; authors: string[]; abstract: string; categories: string[]; year: number };
    return JSON.stringify({
      id: p.id, submitter: p.authors[0], authors: p.authors.join(', '), title: p.title, comments: '10 pages', 'journal-ref': null, doi: null,
      'report-no': null, categories: p.categories.join(' '), license: null, abstract: `  ${p.abstract}\n`,
      versions: [{ version: 'v1', created: 'Mon, 2 Apr 2007 19:18:42 GMT' }], update_date: `${p.year}-06-01`,
      authors_parsed: p.authors.map((a) => [a.split(' ').at(-1), a.split(' ').slice(0, -1).join(' '), '']),
    });
  });
  const snapshot = join(dir, 'snapshot.jsonl');
  writeFileSync(snapshot, `${lines.join('\n')}\n`);
  const bin = resolve(import.meta.dirname, '../../src/cli/paperbot.mjs');
  const started = performance.now();
  const out = execFileSync(process.execPath, [bin, 'ingest', 'file', snapshot, '--corpus', join(dir, 'corpus'), '--json'], {
    env: { ...process.env, PAPERBOT_DATA_DIR: join(dir, 'data') },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const seconds = (performance.now() - started) / 1000;
  const report = JSON.parse(out) as { read: number; added: number; rejected: number };
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`snapshot: ${count.toLocaleString('en')} records, ${(statSync(snapshot).size / 2 ** 20).toFixed(0)} MB`);
  console.log(`ingest file + index rebuild: ${seconds.toFixed(1)} s (${Math.round(report.read / seconds).toLocaleString('en')} records/s end to end); added ${report.added.toLocaleString('en')}, rejected ${report.rejected}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
