import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadCorpus } from '../corpus/loadCorpus.js';
import { ANALYZER_VERSION } from '../text/analyzer.js';
import { writeFileAtomic } from '../writeFileAtomic.js';
import { toEngineText } from './documents.js';
import { PaperIndex } from './PaperIndex.js';
import { defaultWinkOptions, WinkEngine, type WinkOptions } from './WinkEngine.js';

/** Where the corpus and the persisted index live. */
export interface IndexLocation {
  /** The corpus folder (`*.jsonl`). */
  corpusDir: string;
  /** Folder for the persisted index; created when missing. */
  dataDir: string;
  /** BM25 parameters. @default defaultWinkOptions */
  engineOptions?: WinkOptions;
  /**
   * Build (and save) the index when the saved one is missing or stale.
   * false: return null instead, for callers that must not block on a build.
   * @default true
   */
  build?: boolean;
}

/** How the index in memory came to be. */
export interface IndexBuildInfo {
  /** The persisted index file. */
  file: string;
  /** Its size in bytes (0 when it could not be written). */
  bytes: number;
  /** When the index was built (not loaded). */
  builtAt: Date;
  /** True when loaded from the file, false when built now. */
  reused: boolean;
  /** Time to read the corpus and load or build the index, ms. */
  elapsedMs: number;
  /** Problems that did not stop the index from working (e.g. a read-only data folder). */
  warnings: string[];
}

const FORMAT = 'paperbot-index/1';

interface Header {
  format: typeof FORMAT;
  /** Changes with the corpus, the analyser and the BM25 parameters. */
  fingerprint: string;
  builtAt: string;
}

/**
 * Read the corpus and load its persisted index, or build the index and persist
 * it when the corpus, the analyser or the BM25 parameters have changed since.
 * The file is replaced atomically, so a concurrent reader or a crash never
 * sees half of it.
 */
export function openPaperIndex(location: IndexLocation & { build?: true }): PaperIndex;
export function openPaperIndex(location: IndexLocation): PaperIndex | null;
export function openPaperIndex(location: IndexLocation): PaperIndex | null {
  const started = performance.now();
  const corpus = loadCorpus(location.corpusDir);
  const options = location.engineOptions ?? defaultWinkOptions;
  const fingerprint = createHash('sha256')
    .update(`${corpus.fingerprint}\n${ANALYZER_VERSION}\n${JSON.stringify(options)}`)
    .digest('hex');
  const file = indexFile(location);
  const warnings: string[] = [];

  let engine: WinkEngine | undefined;
  let builtAt = new Date();
  const saved = readSaved(file);
  if (saved !== undefined && saved.header.fingerprint === fingerprint) {
    try {
      engine = WinkEngine.load(saved.body);
      builtAt = new Date(saved.header.builtAt);
    } catch (err) {
      warnings.push(`the saved index ${file} could not be loaded (${(err as Error).message}); rebuilt it`);
    }
  }
  const reused = engine !== undefined;
  let bytes = saved?.bytes ?? 0;
  if (engine === undefined && location.build === false) return null;
  if (engine === undefined) {
    engine = WinkEngine.build(corpus.papers.map(toEngineText), options);
    const header: Header = { format: FORMAT, fingerprint, builtAt: builtAt.toISOString() };
    const contents = `${JSON.stringify(header)}\n${engine.serialize()}`;
    try {
      writeFileAtomic(file, contents);
      bytes = Buffer.byteLength(contents);
    } catch (err) {
      bytes = 0;
      warnings.push(`could not save the index to ${file} (${(err as Error).message}); it will be rebuilt next time`);
    }
  }

  const info: IndexBuildInfo = { file, bytes, builtAt, reused, elapsedMs: performance.now() - started, warnings };
  return new PaperIndex(corpus, engine, info);
}

/** One index file per corpus folder, so switching `--corpus` does not rebuild each time. */
function indexFile({ corpusDir, dataDir }: IndexLocation): string {
  const absolute = resolve(corpusDir);
  const tag = createHash('sha256').update(absolute).digest('hex').slice(0, 12);
  const name = basename(absolute).replace(/[^\w.-]+/g, '_') || 'corpus';
  return join(dataDir, 'indexes', `${name}-${tag}.idx`);
}

function readSaved(file: string): { header: Header; body: string; bytes: number } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // not built yet
  }
  const newline = text.indexOf('\n');
  try {
    const header = JSON.parse(text.slice(0, newline)) as Header;
    if (header.format !== FORMAT) return undefined;
    return { header, body: text.slice(newline + 1), bytes: statSync(file).size };
  } catch {
    return undefined; // unreadable: rebuilt and overwritten
  }
}
