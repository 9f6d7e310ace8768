// PaperBot at a real field's scale: the arXiv CS benchmark corpus
// (../shared/bench/arxiv-cs/, 191,465 papers) plus the seeds, ingested into an
// empty data folder the way a newcomer would, then measured step by step in
// fresh processes, with a plain typed-array BM25 baseline run on the same
// questions in the same process, so the ratio is honest on a noisy machine.
//   npm run bench:real                       191k papers
//   npm run bench:real -- --million          also 1,000,000 papers made from them (vocabulary perturbed)
//   npm run bench:real -- --keep DIR         keep the data folder in DIR (to ask it afterwards)
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, writeSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { seededRandom } from '../support/random.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BENCH = resolve(ROOT, '../shared/bench/arxiv-cs');
const BIN = join(ROOT, 'src/cli/paperbot.mjs');
const WORKER = join(import.meta.dirname, 'realWorker.ts');
const HELD_OUT = 1_000;
const QUESTIONS = 1_000;
const PLACEHOLDER = '(authors not recorded)';
const argv = process.argv.slice(2);
const million = argv.includes('--million');
const keep = argv.includes('--keep') ? resolve(argv[argv.indexOf('--keep') + 1]!) : null;

interface Listing { id: string; title: string; abstract: string; authors: string[]; categories: string[]; date: string | null }
type Percentiles = { p50: number; p99: number; max: number };

const say = (line: string) => process.stdout.write(`${line}\n`);
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0)} ms`;
const s = (x: number) => `${(x / 1000).toFixed(1)} s`;

async function* listings(): AsyncGenerator<Listing> {
  const lines = createInterface({ input: createReadStream(join(BENCH, 'papers.jsonl.gz')).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim() !== '') yield JSON.parse(line) as Listing;
}

/** JSON lines, written a few thousand at a time: a million papers exceed any one string. */
function writeLines(path: string, records: readonly unknown[]): void {
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < records.length; i += 5000) writeSync(fd, `${records.slice(i, i + 5000).map((r) => JSON.stringify(r)).join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Run a worker step in a fresh process; its last stdout line is JSON. */
function worker<T>(env: NodeJS.ProcessEnv, ...args: string[]): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', WORKER, ...args], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

/** `paperbot ARGS` in a fresh process: wall time, peak memory, its JSON output. */
function cli(env: NodeJS.ProcessEnv, ...args: string[]): { wallMs: number; peakRssMb: number; output: Record<string, unknown> } {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', WORKER, 'cli', ...args], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = performance.now() - started;
  const tail = JSON.parse(result.stderr.trim().split('\n').at(-1)!) as { code: number; peakRssMb: number };
  if (tail.code !== 0) throw new Error(`paperbot ${args.join(' ')} failed:\n${result.stderr}`);
  return { wallMs, peakRssMb: tail.peakRssMb, output: JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown> };
}

/** The median wall time of a new `paperbot` process, over `runs`. */
function newProcessMs(env: NodeJS.ProcessEnv, runs: number, ...args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

function dirBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0);
}

async function measure(label: string, papers: Listing[], work: string, extraQuestions: boolean): Promise<void> {
  const dataDir = join(work, `data-${label}`);
  const env: NodeJS.ProcessEnv = { ...process.env, PAPERBOT_DATA_DIR: dataDir, PAPERBOT_CORPUS: join(ROOT, 'corpus'), PAPERBOT_ENV_FILE: join(work, 'none.env') };
  delete env.PAPERBOT_ENGINE;
  const rand = seededRandom(20261201);
  // The last papers by id are the "new" ones, as a day's ingest brings the newest.
  const main = papers.slice(0, papers.length - HELD_OUT);
  const held = papers.slice(papers.length - HELD_OUT);
  const mainFile = join(work, `${label}-main.jsonl`);
  const heldFile = join(work, `${label}-held.jsonl`);
  writeLines(mainFile, main);
  writeLines(heldFile, held);
  const titles = Array.from({ length: QUESTIONS }, () => papers[Math.floor(rand() * papers.length)]!.title.replace(/\s+/g, ' '));
  const titlesFile = join(work, `${label}-titles.json`);
  writeFileSync(titlesFile, JSON.stringify(titles));

  say(`\n## ${label}: ${papers.length.toLocaleString('en')} benchmark papers + the 10 seeds`);
  const ingest = cli(env, 'ingest', 'file', mainFile, '--fill-authors', PLACEHOLDER, '--json');
  say(`ingest into an empty data folder: ${s(ingest.wallMs)} wall, peak ${ingest.peakRssMb} MB (${(ingest.output.papers as number).toLocaleString('en')} papers; ${(ingest.output.index as string[]).join(', ')})`);
  const grow = cli(env, 'ingest', 'file', heldFile, '--fill-authors', PLACEHOLDER, '--json');
  say(`${HELD_OUT.toLocaleString('en')} new papers ingested, index updated: ${s(grow.wallMs)} wall (${(grow.output.index as string[]).join(', ') || 'nothing to index'})`);
  const build = worker<{ indexMs: number; titlesMs: number; peakRssMb: number; indexBytes: number; papers: number }>(env, 'build');
  say(`full index build from the library: ${s(build.indexMs)} + title index ${s(build.titlesMs)}, peak ${build.peakRssMb} MB; index ${(build.indexBytes / 2 ** 20).toFixed(0)} MB; data folder ${(dirBytes(dataDir) / 2 ** 20).toFixed(0)} MB`);
  const askWall = newProcessMs(env, 5, 'ask', titles[1]!);
  say(`a new paperbot ask process, index built: ${ms(askWall)} wall (median of 5)`);
  const query = worker<{ loadMs: number; rssAfterLoadMb: number; papers: number; segments: number; ask: Percentiles; engine: Percentiles; baseline: Percentiles }>(env, 'query', titlesFile);
  say(`load ${ms(query.loadMs)}; RSS after load ${query.rssAfterLoadMb} MB; ${query.segments} segment(s)`);
  say(`${QUESTIONS.toLocaleString('en')} title-like questions, p50 / p99 / max:`);
  say(`  ask (search + answers for 5)  ${ms(query.ask.p50)} / ${ms(query.ask.p99)} / ${ms(query.ask.max)}`);
  say(`  engine alone                  ${ms(query.engine.p50)} / ${ms(query.engine.p99)} / ${ms(query.engine.max)}`);
  say(`  plain BM25 baseline           ${ms(query.baseline.p50)} / ${ms(query.baseline.p99)} / ${ms(query.baseline.max)}`);
  say(`  ask p50 / baseline p50        ${(query.ask.p50 / query.baseline.p50).toFixed(2)}×`);
  const titleStart = worker<{ openMs: number; firstLookupMs: number; found: boolean; autocomplete: Percentiles }>(env, 'titles', titlesFile);
  say(`first /paper lookup after start: ${ms(titleStart.firstLookupMs)} (after ${ms(titleStart.openMs)} opening); autocomplete p50 / p99 / max ${ms(titleStart.autocomplete.p50)} / ${ms(titleStart.autocomplete.p99)} / ${ms(titleStart.autocomplete.max)}`);
  const bot = worker<{ readyMs: number; rssMb: number }>(env, 'bot');
  say(`bot: start to ready ${ms(bot.readyMs)}, RSS ${bot.rssMb} MB`);
  if (extraQuestions) {
    const dev = cli(env, 'eval', '--questions', join(BENCH, 'questions-dev.tsv'), '--json').output as Record<string, number | Record<string, Record<string, number>>>;
    const row = (name: string, r: Record<string, number>) =>
      `  ${name.padEnd(11)} ${String(r.questions).padStart(4)}  top-1 ${(r.top1! * 100).toFixed(1)}%  top-10 ${(r.top10! * 100).toFixed(1)}%  MRR@10 ${r.mrr10!.toFixed(3)}  empty ${r.empty}`;
    say('paperbot eval --questions questions-dev.tsv:');
    for (const [name, r] of Object.entries(dev.byLabel as Record<string, Record<string, number>>)) say(row(name, r));
    say(row('all', dev as Record<string, number>));
    say(`  search latency p50 ${dev.p50Ms} ms, p99 ${dev.p99Ms} ms`);
  }
  say(`JSON ${JSON.stringify({ label, papers: query.papers, ingestMs: ingest.wallMs, ingestPeakMb: ingest.peakRssMb, grow1000Ms: grow.wallMs, buildMs: build.indexMs, titlesBuildMs: build.titlesMs, buildPeakMb: build.peakRssMb, askProcessMs: askWall, loadMs: query.loadMs, rssAfterLoadMb: query.rssAfterLoadMb, ask: query.ask, engine: query.engine, baseline: query.baseline, firstLookupMs: titleStart.firstLookupMs, autocomplete: titleStart.autocomplete, botReadyMs: bot.readyMs })}`);
}

/** A copy of a paper as if from another field: a new id, a share of its words made new words. */
function perturbed(paper: Listing, copy: number, index: number, rand: () => number): Listing {
  const month = 1 + Math.floor(index / 99_999);
  const id = `${30 + copy}${String(month).padStart(2, '0')}.${String((index % 99_999) + 1).padStart(5, '0')}`;
  const shift = (text: string) => text.replace(/[A-Za-z]{4,}/g, (w) => (rand() < 0.3 ? `${w}q${copy}` : w));
  return { ...paper, id, title: shift(paper.title), abstract: shift(paper.abstract), date: `${2030 + copy}-01-01` };
}

if (!existsSync(join(BENCH, 'papers.jsonl.gz'))) throw new Error(`${BENCH}/papers.jsonl.gz is missing`);
say(`# npm run bench:real — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
const work = keep ?? mkdtempSync(join(tmpdir(), 'paperbot-real-'));
mkdirSync(work, { recursive: true });
try {
  const real: Listing[] = [];
  for await (const paper of listings()) real.push(paper);
  await measure('191k', real, work, true);
  if (million) {
    const rand = seededRandom(7);
    const papers = [...real];
    for (let copy = 0; papers.length < 1_000_000; copy++) {
      for (let i = 0; i < real.length && papers.length < 1_000_000; i++) papers.push(perturbed(real[i]!, copy, i, rand));
    }
    await measure('1M', papers, work, false);
  }
} finally {
  if (keep === null) rmSync(work, { recursive: true, force: true });
  else say(`\ndata kept in ${work} (PAPERBOT_DATA_DIR=${work}/data-191k)`);
}

