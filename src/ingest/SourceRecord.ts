/**
 * A paper as a source described it, before it becomes a corpus record:
 * whatever the source (API, OAI-PMH, RSS, snapshot, file), parsers produce
 * this, and one function (toPaper) turns it into a validated Paper.
 */
export interface SourceRecord {
  /** The id as given: "2306.00980v3", "http://arxiv.org/abs/hep-th/9901001v2", "oai:arXiv.org:0704.0471". */
  id: string;
  /** Version number when the source gives it apart from the id (snapshot, OAI). */
  version?: number | null;
  /** Raw title, as served (hard wraps, LaTeX, entities decoded). */
  title?: string | null;
  /** Raw abstract, as served. */
  abstract?: string | null;
  /** Author names, one a name ("C. Balázs"), in order. */
  authors?: string[];
  /** arXiv categories, primary first. */
  categories?: string[];
  /** The journal reference, when published. */
  journalRef?: string | null;
  /** RSS only: what the announcement is. */
  announceType?: 'new' | 'cross' | 'replace' | 'replace-cross' | null;
  /** Date of the latest version or update (YYYY-MM-DD), when known. */
  updated?: string | null;
}

/** One record a parser read: usable, or rejected with the reason (which entry, what is wrong). */
export type ParsedRecord = { record: SourceRecord } | { rejected: string };

/** A response that is not what the protocol promises (not XML, cut short, an error document). */
export class MalformedResponseError extends Error {
  override name = 'MalformedResponseError';
}
