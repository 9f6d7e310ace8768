import type { Paper } from '../corpus/paper.js';
import { analyzer } from '../text/analyzer.js';
import { normalizeText } from '../text/normalize.js';

/** The text of one paper as engines index it (display-normalised). */
export interface EngineDocument {
  title: string;
  abstract: string;
  /** Author names joined by ", ". */
  authors: string;
}

/** What an engine indexes of a paper: its text, and the fields filters test. */
export type IndexablePaper = Pick<Paper, 'title' | 'abstract' | 'authors' | 'year' | 'categories'>;

/** A paper to index and its library number. */
export interface IndexEntry {
  doc: number;
  paper: IndexablePaper;
}

/** The indexed text of a paper: display-normalised title, abstract and authors. */
export function toEngineText(paper: { title: string; abstract: string; authors: readonly string[] }): EngineDocument {
  return {
    title: normalizeText(paper.title),
    abstract: normalizeText(paper.abstract),
    authors: paper.authors.map(normalizeText).join(', '),
  };
}

/** The distinct analysed terms of a question, as every engine receives them. */
export function queryTerms(question: string): string[] {
  return analyzer.queryTerms(normalizeText(question));
}
