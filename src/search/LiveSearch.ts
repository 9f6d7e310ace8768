import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { corpusSignature } from '../corpus/loadCorpus.js';
import type { Logger } from '../log.js';
import { PACKAGE_ROOT } from '../paths.js';
import { dropPrefetched, prefetchBinaryFiles } from './binaryFile.js';
import { indexDirOf, openSearch, type SearchLocation } from './openSearch.js';
import type { PaperSearch } from './PaperSearch.js';

const run = promisify(execFile);

/** Options of LiveSearch. */
export interface LiveSearchOptions {
  /** How often to look at the corpus files and the library's generation, ms. @default 5000 */
  pollMs?: number;
  /**
   * The waits after the 1st, 2nd, … failed reload in a row, ms; the last repeats.
   * @default 1 min, 5 min, 15 min, 1 h
   */
  retryDelaysMs?: readonly number[];
  /**
   * Made ready before it answers: a new search is swapped in only once this
   * resolves, the current one answering meanwhile (a failure keeps it).
   * `stopping` aborts when stop() is called, which waits for this.
   */
  prepare?: (next: PaperSearch, stopping: AbortSignal) => Promise<void>;
}

const DEFAULT_RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];

/** Where reloading stands: `failures` in a row, and when the next try is due. */
export interface ReloadStatus {
  failures: number;
  retryAt: number | null;
  lastError: string | null;
}

/**
 * The search a long-running process answers from, kept up to date with its
 * library: when an ingest (the bot's own, or one from the command line)
 * commits, or the corpus files change, a child process brings the index up
 * to date (a new segment for the new papers, a merge when due) and saves
 * it; this process then loads what changed, keeping the segments it holds,
 * and swaps, while answers keep coming from the previous search.
 */
export class LiveSearch {
  private search: PaperSearch;
  private state: string;
  private timer: NodeJS.Timeout | null = null;
  private reloading: Promise<boolean> | null = null;
  /**
   * Failed reloads in a row. A data disk that is full fails every time, so the
   * next try waits longer each time (whatever the library does meanwhile)
   * rather than rebuilding at every poll.
   */
  private failure: ReloadStatus = { failures: 0, retryAt: null, lastError: null };
  private readonly reloadListeners: ((search: PaperSearch) => void)[] = [];
  private readonly stopping = new AbortController();

  constructor(
    private readonly location: SearchLocation,
    initial: PaperSearch,
    private readonly log: Logger,
    private readonly options: LiveSearchOptions = {},
  ) {
    this.search = initial;
    this.state = this.currentState();
  }

  /** The search to answer from now. */
  current(): PaperSearch {
    return this.search;
  }

  /** Failed reloads in a row, and when the next is due. */
  status(): ReloadStatus {
    return { ...this.failure };
  }

  /** Call `listener` with each new search, once it answers. */
  onReload(listener: (search: PaperSearch) => void): void {
    this.reloadListeners.push(listener);
  }

  /** Look for changes every `pollMs`. */
  start(): void {
    const poll = () => {
      const retryDue = this.failure.retryAt === null || Date.now() >= this.failure.retryAt;
      if (retryDue && this.currentState() !== this.state) void this.reload();
      this.timer = setTimeout(poll, this.options.pollMs ?? 5000).unref();
    };
    this.timer = setTimeout(poll, this.options.pollMs ?? 5000).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopping.abort();
    await this.reloading;
    this.search.library.close();
  }

  /** Bring the search up to date now; true when it changed. Calls during a reload share it. */
  reload(): Promise<boolean> {
    this.reloading ??= this.swap().finally(() => {
      this.reloading = null;
    });
    return this.reloading;
  }

  /** The corpus files' names, sizes and times, and the library's generation: cheap to read, and any change shows. */
  private currentState(): string {
    let files: string;
    try {
      files = corpusSignature(this.location.corpusDir);
    } catch {
      files = 'missing';
    }
    return `${files}#${this.search.library.generation()}`;
  }

  private async swap(): Promise<boolean> {
    const started = performance.now();
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const state = this.currentState();
        await run(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'src/search/prepareIndex.ts'), this.location.corpusDir, this.location.dataDir], {
          cwd: PACKAGE_ROOT,
          maxBuffer: 1 << 20,
          env: { ...process.env, PAPERBOT_ENGINE: this.location.engine ?? '' },
        });
        // What changed on disk is read ahead asynchronously, so loading it does not stall the answers.
        await prefetchBinaryFiles(indexDirOf(this.location));
        // If the library changed again meanwhile, the saved index is behind: go round again rather than build here.
        let next;
        try {
          next = openSearch({ ...this.location, build: false, loadTitles: true, previous: this.search });
        } finally {
          dropPrefetched();
        }
        if (next === null) continue;
        await this.options.prepare?.(next, this.stopping.signal);
        this.search = next;
        this.state = state;
        const after = this.failure.failures;
        this.failure = { failures: 0, retryAt: null, lastError: null };
        this.log.info({ module: 'index', papers: next.size, actions: next.info.actions, ms: Math.round(performance.now() - started), ...(after > 0 && { afterFailures: after }) }, 'index reloaded');
        for (const listener of this.reloadListeners) listener(next);
        return true;
      }
      throw new Error('the library kept changing while its index was brought up to date (3 tries)');
    } catch (err) {
      if (!this.stopping.signal.aborted) this.failed(err);
      return false;
    }
  }

  /**
   * A broken corpus file (an edit by hand half done), a full disk or a passing
   * failure keeps the old search answering. The first failure of a run is
   * logged as an error; the repeats, until one succeeds, only at debug.
   */
  private failed(err: unknown): void {
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const failures = this.failure.failures + 1;
    const delay = delays[Math.min(failures, delays.length) - 1]!;
    const reason = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
    this.failure = { failures, retryAt: Date.now() + delay, lastError: reason };
    const fields = { module: 'index', err: reason, failures, retryInMs: delay };
    if (failures === 1) this.log.error(fields, 'index reload failed; still answering from the previous library');
    else this.log.debug(fields, 'index reload failed again');
  }
}
