import type { Paper } from '../corpus/paper.js';
import type { PaperHit, SearchResult } from '../search/PaperSearch.js';
import { normalizeText } from '../text/normalize.js';

/**
 * A found paper as every renderer shows it (and as `--json` prints it):
 * display-normalised text, links, score and answer.
 */
export interface PaperView {
  id: string;
  title: string;
  authors: string[];
  year: number;
  venue: string | null;
  categories: string[];
  /** The whole abstract, display-normalised. */
  abstract: string;
  url: string;
  pdf: string | null;
  code: string | null;
  score: number;
  answer: string;
  /** [start, end) offsets into `answer` of the words that match the question. */
  highlights: [number, number][];
  /** The matched terms as indexed (stems; `@name` for an author's name). */
  matchedTerms: string[];
  /** The matched words as the paper writes them. */
  matchedWords: string[];
  /** The authors the question names. */
  matchedAuthors: string[];
  /** The sentence encoder's cosine similarity, when one was used. */
  similarity?: number;
}

export function toPaperView(hit: PaperHit): PaperView {
  return {
    ...describePaper(hit.paper),
    score: hit.score,
    answer: hit.answer.text,
    highlights: hit.answer.highlights.map((h) => [h.start, h.end]),
    matchedTerms: hit.matchedTerms,
    matchedWords: hit.matchedWords,
    matchedAuthors: hit.matchedAuthors,
    ...(hit.similarity !== undefined && { similarity: hit.similarity }),
  };
}

/** The paper's own fields, normalised for display. */
export function describePaper(paper: Paper) {
  return {
    id: paper.id,
    title: normalizeText(paper.title),
    authors: paper.authors.map(normalizeText),
    year: paper.year,
    venue: paper.venue === null ? null : normalizeText(paper.venue),
    categories: paper.categories,
    abstract: normalizeText(paper.abstract),
    url: paper.links.abs,
    pdf: paper.links.pdf,
    code: paper.code,
  };
}

/** The JSON document `ask` and `paper` print. */
export function toResultJson(result: SearchResult): { query: string; via: string; results: PaperView[] } {
  return { query: result.query, via: result.via, results: result.hits.map(toPaperView) };
}

/**
 * "A, B, C et al." for more than `max` authors; an author the question named
 * is always shown ("A, B, C, … N et al."). `show` writes each name shown
 * (escaped, or marked when the question named it): only those are touched,
 * however long the list.
 */
export function authorLine(
  authors: readonly string[],
  matched: readonly string[] = [],
  show: (name: string, named: boolean) => string = (name) => name,
  max = 3,
): string {
  const named = new Set(matched);
  const parts: string[] = [];
  let shown = 0;
  authors.forEach((name, i) => {
    if (i >= max && !named.has(name)) return;
    if (i > shown) parts.push('…');
    parts.push(show(name, named.has(name)));
    shown = i + 1;
  });
  const line = parts.join(', ');
  return shown < authors.length ? `${line} et al.` : line;
}

/**
 * The answer cut into plain and matched pieces, in order, so each renderer
 * marks (and escapes) them its own way.
 */
export function answerSegments(view: Pick<PaperView, 'answer' | 'highlights'>): { text: string; matched: boolean }[] {
  const segments: { text: string; matched: boolean }[] = [];
  let at = 0;
  for (const [start, end] of view.highlights) {
    if (start > at) segments.push({ text: view.answer.slice(at, start), matched: false });
    segments.push({ text: view.answer.slice(start, end), matched: true });
    at = end;
  }
  if (at < view.answer.length) segments.push({ text: view.answer.slice(at), matched: false });
  return segments;
}

