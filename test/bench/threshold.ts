// Measures the "no good match" rule: how much of a question's idf mass the best
// paper must cover. Positives: SciFact claims whose first result is judged
// relevant, and paraphrased questions about the seed papers. Negatives: SciFact
// claims (biomedicine) put to the seed corpus (machine learning), and everyday
// questions put to both corpora.
//   npm run bench:threshold -- ../shared/bench/scifact
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/corpus/loadCorpus.js';
import { beirEntries, loadBeir } from '../../src/eval/beir.js';
import { defaultBm25Options } from '../../src/search/bm25.js';
import { queryTerms } from '../../src/search/documents.js';
import { engineNamed } from '../../src/search/engines/registry.js';
import { plainQuery, type Retriever } from '../../src/search/Retriever.js';

const beir = loadBeir(process.argv[2] ?? '../shared/bench/scifact');
const seedQuestions: { q: string; id: string }[] = JSON.parse(readFileSync('test/fixtures/seed-questions.json', 'utf8')).questions;
const offTopic: string[] = JSON.parse(readFileSync('test/fixtures/off-topic-questions.json', 'utf8')).questions;

const engine = engineNamed(process.env.PAPERBOT_ENGINE || undefined);
const seeds = loadCorpus('corpus');
const seedEngine = engine.build(seeds.map((paper, doc) => ({ doc, paper })), defaultBm25Options);
const scifactEngine = engine.build(beirEntries(beir), defaultBm25Options);

/** Coverage of the first result, 0 when there is none. */
function topCoverage(retriever: Retriever, question: string): { doc: number; coverage: number } {
  const [top] = retriever.retrieve(plainQuery(queryTerms(question)), { limit: 1 });
  return top === undefined ? { doc: -1, coverage: 0 } : { doc: top.doc, coverage: top.coverage };
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
