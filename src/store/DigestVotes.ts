import type { Database } from 'better-sqlite3';

/** A vote: 👍 is 1, 👎 is −1. */
export type Vote = 1 | -1;

/** The `digest_votes` table: one row per user per paper per digest (the key enforces it). */
export class DigestVotes {
  constructor(private readonly db: Database) {}

  /** The user's vote on the paper in this digest, and when it was cast, if any. */
  get(subscriptionId: number, paperId: string, userId: string): { vote: Vote; votedAt: number } | undefined {
    return this.db
      .prepare<unknown[], { vote: Vote; votedAt: number }>('SELECT vote, voted_at AS votedAt FROM digest_votes WHERE subscription_id = ? AND paper_id = ? AND user_id = ?')
      .get(subscriptionId, paperId, userId);
  }

  /** Cast or change the user's vote. */
  set(subscriptionId: number, paperId: string, userId: string, vote: Vote, at: number): void {
    this.db
      .prepare(
        `INSERT INTO digest_votes (subscription_id, paper_id, user_id, vote, voted_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (subscription_id, paper_id, user_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at`,
      )
      .run(subscriptionId, paperId, userId, vote, at);
  }

  /** Take the user's vote back; false when there was none. */
  remove(subscriptionId: number, paperId: string, userId: string): boolean {
    return this.db.prepare('DELETE FROM digest_votes WHERE subscription_id = ? AND paper_id = ? AND user_id = ?').run(subscriptionId, paperId, userId).changes === 1;
  }

  /** Each voted paper of the digest and the sum of its votes, in the order first voted. */
  tally(subscriptionId: number): { paperId: string; net: number }[] {
    return this.db
      .prepare<[number], { paperId: string; net: number }>(
        'SELECT paper_id AS paperId, SUM(vote) AS net FROM digest_votes WHERE subscription_id = ? GROUP BY paper_id ORDER BY MIN(voted_at), paper_id',
      )
      .all(subscriptionId);
  }

  /** Votes the digest holds. */
  count(subscriptionId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM digest_votes WHERE subscription_id = ?').get(subscriptionId) as { n: number }).n;
  }

  /** Forget every vote of the digest; returns how many there were. */
  clear(subscriptionId: number): number {
    return this.db.prepare('DELETE FROM digest_votes WHERE subscription_id = ?').run(subscriptionId).changes;
  }
}
