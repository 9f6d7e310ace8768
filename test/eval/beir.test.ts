// The engines' SciFact figures are checked by test/search/engines/contract.test.ts.
import { describe, expect, it } from 'vitest';
import { ndcgAt, recallAt } from '../../src/eval/beir.js';

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
