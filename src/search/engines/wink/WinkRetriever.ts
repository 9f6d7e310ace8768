import bm25 from 'wink-bm25-text-search';
import { analyzer, nameTerms } from '../../../text/analyzer.js';
import { bm25Idf, type Bm25Options } from '../../bm25.js';
import type { EngineDocument } from '../../documents.js';
import { coverageShares, filterTest, type Candidate, type QueryTerm, type RetrieveOptions, type Retriever } from '../../Retriever.js';

// wink refuses to consolidate fewer than three documents. Smaller libraries are
// padded with empty documents: they hold no term, so no search returns them.
const WINK_MIN_DOCS = 3;
// Decimal places wink keeps of each precomputed term score.
const SCORE_PRECISION = 6;
const FORMAT = 'paperbot-wink/2';
// Candidates asked of wink before the filters; more only when these do not fill the page.
const CANDIDATES_PER_RESULT = 20;
const EXTRA_CANDIDATES = 200;

/** What wink needs besides its own export: library numbers and filter fields per position. */
interface Envelope {
  format: typeof FORMAT;
  options: Bm25Options;
  /** idf per wink token index: wink's export leaves it out and its import cannot recompute it. */
  idf: number[];
  docs: number[];
  years: number[];
  categories: string[][];
}

/** One paper as wink indexes it. */
export interface WinkDocument extends EngineDocument {
  doc: number;
  year: number;
  categories: readonly string[];
}

/**
 * wink-bm25-text-search behind the Retriever interface: the design's
 * reference engine. It holds one JS object per paper and saves as one JSON
 * string, so it is slow to load past tens of thousands of papers and cannot
 * save past about 250,000 (V8's string limit); the impact engine scores
 * alike without those limits.
 */
export class WinkRetriever implements Retriever {
  readonly name = 'wink';

  private constructor(
    private readonly wink: bm25.Engine,
    private readonly envelope: Envelope,
  ) {
    this.tokens = wink.getTokens();
    this.winkDocs = wink.getDocs();
    this.position = new Map(envelope.docs.map((doc, i) => [doc, i]));
    // Queries reach wink already analysed, joined by single spaces.
    wink.definePrepTasks([(query: string) => query.split(' ')]);
  }

  private readonly tokens: Record<string, number>;
  private readonly winkDocs: Record<string, bm25.Document>;
  private readonly position: Map<number, number>;

  static build(documents: Iterable<WinkDocument>, options: Bm25Options): WinkRetriever {
    const wink = bm25();
    wink.defineConfig({ fldWeights: { ...options.fieldWeights }, bm25Params: { k1: options.k1, b: options.b } });
    for (const field of Object.keys(options.fieldWeights)) {
      wink.definePrepTasks([field === 'authors' ? nameTerms : (text: string) => analyzer.terms(text)], field);
    }
    const envelope: Envelope = { format: FORMAT, options, idf: [], docs: [], years: [], categories: [] };
    for (const { doc, year, categories, ...text } of documents) {
      wink.addDoc(text, envelope.docs.length);
      envelope.docs.push(doc);
      envelope.years.push(year);
      envelope.categories.push([...categories]);
    }
    for (let i = envelope.docs.length; i < WINK_MIN_DOCS; i++) wink.addDoc({ title: '', abstract: '', authors: '' }, i);
    wink.consolidate(SCORE_PRECISION);
    envelope.idf = wink.getIDF();
    return new WinkRetriever(wink, envelope);
  }

  /** Restore an engine from `serialize()`'s output. */
  static load(serialized: string): WinkRetriever {
    const newline = serialized.indexOf('\n');
    const envelope = JSON.parse(serialized.slice(0, newline)) as Envelope;
    if (envelope.format !== FORMAT) throw new Error(`PaperBot: index format ${envelope.format} is not ${FORMAT}`);
    const wink = bm25();
    wink.importJSON(serialized.slice(newline + 1));
    return new WinkRetriever(wink, envelope);
  }

  serialize(): string {
    return `${JSON.stringify(this.envelope)}\n${this.wink.exportJSON()}`;
  }

  get docCount(): number {
    return this.envelope.docs.length;
  }

  get termCount(): number {
    return this.envelope.idf.length;
  }

  get maxTermWeight(): number {
    return bm25Idf(Math.max(this.docCount, WINK_MIN_DOCS), 0);
  }

  termWeight(term: string): number {
    const token = this.token(term);
    return token === undefined ? 0 : (this.envelope.idf[token] ?? 0);
  }

  retrieve(query: readonly QueryTerm[], options: RetrieveOptions): Candidate[] {
    const limit = Math.floor(options.limit);
    const known = query.filter((q) => this.token(q.term) !== undefined);
    if (known.length === 0 || !(limit >= 1)) return [];
    const shares = coverageShares(query.map((q) => this.termWeight(q.term)), query, this.maxTermWeight);
    const minCoverage = (options.minCoverage ?? 0) - 1e-9;
    const passesFilter = filterTest(options.filter);
    const many = options.manyTerms;
    const passes = (position: number, coverage: number, terms: number): boolean =>
      (coverage >= minCoverage || (many !== undefined && coverage >= many.coverage - 1e-9 && terms >= many.terms)) &&
      (passesFilter === null || passesFilter(this.envelope.years[position]!, this.envelope.categories[position]!)) &&
      !(options.exclude?.has(this.envelope.docs[position]!) ?? false) &&
      (options.only === undefined || options.only.has(this.envelope.docs[position]!));
    let wanted = limit * CANDIDATES_PER_RESULT + EXTRA_CANDIDATES + (options.exclude?.size ?? 0);
    for (;;) {
      const ranked = this.rank(known, wanted);
      const out: Candidate[] = [];
      for (const [position, score] of ranked) {
        const freq = this.winkDocs[position]!.freq;
        const matched = query.filter((q) => {
          const token = this.token(q.term);
          return token !== undefined && freq[token] !== undefined;
        });
        const coverage = query.reduce((sum, q, i) => sum + (matched.includes(q) ? shares[i]! : 0), 0);
        if (!passes(position, coverage, matched.length)) continue;
        out.push({ doc: this.envelope.docs[position]!, score, matched: matched.map((q) => q.term), coverage: Math.min(1, coverage) });
        if (out.length === limit) return out;
      }
      // The filters left the page short: look at every match, once.
      if (ranked.length < wanted) return out;
      wanted = this.docCount;
    }
  }

  /** Positions and scores of wink's best `limit`; a weighted query sums each term's scores, weighted. */
  private rank(query: readonly QueryTerm[], limit: number): [number, number][] {
    if (query.every((q) => q.weight === 1)) {
      return this.wink.search(query.map((q) => q.term).join(' '), limit).map(([position, score]) => [Number(position), score]);
    }
    const totals = new Map<number, number>();
    for (const q of query) {
      for (const [position, score] of this.wink.search(q.term, this.docCount)) totals.set(Number(position), (totals.get(Number(position)) ?? 0) + score * q.weight);
    }
    return [...totals].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit);
  }

  // After importJSON wink's term table is a plain parsed object, so a query
  // word like "constructor" would find Object.prototype's: ask for own keys only.
  private token(term: string): number | undefined {
    return Object.hasOwn(this.tokens, term) ? this.tokens[term] : undefined;
  }
}
