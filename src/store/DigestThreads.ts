import type { Database } from 'better-sqlite3';

/** A digest's thread and the papers it posted. */
export interface DigestThread {
  threadId: string;
  subscriptionId: number;
  channelId: string;
  paperIds: string[];
}

/** The `digest_threads` table. */
export class DigestThreads {
  constructor(private readonly db: Database) {}

  add(thread: DigestThread, at: number): void {
    this.db
      .prepare('INSERT INTO digest_threads (thread_id, subscription_id, channel_id, paper_ids, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (thread_id) DO NOTHING')
      .run(thread.threadId, thread.subscriptionId, thread.channelId, JSON.stringify(thread.paperIds), at);
  }

  get(threadId: string): DigestThread | undefined {
    const row = this.db
      .prepare<[string], { subscription_id: number; channel_id: string; paper_ids: string }>('SELECT subscription_id, channel_id, paper_ids FROM digest_threads WHERE thread_id = ?')
      .get(threadId);
    return row && { threadId, subscriptionId: row.subscription_id, channelId: row.channel_id, paperIds: JSON.parse(row.paper_ids) as string[] };
  }
}
