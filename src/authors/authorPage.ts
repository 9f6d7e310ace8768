import type { Paper } from '../corpus/paper.js';
import { UserError } from '../errors.js';
import type { PaperSearch } from '../search/PaperSearch.js';
import { normalizeText } from '../text/normalize.js';
import { nameKey } from './authorNames.js';
import type { AuthorName } from './AuthorIndex.js';

/** What `paperbot author` and /author show. */
export interface AuthorPage {
  query: string;
  /** The names that match, with their paper counts, most first. */
  names: { name: string; papers: number }[];
  /** Their papers, newest first, at most the limit asked. */
  papers: Paper[];
  /** Papers in all. */
  total: number;
  coauthors: { name: string; papers: number }[];
  categories: { category: string; papers: number }[];
  /**
   * The papers split into this many groups sharing no co-author: more than
   * one, and the name is likely several people.
   */
  groups: number;
}

// Co-authors and categories an author page names.
const TOP = 5;

/**
 * The papers signed by a name matching `query` (initials, accents, hyphens
 * and "Family, Given" order tolerated), newest first, with the co-authors and
 * categories they have most. An unknown name is a not_found error.
 */
export function authorPage(search: PaperSearch, query: string, { limit = 10 } = {}): AuthorPage {
  const trimmed = query.trim();
  if (trimmed === '') throw new UserError('query_empty', 'which author? paperbot author "<name>"');
  const { names, papers } = papersBy(search, trimmed);
  if (names.length === 0) throw unknownAuthor(trimmed);
  const keys = new Set(names.map((n) => nameKey(n.parts)));
  const index = search.authors();

  // Co-authors by key, shown as first written; papers joined when they share one (union-find).
  const coauthors = new Map<string, { name: string; papers: number }>();
  const parent = papers.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  const firstPaperOf = new Map<string, number>();
  const categories = new Map<string, number>();
  papers.forEach((paper, i) => {
    for (const author of paper.authors) {
      const key = index.keyOf(author);
      if (keys.has(key)) continue;
      const entry = coauthors.get(key);
      if (entry === undefined) coauthors.set(key, { name: normalizeText(author), papers: 1 });
      else entry.papers++;
      const first = firstPaperOf.get(key);
      if (first === undefined) firstPaperOf.set(key, i);
      else parent[root(i)] = root(first);
    }
    const category = paper.categories[0];
    if (category !== undefined) categories.set(category, (categories.get(category) ?? 0) + 1);
  });
  const byCount = <T extends { papers: number }>(label: (item: T) => string) => (a: T, b: T) => b.papers - a.papers || label(a).localeCompare(label(b));
  return {
    query: trimmed,
    names: names.map((n) => ({ name: n.name, papers: n.docs.length })),
    papers: papers.slice(0, limit),
    total: papers.length,
    coauthors: [...coauthors.values()].sort(byCount((c) => c.name)).slice(0, TOP),
    categories: [...categories].map(([category, n]) => ({ category, papers: n })).sort(byCount((c) => c.category)).slice(0, TOP),
    groups: new Set(papers.map((_, i) => root(i))).size,
  };
}

/** The not_found error of a name no author of the library has. */
export function unknownAuthor(query: string): UserError {
  return new UserError('not_found', `no author in the library is called "${query.length > 80 ? `${query.slice(0, 79)}…` : query}"`);
}

/** The names matching `query` (none, for a name the library lacks) and the papers they signed, newest first (latest year, then latest id). */
export function papersBy(search: PaperSearch, query: string): { names: AuthorName[]; papers: Paper[] } {
  const names = search.authors().matching(query);
  const docs = [...new Set(names.flatMap((n) => n.docs))];
  const papers = docs.map((doc) => search.library.at(doc)).filter((p): p is Paper => p !== undefined);
  papers.sort((a, b) => b.year - a.year || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return { names, papers };
}

/** The caveat every author page carries, stronger when the papers fall into groups sharing no co-author. */
export function severalPeople(page: Pick<AuthorPage, 'groups' | 'total'>): string {
  return page.groups > 1
    ? `One name can be several people: these ${page.total} papers fall into ${page.groups} groups that share no co-author.`
    : 'One name can be several people: these are the papers signed by the names below.';
}

/** The page's heading: the name, when one name matched; the query as typed, when several did. */
export function authorHeading(page: Pick<AuthorPage, 'names' | 'query'>): string {
  return page.names.length === 1 ? page.names[0]!.name : `“${page.query}”`;
}

/** The page's facts as plain text, for a renderer to escape: names matched, then co-authors and categories when there are any. */
export function authorFacts(page: Pick<AuthorPage, 'names' | 'coauthors' | 'categories'>): { label: string; value: string }[] {
  const counted = (items: readonly { label: string; papers: number }[]) => items.map((i) => `${i.label} (${i.papers})`).join(', ');
  return [
    { label: 'Names matched', value: counted(page.names.map((n) => ({ label: n.name, papers: n.papers }))) },
    { label: 'Co-authors', value: counted(page.coauthors.map((n) => ({ label: n.name, papers: n.papers }))) },
    { label: 'Categories', value: counted(page.categories.map((c) => ({ label: c.category, papers: c.papers }))) },
  ].filter((fact) => fact.value !== '');
}
