/**
 * Growable Int32Array: collects millions of numbers (postings, word ids)
 * without boxing each one, as a plain array would.
 */
export class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(1, capacity));
  }
  /** A full list of `data` itself, not a copy: a loaded array that may still grow. */
  static wrap(data: Int32Array): IntList {
    const list = new IntList(0);
    // An empty array would never grow by doubling: keep the constructor's.
    if (data.length > 0) list.data = data;
    list.length = data.length;
    return list;
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }
  /** A right-sized copy. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
  private grow(): void {
    const bigger = new Int32Array(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
  }
}

/** Growable Float32Array, the twin of IntList. */
export class FloatList {
  data: Float32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float32Array(Math.max(1, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  toArray(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/** Position of `value` in the ascending run `sorted[from..to)`, or -1. */
export function binarySearch(sorted: ArrayLike<number>, value: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Compressed lists (CSR): list i is `items[start[i] .. start[i + 1])`. One
 * pair of typed arrays instead of thousands of small arrays.
 */
export interface Lists {
  start: Int32Array;
  items: Int32Array;
}

/**
 * Where each item goes when `keys` (each in 0..keyCount) are grouped stably:
 * list starts and, per input position, its place in the grouped order.
 * A counting sort, so grouping n items costs O(n + keyCount).
 */
export function groupPositions(keys: Int32Array, keyCount: number): { start: Int32Array; place: Int32Array } {
  const start = new Int32Array(keyCount + 1);
  for (let i = 0; i < keys.length; i++) start[keys[i]! + 1]!++;
  for (let k = 0; k < keyCount; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, keyCount);
  const place = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) place[i] = fill[keys[i]!]!++;
  return { start, place };
}

/** Group `values` by `keys` (each in 0..keyCount), keeping their order within a group. */
export function groupBy(keys: Int32Array, values: Int32Array, keyCount: number): Lists {
  const { start, place } = groupPositions(keys, keyCount);
  const items = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) items[place[i]!] = values[i]!;
  return { start, items };
}

/**
 * Strings packed as UTF-8 bytes plus offsets (string i is
 * `bytes[offsets[i] .. offsets[i + 1])`): a vocabulary of a million words
 * saved and loaded as two typed arrays, no JSON and no string per word.
 */
export interface PackedStrings {
  bytes: Uint8Array;
  offsets: Int32Array;
}

const encoder = new TextEncoder();

export function packStrings(strings: readonly string[]): PackedStrings {
  const offsets = new Int32Array(strings.length + 1);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < strings.length; i++) {
    const bytes = encoder.encode(strings[i]!);
    parts.push(bytes);
    total += bytes.length;
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return { bytes, offsets };
}

// For unpackStrings: fatal, so that each U+FFFD it yields was written as one
// (three bytes), and keeping a leading U+FEFF, which packStrings wrote.
const wholeDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const NON_ASCII = /[^\x00-\x7f]/g;

/**
 * Every string of packed strings, in order. One native decode of all the
 * bytes, then a slice per string: a decode or a String.fromCharCode per
 * string costs several times more (100 ms for 190k words, against 20).
 * Throws a TypeError when the bytes are not UTF-8.
 */
export function unpackStrings(packed: PackedStrings): string[] {
  const { bytes, offsets } = packed;
  const text = wholeDecoder.decode(bytes);
  const out = new Array<string>(offsets.length - 1);
  // A string's end in `text` is its end byte less the bytes past the first
  // of each non-ASCII UTF-16 unit before it: 1 or 2 below U+10000, 1 for each
  // half of a surrogate pair (4 bytes in all). The units are found natively,
  // so all-ASCII stretches cost no loop at all.
  let extra = 0;
  NON_ASCII.lastIndex = 0;
  let unit = NON_ASCII.exec(text)?.index ?? -1;
  let from = 0;
  for (let i = 0; i < offsets.length; i++) {
    const end = offsets[i]!;
    while (unit >= 0 && unit + extra < end) {
      const c = text.charCodeAt(unit);
      extra += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
      unit = NON_ASCII.exec(text)?.index ?? -1;
    }
    const to = end - extra;
    if (i > 0) out[i - 1] = text.slice(from, to);
    from = to;
  }
  return out;
}

/**
 * Position of `key` (UTF-8 bytes) among packed strings sorted by their bytes,
 * or -1: a dictionary lookup straight on the loaded file.
 */
export function findSorted(packed: PackedStrings, key: Uint8Array): number {
  const { bytes, offsets } = packed;
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const from = offsets[mid]!;
    const length = offsets[mid + 1]! - from;
    let cmp = 0;
    const n = Math.min(length, key.length);
    for (let j = 0; j < n && cmp === 0; j++) cmp = bytes[from + j]! - key[j]!;
    if (cmp === 0) cmp = length - key.length;
    if (cmp === 0) return mid;
    if (cmp < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** UTF-8 bytes of a string, for findSorted. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Pack `strings` sorted by their UTF-8 bytes, the order findSorted expects;
 * `order[i]` is the index in `strings` of the i-th string packed.
 */
export function packSorted(strings: readonly string[]): { packed: PackedStrings; order: Int32Array } {
  const unsorted = packStrings(strings);
  const { bytes, offsets } = unsorted;
  const indices = Array.from(strings.keys());
  indices.sort((a, b) => {
    const fa = offsets[a]!;
    const fb = offsets[b]!;
    const la = offsets[a + 1]! - fa;
    const lb = offsets[b + 1]! - fb;
    const n = Math.min(la, lb);
    for (let j = 0; j < n; j++) {
      const d = bytes[fa + j]! - bytes[fb + j]!;
      if (d !== 0) return d;
    }
    return la - lb;
  });
  const order = Int32Array.from(indices);
  const sortedOffsets = new Int32Array(strings.length + 1);
  const sortedBytes = new Uint8Array(bytes.length);
  let at = 0;
  for (let i = 0; i < order.length; i++) {
    const from = offsets[order[i]!]!;
    const to = offsets[order[i]! + 1]!;
    sortedBytes.set(bytes.subarray(from, to), at);
    at += to - from;
    sortedOffsets[i + 1] = at;
  }
  return { packed: { bytes: sortedBytes, offsets: sortedOffsets }, order };
}
