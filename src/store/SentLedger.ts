import type { Database } from 'better-sqlite3';

/**
 * The `sent_papers` table: which papers each channel has been sent, by
 * canonical arXiv id, so no version and no second topic sends one again.
 * A paper is written here before it is posted (claimed): a crash between the
 * two leaves it to the unconfirmed post (DigestPosts) that retries it, never
 * to a later digest that could post it twice.
 */
export class SentLedger {
  constructor(private readonly db: Database) {}

  /** The ids already sent (or claimed) for `channelId`. */
  sentTo(channelId: string): Set<string> {
    const rows = this.db.prepare<[string], { paper_id: string }>('SELECT paper_id FROM sent_papers WHERE channel_id = ?').all(channelId);
    return new Set(rows.map((r) => r.paper_id));
  }

  claim(channelId: string, paperIds: readonly string[], subscriptionId: number, at: number): void {
    const insert = this.db.prepare('INSERT INTO sent_papers (channel_id, paper_id, subscription_id, claimed_at) VALUES (?, ?, ?, ?)');
    for (const id of paperIds) insert.run(channelId, id, subscriptionId, at);
  }

  /** Un-claim papers that were certainly not posted (Discord answered with an error). */
  release(channelId: string, paperIds: readonly string[]): void {
    const remove = this.db.prepare('DELETE FROM sent_papers WHERE channel_id = ? AND paper_id = ?');
    for (const id of paperIds) remove.run(channelId, id);
  }
}
