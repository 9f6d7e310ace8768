import type { Paper } from '../corpus/paper.js';
import type { PaperSearch } from '../search/PaperSearch.js';
import { analyzer } from '../text/analyzer.js';
import { normalizeText } from '../text/normalize.js';

/** One paper of a digest, and the words that made it match. */
export interface DigestItem {
  paper: Paper;
  score: number;
  /** The topic's words as they appear in the paper ("transformers", "vision"). */
  matchedWords: string[];
}

/**
 * The papers a digest on `topic` would bring now: those matching it (the
 * search's no-match rule applies) that `alreadySent` lacks, best first, at
 * most `max`. Pure: it reads the search and the given set, writes nothing.
 */
export function composeDigest(search: PaperSearch, topic: string, alreadySent: ReadonlySet<string>, max: number, category: string | null = null): DigestItem[] {
  return search
    .search(topic, { limit: max, exclude: alreadySent, ...(category !== null && { filter: { categories: [category] } }) })
    .hits.map((hit) => ({ paper: hit.paper, score: hit.score, matchedWords: surfaceWords(hit.paper, hit.matchedTerms) }));
}

/** For each matched term, the first word of the title or abstract it came from. */
function surfaceWords(paper: Paper, terms: readonly string[]): string[] {
  const wanted = new Set(terms);
  const words = new Map<string, string>();
  for (const text of [normalizeText(paper.title), normalizeText(paper.abstract)]) {
    for (const span of analyzer.spans(text)) {
      if (wanted.has(span.term) && !words.has(span.term)) words.set(span.term, text.slice(span.start, span.end));
    }
  }
  return terms.map((t) => words.get(t) ?? t);
}
