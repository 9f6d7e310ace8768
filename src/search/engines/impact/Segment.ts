import { analyzer, nameWordTerms } from '../../../text/analyzer.js';
import { readBinaryFile, writeBinaryFile } from '../../binaryFile.js';
import type { Bm25Options } from '../../bm25.js';
import { toEngineText, type IndexEntry } from '../../documents.js';
import { FloatList, groupPositions, IntList, packSorted, type PackedStrings } from '../../typed.js';

const KIND = 'paperbot-impact-segment/1';
const FIELDS = ['title', 'abstract', 'authors'] as const;

/**
 * One immutable part of the impact index: the postings of a run of library
 * papers, as typed arrays. Papers are addressed inside it by position
 * ("local" numbers, 0..size-1); `docs` maps them to library numbers, in
 * ascending order, so postings sorted by position are sorted by paper too.
 */
export interface SegmentData {
  /** Library number of each local paper, ascending. */
  docs: Int32Array;
  /** BM25F length of each paper: its terms counted with their field's weight. */
  lengths: Float32Array;
  /** Year of each paper, for filters. */
  years: Uint16Array;
  /** Each paper's categories, as indexes into `categories` (CSR). */
  categoryStart: Int32Array;
  categoryItems: Uint16Array;
  /** The category names this segment's papers use. */
  categories: string[];
  /** Terms, sorted by their UTF-8 bytes, so a term is found by binary search on the loaded bytes. */
  terms: PackedStrings;
  /** Term t's postings are `postingStart[t] .. postingStart[t + 1]`. */
  postingStart: Int32Array;
  /** Local paper of each posting, ascending within a term. */
  postingDocs: Int32Array;
  /** BM25F term frequency of each posting (field weights applied); null when not loaded. */
  frequencies: Float32Array | null;
  /** Sum of `lengths`, in double precision. */
  totalLength: number;
}

/**
 * Index `papers` (in ascending library number) into a new segment: analyse
 * each field once, count each term with its field's weight. Uses no JS
 * object per paper or posting: postings go into growable typed arrays and
 * are grouped by term with one counting sort.
 */
export function buildSegment(papers: Iterable<IndexEntry>, options: Bm25Options, onPaper?: () => void): SegmentData {
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  const docs = new IntList(1024);
  const lengths = new FloatList(1024);
  const years: number[] = [];
  const categoryIds = new Map<string, number>();
  const categoryStart = new IntList(1024);
  const categoryItems = new IntList(1024);
  categoryStart.push(0);
  const postTerm = new IntList(1 << 16);
  const postDoc = new IntList(1 << 16);
  const postFrequency = new FloatList(1 << 16);
  // Each word as written, to its term id(s) (-1: none): one lookup a word, the analyser's memo and the term table in one.
  // Names are analysed apart (unstemmed), so the same word has other ids in the authors field.
  const wordIds = new Map<string, number | Int32Array>();
  const nameIds = new Map<string, number | Int32Array>();
  const idOf = (term: string): number => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = terms.length;
      termIds.set(term, id);
      terms.push(term);
      if (id >= scratch.length) {
        const bigger = new Float64Array(scratch.length * 2);
        bigger.set(scratch);
        scratch = bigger;
      }
    }
    return id;
  };
  const idsOf = (found: string | readonly string[] | null): number | Int32Array =>
    found === null ? -1 : typeof found === 'string' ? idOf(found) : Int32Array.from(found, idOf);
  // Per paper, the frequency of each term it holds: a dense scratch array and the list of terms touched.
  let scratch = new Float64Array(1 << 16);
  const touched = new IntList(512);
  let totalLength = 0;

  for (const { doc, paper } of papers) {
    const local = docs.length;
    docs.push(doc);
    years.push(paper.year);
    for (const category of paper.categories) {
      let id = categoryIds.get(category);
      if (id === undefined) categoryIds.set(category, (id = categoryIds.size));
      categoryItems.push(id);
    }
    categoryStart.push(categoryItems.length);
    const text = toEngineText(paper);
    let length = 0;
    touched.length = 0;
    for (const field of FIELDS) {
      const weight = options.fieldWeights[field];
      const names = field === 'authors';
      const memo = names ? nameIds : wordIds;
      for (const written of analyzer.words(text[field])) {
        let ids = memo.get(written);
        if (ids === undefined) {
          ids = idsOf(names ? nameWordTerms(written) : analyzer.wordTerms(written));
          memo.set(written, ids);
        }
        if (typeof ids === 'number') {
          if (ids < 0) continue;
          length += weight;
          if (scratch[ids] === 0) touched.push(ids);
          scratch[ids]! += weight;
          continue;
        }
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i]!;
          length += weight;
          if (scratch[id] === 0) touched.push(id);
          scratch[id]! += weight;
        }
      }
    }
    for (let i = 0; i < touched.length; i++) {
      const id = touched.data[i]!;
      postTerm.push(id);
      postDoc.push(local);
      postFrequency.push(scratch[id]!);
      scratch[id] = 0;
    }
    lengths.push(length);
    totalLength += length;
    onPaper?.();
  }

  const { packed, order } = packSorted(terms);
  const rank = new Int32Array(terms.length);
  for (let i = 0; i < order.length; i++) rank[order[i]!] = i;
  const keys = postTerm.toArray();
  for (let i = 0; i < keys.length; i++) keys[i] = rank[keys[i]!]!;
  const { start, place } = groupPositions(keys, terms.length);
  const postingDocs = new Int32Array(keys.length);
  const frequencies = new Float32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    postingDocs[place[i]!] = postDoc.data[i]!;
    frequencies[place[i]!] = postFrequency.data[i]!;
  }
  return {
    docs: docs.toArray(),
    lengths: lengths.toArray(),
    years: Uint16Array.from(years),
    categoryStart: categoryStart.toArray(),
    categoryItems: Uint16Array.from(categoryItems.toArray()),
    categories: [...categoryIds.keys()],
    terms: packed,
    postingStart: start,
    postingDocs,
    frequencies,
    totalLength,
  };
}

/**
 * The BM25 impact of every posting, tf·(k1+1) / (tf + k1·(1 − b + b·len/avgLength)):
 * a posting's whole score but for the term's idf, so a search adds
 * `idf × impact` per posting and touches no per-paper array while scoring.
 */
export function computeImpacts(s: SegmentData, avgLength: number, options: Bm25Options): Float32Array {
  const { k1, b } = options;
  const tf = s.frequencies;
  if (tf === null) throw new Error('PaperBot: segment frequencies not loaded');
  const norm = new Float64Array(s.lengths.length);
  for (let d = 0; d < norm.length; d++) norm[d] = k1 * (1 - b + (b * s.lengths[d]!) / avgLength);
  const impacts = new Float32Array(tf.length);
  const docs = s.postingDocs;
  for (let p = 0; p < tf.length; p++) {
    const f = tf[p]!;
    impacts[p] = (f * (k1 + 1)) / (f + norm[docs[p]!]!);
  }
  return impacts;
}

interface SegmentMeta {
  categories: string[];
  totalLength: number;
  /** The average length `impacts` were computed with. */
  impactAvgLength: number;
}

/** Save a segment with its impacts (for `impactAvgLength`); returns the file's size. */
export function saveSegment(path: string, s: SegmentData, impacts: Float32Array, impactAvgLength: number): number {
  if (s.frequencies === null) throw new Error('PaperBot: cannot save a segment without its frequencies');
  const meta: SegmentMeta = { categories: s.categories, totalLength: s.totalLength, impactAvgLength };
  return writeBinaryFile(path, KIND, meta, {
    docs: s.docs,
    lengths: s.lengths,
    years: s.years,
    categoryStart: s.categoryStart,
    categoryItems: s.categoryItems,
    termBytes: s.terms.bytes,
    termOffsets: s.terms.offsets,
    postingStart: s.postingStart,
    postingDocs: s.postingDocs,
    impacts,
    frequencies: s.frequencies,
  });
}

/**
 * Load a segment. With `avgLength` (the library's average length now), its
 * impacts too: the saved ones when they were computed for that average,
 * otherwise computed afresh from its frequencies, so scores always equal a
 * full rebuild's. `frequencies`: keep them loaded (to merge the segment).
 */
export function loadSegment(
  path: string,
  options: { bm25: Bm25Options; avgLength?: number; frequencies?: boolean },
): { segment: SegmentData; impacts: Float32Array | null; bytes: number } {
  const base = ['docs', 'lengths', 'years', 'categoryStart', 'categoryItems', 'termBytes', 'termOffsets', 'postingStart', 'postingDocs'];
  const { avgLength } = options;
  let current = false;
  const { meta: rawMeta, sections, bytes } = readBinaryFile(path, KIND, (m) => {
    current = avgLength !== undefined && (m as SegmentMeta).impactAvgLength === avgLength;
    const needFrequencies = options.frequencies === true || (avgLength !== undefined && !current);
    return [...base, ...(current ? ['impacts'] : []), ...(needFrequencies ? ['frequencies'] : [])];
  });
  const meta = rawMeta as SegmentMeta;
  const segment: SegmentData = {
    docs: sections.docs as Int32Array,
    lengths: sections.lengths as Float32Array,
    years: sections.years as Uint16Array,
    categoryStart: sections.categoryStart as Int32Array,
    categoryItems: sections.categoryItems as Uint16Array,
    categories: meta.categories,
    terms: { bytes: sections.termBytes as Uint8Array, offsets: sections.termOffsets as Int32Array },
    postingStart: sections.postingStart as Int32Array,
    postingDocs: sections.postingDocs as Int32Array,
    frequencies: (sections.frequencies as Float32Array | undefined) ?? null,
    totalLength: meta.totalLength,
  };
  const impacts = avgLength === undefined ? null : current ? (sections.impacts as Float32Array) : computeImpacts(segment, avgLength, options.bm25);
  if (options.frequencies !== true) segment.frequencies = null;
  return { segment, impacts, bytes };
}
