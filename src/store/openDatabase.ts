import Database from 'better-sqlite3';
import { EnvironmentError } from '../errors.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order at start-up. The database's
 * `user_version` counts those already applied; append, never edit.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: digest subscriptions and the ledger of papers sent to each channel.
  `CREATE TABLE subscriptions (
     id              INTEGER PRIMARY KEY,
     guild_id        TEXT    NOT NULL,
     channel_id      TEXT    NOT NULL,
     topic           TEXT    NOT NULL,
     time            TEXT    NOT NULL,            -- HH:MM, local to timezone
     timezone        TEXT    NOT NULL,            -- IANA name
     max_papers      INTEGER NOT NULL,
     post_when_empty INTEGER NOT NULL DEFAULT 0,
     created_by      TEXT    NOT NULL,
     created_at      INTEGER NOT NULL,            -- ms since the epoch
     last_slot       INTEGER,                     -- the scheduled time (ms) of the last run claimed
     last_sent_at    INTEGER,
     papers_sent     INTEGER NOT NULL DEFAULT 0,
     paused_reason   TEXT,                        -- not null: paused, and why
     UNIQUE (channel_id, topic)
   );
   CREATE INDEX subscriptions_guild ON subscriptions (guild_id);
   CREATE TABLE sent_papers (
     channel_id      TEXT    NOT NULL,
     paper_id        TEXT    NOT NULL,            -- canonical arXiv id: every version is the same paper
     subscription_id INTEGER,
     claimed_at      INTEGER NOT NULL,
     PRIMARY KEY (channel_id, paper_id)
   ) WITHOUT ROWID;`,
  // 2: digests claimed and not yet confirmed posted, so a crash mid-post is retried (same nonce), not lost.
  `CREATE TABLE digest_posts (
     subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
     slot            INTEGER NOT NULL,            -- the scheduled time (ms) it is for
     previous_slot   INTEGER,                     -- the subscription's last_slot before this claim
     channel_id      TEXT    NOT NULL,
     nonce           TEXT    NOT NULL,            -- Discord message nonce, the same on every attempt
     items           TEXT    NOT NULL,            -- JSON: the papers as claimed, in digest order
     delivered       TEXT    NOT NULL DEFAULT '[]', -- JSON: ids of those Discord confirmed
     claimed_at      INTEGER NOT NULL,
     attempted_at    INTEGER,                     -- when the first attempt started; null: none did
     attempts        INTEGER NOT NULL DEFAULT 0,
     last_error      TEXT,
     PRIMARY KEY (subscription_id, slot)
   );
   CREATE INDEX digest_posts_channel ON digest_posts (channel_id);`,
  // 3: a digest may keep to one arXiv category (or archive); null: any.
  `ALTER TABLE subscriptions ADD COLUMN category TEXT;`,
  // 4: reading lists: a user's saved papers, a channel's shared lists, the CLI's local ones.
  `CREATE TABLE list_entries (
     owner_kind TEXT    NOT NULL,                -- 'user' (saved papers), 'channel' (a shared list), 'local' (the CLI's)
     owner_id   TEXT    NOT NULL,                -- the user's or channel's id; 'local'
     list_name  TEXT    NOT NULL COLLATE NOCASE, -- '' for saved papers; "This week" and "this week" are one list
     paper_id   TEXT    NOT NULL,                -- canonical arXiv id
     added_by   TEXT    NOT NULL,
     added_at   INTEGER NOT NULL,                -- ms since the epoch
     PRIMARY KEY (owner_kind, owner_id, list_name, paper_id)
   ) WITHOUT ROWID;`,
  // 5: a digest may follow an author ('' for none), alone or with a topic ('' for none): one digest per
  // channel, topic and author. SQLite cannot change a UNIQUE constraint, so the table is rebuilt; the
  // digests' posts (whose key refers to it) are set aside and put back, so the cascade deletes none.
  `CREATE TABLE digest_posts_kept AS SELECT * FROM digest_posts;
   DROP TABLE digest_posts;
   CREATE TABLE subscriptions_next (
     id              INTEGER PRIMARY KEY,
     guild_id        TEXT    NOT NULL,
     channel_id      TEXT    NOT NULL,
     topic           TEXT    NOT NULL,            -- '' when the digest follows an author alone
     author          TEXT    NOT NULL DEFAULT '', -- the author followed, as typed; '' for none
     time            TEXT    NOT NULL,
     timezone        TEXT    NOT NULL,
     max_papers      INTEGER NOT NULL,
     post_when_empty INTEGER NOT NULL DEFAULT 0,
     created_by      TEXT    NOT NULL,
     created_at      INTEGER NOT NULL,
     last_slot       INTEGER,
     last_sent_at    INTEGER,
     papers_sent     INTEGER NOT NULL DEFAULT 0,
     paused_reason   TEXT,
     category        TEXT,
     UNIQUE (channel_id, topic, author)
   );
   INSERT INTO subscriptions_next (id, guild_id, channel_id, topic, time, timezone, max_papers, post_when_empty, created_by, created_at, last_slot, last_sent_at, papers_sent, paused_reason, category)
     SELECT id, guild_id, channel_id, topic, time, timezone, max_papers, post_when_empty, created_by, created_at, last_slot, last_sent_at, papers_sent, paused_reason, category FROM subscriptions;
   DROP TABLE subscriptions;
   ALTER TABLE subscriptions_next RENAME TO subscriptions;
   CREATE INDEX subscriptions_guild ON subscriptions (guild_id);
   CREATE TABLE digest_posts (
     subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
     slot            INTEGER NOT NULL,
     previous_slot   INTEGER,
     channel_id      TEXT    NOT NULL,
     nonce           TEXT    NOT NULL,
     items           TEXT    NOT NULL,
     delivered       TEXT    NOT NULL DEFAULT '[]',
     claimed_at      INTEGER NOT NULL,
     attempted_at    INTEGER,
     attempts        INTEGER NOT NULL DEFAULT 0,
     last_error      TEXT,
     PRIMARY KEY (subscription_id, slot)
   );
   CREATE INDEX digest_posts_channel ON digest_posts (channel_id);
   INSERT INTO digest_posts SELECT * FROM digest_posts_kept;
   DROP TABLE digest_posts_kept;`,
  // 6: 👍/👎 on a digest's papers: one vote per user per paper per digest, gone with the digest.
  `CREATE TABLE digest_votes (
     subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
     paper_id        TEXT    NOT NULL,
     user_id         TEXT    NOT NULL,
     vote            INTEGER NOT NULL CHECK (vote IN (-1, 1)),
     voted_at        INTEGER NOT NULL,
     PRIMARY KEY (subscription_id, paper_id, user_id)
   ) WITHOUT ROWID;`,
  // 7: the thread each digest started, and its papers, so questions there are scoped to them (kept
  // after the digest stops: the thread and its papers are still there); why a digest got no thread.
  `CREATE TABLE digest_threads (
     thread_id       TEXT    PRIMARY KEY,
     subscription_id INTEGER NOT NULL,
     channel_id      TEXT    NOT NULL,
     paper_ids       TEXT    NOT NULL,            -- JSON: the digest's papers, in its order
     created_at      INTEGER NOT NULL
   ) WITHOUT ROWID;
   ALTER TABLE subscriptions ADD COLUMN thread_problem TEXT;`,
];

/**
 * Open (creating when needed) PaperBot's SQLite database in `dataDir`, in WAL
 * mode, and bring its schema up to date. Several processes (shards) may open
 * the same file; writers wait for each other up to 5 s.
 */
export function openDatabase(dataDir: string, file = 'paperbot.db'): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  return openSqlite(join(dataDir, file), MIGRATIONS);
}

/**
 * Open (creating when needed) the SQLite file at `path` (or ':memory:') in WAL
 * mode and apply the `migrations` it lacks, in one transaction. Writers of
 * other processes are waited for up to 5 s.
 */
export function openSqlite(path: string, migrations: readonly string[]): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new EnvironmentError(
        code,
        `${path} is not a readable SQLite database (${code}: ${(err as Error).message}); it is damaged, or another kind of file. ` +
          `Move it aside (mv ${path} ${path}.damaged) and start again, and PaperBot makes a new, empty one; or put back a backup of it.`,
      );
    }
    throw err;
  }
  return db;
}

function migrate(db: Database.Database, migrations: readonly string[]): void {
  // Up to date: no write lock, so opening never waits for a writer (a long ingest) in WAL mode.
  if ((db.pragma('user_version', { simple: true }) as number) === migrations.length) return;
  db.transaction(() => {
    const applied = db.pragma('user_version', { simple: true }) as number;
    if (applied > migrations.length) {
      throw new Error(`PaperBot: the database ${db.name} is at schema version ${applied}, newer than this PaperBot (${migrations.length})`);
    }
    for (let version = applied; version < migrations.length; version++) db.exec(migrations[version]!);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
