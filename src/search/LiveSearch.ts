import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { corpusSignature } from '../corpus/loadCorpus.js';
import type { Logger } from '../log.js';
import { PACKAGE_ROOT } from '../paths.js';
import { openSearch, type SearchLocation } from './openSearch.js';
import type { PaperSearch } from './PaperSearch.js';

const run = promisify(execFile);
const RETRY_MS = 60_000;

/** Options of LiveSearch. */
export interface LiveSearchOptions {
  /** How often to look at the corpus files and the library's generation, ms. @default 5000 */
  pollMs?: number;
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
  /** The state that failed to load, and when: retried after RETRY_MS, not at every poll. */
  private failed: { state: string; at: number } | null = null;

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

  /** Look for changes every `pollMs`. */
  start(): void {
    const poll = () => {
      const state = this.currentState();
      const retryDue = this.failed === null || this.failed.state !== state || Date.now() - this.failed.at >= RETRY_MS;
      if (state !== this.state && retryDue) void this.reload();
      this.timer = setTimeout(poll, this.options.pollMs ?? 5000).unref();
    };
    this.timer = setTimeout(poll, this.options.pollMs ?? 5000).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
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
    for (let attempt = 0; attempt < 3; attempt++) {
      const state = this.currentState();
      const started = performance.now();
      try {
        await run(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'src/search/prepareIndex.ts'), this.location.corpusDir, this.location.dataDir], {
          cwd: PACKAGE_ROOT,
          maxBuffer: 1 << 20,
          env: { ...process.env, PAPERBOT_ENGINE: this.location.engine ?? '' },
        });
        // If the library changed again meanwhile, the saved index is behind: go round again rather than build here.
        const next = openSearch({ ...this.location, build: false, loadTitles: true, previous: this.search });
        if (next === null) continue;
        this.search = next;
        this.state = state;
        this.failed = null;
        this.log.info({ module: 'index', papers: next.size, actions: next.info.actions, ms: Math.round(performance.now() - started) }, 'index reloaded');
        return true;
      } catch (err) {
        // A broken corpus file (an edit by hand half done), or a passing failure, keeps the old
        // search answering; the same state is tried again a minute later.
        this.failed = { state, at: Date.now() };
        this.log.error({ module: 'index', err: (err as { stderr?: string }).stderr?.trim() || err }, 'index reload failed; still answering from the previous library');
        return false;
      }
    }
    return false;
  }
}
