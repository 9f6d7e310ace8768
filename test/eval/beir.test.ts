import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, loadBeir, ndcgAt, recallAt } from '../../src/eval/beir.js';
import { WinkEngine } from '../../src/search/WinkEngine.js';

const SCIFACT = resolve(import.meta.dirname, '../../../shared/bench/scifact');

describe('ndcgAt', () => {
  const judged = new Map([['a', 2], ['b', 1], ['z', 0]]);
  it('GIVEN the ideal ranking THEN is 1', () => {
    expect(ndcgAt(10, ['a', 'b', 'x'], judged)).toBe(1);
  });
  it('GIVEN the two relevant swapped THEN uses linear gain as trec_eval', () => {
    // DCG = 1/log2(2) + 2/log2(3); IDCG = 2/log2(2) + 1/log2(3)
    const expected = (1 + 2 / Math.log2(3)) / (2 + 1 / Math.log2(3));
    expect(ndcgAt(10, ['b', 'a'], judged)).toBeCloseTo(expected, 12);
  });
  it('GIVEN a relevant document past the cut THEN does not count it', () => {
    expect(ndcgAt(1, ['x', 'a'], judged)).toBe(0);
  });
  it('GIVEN no relevant judgement THEN is 0', () => {
    expect(ndcgAt(10, ['z'], new Map([['z', 0]]))).toBe(0);
  });
});

describe('recallAt', () => {
  it('GIVEN half the relevant documents in the first k THEN is 0.5', () => {
    expect(recallAt(2, ['a', 'x', 'b'], new Map([['a', 1], ['b', 1], ['z', 0]]))).toBe(0.5);
  });
});

describe('evaluate on BEIR SciFact', () => {
  // ../shared holds the benchmark on these machines and in CI.
  it.skipIf(!existsSync(SCIFACT))('GIVEN the tuned engine THEN reaches nDCG@10 ≥ 0.700 over all 300 queries', () => {
    const report = evaluate(loadBeir(SCIFACT), (docs) => WinkEngine.build(docs));
    expect(report.queries).toBe(300);
    expect(report.docs).toBe(5183);
    expect(report['ndcg@10']).toBeGreaterThanOrEqual(0.7);
    expect(report['recall@100']).toBeGreaterThanOrEqual(0.9);
  });
});
