// Autocomplete latency of TitleIndex at 100,000 titles: generates realistic
// titles, builds the index, then times 1,000 queries of the kinds a Discord
// user types (a title cut mid-word, a few words, a word with a typo), limit 25.
//   npx tsx test/bench/titles.ts
// Timings are printed, never asserted: they depend on the machine.
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { extractNames, TitleIndex, type TitleEntry } from '../../src/search/TitleIndex.js';
import { seededRandom } from '../support/random.js';
import { seedPapers } from '../support/seeds.js';

const TITLES = 100_000;
const QUERIES = 1_000;
const WARMUP = 200;
const LIMIT = 25;

const random = seededRandom(20240611);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));

// Root words of ML and science titles; inflections, prefixes and compounds
// below grow them into a vocabulary of a few thousand.
const ROOTS = `learn network neural model graph transform attention vision language image video
  train optim prune quantiz distill generat diffus represent embed segment detect classif recogn
  reinforc agent policy reward robot control plan navigat sparse dense robust adversar attack defens
  privacy federat distribut parallel effici scal compress accelerat hardware memory energy latency
  bayes probabil inferen estimat sampl variation kernel gaussian process causal counterfactual
  explain interpret fair bias uncertain calibrat generaliz transfer domain adapt few shot zero
  continual lifelong meta curricul contrast supervis label annotat weak noise denois restor super
  resolut depth point cloud mesh render neural field scene pose track motion predict forecast time
  series tempor spatial spectral signal audio speech text token prompt instruct align retriev search
  recommend rank query answer question reason knowledge logic program code synthes verif proof
  theorem math physic chemi molecul protein drug cell gene medic clinic imag health patient brain
  climat weather energ materi quantum circuit spike neuromorph binar low rank matrix tensor factor
  decompos optim convex gradient descent stochast converg bound regret bandit game equilibr market
  auction social community node edge link hypergraph mesh manifold geometr topolog equivar invari
  symmetr hierarch multi modal cross fusion mixture expert sparse rout capacity scale law emergent
  evaluat benchmark dataset metric survey review analysis study understand rethink revisit toward
  improv enhanc boost lightweight mobile edge device cloud server stream online offline batch`
  .split(/\s+/)
  .filter(Boolean);
const ENDINGS = ['', 's', 'ing', 'ed', 'ation', 'ations', 'er', 'ers', 'ive', 'ity', 'al', 'ally', 'ness', 'ment'];
const PREFIXES = ['multi', 'self', 'semi', 'cross', 'meta', 'hyper', 'un', 'pre', 'co', 'sub', 'inter'];
// Repeats make "for" and "of" the commonest, as in real titles.
const FUNCTION_WORDS = ['for', 'for', 'for', 'of', 'of', 'and', 'and', 'with', 'via', 'in', 'on', 'the', 'a', 'towards', 'using', 'from', 'to', 'by'];

function buildVocabulary(): string[] {
  const words = new Set<string>();
  while (words.size < 4_000) {
    const word = pick(ROOTS) + pick(ENDINGS);
    // One word in five is prefixed, hyphenated half the time, as in "self-supervised".
    const prefix = random() < 0.2 ? pick(PREFIXES) : '';
    words.add(prefix === '' ? word : random() < 0.5 ? `${prefix}-${word}` : prefix + word);
  }
  return [...words];
}

// Zipf–Mandelbrot frequencies, 1 / (rank + 10): a long tail, and a head as
// flat as real titles', where the commonest content word ("learning") is in
// roughly one title in eight. Pure Zipf would put it in over half.
const vocabulary = buildVocabulary();
const cumulative = new Float64Array(vocabulary.length);
for (let r = 0, total = 0; r < vocabulary.length; r++) cumulative[r] = total += 1 / (r + 1 + 10);
function zipfWord(): string {
  const x = random() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return vocabulary[lo]!;
}

// The long tail real titles have beyond the common words (chemicals, places,
// datasets, coinages): 40,000 pronounceable rare words, most used once or twice.
const SYLLABLES = 'ba be bi bo bu ca co cu da de di do fa fe fi ga go ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so ta te ti to tu va ve vi vo xa xe za ze zo tra pro gen lex vor quin stal mer dran pel'.split(' ');
function buildRareWords(): string[] {
  const words = new Set<string>();
  while (words.size < 40_000) words.add(Array.from({ length: int(2, 4) }, () => pick(SYLLABLES)).join(''));
  return [...words];
}
const rareWords = buildRareWords();

// Method names like the seeds' (but never one of theirs, so the seed checks below mean something).
const NAME_HEADS = ['Deep', 'Fast', 'Dual', 'Meta', 'Hyper', 'Mobile', 'Sparse', 'Neuro', 'Graph', 'Vi', 'Mu',
  'Omni', 'Uni', 'Poly', 'Flash', 'Swin', 'Res', 'Dense', 'Auto', 'Bi', 'Quant', 'Lite', 'Tiny', 'Open', 'Star'];
const NAME_TAILS = ['Net', 'Former', 'GAN', 'BERT', 'Diff', 'Seg', 'Det', 'NAS', 'Mixer', 'Flow',
  'Prune', 'RL', 'GPT', 'LM', 'ViT', 'Track', 'Rec', 'Pose', 'Edit', 'Gen', 'Sim', 'Nav'];
const ACRONYMS = ['CNN', 'GPU', 'ViT', 'ImageNet', 'COCO', 'BERT', 'GPT-4', 'LLM', 'ResNet50', 'CIFAR-10', 'RL', 'GNN',
  'NLP', 'MLP', 'LSTM', 'GAN', 'VAE', 'SOTA', 'CPU', 'FPGA', 'DNN', 'SGD', 'MNIST', 'CLIP', 'LoRA', 'RGB', 'MRI', 'CT',
  'ECG', 'EEG', 'PDE', 'ODE', 'MCMC', 'KL', 'IoU', 'mAP', 'FID', 'BLEU', 'ROUGE', 'GLUE'];
const VERSIONS = ['', '', '', 'V2', 'V3', '++', '-XL', '-S', '2'];
const capitalise = (w: string): string => w.replace(/(^|-)(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());

function makeTitle(): TitleEntry {
  const n = int(5, 14);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    // Function words between content words, as real titles have them.
    parts.push(i > 0 && i < n - 1 && random() < 0.25 ? pick(FUNCTION_WORDS) : zipfWord());
  }
  for (let r = random(); r < 0.4; r += 0.3) parts.splice(int(0, parts.length), 0, pick(rareWords));
  let title = parts.map((w) => (FUNCTION_WORDS.includes(w) ? w : capitalise(w))).join(' ');
  const aliases: string[] = [];
  if (random() < 0.35) {
    const name = pick(NAME_HEADS) + pick(NAME_TAILS) + pick(VERSIONS);
    title = `${name}: ${title}`;
    aliases.push(name);
  }
  // What extractNames yields for a typical abstract (the seeds average about
  // five): the method, names of others, and acronyms many abstracts share.
  for (let i = int(1, 7); i > 0; i--) {
    aliases.push(random() < 0.6 ? pick(ACRONYMS) : pick(NAME_HEADS) + pick(NAME_TAILS) + pick(VERSIONS));
  }
  return aliases.length > 0 ? { title, aliases } : { title };
}

const seeds: TitleEntry[] = seedPapers().map((s) => ({ title: s.title, aliases: extractNames(s.abstract) }));

const entries: TitleEntry[] = Array.from({ length: TITLES }, makeTitle).concat(seeds);

// --- queries -----------------------------------------------------------------

type Kind = 'prefix' | 'words' | 'typo';
interface Query {
  kind: Kind;
  text: string;
  /** The entry the query was made from. */
  source: number;
}

const titleWords = (doc: number): string[] => entries[doc]!.title.split(/\s+/);

function typo(word: string): string {
  const i = int(1, word.length - 2);
  // A letter other than the one it may replace, so every query really has a typo.
  let letter = word[i]!;
  while (letter === word[i]) letter = String.fromCharCode(97 + int(0, 25));
  switch (int(0, 3)) {
    case 0:
      return word.slice(0, i) + letter + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + letter + word.slice(i);
    case 2:
      return word.slice(0, i) + word.slice(i + 1);
    default:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  }
}

function makeQuery(kind: Kind): Query {
  const source = int(0, entries.length - 1);
  const ws = titleWords(source);
  if (kind === 'prefix') {
    // Cut inside a word, as after a few keystrokes.
    const upto = int(0, Math.min(ws.length, 6) - 1);
    const last = ws[upto]!;
    const cut = last.slice(0, int(1, last.length));
    return { kind, text: [...ws.slice(0, upto), cut].join(' '), source };
  }
  if (kind === 'words') {
    const count = int(1, Math.min(4, ws.length));
    const chosen = Array.from({ length: count }, () => pick(ws));
    const last = chosen[count - 1]!;
    if (random() < 0.5) chosen[count - 1] = last.slice(0, int(1, last.length));
    return { kind, text: chosen.join(' '), source };
  }
  const start = int(0, Math.max(0, ws.length - 3));
  const span = ws.slice(start, start + int(2, 5));
  const long = span.map((w, i) => [w, i] as const).filter(([w]) => /^[\p{L}-]{5,}$/u.test(w));
  if (long.length > 0) {
    const [w, i] = pick(long);
    span[i] = typo(w);
  }
  return { kind, text: span.join(' '), source };
}

const kinds: Kind[] = ['prefix', 'words', 'typo'];
const warmup = Array.from({ length: WARMUP }, () => makeQuery(pick(kinds)));
const queries = Array.from({ length: QUERIES }, (_, i) => makeQuery(kinds[i % kinds.length]!));

// --- run ---------------------------------------------------------------------

function countTitlesWith(word: string): number {
  const re = new RegExp(`(^|[^a-z])${word}([^a-z]|$)`, 'i');
  return entries.filter((e) => re.test(e.title)).length;
}

// Exposes gc() without a command-line flag, so the memory figures are exact.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function memory(): { heap: number; buffers: number } {
  // Twice: typed arrays' memory is released by the collection after the one that finds them dead.
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const before = memory();
const t0 = performance.now();
const index = TitleIndex.build(entries);
const buildMs = performance.now() - t0;
const after = memory();

const commonest = countTitlesWith(vocabulary[0]!);
console.log(
  `titles: ${index.size.toLocaleString('en')} (${vocabulary.length.toLocaleString('en')} common words, ` +
    `${rareWords.length.toLocaleString('en')} rare ones and method names; ` +
    `the commonest word is in ${((100 * commonest) / index.size).toFixed(0)}% of titles)`,
);
console.log(`build: ${buildMs.toFixed(0)} ms`);
console.log(
  `memory: heap used ${mb(after.heap)} in all; the index adds ${mb(after.heap - before.heap)} heap + ${mb(after.buffers - before.buffers)} typed arrays`,
);

for (const q of warmup) index.search(q.text, LIMIT);

const times: Record<Kind | 'all', number[]> = { prefix: [], words: [], typo: [], all: [] };
const found: Record<Kind, { top1: number; top25: number; n: number }> = {
  prefix: { top1: 0, top25: 0, n: 0 },
  words: { top1: 0, top25: 0, n: 0 },
  typo: { top1: 0, top25: 0, n: 0 },
};
for (const q of queries) {
  const start = performance.now();
  const matches = index.search(q.text, LIMIT);
  const ms = performance.now() - start;
  times[q.kind].push(ms);
  times.all.push(ms);
  const f = found[q.kind];
  f.n++;
  // Several titles may hold the same words: count a hit when the best match
  // has the source's title, not necessarily the same entry.
  const sourceTitle = entries[q.source]!.title;
  if (matches[0] && entries[matches[0].doc]!.title === sourceTitle) f.top1++;
  if (matches.some((m) => entries[m.doc]!.title === sourceTitle)) f.top25++;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
console.log(`\n${QUERIES} queries, limit ${LIMIT} (after ${WARMUP} warm-up queries):`);
for (const kind of ['all', ...kinds] as const) {
  const sorted = [...times[kind]].sort((a, b) => a - b);
  const line = `  ${kind.padEnd(7)} p50 ${percentile(sorted, 50).toFixed(3)} ms  p99 ${percentile(sorted, 99).toFixed(3)} ms  max ${sorted[sorted.length - 1]!.toFixed(3)} ms`;
  const f = kind === 'all' ? undefined : found[kind];
  console.log(f ? `${line}   source title first ${pct(f.top1, f.n)}, in top ${LIMIT} ${pct(f.top25, f.n)}` : line);
}
function pct(k: number, n: number): string {
  return `${((100 * k) / n).toFixed(1)}%`;
}

console.log('\nseed titles:');
for (const q of ['Advancing Model Prunning via Bilevel Optimisation', 'snapfusoin', 'EfficientFormerV2', 'Rethinking Vision Trans']) {
  const best = index.search(q, LIMIT)[0];
  console.log(`  ${JSON.stringify(q)} → ${best ? JSON.stringify(entries[best.doc]!.title) : 'nothing'}`);
}
