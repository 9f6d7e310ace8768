import type { Database } from 'better-sqlite3';
import type { DigestItem } from '../digest/composeDigest.js';

/**
 * A digest claimed and not yet confirmed posted. Its row is written in the
 * transaction that claims the slot and the papers, and deleted once every
 * message is confirmed, so its life tells the state:
 * - claimed: `attemptedAt` null, nothing can have gone out;
 * - posting: an attempt started (`attemptedAt`), so some of it may have gone
 *   out (a crash, a timeout or a 5xx leaves it here); `delivered` holds the
 *   papers Discord did confirm;
 * - confirmed: the row is gone, the ledger keeps the papers.
 */
export interface DigestPost {
  subscriptionId: number;
  /** The scheduled time (ms) the digest is for. */
  slot: number;
  /** The subscription's last slot before this claim, to give the slot back when nothing went out. */
  previousSlot: number | null;
  channelId: string;
  /** The message nonce, the same on every attempt, so Discord can tell a retry from a new post. */
  nonce: string;
  /** The papers as claimed, in digest order: a retry posts the very same messages. */
  items: DigestItem[];
  /** Ids of the papers Discord confirmed posted. */
  delivered: string[];
  claimedAt: number;
  /** When the first attempt started; null while none did. */
  attemptedAt: number | null;
  attempts: number;
  lastError: string | null;
}

interface Row {
  subscription_id: number;
  slot: number;
  previous_slot: number | null;
  channel_id: string;
  nonce: string;
  items: string;
  delivered: string;
  claimed_at: number;
  attempted_at: number | null;
  attempts: number;
  last_error: string | null;
}

const fromRow = (r: Row): DigestPost => ({
  subscriptionId: r.subscription_id,
  slot: r.slot,
  previousSlot: r.previous_slot,
  channelId: r.channel_id,
  nonce: r.nonce,
  items: JSON.parse(r.items) as DigestItem[],
  delivered: JSON.parse(r.delivered) as string[],
  claimedAt: r.claimed_at,
  attemptedAt: r.attempted_at,
  attempts: r.attempts,
  lastError: r.last_error,
});

/** The `digest_posts` table. */
export class DigestPosts {
  constructor(private readonly db: Database) {}

  claim(post: Pick<DigestPost, 'subscriptionId' | 'slot' | 'previousSlot' | 'channelId' | 'nonce' | 'items' | 'claimedAt'>): DigestPost {
    const row = this.db
      .prepare<unknown[], Row>(
        `INSERT INTO digest_posts (subscription_id, slot, previous_slot, channel_id, nonce, items, claimed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(post.subscriptionId, post.slot, post.previousSlot, post.channelId, post.nonce, JSON.stringify(post.items), post.claimedAt);
    return fromRow(row!);
  }

  /** Unconfirmed posts, oldest first. */
  all(): DigestPost[] {
    return this.db.prepare<[], Row>('SELECT * FROM digest_posts ORDER BY claimed_at, subscription_id').all().map(fromRow);
  }

  byChannel(channelId: string): DigestPost[] {
    return this.db.prepare<[string], Row>('SELECT * FROM digest_posts WHERE channel_id = ? ORDER BY claimed_at').all(channelId).map(fromRow);
  }

  /**
   * Start an attempt on `post` as it was read: true for one caller only, so
   * two processes that read it at once do not both post it.
   */
  startAttempt(post: DigestPost, at: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE digest_posts SET attempts = attempts + 1, attempted_at = coalesce(attempted_at, ?)
           WHERE subscription_id = ? AND slot = ? AND attempts = ?`,
        )
        .run(at, post.subscriptionId, post.slot, post.attempts).changes === 1
    );
  }

  /** Record an attempt that left the post unconfirmed. */
  recordAttempt(post: DigestPost, delivered: readonly string[], error: string): void {
    this.db
      .prepare('UPDATE digest_posts SET delivered = ?, last_error = ? WHERE subscription_id = ? AND slot = ?')
      .run(JSON.stringify(delivered), error, post.subscriptionId, post.slot);
  }

  /** Forget the post: every message is confirmed, or it certainly never went out. */
  remove(post: DigestPost): void {
    this.db.prepare('DELETE FROM digest_posts WHERE subscription_id = ? AND slot = ?').run(post.subscriptionId, post.slot);
  }
}
