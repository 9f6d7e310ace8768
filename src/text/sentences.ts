/** A sentence of a text and where it sits in it. */
export interface Sentence {
  text: string;
  start: number;
  end: number;
}

// Words after which a full stop does not end a sentence.
const ABBREVIATIONS = new Set([
  'e.g', 'i.e', 'al', 'etc', 'vs', 'cf', 'fig', 'figs', 'eq', 'eqs', 'sec', 'ref', 'refs', 'approx', 'resp',
  'no', 'nos', 'vol', 'dr', 'mr', 'ms', 'prof', 'st', 'jr', 'sr', 'ca', 'viz', 'incl', 'tab', 'ch', 'pp',
]);

// Characters before a candidate end searched for the last word: longer words are neither abbreviations nor initials.
const TAIL = 64;
// A candidate end: terminal punctuation, closing quotes or brackets, then space.
const CANDIDATE_END = /[.!?]+["'”’)\]]*\s+/g;
// What may open the next sentence: a capital, a digit, a quote or bracket.
const SENTENCE_START = /^["'“‘(\[]?[\p{Lu}\p{N}]/u;

/**
 * Split normalised text into sentences. A full stop ends a sentence only when
 * followed by space and a capital or digit, and not after an abbreviation
 * ("e.g.", "et al.") or an initial ("J. Smith"); "v1.5" and "50%." need nothing
 * special since no space follows their inner dot.
 */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  for (const m of text.matchAll(CANDIDATE_END)) {
    const end = m.index + m[0].trimEnd().length;
    const next = m.index + m[0].length;
    if (!SENTENCE_START.test(text.slice(next, next + 2))) continue;
    // Only the sentence's tail can hold its last word; an anchored search over the whole sentence costs its length squared.
    const lastWord = /([\p{L}.]+)[.!?]*["'”’)\]]*$/u.exec(text.slice(Math.max(start, end - TAIL), end))?.[1] ?? '';
    const word = lastWord.replace(/\.$/, '').toLowerCase();
    if (text[m.index] === '.' && (ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(lastWord.replace(/\.$/, '')))) continue;
    push(sentences, text, start, end);
    start = next;
  }
  push(sentences, text, start, text.length);
  return sentences;
}

function push(sentences: Sentence[], text: string, start: number, end: number): void {
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  if (trimmed.length > 0) sentences.push({ text: trimmed, start: start + lead, end: start + lead + trimmed.length });
}
