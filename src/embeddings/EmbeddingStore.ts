import type Database from 'better-sqlite3';
import { openSqlite } from '../store/openDatabase.js';

const MIGRATIONS: readonly string[] = [
  // 1: one vector a library paper (doc numbers are never reused), and the model that made them.
  `CREATE TABLE vectors (doc INTEGER PRIMARY KEY, vector BLOB NOT NULL);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`,
];

/**
 * The paper vectors of one model for one library, in a SQLite file beside
 * it: a paper is embedded once, and a new model starts a new file.
 */
export class EmbeddingStore {
  private constructor(private readonly db: Database.Database) {}

  static open(path: string, model: string): EmbeddingStore {
    const db = openSqlite(path, MIGRATIONS);
    const store = new EmbeddingStore(db);
    const known = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'model'").get()?.value;
    if (known !== undefined && known !== model) {
      db.close();
      throw new Error(`${path} holds vectors of ${known}, not ${model}`);
    }
    db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('model', ?)").run(model);
    return store;
  }

  /** The papers that have a vector. */
  docs(): Set<number> {
    return new Set(this.db.prepare<[], { doc: number }>('SELECT doc FROM vectors').pluck().all() as unknown as number[]);
  }

  put(rows: readonly { doc: number; vector: Float32Array }[]): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO vectors (doc, vector) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const { doc, vector } of rows) insert.run(doc, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
    })();
  }

  /** Forget these papers' vectors. */
  remove(docs: Iterable<number>): void {
    const remove = this.db.prepare('DELETE FROM vectors WHERE doc = ?');
    this.db.transaction(() => {
      for (const doc of docs) remove.run(doc);
    })();
  }

  /** Every vector, as one matrix (row i is paper docs[i]). */
  load(): { docs: Int32Array; vectors: Float32Array; dims: number } {
    const rows = this.db.prepare<[], { doc: number; vector: Buffer }>('SELECT doc, vector FROM vectors ORDER BY doc').all();
    const dims = rows.length === 0 ? 0 : rows[0]!.vector.byteLength / 4;
    const vectors = new Float32Array(rows.length * dims);
    const docs = new Int32Array(rows.length);
    rows.forEach((row, i) => {
      docs[i] = row.doc;
      vectors.set(new Float32Array(row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.byteLength)), i * dims);
    });
    return { docs, vectors, dims };
  }

  /** The library generation (and library id) the vectors were last brought up to date with. */
  syncedWith(): { library: string; generation: number } | null {
    const rows = new Map(this.db.prepare<[], { key: string; value: string }>("SELECT key, value FROM meta WHERE key IN ('library', 'generation')").all().map((r) => [r.key, r.value]));
    const library = rows.get('library');
    const generation = rows.get('generation');
    return library === undefined || generation === undefined ? null : { library, generation: Number(generation) };
  }

  markSynced(library: string, generation: number): void {
    const set = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      set.run('library', library);
      set.run('generation', String(generation));
    })();
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM vectors').get()!.n;
  }

  close(): void {
    this.db.close();
  }
}
