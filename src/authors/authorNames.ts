import { normalizeText } from '../text/normalize.js';

/** A name taken apart for matching: lower case, accents and dots gone, hyphens as spaces. */
export interface NameParts {
  /** The family name's last word ("wang", "maaten"). */
  family: string;
  /** Given names and initials, in order ("yanzhi", or "y"). */
  given: string[];
}

/** "Wang, Yanzhi", "Yanzhi Wang" and "Y. Wang" taken apart: family "wang", given ["yanzhi"] (or ["y"]); a hyphenated family name counts by its last part. */
export function nameParts(raw: string): NameParts {
  let text = normalizeText(raw).normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
  // "Wang, Yanzhi": family first.
  const comma = text.indexOf(',');
  if (comma >= 0) text = `${text.slice(comma + 1)} ${text.slice(0, comma)}`;
  const words = text.replace(/[.\-‐]/g, ' ').split(/[^\p{L}\p{N}']+/u).filter(Boolean);
  return { family: words.at(-1) ?? '', given: words.slice(0, -1) };
}

/** The key of a written name: its parts joined ("yanzhi wang"); two spellings of one name ("Yanzhi Wang", "Wang, Yanzhi") share it. */
export function nameKey(parts: NameParts): string {
  return [...parts.given, parts.family].join(' ');
}

/**
 * Whether `query` may be a way of writing `name`: the same family name, and
 * each given name of the query, in order, matching one of the name's, in
 * full or as an initial either way ("Y." and "Yanzhi"). A query of a family
 * name alone matches every name with it.
 */
export function nameMatches(query: NameParts, name: NameParts): boolean {
  if (query.family !== name.family) return false;
  let at = 0;
  for (const word of query.given) {
    while (at < name.given.length && !givenMatches(word, name.given[at]!)) at++;
    if (at === name.given.length) return false;
    at++;
  }
  return true;
}

function givenMatches(a: string, b: string): boolean {
  return a === b || (a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b));
}
