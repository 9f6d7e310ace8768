// Trend charts at real scale: for broad topics (tens of thousands of papers)
// and narrow ones (two words of a random paper's title), how long the match,
// the counting and the PNG take, beside an /ask search of the same words,
// timed in the same run. The first trend also builds the calendar.
//   npm run bench:trend -- --corpus DIR [--data DIR] [--topics N] [--out chart.png]
import { writeFileSync } from 'node:fs';
import { terminalProgress } from '../../src/progress.js';
import { trendChartPng } from '../../src/render/trendChart.js';
import { topicPapers, topicTrend } from '../../src/trend/topicTrend.js';
import { UserError } from '../../src/errors.js';
import { seededRandom } from '../support/random.js';
import { openBuiltLibrary } from './builtLibrary.js';

const BROAD = ['large language models', 'transformer', 'diffusion models', 'reinforcement learning', 'graph neural network', 'speech recognition', 'federated learning', 'object detection', 'quantum', 'robot'];
const { search, options: values } = openBuiltLibrary('bench:trend', ['topics', 'out']);

const random = seededRandom(20261202);
const titles: string[] = [];
for (const { title } of search.library.scanTitles()) titles.push(title);
const narrow: string[] = [];
while (narrow.length < Number(values.topics ?? 100)) {
  const words = titles[Math.floor(random() * titles.length)]!.split(/[^A-Za-z]+/).filter((w) => w.length > 3);
  if (words.length >= 2) narrow.push(words.slice(0, 2).join(' ').toLowerCase());
}
const now = new Date();

const started = performance.now();
const first = topicTrend(search, topicPapers(search, BROAD[0]!), now);
trendChartPng(first);
const coldMs = performance.now() - started;

type Timing = { match: number; count: number; render: number; total: number; ask: number; papers: number };
const timings: Timing[] = [];
let empty = 0;
const topics = [...BROAD, ...narrow];
const progress = terminalProgress(process.stderr, 'trends', topics.length);
for (const topic of topics) {
  const a = performance.now();
  search.search(topic, { limit: 10 });
  const b = performance.now();
  try {
    const papers = topicPapers(search, topic);
    const c = performance.now();
    const trend = topicTrend(search, papers, now);
    const d = performance.now();
    trendChartPng(trend);
    const e = performance.now();
    timings.push({ ask: b - a, match: c - b, count: d - c, render: e - d, total: e - b, papers: papers.docs.length });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    empty++;
  }
  progress.tick();
}
progress.done();

const quantile = (key: keyof Timing, q: number, rows = timings) => {
  const sorted = rows.map((t) => t[key]).sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
console.log(`${search.size.toLocaleString('en')} papers; ${BROAD.length} broad topics and ${narrow.length} from random titles (${empty} matched nothing)`);
console.log(`first trend, building the calendar and loading the renderer: ${ms(coldMs)}`);
for (const [label, rows] of [['all', timings], ['broad', timings.slice(0, BROAD.length)]] as const) {
  console.log(
    `${label.padEnd(5)} (${rows.length}): papers p50 ${quantile('papers', 0.5, rows).toLocaleString('en')}, max ${Math.max(...rows.map((r) => r.papers)).toLocaleString('en')}; ` +
      `match p50 ${ms(quantile('match', 0.5, rows))}, count ${ms(quantile('count', 0.5, rows))}, render ${ms(quantile('render', 0.5, rows))}; ` +
      `total p50 ${ms(quantile('total', 0.5, rows))}, p99 ${ms(quantile('total', 0.99, rows))}; /ask of the same words p50 ${ms(quantile('ask', 0.5, rows))} (trend ${(quantile('total', 0.5, rows) / quantile('ask', 0.5, rows)).toFixed(1)}×)`,
  );
}
if (values.out !== undefined) writeFileSync(values.out, trendChartPng(first).png);
console.log(JSON.stringify({ papers: search.size, coldMs: Math.round(coldMs), p50Ms: Number(quantile('total', 0.5).toFixed(1)), p99Ms: Number(quantile('total', 0.99).toFixed(1)), broadP99Ms: Number(quantile('total', 0.99, timings.slice(0, BROAD.length)).toFixed(1)), empty }));
