/** One analysed query term and how much it counts (1 for a plain question). */
export interface QueryTerm {
  term: string;
  /** Multiplies the term's BM25 score and its share of the coverage; > 0. */
  weight: number;
}

/** Which papers a search may return, checked against cheap per-paper arrays. */
export interface PaperFilter {
  /** Year of first submission, inclusive bounds. */
  years?: { from?: number; to?: number };
  /**
   * arXiv categories: a paper passes when any of its categories is one of
   * these, or lies under one ("cs" takes cs.CV and cs.LG).
   */
  categories?: readonly string[];
}

/** Options of `Retriever.retrieve`. */
export interface RetrieveOptions {
  /** How many candidates, at most; ≥ 1. */
  limit: number;
  /** Papers (library numbers) to leave out, e.g. those a digest already sent. */
  exclude?: ReadonlySet<number>;
  /** Only these papers (library numbers), e.g. an author's, for a digest of their papers on a topic. */
  only?: ReadonlySet<number>;
  filter?: PaperFilter;
  /**
   * Leave out papers covering less than this share (0 to 1) of the query's
   * weight, where a term weighs its termWeight (or maxTermWeight when no
   * paper holds it) times its query weight. Applied before the cut to
   * `limit`, over every matching paper. @default 0
   */
  minCoverage?: number;
  /**
   * A second way to pass: a paper holding at least `terms` distinct query
   * terms needs only `coverage`. A long question in other words matches a
   * paper on several of its rarer words while most of its weight lies in
   * words the paper puts otherwise; an everyday question matches on one or
   * two. @default none
   */
  manyTerms?: { terms: number; coverage: number };
}

/** A paper a retriever found. */
export interface Candidate {
  /** The paper's library number. */
  doc: number;
  /** BM25F score: higher is better. */
  score: number;
  /** The query terms the paper holds, in query order. */
  matched: string[];
  /** Share of the query's weight those terms carry, 0 to 1. */
  coverage: number;
}

/**
 * A full-text engine over the library's papers. Queries arrive analysed
 * (distinct terms), so every engine shares one analyser with answer
 * extraction and the no-match rule; every engine scores BM25F alike, so
 * they differ in speed and size, not in ranking.
 */
export interface Retriever {
  /** The engine's name, as PAPERBOT_ENGINE names it. */
  readonly name: string;
  /** Papers indexed. */
  readonly docCount: number;
  /** Distinct terms indexed. */
  readonly termCount: number;
  /** The best papers for `query`, best first (ties: lower number first). */
  retrieve(query: readonly QueryTerm[], options: RetrieveOptions): Candidate[];
  /** The term's idf over every indexed paper; 0 when none holds it. */
  termWeight(term: string): number;
  /** The idf a term no paper holds would have: the ceiling for unknown words. */
  readonly maxTermWeight: number;
}

/**
 * Each query term's share of the query's weight, for coverage, from the
 * terms' idf (`termWeights`, in query order): a term no paper holds weighs as
 * much as the rarest term could (`maxTermWeight`), so a question about pizza
 * is not "covered" by a paper that shares only the word "best".
 */
export function coverageShares(termWeights: readonly number[], query: readonly QueryTerm[], maxTermWeight: number): Float64Array {
  const weights = Float64Array.from(query, (q, i) => (termWeights[i] || maxTermWeight) * q.weight);
  const total = weights.reduce((sum, w) => sum + w, 0);
  return weights.map((w) => (total === 0 ? 0 : w / total));
}

/**
 * The share of the query's weight (as `coverageShares` counts it) in terms no
 * paper holds: a question mostly of words the library has never seen is not
 * about anything in it, whatever one known word matches.
 */
export function unknownShare(retriever: Pick<Retriever, 'termWeight' | 'maxTermWeight'>, query: readonly QueryTerm[]): number {
  const weights = query.map((q) => retriever.termWeight(q.term));
  const shares = coverageShares(weights, query, retriever.maxTermWeight);
  return shares.reduce((sum, share, i) => (weights[i] === 0 ? sum + share : sum), 0);
}

/** The query terms of a plain question: each counts once. */
export function plainQuery(terms: readonly string[]): QueryTerm[] {
  return terms.map((term) => ({ term, weight: 1 }));
}

/** A filter as one test of a paper's year and categories; null when it lets every paper through. */
export function filterTest(filter: PaperFilter | undefined): ((year: number, categories: readonly string[]) => boolean) | null {
  if (filter === undefined || (filter.years === undefined && filter.categories === undefined)) return null;
  const from = filter.years?.from ?? -Infinity;
  const to = filter.years?.to ?? Infinity;
  const inCategory = filter.categories === undefined ? null : categoryMatcher(filter.categories);
  return (year, categories) => year >= from && year <= to && (inCategory === null || categories.some(inCategory));
}

/** A filter's category test: `categories` of a paper against the wanted ones. */
export function categoryMatcher(wanted: readonly string[]): (category: string) => boolean {
  return (category) => wanted.some((w) => category === w || category.startsWith(`${w}.`));
}
