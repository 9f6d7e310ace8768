import { normalizeText } from './normalize.js';

const NAME_TOKEN = /[\p{L}\p{N}]+(?:-\p{N}+(?![\p{L}\p{N}]))?/gu;
const ROMAN_NUMERAL = /^[IVXLCDM]+$/;
// Most tokens are ordinary words, lower case or capitalised; one test turns them away.
const PLAIN_WORD = /^\p{Lu}?\p{Ll}+$/u;

/** Does a token of an abstract look like a name (a method, a dataset, an acronym) rather than an English word? */
function isName(token: string): boolean {
  if (token.length < 3 || !/\p{L}/u.test(token)) return false;
  const upper = (token.match(/\p{Lu}/gu) ?? []).length;
  // Numbers with units or ordinals ("10x", "50ms", "2nd") are not names; "3DGS" is.
  if (/^\p{N}/u.test(token)) return upper >= 2;
  // "top-1" and "k-2" are phrases; "GPT-4" and "word2vec" are names.
  if (/\p{N}/u.test(token)) return upper > 0 || !token.includes('-');
  if (!/\p{Ll}/u.test(token)) return upper >= 3 && !ROMAN_NUMERAL.test(token);
  // An internal capital: a word capitalised only because it starts a
  // sentence ("However") has none, so it never qualifies.
  return /\p{Lu}/u.test(token.slice(1));
}

/**
 * Distinctive names in an abstract, which the title index takes as a
 * paper's aliases (TitleEntry.aliases): tokens with an internal capital
 * ("DeepMAD", "MuE", "BiP"), a letter–digit mix ("EfficientFormerV2",
 * "GPT-4") or all capitals of length ≥ 3 ("AQFP"). Plurals of acronyms lose
 * their "s" ("CNNs" → CNN). Case-insensitively de-duplicated; the most
 * repeated first (ties in order of appearance), at most `max`.
 */
export function extractNames(abstract: string, max = 20): string[] {
  const names = new Map<string, { name: string; count: number; first: number }>();
  for (const m of normalizeText(abstract).matchAll(NAME_TOKEN)) {
    let token = m[0];
    if (PLAIN_WORD.test(token)) continue;
    if (/[\p{Lu}\p{N}]s$/u.test(token) && isName(token.slice(0, -1))) token = token.slice(0, -1);
    if (!isName(token)) continue;
    const key = token.toLowerCase();
    const known = names.get(key);
    if (known) known.count++;
    else names.set(key, { name: token, count: 1, first: names.size });
  }
  return [...names.values()]
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .slice(0, max)
    .map((n) => n.name);
}
