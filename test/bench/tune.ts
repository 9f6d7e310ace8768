// Tunes the BM25F parameters (every engine scores alike; the impact engine builds fastest) on a BEIR dataset and checks that the
// choice generalises: a grid search, then two-fold cross-validation (pick on
// the odd-numbered queries, score on the even ones, and the reverse).
//   npm run bench:tune -- ../shared/bench/scifact
import { beirEntries, loadBeir, runQueries, scoreRuns } from '../../src/eval/beir.js';
import { defaultBm25Options, type Bm25Options } from '../../src/search/bm25.js';
import { impactEngine } from '../../src/search/engines/impact/impactEngine.js';

const dir = process.argv[2] ?? '../shared/bench/scifact';
const dataset = loadBeir(dir);
const grid: Bm25Options[] = [];
for (const k1 of [0.9, 1.2, 1.5]) {
  for (const b of [0.75, 0.9, 1]) {
    for (const title of [2, 3, 4]) {
      grid.push({ k1, b, fieldWeights: { ...defaultBm25Options.fieldWeights, title } });
    }
  }
}

const ids = [...dataset.qrels.keys()];
const folds = [ids.filter((_, i) => i % 2 === 0), ids.filter((_, i) => i % 2 === 1)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const results = grid.map((options) => {
  const retriever = impactEngine.build(beirEntries(dataset), options);
  const scores = scoreRuns(dataset, runQueries(dataset, retriever).runs);
  const ndcgOf = (qids: string[]) => mean(qids.map((q) => scores.get(q)!.ndcg10));
  const row = { options, all: ndcgOf(ids), folds: folds.map(ndcgOf) };
  console.log(
    `k1 ${options.k1}  b ${options.b}  title ${options.fieldWeights.title}  nDCG@10 ${row.all.toFixed(4)}` +
      `  (folds ${row.folds.map((f) => f.toFixed(4)).join(' / ')})`,
  );
  return row;
});

const describe = (o: Bm25Options) => `k1 ${o.k1}, b ${o.b}, title ${o.fieldWeights.title}`;
const best = results.reduce((a, b) => (b.all > a.all ? b : a));
console.log(`\nbest on all ${ids.length} queries: ${describe(best.options)}: ${best.all.toFixed(4)}`);
folds.forEach((_, pick) => {
  const score = 1 - pick;
  const chosen = results.reduce((a, b) => (b.folds[pick]! > a.folds[pick]! ? b : a));
  console.log(
    `picked on fold ${pick + 1}: ${describe(chosen.options)}; on held-out fold ${score + 1}: ${chosen.folds[score]!.toFixed(4)}`,
  );
});
