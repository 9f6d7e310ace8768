import type { LibraryAuthor } from '../library/PaperLibrary.js';
import { normalizeText } from '../text/normalize.js';
import { nameKey, nameMatches, nameParts, type NameParts } from './authorNames.js';

/** One way an author's name is written in the library, and the papers signed so. */
export interface AuthorName {
  /** The name as most of its papers write it. */
  name: string;
  parts: NameParts;
  /** Library numbers of its papers. */
  docs: number[];
}

// Words a prefix may start before suggest first walks the names by paper count,
// and how far that walk goes before looking at the prefix's words after all.
const WIDE_PREFIX = 2_000;
const RANK_WALK = 20_000;

/**
 * Every author name of the library, for author pages and their
 * autocomplete. Names are grouped by their key, so "Wang, Yanzhi" and
 * "Yanzhi Wang" are one name; "Y. Wang" stays its own, and a query matches
 * both (see nameMatches). Names are numbered by paper count, most first, so
 * a smaller number is a better suggestion; autocomplete looks words up by
 * prefix in one sorted array of every name's words.
 */
export class AuthorIndex {
  private readonly names: AuthorName[];
  private readonly keys: ReadonlyMap<string, string>;
  private readonly byFamily: Map<string, number[]>;
  /** Every name's words, sorted, and the name each belongs to. */
  private readonly words: string[];
  private readonly wordNames: Int32Array;
  /** Each name's words (given names, then the family name). */
  private readonly heldWords: string[][];

  /** Made by AuthorIndexBuilder, which lays out the lookups below. */
  constructor(parts: {
    /** Most papers first. */
    names: AuthorName[];
    /**
     * Each byline as written and its name's key, so an author page keys its
     * co-authors without taking each name apart again (that was most of a
     * prolific author's page).
     */
    keys: ReadonlyMap<string, string>;
    byFamily: Map<string, number[]>;
    words: string[];
    wordNames: Int32Array;
    heldWords: string[][];
  }) {
    this.names = parts.names;
    this.keys = parts.keys;
    this.byFamily = parts.byFamily;
    this.words = parts.words;
    this.wordNames = parts.wordNames;
    this.heldWords = parts.heldWords;
  }

  /** The index of these authors (one row an author of a paper, in paper order). */
  static build(rows: Iterable<LibraryAuthor>): AuthorIndex {
    const builder = new AuthorIndexBuilder();
    for (const row of rows) builder.add(row);
    return builder.finish();
  }

  /** The key (nameKey) of a name as a byline writes it. */
  keyOf(written: string): string {
    return this.keys.get(written) ?? nameKey(nameParts(written));
  }

  /** Distinct names held. */
  get size(): number {
    return this.names.length;
  }

  /** The names `query` may be written for ("Y. Wang", "Wang, Yanzhi", "yanzhi wang"), most papers first. */
  matching(query: string): AuthorName[] {
    const parts = nameParts(query);
    return (this.byFamily.get(parts.family) ?? []).filter((i) => nameMatches(parts, this.names[i]!.parts)).map((i) => this.names[i]!);
  }

  /**
   * Autocomplete: names holding a word that starts with the last typed word
   * and, for every other typed word, a word it matches (in full, by prefix or
   * as an initial), most papers first, at most `limit`.
   */
  suggest(typed: string, limit: number): AuthorName[] {
    const words = nameParts(typed.replace(/,/g, ' '));
    const all = [...words.given, words.family].filter(Boolean);
    if (all.length === 0) return this.names.slice(0, limit);
    const last = all.at(-1)!;
    const others = all.slice(0, -1);
    const fits = (i: number) => {
      const held = this.heldWords[i]!;
      return held.some((h) => h.startsWith(last)) && others.every((w) => held.some((h) => h.startsWith(w) || (h.length === 1 && w.startsWith(h))));
    };
    // Where the fitting names' words lie: the last word's prefix range, or an
    // earlier word's (its prefix range and, for initials, its first letter
    // alone). The smallest is searched.
    const range = (prefix: string): [number, number] => [this.lowerBound(prefix), this.lowerBound(`${prefix}\uffff`)];
    const exact = (word: string): [number, number] => [this.lowerBound(word), this.lowerBound(`${word}\u0000`)];
    const options: [number, number][][] = [[range(last)], ...others.map((w) => [range(w), exact(w[0]!)])];
    const sizeOf = (segments: [number, number][]) => segments.reduce((sum, [from, to]) => sum + to - from, 0);
    const segments = options.reduce((a, b) => (sizeOf(b) < sizeOf(a) ? b : a));
    // A short prefix ("w") starts words of a large share of the names, and the
    // busiest names that fit come first there: walking the names by rank finds
    // them at once. Otherwise (or when that walk is long) every word of the
    // smallest range is looked at, keeping the `limit` best ranks.
    if (sizeOf(segments) > WIDE_PREFIX) {
      const found: number[] = [];
      for (let i = 0; i < this.names.length && i < RANK_WALK; i++) if (fits(i) && found.push(i) === limit) return found.map((n) => this.names[n]!);
    }
    const best: number[] = [];
    for (const [from, to] of segments) {
      for (let at = from; at < to; at++) {
        const i = this.wordNames[at]!;
        if ((best.length === limit && i >= best[limit - 1]!) || best.includes(i) || !fits(i)) continue;
        let slot = best.length;
        while (slot > 0 && best[slot - 1]! > i) slot--;
        best.splice(slot, 0, i);
        if (best.length > limit) best.pop();
      }
    }
    return best.map((i) => this.names[i]!);
  }

  private lowerBound(prefix: string): number {
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.words[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

type Entry = { parts: NameParts; docs: number[]; spellings: Map<string, number> };

// Names the builder lays out between two pauses.
const NAMES_A_STEP = 20_000;

/**
 * An AuthorIndex made a few rows at a time, so that a process can go on
 * answering between slices of the library (see PaperSearch.warm). Rows come
 * in paper order.
 */
export class AuthorIndexBuilder {
  private readonly byKey = new Map<string, Entry>();
  // A byline's name is taken apart once, however many papers it signs.
  private readonly byRaw = new Map<string, { entry: Entry; written: string } | null>();
  private readonly keys = new Map<string, string>();

  add(row: LibraryAuthor): void {
    let seen = this.byRaw.get(row.name);
    if (seen === undefined) {
      const parts = nameParts(row.name);
      const key = nameKey(parts);
      this.keys.set(row.name, key);
      let entry = this.byKey.get(key);
      if (parts.family !== '' && entry === undefined) this.byKey.set(key, (entry = { parts, docs: [], spellings: new Map() }));
      this.byRaw.set(row.name, (seen = entry === undefined ? null : { entry, written: normalizeText(row.name) }));
    }
    if (seen === null) return;
    const { entry, written } = seen;
    if (entry.docs.at(-1) !== row.doc) entry.docs.push(row.doc);
    entry.spellings.set(written, (entry.spellings.get(written) ?? 0) + 1);
  }

  /** The index, now. */
  finish(): AuthorIndex {
    const steps = this.steps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** The index, with `pause` between its steps, so that other work runs meanwhile (the longest step is sorting the names: 0.4 s at 175k). */
  async finishInSteps(pause: () => Promise<unknown>): Promise<AuthorIndex> {
    const steps = this.steps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await pause();
    }
  }

  private *steps(): Generator<void, AuthorIndex> {
    const names = [...this.byKey.values()].map(({ parts, docs, spellings }) => ({
      name: [...spellings].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0],
      parts,
      docs,
    }));
    yield;
    names.sort((a, b) => b.docs.length - a.docs.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    yield;
    // Names by word (each list in rank order, as names are visited so), then the distinct words sorted: far fewer than the pairs.
    const heldWords: string[][] = [];
    const byFamily = new Map<string, number[]>();
    const namesOf = new Map<string, number[]>();
    for (const [i, name] of names.entries()) {
      heldWords.push([...name.parts.given, name.parts.family]);
      const list = byFamily.get(name.parts.family);
      if (list === undefined) byFamily.set(name.parts.family, [i]);
      else list.push(i);
      for (const word of new Set(heldWords[i])) {
        const holders = namesOf.get(word);
        if (holders === undefined) namesOf.set(word, [i]);
        else holders.push(i);
      }
      if (i % NAMES_A_STEP === NAMES_A_STEP - 1) yield;
    }
    yield;
    const distinct = [...namesOf.keys()].sort();
    const words: string[] = [];
    const wordNames: number[] = [];
    for (const word of distinct) {
      for (const i of namesOf.get(word)!) {
        words.push(word);
        wordNames.push(i);
      }
    }
    return new AuthorIndex({ names, keys: this.keys, byFamily, words, wordNames: Int32Array.from(wordNames), heldWords });
  }
}
