import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { beirEntries, loadBeir, runQueries, scoreRuns } from '../../../src/eval/beir.js';
import { defaultBm25Options } from '../../../src/search/bm25.js';
import { queryTerms, type IndexEntry } from '../../../src/search/documents.js';
import { ENGINES } from '../../../src/search/engines/registry.js';
import { MIN_COVERAGE } from '../../../src/search/PaperSearch.js';
import { plainQuery, type Candidate, type RetrieveOptions, type Retriever } from '../../../src/search/Retriever.js';
import { syntheticPapers, syntheticQuestions } from '../../bench/syntheticCorpus.js';
import { seedPapers } from '../../support/seeds.js';

// The ranking test sets every registered engine must pass, as MiniSearch's
// ranking tests do: a new engine is a folder, a registry line, and these.
const SCIFACT = resolve(import.meta.dirname, '../../../../shared/bench/scifact');
const seeds = seedPapers();
const seedQuestions: { q: string; id: string }[] = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/seed-questions.json'), 'utf8')).questions;
const synthetic = syntheticPapers(600, 11);
const syntheticAsked = syntheticQuestions(synthetic, 80, 12);
const entries = (papers: readonly IndexEntry['paper'][]): IndexEntry[] => papers.map((paper, i) => ({ doc: i + 1, paper }));
const engines = Object.values(ENGINES);
const reference = ENGINES.wink!;

function ask(retriever: Retriever, question: string, options: Partial<RetrieveOptions> = {}): Candidate[] {
  return retriever.retrieve(plainQuery(queryTerms(question)), { limit: 10, ...options });
}

/** Same papers in the same order, the same matched terms, scores within wink's rounding (6 decimals). */
function expectSameRanking(got: Candidate[], want: Candidate[]): void {
  expect(got.map((c) => c.doc)).toEqual(want.map((c) => c.doc));
  got.forEach((c, i) => {
    expect(c.score).toBeCloseTo(want[i]!.score, 4);
    expect(c.matched).toEqual(want[i]!.matched);
    expect(c.coverage).toBeCloseTo(want[i]!.coverage, 9);
  });
}

describe.each(engines.map((e) => [e.name, e] as const))('engine %s', (_, engine) => {
  const seedIndex = engine.build(entries(seeds), defaultBm25Options);
  const seedReference = reference.build(entries(seeds), defaultBm25Options);

  it('GIVEN the paraphrased seed questions THEN finds each paper first, as wink does', () => {
    const misses = seedQuestions.filter(({ q, id }) => seeds[ask(seedIndex, q, { limit: 1 })[0]!.doc - 1]!.id !== id);
    expect(misses).toEqual([]);
    for (const { q } of seedQuestions) expectSameRanking(ask(seedIndex, q, { minCoverage: MIN_COVERAGE }), ask(seedReference, q, { minCoverage: MIN_COVERAGE }));
  });

  it('GIVEN manyTerms THEN a paper holding that many query terms passes with the lower coverage, one holding fewer does not, as wink does', () => {
    const index = engine.build(entries(synthetic), defaultBm25Options);
    const want = reference.build(entries(synthetic), defaultBm25Options);
    // Long questions: their best papers hold several of their words, each a small share.
    const long = syntheticAsked.map((q, i) => `${q} ${syntheticAsked[(i + 1) % syntheticAsked.length]} ${syntheticAsked[(i + 2) % syntheticAsked.length]}`);
    let rescued = 0;
    for (const q of long) {
      const strict = ask(index, q, { minCoverage: 0.9 });
      const relaxed = ask(index, q, { minCoverage: 0.9, manyTerms: { terms: 4, coverage: 0.05 } });
      expectSameRanking(relaxed, ask(want, q, { minCoverage: 0.9, manyTerms: { terms: 4, coverage: 0.05 } }));
      for (const c of relaxed) expect(c.coverage >= 0.9 - 1e-9 || (c.matched.length >= 4 && c.coverage >= 0.05 - 1e-9)).toBe(true);
      for (const c of ask(index, q, { limit: 50 })) {
        const admitted = relaxed.some((r) => r.doc === c.doc) || relaxed.length === 10;
        if (c.matched.length < 4 && c.coverage < 0.9) expect(relaxed.some((r) => r.doc === c.doc)).toBe(false);
        else if (!admitted) expect(c.coverage).toBeLessThan(0.05);
      }
      rescued += relaxed.length - strict.length;
    }
    expect(rescued).toBeGreaterThan(0);
  });

  it('GIVEN generated papers THEN ranks as wink does, with filters, exclusions and the coverage floor', () => {
    const index = engine.build(entries(synthetic), defaultBm25Options);
    const want = reference.build(entries(synthetic), defaultBm25Options);
    expect(index.docCount).toBe(600);
    for (const q of syntheticAsked) {
      expectSameRanking(ask(index, q), ask(want, q));
      const options = { limit: 7, minCoverage: 0.5, filter: { years: { from: 2018 }, categories: ['cs'] }, exclude: new Set([3, 5, 8]) };
      expectSameRanking(ask(index, q, options), ask(want, q, options));
      const only = { limit: 7, only: new Set(ask(want, q, { limit: 20 }).filter((_, i) => i % 2 === 1).map((c) => c.doc)) };
      const restricted = ask(index, q, only);
      expect(restricted.every((c) => only.only.has(c.doc))).toBe(true);
      expectSameRanking(restricted, ask(want, q, only));
      for (const term of queryTerms(q)) expect(index.termWeight(term)).toBeCloseTo(want.termWeight(term), 12);
    }
    expect(index.termWeight('nosuchwordanywhere')).toBe(0);
    expect(index.maxTermWeight).toBeCloseTo(want.maxTermWeight, 12);
  });

  it('GIVEN a weighted query THEN a term of weight 2 counts twice', () => {
    const index = engine.build(entries(synthetic), defaultBm25Options);
    const [a, b] = queryTerms(syntheticAsked[0]!);
    const weighted = index.retrieve([{ term: a!, weight: 2 }, { term: b!, weight: 1 }], { limit: 5 });
    const doubled = index.retrieve([{ term: a!, weight: 1 }, { term: b!, weight: 1 }, { term: a!, weight: 1 }], { limit: 5 });
    expect(weighted.map((c) => c.doc)).toEqual(doubled.map((c) => c.doc));
    weighted.forEach((c, i) => expect(c.score).toBeCloseTo(doubled[i]!.score, 9));
  });

  it('GIVEN an empty query or words no paper holds THEN finds nothing', () => {
    expect(seedIndex.retrieve([], { limit: 5 })).toEqual([]);
    expect(ask(seedIndex, 'constructor toString hasOwnProperty __proto__')).toEqual([]);
  });
});

describe('engines on BEIR SciFact', () => {
  // ../shared is beside the checkout on these machines and in CI: without it this must fail, not pass quietly.
  it('GIVEN SciFact THEN every engine scores nDCG@10 0.7066 ± 0.001 and its top 10 equals wink\'s for at least 99% of queries', { timeout: 60_000 }, () => {
    expect(existsSync(SCIFACT), `${SCIFACT} is missing`).toBe(true);
    const dataset = loadBeir(SCIFACT);
    const runsOf = (engine: (typeof engines)[number]) => runQueries(dataset, engine.build(beirEntries(dataset), defaultBm25Options)).runs;
    const want = runsOf(reference);
    for (const engine of engines) {
      const runs = engine === reference ? want : runsOf(engine);
      const scores = [...scoreRuns(dataset, runs).values()];
      const ndcg = scores.reduce((sum, s) => sum + s.ndcg10, 0) / scores.length;
      expect(ndcg).toBeGreaterThanOrEqual(0.7056);
      expect(ndcg).toBeLessThanOrEqual(0.7076);
      const same = [...runs].filter(([id, ranked]) => ranked.slice(0, 10).join() === want.get(id)!.slice(0, 10).join());
      expect(same.length / runs.size).toBeGreaterThanOrEqual(0.99);
    }
  });
});
