import type { PaperLibrary } from '../../library/PaperLibrary.js';
import type { Progress } from '../../progress.js';
import type { Bm25Options } from '../bm25.js';
import type { IndexEntry } from '../documents.js';
import type { Retriever } from '../Retriever.js';

/** Options of `Engine.open`. */
export interface EngineOpenOptions {
  bm25: Bm25Options;
  /**
   * Bring the engine's files up to date with the library (build, add a
   * segment, merge) when they lag behind. false: return null instead, for
   * a process that must not spend long on it. @default true
   */
  build?: boolean;
  /** The retriever in use until now, whose loaded parts may be kept. */
  previous?: Retriever;
  /** Counts papers indexed, on a terminal. */
  progress?: (label: string, total: number) => Progress;
}

/** How an engine's index came to be. */
export interface EngineIndexInfo {
  /** Where its files are. */
  path: string;
  /** Their size in bytes (0 when they could not be written). */
  bytes: number;
  /** When the index was last built or updated (not loaded). */
  builtAt: Date;
  /** True when loaded as saved, false when anything was built now. */
  reused: boolean;
  /** What was done: "loaded", "built", "added a segment of 1,000 papers", "merged 3 segments". */
  actions: string[];
  /** Problems that did not stop it (files that could not be saved, a damaged file rebuilt). */
  warnings: string[];
}

/**
 * One search engine: builds, opens and saves its own files in its own
 * folder. A new engine is a folder under `src/search/engines/` and a line in
 * the registry.
 */
export interface Engine {
  readonly name: string;
  /** One line for the README and `stats`: what it is. */
  readonly description: string;
  /** An index of `papers` in memory, saved nowhere: for evaluations and tests. */
  build(papers: Iterable<IndexEntry>, bm25: Bm25Options): Retriever;
  /** Open the engine's index of `library` kept in `dir` (created when missing). */
  open(library: PaperLibrary, dir: string, options: EngineOpenOptions): { retriever: Retriever; info: EngineIndexInfo } | null;
}
