import { evaluate, loadBeir } from '../eval/beir.js';
import { loadEnvFile } from '../config.js';
import { UserError } from '../errors.js';
import { FetchError } from '../ingest/PoliteClient.js';
import { IngestError } from '../ingest/sources.js';
import { defaultCorpusDir, defaultDataDir } from '../paths.js';
import { toResultJson } from '../render/paperView.js';
import { renderEval, renderResult, renderStats } from '../render/terminal.js';
import { openPaperIndex } from '../search/openIndex.js';
import type { PaperIndex } from '../search/PaperIndex.js';
import { WinkEngine } from '../search/WinkEngine.js';
import { formatIngestReport } from '../ingest/runIngest.js';
import { ingestCommand } from './ingestCommand.js';
import { parseOptions, type Options } from './parseOptions.js';

const USAGE = `Usage: paperbot <command> [options]

Commands:
  ask "<question>"     the papers that best answer a question, with the answering sentences
  paper "<title>"      look a paper up by title (prefixes, partial words and typos are fine)
  stats                the corpus and its index
  eval --beir DIR      retrieval quality on a BEIR dataset (nDCG@10, Recall@100)
  ingest arxiv --query "<search>" [--max N] | --ids ID,ID
                       add papers from the arXiv API
  ingest oai --set SET --from YYYY-MM-DD [--until YYYY-MM-DD]
                       add papers from arXiv's OAI-PMH (arXivRaw), resumable
  ingest rss CAT+CAT   add the day's new submissions (e.g. cs.CV+cs.LG)
  ingest file PATH [--category C] [--since YYYY-MM-DD]
                       add papers from a corpus JSON/JSONL file or the arXiv metadata snapshot

Options:
  --top N              number of results for ask and paper (1-100; default 5 for ask, 3 for paper)
  --corpus DIR         corpus folder (default: $PAPERBOT_CORPUS, else the repository's corpus/)
  --json               print one JSON object instead of text
  -h, --help           this help

Environment: PAPERBOT_CORPUS, PAPERBOT_DATA_DIR (where the index is kept; default data/), NO_COLOR,
ARXIV_API_URL, ARXIV_OAI_URL, ARXIV_RSS_URL (arXiv's endpoints, for mirrors and tests).`;

const common: Options = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
const corpus: Options = { corpus: { type: 'string' } };
const top: Options = { top: { type: 'string' } };

const COMMANDS: Record<string, { options: Options; positionals: 'required' | 'none' }> = {
  ask: { options: { ...common, ...corpus, ...top }, positionals: 'required' },
  paper: { options: { ...common, ...corpus, ...top }, positionals: 'required' },
  stats: { options: { ...common, ...corpus }, positionals: 'none' },
  eval: { options: { ...common, beir: { type: 'string' } }, positionals: 'none' },
};

/** Run the CLI; returns the exit code. Output goes to the given streams. */
export async function run(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  loadEnvFile();
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    out.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (name === 'ingest') {
      const { report, json } = await ingestCommand(rest, process.env, err as NodeJS.WriteStream);
      const { reasons, examples, ...counts } = report;
      if (json) out.write(`${JSON.stringify({ ...counts, elapsedMs: Math.round(report.elapsedMs), reasons: Object.fromEntries(reasons), examples })}\n`);
      else out.write(`${formatIngestReport(report)}\n${examples.slice(0, 5).map((e) => `  rejected: ${e}\n`).join('')}`);
      return 0;
    }
    if (command === undefined) throw new UserError('bad_option', `unknown command "${name}" (try: ask, paper, stats, eval, ingest)`);
    const { values, positionals } = parseOptions(name, rest, command.options);
    if (values.help) {
      out.write(`${USAGE}\n`);
      return 0;
    }
    const json = values.json === true;
    const text = positionals.join(' ').trim();
    if (command.positionals === 'required' && text === '') {
      throw new UserError('query_empty', name === 'ask' ? 'the question is empty: paperbot ask "<question>"' : 'the title is empty: paperbot paper "<title>"');
    }
    if (command.positionals === 'none' && positionals.length > 0) {
      throw new UserError('bad_option', `${name} takes no arguments, got "${positionals.join(' ')}"`);
    }
    const write = (value: unknown, rendered: () => string) =>
      out.write(`${json ? JSON.stringify(value) : rendered()}\n`);

    if (name === 'eval') {
      const dir = values.beir;
      if (typeof dir !== 'string' || dir === '') throw new UserError('bad_option', 'eval needs --beir DIR (e.g. ../shared/bench/scifact)');
      const report = evaluate(loadBeir(dir), (docs) => WinkEngine.build(docs));
      write(report, () => renderEval(report, dir));
      return 0;
    }

    const index = open(values.corpus as string | undefined);
    for (const warning of index.build.warnings) err.write(`paperbot: warning: ${warning}\n`);
    if (name === 'stats') {
      const stats = index.stats();
      const { build } = index;
      write(
        { ...stats, corpus: index.corpus.dir, indexFile: build.file, indexBytes: build.bytes, indexBuiltAt: build.builtAt.toISOString(), indexReused: build.reused, loadMs: Math.round(build.elapsedMs) },
        () => renderStats(stats, index),
      );
      return 0;
    }
    const limit = parseTop(values.top as string | undefined, name === 'ask' ? 5 : 3);
    const result = name === 'ask' ? index.search(text, { limit }) : index.lookup(text, { limit });
    const color = !json && (out as NodeJS.WriteStream).isTTY === true && !process.env.NO_COLOR;
    write(toResultJson(result), () => renderResult(result, index.corpus.papers.length, { color }));
    return 0;
  } catch (error) {
    if (error instanceof IngestError || error instanceof FetchError) {
      err.write(`paperbot: ingest failed, the corpus is unchanged: ${error.message}\n`);
      return 1;
    }
    if (error instanceof UserError) {
      err.write(`paperbot: ${error.message}\n`);
      return 2;
    }
    const detail = process.env.PAPERBOT_DEBUG ? (error as Error).stack : (error as Error).message;
    err.write(`paperbot: internal error: ${detail}\n(set PAPERBOT_DEBUG=1 for the stack trace)\n`);
    return 1;
  }
}

function parseTop(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 100)) throw new UserError('bad_option', `--top must be a whole number from 1 to 100, not "${raw}"`);
  return n;
}

function open(corpusOption: string | undefined): PaperIndex {
  const corpusDir = corpusOption ?? defaultCorpusDir();
  return openPaperIndex({ corpusDir, dataDir: defaultDataDir() });
}
