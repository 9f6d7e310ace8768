import type { Paper } from '../corpus/paper.js';
import { UserError } from '../errors.js';
import type { PaperSearch, SearchOptions, SearchResult } from './PaperSearch.js';

/** The papers nearest one paper, and that paper. */
export interface SimilarPapers {
  paper: Paper;
  result: SearchResult;
}

/**
 * The paper `text` names: an arXiv id or URL, or a title (as `paperbot paper`
 * finds it). A text naming no paper is a not_found error, never whatever
 * paper its words happen to match.
 */
export function paperNamed(search: PaperSearch, text: string): Paper {
  const found = search.lookup(text, { limit: 1 });
  const paper = found.via === 'id' || found.via === 'title' ? found.hits[0]?.paper : undefined;
  if (paper === undefined) throw new UserError('not_found', `no paper in the library has the id or title "${text.length > 80 ? `${text.slice(0, 79)}…` : text}"`);
  return paper;
}

/** The papers nearest the paper `text` names (see paperNamed). */
export function similarPapers(search: PaperSearch, text: string, options: SearchOptions = {}): SimilarPapers {
  const paper = paperNamed(search, text);
  return { paper, result: search.similar(paper.id, options)! };
}

/**
 * What a similar paper shares, for a "shares: …" line: at most `max` words,
 * leaving out the parts of a compound also shown ("black-box" hides "black"
 * and "box"), and each word once whatever its case.
 */
export function sharedWords(words: readonly string[], max: number): string[] {
  const lower = words.map((w) => w.toLowerCase());
  const parts = new Set(lower.filter((w) => /[-‐]/.test(w)).flatMap((w) => w.split(/[-‐]/)));
  const seen = new Set<string>();
  return words.filter((_, i) => !parts.has(lower[i]!) && !seen.has(lower[i]!) && seen.add(lower[i]!)).slice(0, max);
}
