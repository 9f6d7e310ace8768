import type { Database } from 'better-sqlite3';

/** Whose list: a user's saved papers, a channel's shared lists, or the command line's. */
export interface ListOwner {
  kind: 'user' | 'channel' | 'local';
  id: string;
}

/** A paper on a list. */
export interface ListEntry {
  paperId: string;
  addedBy: string;
  addedAt: number;
}

/** A list and how many papers it holds. */
export interface ListSummary {
  /** As it was first written. */
  name: string;
  papers: number;
  updatedAt: number;
}

interface Row {
  paper_id: string;
  added_by: string;
  added_at: number;
}

const fromRow = (r: Row): ListEntry => ({ paperId: r.paper_id, addedBy: r.added_by, addedAt: r.added_at });

/**
 * The `list_entries` table: one row a paper on a list. A list exists while
 * it holds a paper; its name is compared without regard to ASCII case.
 */
export class ListEntries {
  constructor(private readonly db: Database) {}

  /** Put the paper on the list; false when it is there already. */
  add(owner: ListOwner, name: string, entry: ListEntry): boolean {
    return (
      this.db
        .prepare(
          `INSERT INTO list_entries (owner_kind, owner_id, list_name, paper_id, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
        )
        .run(owner.kind, owner.id, name, entry.paperId, entry.addedBy, entry.addedAt).changes === 1
    );
  }

  /** Take the paper off the list; false when it was not on it. */
  remove(owner: ListOwner, name: string, paperId: string): boolean {
    return this.db.prepare('DELETE FROM list_entries WHERE owner_kind = ? AND owner_id = ? AND list_name = ? AND paper_id = ?').run(owner.kind, owner.id, name, paperId).changes === 1;
  }

  get(owner: ListOwner, name: string, paperId: string): ListEntry | undefined {
    const row = this.db
      .prepare<unknown[], Row>('SELECT paper_id, added_by, added_at FROM list_entries WHERE owner_kind = ? AND owner_id = ? AND list_name = ? AND paper_id = ?')
      .get(owner.kind, owner.id, name, paperId);
    return row && fromRow(row);
  }

  /** The list's papers, newest first or in the order they were added. */
  entries(owner: ListOwner, name: string, order: 'newest' | 'added'): ListEntry[] {
    const direction = order === 'newest' ? 'DESC' : 'ASC';
    return this.db
      .prepare<unknown[], Row>(
        `SELECT paper_id, added_by, added_at FROM list_entries WHERE owner_kind = ? AND owner_id = ? AND list_name = ?
         ORDER BY added_at ${direction}, paper_id ${direction}`,
      )
      .all(owner.kind, owner.id, name)
      .map(fromRow);
  }

  count(owner: ListOwner, name: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM list_entries WHERE owner_kind = ? AND owner_id = ? AND list_name = ?').get(owner.kind, owner.id, name) as { n: number }).n;
  }

  /** The owner's lists, the most recently changed first. */
  lists(owner: ListOwner): ListSummary[] {
    return this.db
      .prepare<unknown[], { name: string; papers: number; updated_at: number }>(
        `SELECT (SELECT e.list_name FROM list_entries e WHERE e.owner_kind = l.owner_kind AND e.owner_id = l.owner_id AND e.list_name = l.list_name ORDER BY e.added_at LIMIT 1) AS name,
                count(*) AS papers, max(added_at) AS updated_at
         FROM list_entries l WHERE owner_kind = ? AND owner_id = ? GROUP BY list_name ORDER BY updated_at DESC, name`,
      )
      .all(owner.kind, owner.id)
      .map((r) => ({ name: r.name, papers: r.papers, updatedAt: r.updated_at }));
  }
}
