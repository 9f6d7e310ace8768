import type { Section } from '../binaryFile.js';
import { groupBy, IntList, packStrings, unpackStrings, type Lists } from '../typed.js';
import { boundedDistance, findTrigram, indexTrigrams, trigramKey, trigrams, type TrigramIndex } from './editDistance.js';
import { cutSpans, fold, HYPHEN, parseQuery, pluralVariants, type ParsedQuery, type QueryTerm } from './titleWords.js';
import { WordTable } from './WordTable.js';

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
// A finished query word in at least this many titles is taken as spelt right: no typo search for it.
const KNOWN_WORD_TITLES = 3;
// An alias is the caller's guess from the abstract, so it counts a little less than a title word.
const ALIAS = 0.8;
// A one-letter prefix can complete to thousands of words in most titles;
// walking all their postings would blow the latency budget for a term that
// says little. So completions are taken commonest first, up to this many words
// and (past the first) this many postings. The rarer completions still count
// through the whole-title prefix bonus.
const MAX_PREFIX_COMPLETIONS = 64;
const MAX_COMPLETION_POSTINGS = 25_000;
// Words of a query seen recently, with their candidates: as a title is typed
// key by key, every query repeats the words before the one being typed.
const CANDIDATE_CACHE_SIZE = 512;
// Score multiplier is COVERAGE_FLOOR + (share of query words matched), so a
// title matching every word outranks one matching a few rare ones.
const COVERAGE_FLOOR = 0.5;
const MAX_COVERAGE_FACTOR = COVERAGE_FLOOR + 1;

function idfOf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Edits allowed for a query word of this length: short words have too many neighbours to guess at. */
function maxEdits(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

/** Everything a search reads, as the fields of the same names: what `build` derives, and `fromSections` loads. */
interface IndexData extends TrigramIndex {
  words: WordTable;
  df: Int32Array;
  wordLength: Uint16Array;
  postings: Lists;
  wordOrder: Int32Array;
  titleWords: Lists;
  startingWith: Lists;
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
  /** Padded trigrams as {@link trigramKey} numbers, ascending: trigram t is `trigramKeys[t]`. */
  private readonly trigramKeys: Float64Array;
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
    const size = data.titleLength.length;
    const vocab = data.words.words;
    this.size = size;
    this.vocab = vocab;
    this.wordIds = data.words;
    this.df = data.df;
    this.wordLength = data.wordLength;
    this.postings = data.postings;
    this.wordOrder = data.wordOrder;
    this.trigramKeys = data.trigramKeys;
    this.trigramWords = data.trigramWords;
    this.titleWords = data.titleWords;
    this.startingWith = data.startingWith;
    this.titleLength = data.titleLength;

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
    const words = WordTable.empty();
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

    const vocab = words.words;
    const titleWords = { start: titleStart, items: titleItems.toArray() };
    return new TitleIndex({
      words,
      df: df.toArray(),
      wordLength: Uint16Array.from(vocab, (w) => Math.min(w.length, 0xffff)),
      postings: groupBy(postWord.toArray(), postCode.toArray(), words.size),
      // Sorting a plain array is faster than sorting an Int32Array with a comparator.
      wordOrder: Int32Array.from(Array.from(vocab.keys()).sort((a, b) => (vocab[a]! < vocab[b]! ? -1 : 1))),
      ...indexTrigrams(vocab),
      titleWords,
      startingWith: titlesByFirstWord(titleWords, vocab.length),
      titleLength,
    });
  }

  /**
   * The index as typed arrays, for writeBinaryFile: everything `build`
   * computed, derived lookups included, so that {@link TitleIndex.fromSections}
   * only wraps them. Most are the index's own arrays: they must not be changed.
   */
  toSections(): Record<string, Section> {
    const vocab = packStrings(this.vocab);
    const { hashes, slots } = this.wordIds.toArrays();
    const lists = (name: string, { start, items }: Lists) => ({ [`${name}Start`]: start, [`${name}Items`]: items });
    return {
      vocabBytes: vocab.bytes,
      vocabOffsets: vocab.offsets,
      wordHashes: hashes,
      wordSlots: slots,
      df: this.df,
      wordLength: this.wordLength,
      wordOrder: this.wordOrder,
      trigramKeys: this.trigramKeys,
      titleLength: this.titleLength,
      ...lists('posting', this.postings),
      ...lists('trigramWord', this.trigramWords),
      ...lists('titleWord', this.titleWords),
      ...lists('startingWith', this.startingWith),
    };
  }

  /**
   * The index {@link TitleIndex.toSections} gave, as readBinaryFile returns
   * it; sections of other names are ignored. Throws when a section is
   * missing, of another type, or of a length that does not fit the others.
   */
  static fromSections(sections: Record<string, Section>): TitleIndex {
    const take = <T extends Section>(name: string, type: abstract new (...args: never[]) => T, length?: number): T => {
      const section = sections[name];
      if (section === undefined) throw new Error(`PaperBot: the title index has no section ${name}`);
      if (!(section instanceof type)) {
        throw new Error(`PaperBot: title index section ${name} is a ${section.constructor.name}, not a ${type.name}`);
      }
      if (length !== undefined && section.length !== length) {
        throw new Error(`PaperBot: title index section ${name} has length ${section.length}, not ${length}`);
      }
      return section;
    };
    const lists = (name: string, count: number): Lists => {
      const start = take(`${name}Start`, Int32Array, count + 1);
      return { start, items: take(`${name}Items`, Int32Array, start[count]) };
    };
    const titleLength = take('titleLength', Uint16Array);
    const vocabOffsets = take('vocabOffsets', Int32Array);
    if (vocabOffsets.length === 0) throw new Error('PaperBot: title index section vocabOffsets is empty');
    const wordCount = vocabOffsets.length - 1;
    const vocab = unpackStrings({ bytes: take('vocabBytes', Uint8Array, vocabOffsets[wordCount]), offsets: vocabOffsets });
    const trigramKeys = take('trigramKeys', Float64Array);
    return new TitleIndex({
      words: WordTable.fromArrays(vocab, { hashes: take('wordHashes', Int32Array), slots: take('wordSlots', Int32Array) }),
      df: take('df', Int32Array, wordCount),
      wordLength: take('wordLength', Uint16Array, wordCount),
      postings: lists('posting', wordCount),
      wordOrder: take('wordOrder', Int32Array, wordCount),
      trigramKeys,
      trigramWords: lists('trigramWord', trigramKeys.length),
      titleWords: lists('titleWord', titleLength.length),
      startingWith: lists('startingWith', wordCount),
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

    // A finished word that several titles use is no typo: looking for its
    // neighbours costs most of a query's time at 200,000 titles and only
    // lifts titles that lack the word typed.
    const known = exact !== undefined && !typing && this.df[exact]! >= KNOWN_WORD_TITLES;
    const k = known ? 0 : maxEdits(text.length);
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
      const t = findTrigram(this.trigramKeys, trigramKey(g));
      if (t < 0) continue;
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

/** Per word, the entries whose title starts with it (`titleWords` holds each entry's title words). */
function titlesByFirstWord(titleWords: Lists, wordCount: number): Lists {
  const firstWord = new IntList();
  const firstDoc = new IntList();
  const { start, items } = titleWords;
  for (let doc = 0; doc + 1 < start.length; doc++) {
    if (start[doc + 1]! > start[doc]!) {
      firstWord.push(items[start[doc]!]!);
      firstDoc.push(doc);
    }
  }
  return groupBy(firstWord.toArray(), firstDoc.toArray(), wordCount);
}

/** Does match a rank below match b? Ties go to the shorter title, then to the earlier entry. */
function worse(scoreA: number, docA: number, scoreB: number, docB: number, titleLength: Uint16Array): boolean {
  if (scoreA !== scoreB) return scoreA < scoreB;
  const lengthA = titleLength[docA]!;
  const lengthB = titleLength[docB]!;
  return lengthA !== lengthB ? lengthA > lengthB : docA > docB;
}

