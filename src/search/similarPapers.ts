import type { Paper } from '../corpus/paper.js';
import { paperNamed } from './paperNamed.js';
import type { PaperSearch, SearchOptions, SearchResult } from './PaperSearch.js';

/** The papers nearest one paper, and that paper. */
export interface SimilarPapers {
  paper: Paper;
  result: SearchResult;
}

/** The papers nearest the paper `text` names (see paperNamed). */
export function similarPapers(search: PaperSearch, text: string, options: SearchOptions = {}): SimilarPapers {
  const paper = paperNamed(search, text);
  return { paper, result: search.similar(paper.id, options)! };
}

// Words a "shares" line names.
const SHARED_WORDS = 6;

/**
 * What a similar paper shares, for a "shares: …" line: at most `max` words,
 * leaving out the parts of a compound also shown ("black-box" hides "black"
 * and "box"), and each word once whatever its case.
 */
export function sharedWords(words: readonly string[], max = SHARED_WORDS): string[] {
  const lower = words.map((w) => w.toLowerCase());
  const parts = new Set(lower.filter((w) => /[-‐]/.test(w)).flatMap((w) => w.split(/[-‐]/)));
  const seen = new Set<string>();
  return words.filter((_, i) => !parts.has(lower[i]!) && !seen.has(lower[i]!) && seen.add(lower[i]!)).slice(0, max);
}
