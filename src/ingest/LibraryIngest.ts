import type { Paper } from '../corpus/paper.js';
import type { LibraryWrite, PaperLibrary } from '../library/PaperLibrary.js';
import type { ParsedRecord } from './SourceRecord.js';
import { toPaper } from './toPaper.js';

const MAX_EXAMPLES = 5;

/** Where a rejected record was: "file.jsonl:7: ", "file.json: item 3: ", "line 7 (2401.00001): ", "2401.00001: ". */
const LOCATION = /^(?:.*?:\d+:|.*?: (?=(?:entry|item|record|line) \d+)|(?:entry|item|record|line) \d+(?: \([^)]*\))?:|[\w./-]*\d[\w./-]*:)\s*/;

/**
 * What is wrong with a rejected record, without what tells it from the
 * others: its location, the values it quotes and the parser's detail.
 * "file.jsonl:7: field "id": "x" is not an arXiv id (expected …)" is
 * counted as "field "id": … is not an arXiv id".
 */
export function rejectionKind(reason: string): string {
  let problem = reason;
  for (let at = LOCATION.exec(problem); at !== null; at = LOCATION.exec(problem)) problem = problem.slice(at[0].length);
  // Quoted values first: one may hold a "(".
  return problem
    .replace(/(field )?"(?:[^"\\]|\\.)*"/g, (quoted, field: string | undefined) => (field ? quoted.replace(/\.\d+(?=[."])/g, '.N') : '…'))
    .replace(/\s*\(.*\)$/, '');
}

/** What an ingest did, for its summary line. */
export interface IngestSummary {
  read: number;
  added: number;
  /** Replaced by a newer version. */
  updated: number;
  /** Already in the library at this version or newer. */
  unchanged: number;
  /** RSS "replace" announcements of papers the library does not hold. */
  skipped: number;
  rejected: number;
  /** Why records were rejected, counted ("no abstract": 3). */
  reasons: Map<string, number>;
  /** The first rejected record of each kind, for the summary and the log (at most 5). */
  examples: string[];
  /** What the user should know about a source that ended early ("stopped at 10 of 40 results: …"). */
  notes: string[];
}

/**
 * One ingest into a paper library: offer records from any source, then
 * `commit`. Everything happens in one library write, so until the commit
 * nobody sees a change, and an ingest that fails or is killed midway
 * leaves the library as it was. Only the papers offered are written, never
 * the rest. One paper, one record: the same canonical id from any source
 * merges, and a newer version replaces the older record's text (keeping
 * curated fields: venue, code).
 */
export class LibraryIngest {
  private readonly write: LibraryWrite;
  readonly summary: IngestSummary = { read: 0, added: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, reasons: new Map(), examples: [], notes: [] };

  constructor(readonly library: PaperLibrary) {
    this.write = library.write();
  }

  /** Papers the library will hold after commit. */
  get size(): number {
    return this.library.size();
  }

  /** Offer what a parser read. */
  offer(parsed: ParsedRecord): void {
    this.summary.read++;
    if ('rejected' in parsed) return this.countRejection(parsed.rejected);
    const converted = toPaper(parsed.record);
    if ('rejected' in converted) return this.countRejection(converted.rejected);
    const replaceOnly = parsed.record.announceType === 'replace' || parsed.record.announceType === 'replace-cross';
    this.merge(converted.paper, replaceOnly);
  }

  /** Offer a record already in the corpus schema (a corpus file). */
  offerPaper(paper: Paper): void {
    this.summary.read++;
    this.merge(paper, false);
  }

  /** Count a record that could not be read at all. */
  reject(reason: string): void {
    this.summary.read++;
    this.countRejection(reason);
  }

  /** Say something about the ingest in its summary. */
  note(message: string): void {
    this.summary.notes.push(message);
  }

  /** Make the changes visible; returns whether anything changed. */
  commit(): boolean {
    const before = this.library.generation();
    return this.write.commit() !== before;
  }

  /** Drop every change: the library stays as it was. */
  abort(): void {
    this.write.rollback();
  }

  private countRejection(reason: string): void {
    this.summary.rejected++;
    const kind = rejectionKind(reason);
    const count = this.summary.reasons.get(kind) ?? 0;
    this.summary.reasons.set(kind, count + 1);
    if (count === 0 && this.summary.examples.length < MAX_EXAMPLES) this.summary.examples.push(reason);
  }

  private merge(incoming: Paper, replaceOnly: boolean): void {
    const existing = this.write.get(incoming.id)?.paper;
    if (existing === undefined) {
      if (replaceOnly) {
        this.summary.skipped++;
        return;
      }
      this.write.put(incoming, 'ingest');
      this.summary.added++;
      return;
    }
    // A version the library does not know (null) is older than any stated one.
    if ((incoming.version ?? 0) <= (existing.version ?? 0)) {
      this.summary.unchanged++;
      return;
    }
    this.write.put(
      {
        ...incoming,
        venue: existing.venue ?? incoming.venue,
        code: existing.code ?? incoming.code,
        categories: incoming.categories.length > 0 ? incoming.categories : existing.categories,
      },
      'ingest',
    );
    this.summary.updated++;
  }
}
