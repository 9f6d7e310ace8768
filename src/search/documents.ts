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
 * that name and either the word means nothing else there ("yanyu"), or it is
 * written as part of a name: capitalised, not first, and next to another
 * capitalised name or after "by" ("What did Yanyu Li", "papers by Kaiming
 * He"). A lone capitalised word that is also a word ("holiday in Spain"), or a
 * lower-case one ("long"), stays a word, so an author called Spain or Long
 * does not win a topic question. A word that only names an author searches
 * by the name alone, so its unknown stem does not count against coverage.
 */
export function questionQuery(question: string, termWeight: (term: string) => number): QuestionQuery {
  const terms = new Set<string>();
  const searched = new Set<string>();
  const words = analyzer.words(normalizeText(question)).map((written, i) => {
    const stems = termsOf(analyzer.wordTerms(written));
    const names = termsOf(nameWordTerms(written)).filter((n) => termWeight(n) > 0);
    return { written, stems, names, known: stems.some((t) => termWeight(t) > 0), capitalisedName: i > 0 && names.length > 0 && CAPITALISED.test(written) };
  });
  words.forEach(({ stems, names, known, capitalisedName }, i) => {
    const inName = capitalisedName && (words[i - 1]?.capitalisedName || words[i + 1]?.capitalisedName || words[i - 1]?.written.toLowerCase() === 'by');
    const asName = names.length > 0 && (inName || (stems.length > 0 && !known));
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
