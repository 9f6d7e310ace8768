/** Paper vectors in one matrix, searched by brute force: exact, and fast enough for a library's size at these widths. */
export class DenseIndex {
  private readonly rowOf: Map<number, number>;

  constructor(
    private readonly docs: Int32Array,
    private readonly vectors: Float32Array,
    readonly dims: number,
  ) {
    this.rowOf = new Map(Array.from(docs, (doc, row) => [doc, row]));
  }

  get size(): number {
    return this.docs.length;
  }

  /** This index without the papers `removed`, with `added` (a new index: this one stays as it is for the questions in flight). */
  updated(removed: ReadonlySet<number>, added: readonly { doc: number; vector: Float32Array }[]): DenseIndex {
    const dims = this.dims || (added[0]?.vector.length ?? 0);
    const kept = Array.from(this.docs.keys()).filter((row) => !removed.has(this.docs[row]!));
    const docs = new Int32Array(kept.length + added.length);
    const vectors = new Float32Array(docs.length * dims);
    kept.forEach((row, i) => {
      docs[i] = this.docs[row]!;
      vectors.set(this.vectors.subarray(row * dims, (row + 1) * dims), i * dims);
    });
    added.forEach(({ doc, vector }, j) => {
      docs[kept.length + j] = doc;
      vectors.set(vector, (kept.length + j) * dims);
    });
    return new DenseIndex(docs, vectors, dims);
  }

  /** Cosine similarity of the unit vector `query` and the paper's (0 for a paper without one). */
  similarity(query: Float32Array, doc: number): number {
    const row = this.rowOf.get(doc);
    return row === undefined ? 0 : this.dot(query, row);
  }

  /** The `k` papers nearest `query`, nearest first. */
  nearest(query: Float32Array, k: number): { doc: number; similarity: number }[] {
    const best: { doc: number; similarity: number }[] = [];
    let floor = -Infinity;
    for (let row = 0; row < this.docs.length; row++) {
      const similarity = this.dot(query, row);
      if (best.length === k && similarity <= floor) continue;
      best.push({ doc: this.docs[row]!, similarity });
      if (best.length > k) {
        best.sort((a, b) => b.similarity - a.similarity);
        best.length = k;
        floor = best[k - 1]!.similarity;
      }
    }
    return best.sort((a, b) => b.similarity - a.similarity || a.doc - b.doc);
  }

  private dot(query: Float32Array, row: number): number {
    const { vectors, dims } = this;
    let sum = 0;
    for (let i = 0, at = row * dims; i < dims; i++) sum += query[i]! * vectors[at + i]!;
    return sum;
  }
}
