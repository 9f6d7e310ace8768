import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../log.js';
import { PACKAGE_ROOT } from '../paths.js';
import { openPaperIndex, type IndexLocation } from './openIndex.js';
import type { PaperIndex } from './PaperIndex.js';

const run = promisify(execFile);
const RETRY_MS = 60_000;

/** Options of LiveIndex. */
export interface LiveIndexOptions {
  /** How often to look at the corpus files (their names, sizes and times), ms. @default 5000 */
  pollMs?: number;
}

/**
 * The index a long-running process answers from, kept up to date with its
 * corpus folder: when the corpus files change (an ingest by the bot or from
 * the command line), a child process builds and saves the new index beside
 * the old one; this process then loads it and swaps, while answers keep
 * coming from the old one. Only the final load (reading the corpus and
 * parsing the saved index) runs in this process.
 */
export class LiveIndex {
  private index: PaperIndex;
  private signature: string;
  private timer: NodeJS.Timeout | null = null;
  private reloading: Promise<boolean> | null = null;
  /** The corpus signature that failed to load, and when: retried after RETRY_MS, not at every poll. */
  private failed: { signature: string; at: number } | null = null;

  constructor(
    private readonly location: IndexLocation,
    initial: PaperIndex,
    private readonly log: Logger,
    private readonly options: LiveIndexOptions = {},
  ) {
    this.index = initial;
    this.signature = corpusSignature(location.corpusDir);
  }

  /** The index to answer from now. */
  current(): PaperIndex {
    return this.index;
  }

  /** Look for corpus changes every `pollMs`. */
  start(): void {
    const poll = () => {
      const signature = corpusSignature(this.location.corpusDir);
      const retryDue = this.failed === null || this.failed.signature !== signature || Date.now() - this.failed.at >= RETRY_MS;
      if (signature !== this.signature && retryDue) void this.reload();
      this.timer = setTimeout(poll, this.options.pollMs ?? 5000).unref();
    };
    this.timer = setTimeout(poll, this.options.pollMs ?? 5000).unref();
  }

  stop(): Promise<unknown> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this.reloading ?? Promise.resolve();
  }

  /** Bring the index up to date with the corpus now; true when it changed. Calls during a reload share it. */
  reload(): Promise<boolean> {
    this.reloading ??= this.swap().finally(() => {
      this.reloading = null;
    });
    return this.reloading;
  }

  private async swap(): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const signature = corpusSignature(this.location.corpusDir);
      const started = performance.now();
      try {
        await run(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'src/search/prepareIndex.ts'), this.location.corpusDir, this.location.dataDir], {
          cwd: PACKAGE_ROOT,
          maxBuffer: 1 << 20,
        });
        // If the corpus changed again meanwhile, the saved index is stale: go round again rather than build here.
        const next = openPaperIndex({ ...this.location, build: false });
        if (next === null) continue;
        next.titles(); // ready before the first autocomplete reaches it
        this.index = next;
        this.signature = signature;
        this.failed = null;
        this.log.info({ module: 'index', papers: next.corpus.papers.length, ms: Math.round(performance.now() - started) }, 'index reloaded');
        return true;
      } catch (err) {
        // A broken corpus (an edit by hand half done), or a passing failure, keeps the old
        // index answering; the same corpus is tried again a minute later.
        this.failed = { signature, at: Date.now() };
        this.log.error({ module: 'index', err: (err as { stderr?: string }).stderr?.trim() || err }, 'index reload failed; still answering from the previous corpus');
        return false;
      }
    }
    return false;
  }
}

/** Names, sizes and modification times of the corpus files: cheap to read, and any write changes it. */
function corpusSignature(dir: string): string {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .map((f) => {
        const s = statSync(join(dir, f));
        return `${f}:${s.size}:${s.mtimeMs}`;
      })
      .join('|');
  } catch {
    return 'missing';
  }
}
