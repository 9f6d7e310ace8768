import type { Paper } from '../corpus/paper.js';

/** A paper of the library and its number there. */
export interface LibraryPaper {
  /**
   * The paper's number in the library: assigned when it is stored, never
   * reused. A paper replaced by a newer version gets a new number, so every
   * index built over the library stays valid for the numbers it holds.
   */
  doc: number;
  paper: Paper;
}

/** What the title index needs of a paper. */
export interface LibraryTitle {
  doc: number;
  title: string;
  /** Names taken from the abstract (methods, datasets, acronyms): see extractNames. */
  names: string[];
}

/** Facts about the library for `paperbot stats` and the bot's /about. */
export interface LibraryStats {
  papers: number;
  years: { min: number; max: number; counts: Record<string, number> };
  /** Most frequent primary categories, most papers first (at most 10). */
  topCategories: { category: string; papers: number }[];
  newest: { id: string; title: string; year: number } | null;
}

/** One author of one paper. */
export interface LibraryAuthor {
  doc: number;
  /** As the record writes it. */
  name: string;
}

/** When a paper was first submitted, as the trend charts count it. */
export interface LibraryDate {
  doc: number;
  id: string;
  year: number;
}

/** Papers numbered `from` to `to`, both included: a slice of a scan. */
export interface DocRange {
  from: number;
  to: number;
}

/** A category and how many papers list it. */
export interface CategoryCount {
  category: string;
  papers: number;
}

/** Where a stored paper came from. */
export type PaperOrigin = 'file' | 'ingest';

/**
 * A write to the library: every change between `write()` and `commit()` is
 * one transaction. Nothing is visible to other readers until the commit, and
 * a process killed before it leaves the library as it was.
 */
export interface LibraryWrite {
  /** The paper as this write sees it (its own changes included). */
  get(id: string): LibraryPaper | undefined;
  /** Store `paper`, replacing any paper with its id; returns its new number. */
  put(paper: Paper, origin: PaperOrigin): number;
  /** Remove the paper with this id; false when there was none. */
  remove(id: string): boolean;
  /** The origin of the stored paper with this id. */
  originOf(id: string): PaperOrigin | undefined;
  /** Make the changes visible; returns the library's new generation (unchanged when nothing changed). */
  commit(): number;
  /** Drop the changes. */
  rollback(): void;
}

/**
 * The papers PaperBot knows, addressed by arXiv id or by number, without
 * holding them in memory: a million papers are a file, not a heap. Indexes
 * are built from `scan()` and follow changes through `generation()`.
 */
export interface PaperLibrary {
  /** Where the papers are kept (a file path, or ':memory:'). */
  readonly location: string;
  /** Identifies this library: an index built for another library is not reused. */
  readonly id: string;
  /** The number of the last committed change; 0 for a library never written. */
  generation(): number;
  /** Papers held. */
  size(): number;
  get(id: string): LibraryPaper | undefined;
  /** The paper numbered `doc`; undefined when it was replaced or removed. */
  at(doc: number): Paper | undefined;
  /** Numbers of the papers with these ids (ids the library lacks are left out). */
  docsOf(ids: Iterable<string>): number[];
  /** Every paper in number order; only those stored after `sinceGeneration` when given. */
  scan(sinceGeneration?: number): IterableIterator<LibraryPaper>;
  /** Every paper's authors, one row an author, in paper order and then author order, for the author index. */
  scanAuthors(docs?: DocRange): IterableIterator<LibraryAuthor>;
  /** Number, id and year of every paper, in no set order, for the trend calendar. */
  scanDates(docs?: DocRange): IterableIterator<LibraryDate>;
  /** Title and names of every paper in number order, for the title index. */
  scanTitles(): IterableIterator<LibraryTitle>;
  /** Numbers of the papers replaced or removed after `generation`. */
  removedSince(generation: number): number[];
  /** Every category papers list (cross-lists too), most papers first; only the papers in `docs` when given. */
  countCategories(docs?: DocRange): CategoryCount[];
  /** The highest paper number in use; 0 for an empty library. */
  lastDoc(): number;
  /** The `limit` newest papers: latest year first, then latest id. */
  newest(limit: number): LibraryPaper[];
  stats(): LibraryStats;
  /** Begin a write; one at a time per library, across processes. */
  write(): LibraryWrite;
  close(): void;
}
