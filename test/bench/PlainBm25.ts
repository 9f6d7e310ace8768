// The baseline of `npm run bench:real`: BM25 the plain way over typed arrays,
// as a first implementation would do it. The same postings and the same
// scores as PaperBot's engine, but every posting's score computed from its
// term frequency at query time, every paper scanned for the top k, and no
// coverage, filters, masks or segments: what PaperBot's extra work costs.
import { bm25Idf, type Bm25Options } from '../../src/search/bm25.js';
import type { SegmentData } from '../../src/search/engines/impact/Segment.js';
import { findSorted, utf8 } from '../../src/search/typed.js';

export class PlainBm25 {
  private readonly scores: Float64Array;

  private constructor(
    private readonly segment: SegmentData,
    private readonly options: Bm25Options,
    private readonly avgLength: number,
  ) {
    this.scores = new Float64Array(segment.docs.length);
  }

  /** One segment: the baseline needs the whole library in one. */
  static fromSegments(segments: readonly SegmentData[], options: Bm25Options): PlainBm25 {
    if (segments.length !== 1) throw new Error('the baseline reads a merged index (one segment)');
    const s = segments[0]!;
    return new PlainBm25(s, options, s.totalLength / s.docs.length);
  }

  /** Library numbers of the best `k` papers. */
  search(terms: readonly string[], k: number): number[] {
    const { postingStart, postingDocs, frequencies, lengths, docs } = this.segment;
    const { k1, b } = this.options;
    const scores = this.scores;
    const n = docs.length;
    for (const term of terms) {
      const t = findSorted(this.segment.terms, utf8(term));
      if (t < 0) continue;
      const idf = bm25Idf(n, postingStart[t + 1]! - postingStart[t]!);
      for (let p = postingStart[t]!, end = postingStart[t + 1]!; p < end; p++) {
        const d = postingDocs[p]!;
        const tf = frequencies![p]!;
        scores[d]! += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * lengths[d]!) / this.avgLength));
      }
    }
    const best: { doc: number; score: number }[] = [];
    let threshold = 0;
    for (let d = 0; d < n; d++) {
      const score = scores[d]!;
      if (score <= threshold) continue;
      best.push({ doc: docs[d]!, score });
      if (best.length > k) {
        best.sort((x, y) => y.score - x.score);
        best.length = k;
      }
      if (best.length === k) threshold = best[k - 1]!.score;
    }
    scores.fill(0);
    return best.sort((x, y) => y.score - x.score).map((x) => x.doc);
  }
}
