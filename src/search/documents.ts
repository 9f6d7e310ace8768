import { analyzer } from '../text/analyzer.js';
import { normalizeText } from '../text/normalize.js';
import type { EngineDocument } from './SearchEngine.js';

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
