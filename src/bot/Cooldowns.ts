/**
 * Per-user cooldown: after a question, the same user waits `seconds` before
 * the next one. A limit per user, not per channel, so one person cannot crowd
 * a busy server out of answers.
 */
export class Cooldowns {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Record a question from `userId` now. Returns 0 when allowed, else the
   * milliseconds left to wait (and records nothing).
   */
  take(userId: string): number {
    if (this.seconds <= 0) return 0;
    const now = this.now();
    const until = this.until.get(userId) ?? 0;
    if (until > now) return until - now;
    this.until.set(userId, now + this.seconds * 1000);
    if (this.until.size > 10_000) this.prune(now);
    return 0;
  }

  private prune(now: number): void {
    for (const [user, until] of this.until) if (until <= now) this.until.delete(user);
  }
}
