import type { Paper } from '../corpus/paper.js';
import { UserError } from '../errors.js';
import type { PaperSearch } from './PaperSearch.js';

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
