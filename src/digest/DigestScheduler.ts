import type { Logger } from '../log.js';
import type { Subscription } from '../store/Subscriptions.js';
import type { DigestService, DigestTransport } from './DigestService.js';
import { nextSlot } from './schedule.js';

/** Options of the DigestScheduler. */
export interface DigestSchedulerOptions {
  /** Which subscriptions this process runs (with sharding: those of its guilds). @default all */
  accept?: (subscription: Subscription) => boolean;
  /** Longest sleep between two looks at the subscriptions, ms (new subscriptions, a changed clock). @default 60 000 */
  maxSleepMs?: number;
}

/**
 * Fires each subscription's digest at its local time. It sleeps until the
 * next scheduled time (croner computes it, daylight saving included), runs
 * what is due, one after another, and looks again. Each look first retries
 * the posts left unconfirmed (by a crash, a timeout, a 5xx), so at start
 * these come before what downtime missed (once per subscription). `tick()`
 * runs what is due now; tests drive it with their own clock.
 */
export class DigestScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly service: DigestService,
    private readonly transport: DigestTransport,
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly options: DigestSchedulerOptions = {},
  ) {}

  /** Run the digests due now; returns how many ran. Overlapping calls share one pass. */
  tick(): Promise<number> {
    this.running ??= this.runDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Catch up on what is due, then keep firing at the scheduled times until `stop`. */
  start(): void {
    this.stopped = false;
    void this.tick().finally(() => this.sleep());
  }

  /** Stop the timer and wait for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private sleep(): void {
    if (this.stopped) return;
    const now = this.now();
    const maxSleep = this.options.maxSleepMs ?? 60_000;
    const next = this.service.subscriptions
      .active()
      .filter(this.options.accept ?? (() => true))
      .reduce((soonest, s) => Math.min(soonest, nextSlot(s.time, s.timezone, now)), now + maxSleep);
    this.timer = setTimeout(() => void this.tick().finally(() => this.sleep()), Math.max(0, next - now) + 50);
    this.timer.unref();
  }

  private async runDue(): Promise<number> {
    const { accept } = this.options;
    const runs = [
      ...this.service.unconfirmed(accept).map(({ subscription, post }) => ({ subscription, slot: post.slot, retry: true, go: () => this.service.deliver(subscription, post, this.transport) })),
      ...this.service.due(accept).map(({ subscription, slot }) => ({ subscription, slot, retry: false, go: () => this.service.run(subscription, slot, this.transport) })),
    ];
    let ran = 0;
    for (const { subscription, slot, retry, go } of runs) {
      const started = this.now();
      try {
        const result = await go();
        if (result === null) continue; // another process ran it
        ran++;
        const line = { subscription: subscription.id, guild: subscription.guildId, channel: subscription.channelId, slot: new Date(slot).toISOString(), retry, papers: result.delivered.length, latencyMs: this.now() - started };
        if (result.failure?.permanent) this.log.warn({ ...line, reason: result.failure.reason }, 'digest paused');
        else if (result.failure) this.log.warn({ ...line, reason: result.failure.reason }, 'digest failed; retrying later');
        else this.log.info(line, 'digest sent');
      } catch (err) {
        this.log.error({ err, subscription: subscription.id }, 'digest run failed');
      }
    }
    return ran;
  }
}
