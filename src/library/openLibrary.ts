import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { corpusSignature, readCorpusFiles } from '../corpus/loadCorpus.js';
import { UserError } from '../errors.js';
import { SqliteLibrary } from './SqliteLibrary.js';

/** Where a library's papers come from and where it is kept. */
export interface LibraryLocation {
  /** The corpus folder: its `*.jsonl` files are the library's shipped papers. */
  corpusDir: string;
  /** The data folder: the library is `libraries/<corpus>-<hash>.sqlite` in it. */
  dataDir: string;
}

/** A library opened, and what happened on the way. */
export interface OpenedLibrary {
  library: SqliteLibrary;
  /** What the corpus files brought, when they had changed since the last open (null: unchanged). */
  sync: CorpusSync | null;
  /** Problems that did not stop it (a data folder that cannot be written: the library lives in memory). */
  warnings: string[];
}

/** What reading changed corpus files did to the library. */
export interface CorpusSync {
  files: string[];
  /** Papers in the files. */
  papers: number;
  added: number;
  updated: number;
  removed: number;
  /** True when the library was new: a corpus (from an earlier ingest, say) moved into it. */
  created: boolean;
}

/** One library per corpus folder, so switching `--corpus` keeps each apart. */
export function libraryFile({ corpusDir, dataDir }: LibraryLocation): string {
  return join(dataDir, 'libraries', `${corpusTag(corpusDir)}.sqlite`);
}

/** "corpus-3f2a…": names a corpus folder's files in the data folder. */
export function corpusTag(corpusDir: string): string {
  const absolute = resolve(corpusDir);
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 12);
  return `${basename(absolute).replace(/[^\w.-]+/g, '_') || 'corpus'}-${hash}`;
}

/**
 * Open the library of a corpus folder, first bringing in what its files
 * changed since the last open (the first open of a corpus whose
 * `papers.jsonl` an earlier PaperBot's ingest wrote moves all of it in).
 * Papers from the files follow the files: edited records replace the
 * library's, removed ones go (unless an ingest has since stored its own
 * version); ingested papers stay. Invalid files change nothing and throw
 * the UserError naming file, line and field.
 *
 * `inMemory`: when the data folder cannot be written, work from a library in
 * memory (with a warning) instead of failing; for read-only uses such as `ask`.
 */
export function openLibrary(location: LibraryLocation, { inMemory = false } = {}): OpenedLibrary {
  const warnings: string[] = [];
  corpusSignature(location.corpusDir); // a missing corpus folder is the user's to fix, before any file is made
  const file = libraryFile(location);
  let library: SqliteLibrary;
  try {
    mkdirSync(join(location.dataDir, 'libraries'), { recursive: true });
    library = SqliteLibrary.open(file);
  } catch (err) {
    const reason = (err as Error).message;
    if (!inMemory) throw new UserError('library_unavailable', `the library ${file} cannot be opened or created (${reason})`);
    warnings.push(`could not open the library ${file} (${reason}); working from memory, nothing is kept`);
    library = SqliteLibrary.open(':memory:');
  }
  try {
    return { library, sync: syncCorpusFiles(library, location.corpusDir), warnings };
  } catch (err) {
    library.close();
    throw err;
  }
}

/**
 * Bring into `library` what the corpus files of `corpusDir` changed since it
 * last read them (see openLibrary); null when they have not changed.
 */
export function syncCorpusFiles(library: SqliteLibrary, corpusDir: string): CorpusSync | null {
  const signature = corpusSignature(corpusDir);
  if (library.meta('files_signature') === signature) return null;
  const write = library.write();
  try {
    // Another process may have read the same files meanwhile: the write lock is held now, so look again.
    if (library.meta('files_signature') === signature) {
      write.rollback();
      return { files: [], papers: 0, added: 0, updated: 0, removed: 0, created: false };
    }
    const created = library.generation() === 0;
    const known = new Map<string, string>();
    for (const row of library.fileRecords()) known.set(row.id, row.hash);
    let added = 0;
    let updated = 0;
    const read = readCorpusFiles(corpusDir, (paper, line) => {
      const hash = createHash('sha1').update(line).digest('base64');
      const before = known.get(paper.id);
      known.delete(paper.id);
      if (before === hash) return;
      if (write.get(paper.id) === undefined) added++;
      else updated++;
      write.put(paper, 'file');
      library.setFileRecord(paper.id, hash);
    });
    // What is left was in the files last time and is not now.
    let removed = 0;
    for (const id of known.keys()) {
      library.deleteFileRecord(id);
      if (write.originOf(id) === 'file' && write.remove(id)) removed++;
    }
    library.setMeta('files_signature', signature);
    write.commit();
    return { files: read.files.map((f) => relative(process.cwd(), join(corpusDir, f)) || f), papers: read.papers, added, updated, removed, created };
  } catch (err) {
    write.rollback();
    throw err;
  }
}
