import type { Bm25Options } from '../../bm25.js';
import { bm25Idf } from '../../bm25.js';
import { categoryMatcher, coverageShares, type Candidate, type QueryTerm, type RetrieveOptions, type Retriever } from '../../Retriever.js';
import { binarySearch, findSorted, utf8 } from '../../typed.js';
import type { SegmentData } from './Segment.js';

/** A loaded segment, its impacts and what is masked in it. */
export interface LiveSegment {
  /** The segment's file name, so a reload can keep what it already holds. */
  file: string;
  segment: SegmentData;
  impacts: Float32Array;
  /** 1 for each local paper replaced or removed since the segment was built; null when none is. */
  masked: Uint8Array | null;
  /** Per term, how many masked papers hold it (null when none is masked): df counts live papers only. */
  maskedDf: Int32Array | null;
  /** Live papers. */
  live: number;
  /** Sum of the live papers' lengths. */
  liveLength: number;
}

/** Mask `masked` (library numbers) in a loaded segment; numbers it does not hold are ignored. */
export function liveSegment(file: string, segment: SegmentData, impacts: Float32Array, maskedDocs: readonly number[]): LiveSegment {
  let masked: Uint8Array | null = null;
  let maskedDf: Int32Array | null = null;
  let live = segment.docs.length;
  let liveLength = segment.totalLength;
  for (const doc of maskedDocs) {
    const local = binarySearch(segment.docs, doc);
    if (local < 0) continue;
    masked ??= new Uint8Array(segment.docs.length);
    if (masked[local] === 1) continue;
    masked[local] = 1;
    live--;
    liveLength -= segment.lengths[local]!;
  }
  if (masked !== null) {
    // One pass over the postings: the idf of a full rebuild counts live papers only.
    maskedDf = new Int32Array(segment.postingStart.length - 1);
    for (let t = 0; t < maskedDf.length; t++) {
      for (let p = segment.postingStart[t]!; p < segment.postingStart[t + 1]!; p++) if (masked[segment.postingDocs[p]!] === 1) maskedDf[t]!++;
    }
  }
  return { file, segment, impacts, masked, maskedDf, live, liveLength };
}

/** Per segment, the scratch space of one search, kept between searches. */
interface Scratch {
  scores: Float64Array;
  /** Bit q set: the paper holds query term q (the first 32 terms; later ones are looked up). */
  matched: Uint32Array;
}

/** Query terms tracked by a bit each while scoring; a longer query's other terms are checked per candidate. */
const MASK_TERMS = 32;

/**
 * BM25F over segments of precomputed impacts. A search adds, for each query
 * term, `idf × impact` into a per-paper accumulator for every posting
 * (postings are sorted by paper, so the accumulator is walked forwards) and
 * sets the term's bit in a per-paper mask, then keeps the best `limit` with a
 * heap instead of sorting every match. idf and the length normalisation use
 * the statistics of all segments together, masked papers left out, so scores
 * equal a single index's. Scratch space is reused: not for sharing between
 * worker threads.
 */
export class ImpactRetriever implements Retriever {
  readonly name = 'impact';
  readonly docCount: number;
  readonly maxTermWeight: number;
  /** The live papers' average length, which every segment's impacts were computed with. */
  readonly avgLength: number;
  private readonly scratch: Scratch[];

  constructor(
    readonly segments: readonly LiveSegment[],
    readonly options: Bm25Options,
  ) {
    for (let s = 1; s < segments.length; s++) {
      if ((segments[s]!.segment.docs[0] ?? Infinity) < (segments[s - 1]!.segment.docs.at(-1) ?? -Infinity)) {
        throw new Error('PaperBot: impact segments must hold ascending runs of papers, in order');
      }
    }
    this.docCount = segments.reduce((n, s) => n + s.live, 0);
    this.maxTermWeight = bm25Idf(this.docCount, 0);
    this.avgLength = ImpactRetriever.averageLength(segments);
    this.scratch = segments.map(({ segment }) => ({ scores: new Float64Array(segment.docs.length), matched: new Uint32Array(segment.docs.length) }));
  }

  /** The live papers' average BM25F length: impacts must be computed with it. */
  static averageLength(segments: readonly { live: number; liveLength: number }[]): number {
    const docs = segments.reduce((n, s) => n + s.live, 0);
    return docs === 0 ? 1 : segments.reduce((sum, s) => sum + s.liveLength, 0) / docs || 1;
  }

  get termCount(): number {
    // Distinct terms of the largest segment: a lower bound, cheap, and exact for a merged index.
    return Math.max(0, ...this.segments.map((s) => s.segment.postingStart.length - 1));
  }

  termWeight(term: string): number {
    const df = this.lookup(utf8(term)).df;
    return df === 0 ? 0 : bm25Idf(this.docCount, df);
  }

  retrieve(query: readonly QueryTerm[], options: RetrieveOptions): Candidate[] {
    const limit = Math.floor(options.limit);
    if (!(limit >= 1) || query.length === 0) return [];
    const found = query.map((q) => this.lookup(utf8(q.term)));
    const idf = found.map((f) => (f.df === 0 ? 0 : bm25Idf(this.docCount, f.df)));
    const shares = coverageShares(idf, query, this.maxTermWeight);
    for (let s = 0; s < this.segments.length; s++) {
      const { scores, matched } = this.scratch[s]!;
      for (let q = 0; q < query.length; q++) {
        const t = found[q]!.terms[s]!;
        if (t >= 0 && idf[q]! > 0) accumulate(this.segments[s]!, t, idf[q]! * query[q]!.weight, q < MASK_TERMS ? 1 << q : 0, scores, matched);
      }
    }
    const best = this.select(limit, options, query, found, shares);
    for (const { scores, matched } of this.scratch) {
      scores.fill(0);
      matched.fill(0);
    }
    return best.map(({ s, local, score, coverage }) => {
      const { segment } = this.segments[s]!;
      const held = query.filter((_, q) => holds(segment, found[q]!.terms[s]!, local)).map((q) => q.term);
      return { doc: segment.docs[local]!, score, matched: held, coverage };
    });
  }

  /** The best `limit` papers that pass coverage, filter and exclusion, best first. */
  private select(
    limit: number,
    options: RetrieveOptions,
    query: readonly QueryTerm[],
    found: readonly { terms: number[] }[],
    shares: Float64Array,
  ): { s: number; local: number; score: number; coverage: number }[] {
    // Shares sum to 1 up to rounding: a paper holding every term must pass any threshold up to 1.
    const minCoverage = (options.minCoverage ?? 0) - 1e-9;
    const many = options.manyTerms;
    const { exclude, only, filter } = options;
    const fromYear = filter?.years?.from ?? -Infinity;
    const toYear = filter?.years?.to ?? Infinity;
    const wanted = filter?.categories;
    const heap = new TopK(limit);
    // Coverage of a mask: the shares of its bits, summed a byte at a time from tables.
    const bytes = Math.min(4, Math.ceil(Math.min(query.length, MASK_TERMS) / 8));
    const tables = Array.from({ length: bytes }, (_, b) =>
      Float64Array.from({ length: 256 }, (_, v) => {
        let sum = 0;
        for (let bit = 0; bit < 8; bit++) if (v & (1 << bit)) sum += shares[b * 8 + bit] ?? 0;
        return sum;
      }),
    );

    // Segments hold ascending runs of papers and are scanned in order, so a
    // paper scoring only as much as the worst kept ranks below it (ties go
    // to the lower number): one comparison turns most papers away.
    let threshold = 0;
    for (let s = 0; s < this.segments.length; s++) {
      const { scores, matched } = this.scratch[s]!;
      const { segment } = this.segments[s]!;
      const { docs, years, categoryStart, categoryItems, categories } = segment;
      const allowed = wanted === undefined ? null : Uint8Array.from(categories, (c) => (categoryMatcher(wanted)(c) ? 1 : 0));
      for (let d = 0; d < scores.length; d++) {
        const score = scores[d]!;
        if (score <= threshold) continue;
        const mask = matched[d]!;
        let coverage = 0;
        for (let b = 0; b < bytes; b++) coverage += tables[b]![(mask >>> (8 * b)) & 255]!;
        let extra = 0;
        for (let q = MASK_TERMS; q < query.length; q++) {
          if (holds(segment, found[q]!.terms[s]!, d)) {
            coverage += shares[q]!;
            extra++;
          }
        }
        if (coverage < minCoverage && !(many !== undefined && coverage >= many.coverage - 1e-9 && bitCount(mask) + extra >= many.terms)) continue;
        const year = years[d]!;
        if (year < fromYear || year > toYear) continue;
        if (allowed !== null) {
          let ok = false;
          for (let c = categoryStart[d]!; c < categoryStart[d + 1]! && !ok; c++) ok = allowed[categoryItems[c]!] === 1;
          if (!ok) continue;
        }
        if (exclude !== undefined && exclude.has(docs[d]!)) continue;
        if (only !== undefined && !only.has(docs[d]!)) continue;
        threshold = heap.push(score, docs[d]!, s, d, Math.min(1, coverage));
      }
    }
    return heap.sorted();
  }

/** A term's position in each segment (-1 where absent) and its live document frequency. */
  private lookup(key: Uint8Array): { terms: number[]; df: number } {
    let df = 0;
    const terms = this.segments.map((live) => {
      const t = findSorted(live.segment.terms, key);
      if (t >= 0) df += live.segment.postingStart[t + 1]! - live.segment.postingStart[t]! - (live.maskedDf?.[t] ?? 0);
      return t;
    });
    return { terms, df };
  }
}

/** The set bits of a 32-bit mask. */
function bitCount(mask: number): number {
  let v = mask - ((mask >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Add one term's postings of a segment into the accumulators. */
function accumulate(live: LiveSegment, t: number, weight: number, bit: number, scores: Float64Array, matched: Uint32Array): void {
  const { postingStart, postingDocs } = live.segment;
  const { impacts, masked } = live;
  const end = postingStart[t + 1]!;
  if (masked === null) {
    for (let p = postingStart[t]!; p < end; p++) {
      const d = postingDocs[p]!;
      scores[d]! += weight * impacts[p]!;
      matched[d]! |= bit;
    }
    return;
  }
  for (let p = postingStart[t]!; p < end; p++) {
    const d = postingDocs[p]!;
    if (masked[d] === 1) continue;
    scores[d]! += weight * impacts[p]!;
    matched[d]! |= bit;
  }
}

/** The best `k` of the papers pushed: a min-heap on rank, the worst kept at the root. */
class TopK {
  private readonly score: Float64Array;
  private readonly doc: Int32Array;
  private readonly segment: Int32Array;
  private readonly local: Int32Array;
  private readonly coverage: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.score = new Float64Array(k);
    this.doc = new Int32Array(k);
    this.segment = new Int32Array(k);
    this.local = new Int32Array(k);
    this.coverage = new Float64Array(k);
  }

  /** Keep a paper that ranks above the worst kept; returns the score a paper must now beat (0 until full). */
  push(score: number, doc: number, segment: number, local: number, coverage: number): number {
    let at: number;
    if (this.size < this.k) {
      at = this.size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!below(score, doc, this.score[parent]!, this.doc[parent]!)) break;
        this.move(at, parent);
        at = parent;
      }
    } else {
      at = 0;
      for (;;) {
        const l = 2 * at + 1;
        if (l >= this.size) break;
        const r = l + 1;
        const c = r < this.size && below(this.score[r]!, this.doc[r]!, this.score[l]!, this.doc[l]!) ? r : l;
        if (!below(this.score[c]!, this.doc[c]!, score, doc)) break;
        this.move(at, c);
        at = c;
      }
    }
    this.score[at] = score;
    this.doc[at] = doc;
    this.segment[at] = segment;
    this.local[at] = local;
    this.coverage[at] = coverage;
    return this.size < this.k ? 0 : this.score[0]!;
  }

  /** Best first; ties: lower number first. */
  sorted(): { s: number; local: number; score: number; coverage: number; doc: number }[] {
    const out = Array.from({ length: this.size }, (_, i) => ({
      s: this.segment[i]!,
      local: this.local[i]!,
      score: this.score[i]!,
      coverage: this.coverage[i]!,
      doc: this.doc[i]!,
    }));
    return out.sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  private move(to: number, from: number): void {
    this.score[to] = this.score[from]!;
    this.doc[to] = this.doc[from]!;
    this.segment[to] = this.segment[from]!;
    this.local[to] = this.local[from]!;
    this.coverage[to] = this.coverage[from]!;
  }
}

/** Does a paper of score a and number da rank below one of score b and number db? */
function below(a: number, da: number, b: number, db: number): boolean {
  return a < b || (a === b && da > db);
}

/** Does local paper `local` hold term `t` (binary search in its postings)? */
function holds(segment: SegmentData, t: number, local: number): boolean {
  return t >= 0 && binarySearch(segment.postingDocs, local, segment.postingStart[t]!, segment.postingStart[t + 1]!) >= 0;
}
