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
