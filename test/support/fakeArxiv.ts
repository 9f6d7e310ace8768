/**
 * A fake arXiv on an ephemeral 127.0.0.1 port: the query API (`/api/query`), OAI-PMH (`/oai2`,
 * arXivRaw) and the RSS feeds (`/rss/<cats>`), serving XML generated from `FakePaper`s in the
 * layouts of the real responses kept under /work/shared/formats/ (the 2026 API layout, the arXiv
 * OAI-PMH ListRecords layout, the rss.arxiv.org layout): same namespaces, element names, element
 * order and attribute spellings. All text is XML-escaped (& < >, and " in attributes and in OAI-PMH
 * text; the API and RSS leave " bare in element text, as the real ones do), and characters XML 1.0
 * forbids (C0 controls other than tab/newline/CR) are dropped. `atomFeed` and `atomErrorFeed`
 * reproduce 2026_newstyle_id_2104.12255v1.atom.xml and 2026_error_400_id_abc.atom.xml byte for byte
 * but for the `<updated>` timestamps (the feed id is arXiv's: base64 SHA-1 of the echoed query).
 *
 * Knobs: `respondNext` (serve a canned answer, e.g. a 503 with Retry-After), `dropNext` (send
 * the headers and half the body, then destroy the socket), `pageSize` (OAI records a page),
 * `shortPages` (the next API pages hold fewer entries than asked, or none, as arXiv's sometimes
 * do), `oaiStuck` (a continued OAI list serves the same page again, with the same token or a new
 * one, as a broken OAI-PMH server does).
 * Every request is recorded in `requests`, in arrival order, with its time.
 *
 * Approximations (documented, deliberate):
 * - search_query: a small evaluator of arXiv's syntax. Terms may carry a field prefix
 *   (ti, au, abs, jr, cat, id, all, co, rn; `au:del_maestro` means "del maestro"); terms are joined
 *   by AND / OR / ANDNOT (upper case, as arXiv) or by juxtaposition (= AND), with parentheses and
 *   "quoted phrases". A term matches when its text is a case-insensitive substring of the field
 *   (whitespace collapsed): no stemming, no relevance ranking. A bare word or `all:` searches
 *   title, abstract, authors, categories and id. `cat:cs` matches cs and cs.* (`cat:cs.*` too).
 *   `co:` and `rn:` match nothing (FakePaper has no comments or report numbers).
 *   `submittedDate:[A TO B]` / `lastUpdatedDate:[A TO B]` (YYYYMMDD[HHMM]) filter `published` /
 *   `updated ?? published`. Results keep the order of `papers` unless sortBy is submittedDate or
 *   lastUpdatedDate (sortOrder ascending|descending, default descending).
 * - `search_query=error` (exactly) answers HTTP 400 with atomErrorFeed('incorrect id format for abc'),
 *   so tests can provoke the error feed; an id_list entry that is not an arXiv id answers HTTP 400
 *   with atomErrorFeed(`incorrect id format for <entry>`) as the real API does. A non-integer
 *   start/max_results answers 400 too. Neither search_query nor id_list: an empty feed.
 *   With both, the id_list papers that match the query. id_list keeps its order; unknown ids are
 *   left out (as arXiv does). `2401.00001v1` of a paper now at v2 is served as v1 (id, links,
 *   updated = that version's date); a version above the paper's is left out.
 * - Dates: `published` is v1; the last version (and the API `updated`, the OAI datestamp, the RSS
 *   pubDate) is `updated ?? published`; the dates of versions in between are interpolated.
 * - OAI: errors come with HTTP 200, as OAI-PMH wants. ListRecords filters by set (a paper's
 *   setSpecs derive from its categories: cs.CV → `cs`, hep-th → `physics:hep-th`, astro-ph.GA →
 *   `physics:astro-ph`; set `physics` matches every `physics:*`) and by the datestamp within
 *   from/until (YYYY-MM-DD). The last page carries an empty `<resumptionToken …/>` element (also
 *   when there is just one page). Tokens stay valid for the life of the instance (another
 *   instance rejects them with badResumptionToken); a continued list is recomputed from the
 *   current `papers`. GetRecord is served too (idDoesNotExist for an unknown id); other verbs
 *   (Identify, ListSets, …) answer badVerb.
 * - RSS: `/rss/<c1>+<c2>` lists papers with a category equal to one of the cats or under it
 *   (`rss/cs` lists cs.*). announceType defaults to new / cross (primary category not in the
 *   feed's cats), replace / replace-cross when version > 1.
 */
import { createHash, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePaper {
  /** Canonical id without version: "2401.00001" or "hep-th/9901001". */
  id: string;
  /** Current (latest) version, >= 1. */
  version: number;
  title: string;
  abstract: string;
  authors: string[];
  /** Primary first. */
  categories: string[];
  /** ISO date (or date-time) of v1. */
  published: string;
  /** ISO date (or date-time) of the latest version / metadata change; default `published`. */
  updated?: string;
  journalRef?: string | null;
  /** RSS only; default derived (see the file comment). */
  announceType?: 'new' | 'cross' | 'replace' | 'replace-cross';
}

export interface RecordedRequest {
  method: string;
  /** Decoded pathname, e.g. `/api/query`, `/rss/cs.CV+cs.LG`. */
  path: string;
  query: URLSearchParams;
  /** `Date.now()` on arrival. */
  at: number;
}

export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

type Override = { remaining: number; pathPattern?: RegExp; action: { kind: 'respond'; response: CannedResponse } | { kind: 'drop' } };

interface OaiListState {
  set: string | null;
  from: string | null;
  until: string | null;
  /** Index of the first record of the page this token asks for. */
  cursor: number;
}

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const OPENSEARCH_NS = 'http://a9.com/-/spec/opensearch/1.1/';
const ARXIV_NS = 'http://arxiv.org/schemas/atom';
const OAI_BASE = 'http://export.arxiv.org/oai2';
const PHYSICS_ARCHIVES = new Set([
  'astro-ph', 'cond-mat', 'gr-qc', 'hep-ex', 'hep-lat', 'hep-ph', 'hep-th', 'math-ph', 'nlin', 'nucl-ex', 'nucl-th', 'physics', 'quant-ph',
]);
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** New style `YYMM.NNNN(N)` or old style `archive(.XX)/NNNNNNN`, optionally with `vN`. */
const ARXIV_ID = /^(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;

// ---------------------------------------------------------------------------------------------
// XML and date helpers

/**
 * Escapes `&`, `<`, `>` and (unless `quotes` is false) `"`, and drops characters XML 1.0 forbids.
 * The 2026 API and the RSS leave `"` bare in element text (lxml does); OAI-PMH writes `&quot;`.
 */
export function xmlEscape(text: string, quotes = true): string {
  const escaped = text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  return quotes ? escaped.replace(/"/g, '&quot;') : escaped;
}

/** Element text in the API / RSS layouts (quotes left bare, as lxml writes them). */
const esc = (text: string) => xmlEscape(text, false);

function parseDate(value: string, what: string): Date {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) throw new Error(`FakeArxiv: ${what} is not a date: ${JSON.stringify(value)}`);
  return d;
}

/** `2024-01-02T03:04:05Z`, as the API writes dates. */
function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const hms = (d: Date) => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;

/** `Tue, 3 Apr 2007 22:04:11 GMT`, as arXivRaw version dates (day not zero-padded). */
function rfc1123(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hms(d)} GMT`;
}

/** `Thu, 18 Sep 2025 04:00:01 +0000`, as RSS dates. */
function rfc822(d: Date, zone = '+0000'): string {
  return `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hms(d)} ${zone}`;
}

function publishedOf(p: FakePaper): Date {
  return parseDate(p.published, `paper ${p.id} published`);
}

/** The date of the latest version / metadata change: `updated ?? published`. */
function lastChangeOf(p: FakePaper): Date {
  return p.updated ? parseDate(p.updated, `paper ${p.id} updated`) : publishedOf(p);
}

/** Date of version k (1-based): v1 = published, v(version) = updated ?? published, interpolated between. */
function versionDate(p: FakePaper, k: number): Date {
  const first = publishedOf(p).getTime();
  const last = lastChangeOf(p).getTime();
  if (p.version <= 1 || k <= 1) return new Date(first);
  if (k >= p.version) return new Date(last);
  return new Date(Math.round(first + ((last - first) * (k - 1)) / (p.version - 1)));
}

/** `oai:arXiv.org` setSpecs of a paper: cs.CV → cs, hep-th → physics:hep-th, astro-ph.GA → physics:astro-ph. */
export function setSpecsOf(categories: readonly string[]): string[] {
  const specs = new Set<string>();
  for (const c of categories) {
    const archive = c.split('.')[0] ?? c;
    specs.add(PHYSICS_ARCHIVES.has(archive) ? `physics:${archive}` : archive);
  }
  return [...specs].sort();
}

function joinAuthors(authors: readonly string[]): string {
  if (authors.length <= 1) return authors.join('');
  return `${authors.slice(0, -1).join(', ')} and ${authors[authors.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------
// The query API (2026 Atom layout)

function atomHeader(id: string, title: string, updated: string, link: string | null, itemsPerPage: number, totalResults: number, startIndex: number): string {
  return (
    `<?xml version='1.0' encoding='UTF-8'?>\n` +
    `<feed xmlns:opensearch="${OPENSEARCH_NS}" xmlns:arxiv="${ARXIV_NS}" xmlns="${ATOM_NS}">\n` +
    `  <id>${esc(id)}</id>\n` +
    `  <title>${esc(title)}</title>\n` +
    `  <updated>${updated}</updated>\n` +
    (link === null ? '' : `  <link href="${xmlEscape(link)}" type="application/atom+xml"/>\n`) +
    `  <opensearch:itemsPerPage>${itemsPerPage}</opensearch:itemsPerPage>\n` +
    `  <opensearch:totalResults>${totalResults}</opensearch:totalResults>\n` +
    `  <opensearch:startIndex>${startIndex}</opensearch:startIndex>\n`
  );
}

function atomEntry(p: FakePaper): string {
  const vid = `${p.id}v${p.version}`;
  const primary = p.categories[0];
  let xml =
    `  <entry>\n` +
    `    <id>http://arxiv.org/abs/${esc(vid)}</id>\n` +
    `    <title>${esc(p.title)}</title>\n` +
    `    <updated>${isoSeconds(versionDate(p, p.version))}</updated>\n` +
    `    <link href="https://arxiv.org/abs/${xmlEscape(vid)}" rel="alternate" type="text/html"/>\n` +
    `    <link href="https://arxiv.org/pdf/${xmlEscape(vid)}" rel="related" type="application/pdf" title="pdf"/>\n` +
    `    <summary>${esc(p.abstract)}</summary>\n`;
  for (const c of p.categories) xml += `    <category term="${xmlEscape(c)}" scheme="${ARXIV_NS}"/>\n`;
  xml += `    <published>${isoSeconds(publishedOf(p))}</published>\n`;
  if (primary !== undefined) xml += `    <arxiv:primary_category term="${xmlEscape(primary)}"/>\n`;
  if (p.journalRef) xml += `    <arxiv:journal_ref>${esc(p.journalRef)}</arxiv:journal_ref>\n`;
  for (const a of p.authors) xml += `    <author>\n      <name>${esc(a)}</name>\n    </author>\n`;
  return `${xml}  </entry>\n`;
}

/**
 * A query API answer in the 2026 layout. `query` is the request as arXiv echoes it in the feed title,
 * e.g. `search_query=all:testing&id_list=&start=0&max_results=10`; the feed `<link>` lists the same
 * parameters in arXiv's order (search_query, start, max_results, id_list).
 */
export function atomFeed(papers: FakePaper[], opts: { totalResults: number; startIndex: number; itemsPerPage: number; query: string }): string {
  const params = new Map<string, string>();
  for (const part of opts.query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    params.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? '' : part.slice(eq + 1));
  }
  const order = ['search_query', 'start', 'max_results', 'id_list'];
  const linkParams = [...order.filter((k) => params.has(k)), ...[...params.keys()].filter((k) => !order.includes(k))];
  const link = `https://arxiv.org/api/query?${linkParams.map((k) => `${k}=${params.get(k)}`).join('&')}`;
  const feedId = `https://arxiv.org/api/${createHash('sha1').update(opts.query).digest('base64').replace(/=+$/, '')}`;
  let xml = atomHeader(feedId, `arXiv Query: ${opts.query}`, isoSeconds(new Date()), link, opts.itemsPerPage, opts.totalResults, opts.startIndex);
  for (const p of papers) xml += atomEntry(p);
  return `${xml}</feed>\n`;
}

/** The body of the API's HTTP 400: a feed with one entry titled "Error" (2026_error_400_id_abc.atom.xml). */
export function atomErrorFeed(message: string): string {
  const now = isoSeconds(new Date());
  const anchor = `https://arxiv.org/api/errors#${message.replace(/\s+/g, '_')}`;
  return (
    atomHeader('https://arxiv.org/', 'arXiv Search Results', now, null, 1, 1, 0) +
    `  <entry>\n` +
    `    <id>${esc(anchor)}</id>\n` +
    `    <title>Error</title>\n` +
    `    <updated>${now}</updated>\n` +
    `    <link href="${xmlEscape(anchor)}" rel="alternate" type="text/html"/>\n` +
    `    <summary>${esc(message)}</summary>\n` +
    `    <author>\n      <name>arXiv api core</name>\n    </author>\n` +
    `  </entry>\n` +
    `</feed>\n`
  );
}

// ---------------------------------------------------------------------------------------------
// search_query evaluation (see the file comment for what is approximated)

type Predicate = (p: FakePaper) => boolean;

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

const FIELDS = new Set(['ti', 'au', 'abs', 'co', 'jr', 'cat', 'rn', 'id', 'all', 'submittedDate', 'lastUpdatedDate']);

function termPredicate(raw: string): Predicate {
  const m = /^([A-Za-z_]+):(.*)$/s.exec(raw);
  const known = m !== null && FIELDS.has(m[1]!);
  const field = known ? m[1]! : 'all';
  let value = known ? m[2]! : raw;
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
  if (field === 'submittedDate' || field === 'lastUpdatedDate') {
    const range = /^\[\s*(\d+)\s+TO\s+(\d+)\s*\]$/.exec(value);
    if (!range) return () => false;
    const lo = range[1]!.padEnd(12, '0');
    const hi = range[2]!.padEnd(12, '9');
    return (p) => {
      const d = field === 'submittedDate' ? publishedOf(p) : lastChangeOf(p);
      const t = isoSeconds(d).replace(/\D/g, '').slice(0, 12);
      return lo <= t && t <= hi;
    };
  }
  const wildcard = value.endsWith('*');
  const word = norm(value.replace(/\*+$/, ''));
  if (word === '') return () => true;
  const text = (s: string | null | undefined) => s != null && norm(s).includes(word);
  const category = (c: string) => {
    const lc = c.toLowerCase();
    const w = word.replace(/\.$/, '');
    return lc === w || lc.startsWith(`${w}.`) || (wildcard && lc.startsWith(word));
  };
  switch (field) {
    case 'ti':
      return (p) => text(p.title);
    case 'abs':
      return (p) => text(p.abstract);
    case 'au': {
      const name = norm(word.replace(/_/g, ' '));
      return (p) => p.authors.some((a) => norm(a).includes(name));
    }
    case 'cat':
      return (p) => p.categories.some(category);
    case 'jr':
      return (p) => text(p.journalRef);
    case 'id':
      return (p) => text(p.id);
    case 'co':
    case 'rn':
      return () => false;
    default: // all:, a bare word, or an unknown prefix (searched as it is)
      return (p) => text(p.title) || text(p.abstract) || p.authors.some((a) => text(a)) || p.categories.some((c) => text(c)) || text(p.id);
  }
}

function compileQuery(query: string): Predicate {
  const tokens = query.match(/[A-Za-z_]+:\[[^\]]*\]|[A-Za-z_]+:"[^"]*"|"[^"]*"|\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  const expr = (): Predicate => {
    let left = andExpr();
    while (tokens[i] === 'OR') {
      i++;
      const l = left;
      const r = andExpr();
      left = (p) => l(p) || r(p);
    }
    return left;
  };
  const andExpr = (): Predicate => {
    let left = unary();
    for (;;) {
      const t = tokens[i];
      if (t === undefined || t === 'OR' || t === ')') return left;
      let negate = false;
      if (t === 'AND' || t === 'ANDNOT') {
        negate = t === 'ANDNOT';
        i++;
      }
      const l = left;
      const r = unary();
      left = negate ? (p) => l(p) && !r(p) : (p) => l(p) && r(p);
    }
  };
  const unary = (): Predicate => {
    const t = tokens[i++];
    if (t === undefined) return () => true;
    if (t === '(') {
      const inner = expr();
      if (tokens[i] === ')') i++;
      return inner;
    }
    if (t === 'AND' || t === 'OR' || t === 'ANDNOT' || t === ')') return () => true; // stray operator: ignore
    return termPredicate(t);
  };
  if (tokens.length === 0) return () => false;
  const predicate = expr();
  return predicate;
}

// ---------------------------------------------------------------------------------------------
// OAI-PMH (arXivRaw)

function oaiHeader(request: Record<string, string>): string {
  const attrs = Object.entries(request)
    .map(([k, v]) => ` ${k}="${xmlEscape(v)}"`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n` +
    `<responseDate>${isoSeconds(new Date())}</responseDate>\n` +
    `<request${attrs}>${OAI_BASE}</request>\n`
  );
}

function oaiRecord(p: FakePaper): string {
  let xml =
    `<record>\n<header>\n` +
    ` <identifier>oai:arXiv.org:${xmlEscape(p.id)}</identifier>\n` +
    ` <datestamp>${isoSeconds(lastChangeOf(p)).slice(0, 10)}</datestamp>\n`;
  for (const spec of setSpecsOf(p.categories)) xml += ` <setSpec>${xmlEscape(spec)}</setSpec>\n`;
  xml +=
    `</header>\n<metadata>\n` +
    ` <arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXivRaw/ http://arxiv.org/OAI/arXivRaw.xsd">\n` +
    ` <id>${xmlEscape(p.id)}</id><submitter>${xmlEscape(p.authors[0] ?? 'Anonymous')}</submitter>`;
  const size = Math.max(1, Math.round((p.title.length + p.abstract.length) / 40));
  for (let k = 1; k <= Math.max(1, p.version); k++) {
    xml += `<version version="v${k}"><date>${rfc1123(versionDate(p, k))}</date><size>${size + k - 1}kb</size></version>`;
  }
  xml += `<title>${xmlEscape(p.title)}</title><authors>${xmlEscape(joinAuthors(p.authors))}</authors><categories>${xmlEscape(p.categories.join(' '))}</categories>`;
  if (p.journalRef) xml += `<journal-ref>${xmlEscape(p.journalRef)}</journal-ref>`;
  xml += `<abstract>${xmlEscape(p.abstract)}</abstract></arXivRaw>\n</metadata>\n</record>\n`;
  return xml;
}

/**
 * An OAI-PMH ListRecords page in arXivRaw. `resumptionToken: null` writes the empty token element
 * that ends a list (`<resumptionToken cursor="C" completeListSize="N"/>`). `request` (optional) is
 * echoed as the attributes of `<request>` (default verb=ListRecords, metadataPrefix=arXivRaw).
 */
export function oaiListRecords(
  papers: FakePaper[],
  opts: { resumptionToken: string | null; completeListSize: number; cursor: number; request?: Record<string, string> },
): string {
  let xml = oaiHeader(opts.request ?? { verb: 'ListRecords', metadataPrefix: 'arXivRaw' }) + `<ListRecords>\n`;
  for (const p of papers) xml += oaiRecord(p);
  const attrs = `cursor="${opts.cursor}" completeListSize="${opts.completeListSize}"`;
  xml += opts.resumptionToken === null ? `<resumptionToken ${attrs}/>\n` : `<resumptionToken ${attrs}>${xmlEscape(opts.resumptionToken)}</resumptionToken>\n`;
  return `${xml}</ListRecords>\n</OAI-PMH>\n`;
}

/** An OAI-PMH GetRecord answer in arXivRaw (as mikesaelim_GetRecordResponse.xml). */
export function oaiGetRecord(paper: FakePaper): string {
  return (
    oaiHeader({ verb: 'GetRecord', identifier: `oai:arXiv.org:${paper.id}`, metadataPrefix: 'arXivRaw' }) +
    `<GetRecord>\n${oaiRecord(paper)}</GetRecord>\n</OAI-PMH>\n`
  );
}

/** An OAI-PMH error response (`<error code="…">message</error>`); `request` is echoed as `<request>` attributes. */
export function oaiError(code: string, message: string, request: Record<string, string> = {}): string {
  return `${oaiHeader(request)}<error code="${xmlEscape(code)}">${xmlEscape(message)}</error>\n</OAI-PMH>\n`;
}

// ---------------------------------------------------------------------------------------------
// RSS

function splitCats(cats: string): string[] {
  return cats.split(/[+\s]+/).filter((c) => c !== '');
}

function inCats(category: string, cats: readonly string[]): boolean {
  return cats.some((c) => category === c || category.startsWith(`${c}.`));
}

function announceTypeOf(p: FakePaper, cats: readonly string[]): NonNullable<FakePaper['announceType']> {
  if (p.announceType) return p.announceType;
  const primary = p.categories[0];
  const cross = primary === undefined || !inCats(primary, cats);
  if (p.version > 1) return cross ? 'replace-cross' : 'replace';
  return cross ? 'cross' : 'new';
}

/** Announcement day of a paper: the date of its last change, midnight in New York (as arXiv's pubDate). */
function announceDate(p: FakePaper): string {
  const d = lastChangeOf(p);
  return rfc822(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())), '-0400');
}

/** An RSS 2.0 feed of `cats` ("cs.CV+cs.LG") with one item per paper given (no filtering here). */
export function rssFeed(papers: FakePaper[], cats: string): string {
  const catList = splitCats(cats);
  const feedName = catList.join('+');
  const now = new Date();
  const latest = papers.reduce<number | null>((max, p) => Math.max(max ?? 0, lastChangeOf(p).getTime()), null);
  const pubDate = latest === null ? rfc822(now, '-0400') : rfc822(new Date(latest - (latest % 86_400_000)), '-0400');
  let xml =
    `<?xml version='1.0' encoding='UTF-8'?>\n` +
    `<rss xmlns:arxiv="${ARXIV_NS}" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="${ATOM_NS}" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">\n` +
    `  <channel>\n` +
    `    <title>${esc(feedName)} updates on arXiv.org</title>\n` +
    `    <link>http://rss.arxiv.org/rss/${esc(feedName)}</link>\n` +
    `    <description>${esc(feedName)} updates on the arXiv.org e-print archive.</description>\n` +
    `    <atom:link href="http://rss.arxiv.org/rss/${xmlEscape(feedName)}" rel="self" type="application/rss+xml"/>\n` +
    `    <docs>http://www.rssboard.org/rss-specification</docs>\n` +
    `    <language>en-us</language>\n` +
    `    <lastBuildDate>${rfc822(now)}</lastBuildDate>\n` +
    `    <managingEditor>rss-help@arxiv.org</managingEditor>\n` +
    `    <pubDate>${pubDate}</pubDate>\n` +
    `    <skipDays>\n      <day>Sunday</day>\n      <day>Saturday</day>\n    </skipDays>\n`;
  for (const p of papers) {
    const type = announceTypeOf(p, catList);
    xml +=
      `    <item>\n` +
      `      <title>${esc(p.title)}</title>\n` +
      `      <link>https://arxiv.org/abs/${esc(p.id)}</link>\n` +
      `      <description>${esc(`arXiv:${p.id}v${p.version} Announce Type: ${type} \nAbstract: ${p.abstract}`)}</description>\n` +
      `      <guid isPermaLink="false">oai:arXiv.org:${esc(p.id)}v${p.version}</guid>\n` +
      p.categories.map((c) => `      <category>${esc(c)}</category>\n`).join('') +
      `      <pubDate>${announceDate(p)}</pubDate>\n` +
      `      <arxiv:announce_type>${type}</arxiv:announce_type>\n` +
      `      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>\n` +
      `      <dc:creator>${esc(p.authors.join(', '))}</dc:creator>\n` +
      `    </item>\n`;
  }
  return `${xml}  </channel>\n</rss>\n`;
}

// ---------------------------------------------------------------------------------------------
// The server

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const ATOM_TYPE = { 'content-type': 'application/atom+xml; charset=utf-8' };
const XML_TYPE = { 'content-type': 'text/xml; charset=utf-8' };
const RSS_TYPE = { 'content-type': 'application/rss+xml; charset=utf-8' };

export class FakeArxiv {
  readonly origin: string;
  readonly apiUrl: string;
  readonly oaiUrl: string;
  readonly rssUrl: string;
  readonly requests: RecordedRequest[] = [];
  /** What the API, OAI-PMH and RSS serve; tests set or replace it at any time. */
  papers: FakePaper[] = [];
  /** OAI-PMH records a ListRecords page. */
  pageSize = 2;
  /**
   * A continued ListRecords serves the page its token asked for again instead of the next: with
   * that same token ('same-token') or with a new token for that page ('new-token'); null: normal.
   */
  oaiStuck: 'same-token' | 'new-token' | null = null;

  private readonly overrides: Override[] = [];
  private readonly apiPageLimits: number[] = [];
  private readonly oaiTokens = new Map<string, OaiListState>();

  private constructor(private readonly server: Server) {
    const { port } = server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.origin}/api/query`;
    this.oaiUrl = `${this.origin}/oai2`;
    this.rssUrl = `${this.origin}/rss`;
  }

  static async start(): Promise<FakeArxiv> {
    let fake: FakeArxiv | undefined;
    const server = createServer((req, res) => fake!.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    fake = new FakeArxiv(server);
    return fake;
  }

  /** Serve the next `count` requests (optionally only those whose pathname matches) with this instead of the normal answer. */
  respondNext(count: number, response: CannedResponse, opts: { pathPattern?: RegExp } = {}): void {
    if (count > 0) this.overrides.push({ remaining: count, pathPattern: opts.pathPattern, action: { kind: 'respond', response } });
  }

  /**
   * The next API answers hold at most `limits[0]`, `limits[1]`, … entries (0: an empty page),
   * whatever max_results asked for; totalResults still counts every match, as arXiv's does.
   */
  shortPages(limits: number[]): void {
    this.apiPageLimits.push(...limits);
  }

  /** Next `count` requests (optionally only those whose pathname matches): send the headers and half the normal body, then destroy the socket. */
  dropNext(count: number, opts: { pathPattern?: RegExp } = {}): void {
    if (count > 0) this.overrides.push({ remaining: count, pathPattern: opts.pathPattern, action: { kind: 'drop' } });
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private takeOverride(path: string): Override['action'] | null {
    const index = this.overrides.findIndex((o) => !o.pathPattern || o.pathPattern.test(path));
    const o = this.overrides[index];
    if (o === undefined) return null;
    if (--o.remaining <= 0) this.overrides.splice(index, 1);
    return o.action;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.origin);
    let path = url.pathname;
    try {
      path = decodeURIComponent(path);
    } catch {
      // keep it encoded
    }
    this.requests.push({ method: req.method ?? 'GET', path, query: url.searchParams, at: Date.now() });
    req.resume();
    const override = this.takeOverride(path);
    if (override?.kind === 'respond') {
      const { status, headers = {}, body } = override.response;
      res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    let answer: Answer;
    try {
      answer = this.answer(path, url.searchParams);
    } catch (err) {
      answer = { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `FakeArxiv: ${(err as Error).stack ?? String(err)}` };
    }
    const body = Buffer.from(answer.body, 'utf8');
    res.writeHead(answer.status, { ...answer.headers, 'content-length': body.length });
    if (override?.kind === 'drop') {
      const socket = res.socket;
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => socket?.destroy());
      return;
    }
    res.end(body);
  }

  private answer(path: string, query: URLSearchParams): Answer {
    if (path === '/api/query') return this.api(query);
    if (path === '/oai2') return this.oai(query);
    const rss = /^\/rss\/(.+)$/.exec(path);
    if (rss) return this.rss(rss[1]!);
    return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found' };
  }

  // ----- the query API

  private api(q: URLSearchParams): Answer {
    const bad = (message: string): Answer => ({ status: 400, headers: ATOM_TYPE, body: atomErrorFeed(message) });
    const searchQuery = q.get('search_query') ?? '';
    const idList = q.get('id_list') ?? '';
    if (searchQuery.trim() === 'error') return bad('incorrect id format for abc');
    const startText = q.get('start') ?? '0';
    const maxText = q.get('max_results') ?? '10';
    if (!/^\d+$/.test(startText)) return bad('start must be an integer');
    if (!/^\d+$/.test(maxText)) return bad('max_results must be an integer');
    const start = Number(startText);
    const max = Number(maxText);

    let matches: FakePaper[];
    const ids = idList.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (ids.length > 0) {
      matches = [];
      for (const requested of ids) {
        const m = ARXIV_ID.exec(requested);
        if (!m) return bad(`incorrect id format for ${requested}`);
        const base = m[1] === undefined ? requested : requested.slice(0, requested.lastIndexOf('v'));
        const paper = this.papers.find((p) => p.id === base);
        if (!paper) continue;
        if (m[1] === undefined) {
          matches.push(paper);
        } else {
          const v = Number(m[1]);
          if (v >= 1 && v <= paper.version) {
            matches.push(v === paper.version ? paper : { ...paper, version: v, updated: isoSeconds(versionDate(paper, v)) });
          }
        }
      }
      if (searchQuery.trim() !== '') matches = matches.filter(compileQuery(searchQuery));
    } else if (searchQuery.trim() !== '') {
      matches = this.papers.filter(compileQuery(searchQuery));
    } else {
      matches = [];
    }

    const sortBy = q.get('sortBy');
    if (sortBy === 'submittedDate' || sortBy === 'lastUpdatedDate') {
      const key = (p: FakePaper) => (sortBy === 'submittedDate' ? publishedOf(p) : lastChangeOf(p)).getTime();
      const sign = q.get('sortOrder') === 'ascending' ? 1 : -1;
      matches = [...matches].sort((a, b) => sign * (key(a) - key(b)));
    }

    const page = matches.slice(start, start + Math.min(max, this.apiPageLimits.shift() ?? max));
    const echoed = `search_query=${searchQuery}&id_list=${idList}&start=${start}&max_results=${max}`;
    return { status: 200, headers: ATOM_TYPE, body: atomFeed(page, { totalResults: matches.length, startIndex: start, itemsPerPage: max, query: echoed }) };
  }

  // ----- OAI-PMH

  private oai(q: URLSearchParams): Answer {
    const ok = (body: string): Answer => ({ status: 200, headers: XML_TYPE, body });
    const verb = q.get('verb');
    const request: Record<string, string> = {};
    for (const [k, v] of q) request[k] = v;
    if (verb === 'ListRecords') return ok(this.listRecords(q, request));
    if (verb === 'GetRecord') return ok(this.getRecord(q, request));
    return ok(oaiError('badVerb', verb === null ? 'Illegal verb' : `Bad verb. Verb '${verb}' not implemented.`));
  }

  private matchingRecords(state: Omit<OaiListState, 'cursor'>): FakePaper[] {
    return this.papers.filter((p) => {
      const set = state.set;
      if (set !== null && !setSpecsOf(p.categories).some((s) => s === set || s.startsWith(`${set}:`))) return false;
      const day = isoSeconds(lastChangeOf(p)).slice(0, 10);
      if (state.from !== null && day < state.from) return false;
      if (state.until !== null && day > state.until) return false;
      return true;
    });
  }

  private listRecords(q: URLSearchParams, request: Record<string, string>): string {
    const allowed = ['verb', 'metadataPrefix', 'set', 'from', 'until', 'resumptionToken'];
    for (const key of q.keys()) {
      if (!allowed.includes(key)) return oaiError('badArgument', `Verb 'ListRecords', illegal argument '${key}'.`, request);
    }
    let state: OaiListState;
    const token = q.get('resumptionToken');
    if (token !== null) {
      if ([...q.keys()].some((k) => k !== 'verb' && k !== 'resumptionToken')) {
        return oaiError('badArgument', `Verb 'ListRecords', argument 'resumptionToken' is exclusive.`, request);
      }
      const saved = this.oaiTokens.get(token);
      if (!saved) return oaiError('badResumptionToken', 'The resumptionToken supplied is illegal for this repository', request);
      state = saved;
    } else {
      const prefix = q.get('metadataPrefix');
      if (prefix === null) return oaiError('badArgument', `Verb 'ListRecords', missing argument 'metadataPrefix'.`, request);
      if (prefix !== 'arXivRaw') return oaiError('cannotDisseminateFormat', `Metadata format '${prefix}' is not supported by this repository.`, request);
      const from = q.get('from');
      const until = q.get('until');
      for (const [name, value] of [['from', from], ['until', until]] as const) {
        if (value !== null && !isDay(value)) return oaiError('badArgument', `Verb 'ListRecords', illegal argument '${name}': '${value}' is not a date (YYYY-MM-DD).`, request);
      }
      if (from !== null && until !== null && from > until) return oaiError('badArgument', `Verb 'ListRecords', 'from' (${from}) is after 'until' (${until}).`, request);
      state = { set: q.get('set'), from, until, cursor: 0 };
    }
    const all = this.matchingRecords(state);
    if (all.length === 0) {
      const why = state.set !== null ? `No records match the set '${state.set}' and dates given.` : 'No records match the dates given.';
      return oaiError('noRecordsMatch', why, request);
    }
    const size = Math.max(1, this.pageSize);
    const page = all.slice(state.cursor, state.cursor + size);
    if (token !== null && this.oaiStuck === 'same-token') {
      return oaiListRecords(page, { resumptionToken: token, completeListSize: all.length, cursor: state.cursor, request });
    }
    const next = token !== null && this.oaiStuck === 'new-token' ? state.cursor : state.cursor + size;
    let nextToken: string | null = null;
    if (next < all.length) {
      do nextToken = `${randomInt(100_000_000, 1_000_000_000)}|${next + 1}`;
      while (this.oaiTokens.has(nextToken));
      this.oaiTokens.set(nextToken, { ...state, cursor: next });
    }
    return oaiListRecords(page, { resumptionToken: nextToken, completeListSize: all.length, cursor: state.cursor, request });
  }

  private getRecord(q: URLSearchParams, request: Record<string, string>): string {
    const identifier = q.get('identifier');
    const prefix = q.get('metadataPrefix');
    if (identifier === null || prefix === null) return oaiError('badArgument', `Verb 'GetRecord', missing argument '${identifier === null ? 'identifier' : 'metadataPrefix'}'.`, request);
    if (prefix !== 'arXivRaw') return oaiError('cannotDisseminateFormat', `Metadata format '${prefix}' is not supported by this repository.`, request);
    const id = identifier.replace(/^oai:arXiv\.org:/, '');
    const paper = this.papers.find((p) => p.id === id);
    if (!paper) return oaiError('idDoesNotExist', `Identifier '${identifier}' has correct form but does not correspond to an item in this repository`, request);
    return oaiGetRecord(paper);
  }

  // ----- RSS

  private rss(cats: string): Answer {
    const catList = splitCats(cats);
    if (catList.length === 0) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found' };
    const items = this.papers.filter((p) => p.categories.some((c) => inCats(c, catList)));
    return { status: 200, headers: RSS_TYPE, body: rssFeed(items, catList.join('+')) };
  }
}

function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
