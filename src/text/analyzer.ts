import stemWord from 'wink-porter2-stemmer';
import { STOP_WORDS } from './stopWords.js';

/** One analysed term and where its word sits in the text it came from. */
export interface TermSpan {
  /** The indexed form: folded, lower-cased, stemmed. */
  term: string;
  /** UTF-16 offset of the word's first character. */
  start: number;
  /** UTF-16 offset just past the word's last character. */
  end: number;
}

// A word is a run of letters and digits; anything else separates words. Words
// joined by hyphens also count as one word written solid, so "bi-level" finds
// "bilevel" and "IL-6" finds "IL6" (worth +0.006 nDCG@10 on SciFact).
const WORD = /[\p{L}\p{N}]+(?:[-\u2010\u2011][\p{L}\p{N}]+)*/gu;
const HYPHEN = /[-\u2010\u2011]/;
const ASCII = /^[\x00-\x7f]*$/;
// Greek letters are spelled out, so "TNF-α" and "TNF-alpha" meet (+0.001 on SciFact).
const GREEK_LETTER = /[α-ω]/g;
const GREEK_NAMES: Record<string, string> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta', ι: 'iota',
  κ: 'kappa', λ: 'lambda', μ: 'mu', ν: 'nu', ξ: 'xi', ο: 'omicron', π: 'pi', ρ: 'rho', ς: 'sigma', σ: 'sigma',
  τ: 'tau', υ: 'upsilon', φ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
};
const COMBINING_MARKS = /\p{M}+/gu;

// British spellings that Porter2 leaves apart from their American twins
// ("optimisation" stems to optimis, "optimization" to optim).
const BRITISH_SUFFIX = /isation(s?)$/;

/**
 * Lower-case text with accents stripped and Greek letters spelled out
 * ("gödel tnf-α" → "godel tnf-alpha"): the form every index compares words in.
 */
export function foldLowerCase(text: string): string {
  if (ASCII.test(text)) return text;
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').replace(GREEK_LETTER, (c) => GREEK_NAMES[c] ?? c);
}

/**
 * Bump whenever `Analyzer` or `normalizeText` would give different terms for
 * the same text: persisted indexes built by an older version are then rebuilt.
 * test/text/analyzer.test.ts pins the output of this version.
 */
export const ANALYZER_VERSION = 3;

/**
 * The English analyser shared by the index, the queries and answer extraction:
 * fold case and accents, split into words, drop stop words and one-letter words,
 * stem with Porter2 (memoised: a corpus repeats the same few thousand words).
 */
export class Analyzer {
  private readonly stems = new Map<string, string>();
  /** Each word as written, to the terms it gives: indexing a corpus meets the same words millions of times. */
  private readonly memo = new Map<string, string | readonly string[] | null>();
  private static readonly MAX_MEMO = 500_000;

  /** The indexed terms of `text`, in order, repeats kept. */
  terms(text: string): string[] {
    const out: string[] = [];
    this.forEachTerm(text, (term) => out.push(term));
    return out;
  }

  /** Call `visit` with each indexed term of `text`, in order: `terms` without the array. */
  forEachTerm(text: string, visit: (term: string) => void): void {
    const words = text.match(WORD);
    if (words === null) return;
    for (const written of words) {
      const found = this.memoised(written);
      if (found === null) continue;
      if (typeof found === 'string') visit(found);
      else for (const term of found) visit(term);
    }
  }

  /** `wordTerms` of a word as written, remembered. */
  private memoised(written: string): string | readonly string[] | null {
    let found = this.memo.get(written);
    if (found === undefined) {
      found = this.wordTerms(written);
      if (this.memo.size >= Analyzer.MAX_MEMO) this.memo.clear();
      this.memo.set(written, found);
    }
    return found;
  }

  /** The words of `text` as written: what `wordTerms` analyses. */
  words(text: string): string[] {
    return text.match(WORD) ?? [];
  }

  /** The terms of one word as written, as `spans` gives them: a single term, a compound's several, or null. */
  wordTerms(written: string): string | readonly string[] | null {
    return compoundTerms(written.toLowerCase(), (part) => this.term(part));
  }

  /**
   * The indexed terms of `text` with the offsets of the words they came from;
   * a hyphenated compound gives its parts, then itself written solid.
   */
  spans(text: string): TermSpan[] {
    const out: TermSpan[] = [];
    for (const m of text.matchAll(WORD)) {
      const written = m[0];
      if (!HYPHEN.test(written)) {
        const term = this.memoised(written);
        if (term !== null) out.push({ term: term as string, start: m.index, end: m.index + written.length });
        continue;
      }
      const word = written.toLowerCase();
      let offset = m.index;
      const parts = word.split(HYPHEN);
      for (const part of parts) {
        this.push(out, part, offset, offset + part.length);
        offset += part.length + 1;
      }
      this.push(out, parts.join(''), m.index, m.index + word.length);
    }
    return out;
  }

  private push(out: TermSpan[], word: string, start: number, end: number): void {
    const term = this.term(word);
    if (term !== null) out.push({ term, start, end });
  }

  /** The distinct terms of a query, in first-seen order. */
  queryTerms(text: string): string[] {
    return [...new Set(this.terms(text))];
  }

  /** Analyse one lower-cased word; null when it is not indexed. */
  term(word: string): string | null {
    const folded = foldLowerCase(word);
    if (folded.length < 2 && !/\d/.test(folded)) return null;
    if (STOP_WORDS.has(folded)) return null;
    let stem = this.stems.get(folded);
    if (stem === undefined) {
      stem = stemWord(folded.replace(BRITISH_SUFFIX, 'ization$1'));
      if (this.stems.size >= Analyzer.MAX_MEMO) this.stems.clear();
      this.stems.set(folded, stem);
    }
    return stem;
  }
}

/**
 * Author names are their own terms, apart from the words of titles and
 * abstracts: folded but never stemmed ("Yanyue" is not "Yanyu"), stop words
 * kept ("He", "An" are surnames), initials dropped. The prefix cannot come
 * out of `WORD`, so a name term never meets a word's.
 */
export const NAME_PREFIX = '@';

/** The name terms of one word of an author's name as written: the word, or a compound's parts and itself solid; null for an initial. */
export function nameWordTerms(written: string): string | readonly string[] | null {
  return compoundTerms(foldLowerCase(written.toLowerCase()), (part) => (part.length < 2 ? null : NAME_PREFIX + part));
}

/** The terms `termOf` gives a lower-case word: its own, or a hyphenated compound's parts and the compound written solid. */
function compoundTerms(word: string, termOf: (part: string) => string | null): string | readonly string[] | null {
  if (!HYPHEN.test(word)) return termOf(word);
  const parts = word.split(HYPHEN);
  const terms = [...parts, parts.join('')].map(termOf).filter((t): t is string => t !== null);
  return terms.length === 0 ? null : terms;
}

/** Call `visit` with each name term of `names` (authors joined by ", "), in order. */
export function forEachNameTerm(names: string, visit: (term: string) => void): void {
  for (const written of names.match(WORD) ?? []) {
    const found = nameWordTerms(written);
    if (found === null) continue;
    if (typeof found === 'string') visit(found);
    else for (const term of found) visit(term);
  }
}

/** The name terms of `names`, in order, repeats kept. */
export function nameTerms(names: string): string[] {
  const out: string[] = [];
  forEachNameTerm(names, (term) => out.push(term));
  return out;
}

/** The analyser everyone shares: its memo is worth keeping warm. */
export const analyzer = new Analyzer();
