import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../corpus/loadCorpus.js';
import type { Paper } from '../corpus/paper.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../writeFileAtomic.js';
import type { ParsedRecord } from './SourceRecord.js';
import { toPaper } from './toPaper.js';

/** The file an ingest writes: the whole corpus, one paper a line. */
export const CORPUS_FILE = 'papers.jsonl';

/** What an ingest did, for its summary line. */
export interface IngestSummary {
  read: number;
  added: number;
  /** Replaced by a newer version. */
  updated: number;
  /** Already in the corpus at this version or newer. */
  unchanged: number;
  /** RSS "replace" announcements of papers the corpus does not hold. */
  skipped: number;
  rejected: number;
  /** Why records were rejected, counted ("no abstract": 3). */
  reasons: Map<string, number>;
  /** Some rejected records, for the log (at most 20). */
  examples: string[];
}

/**
 * One ingest into a corpus folder: offer records from any source, then
 * `commit` writes the merged corpus atomically (temporary file, fsync,
 * rename). Until then nothing on disk changes, so an ingest that fails or is
 * killed midway leaves the previous corpus as it was. One paper, one record:
 * the same canonical id from any source merges, and a newer version replaces
 * the older record's text (keeping curated fields: venue, code).
 */
export class CorpusIngest {
  private readonly papers = new Map<string, Paper>();
  private changed = false;
  readonly summary: IngestSummary = { read: 0, added: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, reasons: new Map(), examples: [] };

  private constructor(readonly corpusDir: string) {}

  /** Start an ingest into `corpusDir`, which may not exist yet (an empty corpus). */
  static open(corpusDir: string): CorpusIngest {
    const ingest = new CorpusIngest(corpusDir);
    if (!existsSync(corpusDir)) return ingest;
    const others = readdirSync(corpusDir).filter((f) => f.endsWith('.jsonl') && f !== CORPUS_FILE);
    if (others.length > 0) {
      throw new UserError('corpus_invalid', `ingest keeps the whole corpus in ${join(corpusDir, CORPUS_FILE)}; merge ${others.join(', ')} into it first`);
    }
    if (existsSync(join(corpusDir, CORPUS_FILE))) {
      try {
        for (const paper of loadCorpus(corpusDir).papers) ingest.papers.set(paper.id, paper);
      } catch (err) {
        if (!(err instanceof UserError && err.code === 'corpus_empty')) throw err;
      }
    }
    return ingest;
  }

  /** Papers the corpus will hold after commit. */
  get size(): number {
    return this.papers.size;
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

  private countRejection(reason: string): void {
    this.summary.rejected++;
    // "file.jsonl:7: 2401.00001: abstract is missing" is counted as "abstract is missing".
    const kind = reason
      .replace(/^.*?:\d+:\s*/, '')
      .replace(/^(?:entry|item|record|line) \d+(?: \([^)]*\))?:\s*/, '')
      .replace(/^[\w./-]*\d[\w./-]*:\s*/, '')
      .replace(/\d[\d,]*/g, 'N');
    this.summary.reasons.set(kind, (this.summary.reasons.get(kind) ?? 0) + 1);
    if (this.summary.examples.length < 20) this.summary.examples.push(reason);
  }

  /**
   * Write the corpus if anything changed; returns whether it did. A crash
   * before the rename leaves the old file; after it, the new one.
   */
  commit(): boolean {
    if (!this.changed) return false;
    const lines = [...this.papers.values()].map((p) => JSON.stringify(p));
    writeFileAtomic(join(this.corpusDir, CORPUS_FILE), `${lines.join('\n')}\n`);
    return true;
  }

  private merge(incoming: Paper, replaceOnly: boolean): void {
    const existing = this.papers.get(incoming.id);
    if (existing === undefined) {
      if (replaceOnly) {
        this.summary.skipped++;
        return;
      }
      this.papers.set(incoming.id, incoming);
      this.summary.added++;
      this.changed = true;
      return;
    }
    // A version the corpus does not know (null) is older than any stated one.
    if ((incoming.version ?? 0) <= (existing.version ?? 0)) {
      this.summary.unchanged++;
      return;
    }
    this.papers.set(incoming.id, {
      ...incoming,
      venue: existing.venue ?? incoming.venue,
      code: existing.code ?? incoming.code,
      categories: incoming.categories.length > 0 ? incoming.categories : existing.categories,
    });
    this.summary.updated++;
    this.changed = true;
  }
}
