import { join } from 'node:path';
import { UserError } from '../errors.js';
import { parseOptions } from './parseOptions.js';
import { defaultCorpusDir, defaultDataDir } from '../paths.js';
import type { IngestSummary } from '../ingest/LibraryIngest.js';
import { PoliteClient } from '../ingest/PoliteClient.js';
import { runIngest, type IngestReport } from '../ingest/runIngest.js';
import { terminalProgress } from '../progress.js';
import { ARXIV_ENDPOINTS, arxivApiSource, fileSource, oaiSource, rssSource, type ArxivEndpoints, type Source } from '../ingest/sources.js';

/** A real calendar date, YYYY-MM-DD. */
const isDate = (s: unknown): s is string =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) && new Date(s).toISOString().startsWith(s);
const ARXIV_MIN_INTERVAL_MS = 3000;
/**
 * The most pages one OAI harvest reads. arXiv serves 1,000 records a page, so
 * this is over three times all of arXiv (~2.8 million records, 2.3 hours at
 * 3 s a page): only a server that never ends its list needs more, and this
 * stops it within about 8 hours, its checkpoint and transaction with it.
 */
const OAI_MAX_PAGES = 10_000;

const COMMON_HELP = `  --corpus DIR         whose library is written to (default: $PAPERBOT_CORPUS, else the repository's corpus/)
  --json               print the summary as one JSON object
  -h, --help           this help`;
const ENV_HELP = 'ARXIV_REQUEST_INTERVAL_MS (3000 unless the server is on this machine), ARXIV_MAX_RESPONSE_MB (64)';

/** What `paperbot ingest [<source>] --help` prints. */
const USAGE = {
  ingest: `Usage: paperbot ingest <arxiv|oai|rss|file> [options]

Adds papers to the library in one transaction: an ingest that fails leaves it as it was.

Sources:
  arxiv                the arXiv query API: a search, or papers by id
  oai                  arXiv's OAI-PMH: every record of a set changed since a day (resumable)
  rss                  the day's announcements of some categories
  file                 a corpus file, the arXiv metadata snapshot or a listing crawl

\`paperbot ingest <source> --help\` (e.g. ingest file --help) gives its options.`,
  arxiv: `Usage: paperbot ingest arxiv --query "<search>" [--max N] [--newest] | --ids ID,ID

Adds the papers of an arXiv search, or these papers, from the arXiv query API.

Options:
  --query "<search>"   arXiv's search syntax, e.g. "cat:cs.CV AND abs:diffusion"
  --ids ID,ID          these papers (2306.00980, hep-th/9901001, 2306.00980v2)
  --max N              at most N papers of the search (1-50000; default 100)
  --newest             the latest submissions first, not the most relevant
${COMMON_HELP}

Environment: ARXIV_API_URL, ${ENV_HELP}.`,
  oai: `Usage: paperbot ingest oai --set SET --from YYYY-MM-DD [--until YYYY-MM-DD] [--max-pages N]

Harvests the records of a set changed from a day on, from arXiv's OAI-PMH (arXivRaw);
a harvest that was interrupted resumes where it stopped.

Options:
  --set SET            cs, math, physics:hep-th, …
  --from YYYY-MM-DD    records changed on this day or later
  --until YYYY-MM-DD   and on this day or earlier
  --max-pages N        stop after N pages of about 1,000 records (1-1000000;
                       default $ARXIV_OAI_MAX_PAGES, else ${OAI_MAX_PAGES.toLocaleString('en')})
${COMMON_HELP}

Environment: ARXIV_OAI_URL, ARXIV_OAI_MAX_PAGES, ${ENV_HELP}.`,
  rss: `Usage: paperbot ingest rss CAT+CAT

Adds the day's new submissions and cross-lists of these categories (e.g. cs.CV+cs.LG),
and the replacements of papers the library holds.

Options:
${COMMON_HELP}

Environment: ARXIV_RSS_URL, ${ENV_HELP}.`,
  file: `Usage: paperbot ingest file PATH [--category C] [--since YYYY-MM-DD] [--fill-authors NAME]

Adds the papers of a file, plain or gzip-compressed: corpus JSON lines or a JSON array
(at most 64 MiB), the arXiv metadata snapshot, or a listing crawl (id, title, abstract,
authors, categories, date). A line that cannot be read is rejected, naming file and line.

Options:
  --category C         only papers in this category or under it (cs takes cs.CV)
  --since YYYY-MM-DD   only papers updated on this day or later (a corpus record: its year's end)
  --fill-authors NAME  the author recorded for papers listed without one (else they are rejected)
${COMMON_HELP}`,
};

/**
 * `paperbot ingest <arxiv|oai|rss|file> …`: runs the ingest and returns its
 * report and whether `--json` was asked, or with --help the usage to print;
 * throws a UserError on bad arguments.
 */
export async function ingestCommand(
  args: string[],
  env: NodeJS.ProcessEnv,
  progress?: NodeJS.WriteStream,
): Promise<{ report: IngestReport; json: boolean } | { usage: string }> {
  const [kind, ...rest] = args;
  if (kind === '--help' || kind === '-h') return { usage: USAGE.ingest };
  const { values, positionals } = parse(kind ?? '', rest);
  // Help before anything is checked: it is what someone unsure of the arguments asks for.
  if (values.help === true && kind !== undefined && kind in OPTIONS) return { usage: USAGE[kind as keyof typeof OPTIONS] };
  const endpoints = endpointsFrom(env);
  const client = new PoliteClient({ minIntervalMs: requestInterval(env, endpoints), maxResponseBytes: maxResponseBytes(env) });
  const location = {
    corpusDir: typeof values.corpus === 'string' ? values.corpus : defaultCorpusDir(env),
    dataDir: defaultDataDir(env),
    engine: env.PAPERBOT_ENGINE || undefined,
  };
  let name: string;
  let source: Source & { clearCheckpoint?: () => void };
  switch (kind) {
    case 'arxiv': {
      const max = Number(values.max ?? 100);
      if (!Number.isInteger(max) || max < 1 || max > 50_000) throw new UserError('bad_option', `--max must be a whole number from 1 to 50000, not "${values.max}"`);
      const ids = typeof values.ids === 'string' ? values.ids.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
      const query = typeof values.query === 'string' ? values.query.trim() : undefined;
      if (!query === !ids?.length) throw new UserError('bad_option', 'ingest arxiv needs --query "<search>" or --ids id1,id2 (one of them)');
      name = ids ? `arxiv --ids ${ids.join(',')}` : `arxiv --query "${query}"`;
      source = arxivApiSource(client, endpoints.apiUrl, { query, ids, max: ids ? ids.length : max, newest: values.newest === true });
      break;
    }
    case 'oai': {
      const set = values.set;
      const from = values.from;
      const until = values.until;
      if (typeof set !== 'string' || set === '') throw new UserError('bad_option', 'ingest oai needs --set (e.g. cs, or physics:nucl-ex)');
      if (!isDate(from)) throw new UserError('bad_option', 'ingest oai needs --from YYYY-MM-DD');
      if (until !== undefined && !isDate(until)) throw new UserError('bad_option', '--until must be YYYY-MM-DD');
      const maxPages = wholeNumber('--max-pages', values['max-pages']) ?? wholeNumber('ARXIV_OAI_MAX_PAGES', env.ARXIV_OAI_MAX_PAGES) ?? OAI_MAX_PAGES;
      name = `oai --set ${set} --from ${from}${until ? ` --until ${until}` : ''}`;
      source = oaiSource(client, endpoints.oaiUrl, { set, from, until, maxPages }, join(location.dataDir, 'ingest'));
      break;
    }
    case 'rss': {
      const categories = positionals[0];
      if (categories === undefined || !/^[a-zA-Z-]+(\.[a-zA-Z-]+)?(\+[a-zA-Z-]+(\.[a-zA-Z-]+)?)*$/.test(categories)) {
        throw new UserError('bad_option', 'ingest rss needs categories joined by +, e.g. cs.CV+cs.LG');
      }
      name = `rss ${categories}`;
      source = rssSource(client, endpoints.rssUrl, categories);
      break;
    }
    case 'file': {
      const path = positionals[0];
      if (path === undefined) throw new UserError('bad_option', 'ingest file needs a path: paperbot ingest file papers.jsonl');
      const since = values.since;
      if (since !== undefined && !isDate(since)) throw new UserError('bad_option', '--since must be YYYY-MM-DD');
      name = `file ${path}`;
      const category = typeof values.category === 'string' ? values.category : undefined;
      const fillAuthors = typeof values['fill-authors'] === 'string' ? values['fill-authors'].trim() : undefined;
      if (fillAuthors === '') throw new UserError('bad_option', '--fill-authors needs a name, e.g. --fill-authors "Unknown authors"');
      source = fileSource(path, { category, since, fillAuthors });
      break;
    }
    default:
      throw new UserError('bad_option', `ingest needs a source: arxiv, oai, rss or file (got "${kind ?? ''}")`);
  }
  const reading = progress?.isTTY
    ? (s: IngestSummary) => progress.write(`\r\x1b[K  read ${s.read.toLocaleString('en')}, added ${s.added.toLocaleString('en')}…`)
    : undefined;
  const report = await runIngest(name, source, location, {
    reading,
    indexing: (label, total) => {
      if (reading) progress!.write('\r\x1b[K');
      return terminalProgress(progress, label, total);
    },
  });
  if (reading) progress!.write('\r\x1b[K');
  return { report, json: values.json === true };
}

const OPTIONS = {
  arxiv: { query: { type: 'string' }, ids: { type: 'string' }, max: { type: 'string' }, newest: { type: 'boolean' } },
  oai: { set: { type: 'string' }, from: { type: 'string' }, until: { type: 'string' }, 'max-pages': { type: 'string' } },
  rss: {},
  file: { category: { type: 'string' }, since: { type: 'string' }, 'fill-authors': { type: 'string' } },
} as const;

function parse(kind: string, args: string[]) {
  const own = OPTIONS[kind as keyof typeof OPTIONS] ?? {};
  return parseOptions(`ingest ${kind}`, args, { ...own, corpus: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
}

/** A limit from an option or variable `name`: a whole number from 1 to 1,000,000, or undefined when not given. */
function wholeNumber(name: string, raw: string | boolean | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 1_000_000)) {
    throw new UserError(name.startsWith('--') ? 'bad_option' : 'bad_env', `${name} must be a whole number from 1 to 1000000, not "${raw}"`);
  }
  return n;
}

/** ARXIV_MAX_RESPONSE_MB: the largest response an ingest reads (default 64 MiB). */
function maxResponseBytes(env: NodeJS.ProcessEnv): number {
  const raw = env.ARXIV_MAX_RESPONSE_MB;
  if (raw === undefined || raw === '') return 64 * 2 ** 20;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb < 1 || mb > 4096) throw new UserError('bad_env', `ARXIV_MAX_RESPONSE_MB must be a number of megabytes from 1 to 4096, not "${raw}"`);
  return Math.round(mb * 2 ** 20);
}

function endpointsFrom(env: NodeJS.ProcessEnv): ArxivEndpoints {
  const pick = (name: string, fallback: string) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    if (!/^https?:\/\/[^\s]+$/.test(value)) throw new UserError('bad_option', `${name} must be an http(s) URL, not "${value}"`);
    return value;
  };
  return {
    apiUrl: pick('ARXIV_API_URL', ARXIV_ENDPOINTS.apiUrl),
    oaiUrl: pick('ARXIV_OAI_URL', ARXIV_ENDPOINTS.oaiUrl),
    rssUrl: pick('ARXIV_RSS_URL', ARXIV_ENDPOINTS.rssUrl),
  };
}

/**
 * The pause between requests: arXiv's 3 s, or less (ARXIV_REQUEST_INTERVAL_MS)
 * only when every endpoint is on this machine, as in the tests: arXiv's terms
 * are not negotiable.
 */
function requestInterval(env: NodeJS.ProcessEnv, endpoints: ArxivEndpoints): number {
  const raw = env.ARXIV_REQUEST_INTERVAL_MS;
  if (raw === undefined || raw === '') return ARXIV_MIN_INTERVAL_MS;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0) throw new UserError('bad_env', `ARXIV_REQUEST_INTERVAL_MS must be a number of milliseconds, not "${raw}"`);
  const local = Object.values(endpoints).every((u) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(u).hostname));
  if (ms < ARXIV_MIN_INTERVAL_MS && !local) {
    throw new UserError('bad_env', 'ARXIV_REQUEST_INTERVAL_MS below 3000 is only for local test servers: arXiv asks for 3 s between requests');
  }
  return ms;
}
