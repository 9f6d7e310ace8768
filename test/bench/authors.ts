// /author's autocomplete at a field's scale. The arXiv CS benchmark has no
// author lists, so this generates them: 191,000 papers of 1 to 8 authors
// drawn from about 400,000 distinct names (given × family, Zipf-skewed, as
// real bylines are), then times AuthorIndex.build and 2,000 suggestions for
// prefixes of 1 to 10 characters of names, as a user types them.
//   npm run bench:authors [-- --papers N]
import { parseArgs } from 'node:util';
import { AuthorIndex } from '../../src/authors/AuthorIndex.js';
import { seededRandom } from '../support/random.js';

const { values } = parseArgs({ options: { papers: { type: 'string' } } });
const PAPERS = Number(values.papers ?? 191_000);
const random = seededRandom(7);
const syllables = ['an', 'li', 'wa', 'ng', 'zh', 'ou', 'ma', 'ri', 'ko', 'ta', 'be', 'ns', 'el', 'ja', 'mi', 'ro', 'su', 'ki', 'da', 've', 'lo', 'ha', 'yu', 'xi', 'chen', 'er', 'son', 'berg', 'ov', 'ez'];
const word = (n: number) => {
  let w = '';
  for (let i = 0; i < n; i++) w += syllables[Math.floor(random() * syllables.length)]!;
  return w[0]!.toUpperCase() + w.slice(1);
};
const given = Array.from({ length: 20_000 }, () => word(2 + Math.floor(random() * 2)));
const family = Array.from({ length: 60_000 }, () => word(1 + Math.floor(random() * 3)));
// Zipf-like: a few names sign many papers.
const zipf = (n: number) => Math.floor(n * random() ** 2);
const people = Array.from({ length: 440_000 }, () => `${given[zipf(given.length)]} ${family[zipf(family.length)]}`);
const rows: { doc: number; year: number; name: string }[] = [];
for (let doc = 0; doc < PAPERS; doc++) {
  const count = 1 + Math.floor(random() * 8);
  for (let a = 0; a < count; a++) rows.push({ doc, year: 2020, name: people[zipf(people.length)]! });
}

const memoryBefore = process.memoryUsage().heapUsed;
let started = performance.now();
const index = AuthorIndex.build(rows);
const buildMs = performance.now() - started;
const heapMb = (process.memoryUsage().heapUsed - memoryBefore) / 2 ** 20;

const times: number[] = [];
for (let i = 0; i < 2_000; i++) {
  const name = people[Math.floor(random() * people.length)]!;
  const typed = name.slice(0, 1 + Math.floor(random() * 10)).toLowerCase();
  started = performance.now();
  index.suggest(typed, 25);
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
console.log(`${PAPERS.toLocaleString('en')} papers, ${rows.length.toLocaleString('en')} bylines, ${index.size.toLocaleString('en')} distinct names`);
console.log(`build ${(buildMs / 1000).toFixed(2)} s, heap +${heapMb.toFixed(0)} MB`);
console.log(`suggest (25 choices): p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${at(1).toFixed(2)} ms`);
console.log(JSON.stringify({ names: index.size, buildMs: Math.round(buildMs), p50Ms: at(0.5), p99Ms: at(0.99) }));
