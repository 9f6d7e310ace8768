// One measured step of `npm run bench`, in a fresh process: `build` or `query`.
import { loadCorpus } from '../../src/corpus/loadCorpus.js';
import { queryTerms } from '../../src/search/documents.js';
import { openSearch } from '../../src/search/openSearch.js';
import { plainQuery } from '../../src/search/Retriever.js';
import { syntheticQuestions } from './syntheticCorpus.js';

const [step, corpusDir, dataDir, count] = process.argv.slice(2) as [string, string, string, string?];
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const location = { corpusDir, dataDir, engine: process.env.PAPERBOT_ENGINE || undefined };

if (step === 'build') {
  const search = openSearch(location);
  if (search.info.reused) throw new Error('expected a fresh build');
  console.log(JSON.stringify({ buildMs: search.info.elapsedMs, peakRssMb: peakRssMb(), indexBytes: search.info.indexBytes, terms: search.retriever.termCount }));
} else {
  const search = openSearch(location);
  const questions = syntheticQuestions(loadCorpus(corpusDir), Number(count ?? 1000), 7);
  for (const q of questions.slice(0, 50)) search.search(q); // warm up the JIT and the stem memo
  const time = (f: (q: string) => unknown) =>
    questions.map((q) => {
      const start = performance.now();
      f(q);
      return performance.now() - start;
    });
  const ask = time((q) => search.search(q, { limit: 5 }));
  const engine = time((q) => search.retriever.retrieve(plainQuery(queryTerms(q)), { limit: 5 }));
  console.log(JSON.stringify({ loadMs: search.info.elapsedMs, reused: search.info.reused, rssMb: process.memoryUsage().rss / 2 ** 20, ask: percentiles(ask), engine: percentiles(engine) }));
}

function percentiles(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1)! };
}
