import type { Paper } from '../corpus/paper.js';
import { analyzer, NAME_PREFIX, nameWordTerms } from '../text/analyzer.js';
import { normalizeText } from '../text/normalize.js';
import type { QueryTerm } from './Retriever.js';

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

/** A question as the retriever gets it, and its word terms (what answers are picked by). */
export interface QuestionQuery {
  /** Distinct stemmed terms of the question's words, in order. */
  terms: string[];
  /** The terms searched: `terms`, and the author-name terms the question names. */
  query: QueryTerm[];
}

// Capitalised, not all capitals: "Li", "Wang", "He" may be surnames; "BERT" is a model.
const CAPITALISED = /^\p{Lu}\p{Ll}/u;
const termsOf = (found: string | readonly string[] | null): readonly string[] => (found === null ? [] : typeof found === 'string' ? [found] : found);

/**
 * The query of a question. A word asks for an author when the library has
 * that name and either the word means nothing else there ("Yanyu"), or it is
 * written capitalised after the first word ("papers by Kaiming He"); a
 * lower-case word that is also a name ("long", "he") stays a word, so an
 * author called Long does not win "long document retrieval". A word that
 * only names an author searches by the name alone, so its unknown stem does
 * not count against the coverage.
 */
export function questionQuery(question: string, termWeight: (term: string) => number): QuestionQuery {
  const terms = new Set<string>();
  const searched = new Set<string>();
  analyzer.words(normalizeText(question)).forEach((written, i) => {
    const stems = termsOf(analyzer.wordTerms(written));
    const names = termsOf(nameWordTerms(written)).filter((n) => termWeight(n) > 0);
    const known = stems.some((t) => termWeight(t) > 0);
    const capitalised = i > 0 && CAPITALISED.test(written);
    const asName = names.length > 0 && (capitalised || (stems.length > 0 && !known));
    for (const t of stems) terms.add(t);
    if (!asName || known) for (const t of stems) searched.add(t);
    if (asName) for (const n of names) searched.add(n);
  });
  return { terms: [...terms], query: [...searched].map((term) => ({ term, weight: 1 })) };
}

/** True for a term of the authors field. */
export function isNameTerm(term: string): boolean {
  return term.startsWith(NAME_PREFIX);
}
