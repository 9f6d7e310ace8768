import { IntList, binarySearch, groupBy, type Lists } from '../typed.js';

// Typo tolerance for the title index: how far two words are, and the
// trigrams that find the words worth measuring.

// Three DP rows shared by every distance computation: thousands per query, so no allocation each.
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Optimal-string-alignment distance (Damerau–Levenshtein with adjacent
 * transpositions) between `a` and `b`, or `k + 1` once it must exceed `k`.
 * Only the diagonal band |i − j| ≤ k can hold values ≤ k, so only it is computed.
 */
export function boundedDistance(a: string, b: string, k: number): number {
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
export function trigrams(word: string): string[] {
  const padded = ` ${word} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

/**
 * A trigram as one number, its three UTF-16 code units in base 65536.
 * Numbers, not strings: a sorted array of them is a dictionary a loaded
 * index searches as it is, with no Map to rebuild, and unlike UTF-8 bytes
 * they keep the halves of a split surrogate pair apart.
 */
export function trigramKey(gram: string): number {
  return gram.charCodeAt(0) * 0x1_0000_0000 + gram.charCodeAt(1) * 0x1_0000 + gram.charCodeAt(2);
}

/** Which words hold each trigram: the candidates for a typo. */
export interface TrigramIndex {
  /** The trigrams, ascending; trigram t is `trigramKeys[t]`. */
  trigramKeys: Float64Array;
  /** Per trigram, the words of ≥ 3 characters holding it, by ascending id. */
  trigramWords: Lists;
}

/** The trigram index of a vocabulary (word i is `words[i]`). */
export function indexTrigrams(words: readonly string[]): TrigramIndex {
  const ids = new Map<string, number>();
  const gramOf = new IntList();
  const gramWord = new IntList();
  for (let id = 0; id < words.length; id++) {
    const word = words[id]!;
    if (word.length < 3) continue;
    const mark = gramOf.length;
    next: for (const g of trigrams(word)) {
      let t = ids.get(g);
      if (t === undefined) ids.set(g, (t = ids.size));
      // A word lists each of its trigrams once ("banana" has "ana" twice).
      for (let i = mark; i < gramOf.length; i++) if (gramOf.data[i] === t) continue next;
      gramOf.push(t);
      gramWord.push(id);
    }
  }
  // Renumbered in key order, so that the sorted keys alone map a trigram to its list.
  const firstSeen = Float64Array.from(ids.keys(), trigramKey);
  const order = Int32Array.from(firstSeen.keys()).sort((a, b) => firstSeen[a]! - firstSeen[b]!);
  const rank = new Int32Array(order.length);
  for (let t = 0; t < order.length; t++) rank[order[t]!] = t;
  const keys = gramOf.toArray();
  for (let i = 0; i < keys.length; i++) keys[i] = rank[keys[i]!]!;
  const trigramKeys = Float64Array.from(order, (id) => firstSeen[id]!);
  return { trigramKeys, trigramWords: groupBy(keys, gramWord.toArray(), order.length) };
}

/** The id of trigram `key` in `trigramKeys`, or -1. */
export function findTrigram(trigramKeys: Float64Array, key: number): number {
  return binarySearch(trigramKeys, key);
}
