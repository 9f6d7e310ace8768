/** BM25F parameters, shared by every engine so that all score alike. */
export interface Bm25Options {
  /**
   * Term-frequency saturation: how much a tenth occurrence of a word still adds.
   * Any number ≥ 0. @default 1.2
   */
  k1: number;
  /** Document-length normalisation, from 0 (none) to 1 (full). @default 0.9 */
  b: number;
  /**
   * Multiplier of each field's term counts (BM25F style): a title word with
   * weight 3 counts as three abstract words, in the term's frequency and in
   * the paper's length. Each > 0. @default title 3, abstract 1, authors 1
   */
  fieldWeights: { title: number; abstract: number; authors: number };
}

/**
 * Tuned on BEIR SciFact (`npm run bench:tune`): taken from the middle of the
 * plateau where every neighbour scores within 0.003 nDCG@10, not from its peak.
 */
export const defaultBm25Options: Bm25Options = {
  k1: 1.2,
  b: 0.9,
  fieldWeights: { title: 3, abstract: 1, authors: 1 },
};

/** BM25's inverse document frequency, as wink computes it: ln((N − df + ½)/(df + ½) + 1). */
export function bm25Idf(docCount: number, df: number): number {
  return Math.log((docCount - df + 0.5) / (df + 0.5) + 1);
}
