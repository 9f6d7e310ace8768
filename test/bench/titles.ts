// Autocomplete latency of TitleIndex at 100,000 titles: generates realistic
// titles, builds the index, then times 1,000 queries of the kinds a Discord
// user types (a title cut mid-word, a few words, a word with a typo), limit 25.
//   npx tsx test/bench/titles.ts
// With --real, the same on real titles (gzipped JSON lines with title and
// abstract, aliases from extractNames): names, build, save, then a fresh
// process loads the file and answers the queries, as the bot would at start.
//   npx tsx test/bench/titles.ts --real ../shared/bench/arxiv-cs/papers.jsonl.gz
// Timings are printed, never asserted: they depend on the machine.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGunzip } from 'node:zlib';
import { readBinaryFile, writeBinaryFile } from '../../src/search/binaryFile.js';
import { TitleIndex, type TitleEntry, type TitleMatch } from '../../src/search/titles/TitleIndex.js';
import { extractNames } from '../../src/text/names.js';
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

// --- queries -----------------------------------------------------------------

type Kind = 'prefix' | 'words' | 'typo';
interface Query {
  kind: Kind;
  text: string;
  /** The entry the query was made from. */
  source: number;
}

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

function makeQuery(entries: readonly TitleEntry[], kind: Kind): Query {
  const source = int(0, entries.length - 1);
  const ws = entries[source]!.title.split(/\s+/);
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
const makeQueries = (entries: readonly TitleEntry[]) => ({
  warmup: Array.from({ length: WARMUP }, () => makeQuery(entries, pick(kinds))),
  queries: Array.from({ length: QUERIES }, (_, i) => makeQuery(entries, kinds[i % kinds.length]!)),
});

// --- measures ----------------------------------------------------------------

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

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
function pct(k: number, n: number): string {
  return `${((100 * k) / n).toFixed(1)}%`;
}
const inMs = (t: number): string => `${t.toFixed(0)} ms`;

// --- generated titles --------------------------------------------------------

function benchSynthetic(): void {
  const seeds: TitleEntry[] = seedPapers().map((s) => ({ title: s.title, aliases: extractNames(s.abstract) }));
  const entries: TitleEntry[] = Array.from({ length: TITLES }, makeTitle).concat(seeds);
  const { warmup, queries } = makeQueries(entries);
  const countTitlesWith = (word: string): number => {
    const re = new RegExp(`(^|[^a-z])${word}([^a-z]|$)`, 'i');
    return entries.filter((e) => re.test(e.title)).length;
  };

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

  console.log(`\n${QUERIES} queries, limit ${LIMIT} (after ${WARMUP} warm-up queries):`);
  for (const kind of ['all', ...kinds] as const) {
    const sorted = [...times[kind]].sort((a, b) => a - b);
    const line = `  ${kind.padEnd(7)} p50 ${percentile(sorted, 50).toFixed(3)} ms  p99 ${percentile(sorted, 99).toFixed(3)} ms  max ${sorted[sorted.length - 1]!.toFixed(3)} ms`;
    const f = kind === 'all' ? undefined : found[kind];
    console.log(f ? `${line}   source title first ${pct(f.top1, f.n)}, in top ${LIMIT} ${pct(f.top25, f.n)}` : line);
  }

  console.log('\nseed titles:');
  for (const q of ['Advancing Model Prunning via Bilevel Optimisation', 'snapfusoin', 'EfficientFormerV2', 'Rethinking Vision Trans']) {
    const best = index.search(q, LIMIT)[0];
    console.log(`  ${JSON.stringify(q)} → ${best ? JSON.stringify(entries[best.doc]!.title) : 'nothing'}`);
  }
}

// --- real titles -------------------------------------------------------------

const KIND = 'paperbot-titles-bench/1';

async function readPapers(path: string): Promise<{ title: string; abstract: string }[]> {
  const papers: { title: string; abstract: string }[] = [];
  const lines = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const { title, abstract } = JSON.parse(line) as { title: string; abstract: string };
    papers.push({ title, abstract });
  }
  return papers;
}

/** Latency of `queries` asked in turn, the first (with cold caches and code) apart. */
interface Latency {
  firstMs: number;
  p50: number;
  p99: number;
}

function answer(index: TitleIndex, queries: readonly string[]): { results: TitleMatch[][]; latency: Latency } {
  const results: TitleMatch[][] = [];
  const times: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    results.push(index.search(q, LIMIT));
    times.push(performance.now() - start);
  }
  const rest = times.slice(1).sort((a, b) => a - b);
  return { results, latency: { firstMs: times[0]!, p50: percentile(rest, 50), p99: percentile(rest, 99) } };
}

/** What the fresh process of benchLoad reports. */
interface LoadReport {
  readMs: number;
  fromSectionsMs: number;
  latency: Latency;
  heapMb: number;
  buffersMb: number;
}

async function benchReal(path: string): Promise<void> {
  let t = performance.now();
  const papers = await readPapers(path);
  console.log(`read: ${papers.length.toLocaleString('en')} papers in ${inMs(performance.now() - t)}`);

  t = performance.now();
  const entries: TitleEntry[] = papers.map((p) => ({ title: p.title, aliases: extractNames(p.abstract) }));
  const namesMs = performance.now() - t;
  const aliases = entries.reduce((sum, e) => sum + e.aliases!.length, 0);
  console.log(`extractNames: ${inMs(namesMs)} (${((1000 * namesMs) / papers.length).toFixed(0)} µs an abstract, ${(aliases / papers.length).toFixed(1)} names each)`);

  const before = memory();
  t = performance.now();
  const index = TitleIndex.build(entries);
  console.log(`build: ${inMs(performance.now() - t)}`);
  const after = memory();
  console.log(`memory: the index adds ${mb(after.heap - before.heap)} heap + ${mb(after.buffers - before.buffers)} typed arrays`);
  const queries = makeQueries(entries).queries.map((q) => q.text);
  const built = answer(index, queries);

  const dir = mkdtempSync(join(tmpdir(), 'paperbot-titles-'));
  try {
    const file = join(dir, 'titles.bin');
    t = performance.now();
    const sections = index.toSections();
    const sectionsMs = performance.now() - t;
    const bytes = writeBinaryFile(file, KIND, {}, sections);
    console.log(`save: ${inMs(performance.now() - t)} (toSections ${inMs(sectionsMs)}), ${mb(bytes)} in ${Object.keys(sections).length} sections`);

    const queriesFile = join(dir, 'queries.json');
    const resultsFile = join(dir, 'results.json');
    writeFileSync(queriesFile, JSON.stringify(queries));
    const out = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--load', file, queriesFile, resultsFile], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const load = JSON.parse(out.trim().split('\n').at(-1)!) as LoadReport;
    console.log(
      `load, in a fresh process: ${inMs(load.readMs + load.fromSectionsMs)} (readBinaryFile ${inMs(load.readMs)}, ` +
        `fromSections ${inMs(load.fromSectionsMs)}); the process then uses ${load.heapMb.toFixed(1)} MB heap + ${load.buffersMb.toFixed(1)} MB typed arrays`,
    );

    console.log(`\n${QUERIES} queries, limit ${LIMIT}, the first ${JSON.stringify(queries[0])}:`);
    const line = (name: string, l: Latency) =>
      `  ${name} first ${l.firstMs.toFixed(1)} ms, the next p50 ${l.p50.toFixed(3)} ms  p99 ${l.p99.toFixed(3)} ms`;
    console.log(line('built index, after the build: ', built.latency));
    console.log(line('loaded index, in its process:', load.latency));
    const loaded = JSON.parse(readFileSync(resultsFile, 'utf8')) as TitleMatch[][];
    const differ = queries.filter((_, i) => JSON.stringify(built.results[i]) !== JSON.stringify(loaded[i])).length;
    console.log(`  answers: ${differ === 0 ? `the same from both indexes to all ${QUERIES} queries` : `${differ} of ${QUERIES} differ between the indexes`}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fresh process of benchReal: load `file`, answer the queries, report as one JSON line. */
function benchLoad(file: string, queriesFile: string, resultsFile: string): void {
  const queries = JSON.parse(readFileSync(queriesFile, 'utf8')) as string[];
  const t0 = performance.now();
  const { sections } = readBinaryFile(file, KIND);
  const t1 = performance.now();
  const index = TitleIndex.fromSections(sections);
  const t2 = performance.now();
  const { results, latency } = answer(index, queries);
  writeFileSync(resultsFile, JSON.stringify(results));
  const { heap, buffers } = memory();
  const report: LoadReport = { readMs: t1 - t0, fromSectionsMs: t2 - t1, latency, heapMb: heap / 1024 / 1024, buffersMb: buffers / 1024 / 1024 };
  console.log(JSON.stringify(report));
}

const [mode, ...args] = process.argv.slice(2);
if (mode === '--real') await benchReal(args[0] ?? '../shared/bench/arxiv-cs/papers.jsonl.gz');
else if (mode === '--load') benchLoad(args[0]!, args[1]!, args[2]!);
else benchSynthetic();
