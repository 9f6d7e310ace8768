import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { defaultBm25Options } from '../search/bm25.js';
import { questionQuery } from '../search/documents.js';
import type { Engine } from '../search/engines/Engine.js';
import { plainQuery, type Retriever } from '../search/Retriever.js';

/** A BEIR dataset folder: corpus.jsonl, queries.jsonl, qrels/test.tsv. */
export interface BeirDataset {
  docs: { id: string; title: string; text: string }[];
  queries: { id: string; text: string }[];
  /** query id → document id → relevance grade (0 = not relevant). */
  qrels: Map<string, Map<string, number>>;
}

/** Retrieval quality and speed over one BEIR dataset, as `paperbot eval` prints it. */
export interface EvalReport {
  'ndcg@10': number;
  'recall@100': number;
  queries: number;
  docs: number;
  /** Queries a second on one thread, analysis included, 1,000 results each. */
  qps: number;
  /** Time to build the index, ms. */
  buildMs: number;
}

// The protocol of ../shared/bench/README.md, the one BEIR and Pyserini report.
const RETRIEVE = 1_000;

/** Read a BEIR folder, naming the file and line of anything malformed. */
export function loadBeir(dir: string): BeirDataset {
  const docs = readJsonLines(join(dir, 'corpus.jsonl')).map(({ value, where }) => {
    const { _id, title, text } = value as Record<string, unknown>;
    if (typeof _id !== 'string' || typeof text !== 'string') {
      throw new UserError('benchmark_invalid', `${where}: expected "_id" and "text" strings`);
    }
    return { id: _id, title: typeof title === 'string' ? title : '', text };
  });
  const queries = readJsonLines(join(dir, 'queries.jsonl')).map(({ value, where }) => {
    const { _id, text } = value as Record<string, unknown>;
    if (typeof _id !== 'string' || typeof text !== 'string') {
      throw new UserError('benchmark_invalid', `${where}: expected "_id" and "text" strings`);
    }
    return { id: _id, text };
  });
  const qrels = new Map<string, Map<string, number>>();
  const qrelsPath = join(dir, 'qrels', 'test.tsv');
  readText(qrelsPath)
    .split(/\r?\n/)
    .forEach((line, i) => {
      const [qid, docId, grade] = line.split('\t');
      if (i === 0 || line.trim() === '') return; // header
      if (qid === undefined || docId === undefined || grade === undefined || !/^-?\d+$/.test(grade.trim())) {
        throw new UserError('benchmark_invalid', `${qrelsPath}:${i + 1}: expected "query-id<TAB>corpus-id<TAB>score"`);
      }
      if (!qrels.has(qid)) qrels.set(qid, new Map());
      qrels.get(qid)!.set(docId, Number(grade));
    });
  return { docs, queries, qrels };
}

/**
 * Index the dataset with `build` and score every query that has judgements:
 * nDCG@10 as trec_eval computes it (gain = grade) and Recall@100; a query with
 * no result scores 0; ties broken by document id, descending as a string.
 */
export function evaluate(dataset: BeirDataset, engine: Engine, bm25 = defaultBm25Options): EvalReport {
  const buildStart = performance.now();
  const retriever = engine.build(beirEntries(dataset), bm25);
  const buildMs = performance.now() - buildStart;
  const { runs, qps } = runQueries(dataset, retriever);
  const scores = scoreRuns(dataset, runs);
  const all = [...scores.values()];
  const mean = (pick: (s: (typeof all)[number]) => number) => round(all.reduce((sum, s) => sum + pick(s), 0) / all.length);
  return {
    'ndcg@10': mean((s) => s.ndcg10),
    'recall@100': mean((s) => s.recall100),
    queries: dataset.qrels.size,
    docs: dataset.docs.length,
    qps,
    buildMs: Math.round(buildMs),
  };
}

/** The dataset's documents as papers to index: document i is number i. */
export function* beirEntries(dataset: BeirDataset) {
  for (let doc = 0; doc < dataset.docs.length; doc++) {
    const d = dataset.docs[doc]!;
    yield { doc, paper: { title: d.title, abstract: d.text, authors: [], year: 2000, categories: [] } };
  }
}

/** Each judged query's ranked document ids, and the queries answered a second. */
export function runQueries(dataset: BeirDataset, retriever: Retriever): { runs: Map<string, string[]>; qps: number } {
  const judged = dataset.queries.filter((q) => dataset.qrels.has(q.id));
  const runs = new Map<string, string[]>();
  const start = performance.now();
  for (const query of judged) {
    const hits = retriever.retrieve(questionQuery(query.text, (t) => retriever.termWeight(t)).query, { limit: RETRIEVE });
    const ranked = hits
      .map((h) => ({ id: dataset.docs[h.doc]!.id, score: h.score }))
      .filter((h) => h.id !== query.id)
      .sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((h) => h.id);
    runs.set(query.id, ranked);
  }
  return { runs, qps: Math.round(judged.length / ((performance.now() - start) / 1000)) };
}

/**
 * nDCG@10 and Recall@100 of every judged query; a judged query without a run
 * (absent from queries.jsonl, or nothing retrieved) scores 0.
 */
export function scoreRuns(
  dataset: BeirDataset,
  runs: ReadonlyMap<string, readonly string[]>,
): Map<string, { ndcg10: number; recall100: number }> {
  const scores = new Map<string, { ndcg10: number; recall100: number }>();
  for (const [id, judgements] of dataset.qrels) {
    const ranked = runs.get(id) ?? [];
    scores.set(id, { ndcg10: ndcgAt(10, ranked, judgements), recall100: recallAt(100, ranked, judgements) });
  }
  return scores;
}

/** nDCG at `k` with linear gain, as trec_eval's ndcg_cut. */
export function ndcgAt(k: number, ranked: readonly string[], judgements: ReadonlyMap<string, number>): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    dcg += Math.max(0, judgements.get(id) ?? 0) / Math.log2(i + 2);
  });
  const ideal = [...judgements.values()].filter((g) => g > 0).sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

/** Share of the relevant documents found in the first `k`. */
export function recallAt(k: number, ranked: readonly string[], judgements: ReadonlyMap<string, number>): number {
  const relevant = [...judgements].filter(([, g]) => g > 0).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UserError('benchmark_invalid', `cannot read ${path} (a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/test.tsv)`);
  }
}

function readJsonLines(path: string): { value: unknown; where: string }[] {
  return readText(path)
    .split('\n')
    .flatMap((line, i) => {
      if (line.trim() === '') return [];
      try {
        return [{ value: JSON.parse(line) as unknown, where: `${path}:${i + 1}` }];
      } catch {
        throw new UserError('benchmark_invalid', `${path}:${i + 1}: not valid JSON`);
      }
    });
}
