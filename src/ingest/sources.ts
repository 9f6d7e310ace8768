import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, truncateSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { join } from 'node:path';
import { parseRecord, validateRecord } from '../corpus/loadCorpus.js';
import { MAX_LINE_LENGTH, readLines } from '../corpus/readLines.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../writeFileAtomic.js';
import type { LibraryIngest } from './LibraryIngest.js';
import { isListingLine, parseAtomFeed, parseListingLine, parseOaiResponse, parseRssFeed, parseSnapshotLine } from './parsers.js';
import type { PoliteClient } from './PoliteClient.js';
import { MalformedResponseError, type ParsedRecord } from './SourceRecord.js';

/** Where arXiv is; the tests point these at a server on 127.0.0.1. */
export interface ArxivEndpoints {
  /** The query API's full endpoint (ARXIV_API_URL). */
  apiUrl: string;
  /** The OAI-PMH base URL (ARXIV_OAI_URL). */
  oaiUrl: string;
  /** The RSS base; a feed is `<rssUrl>/cs.CV+cs.LG` (ARXIV_RSS_URL). */
  rssUrl: string;
}

export const ARXIV_ENDPOINTS: ArxivEndpoints = {
  apiUrl: 'https://export.arxiv.org/api/query',
  oaiUrl: 'https://oaipmh.arxiv.org/oai',
  rssUrl: 'https://rss.arxiv.org/rss',
};

/** A source failed in a way that stops the ingest (an error document, a malformed response). */
export class IngestError extends Error {
  override name = 'IngestError';
}

/** Records asked for in one query API request (arxiv.py's default too). */
const PAGE_SIZE = 100;

/** Feeds `ingest` with what one source holds. */
export type Source = (ingest: LibraryIngest) => Promise<void>;

function parseOrFail<T>(what: string, status: number, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof MalformedResponseError) throw new IngestError(`${what} sent a malformed response (HTTP ${status}): ${err.message}`);
    throw err;
  }
}

/**
 * The arXiv query API: `query` (search_query) or `ids` (id_list), paged with
 * start/max_results, at most `max` records; `newest`: the latest submissions
 * first rather than the most relevant (for daily runs). The API may send
 * fewer entries than asked for (or none), so the next page starts after the
 * records received, as arxiv.py does; an empty page is asked for once more,
 * and a second one ends the ingest with what it has, and a note saying so.
 */
export function arxivApiSource(client: PoliteClient, apiUrl: string, request: { query?: string; ids?: string[]; max: number; newest?: boolean }): Source {
  return async (ingest) => {
    let total: number | null = null;
    for (let start = 0, emptyPages = 0; start < request.max && (total === null || start < total); ) {
      const url = new URL(apiUrl);
      if (request.query) url.searchParams.set('search_query', request.query);
      if (request.ids) url.searchParams.set('id_list', request.ids.join(','));
      url.searchParams.set('start', String(start));
      url.searchParams.set('max_results', String(Math.min(PAGE_SIZE, request.max - start)));
      if (request.newest) {
        url.searchParams.set('sortBy', 'submittedDate');
        url.searchParams.set('sortOrder', 'descending');
      }
      const { status, body } = await client.get(url.href);
      const feed = parseOrFail('the arXiv API', status, () => parseAtomFeed(body));
      // A 400 carries a feed whose one entry, titled "Error", is the message: never a paper.
      if (feed.error !== null) throw new IngestError(`the arXiv API refused the request (HTTP ${status}): ${feed.error}`);
      if (status !== 200) throw new IngestError(`the arXiv API answered HTTP ${status}`);
      total = feed.totalResults;
      const records = feed.records.slice(0, request.max - start);
      for (const record of records) ingest.offer(record);
      start += records.length;
      if (records.length > 0) emptyPages = 0;
      else if (++emptyPages === 2 || total === null) {
        if (total !== null) ingest.note(`stopped at ${start} of ${total} results: the arXiv API sent an empty page twice at start=${start}`);
        return;
      }
    }
  };
}

/**
 * OAI-PMH ListRecords in arXivRaw, following resumptionToken to the end, at
 * most `maxPages` pages. Each page's records new to the harvest and the next
 * token are saved to a checkpoint under `stateDir` as they arrive, so a rerun
 * after an interruption resumes where it stopped (or starts over if the
 * token has expired); the checkpoint goes once the ingest commits. A server
 * that sends a token again, or a page of records it already sent, would be
 * followed forever: the harvest stops there, keeping its checkpoint.
 */
export function oaiSource(
  client: PoliteClient,
  oaiUrl: string,
  request: { set: string; from: string; until?: string; maxPages: number },
  stateDir: string,
): Source & { clearCheckpoint(): void } {
  const key = createHash('sha256').update(`${oaiUrl}\n${request.set}\n${request.from}\n${request.until ?? ''}`).digest('hex').slice(0, 16);
  // The token, pages and record bytes so far (replaced atomically), and the records so far (appended, one a line, each once).
  const tokenFile = join(stateDir, `oai-${key}.json`);
  const recordsFile = join(stateDir, `oai-${key}.records.jsonl`);
  const clearCheckpoint = () => {
    rmSync(tokenFile, { force: true });
    rmSync(recordsFile, { force: true });
  };
  const stuck = (what: string) =>
    new IngestError(`${what}, so following it would never end. The records of the pages before are saved in ${recordsFile}: a rerun resumes from there; delete ${join(stateDir, `oai-${key}`)}.* to start over`);
  const source = async (ingest: LibraryIngest) => {
    const saved = existsSync(tokenFile) ? (JSON.parse(readFileSync(tokenFile, 'utf8')) as { token: string; pages?: number; bytes?: number }) : null;
    let token = saved?.token ?? null;
    let pages = saved?.pages ?? 0;
    // What this harvest has read, to tell a server going round in circles from one going on.
    let seen = new Set<string>();
    const tokens = new Set<string>(token === null ? [] : [token]);
    if (saved === null) rmSync(recordsFile, { force: true });
    else if (existsSync(recordsFile)) {
      // Records appended after the saved token (a kill between the two writes) are asked for again with it.
      if (saved.bytes !== undefined && statSync(recordsFile).size > saved.bytes) truncateSync(recordsFile, saved.bytes);
      for (const { line } of readLines(recordsFile)) {
        if (line.trim() === '') continue;
        // A checkpoint of an earlier PaperBot holds a page a line.
        for (const record of [JSON.parse(line) as ParsedRecord | ParsedRecord[]].flat()) {
          seen.add(recordKey(record));
          ingest.offer(record);
        }
      }
    }
    for (let fresh = saved === null; ; ) {
      // Pages read by earlier runs of this harvest count: resuming does not reset the cap.
      if (token !== null && pages >= request.maxPages) {
        throw new UserError(
          'harvest_too_long',
          `ingest oai stopped after ${pages.toLocaleString('en')} pages, the most one harvest reads (--max-pages or ARXIV_OAI_MAX_PAGES); the library is unchanged. ` +
            `The ${seen.size.toLocaleString('en')} records read are saved: rerun with a larger --max-pages to go on, or harvest fewer days with --until`,
        );
      }
      const url = new URL(oaiUrl);
      url.searchParams.set('verb', 'ListRecords');
      if (token) {
        url.searchParams.set('resumptionToken', token);
      } else {
        url.searchParams.set('metadataPrefix', 'arXivRaw');
        url.searchParams.set('set', request.set);
        url.searchParams.set('from', request.from);
        if (request.until) url.searchParams.set('until', request.until);
      }
      const { status, body } = await client.get(url.href);
      const page = parseOrFail('the OAI-PMH server', status, () => parseOaiResponse(body));
      if (page.error?.code === 'noRecordsMatch') return;
      if (page.error?.code === 'badResumptionToken' && !fresh) {
        // The saved token expired: start over; the records already offered merge by id.
        clearCheckpoint();
        [token, pages, seen, fresh] = [null, 0, new Set(), true];
        tokens.clear();
        continue;
      }
      if (page.error !== null) throw new IngestError(`the OAI-PMH server answered ${page.error.code}: ${page.error.message}`);
      pages++;
      const news = page.records.filter((record) => !seen.has(recordKey(record)));
      for (const record of news) {
        seen.add(recordKey(record));
        ingest.offer(record);
      }
      token = page.resumptionToken;
      if (!token) return;
      if (tokens.has(token)) throw stuck(`the OAI-PMH server sent the resumptionToken ${JSON.stringify(token.slice(0, 80))} a second time (page ${pages})`);
      if (news.length === 0) throw stuck(`page ${pages} of the OAI-PMH harvest brought only records it had already sent`);
      tokens.add(token);
      mkdirSync(stateDir, { recursive: true });
      appendFileSync(recordsFile, news.map((record) => `${JSON.stringify(record)}\n`).join(''));
      writeFileAtomic(tokenFile, JSON.stringify({ token, pages, bytes: statSync(recordsFile).size }));
    }
  };
  return Object.assign(source, { clearCheckpoint });
}

/** What tells one record of a harvest from another: its id and version, or for one rejected, the reason (which names it). */
function recordKey(record: ParsedRecord): string {
  return 'rejected' in record ? record.rejected : `${record.record.id} v${record.record.version ?? ''}`;
}

/** The daily new-submissions RSS of `categories` ("cs.CV+cs.LG"): new and cross-lists added, replacements update. */
export function rssSource(client: PoliteClient, rssUrl: string, categories: string): Source {
  return async (ingest) => {
    const { status, body } = await client.get(`${rssUrl.replace(/\/+$/, '')}/${categories}`);
    if (status !== 200) throw new IngestError(`the arXiv RSS feed ${categories} answered HTTP ${status}`);
    const feed = parseOrFail('the arXiv RSS feed', status, () => parseRssFeed(body));
    for (const record of feed.records) ingest.offer(record);
  };
}

/** Options of fileSource. */
export interface FileFilter {
  /** Only papers with a category equal to this or under it (`cs` takes cs.CV). */
  category?: string;
  /** Only papers updated on or after this date (YYYY-MM-DD; a corpus record counts as of its year's end). */
  since?: string;
  /**
   * The author to record for papers whose source lists none (the arXiv CS
   * benchmark corpus lacks most); without it such papers are rejected.
   */
  fillAuthors?: string;
}

/** Is the file gzip-compressed (its first two bytes)? */
function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * A file, plain or gzip-compressed: a JSON array or JSON lines of corpus
 * records, the arXiv metadata snapshot (one object a line; the full one
 * holds ~2.7 million, so it is streamed), or a listing crawl (id, title,
 * abstract, authors, categories, date: the arXiv CS benchmark corpus),
 * filtered by `category` and `since`.
 */
export function fileSource(path: string, filter: FileFilter = {}): Source {
  return async (ingest) => {
    if (!existsSync(path)) throw new UserError('bad_option', `no file ${path}`);
    // A FIFO or a device named *.jsonl would block the read forever.
    if (!statSync(path).isFile()) {
      throw new UserError('corpus_invalid', `${path} is not a regular file: ingest file reads a file of papers (JSON lines or a JSON array, plain or gzip-compressed)`);
    }
    const keep = (categories: readonly string[] = [], updated?: string | null) =>
      (!filter.category || categories.some((c) => c === filter.category || c.startsWith(`${filter.category}.`))) &&
      (!filter.since || (updated ?? '') >= filter.since);
    const fill = (parsed: ParsedRecord): ParsedRecord =>
      'record' in parsed && filter.fillAuthors !== undefined && (parsed.record.authors ?? []).length === 0
        ? { record: { ...parsed.record, authors: [filter.fillAuthors] } }
        : parsed;
    for await (const line of fileLines(path)) {
      if ('array' in line) {
        offerJsonArray(path, line.array, ingest, keep);
        continue;
      }
      if ('problem' in line) {
        ingest.reject(`${path}:${line.number}: ${line.problem}`);
        continue;
      }
      const text = line.text.trim();
      if (text === '') continue;
      if (/"(?:versions|authors_parsed|update_date)"\s*:/.test(text) || isListingLine(text)) {
        const parsed = fill(isListingLine(text) ? parseListingLine(text, line.number) : parseSnapshotLine(text, line.number));
        if ('record' in parsed && !keep(parsed.record.categories, parsed.record.updated)) continue;
        ingest.offer('rejected' in parsed ? { rejected: `${path}: ${parsed.rejected}` } : parsed);
        continue;
      }
      const parsed = parseRecord(text);
      if (!parsed.ok) ingest.reject(`${path}:${line.number}: ${parsed.problem}`);
      else if (keep(parsed.paper.categories, `${parsed.paper.year}-12-31`)) ingest.offerPaper(parsed.paper);
    }
  };
}

/** The largest JSON array read (it is parsed whole; JSON lines are streamed). */
const MAX_JSON_ARRAY_BYTES = 64 * 2 ** 20;

/** A line of a file (its text, or why it cannot be read), or the whole text of a file that is a JSON array. */
type FileLine = { number: number; text: string } | { number: number; problem: string } | { array: string };

/**
 * The lines of a file, each decoded on its own (no UTF-8 character holds a
 * newline byte). A line that is not UTF-8, or is longer than
 * MAX_LINE_LENGTH bytes, comes as a problem, its bytes skipped rather than
 * held: one bad line costs one record, a 600 MB one no memory. A file whose
 * first character is "[" is a JSON array, parsed whole: it comes as one
 * text, at most MAX_JSON_ARRAY_BYTES, and a line of it that is not UTF-8
 * fails the read.
 */
async function* fileLines(path: string): AsyncGenerator<FileLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // Decided by the first byte that is not white space (or a byte-order mark).
  let array: string[] | undefined;
  let decided = false;
  let parts: Buffer[] = [];
  let size = 0;
  let total = 0;
  let number = 0;
  const take = (bytes: Buffer) => {
    if (!decided) {
      const bom = total === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
      const lead = bytes.subarray(bom).find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0d);
      decided = lead !== undefined;
      if (lead === 0x5b) array = [];
    }
    size += bytes.length;
    total += bytes.length;
    if (array !== undefined && total > MAX_JSON_ARRAY_BYTES) {
      throw new UserError(
        'corpus_invalid',
        `${path} is a JSON array larger than ${MAX_JSON_ARRAY_BYTES / 2 ** 20} MiB, the most read whole: write it as JSON lines, one paper a line (jq -c '.[]' ${path} > papers.jsonl), which are streamed`,
      );
    }
    if (array !== undefined || size <= MAX_LINE_LENGTH) parts.push(bytes);
    else parts = [];
  };
  const end = (): FileLine | undefined => {
    number++;
    const bytes = Buffer.concat(parts);
    const tooLong = array === undefined && size > MAX_LINE_LENGTH;
    parts = [];
    size = 0;
    if (tooLong) return { number, problem: `a line longer than ${MAX_LINE_LENGTH / 2 ** 20} MiB` };
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      if (array !== undefined) throw new UserError('corpus_invalid', `${path}:${number}: not valid UTF-8`);
      return { number, problem: 'not valid UTF-8' };
    }
    if (array !== undefined) {
      array.push(text);
      return undefined;
    }
    return { number, text };
  };
  for await (const chunk of fileBytes(path)) {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      take(chunk.subarray(from, nl));
      const line = end();
      if (line !== undefined) yield line;
      from = nl + 1;
    }
    take(chunk.subarray(from));
  }
  const last = size > 0 ? end() : undefined;
  if (last !== undefined) yield last;
  if (array !== undefined) yield { array: array.join('\n') };
}

/** The bytes of a file, gunzipped if it is gzip; a read that fails (a corrupt gzip stream) names the file. */
async function* fileBytes(path: string): AsyncGenerator<Buffer> {
  const file = createReadStream(path);
  const input = isGzip(path) ? file.pipe(createGunzip()) : file;
  try {
    for await (const chunk of input) yield chunk as Buffer;
  } catch (err) {
    throw new UserError('bad_option', `${path} cannot be read: ${(err as Error).message}`);
  } finally {
    file.destroy();
  }
}

function offerJsonArray(path: string, text: string, ingest: LibraryIngest, keep: (c?: readonly string[], u?: string | null) => boolean): void {
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (err) {
    throw new UserError('bad_option', `${path} is not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(items)) throw new UserError('bad_option', `${path}: expected an array of papers or one paper a line`);
  items.forEach((item, i) => {
    const parsed = validateRecord(item);
    if (!parsed.ok) ingest.reject(`${path}: item ${i + 1}: ${parsed.problem}`);
    else if (keep(parsed.paper.categories, `${parsed.paper.year}-12-31`)) ingest.offerPaper(parsed.paper);
  });
}
