import { createWriteStream, fstatSync, renameSync, rmSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { loadEnvFile } from '../config.js';
import { asEnvironmentError, ENVIRONMENT_EXIT_CODE, UserError } from '../errors.js';
import { evaluate, loadBeir } from '../eval/beir.js';
import { EmbeddingSearch, embeddingOptionsFrom } from '../embeddings/EmbeddingSearch.js';
import { evaluateQuestions, loadQuestions } from '../eval/questions.js';
import { FetchError } from '../ingest/PoliteClient.js';
import { formatIngestReport } from '../ingest/runIngest.js';
import { IngestError } from '../ingest/sources.js';
import { defaultCorpusDir, defaultDataDir } from '../paths.js';
import { terminalProgress } from '../progress.js';
import { describePaper, toResultJson } from '../render/paperView.js';
import { renderBeirEval, renderPaperCardText, renderAuthorPage, renderQuestionEval, renderResult, renderSimilar, renderStats, renderTrend } from '../render/terminal.js';
import { CHART_HEIGHT, CHART_WIDTH } from '../render/charts.js';
import { trendChartPng, trendChartSvg } from '../render/trendChart.js';
import { MAX_MONTHLY_BARS, topicPapers, topicTrend, type Trend } from '../trend/topicTrend.js';
import { writeFileAtomic } from '../writeFileAtomic.js';
import { engineNamed } from '../search/engines/registry.js';
import { openSearch } from '../search/openSearch.js';
import type { PaperSearch, SearchOptions, SearchResult } from '../search/PaperSearch.js';
import { parsePaperFilter } from '../search/paperFilter.js';
import { similarPapers } from '../search/similarPapers.js';
import { citationFormat, citePapers } from '../cite/citePapers.js';
import { MAX_LIST_PAPERS, MAX_LISTS, ReadingListService } from '../lists/ReadingListService.js';
import type { ListOwner } from '../store/ListEntries.js';
import { openDatabase } from '../store/openDatabase.js';
import { normalizeText, withoutControls } from '../text/normalize.js';
import { authorPage } from '../authors/authorPage.js';
import { ingestCommand } from './ingestCommand.js';
import { parseOptions, type Options } from './parseOptions.js';

const USAGE = `Usage: paperbot <command> [options]

Commands:
  ask "<question>"     the papers that best answer a question, with the answering sentences
  paper "<title>"      look a paper up by title (prefixes, partial words and typos are fine), or by arXiv id or URL
  similar <id|title>   the papers nearest one paper, with what they share
  author "<name>"      an author's papers, newest first, with co-authors and categories
  cite <id|title> [--format bibtex|ris|apa] | cite --ids ID,ID
                       a citation ready to paste (BibTeX by default)
  trend "<topic>" [--since YEAR] [--out chart.png]
                       papers on a topic per month or year, beside their share of the library; a chart
  list [add|remove|show|export] "<name>" [<id|title>]
                       local reading lists (kept in the data folder): papers to read, exported as BibTeX
  stats                the library and its index
  eval --questions FILE
                       top-1, top-10, MRR@10 and latency on your questions (question<TAB>arxiv id[<TAB>label])
  eval --beir DIR      retrieval quality on a BEIR dataset (nDCG@10, Recall@100)
  export [--out FILE]  every paper of the library as corpus JSON lines
  ingest arxiv --query "<search>" [--max N] | --ids ID,ID
                       add papers from the arXiv API
  ingest oai --set SET --from YYYY-MM-DD [--until YYYY-MM-DD]
                       add papers from arXiv's OAI-PMH (arXivRaw), resumable
  ingest rss CAT+CAT   add the day's new submissions (e.g. cs.CV+cs.LG)
  ingest file PATH [--category C] [--since YYYY-MM-DD] [--fill-authors NAME]
                       add papers from a corpus JSON/JSONL file, the arXiv metadata snapshot or a
                       listing crawl (.gz too)

Options:
  --top N              number of results for ask, similar and paper (1-100; default 5, 3 for paper)
  --since YEAR         ask, similar: only papers from this year on
  --category CAT       ask, similar: only papers in this arXiv category or under it (cs.CV, cs)
  --corpus DIR         corpus folder (default: $PAPERBOT_CORPUS, else the repository's corpus/)
  --json               print one JSON object instead of text
  -h, --help           this help; paperbot <command> --help for one command's

Environment: PAPERBOT_CORPUS, PAPERBOT_DATA_DIR (where the library and its index are kept; default data/),
PAPERBOT_ENGINE (impact, the default, or wink), NO_COLOR, ARXIV_API_URL, ARXIV_OAI_URL, ARXIV_RSS_URL.`;

const common: Options = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
const corpus: Options = { corpus: { type: 'string' } };
const top: Options = { top: { type: 'string' } };

const CORPUS_HELP = '  --corpus DIR         corpus folder (default: $PAPERBOT_CORPUS, else the repository\'s corpus/)';
const JSON_HELP = '  --json               print one JSON object instead of text';
const filters: Options = { since: { type: 'string' }, category: { type: 'string' } };
// --top, the filters, --corpus and --json, as ask and similar take them.
const RESULT_OPTIONS_HELP = [
  '  --top N              number of papers (1-100; default 5)',
  '  --since YEAR         only papers first submitted in YEAR or later',
  '  --category CAT       only papers in this arXiv category or under it (cs.CV, cs)',
  CORPUS_HELP,
  JSON_HELP,
];

/** Each command's options, arguments and `--help` text. */
const COMMANDS: Record<string, { options: Options; positionals: 'required' | 'optional' | 'none'; usage: string; empty?: string }> = {
  ask: {
    options: { ...common, ...corpus, ...top, ...filters },
    positionals: 'required',
    empty: 'the question is empty: paperbot ask "<question>"',
    usage: [
      'Usage: paperbot ask "<question>" [options]',
      '       echo "<question>" | paperbot ask [-]',
      '',
      'The papers that best answer a question, with the sentences that answer it. "-", or no',
      'question with standard input piped, reads the question from standard input.',
      '',
      ...RESULT_OPTIONS_HELP,
    ].join('\n'),
  },
  paper: {
    options: { ...common, ...corpus, ...top },
    positionals: 'required',
    empty: 'the title is empty: paperbot paper "<title>"',
    usage: [
      'Usage: paperbot paper "<title>" | <arXiv id> | <arXiv URL> [options]',
      '',
      'The whole card of a paper found by title (prefixes, partial words and typos are fine),',
      'by arXiv id or by abs/pdf URL, then the other titles that match. "-" reads standard input.',
      '',
      '  --top N              number of matches (1-100; default 3)',
      CORPUS_HELP,
      JSON_HELP,
    ].join('\n'),
  },
  similar: {
    options: { ...common, ...corpus, ...top, ...filters },
    positionals: 'required',
    empty: 'which paper? paperbot similar <arXiv id> | "<title>"',
    usage: [
      'Usage: paperbot similar <arXiv id> | "<title>" [options]',
      '',
      'The papers nearest one paper (found by id, URL or title, as paperbot paper finds it),',
      'best first, never the paper itself, each with the words it shares with it.',
      '',
      ...RESULT_OPTIONS_HELP,
    ].join('\n'),
  },
  author: {
    options: { ...common, ...corpus, ...top },
    positionals: 'required',
    empty: 'which author? paperbot author "<name>"',
    usage: [
      'Usage: paperbot author "<name>" [options]',
      '',
      'The papers of an author, newest first, with their most frequent co-authors and categories.',
      'Initials, accents, hyphens and order are tolerated: "Y. Wang", "Wang, Yanzhi" and',
      '"Yanzhi Wang" all match. One name can be several people: the page says when its papers',
      'fall into groups that share no co-author.',
      '',
      '  --top N              number of papers listed (1-100; default 10)',
      CORPUS_HELP,
      JSON_HELP,
    ].join('\n'),
  },
  cite: {
    options: { ...common, ...corpus, format: { type: 'string' }, ids: { type: 'string' } },
    positionals: 'optional',
    usage: [
      'Usage: paperbot cite <arXiv id> | "<title>" [--format bibtex|ris|apa]',
      '       paperbot cite --ids ID,ID,… [--format bibtex|ris|apa]',
      '',
      'A citation ready to paste: BibTeX (the default; @misc, or @article with a venue, with',
      'eprint, archivePrefix, primaryClass and url, every field escaped for LaTeX), RIS, or APA.',
      '',
      '  --format F           bibtex, ris or apa (default bibtex)',
      '  --ids ID,ID,…        several papers, one entry each, in that order',
      CORPUS_HELP,
      '  --json               print {"format", "entries": [{"id", "key", "text"}]} instead',
    ].join('\n'),
  },
  trend: {
    options: { ...common, ...corpus, since: filters.since!, out: { type: 'string' } },
    positionals: 'required',
    empty: 'which topic? paperbot trend "<topic>"',
    usage: [
      'Usage: paperbot trend "<topic>" [--since YEAR] [--out chart.png|chart.svg] [options]',
      '',
      'How many papers hold every word of the topic, per month (per year over more than',
      `${MAX_MONTHLY_BARS} months), beside their share of all the library's papers then. The running month`,
      'or year is marked "so far". --out draws the chart as a PNG (or SVG), offline.',
      '',
      '  --since YEAR         count from January of YEAR (default: the topic\'s first paper)',
      '  --out FILE           write the chart to FILE (.png or .svg), atomically',
      CORPUS_HELP,
      JSON_HELP,
    ].join('\n'),
  },
  list: {
    options: { ...common, ...corpus, format: { type: 'string' }, out: { type: 'string' } },
    positionals: 'optional',
    usage: [
      'Usage: paperbot list                                 your lists and how many papers each holds',
      '       paperbot list show "<name>"                     a list\'s papers, in the order added',
      '       paperbot list add "<name>" <arXiv id> | "<title>"   put a paper on a list (a new name makes it)',
      '       paperbot list remove "<name>" <arXiv id> | "<title>"',
      '       paperbot list export "<name>" [--format bibtex|ris|apa] [--out FILE]',
      '',
      `Reading lists kept in PaperBot's database in the data folder (PAPERBOT_DATA_DIR), beside the`,
      `bot's; at most ${MAX_LISTS} lists of ${MAX_LIST_PAPERS} papers. Names ignore case: "This week" is "this week".`,
      '',
      '  --format F           export as bibtex (default), ris or apa',
      '  --out FILE           export to FILE, written atomically, instead of standard output',
      CORPUS_HELP,
      JSON_HELP,
    ].join('\n'),
  },
  stats: {
    options: { ...common, ...corpus },
    positionals: 'none',
    usage: ['Usage: paperbot stats [options]', '', 'The library (papers, years, categories, newest) and its index.', '', CORPUS_HELP, JSON_HELP].join('\n'),
  },
  eval: {
    options: { ...common, ...corpus, beir: { type: 'string' }, questions: { type: 'string' } },
    positionals: 'none',
    usage: [
      'Usage: paperbot eval --questions FILE [options]',
      '       paperbot eval --beir DIR [--json]',
      '',
      '  --questions FILE     question<TAB>arxiv id[<TAB>label] a line: top-1, top-10, MRR@10, empty answers, latency',
      '  --beir DIR           a BEIR dataset (corpus.jsonl, queries.jsonl, qrels/test.tsv): nDCG@10, Recall@100',
      CORPUS_HELP,
      JSON_HELP,
    ].join('\n'),
  },
  export: {
    options: { ...corpus, help: common.help!, out: { type: 'string' } },
    positionals: 'none',
    usage: [
      'Usage: paperbot export [--out FILE] [options]',
      '',
      'Every paper of the library as corpus JSON lines, streamed to standard output or to FILE',
      '(written atomically).',
      '',
      CORPUS_HELP,
    ].join('\n'),
  },
};

// A question read from standard input longer than this is refused before it is held whole.
const MAX_STDIN_BYTES = 64 * 1024;

/** Run the CLI; returns the exit code. Output goes to the given streams; a question may come from `input`. */
export async function run(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  loadEnvFile();
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    out.write(`${USAGE}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (name === 'ingest') {
      const result = await ingestCommand(rest, process.env, err as NodeJS.WriteStream);
      if ('usage' in result) {
        out.write(`${result.usage}\n`);
        return 0;
      }
      const { report, json } = result;
      const { reasons, examples, ...counts } = report;
      if (json) out.write(`${JSON.stringify({ ...counts, elapsedMs: Math.round(report.elapsedMs), reasons: Object.fromEntries(reasons), examples })}\n`);
      else out.write(`${formatIngestReport(report)}\n${examples.slice(0, 5).map((e) => `  rejected: ${e}\n`).join('')}`);
      return 0;
    }
    if (command === undefined) throw new UserError('bad_option', `unknown command "${name}" (try: ${[...Object.keys(COMMANDS), 'ingest'].join(', ')})`);
    const { values, positionals } = parseOptions(name, rest, command.options);
    if (values.help) {
      out.write(`${command.usage}\n`);
      return 0;
    }
    const json = values.json === true;
    // An optional argument is read from standard input only when it is "-": cite --ids takes none, whatever stdin is.
    const stdin = command.positionals === 'required' ? readsStdin(positionals) : command.positionals === 'optional' && positionals.join(' ') === '-';
    const text = stdin ? await readQuestion(input) : positionals.join(' ').trim();
    if (command.positionals === 'required' && text === '') throw new UserError('query_empty', command.empty ?? `${name} needs an argument`);
    if (command.positionals === 'none' && positionals.length > 0) {
      throw new UserError('bad_option', `${name} takes no arguments, got "${positionals.join(' ')}"`);
    }
    const write = (value: unknown, rendered: () => string) => out.write(`${json ? JSON.stringify(value) : rendered()}\n`);

    if (name === 'eval' && typeof values.beir === 'string') {
      const dir = values.beir;
      const report = evaluate(loadBeir(dir), engineNamed(process.env.PAPERBOT_ENGINE || undefined));
      write(report, () => renderBeirEval(report, dir));
      return 0;
    }
    if (name === 'eval' && typeof values.questions !== 'string') {
      throw new UserError('bad_option', 'eval needs --questions FILE (question<TAB>arxiv id[<TAB>label] a line) or --beir DIR');
    }
    const questions = name === 'eval' ? loadQuestions(values.questions as string) : null;

    const search = open(values.corpus as string | undefined, err);
    try {
      for (const warning of search.info.warnings) err.write(`paperbot: warning: ${warning}\n`);
      // What opening did (a corpus read into the library, an index built) is news on a terminal, noise in a pipe.
      if ((err as NodeJS.WriteStream).isTTY === true) for (const action of search.info.actions) err.write(`paperbot: ${action}\n`);
      const ask = name === 'ask' || questions !== null ? await askWith(search, err) : null;
      if (questions !== null) {
        const report = await evaluateQuestions((q) => ask!(q, { limit: 10 }), questions);
        write(report, () => renderQuestionEval(report, values.questions as string, search.size));
        return 0;
      }
      if (name === 'stats') {
        const stats = search.stats();
        const { info } = search;
        write(
          {
            ...stats,
            corpus: info.corpusDir,
            library: info.libraryFile,
            indexPath: info.indexPath,
            indexBytes: info.indexBytes,
            indexBuiltAt: info.builtAt.toISOString(),
            indexReused: info.reused,
            loadMs: Math.round(info.elapsedMs),
          },
          () => renderStats(stats, info),
        );
        return 0;
      }
      if (name === 'export') {
        await exportLibrary(search, values.out as string | undefined, out);
        return 0;
      }
      const limit = parseTop(values.top as string | undefined, name === 'paper' ? 3 : 5);
      const filter = () =>
        parsePaperFilter(
          { since: values.since as string | undefined, category: values.category as string | undefined },
          { categories: () => search.categories(), currentYear: new Date().getUTCFullYear(), optionNames: { since: '--since', category: '--category' } },
        );
      const tty = (out as NodeJS.WriteStream).isTTY === true;
      const style = { color: !json && tty && !process.env.NO_COLOR, width: terminalWidth(out as NodeJS.WriteStream, tty) };
      if (name === 'author') {
        const page = authorPage(search, text, { limit: parseTop(values.top as string | undefined, 10) });
        write({ ...page, papers: page.papers.map(describePaper) }, () => renderAuthorPage(page, style));
        return 0;
      }
      if (name === 'cite') {
        const citation = citePapers(search, { text, ids: values.ids as string | undefined, format: values.format as string | undefined });
        write(citation, () => citation.entries.map((e) => e.text).join('\n\n'));
        return 0;
      }
      if (name === 'trend') {
        const out = values.out === undefined ? null : chartFile(values.out as string);
        const trend = topicTrend(search, topicPapers(search, text, filter()), new Date());
        const chart = out === null ? null : writeTrendChart(trend, out);
        write({ ...trend, ...(chart === null ? {} : { chart }) }, () =>
          [renderTrend(trend, style), ...(chart === null ? [] : ['', `Chart: ${chart.path} (${chart.width}×${chart.height} ${chart.format.toUpperCase()}, ${formatBytes(chart.bytes)})`])].join('\n'),
        );
        return 0;
      }
      if (name === 'list') {
        listCommand(search, positionals, values, write);
        return 0;
      }
      if (name === 'similar') {
        const similar = similarPapers(search, text, { limit, filter: filter() });
        write({ paper: describePaper(similar.paper), ...toResultJson(similar.result) }, () => renderSimilar(similar, style));
        return 0;
      }
      const result = name === 'ask' ? await ask!(text, { limit, filter: filter() }) : search.lookup(text, { limit });
      write(toResultJson(result), () => (name === 'ask' ? renderResult : renderPaperCardText)(result, search.size, style));
      return 0;
    } finally {
      search.library.close();
    }
  } catch (error) {
    if (error instanceof IngestError || error instanceof FetchError) {
      err.write(`paperbot: ingest failed, the library is unchanged: ${error.message}\n`);
      return 1;
    }
    if (error instanceof UserError) {
      err.write(`paperbot: ${error.message}\n`);
      return error.code === 'index_unsaved' ? 1 : 2;
    }
    const environment = asEnvironmentError(error);
    if (environment !== null) {
      err.write(`paperbot: ${environment.message}\n`);
      return ENVIRONMENT_EXIT_CODE;
    }
    const detail = process.env.PAPERBOT_DEBUG ? (error as Error).stack : (error as Error).message;
    err.write(`paperbot: internal error: ${detail}\n(set PAPERBOT_DEBUG=1 for the stack trace)\n`);
    return 1;
  }
}

const LOCAL_LISTS: ListOwner = { kind: 'local', id: 'local' };
const LIST_ACTIONS = ['add', 'remove', 'show', 'export'] as const;

/** `paperbot list …`: the command line's own reading lists, in the data folder's database. */
function listCommand(search: PaperSearch, positionals: readonly string[], values: Record<string, unknown>, write: (value: unknown, rendered: () => string) => void): void {
  const [action, name, ...paper] = positionals;
  const db = openDatabase(defaultDataDir());
  try {
    const lists = new ReadingListService(db, () => search, Date.now);
    if (action === undefined) {
      const summaries = lists.lists(LOCAL_LISTS);
      write({ lists: summaries }, () =>
        summaries.length === 0 ? 'No lists yet: paperbot list add "<name>" <arXiv id> makes one.' : summaries.map((l) => `${l.name}: ${l.papers} paper${l.papers === 1 ? '' : 's'}`).join('\n'),
      );
      return;
    }
    if (!(LIST_ACTIONS as readonly string[]).includes(action)) throw new UserError('bad_option', `list ${action}: the actions are ${LIST_ACTIONS.join(', ')}`);
    if (name === undefined) throw new UserError('bad_list_name', `which list? paperbot list ${action} "<name>"${action === 'add' || action === 'remove' ? ' <arXiv id> | "<title>"' : ''}`);
    const paperText = paper.join(' ').trim();
    if ((action === 'add' || action === 'remove') && paperText === '') throw new UserError('query_empty', `which paper? paperbot list ${action} "${name}" <arXiv id> | "<title>"`);
    if (action !== 'export' && values.out !== undefined) throw new UserError('bad_option', '--out is for list export');
    if (action === 'add' || action === 'remove') {
      const change = action === 'add' ? lists.add(LOCAL_LISTS, name, paperText, 'local') : lists.remove(LOCAL_LISTS, name, paperText, 'local', true);
      const title = `“${withoutControls(normalizeText(change.paper?.title ?? change.paperId))}”`;
      const text = action === 'add' ? (change.changed ? `Added ${title} to “${change.name}”` : `${title} is already on “${change.name}”`) : change.changed ? `Removed ${title} from “${change.name}”` : `${title} is not on “${change.name}”`;
      write({ list: change.name, id: change.paperId, changed: change.changed, papers: change.total }, () => `${text} (${change.total} paper${change.total === 1 ? '' : 's'}).`);
      return;
    }
    if (action === 'show') {
      const list = lists.show(LOCAL_LISTS, name);
      write({ list: list.name, papers: list.papers.map((p) => ({ id: p.paperId, addedAt: new Date(p.addedAt).toISOString(), paper: p.paper === undefined ? null : describePaper(p.paper) })) }, () =>
        [
          `${list.name}: ${list.papers.length} paper${list.papers.length === 1 ? '' : 's'}`,
          ...list.papers.map((p, i) => `${i + 1}. ${p.paper === undefined ? `${p.paperId} (no longer in the library)` : `${withoutControls(normalizeText(p.paper.title))} (${p.paper.year}) ${p.paper.links.abs}`}`),
        ].join('\n'),
      );
      return;
    }
    const format = citationFormat(values.format as string | undefined);
    const exported = lists.export(LOCAL_LISTS, name, format);
    if (exported.missing.length > 0) process.stderr.write(`paperbot: left out, no longer in the library: ${exported.missing.join(', ')}\n`);
    if (typeof values.out === 'string') {
      writeFileAtomic(values.out, `${exported.text}\n`);
      write({ list: exported.name, format, papers: exported.papers, missing: exported.missing, out: values.out }, () => `Wrote ${exported.papers} entr${exported.papers === 1 ? 'y' : 'ies'} of “${exported.name}” to ${values.out}.`);
    } else {
      write({ list: exported.name, format, papers: exported.papers, missing: exported.missing, text: exported.text }, () => exported.text);
    }
  } finally {
    db.close();
  }
}

/** --out of trend: a .png or .svg file. */
function chartFile(path: string): { path: string; format: 'png' | 'svg' } {
  const extension = extname(path).toLowerCase();
  if (extension !== '.png' && extension !== '.svg') throw new UserError('bad_option', `--out ${path}: the chart is written as .png or .svg; name the file so`);
  return { path, format: extension === '.svg' ? 'svg' : 'png' };
}

/** The trend's chart written atomically, as PNG or SVG. */
function writeTrendChart(trend: Trend, { path, format }: { path: string; format: 'png' | 'svg' }): { path: string; format: 'png' | 'svg'; width: number; height: number; bytes: number } {
  const chart = format === 'svg' ? { png: Buffer.from(trendChartSvg(trend), 'utf8'), width: CHART_WIDTH, height: CHART_HEIGHT } : trendChartPng(trend);
  writeFileAtomic(path, chart.png);
  return { path, format, width: chart.width, height: chart.height, bytes: chart.png.length };
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024).toLocaleString('en')} KB`;
}

function parseTop(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 100)) throw new UserError('bad_limit', `--top must be a whole number from 1 to 100, not "${raw}"`);
  return n;
}

function open(corpusOption: string | undefined, err: NodeJS.WritableStream): PaperSearch {
  return openSearch({
    corpusDir: corpusOption ?? defaultCorpusDir(),
    dataDir: defaultDataDir(),
    engine: process.env.PAPERBOT_ENGINE || undefined,
    progress: (label, total) => terminalProgress(err, label, total),
  });
}

/** How a question is searched: BM25, with the pretrained encoder PAPERBOT_EMBEDDING_MODEL names beside it when one is configured. */
async function askWith(search: PaperSearch, err: NodeJS.WritableStream): Promise<(question: string, options: SearchOptions) => Promise<SearchResult>> {
  const options = embeddingOptionsFrom(process.env);
  if (options === null) return async (question, searchOptions) => search.search(question, searchOptions);
  const semantic = await EmbeddingSearch.open(search, defaultDataDir(), options, (total) => terminalProgress(err, 'embedding papers', total));
  if (semantic.embedded > 0 && (err as NodeJS.WriteStream).isTTY === true) err.write(`paperbot: embedded ${semantic.embedded.toLocaleString('en')} papers with ${options.model}\n`);
  return (question, searchOptions) => semantic.search(search, question, searchOptions);
}

/** Every paper as a corpus line, streamed: to `path` atomically (temporary file, rename), or to `out`. */
async function exportLibrary(search: PaperSearch, path: string | undefined, out: NodeJS.WritableStream): Promise<void> {
  const temp = path === undefined ? undefined : join(dirname(path), `.${process.pid}.export.tmp`);
  const stream: NodeJS.WritableStream = temp === undefined ? out : createWriteStream(temp);
  try {
    for (const { paper } of search.library.scan()) {
      if (!stream.write(`${JSON.stringify(paper)}\n`)) await new Promise((resolve) => stream.once('drain', resolve));
    }
    if (temp !== undefined) {
      stream.end();
      await finished(stream);
      renameSync(temp, path!);
    }
  } catch (error) {
    if (temp !== undefined) rmSync(temp, { force: true });
    throw error;
  }
}

/** Columns to wrap to: the terminal's, or COLUMNS when set; piped output is not wrapped. */
function terminalWidth(out: NodeJS.WriteStream, tty: boolean): number | undefined {
  const columns = Number(process.env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  return tty ? out.columns : undefined;
}

/** "-", or no argument while standard input is a pipe, a socket or a file (not a terminal, nor /dev/null under cron). */
function readsStdin(positionals: readonly string[]): boolean {
  if (positionals.length === 1 && positionals[0] === '-') return true;
  if (positionals.length > 0) return false;
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket() || stat.isFile();
  } catch {
    return false;
  }
}

/** The question on standard input, at most MAX_STDIN_BYTES, as UTF-8. */
async function readQuestion(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += bytes.length;
    if (size > MAX_STDIN_BYTES) throw new UserError('query_too_long', `the question on standard input is longer than ${MAX_STDIN_BYTES / 1024} KiB`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8').trim();
}
