import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { corpusTag } from '../library/openLibrary.js';
import { silentProgress, type Progress } from '../progress.js';
import type { PaperLibrary } from '../library/PaperLibrary.js';
import type { PaperSearch, SearchOptions, SearchResult } from '../search/PaperSearch.js';
import { normalizeText } from '../text/normalize.js';
import { DenseIndex } from './DenseIndex.js';
import { EmbeddingStore } from './EmbeddingStore.js';
import { openEncoder, type Encoder } from './Encoder.js';

/** Options of the pretrained encoder beside BM25 (PAPERBOT_EMBEDDING_*). */
export interface EmbeddingOptions {
  /** A Hugging Face id or a local transformers.js model folder. */
  model: string;
  /** Weight of the cosine similarity beside BM25's score over the best one's. @default 0.3 */
  weight: number;
  /** A paper BM25 does not admit answers only from this similarity up (model-dependent). @default 0.6 */
  minSimilarity: number;
}

export const defaultEmbeddingOptions = { weight: 0.3, minSimilarity: 0.6 } as const;

/**
 * PAPERBOT_EMBEDDING_MODEL, _WEIGHT and _MIN_SIMILARITY, checked; null when
 * no model is configured (the default: nothing is downloaded or loaded).
 */
export function embeddingOptionsFrom(env: NodeJS.ProcessEnv): EmbeddingOptions | null {
  const model = env.PAPERBOT_EMBEDDING_MODEL?.trim();
  if (!model) return null;
  const share = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!(value >= 0 && value <= 1)) throw new UserError('bad_env', `${name} must be a number from 0 to 1, not "${raw}"`);
    return value;
  };
  return {
    model,
    weight: share('PAPERBOT_EMBEDDING_WEIGHT', defaultEmbeddingOptions.weight),
    minSimilarity: share('PAPERBOT_EMBEDDING_MIN_SIMILARITY', defaultEmbeddingOptions.minSimilarity),
  };
}

// Papers embedded a call: the model's batch.
const BATCH = 16;

/**
 * A pretrained sentence encoder beside BM25: every paper is embedded once
 * (vectors kept in data/embeddings/, so a later sync embeds only the papers
 * stored since), the question is embedded as it comes, and PaperSearch mixes
 * the similarity into BM25's ranking.
 */
export class EmbeddingSearch {
  private index = new DenseIndex(new Int32Array(0), new Float32Array(0), 0);
  /** Papers the last sync embedded (the ones no earlier sync had). */
  embedded = 0;
  /** The index holds every vector of the store: false until a sync succeeds, and after one fails halfway. */
  private whole = false;

  private constructor(
    private readonly encoder: Encoder,
    private readonly storePath: string,
    private readonly options: EmbeddingOptions,
  ) {}

  /** The encoder of `options.model` for the library of `corpusDir`, with no vectors loaded yet (see sync). */
  static async create(corpusDir: string, dataDir: string, options: EmbeddingOptions): Promise<EmbeddingSearch> {
    const encoder = await openEncoder(options.model, join(dataDir, 'models'));
    const dir = join(dataDir, 'embeddings', corpusTag(corpusDir));
    mkdirSync(dir, { recursive: true });
    return new EmbeddingSearch(encoder, join(dir, `${options.model.replace(/[^\w.-]+/g, '_')}.sqlite`), options);
  }

  /** `create`, then `sync` with `search`'s library. */
  static async open(search: PaperSearch, dataDir: string, options: EmbeddingOptions, progress?: (total: number) => Progress): Promise<EmbeddingSearch> {
    const semantic = await EmbeddingSearch.create(search.info.corpusDir, dataDir, options);
    await semantic.sync(search.library, progress);
    return semantic;
  }

  /** Papers with a vector in memory. */
  get size(): number {
    return this.index.size;
  }

  /**
   * Embed the library's papers that have no vector, forget those of papers
   * gone, and load every vector. After a first sync only the papers stored
   * since the last one are read; a sync cut short resumes where it stopped,
   * as each batch is saved as it is embedded (and `signal` is looked at
   * between batches). Returns the papers embedded.
   */
  async sync(library: PaperLibrary, progress: (total: number) => Progress = () => silentProgress, signal?: AbortSignal): Promise<number> {
    const store = EmbeddingStore.open(this.storePath, this.options.model);
    try {
      const generation = library.generation();
      const since = store.syncedWith();
      const incremental = since !== null && since.library === library.id && since.generation <= generation;
      const have = store.docs();
      // Only the texts of papers to embed are held.
      const missing: { doc: number; text: string }[] = [];
      for (const { doc, paper } of library.scan(incremental ? since.generation : undefined)) {
        if (have.delete(doc)) continue;
        missing.push({ doc, text: `${normalizeText(paper.title)}. ${normalizeText(paper.abstract)}` });
      }
      // A full scan saw every paper, so what is left in `have` is gone; otherwise the library says what went.
      const removed = new Set(incremental ? library.removedSince(since.generation) : have);
      store.remove(removed);
      // The vectors of a first sync are read back from the store at the end; a later one's are few, and kept to add.
      const keep = this.whole;
      this.whole = false;
      const added: { doc: number; vector: Float32Array }[] = [];
      const shown = progress(missing.length);
      for (let i = 0; i < missing.length; i += BATCH) {
        signal?.throwIfAborted();
        const batch = missing.slice(i, i + BATCH);
        const vectors = await this.encoder.encode(batch.map((p) => p.text));
        const rows = batch.map(({ doc }, j) => ({ doc, vector: vectors[j]! }));
        store.put(rows);
        if (keep) added.push(...rows);
        shown.tick(batch.length);
      }
      shown.done();
      store.markSynced(library.id, generation);
      if (keep) {
        this.index = this.index.updated(removed, added);
      } else {
        const { docs, vectors, dims } = store.load();
        this.index = new DenseIndex(docs, vectors, dims);
      }
      this.whole = true;
      this.embedded = missing.length;
      return missing.length;
    } finally {
      store.close();
    }
  }

  /** `base.search`, with the question's vector mixed in (papers not yet embedded rank by BM25 alone). */
  async search(base: PaperSearch, question: string, options: SearchOptions = {}): Promise<SearchResult> {
    const [vector] = await this.encoder.encode([question.trim() || ' ']);
    const index = this.index;
    return base.search(question, {
      ...options,
      dense: {
        nearest: index.nearest(vector!, 100),
        similarity: (doc) => index.similarity(vector!, doc),
        weight: this.options.weight,
        minSimilarity: this.options.minSimilarity,
      },
    });
  }
}
