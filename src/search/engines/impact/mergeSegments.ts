import type { PackedStrings } from '../../typed.js';
import type { SegmentData } from './Segment.js';

/** A segment to merge and its masked papers (replaced or removed since it was built). */
export interface MergeInput {
  segment: SegmentData;
  /** 1 for each local paper to drop; null when none is. */
  masked: Uint8Array | null;
}

/** Compare term i of `a` with term j of `b` by their UTF-8 bytes. */
function compareTerms(a: PackedStrings, i: number, b: PackedStrings, j: number): number {
  const fa = a.offsets[i]!;
  const fb = b.offsets[j]!;
  const la = a.offsets[i + 1]! - fa;
  const lb = b.offsets[j + 1]! - fb;
  const n = Math.min(la, lb);
  for (let k = 0; k < n; k++) {
    const d = a.bytes[fa + k]! - b.bytes[fb + k]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

/**
 * One segment holding the live papers of `inputs` (given in ascending order
 * of their papers' numbers), masked ones dropped: postings are copied, not
 * recomputed, so merging costs a pass over them and no text analysis. Term
 * frequencies are required; impacts are the caller's to compute, for the
 * library's average length.
 */
export function mergeSegments(inputs: readonly MergeInput[]): SegmentData {
  // Local numbers: each input's live papers follow the previous input's.
  const remap = inputs.map(({ segment, masked }) => new Int32Array(segment.docs.length).fill(-1));
  let size = 0;
  inputs.forEach(({ segment, masked }, s) => {
    for (let d = 0; d < segment.docs.length; d++) if (masked === null || masked[d] === 0) remap[s]![d] = size++;
  });
  const docs = new Int32Array(size);
  const lengths = new Float32Array(size);
  const years = new Uint16Array(size);
  const categoryIds = new Map<string, number>();
  const categoryStart = new Int32Array(size + 1);
  const categoryList: number[] = [];
  let totalLength = 0;
  inputs.forEach(({ segment }, s) => {
    const local = segment.categories.map((c) => {
      let id = categoryIds.get(c);
      if (id === undefined) categoryIds.set(c, (id = categoryIds.size));
      return id;
    });
    for (let d = 0; d < segment.docs.length; d++) {
      const at = remap[s]![d]!;
      if (at < 0) continue;
      docs[at] = segment.docs[d]!;
      lengths[at] = segment.lengths[d]!;
      years[at] = segment.years[d]!;
      totalLength += segment.lengths[d]!;
      for (let c = segment.categoryStart[d]!; c < segment.categoryStart[d + 1]!; c++) categoryList.push(local[segment.categoryItems[c]!]!);
      categoryStart[at + 1] = categoryList.length;
    }
  });

  // The union of the terms, in byte order: a k-way merge of the sorted vocabularies.
  const termMaps = inputs.map(({ segment }) => new Int32Array(segment.postingStart.length - 1));
  const heads = inputs.map(() => 0);
  const unionOffsets: number[] = [0];
  const unionChunks: Uint8Array[] = [];
  let unionBytes = 0;
  for (;;) {
    let best = -1;
    for (let s = 0; s < inputs.length; s++) {
      if (heads[s]! >= termMaps[s]!.length) continue;
      if (best < 0 || compareTerms(inputs[s]!.segment.terms, heads[s]!, inputs[best]!.segment.terms, heads[best]!) < 0) best = s;
    }
    if (best < 0) break;
    const id = unionOffsets.length - 1;
    const terms = inputs[best]!.segment.terms;
    const chosen = heads[best]!;
    for (let s = 0; s < inputs.length; s++) {
      if (heads[s]! < termMaps[s]!.length && compareTerms(inputs[s]!.segment.terms, heads[s]!, terms, chosen) === 0) termMaps[s]![heads[s]!++] = id;
    }
    const bytes = terms.bytes.subarray(terms.offsets[chosen]!, terms.offsets[chosen + 1]!);
    unionChunks.push(bytes);
    unionBytes += bytes.length;
    unionOffsets.push(unionBytes);
  }
  const termCount = unionOffsets.length - 1;
  const termBytes = new Uint8Array(unionBytes);
  let at = 0;
  for (const chunk of unionChunks) {
    termBytes.set(chunk, at);
    at += chunk.length;
  }

  // Count each term's live postings, then copy them: inputs in order keep papers ascending within a term.
  const postingStart = new Int32Array(termCount + 1);
  inputs.forEach(({ segment, masked }, s) => {
    const map = termMaps[s]!;
    for (let t = 0; t < map.length; t++) {
      let live = 0;
      for (let p = segment.postingStart[t]!; p < segment.postingStart[t + 1]!; p++) if (masked === null || masked[segment.postingDocs[p]!] === 0) live++;
      postingStart[map[t]! + 1]! += live;
    }
  });
  for (let t = 0; t < termCount; t++) postingStart[t + 1]! += postingStart[t]!;
  const fill = postingStart.slice(0, termCount);
  const postingDocs = new Int32Array(postingStart[termCount]!);
  const frequencies = new Float32Array(postingDocs.length);
  inputs.forEach(({ segment }, s) => {
    const map = termMaps[s]!;
    const local = remap[s]!;
    const tf = segment.frequencies;
    if (tf === null) throw new Error('PaperBot: merging needs the segments\' frequencies');
    for (let t = 0; t < map.length; t++) {
      const target = map[t]!;
      for (let p = segment.postingStart[t]!; p < segment.postingStart[t + 1]!; p++) {
        const d = local[segment.postingDocs[p]!]!;
        if (d < 0) continue;
        postingDocs[fill[target]!] = d;
        frequencies[fill[target]!++] = tf[p]!;
      }
    }
  });
  // Terms held only by masked papers stay, with no postings: harmless, and gone at the next full build.
  return {
    docs,
    lengths,
    years,
    categoryStart,
    categoryItems: Uint16Array.from(categoryList),
    categories: [...categoryIds.keys()],
    terms: { bytes: termBytes, offsets: Int32Array.from(unionOffsets) },
    postingStart,
    postingDocs,
    frequencies,
    totalLength,
  };
}
