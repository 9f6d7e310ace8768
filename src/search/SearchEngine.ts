/** The text of one paper as the engine indexes it (already display-normalised). */
export interface EngineDocument {
  title: string;
  abstract: string;
  /** Author names joined by ", ". */
  authors: string;
}

/** One matching document: its position in the corpus and its BM25 score. */
export interface EngineHit {
  doc: number;
  score: number;
}

/**
 * A full-text engine over a fixed list of documents, addressed by position.
 * Queries arrive already analysed (distinct terms), so every engine shares one
 * analyser with answer extraction and the no-match rule.
 */
export interface SearchEngine {
  /** Short engine name, shown by `paperbot stats`. */
  readonly name: string;
  /** Number of documents indexed. */
  readonly docCount: number;
  /** Number of distinct terms indexed. */
  readonly termCount: number;
  /** The best `limit` documents for `terms`, best first. */
  search(terms: readonly string[], limit: number): EngineHit[];
  /** Inverse document frequency of `term`; 0 when no document has it. */
  idf(term: string): number;
  /** The idf a term would have if no document held it: the ceiling for unknown words. */
  readonly maxIdf: number;
  /** Which of `terms` occur in document `doc`. */
  matchedTerms(doc: number, terms: readonly string[]): string[];
  /** The engine's state as one string, for `load`. */
  serialize(): string;
}
