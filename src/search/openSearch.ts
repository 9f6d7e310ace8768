import { join } from 'node:path';
import { UserError } from '../errors.js';
import { corpusTag, openLibrary, syncCorpusFiles, type CorpusSync, type LibraryLocation } from '../library/openLibrary.js';
import type { SqliteLibrary } from '../library/SqliteLibrary.js';
import type { Progress } from '../progress.js';
import { defaultBm25Options, type Bm25Options } from './bm25.js';
import { engineNamed } from './engines/registry.js';
import { PaperSearch, type SearchInfo } from './PaperSearch.js';
import { removeStaleTemps } from '../writeFileAtomic.js';
import { openTitles } from './titleStore.js';

/** Where the corpus, the library and the indexes are, and how to open them. */
export interface SearchLocation extends LibraryLocation {
  /** The engine, by name (PAPERBOT_ENGINE). @default "impact" */
  engine?: string;
  /** BM25F parameters. @default defaultBm25Options */
  bm25?: Bm25Options;
  /**
   * Build or update the index when it lags behind the library. false: return
   * null instead, for a process that must not spend long on it. @default true
   */
  build?: boolean;
  /** Load the title index now rather than at the first lookup (the bot: autocomplete must answer within 3 s). @default false */
  loadTitles?: boolean;
  /** The search in use until now: its library connection and the engine's loaded parts are kept. */
  previous?: PaperSearch;
  /** Counts long work on a terminal. */
  progress?: (label: string, total: number) => Progress;
}

/** "read 12 papers from corpus/papers.jsonl into the library" */
function describeSync(sync: CorpusSync): string {
  const n = (x: number) => x.toLocaleString('en');
  if (sync.created) return `read ${n(sync.added)} papers from ${sync.files.join(', ')} into the library`;
  return `read the changed corpus files: ${n(sync.added)} papers added, ${n(sync.updated)} updated, ${n(sync.removed)} removed`;
}

/**
 * Open the search over a corpus folder's library: bring in changed corpus
 * files, then load the engine's index, building or updating it when the
 * library has changed since (a new segment for new papers, not a rebuild).
 * A corpus folder that is missing, invalid or empty is a UserError.
 */
export function openSearch(location: SearchLocation & { build?: true }): PaperSearch;
export function openSearch(location: SearchLocation): PaperSearch | null;
export function openSearch(location: SearchLocation): PaperSearch | null {
  const started = performance.now();
  const actions: string[] = [];
  const warnings: string[] = [];
  let library: SqliteLibrary;
  const previousLibrary = location.previous?.library;
  if (previousLibrary !== undefined) {
    library = previousLibrary as SqliteLibrary;
    const sync = syncCorpusFiles(library, location.corpusDir);
    if (sync !== null) actions.push(describeSync(sync));
  } else {
    const opened = openLibrary(location, { inMemory: true });
    library = opened.library;
    warnings.push(...opened.warnings);
    if (opened.sync !== null && opened.sync.added + opened.sync.updated + opened.sync.removed > 0) actions.push(describeSync(opened.sync));
  }
  const close = () => {
    if (previousLibrary === undefined) library.close();
  };
  if (library.size() === 0) {
    close();
    throw new UserError('corpus_empty', `corpus ${location.corpusDir} holds no papers: add *.jsonl files, or ingest some (paperbot ingest …)`);
  }

  let engine;
  try {
    engine = engineNamed(location.engine);
  } catch (err) {
    close();
    throw err;
  }
  const indexDir = indexDirOf(location);
  // What writes killed midway left behind (up to a segment's size each) goes before anything else is written.
  removeStaleTemps(indexDir);
  removeStaleTemps(join(indexDir, engine.name));
  const opened = engine.open(library, join(indexDir, engine.name), {
    bm25: location.bm25 ?? defaultBm25Options,
    build: location.build,
    previous: location.previous?.retriever,
    progress: location.progress,
  });
  if (opened === null) {
    close();
    return null;
  }
  actions.push(...opened.info.actions);
  warnings.push(...opened.info.warnings);
  const info: SearchInfo = {
    corpusDir: location.corpusDir,
    libraryFile: library.location,
    engine: engine.name,
    indexPath: opened.info.path,
    indexBytes: opened.info.bytes,
    builtAt: opened.info.builtAt,
    reused: opened.info.reused,
    actions,
    elapsedMs: 0,
    warnings,
  };
  const search = new PaperSearch(library, opened.retriever, () => {
    const titles = openTitles(library, indexDir);
    info.warnings.push(...titles.warnings);
    return titles;
  }, info);
  if (location.loadTitles) search.titles();
  info.elapsedMs = performance.now() - started;
  return search;
}

/** Where the indexes of a corpus's library are kept (one folder per engine, and the title index). */
export function indexDirOf(location: Pick<SearchLocation, 'corpusDir' | 'dataDir'>): string {
  return join(location.dataDir, 'indexes', corpusTag(location.corpusDir));
}

/** The warnings of `info` that say a part of the index could not be saved (it works, from memory, but the next start rebuilds it). */
export function unsavedIndexParts(info: SearchInfo): string[] {
  return info.warnings.filter((w) => w.startsWith('could not save'));
}
