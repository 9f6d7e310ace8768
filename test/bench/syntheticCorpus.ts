// Abstract-like papers for the scale benchmark: words drawn from a Zipf
// distribution (s = 1.07) whose head is the English stop words, as in real
// text, and whose tail is made-up words; seeded, so every run is the same.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Paper } from '../../src/corpus/paper.js';
import { STOP_WORDS } from '../../src/text/stopWords.js';
import { seededRandom } from '../support/random.js';

const VOCABULARY_SIZE = 60_000;
const SYLLABLES = 'ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu'.split(' ');


function vocabulary(rand: () => number): string[] {
  const words = [...STOP_WORDS].filter((w) => /^[a-z]+$/.test(w));
  const seen = new Set(words);
  while (words.length < VOCABULARY_SIZE) {
    const n = 2 + Math.floor(rand() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

function zipfSampler(size: number, s: number, rand: () => number): () => number {
  const cdf = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const CATEGORIES = ['cs.LG', 'cs.CV', 'cs.CL', 'cs.IR', 'stat.ML', 'eess.AS'];

/** Write `count` valid corpus records to `dir/papers.jsonl`. */
export function writeSyntheticCorpus(dir: string, count: number, seed: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'papers.jsonl'), `${syntheticPapers(count, seed).map((p) => JSON.stringify(p)).join('\n')}\n`);
}

/** `count` valid corpus records, ids 2001.00001 on, years 2015-2025, one or two of six categories. */
export function syntheticPapers(count: number, seed: number): Paper[] {
  const rand = seededRandom(seed);
  const words = vocabulary(rand);
  const next = zipfSampler(words.length, 1.07, rand);
  const sentence = (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(words[next()]!);
    out[0] = out[0]![0]!.toUpperCase() + out[0]!.slice(1);
    return `${out.join(' ')}.`;
  };
  const papers: Paper[] = [];
  for (let i = 0; i < count; i++) {
    const sentences = 6 + Math.floor(rand() * 5);
    const abstract = Array.from({ length: sentences }, () => sentence(15 + Math.floor(rand() * 20))).join(' ');
    const id = `${String(2001 + Math.floor(i / 99_999)).padStart(4, '0')}.${String((i % 99_999) + 1).padStart(5, '0')}`;
    const paper: Paper = {
      id,
      version: 1,
      title: sentence(6 + Math.floor(rand() * 8)).slice(0, -1),
      authors: Array.from({ length: 1 + Math.floor(rand() * 6) }, () => `${words[200 + Math.floor(rand() * 5000)]} ${words[200 + Math.floor(rand() * 5000)]}`),
      abstract,
      year: 2015 + Math.floor(rand() * 11),
      venue: null,
      categories: [...new Set([CATEGORIES[Math.floor(rand() * CATEGORIES.length)]!, CATEGORIES[Math.floor(rand() * CATEGORIES.length)]!])].slice(0, 1 + Math.floor(rand() * 2)),
      links: { abs: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` },
      code: null,
    };
    papers.push(paper);
  }
  return papers;
}

/** Questions of 5-12 words, each drawn from one paper's abstract, as a reader would ask about it. */
export function syntheticQuestions(papers: readonly Paper[], count: number, seed: number): string[] {
  const rand = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const words = papers[Math.floor(rand() * papers.length)]!.abstract.replace(/\./g, '').split(' ');
    const n = 5 + Math.floor(rand() * 8);
    return Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(' ');
  });
}
