import { nameKey } from '../authors/authorNames.js';
import { papersBy } from '../authors/authorPage.js';
import type { Paper } from '../corpus/paper.js';
import { categoryMatcher } from '../search/Retriever.js';
import type { PaperSearch, SearchOptions } from '../search/PaperSearch.js';
import { analyzer } from '../text/analyzer.js';
import { normalizeText } from '../text/normalize.js';

/** One paper of a digest, and the words that made it match. */
export interface DigestItem {
  paper: Paper;
  score: number;
  /** The topic's words as they appear in the paper ("transformers", "vision"). */
  matchedWords: string[];
  /** The followed author's names as the paper signs them (absent in digests stored before authors were followed). */
  matchedAuthors?: string[];
  /** Words the channel's votes taught the topic that the paper holds. */
  learnedWords?: string[];
}

/** What a digest brings: papers on a topic, by an author, or by an author on a topic; maybe within a category. */
export interface DigestSubject {
  /** '' when the digest follows an author alone. */
  topic: string;
  author: string | null;
  category: string | null;
}

/** A digest's subject in words: “pruning”, papers by Yanzhi Wang, papers by Yanzhi Wang on “pruning”. */
export function describeSubject({ topic, author }: Pick<DigestSubject, 'topic' | 'author'>): string {
  if (author === null) return `“${topic}”`;
  return topic === '' ? `papers by ${author}` : `papers by ${author} on “${topic}”`;
}

// Discord's longest thread name.
const MAX_THREAD_NAME = 100;

/** A digest thread's name: "Digest · vision transformers · 2 Dec", the day in the digest's time zone, within 100 characters. */
export function digestThreadName(subject: Pick<DigestSubject, 'topic' | 'author'> & { timezone: string }, at: number): string {
  const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: subject.timezone }).format(at);
  const what = subject.author === null ? subject.topic : subject.topic === '' ? `by ${subject.author}` : `${subject.author} on ${subject.topic}`;
  const room = MAX_THREAD_NAME - `Digest ·  · ${day}`.length;
  const cut = what.length > room ? `${what.slice(0, room - 1).trimEnd()}…` : what;
  return `Digest · ${cut.replace(/\s+/g, ' ')} · ${day}`;
}

/**
 * The papers a digest would bring now, that `alreadySent` lacks, at most
 * `max`: on a topic, those matching it (the search's no-match rule applies),
 * best first, only the followed author's when one is; an author alone, their
 * papers newest first. An author the library no longer holds brings none. Pure: it reads the search and the given set, writes nothing.
 */
export function composeDigest(
  search: PaperSearch,
  subject: DigestSubject,
  alreadySent: ReadonlySet<string>,
  max: number,
  /** What votes taught the topic; `only`: among these papers (a day's, in the feedback benchmark). */
  tuning: Pick<SearchOptions, 'feedback' | 'only'> = {},
): DigestItem[] {
  const { topic, author, category } = subject;
  const by = author === null ? null : papersBy(search, author);
  const keys = new Set(by?.names.map((n) => nameKey(n.parts)));
  const signed = (paper: Paper) => paper.authors.filter((a) => keys.has(search.authors().keyOf(a))).map(normalizeText);
  if (topic === '') {
    const inCategory = category === null ? () => true : (p: Paper) => p.categories.some(categoryMatcher([category]));
    return (by?.papers ?? [])
      .filter((p) => !alreadySent.has(p.id) && inCategory(p))
      .slice(0, max)
      .map((paper) => ({ paper, score: 0, matchedWords: [], matchedAuthors: signed(paper) }));
  }
  return search
    .search(topic, {
      limit: max,
      exclude: alreadySent,
      ...tuning,
      ...(by !== null && { only: new Set(by.papers.map((p) => p.id).filter((id) => tuning.only === undefined || tuning.only.has(id))) }),
      ...(category !== null && { filter: { categories: [category] } }),
    })
    .hits.map((hit) => ({
      paper: hit.paper,
      score: hit.score,
      matchedWords: surfaceWords(hit.paper, hit.matchedTerms),
      ...(by !== null && { matchedAuthors: signed(hit.paper) }),
      ...(hit.learnedWords !== undefined && hit.learnedWords.length > 0 && { learnedWords: hit.learnedWords }),
    }));
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
