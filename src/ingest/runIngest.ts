import { mkdirSync } from 'node:fs';
import { UserError } from '../errors.js';
import { libraryFile, openLibrary } from '../library/openLibrary.js';
import type { Progress } from '../progress.js';
import { openSearch, unsavedIndexParts } from '../search/openSearch.js';
import { LibraryIngest, type IngestSummary } from './LibraryIngest.js';
import { lockLibrary } from './ingestLock.js';
import type { Source } from './sources.js';

/** An ingest's outcome, for its summary line (and `--json`). */
export interface IngestReport extends IngestSummary {
  source: string;
  /** Papers in the library afterwards. */
  papers: number;
  libraryChanged: boolean;
  /** What updating the index did ("added a segment of 1,000 papers"). */
  index: string[];
  elapsedMs: number;
}

/** Where an ingest writes, and with which engine. */
export interface IngestLocation {
  corpusDir: string;
  dataDir: string;
  engine?: string;
}

/**
 * Run one ingest: read the source into the library in one write, commit it,
 * then bring the engine's index and the title index up to date, so a
 * running bot finds them ready. A source that fails, or a kill, rolls the
 * write back: the library stays as it was. An index that cannot be saved
 * is an error ('index_unsaved') after the papers are in: the next start
 * rebuilds it, and the caller must not report success.
 */
export async function runIngest(
  name: string,
  source: Source & { clearCheckpoint?: () => void },
  location: IngestLocation,
  progress?: { reading?: (summary: IngestSummary) => void; indexing?: (label: string, total: number) => Progress },
): Promise<IngestReport> {
  const started = performance.now();
  mkdirSync(location.corpusDir, { recursive: true });
  const unlock = lockLibrary(libraryFile(location));
  try {
    const { library } = openLibrary(location);
    let libraryChanged: boolean;
    let summary: IngestSummary;
    let papers: number;
    try {
      const ingest = new LibraryIngest(library);
      const timer = progress?.reading ? setInterval(() => progress.reading!(ingest.summary), 250) : null;
      try {
        await source(ingest);
      } catch (err) {
        ingest.abort();
        throw err;
      } finally {
        if (timer) clearInterval(timer);
      }
      libraryChanged = ingest.commit();
      summary = ingest.summary;
      papers = library.size();
    } finally {
      library.close();
    }
    source.clearCheckpoint?.();
    const report = { ...summary, source: name, papers, libraryChanged, index: [] as string[], elapsedMs: 0 };
    if (libraryChanged || summary.read > 0) {
      let search;
      try {
        search = openSearch({ ...location, loadTitles: true, progress: progress?.indexing });
      } catch (err) {
        if (err instanceof UserError && err.code === 'corpus_empty') return { ...report, elapsedMs: performance.now() - started };
        throw err;
      }
      try {
        report.index = search.info.actions;
        const unsaved = unsavedIndexParts(search.info);
        if (unsaved.length > 0) {
          throw new UserError('index_unsaved', `the papers are in the library, but ${unsaved.join('; ')}`);
        }
      } finally {
        search.library.close();
      }
    }
    return { ...report, elapsedMs: performance.now() - started };
  } finally {
    unlock();
  }
}

/** "ingest rss cs.CV: read 120, added 100, updated 5, unchanged 10, skipped 0, rejected 5 (3 abstract is missing, …) in 3.2 s" */
export function formatIngestReport(report: IngestReport): string {
  const reasons = [...report.reasons].map(([reason, n]) => `${n} ${reason}`).join('; ');
  const n = (x: number) => x.toLocaleString('en');
  return (
    `ingest ${report.source}: read ${n(report.read)}, added ${n(report.added)}, updated ${n(report.updated)}, ` +
    `unchanged ${n(report.unchanged)}, skipped ${n(report.skipped)}, rejected ${n(report.rejected)}${reasons ? ` (${reasons})` : ''}` +
    ` in ${(report.elapsedMs / 1000).toFixed(1)} s; the library holds ${n(report.papers)} papers` +
    (report.index.length > 0 ? `; index: ${report.index.join(', ')}` : '') +
    report.notes.map((note) => `; ${note}`).join('')
  );
}
