// Speed and scale of the search core on generated corpora (never committed:
// written to a temporary folder on each run). For each size, a fresh process
// builds and persists the index, then another fresh process loads it and asks
// 1,000 questions of 5-12 words.
//   npm run bench                 10,000, 30,000 and 100,000 papers
//   npm run bench -- 30000        one size
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticCorpus } from './syntheticCorpus.js';

const sizes = process.argv.slice(2).map(Number);
const worker = join(import.meta.dirname, 'scaleWorker.ts');

interface BuildReport { buildMs: number; peakRssMb: number; indexBytes: number; terms: number }
interface QueryReport {
  loadMs: number; reused: boolean; rssMb: number;
  ask: { p50: number; p99: number; max: number };
  engine: { p50: number; p99: number; max: number };
}

function runWorker<T>(...args: string[]): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', worker, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log('papers    build s  peak MB  index MB  load s   ask p50  ask p99  ask max  engine p50  engine p99   (ms)');
for (const size of sizes.length > 0 ? sizes : [10_000, 30_000, 100_000]) {
  const dir = mkdtempSync(join(tmpdir(), `paperbot-bench-${size}-`));
  try {
    const corpusDir = join(dir, 'corpus');
    const dataDir = join(dir, 'data');
    writeSyntheticCorpus(corpusDir, size, 42);
    const build = runWorker<BuildReport>('build', corpusDir, dataDir);
    const query = runWorker<QueryReport>('query', corpusDir, dataDir, '1000');
    if (!query.reused) throw new Error('the query process rebuilt the index instead of loading it');
    const f = (x: number, d = 1) => x.toFixed(d).padStart(8);
    console.log(
      String(size).padEnd(8) + f(build.buildMs / 1000) + f(build.peakRssMb, 0) + f(build.indexBytes / 2 ** 20, 1).padStart(10) +
        f(query.loadMs / 1000, 2) + f(query.ask.p50, 2).padStart(10) + f(query.ask.p99, 2).padStart(9) + f(query.ask.max, 1).padStart(9) +
        f(query.engine.p50, 2).padStart(12) + f(query.engine.p99, 2).padStart(12),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
