import { foldLowerCase } from '../../text/analyzer.js';
import { normalizeText } from '../../text/normalize.js';
import { STOP_WORDS } from '../../text/stopWords.js';
import { IntList } from '../typed.js';

// How titles and queries are cut into the words the title index matches.

// A word is a run of letters and digits; hyphens join runs into one compound.
const WORD = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;
export const HYPHEN = 45; // '-'
// Unicode hyphens, which fold turns into plain ones so words split on '-' alone.
const UNICODE_HYPHEN = /[\u2010\u2011]/g;
const ASCII = /^[\x00-\x7f]*$/;
const LATEX = /[\\$`{]/;
// A pasted paragraph is not an autocomplete query: its words past this many are ignored.
const MAX_QUERY_TERMS = 40;

/**
 * The text as words are cut from it: LaTeX normalised, lower case, accents
 * stripped and Greek spelled out, as the main analyser does, but not stemmed:
 * what the user types must stay a prefix of what was indexed.
 */
export function fold(text: string): string {
  // normalizeText's other work (collapsing spaces) cannot change the words, so skip it when there is no TeX.
  const lower = (LATEX.test(text) ? normalizeText(text) : text).toLowerCase();
  if (ASCII.test(lower)) return lower;
  return foldLowerCase(lower).replace(UNICODE_HYPHEN, '-');
}

/** a–z or 0–9: in folded ASCII text, exactly the characters of words. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/**
 * Push the words of folded text onto `spans` as (start, end, compound)
 * triples: runs of letters and digits, a hyphenated compound
 * ("text-to-image") as one word with compound = 1. Offsets rather than
 * strings, so indexing 100k titles makes no string per word.
 */
export function cutSpans(folded: string, spans: IntList): void {
  if (!ASCII.test(folded)) {
    WORD.lastIndex = 0;
    for (let m = WORD.exec(folded); m !== null; m = WORD.exec(folded)) {
      spans.push(m.index);
      spans.push(m.index + m[0].length);
      spans.push(m[0].includes('-') ? 1 : 0);
    }
    return;
  }
  // The same cut by hand: no match object per word.
  const n = folded.length;
  for (let i = 0; i < n; ) {
    while (i < n && !isWordChar(folded.charCodeAt(i))) i++;
    if (i === n) break;
    spans.push(i);
    let compound = 0;
    for (;;) {
      while (i < n && isWordChar(folded.charCodeAt(i))) i++;
      if (i + 1 < n && folded.charCodeAt(i) === HYPHEN && isWordChar(folded.charCodeAt(i + 1))) {
        compound = 1;
        i++;
      } else {
        break;
      }
    }
    spans.push(i);
    spans.push(compound);
  }
}

/** One distinct query word and how it may match. */
export interface QueryTerm {
  text: string;
  /** The word the user is still typing: completions count too. */
  typing: boolean;
}

export interface ParsedQuery {
  terms: QueryTerm[];
  /** Every word part of the query in order, stop words included, for whole-title matching. */
  parts: string[];
  /** Whether the last part is still being typed. */
  typing: boolean;
}

/**
 * Split a query into terms. Stop words and lone letters carry no signal and
 * are dropped, except as the word being typed ("hypothesis f" → for, formal…);
 * null when only stop words remain.
 */
export function parseQuery(query: string): ParsedQuery | null {
  const folded = fold(query);
  const parts: string[] = [];
  const seen = new Map<string, QueryTerm>();
  let informative = false;
  const add = (text: string, isTyping: boolean): void => {
    const stop = STOP_WORDS.has(text);
    if (!isTyping && (stop || (text.length < 2 && !/\d/.test(text)))) return;
    // A lone letter being typed is the start of a word ("F" → Federated…); a stop word is still nothing.
    if (!stop) informative = true;
    const known = seen.get(text);
    if (known) known.typing ||= isTyping;
    else if (seen.size < MAX_QUERY_TERMS) seen.set(text, { text, typing: isTyping });
  };
  const spans = new IntList(48);
  cutSpans(folded, spans);
  // The last word is still being typed unless something (a space, a colon) follows it.
  const typing = spans.length > 0 && spans.data[spans.length - 2] === folded.length && /[\p{L}\p{N}]$/u.test(query);
  for (let w = 0; w < spans.length; w += 3) {
    const isLast = typing && w === spans.length - 3;
    const split = folded.slice(spans.data[w], spans.data[w + 1]).split('-');
    split.forEach((p, j) => {
      parts.push(p);
      add(p, isLast && j === split.length - 1);
    });
    if (split.length > 1) add(split.join(''), isLast);
  }
  if (!informative) return null;
  return { terms: [...seen.values()], parts, typing };
}

/** Singular/plural twins of a word: transformer ⇄ transformers, process ⇄ processes. */
export function pluralVariants(word: string): string[] {
  const out = [word + 's'];
  if (/(?:s|x|z|ch|sh)$/.test(word)) out.push(word + 'es');
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) out.push(word.slice(0, -1));
  if (word.length > 4 && /(?:s|x|z|ch|sh)es$/.test(word)) out.push(word.slice(0, -2));
  return out;
}
