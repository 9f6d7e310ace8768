// Semantics learnt from the library itself, measured before any of it goes
// into the search: word vectors from window co-occurrence (PPMI, then a
// randomized truncated SVD), used (a) to expand a question's terms with
// their nearest words and (b) as dense paper vectors (idf-weighted averages)
// mixed with BM25's score over BM25's and the vectors' first 100 papers.
// Both are scored on the DEV questions, against BM25 alone.
//   npm run bench:semantics -- --corpus DIR [--data DIR] [--questions FILE]
// Sizes: SEM_TARGETS (20000) words get vectors of SEM_DIMS (128) from
// SEM_CONTEXTS (6000) context words within SEM_WINDOW (4) words.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../../src/paths.js';
import { questionQuery, toEngineText } from '../../src/search/documents.js';
import { openSearch } from '../../src/search/openSearch.js';
import type { Candidate, QueryTerm } from '../../src/search/Retriever.js';
import { analyzer } from '../../src/text/analyzer.js';

const { values } = parseArgs({ options: { corpus: { type: 'string' }, data: { type: 'string' }, questions: { type: 'string' } } });
if (values.corpus === undefined) {
  process.stderr.write("bench:semantics needs --corpus DIR: a corpus folder whose library holds the DEV questions' papers\n");
  process.exit(2);
}
const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TARGETS = setting('SEM_TARGETS', 20_000);
const CONTEXTS = setting('SEM_CONTEXTS', 6_000);
const DIMS = setting('SEM_DIMS', 128);
const WINDOW = setting('SEM_WINDOW', 4);
const say = (text: string) => process.stderr.write(`${text}\n`);

const search = openSearch({ corpusDir: values.corpus, dataDir: values.data ?? defaultDataDir(process.env), build: false });
if (search === null) throw new Error('no saved index matches the library: run paperbot ask once on it first');
const retriever = search.retriever;
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);

// Every paper's terms in order (title, then abstract), and each term's count.
const papers: { doc: number; terms: string[] }[] = [];
const counts = new Map<string, number>();
for (const { doc, paper } of search.library.scan()) {
  const text = toEngineText(paper);
  const terms = [...analyzer.terms(text.title), ...analyzer.terms(text.abstract)];
  papers.push({ doc, terms });
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
}
const byCount = [...counts].filter(([t]) => !/^\d+$/.test(t)).sort((a, b) => b[1] - a[1]);
const targets = new Map(byCount.slice(0, TARGETS).map(([t], i) => [t, i]));
const contexts = new Map(byCount.slice(0, CONTEXTS).map(([t], i) => [t, i]));
const words = byCount.slice(0, TARGETS).map(([t]) => t);
const T = words.length;
const C = Math.min(CONTEXTS, byCount.length);
say(`${papers.length.toLocaleString('en')} papers read in ${seconds()} s`);

// Co-occurrence counts within the window, then positive PMI with context smoothing (counts^0.75).
const matrix = new Float32Array(T * C);
for (const { terms } of papers) {
  const t = terms.map((w) => targets.get(w) ?? -1);
  const c = terms.map((w) => contexts.get(w) ?? -1);
  for (let i = 0; i < terms.length; i++) {
    if (t[i]! < 0) continue;
    const row = t[i]! * C;
    for (let j = Math.max(0, i - WINDOW); j <= Math.min(terms.length - 1, i + WINDOW); j++) if (j !== i && c[j]! >= 0) matrix[row + c[j]!]! += 1;
  }
}
const rowSums = new Float64Array(T);
const contextMass = new Float64Array(C);
let total = 0;
for (let a = 0; a < T; a++) {
  for (let c = 0; c < C; c++) {
    const v = matrix[a * C + c]!;
    rowSums[a]! += v;
    contextMass[c]! += v;
    total += v;
  }
}
let smoothed = 0;
for (let c = 0; c < C; c++) smoothed += (contextMass[c] = contextMass[c]! ** 0.75);
for (let a = 0; a < T; a++) {
  for (let c = 0; c < C; c++) {
    const v = matrix[a * C + c]!;
    if (v === 0) continue;
    const pmi = Math.log((v * smoothed) / (rowSums[a]! * contextMass[c]!));
    matrix[a * C + c] = pmi > 0 ? pmi : 0;
  }
}
say(`PPMI ${T.toLocaleString('en')} × ${C.toLocaleString('en')} in ${seconds()} s`);

// Randomized SVD (Halko et al.): range of M·Ω with one power iteration, then the eigenvectors of B·Bᵀ.
const L = DIMS + 16;
let seed = 7;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff) - 0.5;
const orthonormalise = (x: Float32Array, rows: number) => {
  for (let j = 0; j < L; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += x[i * L + j]! * x[i * L + k]!;
      for (let i = 0; i < rows; i++) x[i * L + j]! -= dot * x[i * L + k]!;
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += x[i * L + j]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < rows; i++) x[i * L + j]! /= norm;
  }
};
const times = (x: Float32Array) => {
  const y = new Float32Array(T * L);
  for (let a = 0; a < T; a++) for (let c = 0; c < C; c++) { const v = matrix[a * C + c]!; if (v !== 0) for (let l = 0; l < L; l++) y[a * L + l]! += v * x[c * L + l]!; }
  return y;
};
const timesTransposed = (y: Float32Array) => {
  const x = new Float32Array(C * L);
  for (let a = 0; a < T; a++) for (let c = 0; c < C; c++) { const v = matrix[a * C + c]!; if (v !== 0) for (let l = 0; l < L; l++) x[c * L + l]! += v * y[a * L + l]!; }
  return x;
};
let q = times(Float32Array.from({ length: C * L }, random));
orthonormalise(q, T);
const z = timesTransposed(q);
orthonormalise(z, C);
q = times(z);
orthonormalise(q, T);
const bt = timesTransposed(q);
const gram = new Float64Array(L * L);
for (let c = 0; c < C; c++) for (let i = 0; i < L; i++) for (let j = i; j < L; j++) gram[i * L + j]! += bt[c * L + i]! * bt[c * L + j]!;
for (let i = 0; i < L; i++) for (let j = 0; j < i; j++) gram[i * L + j] = gram[j * L + i]!;
const eigen = jacobi(gram, L);
const kept = Array.from({ length: L }, (_, i) => i).sort((a, b) => eigen.values[b]! - eigen.values[a]!).slice(0, DIMS);
// Word vectors: U·Σ^½ (Levy, Goldberg and Dagan's symmetric weighting), unit length.
const vectors = new Float32Array(T * DIMS);
for (let a = 0; a < T; a++) {
  for (let k = 0; k < DIMS; k++) {
    const e = kept[k]!;
    let s = 0;
    for (let l = 0; l < L; l++) s += q[a * L + l]! * eigen.vectors[l * L + e]!;
    vectors[a * DIMS + k] = s * Math.max(0, eigen.values[e]!) ** 0.25;
  }
  normalise(vectors.subarray(a * DIMS, (a + 1) * DIMS));
}
say(`word vectors in ${seconds()} s, RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`);

const nearestCache = new Map<string, [string, number][]>();
function nearest(term: string): [string, number][] {
  const known = nearestCache.get(term);
  if (known !== undefined) return known;
  const a = targets.get(term);
  const out: [string, number][] = [];
  if (a !== undefined) {
    const sims: [number, number][] = [];
    for (let b = 0; b < T; b++) if (b !== a) sims.push([dot(vectors, a * DIMS, vectors, b * DIMS), b]);
    sims.sort((x, y) => y[0] - x[0]);
    for (const [s, b] of sims.slice(0, 10)) out.push([words[b]!, s]);
  }
  nearestCache.set(term, out);
  return out;
}
for (const word of ['phone', 'cheaper', 'pictur', 'voic', 'ear']) say(`  ${word} → ${nearest(word).slice(0, 6).map(([w, s]) => `${w} ${s.toFixed(2)}`).join(', ')}`);

// Paper vectors: the idf-weighted average of their words' vectors, unit length.
const paperVectors = new Float32Array(papers.length * DIMS);
const rowOf = new Map<number, number>();
papers.forEach(({ doc, terms }, row) => {
  rowOf.set(doc, row);
  const v = paperVectors.subarray(row * DIMS, (row + 1) * DIMS);
  for (const term of terms) {
    const a = targets.get(term);
    if (a === undefined) continue;
    const w = retriever.termWeight(term);
    for (let k = 0; k < DIMS; k++) v[k]! += w * vectors[a * DIMS + k]!;
  }
  normalise(v);
});
const questionVector = (query: readonly QueryTerm[]) => {
  const v = new Float32Array(DIMS);
  for (const { term, weight } of query) {
    const a = targets.get(term);
    if (a !== undefined) for (let k = 0; k < DIMS; k++) v[k]! += weight * retriever.termWeight(term) * vectors[a * DIMS + k]!;
  }
  return normalise(v);
};
const densest = (v: Float32Array, k: number) => {
  const sims = new Float32Array(papers.length);
  for (let row = 0; row < papers.length; row++) sims[row] = dot(v, 0, paperVectors, row * DIMS);
  return Array.from(sims.keys()).sort((a, b) => sims[b]! - sims[a]!).slice(0, k).map((row) => papers[row]!.doc);
};
say(`paper vectors in ${seconds()} s`);

/** The question's terms, and each one's nearest words above `minSimilarity` (at most `perTerm`), weighing `share` × similarity. */
function expand(query: readonly QueryTerm[], minSimilarity: number, perTerm: number, share: number): QueryTerm[] {
  const weights = new Map(query.map((t) => [t.term, t.weight]));
  for (const { term, weight } of query) {
    for (const [word, similarity] of nearest(term).slice(0, perTerm)) {
      if (similarity < minSimilarity || query.some((t) => t.term === word)) continue;
      weights.set(word, Math.max(weights.get(word) ?? 0, share * similarity * weight));
    }
  }
  return [...weights].map(([term, weight]) => ({ term, weight }));
}

/** BM25's score over the best, plus `alpha` × the cosine of question and paper vectors, over both lists' first 100. */
function mixed(query: readonly QueryTerm[], bm25: readonly Candidate[], alpha: number): number[] {
  const v = questionVector(query);
  const best = bm25[0]?.score ?? 1;
  const pool = new Map(bm25.map((c) => [c.doc, c.score / best]));
  for (const doc of densest(v, 100)) if (!pool.has(doc)) pool.set(doc, 0);
  return [...pool]
    .map(([doc, score]) => [doc, score + alpha * dot(v, 0, paperVectors, rowOf.get(doc)! * DIMS)] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([doc]) => doc);
}

const questions = readFileSync(values.questions ?? '../shared/bench/arxiv-cs/questions-dev.tsv', 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => l.split('\t') as [string, string, string?]);
const variants: [string, (query: QueryTerm[]) => number[]][] = [['BM25', (query) => retriever.retrieve(query, { limit: 10 }).map((c) => c.doc)]];
for (const [minSimilarity, perTerm, share] of [[0.45, 2, 0.15], [0.45, 2, 0.3], [0.55, 2, 0.3], [0.45, 5, 0.3], [0.45, 2, 0.6]] as const) {
  variants.push([`+ expansion ≥${minSimilarity}, ${perTerm} a term, ×${share}`, (query) => retriever.retrieve(expand(query, minSimilarity, perTerm, share), { limit: 10 }).map((c) => c.doc)]);
}
for (const alpha of [0.15, 0.3, 0.6]) variants.push([`+ dense mix α ${alpha}`, (query) => mixed(query, retriever.retrieve(query, { limit: 100 }), alpha)]);

console.log(`${papers.length.toLocaleString('en')} papers, ${questions.length} questions; vectors: ${T.toLocaleString('en')} words × ${DIMS} from ${C.toLocaleString('en')} contexts, window ${WINDOW}; learnt in ${seconds()} s`);
console.log('variant'.padEnd(40) + 'natural top-1/top-10/MRR'.padEnd(28) + 'paraphrase top-1/top-10/MRR');
for (const [name, run] of variants) {
  const by: Record<string, number[]> = {};
  for (const [question, id, label = ''] of questions) {
    const ranked = run(questionQuery(question, (t) => retriever.termWeight(t)).query).slice(0, 10);
    const rank = ranked.indexOf(search.library.get(id)?.doc ?? -1);
    const s = (by[label] ??= [0, 0, 0, 0]);
    s[0]! += rank === 0 ? 1 : 0;
    s[1]! += rank >= 0 ? 1 : 0;
    s[2]! += rank >= 0 ? 1 / (rank + 1) : 0;
    s[3]!++;
  }
  const fmt = (s: number[] | undefined) => (s === undefined ? '—' : `${((100 * s[0]!) / s[3]!).toFixed(1)}% / ${((100 * s[1]!) / s[3]!).toFixed(1)}% / ${(s[2]! / s[3]!).toFixed(3)}`);
  console.log(name.padEnd(40) + fmt(by.natural).padEnd(28) + fmt(by.paraphrase));
}

function dot(a: Float32Array, i: number, b: Float32Array, j: number): number {
  let s = 0;
  for (let k = 0; k < DIMS; k++) s += a[i + k]! * b[j + k]!;
  return s;
}

function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < v.length; k++) v[k]! /= norm;
  return v;
}

/** Eigenvalues and eigenvectors (columns) of a small symmetric matrix, by cyclic Jacobi rotations. */
function jacobi(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 20; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) {
      for (let r = p + 1; r < n; r++) {
        const apr = a[p * n + r]!;
        if (Math.abs(apr) < 1e-12) continue;
        off += apr * apr;
        const theta = (a[r * n + r]! - a[p * n + p]!) / (2 * apr);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const x = a[k * n + p]!, y = a[k * n + r]!;
          a[k * n + p] = c * x - s * y;
          a[k * n + r] = s * x + c * y;
        }
        for (let k = 0; k < n; k++) {
          const x = a[p * n + k]!, y = a[r * n + k]!;
          a[p * n + k] = c * x - s * y;
          a[r * n + k] = s * x + c * y;
        }
        for (let k = 0; k < n; k++) {
          const x = v[k * n + p]!, y = v[k * n + r]!;
          v[k * n + p] = c * x - s * y;
          v[k * n + r] = s * x + c * y;
        }
      }
    }
    if (off < 1e-18) break;
  }
  return { values: Float64Array.from({ length: n }, (_, i) => a[i * n + i]!), vectors: v };
}
