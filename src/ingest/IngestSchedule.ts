import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cron } from 'croner';
import type { IngestJob } from '../config.js';
import type { Logger } from '../log.js';
import { PACKAGE_ROOT } from '../paths.js';

const run = promisify(execFile);
const ARXIV_INTERVAL_MS = 3000;

/** The `paperbot ingest` arguments of a job run at `now` (OAI takes yesterday's and today's records). */
export function ingestArguments(job: IngestJob, now: number): string[] {
  switch (job.kind) {
    case 'rss':
      return ['rss', job.argument];
    case 'arxiv':
      return ['arxiv', '--query', job.argument, '--max', '500', '--newest'];
    case 'oai':
      return ['oai', '--set', job.argument, '--from', new Date(now - 86_400_000).toISOString().slice(0, 10)];
  }
}

/**
 * The bot's own ingests: each job daily at its UTC time, run as `paperbot
 * ingest` in a child process (the same code, lock and atomic writes as by
 * hand); `afterRun` then lets the live index pick up the new corpus.
 */
export class IngestSchedule {
  private readonly crons: Cron[] = [];
  private running: Promise<unknown> = Promise.resolve();
  private lastEnd = -Infinity;

  constructor(
    readonly jobs: readonly IngestJob[],
    private readonly location: { corpusDir: string; dataDir: string; engine?: string },
    private readonly log: Logger,
    private readonly afterRun: () => Promise<unknown>,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    for (const job of this.jobs) {
      const [h, m] = job.time.split(':').map(Number);
      this.crons.push(new Cron(`${m} ${h} * * *`, { timezone: 'UTC', protect: true }, () => void this.run(job)));
    }
  }

  /**
   * Run one job now; resolves with its summary, or null when it failed. Jobs
   * never overlap, and the next starts 3 s after the last ended: each runs in
   * its own process, whose client cannot see the previous one's last request.
   */
  run(job: IngestJob): Promise<Record<string, unknown> | null> {
    const result = this.running
      .then(() => new Promise((resolve) => setTimeout(resolve, Math.max(0, this.lastEnd + ARXIV_INTERVAL_MS - Date.now()))))
      .then(() => this.runNow(job))
      .finally(() => {
        this.lastEnd = Date.now();
      });
    this.running = result.catch(() => undefined);
    return result;
  }

  async stop(): Promise<void> {
    for (const cron of this.crons) cron.stop();
    await this.running;
  }

  private async runNow(job: IngestJob): Promise<Record<string, unknown> | null> {
    const args = [join(PACKAGE_ROOT, 'src/cli/paperbot.mjs'), 'ingest', ...ingestArguments(job, this.now()), '--corpus', this.location.corpusDir, '--json'];
    try {
      // The child writes the library this process reads: the same data folder and engine, whatever its environment says.
      const env = { ...process.env, PAPERBOT_DATA_DIR: this.location.dataDir, PAPERBOT_ENGINE: this.location.engine ?? '' };
      const { stdout } = await run(process.execPath, args, { cwd: PACKAGE_ROOT, maxBuffer: 16 << 20, env });
      const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
      this.log.info({ module: 'ingest', job: `${job.kind}:${job.argument}`, ...summary }, 'ingest done');
      await this.afterRun();
      return summary;
    } catch (err) {
      this.log.error({ module: 'ingest', job: `${job.kind}:${job.argument}`, err: (err as { stderr?: string }).stderr?.trim() || err }, 'ingest failed; the corpus is unchanged');
      return null;
    }
  }
}
