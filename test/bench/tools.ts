// Every paper tool at real scale, one figure a command: the service each
// command calls, timed over many inputs drawn from the library (the
// 191k arXiv CS benchmark, say), p50 and p99, beside /ask timed in the same run.
//   npm run bench:tools -- --corpus DIR [--data DIR] [--n N]
import { authorPage } from '../../src/authors/authorPage.js';
import { citePapers } from '../../src/cite/citePapers.js';
import { composeDigest } from '../../src/digest/composeDigest.js';
import { ReadingListService } from '../../src/lists/ReadingListService.js';
import { terminalProgress } from '../../src/progress.js';
import { trendChartPng } from '../../src/render/trendChart.js';
import { similarPapers } from '../../src/search/similarPapers.js';
import { openDatabase } from '../../src/store/openDatabase.js';
import { topicPapers, topicTrend } from '../../src/trend/topicTrend.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../support/random.js';
import { openBuiltLibrary } from './builtLibrary.js';

const { search, options: values } = openBuiltLibrary('bench:tools', ['n']);
const n = Number(values.n ?? 200);
const random = seededRandom(20261202);
const papers: { id: string; title: string }[] = [];
for (const { paper } of search.library.scan()) papers.push({ id: paper.id, title: paper.title });
const draw = () => papers[Math.floor(random() * papers.length)]!;
const started = performance.now();
const names = search.authors().suggest('', 1_000).filter((a) => a.name !== 'Anonymous');
const authorsMs = performance.now() - started;
const lists = new ReadingListService(openDatabase(mkdtempSync(join(tmpdir(), 'paperbot-bench-'))), () => search, Date.now);
const channel = { kind: 'channel', id: 'bench' } as const;
const now = new Date();
// Warm what each command loads once (title index, calendar, renderer): the figures are of a running bot.
search.titles();
trendChartPng(topicTrend(search, topicPapers(search, 'transformer'), now));

const commands: [string, (i: number) => void][] = [
  ['/ask (baseline)', () => search.search(draw().title, { limit: 5 })],
  ['/similar', () => similarPapers(search, draw().id, { limit: 5 })],
  ['/author', (i) => authorPage(search, names[i % names.length]!.name, { limit: 10 })],
  ['/cite', () => citePapers(search, { text: draw().id })],
  ['/trend', () => {
    const words = draw().title.split(/[^A-Za-z]+/).filter((w) => w.length > 3).slice(0, 2).join(' ');
    try {
      trendChartPng(topicTrend(search, topicPapers(search, words || 'learning'), now));
    } catch {
      // A title's two words that no paper holds together: a refusal, timed too.
    }
  }],
  ['/list add', (i) => lists.add(channel, `list ${i % 20}`, draw().id, 'U')],
  ['/list show', (i) => lists.show(channel, `list ${i % 20}`)],
  ['/list export', (i) => lists.export(channel, `list ${i % 20}`, 'bibtex')],
  ['author digest', (i) => composeDigest(search, { topic: '', author: names[i % names.length]!.name, category: null }, new Set(), 5)],
  ['author + topic digest', (i) => composeDigest(search, { topic: 'learning', author: names[i % names.length]!.name, category: null }, new Set(), 5)],
];
const rows: { command: string; p50: number; p99: number }[] = [];
const progress = terminalProgress(process.stderr, 'commands', commands.length * n);
for (const [command, run] of commands) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    run(i);
    times.push(performance.now() - t);
    progress.tick();
  }
  times.sort((a, b) => a - b);
  rows.push({ command, p50: times[Math.floor(0.5 * n)]!, p99: times[Math.min(n - 1, Math.floor(0.99 * n))]! });
}
progress.done();
console.log(`${search.size.toLocaleString('en')} papers, ${names.length} of the most prolific names (author index ${(authorsMs / 1000).toFixed(1)} s), ${n} runs a command`);
for (const r of rows) console.log(`${r.command.padEnd(22)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms`);
console.log(JSON.stringify(Object.fromEntries(rows.map((r) => [r.command, { p50Ms: Number(r.p50.toFixed(2)), p99Ms: Number(r.p99.toFixed(2)) }]))));
