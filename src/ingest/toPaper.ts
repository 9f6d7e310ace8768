import { canonicalArxivId, paperRecordSchema, type Paper } from '../corpus/paper.js';
import type { SourceRecord } from './SourceRecord.js';

/** The year of first submission, which every arXiv id encodes: 2306.00980 → 2023, hep-th/9901001 → 1999. */
export function yearOfId(id: string): number {
  const yy = Number((/(\d{2})\d{2}[.\d]*$/.exec(id.includes('/') ? id.split('/')[1]! : id) ?? [])[1]);
  return yy >= 91 ? 1900 + yy : 2000 + yy;
}

/**
 * A source's record as a corpus Paper, validated by the corpus schema (so a
 * 10 MB abstract or a record without a title is rejected with the reason), or
 * the reason it cannot be one. Title and abstract keep the source's raw text.
 */
export function toPaper(record: SourceRecord): { paper: Paper } | { rejected: string } {
  const canonical = canonicalArxivId(record.id);
  if (canonical === null) return { rejected: `${JSON.stringify(record.id.slice(0, 80))} is not an arXiv id` };
  const { id } = canonical;
  const version = record.version ?? canonical.version;
  const candidate = {
    id,
    version,
    title: record.title ?? undefined,
    authors: record.authors ?? [],
    abstract: record.abstract ?? undefined,
    year: yearOfId(id),
    venue: record.journalRef?.replace(/\s+/g, ' ').trim() || null,
    categories: (record.categories ?? []).filter((c) => /^[a-zA-Z-]+(\.[a-zA-Z-]+)?$/.test(c)),
    links: { abs: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` },
    code: null,
  };
  const parsed = paperRecordSchema.safeParse(candidate);
  if (parsed.success) return { paper: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  const value = issue.path.reduce<unknown>((at, key) => (at as Record<PropertyKey, unknown> | undefined)?.[key], candidate);
  return { rejected: `${id}: ${field ? `${field} ` : ''}${value === undefined ? 'is missing' : issue.message.replace(/^Invalid input: /, '')}` };
}
