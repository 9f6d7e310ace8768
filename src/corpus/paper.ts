import { z } from 'zod';

// New-style ids (0704.0001, 2306.00980) and old-style ones (hep-th/9901001,
// math.AG/0601001), always without the version suffix.
const NEW_STYLE_ID = /^\d{4}\.\d{4,5}$/;
const OLD_STYLE_ID = /^[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?\/\d{7}$/;
const VERSIONED_ID = /^(.+?)v(\d+)$/;

/** True when `id` is a canonical arXiv identifier (no version). */
export function isCanonicalArxivId(id: string): boolean {
  return NEW_STYLE_ID.test(id) || OLD_STYLE_ID.test(id);
}

// What may wrap an id: an abs/pdf URL, the OAI prefix, "arXiv:", a version.
const ID_PREFIX = /^(?:https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\/|oai:arXiv\.org:|arxiv:)/i;
const VERSION = /v(\d+)$/;

/** "http://arxiv.org/abs/2306.00980v3" → { id: "2306.00980", version: 3 }; null when not an arXiv id. */
export function canonicalArxivId(raw: string): { id: string; version: number | null } | null {
  const bare = raw.trim().replace(ID_PREFIX, '').replace(/\.pdf$/, '');
  const versioned = VERSION.exec(bare);
  const id = versioned ? bare.slice(0, versioned.index) : bare;
  if (!isCanonicalArxivId(id)) return null;
  return { id, version: versioned ? Number(versioned[1]) : null };
}

// The year and month an id was given in: YYMM before the dot (2306.00980) or after the slash (hep-th/9901001).
const ID_MONTH = /^(?:(\d{2})(\d{2})\.\d{4,5}|[^/]+\/(\d{2})(\d{2})\d{3})$/;

/**
 * The month (1-12) of first submission, from the arXiv id: 2306.00980 → 6,
 * cs/0701001 → 1. Null when the id's year is not the paper's (a record whose
 * year came from elsewhere): its month cannot be trusted then.
 */
export function submissionMonth(paper: Pick<Paper, 'id' | 'year'>): number | null {
  const match = ID_MONTH.exec(paper.id);
  if (match === null) return null;
  const yy = Number(match[1] ?? match[3]);
  const month = Number(match[2] ?? match[4]);
  return yy === paper.year % 100 && month >= 1 && month <= 12 ? month : null;
}

const arxivId = z.string().superRefine((id, ctx) => {
  if (isCanonicalArxivId(id)) return;
  const versioned = VERSIONED_ID.exec(id);
  const message =
    versioned && isCanonicalArxivId(versioned[1]!)
      ? `"${id}" carries a version: store id "${versioned[1]}" and version ${versioned[2]}`
      : `"${id}" is not an arXiv id (expected e.g. 2306.00980 or hep-th/9901001)`;
  ctx.addIssue({ code: 'custom', message });
});

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
  .max(300, 'URL longer than 300 characters')
  .refine((u) => !/\s/.test(u), 'a URL holds no spaces');
// The abstract page and the PDF are arXiv's: a corpus record cannot point them elsewhere.
const arxivUrl = httpUrl.refine((u) => /^(?:www\.|export\.)?arxiv\.org$/.test(new URL(u).hostname), "expected an arXiv URL (https://arxiv.org/…)");
const text = (maxLength = 1_000) =>
  z
    .string({ error: 'expected a string' })
    .max(maxLength, `longer than ${maxLength.toLocaleString('en')} characters`)
    .refine((s) => s.trim().length > 0, 'is empty');

/**
 * One line of a corpus file. Title and abstract are stored exactly as the
 * source gave them (LaTeX, hard wraps and all); display and indexing normalise.
 */
export const paperRecordSchema = z.strictObject({
  /** Canonical arXiv id, without version. */
  id: arxivId,
  /** The arXiv version the title and abstract were taken from; null when not known. */
  version: z.number().int().min(1).nullable(),
  title: text(),
  authors: z.array(text()).min(1, 'at least one author is required').max(5_000),
  abstract: text(20_000),
  year: z.number().int().min(1991, 'arXiv starts in 1991').max(2100),
  /** Where the paper was published ("NeurIPS 2023"); null for a preprint or when unknown. */
  venue: text().nullable(),
  /** arXiv categories, primary first; empty when not known. */
  categories: z.array(z.string().regex(/^[a-zA-Z-]+(\.[a-zA-Z-]+)?$/, 'expected an arXiv category such as cs.CV')),
  links: z.strictObject({
    abs: arxivUrl,
    pdf: arxivUrl.nullable(),
  }),
  /** The official code repository, or null. */
  code: httpUrl.nullable(),
});

/** A validated corpus record. */
export type Paper = z.infer<typeof paperRecordSchema>;
