import type { Logger } from '../log.js';
import type { LiveSearch } from '../search/LiveSearch.js';
import type { SearchOptions, SearchResult } from '../search/PaperSearch.js';
import { EmbeddingSearch, type EmbeddingOptions } from './EmbeddingSearch.js';

/** How far the bot's encoder has come, for /about. */
export interface EmbeddingStatus {
  model: string;
  /** Papers with a vector. */
  embedded: number;
  /** Papers of the library. */
  papers: number;
  /** A sync is running. */
  syncing: boolean;
  /** Why the last sync failed; null when it did not. */
  lastError: string | null;
}

/**
 * The bot's pretrained encoder beside its LiveSearch. The model is loaded
 * before the bot logs in (a bad PAPERBOT_EMBEDDING_MODEL stops the start);
 * the papers without a vector are embedded in the background, at start and
 * after every reload, while questions keep coming. A paper not yet embedded
 * ranks by BM25 alone, so a first start on a large library answers at once
 * and improves as the vectors arrive (`paperbot ask` embeds them with a
 * progress bar beforehand, if waiting is better).
 */
export class LiveEmbeddings {
  private syncing: Promise<void> | null = null;
  private again = false;
  private readonly stopped = new AbortController();
  private lastError: string | null = null;

  private constructor(
    private readonly semantic: EmbeddingSearch,
    private readonly live: LiveSearch,
    private readonly log: Logger,
    private readonly model: string,
  ) {}

  static async start(live: LiveSearch, dataDir: string, options: EmbeddingOptions, log: Logger): Promise<LiveEmbeddings> {
    const semantic = await EmbeddingSearch.create(live.current().info.corpusDir, dataDir, options);
    const embeddings = new LiveEmbeddings(semantic, live, log, options.model);
    live.onReload(() => void embeddings.sync());
    void embeddings.sync();
    return embeddings;
  }

  /** The question searched in the current library, its vector mixed in. */
  search(question: string, options: SearchOptions): Promise<SearchResult> {
    return this.semantic.search(this.live.current(), question, options);
  }

  status(): EmbeddingStatus {
    return { model: this.model, embedded: this.semantic.size, papers: this.live.current().size, syncing: this.syncing !== null, lastError: this.lastError };
  }

  /** Embed what the current library lacks; a call during a sync runs one more after it. Resolves when no sync is due. */
  sync(): Promise<void> {
    if (this.syncing !== null) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        const started = performance.now();
        try {
          const embedded = await this.semantic.sync(this.live.current().library, undefined, this.stopped.signal);
          this.lastError = null;
          if (embedded > 0) this.log.info({ module: 'embeddings', model: this.model, embedded, papers: this.semantic.size, ms: Math.round(performance.now() - started) }, 'papers embedded');
        } catch (err) {
          if (this.stopped.signal.aborted) return;
          // A full disk, say: questions keep the vectors there are; the next reload tries again.
          const first = this.lastError === null;
          this.lastError = (err as Error).message;
          if (first) this.log.error({ module: 'embeddings', model: this.model, err: this.lastError }, 'embedding papers failed; questions use the vectors there are');
        }
      } while (this.again && !this.stopped.signal.aborted);
    })().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /** Stop between two batches (what was embedded is kept; the next start resumes). */
  async stop(): Promise<void> {
    this.stopped.abort();
    await this.syncing;
  }
}
