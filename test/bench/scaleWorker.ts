// One measured step of `npm run bench`, in a fresh process: `build` or `query`.
import { openPaperIndex } from '../../src/search/openIndex.js';
import { queryTerms } from '../../src/search/documents.js';
import { syntheticQuestions } from './syntheticCorpus.js';

const [step, corpusDir, dataDir, count] = process.argv.slice(2) as [string, string, string, string?];
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

if (step === 'build') {
  const index = openPaperIndex({ corpusDir, dataDir });
  if (index.build.reused) throw new Error('expected a fresh build');
  console.log(JSON.stringify({ buildMs: index.build.elapsedMs, peakRssMb: peakRssMb(), indexBytes: index.build.bytes, terms: index.engine.termCount }));
} else {
  const index = openPaperIndex({ corpusDir, dataDir });
  const questions = syntheticQuestions(index.corpus.papers, Number(count ?? 1000), 7);
  for (const q of questions.slice(0, 50)) index.search(q); // warm up the JIT and the stem memo
  const time = (f: (q: string) => unknown) =>
    questions.map((q) => {
      const start = performance.now();
      f(q);
      return performance.now() - start;
    });
  const ask = time((q) => index.search(q, { limit: 5 }));
  const engine = time((q) => index.engine.search(queryTerms(q), 5));
  console.log(JSON.stringify({ loadMs: index.build.elapsedMs, reused: index.build.reused, rssMb: process.memoryUsage().rss / 2 ** 20, ask: percentiles(ask), engine: percentiles(engine) }));
}

function percentiles(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1)! };
}
