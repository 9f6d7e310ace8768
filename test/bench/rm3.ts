// RM3 pseudo-relevance feedback as a second pass, measured on the DEV
// questions at library scale and on SciFact (its queries split in halves by
// id: parameters are to be chosen on one half and read on the other). It did
// not pay on DEV (README, "How PaperBot understands other words"), so it lives
// here, not in the search: this script is how to check that again.
//   npm run bench:rm3 -- --corpus DIR [--data DIR] [--questions FILE] [--scifact DIR]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { beirEntries, loadBeir, scoreRuns } from '../../src/eval/beir.js';
import { defaultBm25Options, bm25Idf } from '../../src/search/bm25.js';
import { isNameTerm, questionQuery, toEngineText } from '../../src/search/documents.js';
import { engineNamed } from '../../src/search/engines/registry.js';
import { openSearch } from '../../src/search/openSearch.js';
import { defaultDataDir } from '../../src/paths.js';
import type { Candidate, QueryTerm, Retriever } from '../../src/search/Retriever.js';
import { analyzer } from '../../src/text/analyzer.js';


/** Options of pseudo-relevance feedback (RM3). */
interface FeedbackOptions {
  /** First-pass papers the expansion is learnt from. */
  docs: number;
  /** Expansion terms added, at most. */
  terms: number;
  /** Share of the expanded query's weight kept by the question's own terms, 0 to 1. */
  originalWeight: number;
  /** Terms held by more than this share of the papers are not added: they cost long postings and say little. */
  maxDocShare: number;
}

/**
 * RM3: the question's terms and the terms its first-pass papers share, each
 * paper weighted by exp(score − best score) and each term by its frequency
 * in the paper over the paper's length. A term held by a single paper says
 * nothing of the others, one held by many costs much and says little: both
 * are left out. Original terms keep weight 1 (plus what feedback adds to
 * them); the others weigh in proportion.
 */
function expandWithFeedback(
  retriever: Retriever,
  query: readonly QueryTerm[],
  firstPass: readonly Candidate[],
  termsOf: (doc: number) => readonly string[] | undefined,
  options: FeedbackOptions,
): { query: QueryTerm[]; added: string[] } {
  const papers = firstPass.slice(0, options.docs);
  if (papers.length === 0 || query.length === 0) return { query: [...query], added: [] };
  const best = papers[0]!.score;
  const model = new Map<string, number>();
  let totalWeight = 0;
  for (const paper of papers) {
    const terms = termsOf(paper.doc);
    if (terms === undefined || terms.length === 0) continue;
    const weight = Math.exp(paper.score - best);
    totalWeight += weight;
    const share = weight / terms.length;
    for (const term of terms) model.set(term, (model.get(term) ?? 0) + share);
  }
  if (totalWeight === 0) return { query: [...query], added: [] };
  const original = new Set(query.map((q) => q.term));
  // idf bounds of "held by at least two papers" and "by at most maxDocShare of them".
  const rarest = bm25Idf(retriever.docCount, 2);
  const commonest = bm25Idf(retriever.docCount, Math.max(2, Math.floor(retriever.docCount * options.maxDocShare)));
  const candidates = [...model]
    .filter(([term]) => {
      if (original.has(term) || isNameTerm(term)) return false;
      const idf = retriever.termWeight(term);
      return idf > 0 && idf <= rarest + 1e-9 && idf >= commonest - 1e-9;
    })
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.terms);
  const lambda = options.originalWeight;
  // q'(t) = λ·[t ∈ Q]/|Q| + (1 − λ)·P(t|R), scaled by |Q|/λ so that a question term weighs at least 1.
  const scale = query.length / lambda;
  const feedback = (term: string) => ((1 - lambda) * (model.get(term) ?? 0)) / totalWeight;
  const expanded = query.map((q) => ({ term: q.term, weight: q.weight + scale * feedback(q.term) }));
  for (const [term] of candidates) expanded.push({ term, weight: scale * feedback(term) });
  return { query: expanded, added: candidates.map(([term]) => term) };
}

const { values } = parseArgs({ options: { corpus: { type: 'string' }, data: { type: 'string' }, questions: { type: 'string' }, scifact: { type: 'string' } } });
if (values.corpus === undefined) {
  process.stderr.write('bench:rm3 needs --corpus DIR: a corpus folder whose library holds the DEV questions\' papers\n');
  process.exit(2);
}

/** A paper's terms as BM25F counts them: the title three times, then the abstract. */
const paperTerms = (title: string, abstract: string) => {
  const t = analyzer.terms(title);
  return [...t, ...t, ...t, ...analyzer.terms(abstract)];
};

const variants: [string, FeedbackOptions | null][] = [['BM25 (no feedback)', null]];
for (const docs of [5, 10]) for (const terms of [10, 20, 40]) for (const originalWeight of [0.5, 0.7]) variants.push([`RM3 ${docs} papers, ${terms} terms, λ ${originalWeight}`, { docs, terms, originalWeight, maxDocShare: 0.05 }]);

function ask(retriever: Retriever, query: QueryTerm[], limit: number, feedback: FeedbackOptions | null, termsOf: (doc: number) => string[] | undefined): Candidate[] {
  const first = retriever.retrieve(query, { limit: Math.max(limit, feedback?.docs ?? 0) });
  if (feedback === null) return first.slice(0, limit);
  return retriever.retrieve(expandWithFeedback(retriever, query, first, termsOf, feedback).query, { limit });
}

const search = openSearch({ corpusDir: values.corpus, dataDir: values.data ?? defaultDataDir(process.env), build: false });
if (search === null) throw new Error('no saved index matches the library: run paperbot ask once on it first');
const questions = readFileSync(values.questions ?? '../shared/bench/arxiv-cs/questions-dev.tsv', 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => l.split('\t'));
const libraryTerms = (doc: number) => {
  const paper = search.library.at(doc);
  if (paper === undefined) return undefined;
  const text = toEngineText(paper);
  return paperTerms(text.title, text.abstract);
};
const scifact = loadBeir(values.scifact ?? '../shared/bench/scifact');
const scifactRetriever = engineNamed(undefined).build(beirEntries(scifact), defaultBm25Options);
const scifactTerms = (doc: number) => paperTerms(scifact.docs[doc]!.title, scifact.docs[doc]!.text);
const judged = scifact.queries.filter((q) => scifact.qrels.has(q.id));

console.log(`${search.size.toLocaleString('en')} papers; ${questions.length} questions; SciFact ${judged.length} queries (halves: odd and even ids)`);
console.log('variant'.padEnd(34) + 'natural top-1/top-10/MRR   paraphrase top-1/top-10/MRR   SciFact nDCG@10 odd/even   p50 ms');
for (const [name, feedback] of variants) {
  const by: Record<string, number[]> = {};
  const times: number[] = [];
  for (const [question, id, label = ''] of questions) {
    const started = performance.now();
    const { query } = questionQuery(question!, (t) => search.retriever.termWeight(t));
    const hits = ask(search.retriever, query, 10, feedback, libraryTerms);
    times.push(performance.now() - started);
    const rank = hits.findIndex((h) => h.doc === search.library.get(id!)?.doc);
    const s = (by[label] ??= [0, 0, 0, 0]);
    s[0]! += rank === 0 ? 1 : 0;
    s[1]! += rank >= 0 ? 1 : 0;
    s[2]! += rank >= 0 ? 1 / (rank + 1) : 0;
    s[3]!++;
  }
  const runs = new Map<string, string[]>();
  for (const q of judged) {
    const { query } = questionQuery(q.text, (t) => scifactRetriever.termWeight(t));
    runs.set(q.id, ask(scifactRetriever, query, 1000, feedback, scifactTerms).map((h) => scifact.docs[h.doc]!.id).filter((d) => d !== q.id));
  }
  const scores = scoreRuns(scifact, runs);
  const half = (odd: boolean) => {
    const xs = [...scores].filter(([id]) => (Number(id) % 2 === 1) === odd).map(([, s]) => s.ndcg10);
    return (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(4);
  };
  const fmt = (s: number[] | undefined) => (s === undefined ? '—' : `${((100 * s[0]!) / s[3]!).toFixed(1)}% / ${((100 * s[1]!) / s[3]!).toFixed(1)}% / ${(s[2]! / s[3]!).toFixed(3)}`);
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(34)}${fmt(by.natural).padEnd(27)}${fmt(by.paraphrase).padEnd(30)}${`${half(true)} / ${half(false)}`.padEnd(27)}${times[Math.floor(times.length / 2)]!.toFixed(1)}`);
}
