/**
 * Parsers for what arXiv serves: the query API (Atom), OAI-PMH (arXivRaw),
 * the announcement RSS, and the metadata snapshot's JSON lines. Pure
 * functions: text in, {@link ParsedRecord}s out; no network, no files.
 *
 * XML is read by namespace URI and local name, never by prefix or position:
 * the 2016 API declared its namespaces on each element and the 2026 API
 * declares them once on <feed> and orders children differently, and nothing
 * in XML promises a prefix. Titles and abstracts keep the served text (hard
 * wraps, LaTeX, indentation) with only XML entities decoded: the corpus
 * stores raw text and normalisation happens later, in one place.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MalformedResponseError, type ParsedRecord, type SourceRecord } from './SourceRecord.js';

/** The namespaces these formats use. */
const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  arxiv: 'http://arxiv.org/schemas/atom',
  opensearch: 'http://a9.com/-/spec/opensearch/1.1/',
  oai: 'http://www.openarchives.org/OAI/2.0/',
  arxivRaw: 'http://arxiv.org/OAI/arXivRaw/',
  dc: 'http://purl.org/dc/elements/1.1/',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

// ---------------------------------------------------------------------------
// A small namespace-aware tree over fast-xml-parser's output

/** An element with its namespace resolved from the declarations in scope. */
interface XmlElement {
  /** Namespace URI, or null for an element in no namespace (RSS 2.0). */
  ns: string | null;
  local: string;
  /** The name as written ("opensearch:totalResults"), for messages only. */
  qname: string;
  /** Attributes by qualified name, entity-decoded. */
  attrs: Record<string, string>;
  children: XmlNode[];
}
type XmlNode = XmlElement | { text: string };

const isElement = (node: XmlNode): node is XmlElement => 'local' in node;

// preserveOrder keeps every child in document order with its own attributes,
// which is what a namespace walk needs (the compact form merges same-named
// siblings and loses which xmlns applied where). Everything stays a string:
// parseTagValue off keeps the title "0" and the id 0704.0471 as served.
// Entities are decoded here rather than by the library: with processEntities
// it leaves numeric references (&#233;) alone, and decoding those afterwards
// would turn a served "&amp;#233;" into "é".
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
});

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g;

/** Whether XML 1.0 allows this code point as a character (so a reference to it may be decoded). */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** The five XML entities and character references, in one pass so "&amp;lt;" stays "&lt;". */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, named: string | undefined) => {
    if (named !== undefined) return NAMED_ENTITIES[named] ?? whole;
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    // A reference to a character XML forbids is left as written rather than guessed at.
    return isXmlChar(cp) ? String.fromCodePoint(cp) : whole;
  });
}

/** XML 1.0 §2.11: a parser reports every line end as "\n" (fast-xml-parser does not). */
const normaliseLineEnds = (text: string) => (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);

/** fast-xml-parser's ordered output → elements with resolved namespaces. */
function buildNodes(raw: unknown, scope: ReadonlyMap<string, string>): XmlNode[] {
  if (!Array.isArray(raw)) return [];
  const nodes: XmlNode[] = [];
  for (const item of raw as unknown[]) {
    if (item === null || typeof item !== 'object') continue;
    const entry = item as Record<string, unknown>;
    const key = Object.keys(entry).find((k) => k !== ':@');
    if (key === undefined) continue;
    if (key === '#text') {
      nodes.push({ text: decodeEntities(normaliseLineEnds(String(entry[key]))) });
      continue;
    }
    if (key === '#cdata') {
      // CDATA is literal: no entity decoding.
      const parts = Array.isArray(entry[key]) ? (entry[key] as Record<string, unknown>[]) : [];
      nodes.push({ text: normaliseLineEnds(parts.map((p) => String(p['#text'] ?? '')).join('')) });
      continue;
    }
    const rawAttrs = (entry[':@'] ?? {}) as Record<string, unknown>;
    const attrs: Record<string, string> = {};
    let inner: Map<string, string> | null = null;
    for (const [name, value] of Object.entries(rawAttrs)) {
      const decoded = decodeEntities(normaliseLineEnds(String(value)));
      attrs[name] = decoded;
      // Declarations on an element apply to the element itself and its descendants.
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        inner ??= new Map(scope);
        inner.set(name === 'xmlns' ? '' : name.slice(6), decoded);
      }
    }
    const here = inner ?? scope;
    const colon = key.indexOf(':');
    const prefix = colon < 0 ? '' : key.slice(0, colon);
    const local = colon < 0 ? key : key.slice(colon + 1);
    // An undeclared prefix gets a namespace nothing asks for, so the element
    // is ignored rather than mistaken for one we know.
    const uri = prefix === 'xml' ? NS.xml : here.get(prefix) ?? (prefix === '' ? '' : `urn:undeclared-prefix:${prefix}`);
    nodes.push({ ns: uri === '' ? null : uri, local, qname: key, attrs, children: buildNodes(entry[key], here) });
  }
  return nodes;
}

/**
 * The document's root element, after checking the text is complete, well-formed XML.
 * @throws MalformedResponseError for anything else (empty, HTML, truncated).
 */
function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^\uFEFF/, '').trimStart();
  if (body === '') throw new MalformedResponseError('empty response');
  if (!body.startsWith('<')) throw new MalformedResponseError(`not XML (starts with ${JSON.stringify(body.slice(0, 20))})`);
  // fast-xml-parser's parser is lenient about unclosed tags; the validator is what notices a cut-off body.
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new MalformedResponseError(`not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  let tree: unknown;
  try {
    tree = parser.parse(body);
  } catch (err) {
    throw new MalformedResponseError(`not well-formed XML (${(err as Error).message})`);
  }
  const roots = buildNodes(tree, new Map()).filter(isElement);
  const root = roots[0];
  if (root === undefined) throw new MalformedResponseError('no root element');
  if (roots.length > 1) throw new MalformedResponseError(`more than one root element (<${root.qname}>, <${roots[1]!.qname}>)`);
  return root;
}

/** How a root element is described in an error: its name and, if any, its namespace. */
const describe = (el: XmlElement) => `<${el.qname}>${el.ns ? ` in ${el.ns}` : ' in no namespace'}`;

/** Children of `el` with this namespace and local name, in document order. */
function childrenOf(el: XmlElement, ns: string | null, local: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => isElement(c) && c.ns === ns && c.local === local);
}

/** The first child with this namespace and local name. */
function childOf(el: XmlElement | undefined, ns: string | null, local: string): XmlElement | undefined {
  return el?.children.find((c): c is XmlElement => isElement(c) && c.ns === ns && c.local === local);
}

/** All the text inside an element (its own and its descendants'), as served. */
function textOf(el: XmlElement): string {
  return el.children.map((c) => (isElement(c) ? textOf(c) : c.text)).join('');
}

/** The text of the first such child, or null when there is none. */
function childText(el: XmlElement | undefined, ns: string | null, local: string): string | null {
  const c = childOf(el, ns, local);
  return c === undefined ? null : textOf(c);
}

/** An un-prefixed attribute (arXiv's term, version, code, completeListSize are all un-prefixed). */
const attrOf = (el: XmlElement | undefined, name: string): string | null => el?.attrs[name] ?? null;

// ---------------------------------------------------------------------------
// Field helpers shared by the formats

/** Trimmed text, or null when absent or blank. */
function nonBlank(value: string | null | undefined): string | null {
  const t = value?.trim();
  return t ? t : null;
}

/** A non-negative integer written in decimal, else null ("10" → 10, "" or "ten" → null). */
function intOrNull(value: string | null | undefined): number | null {
  const t = value?.trim();
  return t && /^\d+$/.test(t) ? Number(t) : null;
}

/** "v3" → 3. */
function versionNumber(value: string | null | undefined): number | null {
  const m = /^v?(\d+)$/i.exec(value?.trim() ?? '');
  return m ? Number(m[1]) : null;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

/**
 * The calendar date a timestamp states, as YYYY-MM-DD: ISO ("2012-04-02T12:38:54Z")
 * or RFC 822 ("Tue, 3 Apr 2007 22:04:11 GMT"). The day as written, not shifted to
 * UTC: an RSS pubDate of "Thu, 18 Sep 2025 00:00:00 -0400" is the 18th's announcement.
 */
function dateOnly(value: string | null | undefined): string | null {
  const t = value?.trim() ?? '';
  let y: number, mo: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(t);
  const rfc = /^(?:[A-Za-z]{3,9},?\s*)?(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{4})\b/.exec(t);
  if (iso) [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (rfc) [d, mo, y] = [Number(rfc[1]), MONTHS[rfc[2]!.toLowerCase()] ?? 0, Number(rfc[3])];
  else return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** One author name: whitespace runs (hard wraps in OAI/snapshot strings) become one space. */
const cleanName = (name: string) => name.replace(/\s+/g, ' ').trim();

/**
 * An author string as names: "D.V. Shetty, S.J. Yennello, and G.A. Souliotis" →
 * three names. Splits on commas and " and " outside parentheses and braces;
 * parenthesised parts are affiliations ("A. Author (MIT)", "((1) MIT, (2) CERN)")
 * and are dropped, braces are TeX grouping and are kept.
 */
function splitAuthors(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ');
  const names: string[] = [];
  let current = '';
  let parens = 0;
  let braces = 0;
  const flush = () => {
    const name = cleanName(current).replace(/^and\s+/i, '');
    if (name) names.push(name);
    current = '';
  };
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i]!;
    if (c === '(') {
      parens++;
      continue;
    }
    if (c === ')' && parens > 0) {
      parens--;
      continue;
    }
    if (parens > 0) continue;
    if (c === '{') braces++;
    else if (c === '}' && braces > 0) braces--;
    if (braces === 0 && c === ',') {
      flush();
      continue;
    }
    if (braces === 0 && c === ' ' && flat.startsWith(' and ', i)) {
      flush();
      i += 4; // past " and" (the loop steps over the last space)
      continue;
    }
    current += c;
  }
  flush();
  return names;
}

/** Order-preserving de-duplication, dropping blanks. */
function unique(values: Iterable<string | null>): string[] {
  const seen = new Set<string>();
  for (const v of values) if (v) seen.add(v);
  return [...seen];
}

/**
 * The record, or the reason it cannot be one: every parser requires an id, a
 * title and an abstract (what the search indexes), and says which entry lacks what.
 */
function finish(label: string, record: Omit<SourceRecord, 'id'> & { id: string | null }, shownId: string | null = record.id): ParsedRecord {
  const missing: string[] = [];
  if (!nonBlank(record.id)) missing.push('no id');
  if (!nonBlank(record.title)) missing.push('no title');
  if (!nonBlank(record.abstract)) missing.push('no abstract');
  if (missing.length > 0 || record.id === null) return { rejected: `${label}${shownId ? ` (${shownId})` : ''}: ${missing.join(', ')}` };
  return { record: { ...record, id: record.id } };
}

// ---------------------------------------------------------------------------
// arXiv query API (Atom)

/** The id as a short label for messages: "http://arxiv.org/abs/2401.01234v1" → "2401.01234v1". */
const shortId = (id: string | null) => (id === null ? null : id.replace(/^https?:\/\/[^/]*arxiv\.org\/abs\//i, ''));

/**
 * Whether an entry is the API's error report rather than a paper. The API
 * answers a bad request with HTTP 400 and a feed whose one entry is titled
 * "Error", with an id under /api/errors; a real paper could be titled "Error",
 * so the title counts only when the id is not a paper's /abs/ link.
 */
function isErrorEntry(entry: XmlElement): boolean {
  const id = childText(entry, NS.atom, 'id')?.trim() ?? '';
  if (/arxiv\.org\/api\/errors/i.test(id)) return true;
  return childText(entry, NS.atom, 'title')?.trim() === 'Error' && !/\/abs\//.test(id);
}

function atomEntry(entry: XmlElement, index: number): ParsedRecord {
  const id = nonBlank(childText(entry, NS.atom, 'id'));
  const authors = childrenOf(entry, NS.atom, 'author')
    .map((a) => cleanName(childText(a, NS.atom, 'name') ?? ''))
    .filter((n) => n !== '');
  // The primary category leads; it is also repeated among <category> (not always first).
  const primary = nonBlank(attrOf(childOf(entry, NS.arxiv, 'primary_category'), 'term'));
  const categories = unique([primary, ...childrenOf(entry, NS.atom, 'category').map((c) => nonBlank(attrOf(c, 'term')))]);
  return finish(
    `entry ${index}`,
    {
      id,
      // The API's id carries the version ("…v2"); it is left there for canonicalArxivId.
      version: null,
      title: childText(entry, NS.atom, 'title'),
      abstract: childText(entry, NS.atom, 'summary'),
      authors,
      categories,
      journalRef: nonBlank(childText(entry, NS.arxiv, 'journal_ref')),
      updated: dateOnly(childText(entry, NS.atom, 'updated')),
    },
    shortId(id),
  );
}

/**
 * Parses an arXiv query API response (`/api/query`, Atom 1.0 with OpenSearch
 * paging and arXiv extensions), in either generation of its layout.
 *
 * An HTTP-400 style error feed (one entry titled "Error", id under /api/errors)
 * yields `error`: its summary text, and no records, so an error is never
 * ingested as a paper. An entry without id, title or abstract is a `rejected`
 * record naming the entry and what it lacks; the others still parse.
 *
 * @param xml The response body.
 * @returns The entries in feed order, the OpenSearch paging numbers (null when
 *   absent), and the error message if the feed is an error report.
 * @throws MalformedResponseError when the body is not well-formed XML (empty,
 *   HTML, cut short) or not an Atom feed (an RSS or OAI document, say).
 */
export function parseAtomFeed(xml: string): {
  records: ParsedRecord[];
  totalResults: number | null;
  startIndex: number | null;
  itemsPerPage: number | null;
  error: string | null;
} {
  const feed = parseXml(xml);
  if (feed.ns !== NS.atom || feed.local !== 'feed') throw new MalformedResponseError(`expected an Atom <feed>, got ${describe(feed)}`);
  const paging = {
    totalResults: intOrNull(childText(feed, NS.opensearch, 'totalResults')),
    startIndex: intOrNull(childText(feed, NS.opensearch, 'startIndex')),
    itemsPerPage: intOrNull(childText(feed, NS.opensearch, 'itemsPerPage')),
  };
  const entries = childrenOf(feed, NS.atom, 'entry');
  const errorEntry = entries.find(isErrorEntry);
  if (errorEntry !== undefined) {
    const message = nonBlank(childText(errorEntry, NS.atom, 'summary')) ?? nonBlank(childText(errorEntry, NS.atom, 'id')) ?? 'unspecified error';
    return { records: [], ...paging, error: message };
  }
  return { records: entries.map((e, i) => atomEntry(e, i + 1)), ...paging, error: null };
}

// ---------------------------------------------------------------------------
// OAI-PMH, metadataPrefix=arXivRaw

function oaiRecord(record: XmlElement, index: number): ParsedRecord {
  const header = childOf(record, NS.oai, 'header');
  const identifier = nonBlank(childText(header, NS.oai, 'identifier'));
  // A deleted record has a header and no metadata: nothing to ingest, but say so.
  if (attrOf(header, 'status') === 'deleted') return { rejected: `record ${index}${identifier ? ` (${identifier})` : ''}: deleted` };
  const raw = childOf(childOf(record, NS.oai, 'metadata'), NS.arxivRaw, 'arXivRaw');
  if (raw === undefined) return { rejected: `record ${index}${identifier ? ` (${identifier})` : ''}: no arXivRaw metadata` };
  const id = nonBlank(childText(raw, NS.arxivRaw, 'id')) ?? identifier;
  // <version version="vN"><date>…</date></version>, one per version: the highest is current.
  let latest: { n: number; date: string | null } | null = null;
  for (const v of childrenOf(raw, NS.arxivRaw, 'version')) {
    const n = versionNumber(attrOf(v, 'version'));
    if (n !== null && (latest === null || n > latest.n)) latest = { n, date: childText(v, NS.arxivRaw, 'date') };
  }
  return finish(`record ${index}`, {
    id,
    version: latest?.n ?? null,
    title: childText(raw, NS.arxivRaw, 'title'),
    abstract: childText(raw, NS.arxivRaw, 'abstract'),
    authors: splitAuthors(childText(raw, NS.arxivRaw, 'authors') ?? ''),
    categories: unique((childText(raw, NS.arxivRaw, 'categories') ?? '').split(/\s+/)),
    journalRef: nonBlank(childText(raw, NS.arxivRaw, 'journal-ref')),
    updated: dateOnly(latest?.date),
  });
}

/**
 * Parses an OAI-PMH response to ListRecords or GetRecord with
 * metadataPrefix=arXivRaw.
 *
 * OAI errors (`<error code="badArgument">msg</error>`) yield `error` {code,
 * message} and no records; noRecordsMatch is reported the same way (the caller
 * treats it as zero records). A deleted record, one without arXivRaw metadata,
 * or one without id, title or abstract is a `rejected` record naming it.
 *
 * @param xml The response body.
 * @returns The records in order; the resumptionToken (trimmed; null when absent
 *   or empty, i.e. the list is complete) and its completeListSize.
 * @throws MalformedResponseError when the body is not well-formed XML or not an
 *   OAI-PMH ListRecords/GetRecord/error response.
 */
export function parseOaiResponse(xml: string): {
  records: ParsedRecord[];
  resumptionToken: string | null;
  completeListSize: number | null;
  error: { code: string; message: string } | null;
} {
  const root = parseXml(xml);
  if (root.ns !== NS.oai || root.local !== 'OAI-PMH') throw new MalformedResponseError(`expected an OAI-PMH response, got ${describe(root)}`);
  const error = childOf(root, NS.oai, 'error');
  if (error !== undefined) {
    return {
      records: [],
      resumptionToken: null,
      completeListSize: null,
      error: { code: nonBlank(attrOf(error, 'code')) ?? 'unknown', message: textOf(error).trim() },
    };
  }
  const list = childOf(root, NS.oai, 'ListRecords') ?? childOf(root, NS.oai, 'GetRecord');
  if (list === undefined) throw new MalformedResponseError('OAI-PMH response holds neither ListRecords, GetRecord nor an error');
  const records = childrenOf(list, NS.oai, 'record').map((r, i) => oaiRecord(r, i + 1));
  const token = childOf(list, NS.oai, 'resumptionToken');
  return {
    records,
    // The last page carries an empty <resumptionToken/>: the end of the list.
    resumptionToken: token === undefined ? null : nonBlank(textOf(token)),
    completeListSize: intOrNull(attrOf(token, 'completeListSize')),
    error: null,
  };
}

// ---------------------------------------------------------------------------
// arXiv RSS 2.0 (rss.arxiv.org/rss/<categories>)

const ANNOUNCE_TYPES = ['new', 'cross', 'replace', 'replace-cross'] as const;
type AnnounceType = (typeof ANNOUNCE_TYPES)[number];
const asAnnounceType = (value: string | null | undefined): AnnounceType | null =>
  (ANNOUNCE_TYPES as readonly string[]).includes(value?.trim() ?? '') ? (value!.trim() as AnnounceType) : null;

/** Id and version from the description's "arXiv:2509.13338v1", else the guid "oai:arXiv.org:2509.13338v1", else the link. */
function rssId(description: string, guid: string | null, link: string | null): { id: string | null; version: number | null } {
  const fromText = /^\s*arXiv:(\S+?)v(\d+)(?=\s|$)/.exec(description) ?? /^oai:arXiv\.org:(\S+?)v(\d+)$/i.exec(guid?.trim() ?? '');
  if (fromText) return { id: fromText[1]!, version: Number(fromText[2]) };
  const fromLink = /arxiv\.org\/abs\/([^\s?#]+?)(?:v(\d+))?\/?$/i.exec(link?.trim() ?? '');
  if (fromLink) return { id: fromLink[1]!, version: fromLink[2] ? Number(fromLink[2]) : null };
  return { id: null, version: null };
}

function rssItem(item: XmlElement, index: number): ParsedRecord {
  const description = childText(item, null, 'description') ?? '';
  const { id, version } = rssId(description, childText(item, null, 'guid'), childText(item, null, 'link'));
  // "arXiv:<id>vN Announce Type: new \nAbstract: <abstract>": the abstract is what follows the marker.
  const marker = description.indexOf('Abstract: ');
  const announced = /Announce Type:\s*(\S+)/.exec(description)?.[1];
  return finish(`item ${index}`, {
    id,
    version,
    title: childText(item, null, 'title'),
    abstract: marker < 0 ? null : description.slice(marker + 'Abstract: '.length),
    authors: childrenOf(item, NS.dc, 'creator').flatMap((c) => splitAuthors(textOf(c))),
    categories: unique(childrenOf(item, null, 'category').map((c) => nonBlank(textOf(c)))),
    // arXiv's RSS names it journal_reference; journal_ref (the API's name) is accepted too.
    journalRef: nonBlank(childText(item, NS.arxiv, 'journal_reference') ?? childText(item, NS.arxiv, 'journal_ref')),
    announceType: asAnnounceType(childText(item, NS.arxiv, 'announce_type')) ?? asAnnounceType(announced),
    updated: dateOnly(childText(item, null, 'pubDate')),
  });
}

/**
 * Parses an arXiv RSS 2.0 feed (rss.arxiv.org/rss/<cats>): one record per
 * <item>. announceType comes from arxiv:announce_type (else the description's
 * "Announce Type:"); id and version from the description's "arXiv:2509.13338v1"
 * (else the guid, else the link, which has no version); the abstract is what
 * follows "Abstract: " in the description; authors from dc:creator
 * (comma-separated); categories from the <category> elements; updated is the
 * pubDate's date. An item without id, title or abstract is `rejected`.
 *
 * @param xml The response body.
 * @throws MalformedResponseError when the body is not well-formed XML or not
 *   an RSS 2.0 document (an Atom feed, an HTML page).
 */
export function parseRssFeed(xml: string): { records: ParsedRecord[] } {
  const rss = parseXml(xml);
  if (rss.ns !== null || rss.local !== 'rss') throw new MalformedResponseError(`expected an RSS <rss>, got ${describe(rss)}`);
  const channel = childOf(rss, null, 'channel');
  if (channel === undefined) throw new MalformedResponseError('RSS document without <channel>');
  // Weekends and holidays the feed has no items: zero records, not an error.
  return { records: childrenOf(channel, null, 'item').map((item, i) => rssItem(item, i + 1)) };
}

// ---------------------------------------------------------------------------
// arXiv metadata snapshot (arxiv-metadata-oai-snapshot.json, one object a line)

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** authors_parsed triples [last, first, suffix] → "first last suffix"; null when the field is not that shape. */
function parsedAuthors(value: unknown): string[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const names: string[] = [];
  for (const triple of value as unknown[]) {
    if (!Array.isArray(triple) || !triple.every((part) => typeof part === 'string')) return null;
    const [last = '', first = '', suffix = ''] = triple as string[];
    const name = cleanName([first, last, suffix].join(' '));
    if (name) names.push(name);
  }
  return names;
}

/**
 * Parses one line of the public arXiv metadata snapshot
 * (arxiv-metadata-oai-snapshot.json: one JSON object a line).
 *
 * Authors come from authors_parsed ([last, first, suffix] → "first last
 * suffix", which also has TeX accents resolved), else from splitting the
 * authors string; version is the last of versions[]; categories are split on
 * spaces; journalRef is journal-ref; updated is update_date.
 *
 * @param line The line's text.
 * @param lineNumber Its 1-based line number, for the rejection message.
 * @returns The record, or `rejected` naming the line (and id) and what is
 *   wrong: invalid JSON, not an object, or no id, title or abstract.
 */
export function parseSnapshotLine(line: string, lineNumber: number): ParsedRecord {
  const parsed = jsonObjectLine(line, lineNumber);
  if ('rejected' in parsed) return parsed;
  const o = parsed.object;
  // An id must be a string: a number (704.0001) has already lost its leading zero.
  const id = nonBlank(str(o.id));
  const versions = Array.isArray(o.versions) ? (o.versions as unknown[]) : [];
  const last = versions.at(-1);
  const version = versionNumber(last !== null && typeof last === 'object' ? str((last as Record<string, unknown>).version) : null);
  const updateDate = str(o.update_date)?.trim() ?? null;
  return finish(`line ${lineNumber}`, {
    id,
    version,
    title: str(o.title),
    abstract: str(o.abstract),
    authors: parsedAuthors(o.authors_parsed) ?? splitAuthors(str(o.authors) ?? ''),
    categories: unique((str(o.categories) ?? '').split(/\s+/)),
    journalRef: nonBlank(str(o['journal-ref'])),
    updated: updateDate !== null && /^\d{4}-\d{2}-\d{2}$/.test(updateDate) ? updateDate : null,
  });
}

// ---------------------------------------------------------------------------
// Listing crawls (JSON lines of id, title, abstract, authors[], categories[], date), such as the arXiv CS benchmark corpus

/** A JSON line that must hold one object, or why it does not. */
function jsonObjectLine(line: string, lineNumber: number): { object: Record<string, unknown> } | { rejected: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { rejected: `line ${lineNumber}: not valid JSON (${(err as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { rejected: `line ${lineNumber}: not a JSON object` };
  return { object: value as Record<string, unknown> };
}

/** Does a JSON line look like a listing crawl's record rather than a corpus record? */
export function isListingLine(line: string): boolean {
  return /"date"\s*:/.test(line) && !/"links"\s*:/.test(line);
}

/** One line of a listing crawl. */
export function parseListingLine(line: string, lineNumber: number): ParsedRecord {
  const parsed = jsonObjectLine(line, lineNumber);
  if ('rejected' in parsed) return parsed;
  const o = parsed.object;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : []);
  const date = str(o.date)?.trim() ?? null;
  return finish(`line ${lineNumber}`, {
    id: nonBlank(str(o.id)),
    title: str(o.title),
    abstract: str(o.abstract),
    authors: strings(o.authors),
    categories: unique(strings(o.categories)),
    updated: date !== null && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null,
  });
}
