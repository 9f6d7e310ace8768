import { openPaperIndex } from '../search/openIndex.js';
import { CorpusIngest, type IngestSummary } from './CorpusIngest.js';
import { lockCorpus } from './ingestLock.js';
import type { Source } from './sources.js';

/** An ingest's outcome, for its summary line (and `--json`). */
export interface IngestReport extends IngestSummary {
  source: string;
  /** Papers in the corpus afterwards. */
  papers: number;
  corpusChanged: boolean;
  elapsedMs: number;
}

/**
 * Run one ingest: read the source into the corpus, write it atomically, then
 * bring the persisted index up to date, so corpus and index agree and a
 * running bot finds the index ready. A source that fails stops the ingest
 * before anything is written.
 */
export async function runIngest(
  name: string,
  source: Source & { clearCheckpoint?: () => void },
  location: { corpusDir: string; dataDir: string },
  onProgress?: (summary: IngestSummary) => void,
): Promise<IngestReport> {
  const started = performance.now();
  const unlock = lockCorpus(location.corpusDir);
  try {
    const ingest = CorpusIngest.open(location.corpusDir);
    const timer = onProgress ? setInterval(() => onProgress(ingest.summary), 250) : null;
    try {
      await source(ingest);
    } finally {
      if (timer) clearInterval(timer);
    }
    const corpusChanged = ingest.commit();
    source.clearCheckpoint?.();
    if (ingest.size > 0) openPaperIndex(location);
    return { ...ingest.summary, source: name, papers: ingest.size, corpusChanged, elapsedMs: performance.now() - started };
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
    ` in ${(report.elapsedMs / 1000).toFixed(1)} s; the corpus holds ${n(report.papers)} papers`
  );
}
