// Measures the "no good match" rule: how much of a question's idf mass the best
// paper must cover (MIN_COVERAGE), and how much of it may lie in words the
// library has never seen (MAX_UNKNOWN_SHARE). Positives: SciFact claims whose
// first result is judged relevant, and paraphrased questions about the seed
// papers. Negatives: SciFact claims (biomedicine) put to the seed corpus
// (machine learning), and everyday questions, long and short, put to both.
//   npm run bench:threshold -- ../shared/bench/scifact
import { readFileSync } from 'node:fs';
import { loadCorpus } from '../../src/corpus/loadCorpus.js';
import { beirEntries, loadBeir } from '../../src/eval/beir.js';
import { defaultBm25Options } from '../../src/search/bm25.js';
import { questionQuery } from '../../src/search/documents.js';
import { engineNamed } from '../../src/search/engines/registry.js';
import { MANY_TERMS, MANY_TERMS_IDF, MAX_UNKNOWN_SHARE, MIN_COVERAGE } from '../../src/search/PaperSearch.js';
import { unknownShare, type Retriever } from '../../src/search/Retriever.js';

const beir = loadBeir(process.argv[2] ?? '../shared/bench/scifact');
const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/${name}`, 'utf8'));
const seedQuestions: { q: string; id: string }[] = fixture('seed-questions.json').questions;
const offTopic: string[] = fixture('off-topic-questions.json').questions;
const shortOffTopic: string[] = fixture('short-off-topic-questions.json').questions;

const engine = engineNamed(process.env.PAPERBOT_ENGINE || undefined);
const seeds = loadCorpus('corpus');
const seedEngine = engine.build(seeds.map((paper, doc) => ({ doc, paper })), defaultBm25Options);
const scifactEngine = engine.build(beirEntries(beir), defaultBm25Options);

/**
 * What the rule looks at for one question: its first result's coverage (0
 * when none), the distinct terms it matched and their idf, and the
 * question's unknown share.
 */
interface Judged {
  doc: number;
  coverage: number;
  terms: number;
  idf: number;
  unknown: number;
}

function judge(retriever: Retriever, question: string): Judged {
  const { query } = questionQuery(question, (t) => retriever.termWeight(t));
  const [top] = retriever.retrieve(query, { limit: 1 });
  const idf = top?.matched.reduce((sum, t) => sum + retriever.termWeight(t), 0) ?? 0;
  return { doc: top?.doc ?? -1, coverage: top?.coverage ?? 0, terms: top?.matched.length ?? 0, idf, unknown: unknownShare(retriever, query) };
}

/** The rule at coverage `t`: enough coverage, or MANY_TERMS words worth MANY_TERMS_IDF; and not mostly unknown words. */
const passes = (x: Judged, t: number, manyTerms = true) =>
  x.unknown < MAX_UNKNOWN_SHARE && (x.coverage >= t || (manyTerms && x.terms >= MANY_TERMS && x.idf >= MANY_TERMS_IDF));

const positives: Record<string, Judged[]> = {
  'SciFact claims, top result relevant': beir.queries
    .filter((q) => beir.qrels.has(q.id))
    .map((q) => ({ q, top: judge(scifactEngine, q.text) }))
    .filter(({ q, top }) => top.doc >= 0 && (beir.qrels.get(q.id)!.get(beir.docs[top.doc]!.id) ?? 0) > 0)
    .map(({ top }) => top),
  'seed questions, top result right': seedQuestions
    .map((s) => ({ s, top: judge(seedEngine, s.q) }))
    .filter(({ s, top }) => seeds[top.doc]?.id === s.id)
    .map(({ top }) => top),
};
const negatives: Record<string, Judged[]> = {
  'SciFact claims to the seed corpus': beir.queries.map((q) => judge(seedEngine, q.text)),
  'everyday questions to the seed corpus': offTopic.map((q) => judge(seedEngine, q)),
  'everyday questions to SciFact': offTopic.map((q) => judge(scifactEngine, q)),
  'short everyday questions to the seed corpus': shortOffTopic.map((q) => judge(seedEngine, q)),
  'short everyday questions to SciFact': shortOffTopic.map((q) => judge(scifactEngine, q)),
};
const sets = [...Object.values(positives), ...Object.values(negatives)];

const pct = (xs: Judged[], keep: (x: Judged) => boolean) => `${((100 * xs.filter(keep).length) / xs.length).toFixed(1)}%`.padStart(7);
const header = (first: string) => console.log(first.padEnd(14) + sets.map((_, i) => `[${i + 1}]`.padStart(7)).join(''));
console.log('share of each set that the rule lets through (positives [1]-[2]: higher is better; negatives: lower)\n');
console.log(`min coverage, or ${MANY_TERMS} words worth ${MANY_TERMS_IDF} idf; at most ${MAX_UNKNOWN_SHARE} of the weight in unknown words:`);
header('min coverage');
for (const t of [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]) console.log(t.toFixed(2).padEnd(14) + sets.map((xs) => pct(xs, (x) => passes(x, t))).join(''));
console.log(`\nthe same without the ${MANY_TERMS}-words path:`);
header('min coverage');
for (const t of [0.3, 0.35, 0.4]) console.log(t.toFixed(2).padEnd(14) + sets.map((xs) => pct(xs, (x) => passes(x, t, false))).join(''));
console.log(`\nmost unknown share (1: no such rule), with coverage at least ${MIN_COVERAGE} or ${MANY_TERMS} words:`);
header('max unknown');
for (const u of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01]) {
  console.log((u > 1 ? '1 (none)' : u.toFixed(2)).padEnd(14) + sets.map((xs) => pct(xs, (x) => passes({ ...x, unknown: x.unknown < u ? 0 : 1 }, MIN_COVERAGE))).join(''));
}
console.log();
[...Object.entries(positives), ...Object.entries(negatives)].forEach(([name, xs], i) => console.log(`[${i + 1}] ${name} (${xs.length})`));
