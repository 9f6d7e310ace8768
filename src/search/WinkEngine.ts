import bm25 from 'wink-bm25-text-search';
import { analyzer } from '../text/analyzer.js';
import type { EngineDocument, EngineHit, SearchEngine } from './SearchEngine.js';

/** BM25 parameters of the wink engine. */
export interface WinkOptions {
  /**
   * Term-frequency saturation: how much a tenth occurrence of a word still adds.
   * Any number ≥ 0. @default 1.2
   */
  k1: number;
  /** Document-length normalisation, from 0 (none) to 1 (full). @default 0.75 */
  b: number;
  /**
   * Multiplier of each field's term counts (BM25F style): a title word with
   * weight 3 counts as three abstract words. Each > 0.
   */
  fieldWeights: { title: number; abstract: number; authors: number };
}

/**
 * Tuned on BEIR SciFact (`npm run bench:tune`): taken from the middle of the
 * plateau where every neighbour scores within 0.003 nDCG@10, not from its peak.
 */
export const defaultWinkOptions: WinkOptions = {
  k1: 1.2,
  b: 0.9,
  fieldWeights: { title: 3, abstract: 1, authors: 1 },
};

// wink refuses to consolidate fewer than three documents. Smaller corpora are
// padded with empty documents: they hold no term, so no search returns them.
const WINK_MIN_DOCS = 3;
// Decimal places wink keeps of each precomputed term score.
const SCORE_PRECISION = 6;
const FORMAT = 'paperbot-wink/1';

interface Envelope {
  format: typeof FORMAT;
  docCount: number;
  options: WinkOptions;
  /** idf per wink token index: wink's export leaves it out and its import cannot recompute it. */
  idf: number[];
}

/** wink-bm25-text-search behind the SearchEngine interface. */
export class WinkEngine implements SearchEngine {
  readonly name = 'wink';

  private constructor(
    private readonly wink: bm25.Engine,
    readonly docCount: number,
    readonly options: WinkOptions,
    private readonly idfByToken: number[],
  ) {
    this.tokens = wink.getTokens();
    this.docs = wink.getDocs();
    // Queries reach wink already analysed, joined by single spaces.
    wink.definePrepTasks([(query: string) => query.split(' ')]);
  }

  private readonly tokens: Record<string, number>;
  private readonly docs: Record<string, bm25.Document>;

  /** Index `documents`; document i is reported as `doc: i`. */
  static build(documents: readonly EngineDocument[], options: WinkOptions = defaultWinkOptions): WinkEngine {
    const wink = bm25();
    wink.defineConfig({ fldWeights: { ...options.fieldWeights }, bm25Params: { k1: options.k1, b: options.b } });
    for (const field of Object.keys(options.fieldWeights)) {
      wink.definePrepTasks([(text: string) => analyzer.terms(text)], field);
    }
    documents.forEach((doc, i) => wink.addDoc({ ...doc }, i));
    for (let i = documents.length; i < WINK_MIN_DOCS; i++) wink.addDoc({ title: '', abstract: '', authors: '' }, i);
    wink.consolidate(SCORE_PRECISION);
    return new WinkEngine(wink, documents.length, options, wink.getIDF());
  }

  /** Restore an engine from `serialize()`'s output. */
  static load(serialized: string): WinkEngine {
    const newline = serialized.indexOf('\n');
    const envelope = JSON.parse(serialized.slice(0, newline)) as Envelope;
    if (envelope.format !== FORMAT) throw new Error(`PaperBot: index format ${envelope.format} is not ${FORMAT}`);
    const wink = bm25();
    wink.importJSON(serialized.slice(newline + 1));
    return new WinkEngine(wink, envelope.docCount, envelope.options, envelope.idf);
  }

  serialize(): string {
    const envelope: Envelope = { format: FORMAT, docCount: this.docCount, options: this.options, idf: this.idfByToken };
    return `${JSON.stringify(envelope)}\n${this.wink.exportJSON()}`;
  }

  get termCount(): number {
    return this.idfByToken.length;
  }

  get maxIdf(): number {
    const n = Math.max(this.docCount, WINK_MIN_DOCS);
    return Math.log((n + 0.5) / 0.5 + 1);
  }

  search(terms: readonly string[], limit: number): EngineHit[] {
    const known = terms.filter((t) => this.token(t) !== undefined);
    if (known.length === 0 || limit < 1) return [];
    const results = this.wink.search(known.join(' '), limit);
    const hits: EngineHit[] = new Array(results.length);
    for (let i = 0; i < results.length; i++) hits[i] = { doc: Number(results[i]![0]), score: results[i]![1] };
    return hits;
  }

  idf(term: string): number {
    const token = this.token(term);
    return token === undefined ? 0 : (this.idfByToken[token] ?? 0);
  }

  matchedTerms(doc: number, terms: readonly string[]): string[] {
    const freq = this.docs[doc]?.freq;
    if (freq === undefined) return [];
    return terms.filter((t) => {
      const token = this.token(t);
      return token !== undefined && freq[token] !== undefined;
    });
  }

  // After importJSON wink's term table is a plain parsed object, so a query
  // word like "constructor" would find Object.prototype's: ask for own keys only.
  private token(term: string): number | undefined {
    return Object.hasOwn(this.tokens, term) ? this.tokens[term] : undefined;
  }
}
