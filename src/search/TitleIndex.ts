import { foldLowerCase } from '../text/analyzer.js';
import { normalizeText } from '../text/normalize.js';
import { STOP_WORDS } from '../text/stopWords.js';

/** One paper as the title index sees it. */
export interface TitleEntry {
  /** The title as the source gave it; LaTeX is normalised before indexing. */
  title: string;
  /**
   * Other names the paper goes by (its method's name, say "EfficientFormerV2"):
   * they match like title words, with a little less weight.
   */
  aliases?: readonly string[];
}

/** One matching entry. */
export interface TitleMatch {
  /** Position of the entry in the array given to {@link TitleIndex.build}. */
  doc: number;
  /** Higher is better; only comparable between matches of the same query. */
  score: number;
}

// Weights of the ways a query word can meet a vocabulary word, times its idf.
const EXACT = 1;
// "transformer" for "transformers": titles are not stemmed, so plurals get
// their own near-exact rung instead of paying the full edit-distance price.
const PLURAL = 0.9;
// A completion of the word being typed: a longer typed part is surer.
const PREFIX_BASE = 0.6;
const PREFIX_SPAN = 0.25;
const FUZZY_ONE_EDIT = 0.7;
const FUZZY_TWO_EDITS = 0.45;
// An alias is the caller's guess from the abstract, so it counts a little less than a title word.
const ALIAS = 0.8;
// A one-letter prefix can complete to thousands of words in most titles;
// walking all their postings would blow the latency budget for a term that
// says little. So completions are taken commonest first, up to this many words
// and (past the first) this many postings. The rarer completions still count
// through the whole-title prefix bonus.
const MAX_PREFIX_COMPLETIONS = 64;
const MAX_COMPLETION_POSTINGS = 25_000;
// A pasted paragraph is not an autocomplete query: its words past this many are ignored.
const MAX_QUERY_TERMS = 40;
// Words of a query seen recently, with their candidates: as a title is typed
// key by key, every query repeats the words before the one being typed.
const CANDIDATE_CACHE_SIZE = 512;
// Score multiplier is COVERAGE_FLOOR + (share of query words matched), so a
// title matching every word outranks one matching a few rare ones.
const COVERAGE_FLOOR = 0.5;
const MAX_COVERAGE_FACTOR = COVERAGE_FLOOR + 1;

// A word is a run of letters and digits; hyphens join runs into one compound.
const WORD = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;
const HYPHEN = 45; // '-'
// Unicode hyphens, which fold turns into plain ones so words split on '-' alone.
const UNICODE_HYPHEN = /[\u2010\u2011]/g;
const ASCII = /^[\x00-\x7f]*$/;
const LATEX = /[\\$`{]/;

/**
 * The text as words are cut from it: LaTeX normalised, lower case, accents
 * stripped and Greek spelled out, as the main analyser does, but not stemmed:
 * what the user types must stay a prefix of what was indexed.
 */
function fold(text: string): string {
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
function cutSpans(folded: string, spans: IntList): void {
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

/**
 * Words ↔ ids, as an open-addressing hash table that looks a word up straight
 * from the text it sits in (optionally skipping its hyphens, for the solid
 * form of a compound). A Map would need a substring per lookup: 1.7M of them
 * for 100k titles, and about 15% more build time.
 */
class WordTable {
  readonly words: string[] = [];
  private hashes = new IntList();
  private slots = new Int32Array(1 << 12).fill(-1);

  get size(): number {
    return this.words.length;
  }

  /** Id of `word`, or -1. */
  get(word: string): number {
    return this.find(word, 0, word.length, false, false);
  }

  /** Id of `text[start..end)` (without hyphens when `solid`), added if new. */
  add(text: string, start: number, end: number, solid: boolean): number {
    return this.find(text, start, end, solid, true);
  }

  private find(text: string, start: number, end: number, solid: boolean, insert: boolean): number {
    // FNV-1a over the code units.
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (solid && c === HYPHEN) continue;
      hash = Math.imul(hash ^ c, 16777619);
    }
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id < 0) break;
      if (this.hashes.data[id] === hash && sameWord(this.words[id]!, text, start, end, solid)) return id;
    }
    if (!insert) return -1;
    const id = this.words.length;
    const slice = text.slice(start, end);
    this.words.push(solid ? slice.replaceAll('-', '') : slice);
    this.hashes.push(hash);
    // At most half full, so probe runs stay short.
    if (2 * this.words.length > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id, hash);
    return id;
  }

  private place(id: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot]! >= 0) slot = (slot + 1) & mask;
    this.slots[slot] = id;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity).fill(-1);
    for (let id = 0; id < this.words.length; id++) this.place(id, this.hashes.data[id]!);
  }
}

/** Is `word` the text `text[start..end)` (hyphens skipped when `solid`)? */
function sameWord(word: string, text: string, start: number, end: number, solid: boolean): boolean {
  let j = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (solid && c === HYPHEN) continue;
    if (j >= word.length || word.charCodeAt(j++) !== c) return false;
  }
  return j === word.length;
}

function idfOf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Edits allowed for a query word of this length: short words have too many neighbours to guess at. */
function maxEdits(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

/** One distinct query word and how it may match. */
interface QueryTerm {
  text: string;
  /** The word the user is still typing: completions count too. */
  typing: boolean;
}

interface ParsedQuery {
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
function parseQuery(query: string): ParsedQuery | null {
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

// Three DP rows shared by every distance computation: thousands per query, so no allocation each.
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Optimal-string-alignment distance (Damerau–Levenshtein with adjacent
 * transpositions) between `a` and `b`, or `k + 1` once it must exceed `k`.
 * Only the diagonal band |i − j| ≤ k can hold values ≤ k, so only it is computed.
 */
function boundedDistance(a: string, b: string, k: number): number {
  const n = a.length;
  const m = b.length;
  const over = k + 1;
  if (Math.abs(n - m) > k) return over;
  if (rows[0].length <= m + 1) rows = [new Int32Array(2 * m + 2), new Int32Array(2 * m + 2), new Int32Array(2 * m + 2)];
  let [before, prev, cur] = rows;
  for (let j = 0; j <= Math.min(m, k); j++) prev[j] = j;
  // Cells just outside the band read as "too far", so the band needs no bounds checks.
  if (k + 1 <= m) prev[k + 1] = over;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - k);
    const hi = Math.min(m, i + k);
    cur[lo - 1] = lo === 1 ? i : over;
    let rowMin = cur[lo - 1]!;
    const ai = a.charCodeAt(i - 1);
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = prev[j - 1]! + (ai === bj ? 0 : 1);
      const up = prev[j]! + 1;
      if (up < v) v = up;
      const left = cur[j - 1]! + 1;
      if (left < v) v = left;
      if (j > 1 && ai === b.charCodeAt(j - 2) && aPrev === bj) {
        const swap = before[j - 2]! + 1;
        if (swap < v) v = swap;
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi + 1 <= m) cur[hi + 1] = over;
    if (rowMin > k) return over;
    [before, prev, cur] = [prev, cur, before];
  }
  return Math.min(prev[m]!, over);
}

/** Padded character trigrams of a word: " ab", "abc", …, "yz ". */
function trigrams(word: string): string[] {
  const padded = ` ${word} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

/** Growable Int32Array: collects a million postings without boxing each number. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  /** A right-sized copy. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Compressed lists: list i is `items[start[i] .. start[i + 1])`. One pair of
 * typed arrays instead of thousands of small arrays.
 */
interface Lists {
  start: Int32Array;
  items: Int32Array;
}

/** Group `values` by `keys` (each in 0..keyCount), keeping their order within a group. */
function groupBy(keys: Int32Array, values: Int32Array, keyCount: number): Lists {
  const start = new Int32Array(keyCount + 1);
  for (let i = 0; i < keys.length; i++) start[keys[i]! + 1]!++;
  for (let k = 0; k < keyCount; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, keyCount);
  const items = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) items[fill[keys[i]!]!++] = values[i]!;
  return { start, items };
}

/** Everything `build` computes; the index keeps it as is. */
interface IndexData {
  size: number;
  words: WordTable;
  df: Int32Array;
  postings: Lists;
  titleWords: Lists;
  titleLength: Uint16Array;
}

/**
 * In-memory title lookup for autocomplete: exact titles, prefixes (including
 * a half-typed last word), title words in any order, small typos and aliases.
 *
 * Query words are first mapped to vocabulary words (exact, plural, completion,
 * ≤1 or ≤2 edits found through a trigram index); entries are then scored by
 * the idf of the words they hold, so a query costs the postings of a few
 * words, not a pass over every title. Titles the query begins, or equals,
 * rank above all others. Searches reuse scratch buffers, so an index must not
 * be shared between worker threads (Node's one thread is fine).
 */
export class TitleIndex {
  /** Number of entries indexed. */
  readonly size: number;

  private readonly vocab: readonly string[];
  private readonly wordIds: WordTable;
  /** Number of entries holding each word, in title or aliases. */
  private readonly df: Int32Array;
  private readonly wordLength: Uint16Array;
  /** Per word, the entries holding it, each as doc * 2 + (1 when only an alias has it). */
  private readonly postings: Lists;
  /** Word ids in code-unit order of the words, for completions. */
  private readonly wordOrder: Int32Array;
  /** Padded trigram → its id in `trigramWords`. */
  private readonly trigramIds: Map<string, number>;
  /** Per trigram, the words of ≥ 3 characters holding it, for typo candidates. */
  private readonly trigramWords: Lists;
  /** Per entry, the word ids of its title in order (hyphen parts apart), for whole-title matching. */
  private readonly titleWords: Lists;
  /** Per word, the entries whose title starts with it. */
  private readonly startingWith: Lists;
  /** Length of each title as words and single spaces, the first tie-break. */
  private readonly titleLength: Uint16Array;

  // Scratch space reused by every search; stamps spare clearing 100k-entry arrays per query.
  private stamp = 0;
  private readonly docStamp: Uint32Array;
  private readonly termStamp: Uint32Array;
  private readonly termBest: Float64Array;
  private readonly acc: Float64Array;
  private readonly matched: Uint16Array;
  private readonly bonus: Float64Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly wordStamp: Uint32Array;
  private readonly wordHits: Uint16Array;
  private readonly candidateCache = new Map<string, readonly (readonly [number, number])[]>();

  private constructor(data: IndexData) {
    const { size } = data;
    const vocab = data.words.words;
    this.size = size;
    this.vocab = vocab;
    this.wordIds = data.words;
    this.df = data.df;
    this.postings = data.postings;
    this.titleWords = data.titleWords;
    this.titleLength = data.titleLength;
    this.wordLength = Uint16Array.from(vocab, (w) => Math.min(w.length, 0xffff));
    // Sorting a plain array is faster than sorting an Int32Array with a comparator.
    this.wordOrder = Int32Array.from(Array.from(vocab.keys()).sort((a, b) => (vocab[a]! < vocab[b]! ? -1 : 1)));

    const firstWord = new IntList();
    const firstDoc = new IntList();
    const { start, items } = data.titleWords;
    for (let doc = 0; doc < size; doc++) {
      if (start[doc + 1]! > start[doc]!) {
        firstWord.push(items[start[doc]!]!);
        firstDoc.push(doc);
      }
    }
    this.startingWith = groupBy(firstWord.toArray(), firstDoc.toArray(), vocab.length);

    this.trigramIds = new Map();
    const gramOf = new IntList();
    const gramWord = new IntList();
    for (let id = 0; id < vocab.length; id++) {
      const word = vocab[id]!;
      if (word.length < 3) continue;
      const mark = gramOf.length;
      next: for (const g of trigrams(word)) {
        let t = this.trigramIds.get(g);
        if (t === undefined) this.trigramIds.set(g, (t = this.trigramIds.size));
        // A word lists each of its trigrams once ("banana" has "ana" twice).
        for (let i = mark; i < gramOf.length; i++) if (gramOf.data[i] === t) continue next;
        gramOf.push(t);
        gramWord.push(id);
      }
    }
    this.trigramWords = groupBy(gramOf.toArray(), gramWord.toArray(), this.trigramIds.size);

    this.docStamp = new Uint32Array(size);
    this.termStamp = new Uint32Array(size);
    this.termBest = new Float64Array(size);
    this.acc = new Float64Array(size);
    this.matched = new Uint16Array(size);
    this.bonus = new Float64Array(size);
    this.touched = new Int32Array(size);
    this.wordStamp = new Uint32Array(vocab.length);
    this.wordHits = new Uint16Array(vocab.length);
  }

  /** Index `entries`; entry i is reported as `doc: i`. */
  static build(entries: readonly TitleEntry[]): TitleIndex {
    const size = entries.length;
    const words = new WordTable();
    const df = new IntList();
    // The entry that last took each word, so a word counts once per entry.
    const lastDoc = new IntList();
    const postWord = new IntList();
    const postCode = new IntList();
    const titleStart = new Int32Array(size + 1);
    const titleItems = new IntList();
    const titleLength = new Uint16Array(size);
    const termIds = new IntList();
    const spans = new IntList();

    const add = (text: string, start: number, end: number, solid: boolean): number => {
      const id = words.add(text, start, end, solid);
      if (id === df.length) {
        df.push(0);
        lastDoc.push(-1);
      }
      return id;
    };
    /** Push the terms of a text: each word, and of a compound each part and the whole written solid. */
    const addTerms = (text: string, titleWords: IntList | null): void => {
      spans.length = 0;
      cutSpans(text, spans);
      for (let w = 0; w < spans.length; w += 3) {
        const start = spans.data[w]!;
        const end = spans.data[w + 1]!;
        if (spans.data[w + 2] === 0) {
          const id = add(text, start, end, false);
          titleWords?.push(id);
          termIds.push(id);
          continue;
        }
        // A compound: each part, then the whole written solid.
        let from = start;
        for (let i = start; i <= end; i++) {
          if (i < end && text.charCodeAt(i) !== HYPHEN) continue;
          const id = add(text, from, i, false);
          titleWords?.push(id);
          termIds.push(id);
          from = i + 1;
        }
        termIds.push(add(text, start, end, true));
      }
    };
    // The same acronyms ("CNN", "GPU") come back in thousands of abstracts: analyse each once.
    const aliasCache = new Map<string, Int32Array>();
    const addAlias = (alias: string): void => {
      let ids = aliasCache.get(alias);
      if (ids === undefined) {
        const mark = termIds.length;
        addTerms(fold(alias), null);
        aliasCache.set(alias, (ids = termIds.data.slice(mark, termIds.length)));
        return;
      }
      for (let i = 0; i < ids.length; i++) termIds.push(ids[i]!);
    };

    for (let doc = 0; doc < size; doc++) {
      const entry = entries[doc]!;
      termIds.length = 0;
      const title = fold(entry.title);
      addTerms(title, titleItems);
      titleStart[doc + 1] = titleItems.length;
      // The title's length as words and single spaces.
      let length = -1;
      for (let w = 0; w < spans.length; w += 3) length += spans.data[w + 1]! - spans.data[w]! + 1;
      titleLength[doc] = Math.min(Math.max(length, 0), 0xffff);
      // Title terms first, so a word in both title and alias keeps the title's full weight.
      const titleTerms = termIds.length;
      for (const alias of entry.aliases ?? []) addAlias(alias);
      for (let i = 0; i < termIds.length; i++) {
        const id = termIds.data[i]!;
        if (lastDoc.data[id] === doc) continue;
        lastDoc.data[id] = doc;
        df.data[id]!++;
        postWord.push(id);
        postCode.push(doc * 2 + (i < titleTerms ? 0 : 1));
      }
    }

    return new TitleIndex({
      size,
      words,
      df: df.toArray(),
      postings: groupBy(postWord.toArray(), postCode.toArray(), words.size),
      titleWords: { start: titleStart, items: titleItems.toArray() },
      titleLength,
    });
  }

  /** Best `limit` entries for `query`, best first; [] for an empty/blank query or when nothing matches. */
  search(query: string, limit: number): TitleMatch[] {
    const want = Math.floor(limit);
    if (!(want >= 1) || this.size === 0) return [];
    const parsed = parseQuery(query);
    if (parsed === null) return [];

    const queryStamp = this.nextStamp();
    this.touchedCount = 0;
    // Sum over terms of the best weight any word could give: the highest score without bonuses.
    let ceiling = 0;
    const { docStamp, termStamp, termBest, acc, matched } = this;
    const { start, items } = this.postings;

    for (const term of parsed.terms) {
      const candidates = this.candidates(term);
      if (candidates.length === 0) continue;
      ceiling += candidates[0]![1];
      const stamp = this.nextStamp();
      for (const [word, weight] of candidates) {
        for (let p = start[word]!, end = start[word + 1]!; p < end; p++) {
          const code = items[p]!;
          const doc = code >>> 1;
          const w = code & 1 ? weight * ALIAS : weight;
          if (docStamp[doc] !== queryStamp) this.touch(doc, queryStamp);
          // A term counts once per entry, through its best-matching word.
          if (termStamp[doc] !== stamp) {
            termStamp[doc] = stamp;
            termBest[doc] = w;
            acc[doc]! += w;
            matched[doc]!++;
          } else if (w > termBest[doc]!) {
            acc[doc]! += w - termBest[doc]!;
            termBest[doc] = w;
          }
        }
      }
    }

    // The user is typing a title from its start: those titles come first, the
    // exact title before them all. A tier is more than any score without
    // bonus can reach, so tiers never mix.
    const tier = ceiling * MAX_COVERAGE_FACTOR + 1;
    this.forEachTitleStartingWith(parsed, (doc, whole) => {
      if (docStamp[doc] !== queryStamp) this.touch(doc, queryStamp);
      this.bonus[doc] = whole ? 2 * tier : tier;
    });
    if (this.touchedCount === 0) return [];
    return this.top(parsed.terms.length, want);
  }

  /** First sight of `doc` in this query: reset its scratch slots. */
  private touch(doc: number, queryStamp: number): void {
    this.docStamp[doc] = queryStamp;
    this.acc[doc] = 0;
    this.matched[doc] = 0;
    this.bonus[doc] = 0;
    this.touched[this.touchedCount++] = doc;
  }

  /**
   * Call `visit` with each entry whose title begins with the query's words
   * (the last one possibly half-typed), and whether the title is just those words.
   */
  private forEachTitleStartingWith(parsed: ParsedQuery, visit: (doc: number, whole: boolean) => void): void {
    const { parts, typing } = parsed;
    const m = parts.length;
    const ids: number[] = [];
    for (let i = 0; i < m; i++) {
      const id = this.wordIds.get(parts[i]!);
      // A finished word no title has: no title can start with the query.
      if (id < 0 && !(typing && i === m - 1)) return;
      ids.push(id);
    }
    const lastPart = parts[m - 1]!;
    const { start, items } = this.titleWords;
    const check = (doc: number): void => {
      const s = start[doc]!;
      const length = start[doc + 1]! - s;
      if (length < m) return;
      for (let i = 1; i < m - 1; i++) if (items[s + i] !== ids[i]) return;
      const last = items[s + m - 1]!;
      if (m > 1 && last !== ids[m - 1] && !(typing && this.vocab[last]!.startsWith(lastPart))) return;
      visit(doc, length === m && (!typing || this.vocab[last] === lastPart));
    };
    const eachStartingWith = (word: number): void => {
      const { start: from, items: docs } = this.startingWith;
      for (let i = from[word]!, end = from[word + 1]!; i < end; i++) check(docs[i]!);
    };
    if (m === 1 && typing) {
      const [from, to] = this.completionRange(lastPart);
      for (let i = from; i < to; i++) eachStartingWith(this.wordOrder[i]!);
    } else {
      eachStartingWith(ids[0]!);
    }
  }

  /** Half-open range of `wordOrder` holding the words that start with `prefix`. */
  private completionRange(prefix: string): [number, number] {
    const { wordOrder, vocab } = this;
    const lowerBound = (key: string): number => {
      let lo = 0;
      let hi = wordOrder.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (vocab[wordOrder[mid]!]! < key) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return [lowerBound(prefix), lowerBound(prefix + '\uffff')];
  }

  /** The `want` best of the touched entries, best first. */
  private top(termCount: number, want: number): TitleMatch[] {
    const { acc, matched, bonus, touched, titleLength, touchedCount } = this;
    // A min-heap of the best so far, worst at the root.
    const size = Math.min(want, touchedCount);
    const docs = new Int32Array(size);
    const scores = new Float64Array(size);
    let count = 0;
    for (let t = 0; t < touchedCount; t++) {
      const doc = touched[t]!;
      const score = acc[doc]! * (COVERAGE_FLOOR + matched[doc]! / termCount) + bonus[doc]!;
      let i: number;
      if (count < size) {
        // Sift up from the new leaf.
        i = count++;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (!worse(score, doc, scores[parent]!, docs[parent]!, titleLength)) break;
          docs[i] = docs[parent]!;
          scores[i] = scores[parent]!;
          i = parent;
        }
      } else {
        // Most entries fall short of the worst kept: one comparison rejects them.
        if (score < scores[0]! || !worse(scores[0]!, docs[0]!, score, doc, titleLength)) continue;
        // Sift down from the root, which the new entry replaces.
        i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= size) break;
          const r = l + 1;
          const c = r < size && worse(scores[r]!, docs[r]!, scores[l]!, docs[l]!, titleLength) ? r : l;
          if (!worse(scores[c]!, docs[c]!, score, doc, titleLength)) break;
          docs[i] = docs[c]!;
          scores[i] = scores[c]!;
          i = c;
        }
      }
      docs[i] = doc;
      scores[i] = score;
    }
    const out: TitleMatch[] = [];
    for (let i = 0; i < count; i++) out.push({ doc: docs[i]!, score: scores[i]! });
    return out.sort((a, b) => (worse(a.score, a.doc, b.score, b.doc, titleLength) ? 1 : -1));
  }

  /**
   * Vocabulary words a query term may stand for, with their weight (quality
   * of the match times idf), best first, each word once.
   */
  private candidates(term: QueryTerm): readonly (readonly [number, number])[] {
    const key = (term.typing ? '+' : ' ') + term.text;
    let found = this.candidateCache.get(key);
    if (found === undefined) {
      found = this.findCandidates(term);
      // Oldest first out: a Map iterates in insertion order.
      if (this.candidateCache.size >= CANDIDATE_CACHE_SIZE) this.candidateCache.delete(this.candidateCache.keys().next().value!);
      this.candidateCache.set(key, found);
    }
    return found;
  }

  private findCandidates(term: QueryTerm): [number, number][] {
    const { text, typing } = term;
    const n = this.size;
    const found = new Map<number, number>();
    const offer = (word: number, weight: number): void => {
      if (weight > (found.get(word) ?? 0)) found.set(word, weight);
    };
    const exactId = this.wordIds.get(text);
    const exact = exactId < 0 ? undefined : exactId;
    // A real word the user typed caps what its neighbours may earn: "mode"
    // must not outscore "model" just for being rarer.
    const cap = exact === undefined ? Infinity : idfOf(this.df[exact]!, n);
    const near = (word: number, quality: number): void =>
      offer(word, quality * Math.min(cap, idfOf(this.df[word]!, n)));

    if (exact !== undefined) offer(exact, EXACT * cap);

    for (const variant of pluralVariants(text)) {
      const id = this.wordIds.get(variant);
      if (id >= 0) near(id, PLURAL);
    }

    if (typing) {
      const [from, to] = this.completionRange(text);
      let totalDf = 0;
      for (let i = from; i < to; i++) totalDf += this.df[this.wordOrder[i]!]!;
      // Completions share the idf of the prefix as a whole, so a rare
      // completion of a common prefix is not taken for a rare query word.
      const prefixIdf = idfOf(Math.min(totalDf, n), n);
      let postings = 0;
      for (const id of this.mostFrequent(from, to, MAX_PREFIX_COMPLETIONS)) {
        postings += this.df[id]!;
        if (postings > MAX_COMPLETION_POSTINGS && postings > this.df[id]!) break;
        if (id === exact) continue;
        const ratio = text.length / this.wordLength[id]!;
        offer(id, (PREFIX_BASE + PREFIX_SPAN * ratio) * prefixIdf);
      }
    }

    const k = maxEdits(text.length);
    if (k > 0) {
      const fuzzy = this.fuzzy(text, k);
      // Like completions, the words a typo could stand for share one idf: a
      // rare word two edits away must not beat the common word one edit away
      // ("neurnlations" is "neuralations" in 3,000 titles, not "neuralation" in 10).
      let totalDf = 0;
      for (const [id] of fuzzy) totalDf += this.df[id]!;
      const fuzzyIdf = Math.min(cap, idfOf(Math.min(totalDf, n), n));
      for (const [id, edits] of fuzzy) offer(id, (edits === 1 ? FUZZY_ONE_EDIT : FUZZY_TWO_EDITS) * fuzzyIdf);
    }

    return [...found].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }

  /** The at most `max` words of `wordOrder[from..to)` in most entries (ties: lower id). */
  private mostFrequent(from: number, to: number, max: number): number[] {
    const { wordOrder, df } = this;
    const better = (a: number, b: number): boolean => df[a]! > df[b]! || (df[a] === df[b] && a < b);
    // Kept sorted best first; a one-letter prefix may cover thousands of words, so no full sort.
    const best: number[] = [];
    for (let i = from; i < to; i++) {
      const id = wordOrder[i]!;
      if (best.length === max && !better(id, best[max - 1]!)) continue;
      let at = best.length === max ? max - 1 : best.length;
      while (at > 0 && better(id, best[at - 1]!)) {
        best[at] = best[at - 1]!;
        at--;
      }
      best[at] = id;
    }
    return best;
  }

  /** Vocabulary words within `k` edits of `text` (not itself), with their distance. */
  private fuzzy(text: string, k: number): [number, number][] {
    const out: [number, number][] = [];
    const stamp = this.nextStamp();
    const { wordStamp, wordHits, wordLength, vocab } = this;
    const { start, items } = this.trigramWords;
    const candidates: number[] = [];
    // Each edit spoils at most three of the query's padded trigrams, a
    // transposition four; a word sharing fewer cannot be within k edits.
    // One shared trigram is the floor: a transposed 4-letter word shares none,
    // and is caught by the explicit transposition lookups below.
    const grams = [...new Set(trigrams(text))];
    const need = Math.max(1, grams.length - 3 * k - 1);
    for (const g of grams) {
      const t = this.trigramIds.get(g);
      if (t === undefined) continue;
      for (let i = start[t]!, end = start[t + 1]!; i < end; i++) {
        const id = items[i]!;
        if (Math.abs(wordLength[id]! - text.length) > k) continue;
        if (wordStamp[id] !== stamp) {
          wordStamp[id] = stamp;
          wordHits[id] = 1;
          candidates.push(id);
        } else {
          wordHits[id]!++;
        }
      }
    }
    for (let i = 0; i + 1 < text.length; i++) {
      const swapped = text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
      const id = this.wordIds.get(swapped);
      if (id >= 0 && wordStamp[id] !== stamp) {
        wordStamp[id] = stamp;
        wordHits[id] = need;
        candidates.push(id);
      }
    }
    for (const id of candidates) {
      if (wordHits[id]! < need || vocab[id] === text) continue;
      const d = boundedDistance(text, vocab[id]!, k);
      if (d <= k) out.push([id, d]);
    }
    return out;
  }

  private nextStamp(): number {
    if (this.stamp === 0xffffffff) {
      this.stamp = 0;
      this.docStamp.fill(0);
      this.termStamp.fill(0);
      this.wordStamp.fill(0);
    }
    return ++this.stamp;
  }
}

/** Does match a rank below match b? Ties go to the shorter title, then to the earlier entry. */
function worse(scoreA: number, docA: number, scoreB: number, docB: number, titleLength: Uint16Array): boolean {
  if (scoreA !== scoreB) return scoreA < scoreB;
  const lengthA = titleLength[docA]!;
  const lengthB = titleLength[docB]!;
  return lengthA !== lengthB ? lengthA > lengthB : docA > docB;
}

/** Singular/plural twins of a word: transformer ⇄ transformers, process ⇄ processes. */
function pluralVariants(word: string): string[] {
  const out = [word + 's'];
  if (/(?:s|x|z|ch|sh)$/.test(word)) out.push(word + 'es');
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) out.push(word.slice(0, -1));
  if (word.length > 4 && /(?:s|x|z|ch|sh)es$/.test(word)) out.push(word.slice(0, -2));
  return out;
}

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
 * Distinctive names in an abstract, for use as {@link TitleEntry.aliases}:
 * tokens with an internal capital ("DeepMAD", "MuE", "BiP"), a letter–digit
 * mix ("EfficientFormerV2", "GPT-4") or all capitals of length ≥ 3 ("AQFP").
 * Plurals of acronyms lose their "s" ("CNNs" → CNN). Case-insensitively
 * de-duplicated; the most repeated first (ties in order of appearance), at
 * most `max`.
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
