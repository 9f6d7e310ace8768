// Measures the "no good match" rule: how much of a question's idf mass the best
// paper must cover. Positives: SciFact claims whose first result is judged
// relevant, and paraphrased questions about the seed papers. Negatives: SciFact
// claims (biomedicine) put to the seed corpus (machine learning), and everyday
// questions put to both corpora.
//   npm run bench:threshold -- ../shared/bench/scifact
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/corpus/loadCorpus.js';
import { loadBeir } from '../../src/eval/beir.js';
import { queryTerms, toEngineText } from '../../src/search/documents.js';
import { questionCoverage } from '../../src/search/PaperIndex.js';
import type { SearchEngine } from '../../src/search/SearchEngine.js';
import { WinkEngine } from '../../src/search/WinkEngine.js';

const beir = loadBeir(process.argv[2] ?? '../shared/bench/scifact');
const seedQuestions: { q: string; id: string }[] = JSON.parse(readFileSync('test/fixtures/seed-questions.json', 'utf8')).questions;
const offTopic: string[] = JSON.parse(readFileSync('test/fixtures/off-topic-questions.json', 'utf8')).questions;

const seeds = loadCorpus('corpus').papers;
const seedEngine = WinkEngine.build(seeds.map(toEngineText));
const scifactEngine = WinkEngine.build(beir.docs.map((d) => toEngineText({ title: d.title, abstract: d.text, authors: [] })));

/** Coverage of the first result, 0 when there is none. */
function topCoverage(engine: SearchEngine, question: string): { doc: number; coverage: number } {
  const terms = queryTerms(question);
  const [top] = engine.search(terms, 1);
  if (top === undefined) return { doc: -1, coverage: 0 };
  return { doc: top.doc, coverage: questionCoverage(engine, terms)(engine.matchedTerms(top.doc, terms)) };
}

const positives = {
  'SciFact claims, top result relevant': beir.queries
    .filter((q) => beir.qrels.has(q.id))
    .map((q) => ({ q, top: topCoverage(scifactEngine, q.text) }))
    .filter(({ q, top }) => top.doc >= 0 && (beir.qrels.get(q.id)!.get(beir.docs[top.doc]!.id) ?? 0) > 0)
    .map(({ top }) => top.coverage),
  'seed questions, top result right': seedQuestions
    .map((s) => ({ s, top: topCoverage(seedEngine, s.q) }))
    .filter(({ s, top }) => seeds[top.doc]?.id === s.id)
    .map(({ top }) => top.coverage),
};
const negatives = {
  'SciFact claims to the seed corpus': beir.queries.map((q) => topCoverage(seedEngine, q.text).coverage),
  'everyday questions to the seed corpus': offTopic.map((q) => topCoverage(seedEngine, q).coverage),
  'everyday questions to SciFact': offTopic.map((q) => topCoverage(scifactEngine, q).coverage),
};

const pct = (xs: number[], keep: (x: number) => boolean) => `${((100 * xs.filter(keep).length) / xs.length).toFixed(1)}%`.padStart(7);
console.log('share of each set that the rule lets through (positives: higher is better; negatives: lower)');
console.log('min coverage'.padEnd(14) + [...Object.keys(positives), ...Object.keys(negatives)].map((k, i) => `[${i + 1}]`.padStart(7)).join(''));
for (const t of [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]) {
  const cells = [...Object.values(positives), ...Object.values(negatives)].map((xs) => pct(xs, (x) => x >= t));
  console.log(t.toFixed(2).padEnd(14) + cells.join(''));
}
[...Object.entries(positives), ...Object.entries(negatives)].forEach(([name, xs], i) =>
  console.log(`[${i + 1}] ${name} (${xs.length})`),
);
