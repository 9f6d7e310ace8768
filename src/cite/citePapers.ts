import { canonicalArxivId, type Paper } from '../corpus/paper.js';
import { UserError } from '../errors.js';
import type { PaperSearch } from '../search/PaperSearch.js';
import { paperNamed } from '../search/paperNamed.js';
import { CITATION_FORMATS, citations, type Citation, type CitationFormat } from './citation.js';

/** What `paperbot cite` prints: the format and one entry a paper. */
export interface CitationResult {
  format: CitationFormat;
  entries: Citation[];
}

// Papers one `--ids` may name.
export const MAX_CITED = 500;

/** A format as typed, checked: bibtex (the default), ris or apa. */
export function citationFormat(raw: string | undefined | null, option = '--format'): CitationFormat {
  if (raw === undefined || raw === null) return 'bibtex';
  const format = raw.trim().toLowerCase();
  if (!(CITATION_FORMATS as readonly string[]).includes(format)) throw new UserError('bad_format', `${option} must be one of ${CITATION_FORMATS.join(', ')}, not "${raw}"`);
  return format as CitationFormat;
}

/**
 * Citations of the paper `text` names (an id or a title), or of the papers
 * `ids` lists (comma-separated arXiv ids, in that order, each once). Unknown
 * ids are named together in one not_found error.
 */
export function citePapers(search: PaperSearch, request: { text?: string; ids?: string; format?: string }): CitationResult {
  const format = citationFormat(request.format);
  const text = request.text?.trim() ?? '';
  if (request.ids !== undefined && text !== '') throw new UserError('bad_option', 'cite takes a paper or --ids, not both');
  if (request.ids === undefined) {
    if (text === '') throw new UserError('query_empty', 'which paper? paperbot cite <arXiv id> | "<title>", or --ids ID,ID');
    return { format, entries: citations([paperNamed(search, text)], format) };
  }
  const typed = [...new Set(request.ids.split(',').map((id) => id.trim()).filter(Boolean))];
  if (typed.length === 0) throw new UserError('bad_option', '--ids needs arXiv ids separated by commas, e.g. --ids 2306.00980,2212.08059');
  if (typed.length > MAX_CITED) throw new UserError('bad_option', `--ids names ${typed.length} papers; at most ${MAX_CITED} a run`);
  const papers: Paper[] = [];
  const unknown: string[] = [];
  for (const id of typed) {
    const paper = search.paper(canonicalArxivId(id)?.id ?? id);
    if (paper === undefined) unknown.push(id);
    else papers.push(paper);
  }
  if (unknown.length > 0) throw new UserError('not_found', `no paper in the library has the id${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}`);
  return { format, entries: citations(papers, format) };
}
