import type { Database } from 'better-sqlite3';

/** A channel's daily digest of papers on a topic. */
export interface Subscription {
  id: number;
  guildId: string;
  channelId: string;
  topic: string;
  /** Local time of day, HH:MM. */
  time: string;
  /** IANA time zone of `time`. */
  timezone: string;
  maxPapers: number;
  /** Post "nothing new today" rather than stay quiet. */
  postWhenEmpty: boolean;
  createdBy: string;
  createdAt: number;
  /** Scheduled time (ms) of the last run claimed, or null before the first. */
  lastSlot: number | null;
  lastSentAt: number | null;
  papersSent: number;
  /** Why the digest is paused (a deleted channel, lost permissions); null when active. */
  pausedReason: string | null;
  /** Only papers in this arXiv category or under this archive; null: any. */
  category: string | null;
  /** The author whose papers the digest brings (with the topic, those on it), as typed; null: any. */
  author: string | null;
  /** Why the last digest got no thread (a missing permission), shown in /digest list; null when it got one. */
  threadProblem: string | null;
}

export type NewSubscription = Pick<
  Subscription,
  'guildId' | 'channelId' | 'topic' | 'time' | 'timezone' | 'maxPapers' | 'postWhenEmpty' | 'createdBy' | 'createdAt' | 'category' | 'author'
>;

interface Row {
  id: number;
  guild_id: string;
  channel_id: string;
  topic: string;
  time: string;
  timezone: string;
  max_papers: number;
  post_when_empty: number;
  created_by: string;
  created_at: number;
  last_slot: number | null;
  last_sent_at: number | null;
  papers_sent: number;
  paused_reason: string | null;
  category: string | null;
  author: string;
  thread_problem: string | null;
}

const fromRow = (r: Row): Subscription => ({
  id: r.id,
  guildId: r.guild_id,
  channelId: r.channel_id,
  topic: r.topic,
  time: r.time,
  timezone: r.timezone,
  maxPapers: r.max_papers,
  postWhenEmpty: r.post_when_empty === 1,
  createdBy: r.created_by,
  createdAt: r.created_at,
  lastSlot: r.last_slot,
  lastSentAt: r.last_sent_at,
  papersSent: r.papers_sent,
  pausedReason: r.paused_reason,
  category: r.category,
  author: r.author === '' ? null : r.author,
  threadProblem: r.thread_problem,
});

/** The `subscriptions` table. */
export class Subscriptions {
  constructor(private readonly db: Database) {}

  /** Add one; null when the channel already has a digest on this topic and author. */
  add(s: NewSubscription): Subscription | null {
    const row = this.db
      .prepare<unknown[], Row>(
        `INSERT INTO subscriptions (guild_id, channel_id, topic, time, timezone, max_papers, post_when_empty, created_by, created_at, category, author)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel_id, topic, author) DO NOTHING
         RETURNING *`,
      )
      .get(s.guildId, s.channelId, s.topic, s.time, s.timezone, s.maxPapers, s.postWhenEmpty ? 1 : 0, s.createdBy, s.createdAt, s.category, s.author ?? '');
    return row === undefined ? null : fromRow(row);
  }

  get(id: number): Subscription | undefined {
    const row = this.db.prepare<[number], Row>('SELECT * FROM subscriptions WHERE id = ?').get(id);
    return row && fromRow(row);
  }

  /** Remove subscription `id` of `guildId`; false when the guild has none by that id. */
  remove(id: number, guildId: string): boolean {
    return this.db.prepare('DELETE FROM subscriptions WHERE id = ? AND guild_id = ?').run(id, guildId).changes === 1;
  }

  byChannel(channelId: string): Subscription[] {
    return this.db.prepare<[string], Row>('SELECT * FROM subscriptions WHERE channel_id = ? ORDER BY id').all(channelId).map(fromRow);
  }

  byGuild(guildId: string): Subscription[] {
    return this.db.prepare<[string], Row>('SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY id').all(guildId).map(fromRow);
  }

  countByGuild(guildId: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM subscriptions WHERE guild_id = ?').get(guildId) as { n: number }).n;
  }

  /** Subscriptions not paused. */
  active(): Subscription[] {
    return this.db.prepare<[], Row>('SELECT * FROM subscriptions WHERE paused_reason IS NULL ORDER BY id').all().map(fromRow);
  }

  /**
   * Claim the run of `slot` for subscription `id`: true for exactly one caller,
   * whatever the number of processes, and only once per slot.
   */
  claimSlot(id: number, slot: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE subscriptions SET last_slot = ?
           WHERE id = ? AND paused_reason IS NULL AND (last_slot IS NULL OR last_slot < ?)`,
        )
        .run(slot, id, slot).changes === 1
    );
  }

  /** Give a claimed slot back (nothing was delivered), so the next tick retries it. */
  releaseSlot(id: number, slot: number, previous: number | null): void {
    this.db.prepare('UPDATE subscriptions SET last_slot = ? WHERE id = ? AND last_slot = ?').run(previous, id, slot);
  }

  recordDelivery(id: number, papers: number, at: number): void {
    this.db.prepare('UPDATE subscriptions SET papers_sent = papers_sent + ?, last_sent_at = ? WHERE id = ?').run(papers, at, id);
  }

  /** Why the digest's last post got no thread; null once one does. */
  setThreadProblem(id: number, problem: string | null): void {
    this.db.prepare('UPDATE subscriptions SET thread_problem = ? WHERE id = ?').run(problem, id);
  }

  pause(id: number, reason: string): void {
    this.db.prepare('UPDATE subscriptions SET paused_reason = ? WHERE id = ?').run(reason, id);
  }
}
