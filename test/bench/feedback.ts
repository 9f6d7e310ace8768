// Digests that learn, simulated on real papers: ~20 channels live through
// 14 days of the arXiv CS benchmark's submissions. Each has a public topic
// (what the admin typed) and a hidden interest inside it (an arXiv category,
// and words a paper must hold, when given). Each day the digest posts 5 of
// that day's papers; three members vote 👍 on those inside the interest and
// 👎 on the others, each skipping a paper 20% of the time and voting wrongly
// 5% of the time. Precision@5 (the posted papers inside the interest, of 5)
// is compared with and without the votes retuning the topic.
//   npm run bench:feedback -- --corpus DIR [--data DIR] [--papers FILE] [--chart FILE.png]
import { createReadStream, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { composeDigest } from '../../src/digest/composeDigest.js';
import { FEEDBACK_DEFAULTS, learnTopic, type FeedbackOptions, type PaperVotes } from '../../src/digest/topicFeedback.js';
import { terminalProgress } from '../../src/progress.js';
import { lineChartPng } from '../../src/render/charts.js';
import { seededRandom } from '../support/random.js';
import { openBuiltLibrary } from './builtLibrary.js';

const { search, options } = openBuiltLibrary('bench:feedback', ['papers', 'beta', 'gamma', 'share', 'support', 'terms', 'categories', 'chart']);
// --beta, --gamma, --share, --support, --terms, --categories (the category share) try other settings than FEEDBACK_DEFAULTS.
const settings: FeedbackOptions = {
  ...FEEDBACK_DEFAULTS,
  ...(options.beta !== undefined && { beta: Number(options.beta) }),
  ...(options.gamma !== undefined && { gamma: Number(options.gamma) }),
  ...(options.share !== undefined && { maxShare: Number(options.share) }),
  ...(options.support !== undefined && { support: Number(options.support) }),
  ...(options.terms !== undefined && { terms: Number(options.terms) }),
  ...(options.categories !== undefined && { categoryShare: Number(options.categories) }),
};
const PAPERS = options.papers ?? new URL('../../../shared/bench/arxiv-cs/papers.jsonl.gz', import.meta.url).pathname;
const DAYS = 14;
const PER_DAY = 5;
const MEMBERS = 3;
const SKIP = 0.2;
const WRONG = 0.05;

/** Public topic, and the hidden interest: a category the paper lists, and words it holds (all of them). */
const CHANNELS: { topic: string; category: string; words?: string }[] = [
  { topic: 'large language models', category: 'cs.CR' },
  { topic: 'large language models', category: 'cs.RO' },
  { topic: 'large language models', category: 'cs.SE', words: 'code' },
  { topic: 'large language models', category: 'cs.CL', words: 'medical' },
  { topic: 'reinforcement learning', category: 'cs.RO' },
  { topic: 'reinforcement learning', category: 'cs.CL' },
  { topic: 'diffusion models', category: 'cs.CV', words: 'video' },
  { topic: 'diffusion models', category: 'cs.RO' },
  { topic: 'speech recognition', category: 'eess.AS' },
  { topic: 'speech', category: 'cs.CL', words: 'low-resource' },
  { topic: 'graph neural networks', category: 'cs.SI' },
  { topic: 'transformer', category: 'cs.CV' },
  { topic: 'federated learning', category: 'cs.CR', words: 'privacy' },
  { topic: 'object detection', category: 'cs.RO' },
  { topic: 'retrieval', category: 'cs.IR' },
  { topic: 'image segmentation', category: 'eess.IV', words: 'medical' },
  { topic: 'agents', category: 'cs.MA' },
  { topic: 'benchmark', category: 'cs.SE' },
  { topic: 'optimization', category: 'math.OC' },
  { topic: 'privacy', category: 'cs.LG' },
];

// The benchmark's dates (the library keeps the year only): id → day.
const dayOf = new Map<string, string>();
for await (const line of createInterface({ input: createReadStream(PAPERS).pipe(createGunzip()), crlfDelay: Infinity })) {
  if (line.trim() === '') continue;
  const { id, date } = JSON.parse(line) as { id: string; date?: string | null };
  if (typeof date === 'string') dayOf.set(id, date.slice(0, 10));
}
const byDay = new Map<string, string[]>();
for (const [id, day] of dayOf) {
  if (search.paper(id) === undefined) continue;
  const list = byDay.get(day);
  if (list === undefined) byDay.set(day, [id]);
  else list.push(id);
}
// The 14 consecutive days (in the corpus's own order of days) holding the most papers.
const days = [...byDay.keys()].sort();
let bestStart = 0;
let bestTotal = -1;
for (let i = 0; i + DAYS <= days.length; i++) {
  const total = days.slice(i, i + DAYS).reduce((sum, d) => sum + byDay.get(d)!.length, 0);
  if (total > bestTotal) [bestStart, bestTotal] = [i, total];
}
const window = days.slice(bestStart, bestStart + DAYS);

const interestOf = (c: (typeof CHANNELS)[number]) => {
  const held = c.words === undefined ? null : new Set(search.papersAbout(c.words).docs.map((d) => search.library.at(d)?.id));
  return (id: string) => {
    const paper = search.paper(id)!;
    return paper.categories.some((cat) => cat === c.category || cat.startsWith(`${c.category}.`)) && (held === null || held.has(id));
  };
};

type Row = { channel: string; interestPerDay: number; without: number[]; with: number[]; learned: string[] };
const rows: Row[] = [];
const progress = terminalProgress(process.stderr, 'channel-days', CHANNELS.length * DAYS);
for (const [c, channel] of CHANNELS.entries()) {
  const inInterest = interestOf(channel);
  const random = seededRandom(20261202 + c);
  const votes = new Map<string, number>();
  const sent = { with: new Set<string>(), without: new Set<string>() };
  const row: Row = { channel: `${channel.topic} → ${channel.category}${channel.words ? ` + "${channel.words}"` : ''}`, interestPerDay: 0, without: [], with: [], learned: [] };
  for (const day of window) {
    const today = new Set(byDay.get(day)!);
    row.interestPerDay += [...today].filter(inInterest).length / DAYS;
    const subject = { topic: channel.topic, author: null, category: null };
    const plain = composeDigest(search, subject, sent.without, PER_DAY, { only: today });
    const learned = learnTopic(search, channel.topic, [...votes].map(([paperId, net]): PaperVotes => ({ paperId, net })), settings);
    const tuned = composeDigest(search, subject, sent.with, PER_DAY, { only: today, feedback: learned.feedback });
    for (const item of plain) sent.without.add(item.paper.id);
    for (const item of tuned) sent.with.add(item.paper.id);
    row.without.push(plain.filter((i) => inInterest(i.paper.id)).length / PER_DAY);
    row.with.push(tuned.filter((i) => inInterest(i.paper.id)).length / PER_DAY);
    // The channel votes on what it was sent (the tuned digest).
    for (const item of tuned) {
      const truth = inInterest(item.paper.id) ? 1 : -1;
      for (let m = 0; m < MEMBERS; m++) {
        if (random() < SKIP) continue;
        const vote = random() < WRONG ? -truth : truth;
        votes.set(item.paper.id, (votes.get(item.paper.id) ?? 0) + vote);
      }
    }
    row.learned = [...learned.categories.slice(0, 2).map((c) => ({ term: c.category, weight: c.weight })), ...learned.terms.slice(0, 4)].map((t) => `${t.weight > 0 ? '+' : ''}${t.weight.toFixed(2)} ${t.term}`);
    progress.tick();
  }
  rows.push(row);
}
progress.done();

const late = (xs: number[]) => xs.slice(7).reduce((s, x) => s + x, 0) / xs.slice(7).length;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`settings ${JSON.stringify(settings)}`);
console.log(`${search.size.toLocaleString('en')} papers; days ${window[0]} to ${window.at(-1)} (${bestTotal.toLocaleString('en')} papers, ${Math.round(bestTotal / DAYS)} a day); ${CHANNELS.length} channels, ${MEMBERS} members each`);
console.log('\nprecision@5 per day, mean over the channels:');
console.log(`day      ${window.map((_, i) => String(i + 1).padStart(5)).join('')}`);
console.log(`without  ${window.map((_, i) => pct(mean(rows.map((r) => r.without[i]!))).padStart(5)).join('')}`.replace(/%/g, ''));
console.log(`with     ${window.map((_, i) => pct(mean(rows.map((r) => r.with[i]!))).padStart(5)).join('')}`.replace(/%/g, ''));
console.log('\nper channel, days 8-14:');
console.log(`| channel (topic → hidden interest) | interest papers a day | without | with | change | learned (last day) |\n|---|---|---|---|---|---|`);
for (const r of rows) {
  console.log(`| ${r.channel} | ${r.interestPerDay.toFixed(1)} | ${pct(late(r.without))} | ${pct(late(r.with))} | ${((late(r.with) - late(r.without)) * 100).toFixed(1)} | ${r.learned.join(', ')} |`);
}
const precisionWith = mean(rows.map((r) => late(r.with)));
const precisionWithout = mean(rows.map((r) => late(r.without)));
const worst = Math.min(...rows.map((r) => late(r.with) - late(r.without)));
console.log(`\ndays 8-14: without ${pct(precisionWithout)}, with ${pct(precisionWith)} (${((precisionWith - precisionWithout) * 100).toFixed(1)} points); worst channel ${(worst * 100).toFixed(1)} points`);
if (options.chart !== undefined) {
  const daily = (arm: 'with' | 'without') => window.map((_, i) => Number((100 * mean(rows.map((r) => r[arm][i]!))).toFixed(1)));
  const chart = lineChartPng({
    title: 'Digests that learn: precision@5 per day',
    subtitle: `${CHANNELS.length} simulated channels, ${window[0]} to ${window.at(-1)} of the arXiv CS benchmark; days 8-14: ${pct(precisionWithout)} without votes, ${pct(precisionWith)} with`,
    xName: 'Day',
    yName: 'Precision@5',
    labels: window.map((_, i) => String(i + 1)),
    series: [
      { name: 'With votes retuning the topic', values: daily('with'), color: '#5865f2' },
      { name: 'Without', values: daily('without'), color: '#999999' },
    ],
  });
  writeFileSync(options.chart, chart.png);
}
console.log(JSON.stringify({ precisionWith: Number(precisionWith.toFixed(4)), precisionWithout: Number(precisionWithout.toFixed(4)), channels: rows.length }));
