import type { Corpus } from '../corpus/loadCorpus.js';
import type { Paper } from '../corpus/paper.js';
import { UserError } from '../errors.js';
import { normalizeText } from '../text/normalize.js';
import { extractAnswer, type Answer } from './answer.js';
import { queryTerms } from './documents.js';
import type { IndexBuildInfo } from './openIndex.js';
import type { SearchEngine } from './SearchEngine.js';
import { extractNames, TitleIndex } from './TitleIndex.js';

/** One paper found for a question or a title, with why it was found. */
export interface PaperHit {
  paper: Paper;
  score: number;
  /** Question terms (analysed: stemmed, lower case) found in the paper. */
  matchedTerms: string[];
  /** The sentence(s) of the abstract that best answer the question. */
  answer: Answer;
}

/** What `search` and `lookup` return: empty `hits` means nothing really matched. */
export interface SearchResult {
  query: string;
  /** The query's analysed terms. */
  terms: string[];
  hits: PaperHit[];
  /**
   * How the hits were found: `search` (full text), `title` (lookup by title),
   * `fallback` (a lookup no title matched, answered by full-text search).
   */
  via: 'search' | 'title' | 'fallback';
}

/** Options of `PaperIndex.search` and `PaperIndex.lookup`. */
export interface SearchOptions {
  /** Number of papers wanted, 1 to 100. @default 5 */
  limit?: number;
  /** Papers (canonical ids) to leave out, e.g. those a channel's digest already sent. */
  exclude?: ReadonlySet<string>;
}

/** Corpus facts for `paperbot stats` and the bot's /about. */
export interface CorpusStats {
  papers: number;
  engine: string;
  terms: number;
  years: { min: number; max: number; counts: Record<string, number> };
  /** Most frequent categories, most papers first (at most 10). */
  topCategories: { category: string; papers: number }[];
  newest: { id: string; title: string; year: number };
}

/**
 * Share of a question's idf mass that a paper must match to count as an
 * answer. Words the corpus has never seen count with the highest idf, so a
 * question about pizza is not "answered" by a paper that only shares the word
 * "best". Measured with `npm run bench:threshold` (README, "No good match").
 */
export const MIN_COVERAGE = 0.35;

/** Longest question accepted, in characters. */
export const MAX_QUERY_LENGTH = 1_000;
const MAX_LIMIT = 100;
const MIN_RELATIVE_TITLE_SCORE = 0.3;
const MAX_EXTRA_CANDIDATES = 200;

/**
 * The search service: a validated corpus, its full-text engine and its title
 * index. Plain values in, plain values out; it knows nothing of Discord or of
 * the terminal, which both render its results.
 */
export class PaperIndex {
  constructor(
    readonly corpus: Corpus,
    readonly engine: SearchEngine,
    /** How and when the index was built or loaded. */
    readonly build: IndexBuildInfo,
  ) {}

  /**
   * The papers that best answer `question`, best first, weak matches and
   * excluded papers left out. They are left out before the cut to `limit`, so
   * a weak first match never hides good ones behind it.
   */
  search(question: string, options: SearchOptions = {}): SearchResult {
    const query = checkQuery(question);
    const limit = checkLimit(options.limit);
    const terms = queryTerms(query);
    const { papers } = this.corpus;
    const hits: PaperHit[] = [];
    // Candidates are checked best first until the page is full. Coverage
    // follows the BM25 order closely (the best-covering papers score highest),
    // so past the first couple of hundred none would pass: looking further only
    // costs time, most on questions nothing answers.
    const candidates = limit * 20 + MAX_EXTRA_CANDIDATES + (options.exclude?.size ?? 0);
    const coverage = questionCoverage(this.engine, terms);
    for (const candidate of this.engine.search(terms, candidates)) {
      if (options.exclude?.has(papers[candidate.doc]!.id)) continue;
      const matched = this.engine.matchedTerms(candidate.doc, terms);
      if (coverage(matched) < MIN_COVERAGE) continue;
      hits.push(this.hit(candidate.doc, candidate.score, terms, matched));
      if (hits.length === limit) break;
    }
    return { query, terms, hits, via: 'search' };
  }

  /**
   * Papers by title: exact, prefix, partial words and small typos, or names
   * from the abstract. A query no title matches falls back to `search`.
   */
  lookup(title: string, options: SearchOptions = {}): SearchResult {
    const query = checkQuery(title);
    const limit = checkLimit(options.limit);
    let matches = this.titles().search(query, limit);
    if (matches.length === 0) return { ...this.search(query, { limit }), via: 'fallback' };
    // Titles sharing one common word with the query trail far behind the one
    // meant; a lookup shows them only when they come close (autocomplete,
    // which lists candidates, asks the title index directly).
    const floor = matches[0]!.score * MIN_RELATIVE_TITLE_SCORE;
    matches = matches.filter((m) => m.score >= floor);
    const terms = queryTerms(query);
    const hits = matches.map((m) => this.hit(m.doc, m.score, terms, this.engine.matchedTerms(m.doc, terms)));
    return { query, terms, hits, via: 'title' };
  }

  stats(): CorpusStats {
    const years: Record<string, number> = {};
    const categories = new Map<string, number>();
    let newest = this.corpus.papers[0]!;
    for (const paper of this.corpus.papers) {
      years[paper.year] = (years[paper.year] ?? 0) + 1;
      const primary = paper.categories[0];
      if (primary !== undefined) categories.set(primary, (categories.get(primary) ?? 0) + 1);
      if (paper.year > newest.year || (paper.year === newest.year && paper.id > newest.id)) newest = paper;
    }
    const yearList = Object.keys(years).map(Number);
    return {
      papers: this.corpus.papers.length,
      engine: this.engine.name,
      terms: this.engine.termCount,
      years: { min: Math.min(...yearList), max: Math.max(...yearList), counts: years },
      topCategories: [...categories]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 10)
        .map(([category, papers]) => ({ category, papers })),
      newest: { id: newest.id, title: normalizeText(newest.title), year: newest.year },
    };
  }

  /**
   * The title index, built on first use: `ask` never needs it, and its build
   * (names from every abstract) would otherwise add ~1 s to loading 30,000 papers.
   */
  titles(): TitleIndex {
    this.titleIndex ??= TitleIndex.build(
      this.corpus.papers.map((p) => ({ title: p.title, aliases: extractNames(p.abstract) })),
    );
    return this.titleIndex;
  }
  private titleIndex: TitleIndex | undefined;

  private hit(doc: number, score: number, terms: readonly string[], matchedTerms: string[]): PaperHit {
    const paper = this.corpus.papers[doc]!;
    const idf = (t: string) => this.engine.idf(t);
    return {
      paper,
      score: Math.round(score * 1000) / 1000,
      matchedTerms,
      answer: extractAnswer(normalizeText(paper.abstract), terms, idf),
    };
  }
}

/**
 * For a question of `terms`: the share of its idf mass that a paper's matched
 * terms cover, 0 to 1. Terms the engine has never seen weigh as much as the
 * rarest term could. The weights are looked up once, not per candidate.
 */
export function questionCoverage(engine: SearchEngine, terms: readonly string[]): (matched: readonly string[]) => number {
  const weights = new Map(terms.map((t) => [t, engine.idf(t) || engine.maxIdf]));
  const total = [...weights.values()].reduce((sum, w) => sum + w, 0);
  return (matched) => (total === 0 ? 0 : matched.reduce((sum, t) => sum + (weights.get(t) ?? 0), 0) / total);
}

/** A question trimmed, or a UserError when it is empty or longer than MAX_QUERY_LENGTH. */
export function checkQuery(text: string): string {
  const query = text.trim();
  if (query === '') throw new UserError('query_empty', 'the question is empty');
  if (query.length > MAX_QUERY_LENGTH) {
    throw new UserError('query_too_long', `the question is ${query.length} characters long; the limit is ${MAX_QUERY_LENGTH}`);
  }
  return query;
}

function checkLimit(limit = 5): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new UserError('bad_option', `the number of results must be a whole number from 1 to ${MAX_LIMIT}, not ${limit}`);
  }
  return limit;
}
