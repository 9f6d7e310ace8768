// One measured step of `npm run bench:real`, in a fresh process (so load
// times and memory are a new process's): prints one JSON line.
//   realWorker.ts cli ARGS…            run `paperbot ARGS…`, then report peak memory
//   realWorker.ts build                rebuild the index and the title index from the library
//   realWorker.ts query QUESTIONS      load, then ask: PaperBot, its engine alone, and a plain BM25 baseline
//   realWorker.ts titles TITLES        the first lookup after start, then autocomplete
//   realWorker.ts bot                  start the bot against a fake Discord: start to ready
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startBot } from '../../src/bot/startBot.js';
import { run } from '../../src/cli/main.js';
import { loadBotConfig } from '../../src/config.js';
import { corpusTag } from '../../src/library/openLibrary.js';
import { defaultCorpusDir, defaultDataDir } from '../../src/paths.js';
import { defaultBm25Options } from '../../src/search/bm25.js';
import { queryTerms } from '../../src/search/documents.js';
import { ImpactRetriever } from '../../src/search/engines/impact/ImpactRetriever.js';
import { loadSegment } from '../../src/search/engines/impact/Segment.js';
import { openSearch } from '../../src/search/openSearch.js';
import { plainQuery } from '../../src/search/Retriever.js';
import { FakeDiscord } from '../support/fakeDiscord.js';
import { PlainBm25 } from './PlainBm25.js';

const [step, ...args] = process.argv.slice(2);
const location = { corpusDir: defaultCorpusDir(), dataDir: defaultDataDir() };
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

type Percentiles = { p50: number; p99: number; max: number };

function percentiles(ms: number[]): Percentiles {
  ms.sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99), max: ms.at(-1)! };
}

function timed(questions: readonly string[], f: (q: string) => unknown): Percentiles {
  return percentiles(
    questions.map((q) => {
      const started = performance.now();
      f(q);
      return performance.now() - started;
    }),
  );
}

/**
 * Each question put to every contestant in turn (the first changes from one
 * question to the next), so that a noisy neighbour or a garbage collection
 * slows them all alike: the ratio between them is what holds.
 */
function timedTogether(questions: readonly string[], contestants: Record<string, (q: string) => unknown>): Record<string, Percentiles> {
  const names = Object.keys(contestants);
  const ms: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  questions.forEach((q, i) => {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      const started = performance.now();
      contestants[name]!(q);
      ms[name]!.push(performance.now() - started);
    }
  });
  return Object.fromEntries(names.map((n) => [n, percentiles(ms[n]!)]));
}

switch (step) {
  case 'cli': {
    const err = new Writable({ write: (chunk, _e, done) => (process.stderr.write(chunk), done()) });
    const code = await run(args, process.stdout, err);
    process.stderr.write(`${JSON.stringify({ code, peakRssMb: peakRssMb() })}\n`);
    process.exitCode = code;
    break;
  }
  case 'build': {
    const indexDir = join(location.dataDir, 'indexes', corpusTag(location.corpusDir));
    rmSync(indexDir, { recursive: true, force: true });
    const started = performance.now();
    const search = openSearch(location);
    const indexMs = performance.now() - started;
    const titlesStarted = performance.now();
    search.titles();
    print({ indexMs, titlesMs: performance.now() - titlesStarted, peakRssMb: peakRssMb(), indexBytes: search.info.indexBytes, papers: search.size });
    break;
  }
  case 'query': {
    const questions = JSON.parse(readFileSync(args[0]!, 'utf8')) as string[];
    const started = performance.now();
    const search = openSearch({ ...location, build: false }) ?? undefined;
    if (search === undefined) throw new Error('the index is behind the library: run the build first');
    const loadMs = performance.now() - started;
    const rssAfterLoad = rssMb();
    // The baseline scores the same postings, read from the same segment file, the plain way.
    const retriever = search.retriever as ImpactRetriever;
    const baseline = PlainBm25.fromSegments(
      retriever.segments.map((s) => loadSegment(join(search.info.indexPath, s.file), { bm25: defaultBm25Options, frequencies: true }).segment),
      defaultBm25Options,
    );
    for (const q of questions.slice(0, 50)) {
      search.search(q);
      baseline.search(queryTerms(q), 5);
    }
    const { ask, engine, baseline: plain } = timedTogether(questions, {
      ask: (q) => search.search(q, { limit: 5 }),
      engine: (q) => retriever.retrieve(plainQuery(queryTerms(q)), { limit: 5, minCoverage: 0.35 }),
      baseline: (q) => baseline.search(queryTerms(q), 5),
    });
    print({ loadMs, rssAfterLoadMb: rssAfterLoad, papers: search.size, segments: retriever.segments.length, ask, engine, baseline: plain });
    break;
  }
  case 'titles': {
    const titles = JSON.parse(readFileSync(args[0]!, 'utf8')) as string[];
    const started = performance.now();
    const search = openSearch({ ...location, build: false })!;
    const openMs = performance.now() - started;
    const lookupStarted = performance.now();
    const first = search.lookup(titles[0]!, { limit: 1 });
    const firstLookupMs = performance.now() - lookupStarted;
    // A title cut mid-word, as typed: what autocomplete sees between keystrokes.
    const typed = titles.map((t, i) => t.slice(0, Math.max(3, Math.floor((t.length * (20 + (i % 60))) / 100))));
    const autocomplete = timed(typed, (t) => search.suggest(t, 25));
    print({ openMs, firstLookupMs, found: first.hits[0]?.paper.title === titles[0], autocomplete });
    break;
  }
  case 'bot': {
    const fake = await FakeDiscord.start({ token: 'bench-token', applicationId: '100000000000000001' });
    const config = loadBotConfig(
      { DISCORD_TOKEN: 'bench-token', DISCORD_CLIENT_ID: '100000000000000001', DISCORD_API_BASE: fake.apiBase, PAPERBOT_DATA_DIR: location.dataDir, LOG_LEVEL: 'silent' },
      { dotenv: false },
    );
    const started = performance.now();
    const bot = await startBot(config, { timers: false });
    const readyMs = performance.now() - started;
    print({ readyMs, papers: bot.ctx.search().size, rssMb: rssMb() });
    await bot.stop(1000);
    await fake.stop();
    break;
  }
  default:
    throw new Error(`unknown step ${step}`);
}
