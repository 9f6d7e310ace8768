import { setImmediate as nextTurn } from 'node:timers/promises';
import { AuthorIndex, AuthorIndexBuilder } from '../authors/AuthorIndex.js';
import { PaperCalendar, PaperCalendarBuilder } from '../trend/PaperCalendar.js';
import { canonicalArxivId, type Paper } from '../corpus/paper.js';
import { UserError } from '../errors.js';
import type { CategoryCount, LibraryPaper, LibraryStats, PaperLibrary } from '../library/PaperLibrary.js';
import { analyzer, nameTerms } from '../text/analyzer.js';
import { normalizeText } from '../text/normalize.js';
import { extractAnswer, type Answer } from './answer.js';
import { isNameTerm, questionQuery, toEngineText } from './documents.js';
import { coverageShares, filterTest, plainQuery, unknownShare, type PaperFilter, type QueryTerm, type RetrieveOptions, type Retriever } from './Retriever.js';
import type { LibraryTitles } from './titleStore.js';

/** One paper found for a question or a title, with why it was found. */
export interface PaperHit {
  paper: Paper;
  score: number;
  /** Question terms found in the paper, as indexed: stems, and `@name` for an author's name. */
  matchedTerms: string[];
  /** The matched words as the title or abstract writes them ("diffusion", not "diffus"), in query order. */
  matchedWords: string[];
  /** The authors whose names the question names. */
  matchedAuthors: string[];
  /** The sentence encoder's cosine similarity of question and paper, when one was used. */
  similarity?: number;
  /** The sentence(s) of the abstract that best answer the question. */
  answer: Answer;
  /** Words a channel's votes taught its digest that the paper holds, as it writes them (only with `feedback`). */
  learnedWords?: string[];
}

/** What `search` and `lookup` return: empty `hits` means nothing really matched. */
export interface SearchResult {
  query: string;
  /** The question's analysed word terms (stems; author names apart). */
  terms: string[];
  hits: PaperHit[];
  /**
   * How the hits were found: `search` (full text), `title` (lookup by title),
   * `id` (a lookup by arXiv id or abs/pdf URL), `fallback` (a lookup no title
   * matched, answered by full-text search), `similar` (the papers nearest
   * one paper; `query` is its id).
   */
  via: 'search' | 'title' | 'id' | 'fallback' | 'similar';
}

/** Options of `PaperSearch.search` and `PaperSearch.lookup`. */
export interface SearchOptions {
  /** Number of papers wanted, 1 to 100. @default 5 */
  limit?: number;
  /** Papers (canonical ids) to leave out, e.g. those a channel's digest already sent. */
  exclude?: ReadonlySet<string>;
  /** Only papers of these years or categories (full-text search only). */
  filter?: PaperFilter;
  /** Only these papers (canonical ids), e.g. an author's (full-text search only). */
  only?: ReadonlySet<string>;
  /** A sentence encoder's view of the question, mixed into the ranking (src/embeddings/). */
  dense?: DenseQuery;
  /** Terms votes taught a digest's topic (src/digest/topicFeedback.ts): full-text search only. */
  feedback?: TopicFeedback;
}

/**
 * What votes taught a topic: terms to add to its query, weighted; terms
 * whose presence lowers a paper's score; categories that raise or lower it.
 * A paper must still answer the topic itself (the no-match rule over the
 * topic's words alone).
 */
export interface TopicFeedback {
  boost: readonly QueryTerm[];
  /** `weight` × the term's idf comes off the score of a paper holding it. */
  penalty: readonly QueryTerm[];
  /** Added to the score of a paper listing the category (negative: taken off), in score units. */
  categories?: readonly { category: string; weight: number }[];
}

// Candidates a feedback query ranks before the topic's own no-match rule and the penalties.
const FEEDBACK_POOL = 100;

/** The question as a pretrained encoder sees it: its nearest papers, and its similarity to any paper. */
export interface DenseQuery {
  /** The papers nearest the question, nearest first, with their cosine similarity. */
  nearest: readonly { doc: number; similarity: number }[];
  /** Cosine similarity of the question and a paper (0 for a paper without a vector). */
  similarity: (doc: number) => number;
  /** Weight of the similarity beside BM25's score over the best one's. */
  weight: number;
  /** A paper BM25 does not admit answers only from this similarity up. */
  minSimilarity: number;
}

// BM25's candidates a dense mix reranks.
const DENSE_POOL = 100;

// The words of a paper that make its "similar" query: its most telling ones.
const SIMILAR_TERMS = 25;
// A title word counts as this many of the abstract's: the title says what the paper is about.
const SIMILAR_TITLE_WEIGHT = 2;

/** Corpus facts for `paperbot stats` and the bot's /about. */
export interface CorpusStats extends LibraryStats {
  engine: string;
  terms: number;
}

/**
 * Share of a question's idf mass that a paper must match to count as an
 * answer. Words the corpus has never seen count with the highest idf, so a
 * question about pizza is not "answered" by a paper that only shares the word
 * "best". Measured with `npm run bench:threshold` (README, "No good match").
 */
export const MIN_COVERAGE = 0.35;

/**
 * The most of a question's idf mass that may lie in words the library has
 * never seen: "best pizza" is about pizza, and no paper sharing "best" answers
 * it, however rare "best" is in a small library. Short questions are where
 * coverage alone lets such answers through (`npm run bench:threshold`).
 */
export const MAX_UNKNOWN_SHARE = 0.6;

/**
 * The second way a paper answers: it matches at least MANY_TERMS distinct
 * words of the question, whose idf sums to at least MANY_TERMS_IDF. A
 * question in other words matches its paper on a few rarer words while most
 * of its weight lies in words the paper puts otherwise; an everyday question
 * matches one or two (measured on the DEV questions at 191,473 papers and
 * `npm run bench:threshold`; README, "No good match").
 */
export const MANY_TERMS = 4;
export const MANY_TERMS_IDF = 16;

/** Longest question accepted, in characters. */
export const MAX_QUERY_LENGTH = 1_000;
const MAX_LIMIT = 100;

// Papers warm() reads between pauses, by default.
const WARM_SLICE = 2_000;
const MIN_RELATIVE_TITLE_SCORE = 0.3;

/** How a PaperSearch came to be, for `stats`, `/about` and the logs. */
export interface SearchInfo {
  corpusDir: string;
  /** The library's file (or ':memory:'). */
  libraryFile: string;
  engine: string;
  /** The engine's files. */
  indexPath: string;
  indexBytes: number;
  /** When the index was last built or updated. */
  builtAt: Date;
  /** True when everything was loaded as saved. */
  reused: boolean;
  /** What opening did: "read 12 papers from corpus/papers.jsonl into the library", "added a segment of 1,000 papers". */
  actions: string[];
  /** Time to open the library and load or build the index, ms. */
  elapsedMs: number;
  /** Problems that did not stop the search from working (e.g. a read-only data folder). */
  warnings: string[];
}

/**
 * The search service: the paper library, a retriever over it and the title
 * index. Plain values in, plain values out; it knows nothing of Discord or of
 * the terminal, which both render its results.
 */
export class PaperSearch {
  private titleIndex: LibraryTitles | undefined;
  private authorIndex: AuthorIndex | undefined;
  private paperCalendar: PaperCalendar | undefined;
  private categoryCounts: CategoryCount[] | undefined;
  private statsCache: CorpusStats | undefined;

  constructor(
    readonly library: PaperLibrary,
    readonly retriever: Retriever,
    /** Loads the title index (from its file, or by building it) the first time a lookup needs it. */
    private readonly loadTitles: () => LibraryTitles,
    readonly info: SearchInfo,
  ) {}

  /** Papers held. */
  get size(): number {
    return this.retriever.docCount;
  }

  /**
   * The papers that best answer `question`, best first, weak matches,
   * excluded and filtered-out papers left out, before the cut to `limit`:
   * a weak first match never hides good ones behind it.
   */
  search(question: string, options: SearchOptions = {}): SearchResult {
    const query = checkQuery(question);
    const limit = checkLimit(options.limit);
    const { terms, query: searched } = questionQuery(query, (t) => this.retriever.termWeight(t));
    const exclude = options.exclude === undefined || options.exclude.size === 0 ? undefined : new Set(this.library.docsOf(options.exclude));
    const lexical = unknownShare(this.retriever, searched) < MAX_UNKNOWN_SHARE;
    const only = options.only === undefined ? undefined : new Set(this.library.docsOf(options.only));
    if (options.dense !== undefined) return { query, terms, hits: this.mixed(searched, terms, limit, lexical, { exclude, only, filter: options.filter }, options.dense), via: 'search' };
    if (!lexical) return { query, terms, hits: [], via: 'search' };
    if (options.feedback !== undefined) return { query, terms, hits: this.withFeedback(searched, terms, limit, { exclude, only, filter: options.filter }, options.feedback), via: 'search' };
    const candidates = this.retriever.retrieve(searched, { limit, exclude, only, filter: options.filter, ...this.admission(searched) });
    const hits: PaperHit[] = [];
    for (const candidate of candidates) {
      const paper = this.library.at(candidate.doc);
      // A paper replaced since the index was loaded: its newer version answers after the next reload.
      if (paper !== undefined) hits.push(this.hit(paper, candidate.score, terms, candidate.matched));
    }
    return { query, terms, hits, via: 'search' };
  }

  /**
   * Papers by title: exact, prefix, partial words and small typos, or names
   * from the abstract; or the paper an arXiv id or URL names. A query no
   * title matches falls back to `search`.
   */
  lookup(title: string, options: SearchOptions = {}): SearchResult {
    const query = checkQuery(title);
    const limit = checkLimit(options.limit);
    // "2306.00980", "2306.00980v2", "https://arxiv.org/abs/2306.00980": the paper itself, when the library holds it.
    const id = canonicalArxivId(query)?.id;
    const byId = id === undefined ? undefined : this.paper(id);
    if (byId !== undefined) return { query, terms: [], hits: [this.hit(byId, 0, [], [])], via: 'id' };
    const titles = this.titles();
    let matches = titles.index.search(query, limit);
    if (matches.length === 0) return { ...this.search(query, { limit }), via: 'fallback' };
    // Titles sharing one common word with the query trail far behind the one
    // meant; a lookup shows them only when they come close (autocomplete,
    // which lists candidates, asks the title index directly).
    const floor = matches[0]!.score * MIN_RELATIVE_TITLE_SCORE;
    matches = matches.filter((m) => m.score >= floor);
    const { terms, query: searched } = questionQuery(query, (t) => this.retriever.termWeight(t));
    const hits: PaperHit[] = [];
    for (const m of matches) {
      const paper = this.library.at(titles.docs[m.doc]!);
      if (paper !== undefined) hits.push(this.hit(paper, m.score, terms, matchedTerms(paper, searched.map((q) => q.term))));
    }
    return { query, terms, hits, via: 'title' };
  }

  /**
   * BM25's admitted papers and the encoder's nearest above its floor, ranked
   * by BM25's score over the best one's plus `weight` × similarity: the
   * encoder reorders what BM25 found and brings what it could not.
   */
  private mixed(
    searched: readonly QueryTerm[],
    terms: readonly string[],
    limit: number,
    lexical: boolean,
    { exclude, only, filter }: Pick<RetrieveOptions, 'exclude' | 'only' | 'filter'>,
    dense: DenseQuery,
  ): PaperHit[] {
    const bm25 = lexical ? this.retriever.retrieve(searched, { limit: Math.max(limit, DENSE_POOL), exclude, only, filter, ...this.admission(searched) }) : [];
    const best = bm25[0]?.score ?? 1;
    const pool = new Map(bm25.map((c) => [c.doc, { lexical: c.score / best, matched: c.matched }]));
    const passesFilter = filterTest(filter);
    for (const { doc, similarity } of dense.nearest) {
      if (similarity < dense.minSimilarity || pool.has(doc) || exclude?.has(doc) || (only !== undefined && !only.has(doc))) continue;
      const paper = this.library.at(doc);
      if (paper === undefined || (passesFilter !== null && !passesFilter(paper.year, paper.categories))) continue;
      pool.set(doc, { lexical: 0, matched: [] });
    }
    return [...pool]
      .map(([doc, found]) => ({ doc, ...found, score: found.lexical + dense.weight * dense.similarity(doc) }))
      .sort((a, b) => b.score - a.score || a.doc - b.doc)
      .slice(0, limit)
      .flatMap(({ doc, score, matched }) => {
        const paper = this.library.at(doc);
        return paper === undefined ? [] : [{ ...this.hit(paper, score, terms, matched), similarity: Math.round(dense.similarity(doc) * 1000) / 1000 }];
      });
  }

  /**
   * The topic's query with the learned terms added, over a pool of
   * FEEDBACK_POOL: each paper admitted by the no-match rule over the topic's
   * own terms (so a learned term never brings a paper off the topic), its
   * score lowered by the penalties it holds, then the best `limit`.
   */
  private withFeedback(
    searched: readonly QueryTerm[],
    terms: readonly string[],
    limit: number,
    restrict: Pick<RetrieveOptions, 'exclude' | 'only' | 'filter'>,
    feedback: TopicFeedback,
  ): PaperHit[] {
    const own = new Set(searched.map((q) => q.term));
    const expanded = [...searched, ...feedback.boost.filter((b) => !own.has(b.term))];
    const pool = this.retriever.retrieve(expanded, { limit: Math.max(limit, FEEDBACK_POOL), ...restrict });
    const shares = coverageShares(searched.map((q) => this.retriever.termWeight(q.term)), searched, this.retriever.maxTermWeight);
    const share = new Map(searched.map((q, i) => [q.term, shares[i]!]));
    const { minCoverage, manyTerms } = this.admission(searched);
    const penalties = feedback.penalty.map((p) => p.term);
    const ranked: { paper: Paper; score: number; topic: string[]; learned: string[] }[] = [];
    for (const candidate of pool) {
      const topic = candidate.matched.filter((t) => own.has(t));
      const coverage = topic.reduce((sum, t) => sum + share.get(t)!, 0);
      const admitted = coverage >= minCoverage! - 1e-9 || (manyTerms !== undefined && topic.length >= manyTerms.terms && coverage >= manyTerms.coverage - 1e-9);
      const paper = admitted ? this.library.at(candidate.doc) : undefined;
      if (paper === undefined) continue;
      const held = new Set(matchedTerms(paper, penalties));
      const penalty = feedback.penalty.reduce((sum, p) => sum + (held.has(p.term) ? p.weight * this.retriever.termWeight(p.term) : 0), 0);
      const prior = (feedback.categories ?? []).reduce((sum, c) => sum + (paper.categories.includes(c.category) ? c.weight : 0), 0);
      ranked.push({ paper, score: candidate.score - penalty + prior, topic, learned: candidate.matched.filter((t) => !own.has(t)) });
    }
    return ranked
      .sort((a, b) => b.score - a.score || (a.paper.id < b.paper.id ? -1 : 1))
      .slice(0, limit)
      .map(({ paper, score, topic, learned }) => ({ ...this.hit(paper, score, terms, topic), learnedWords: matchedAsWritten(paper, learned).matchedWords }));
  }

  /** Who counts as an answer to `query`: MIN_COVERAGE, or MANY_TERMS words worth MANY_TERMS_IDF. */
  private admission(query: readonly QueryTerm[]): Pick<RetrieveOptions, 'minCoverage' | 'manyTerms'> {
    const total = query.reduce((sum, q) => sum + (this.retriever.termWeight(q.term) || this.retriever.maxTermWeight) * q.weight, 0);
    return { minCoverage: MIN_COVERAGE, manyTerms: { terms: MANY_TERMS, coverage: total === 0 ? 1 : MANY_TERMS_IDF / total } };
  }

  /**
   * The papers nearest the paper `id` (undefined when the library lacks it),
   * best first, never the paper itself. Its SIMILAR_TERMS most telling words
   * (count in the title and abstract, a title word counting
   * SIMILAR_TITLE_WEIGHT times, × idf) are searched as one query weighted by
   * that count, as Lucene's MoreLikeThis does; each hit's matchedWords are the
   * words it shares with the paper, the most telling first.
   */
  similar(id: string, options: SearchOptions = {}): SearchResult | undefined {
    const limit = checkLimit(options.limit);
    const found = this.library.get(id);
    if (found === undefined) return undefined;
    const telling = this.tellingTerms(found.paper);
    const terms = telling.map((t) => t.term);
    const query: QueryTerm[] = telling.map(({ term, count }) => ({ term, weight: count }));
    const exclude = new Set([found.doc, ...(options.exclude === undefined ? [] : this.library.docsOf(options.exclude))]);
    const hits: PaperHit[] = [];
    for (const candidate of this.retriever.retrieve(query, { limit, exclude, filter: options.filter })) {
      const paper = this.library.at(candidate.doc);
      if (paper !== undefined) hits.push(this.hit(paper, candidate.score, terms, candidate.matched));
    }
    return { query: found.paper.id, terms, hits, via: 'similar' };
  }

  /**
   * Every paper whose title or abstract holds every word of `topic` (as the
   * analyser stems them), unranked: what a trend counts. A topic word no paper
   * holds leaves none. `terms` are the words' stems, stop words left out.
   */
  papersAbout(topic: string, filter?: PaperFilter): { terms: string[]; docs: number[] } {
    const { terms } = questionQuery(checkQuery(topic), (t) => this.retriever.termWeight(t));
    if (terms.length === 0 || terms.some((t) => this.retriever.termWeight(t) === 0)) return { terms, docs: [] };
    const found = this.retriever.retrieve(plainQuery(terms), { limit: Math.max(1, this.retriever.docCount), minCoverage: 1, filter });
    return { terms, docs: found.map((c) => c.doc) };
  }

  /**
   * The paper's SIMILAR_TERMS most telling terms, most telling first: each
   * analysed term's count in the title (a title word counting
   * SIMILAR_TITLE_WEIGHT times) and abstract, and that count × its idf.
   */
  tellingTerms(paper: Paper): { term: string; count: number; score: number }[] {
    const text = toEngineText(paper);
    const counts = new Map<string, number>();
    analyzer.forEachTerm(text.title, (t) => counts.set(t, (counts.get(t) ?? 0) + SIMILAR_TITLE_WEIGHT));
    analyzer.forEachTerm(text.abstract, (t) => counts.set(t, (counts.get(t) ?? 0) + 1));
    return [...counts]
      .map(([term, count]) => ({ term, count, score: count * this.retriever.termWeight(term) }))
      .filter((t) => t.score > 0)
      .sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1))
      .slice(0, SIMILAR_TERMS);
  }

  /** Autocomplete: the best `limit` papers for a partly typed title; the newest for an empty one. */
  suggest(typed: string, limit: number): Paper[] {
    if (typed.trim() === '') return this.library.newest(limit).map((p) => p.paper);
    const titles = this.titles();
    return titles.index
      .search(typed, limit)
      .map((m) => this.library.at(titles.docs[m.doc]!))
      .filter((p): p is Paper => p !== undefined);
  }

  /** The paper with this canonical arXiv id. */
  paper(id: string): Paper | undefined {
    return this.library.get(id)?.paper;
  }

  /** The `limit` newest papers. */
  newest(limit: number): LibraryPaper[] {
    return this.library.newest(limit);
  }

  stats(): CorpusStats {
    this.statsCache ??= { ...this.library.stats(), engine: this.retriever.name, terms: this.retriever.termCount };
    return this.statsCache;
  }

  /** Every category the papers list (cross-lists too), most papers first: counted on first use, or by warm(). */
  categories(): CategoryCount[] {
    this.categoryCounts ??= this.library.countCategories();
    return this.categoryCounts;
  }

  /**
   * Read what commands need at once, before they ask: the categories, the
   * author names (autocomplete has 3 s) and the paper calendar (/trend).
   * In one go that is 6–9 s at 191k papers, all of it blocking; here it is a
   * slice of papers at a time, with `pause` between slices, so a process
   * warming its next search answers from the current one meanwhile.
   * A library written to meanwhile may be read partly before and partly
   * after: its new generation brings a new search anyway. An aborted
   * `signal` stops it at the next pause, with its reason.
   */
  async warm({ pause = nextTurn, slice = WARM_SLICE, signal }: { pause?: () => Promise<unknown>; slice?: number; signal?: AbortSignal } = {}): Promise<void> {
    const pauseUnlessAborted = async () => {
      await pause();
      signal?.throwIfAborted();
    };
    const last = this.library.lastDoc();
    const authors = new AuthorIndexBuilder();
    const calendar = new PaperCalendarBuilder(last);
    const categories = new Map<string, number>();
    for (let from = 0; from <= last; from += slice) {
      const docs = { from, to: from + slice - 1 };
      for (const row of this.library.scanAuthors(docs)) authors.add(row);
      for (const row of this.library.scanDates(docs)) calendar.add(row);
      for (const { category, papers } of this.library.countCategories(docs)) categories.set(category, (categories.get(category) ?? 0) + papers);
      await pauseUnlessAborted();
    }
    this.authorIndex ??= await authors.finishInSteps(pauseUnlessAborted);
    this.paperCalendar ??= calendar.finish();
    // As countCategories orders them: most papers first, then by name.
    this.categoryCounts ??= [...categories].map(([category, papers]) => ({ category, papers })).sort((a, b) => b.papers - a.papers || (a.category < b.category ? -1 : 1));
  }

  /** The author names, read from the library on first use (or by warm()). */
  authors(): AuthorIndex {
    this.authorIndex ??= AuthorIndex.build(this.library.scanAuthors());
    return this.authorIndex;
  }

  /** When each paper was submitted, read from the library on first use (or by warm()), for trends. */
  calendar(): PaperCalendar {
    this.paperCalendar ??= PaperCalendar.build(this.library.scanDates());
    return this.paperCalendar;
  }

  /** The title index, loaded (or built) on first use: `ask` never needs it. */
  titles(): LibraryTitles {
    this.titleIndex ??= this.loadTitles();
    return this.titleIndex;
  }

  private hit(paper: Paper, score: number, terms: readonly string[], matched: string[]): PaperHit {
    return {
      paper,
      score: Math.round(score * 1000) / 1000,
      matchedTerms: matched,
      ...matchedAsWritten(paper, matched),
      answer: extractAnswer(normalizeText(paper.abstract), terms, this.idfOf(terms)),
    };
  }

  /** The idf of a question's terms, looked up once for all its answers (each looks a term up per sentence). */
  private idfOf(terms: readonly string[]): (term: string) => number {
    if (this.idfCache?.terms !== terms) this.idfCache = { terms, idf: new Map(terms.map((t) => [t, this.retriever.termWeight(t)])) };
    const { idf } = this.idfCache;
    return (t) => idf.get(t) ?? 0;
  }
  private idfCache: { terms: readonly string[]; idf: Map<string, number> } | undefined;
}

/** Which of `terms` the paper's indexed text holds, in their order. */
function matchedTerms(paper: Paper, terms: readonly string[]): string[] {
  const text = toEngineText(paper);
  const held = new Set<string>(nameTerms(text.authors));
  for (const field of [text.title, text.abstract]) analyzer.forEachTerm(field, (t) => held.add(t));
  return terms.filter((t) => held.has(t));
}

/**
 * The matched terms as the paper writes them, and the authors named: each
 * word as it first comes in the abstract (in running text's case), else in
 * the title.
 */
function matchedAsWritten(paper: Paper, matched: readonly string[]): { matchedWords: string[]; matchedAuthors: string[] } {
  const text = toEngineText(paper);
  const written = new Map<string, string>();
  for (const field of [text.abstract, text.title]) {
    for (const span of analyzer.spans(field)) if (!written.has(span.term)) written.set(span.term, field.slice(span.start, span.end));
  }
  const names = new Set(matched.filter(isNameTerm));
  const authors = paper.authors.map(normalizeText);
  return {
    matchedWords: matched.filter((t) => !isNameTerm(t)).map((t) => written.get(t) ?? t),
    matchedAuthors: names.size === 0 ? [] : authors.filter((a) => nameTerms(a).some((n) => names.has(n))),
  };
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
    throw new UserError('bad_limit', `the number of results must be a whole number from 1 to ${MAX_LIMIT}, not ${limit}`);
  }
  return limit;
}
