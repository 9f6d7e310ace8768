import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { corpusTag } from '../library/openLibrary.js';
import { silentProgress, type Progress } from '../progress.js';
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
 * Search with a pretrained sentence encoder beside BM25: every paper is
 * embedded once (vectors kept in data/embeddings/, so later opens embed only
 * the new papers), the question is embedded as it comes, and PaperSearch
 * mixes the similarity into BM25's ranking.
 */
export class EmbeddingSearch {
  private constructor(
    readonly base: PaperSearch,
    private readonly encoder: Encoder,
    private readonly index: DenseIndex,
    private readonly options: EmbeddingOptions,
    /** Papers this open embedded (the ones no earlier open had). */
    readonly embedded: number,
  ) {}

  static async open(search: PaperSearch, dataDir: string, options: EmbeddingOptions, progress: (total: number) => Progress = () => silentProgress): Promise<EmbeddingSearch> {
    const encoder = await openEncoder(options.model, join(dataDir, 'models'));
    const dir = join(dataDir, 'embeddings', corpusTag(search.info.corpusDir));
    mkdirSync(dir, { recursive: true });
    const store = EmbeddingStore.open(join(dir, `${options.model.replace(/[^\w.-]+/g, '_')}.sqlite`), options.model);
    try {
      // One pass over the library: which papers lack a vector (only their text is held), and which vectors are of papers gone.
      const stale = store.docs();
      const missing: { doc: number; text: string }[] = [];
      for (const { doc, paper } of search.library.scan()) {
        if (!stale.delete(doc)) missing.push({ doc, text: `${normalizeText(paper.title)}. ${normalizeText(paper.abstract)}` });
      }
      store.remove(stale);
      const shown = progress(missing.length);
      for (let i = 0; i < missing.length; i += BATCH) {
        const batch = missing.slice(i, i + BATCH);
        const vectors = await encoder.encode(batch.map((p) => p.text));
        store.put(batch.map(({ doc }, j) => ({ doc, vector: vectors[j]! })));
        shown.tick(batch.length);
      }
      shown.done();
      const { docs, vectors, dims } = store.load();
      return new EmbeddingSearch(search, encoder, new DenseIndex(docs, vectors, dims), options, missing.length);
    } finally {
      store.close();
    }
  }

  /** PaperSearch.search, with the question's vector mixed in. */
  async search(question: string, options: SearchOptions = {}): Promise<SearchResult> {
    const [vector] = await this.encoder.encode([question.trim() || ' ']);
    return this.base.search(question, {
      ...options,
      dense: {
        nearest: this.index.nearest(vector!, 100),
        similarity: (doc) => this.index.similarity(vector!, doc),
        weight: this.options.weight,
        minSimilarity: this.options.minSimilarity,
      },
    });
  }
}
