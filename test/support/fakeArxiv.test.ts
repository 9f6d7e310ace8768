import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomErrorFeed, atomFeed, FakeArxiv, type FakePaper, oaiError, oaiListRecords, rssFeed } from './fakeArxiv.js';

const FORMATS = '/work/shared/formats';
const real = (path: string) => readFileSync(join(FORMATS, path), 'utf8');

// ----- XML helpers

const ARRAYS = new Set(['entry', 'author', 'link', 'category', 'record', 'setSpec', 'version', 'item']);
/** Keeps text raw (no trimming, no number parsing), repeated elements as arrays. */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // RSS <link> is one text element, Atom <link> a repeated empty one.
  isArray: (name, jpath, _leaf, isAttribute) => !isAttribute && ARRAYS.has(name) && !(name === 'link' && String(jpath).startsWith('rss.')),
});
const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_' });

type Node = Record<string, unknown>;

function parse(xml: string): any {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml);
}

function nameOf(node: Node): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

/** Element names of the children of the element at `path` (first match at each step), in document order. */
function childNames(xml: string, path: string[]): string[] {
  let nodes = ordered.parse(xml) as Node[];
  for (const step of path) {
    const node = nodes.find((n) => nameOf(n) === step);
    if (!node) throw new Error(`no <${step}> in ${path.join('/')}`);
    nodes = node[step] as Node[];
  }
  return nodes.map(nameOf).filter((n): n is string => n !== undefined && n !== '#text' && n !== '?xml');
}

/** xmlns declarations on the root element. */
function rootNamespaces(xml: string): Record<string, string> {
  const root = (ordered.parse(xml) as Node[]).find((n) => {
    const name = nameOf(n);
    return name !== undefined && name !== '?xml' && name !== '#text';
  })!;
  const attrs = (root[':@'] ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(attrs).filter(([k]) => k.startsWith('@_xmlns')));
}

const collapse = (names: string[]) => names.filter((n, i) => n !== names[i - 1]);

function isSubsequence(sub: string[], of: string[]): boolean {
  let i = 0;
  for (const n of of) if (n === sub[i]) i++;
  return i === sub.length;
}

const withoutTimestamps = (xml: string) => xml.replace(/<updated>[^<]*<\/updated>/g, '<updated/>');

// ----- fixtures

const paper = (p: Partial<FakePaper> & { id: string }): FakePaper => ({
  version: 1,
  title: `Paper ${p.id}`,
  abstract: 'An abstract.',
  authors: ['Ada Lovelace'],
  categories: ['cs.CL'],
  published: '2024-01-10',
  ...p,
});

const TRICKY_ABSTRACT = '  We study $(k,\\ell)$-sparse graphs with 50\\% fewer edges & <tags>.\nHard-wrapped "line".\n';

const PAPERS: FakePaper[] = [
  paper({
    id: '2401.00001',
    version: 2,
    title: 'Attention & <Transformers> for "graphs"',
    abstract: TRICKY_ABSTRACT,
    authors: ['Alice Smith', 'Bob Jones', "Carol Bal\\'azs"],
    categories: ['cs.LG', 'stat.ML'],
    published: '2024-01-02',
    updated: '2024-03-05',
    journalRef: 'J. Fake Res. 1 (2024) 1-10',
  }),
  paper({ id: '2401.00002', title: 'Graph neural networks for vision', categories: ['cs.CV', 'cs.LG'], published: '2024-01-03' }),
  paper({ id: 'hep-th/9901001', title: 'Strings on graphs', authors: ['E. Witten'], categories: ['hep-th', 'math-ph'], published: '1999-01-05' }),
  paper({ id: '2402.00003', version: 3, title: 'Diffusion models for images', categories: ['cs.CV'], published: '2024-02-01', updated: '2024-02-20' }),
  paper({ id: '2402.00004', title: 'Nuclear matter', categories: ['nucl-ex', 'nucl-th'], published: '2024-02-10' }),
  paper({ id: '2402.00005', title: 'Learning graphs with transformers', categories: ['cs.CL', 'cs.CV'], published: '2024-02-15' }),
  paper({ id: '2403.00006', title: 'Planning agents', categories: ['cs.AI'], published: '2024-03-01' }),
];

let fake: FakeArxiv;

beforeEach(async () => {
  fake = await FakeArxiv.start();
  fake.papers = PAPERS.map((p) => ({ ...p }));
});

afterEach(async () => {
  await fake.stop();
});

async function get(url: string): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

const api = (params: Record<string, string>) => get(`${fake.apiUrl}?${new URLSearchParams(params)}`);
const oai = (params: Record<string, string>) => get(`${fake.oaiUrl}?${new URLSearchParams(params)}`);
const entryIds = (doc: any): string[] => (doc.feed.entry ?? []).map((e: any) => e.id);

// ----- the query API

describe('FakeArxiv query API', () => {
  it('serves an entry with everything the 2026 layout carries, text escaped and kept raw', async () => {
    const { status, headers, body } = await api({ id_list: '2401.00001' });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('application/atom+xml');
    expect(rootNamespaces(body)).toEqual(rootNamespaces(real('arxiv_api_atom/2026_search_all_testing_start0_max10.atom.xml')));

    const feed = parse(body).feed;
    expect(feed['opensearch:totalResults']).toBe('1');
    expect(feed['opensearch:startIndex']).toBe('0');
    expect(feed['opensearch:itemsPerPage']).toBe('10');
    expect(feed.title).toBe('arXiv Query: search_query=&id_list=2401.00001&start=0&max_results=10');
    const [entry] = feed.entry;
    expect(entry.id).toBe('http://arxiv.org/abs/2401.00001v2');
    expect(entry.title).toBe('Attention & <Transformers> for "graphs"');
    expect(entry.summary).toBe(TRICKY_ABSTRACT);
    expect(entry.published).toBe('2024-01-02T00:00:00Z');
    expect(entry.updated).toBe('2024-03-05T00:00:00Z');
    expect(entry.link.map((l: any) => [l['@_href'], l['@_rel'], l['@_type']])).toEqual([
      ['https://arxiv.org/abs/2401.00001v2', 'alternate', 'text/html'],
      ['https://arxiv.org/pdf/2401.00001v2', 'related', 'application/pdf'],
    ]);
    expect(entry.category.map((c: any) => c['@_term'])).toEqual(['cs.LG', 'stat.ML']);
    expect(entry.category[0]['@_scheme']).toBe('http://arxiv.org/schemas/atom');
    expect(entry['arxiv:primary_category']['@_term']).toBe('cs.LG');
    expect(entry['arxiv:journal_ref']).toBe('J. Fake Res. 1 (2024) 1-10');
    expect(entry.author.map((a: any) => a.name)).toEqual(['Alice Smith', 'Bob Jones', "Carol Bal\\'azs"]);

    // Same feed-level elements in the same order as the real 2026 file, and entry elements a
    // subsequence of a real entry that has a journal_ref (it also has comment and doi).
    const realXml = real('arxiv_api_atom/2026_search_all_testing_start0_max10.atom.xml');
    expect(collapse(childNames(body, ['feed']))).toEqual(collapse(childNames(realXml, ['feed'])));
    const ours = collapse(childNames(body, ['feed', 'entry']));
    const theirs = collapse(childNames(realXml, ['feed', 'entry']));
    expect(theirs).toContain('arxiv:journal_ref');
    expect(isSubsequence(ours, theirs)).toBe(true);
  });

  it('atomFeed and atomErrorFeed reproduce the real 2026 files but for timestamps', () => {
    const realEntry = real('arxiv_api_atom/2026_newstyle_id_2104.12255v1.atom.xml');
    const summary = /<summary>([\s\S]*)<\/summary>/.exec(realEntry)![1]!;
    const generated = atomFeed(
      [{ id: '2104.12255', version: 1, title: '0', abstract: summary, authors: ['Quan Thoi Minh Nguyen'], categories: ['cs.CR'], published: '2021-04-20T16:07:14Z' }],
      { totalResults: 1, startIndex: 0, itemsPerPage: 100, query: 'search_query=&id_list=2104.12255v1&start=0&max_results=100' },
    );
    expect(withoutTimestamps(generated)).toBe(withoutTimestamps(realEntry));
    expect(withoutTimestamps(atomErrorFeed('incorrect id format for abc'))).toBe(withoutTimestamps(real('arxiv_api_atom/2026_error_400_id_abc.atom.xml')));
  });

  it('selects by id_list: with or without version, old-style ids, in the order asked, unknown ids left out', async () => {
    const doc = parse((await api({ id_list: 'hep-th/9901001,2401.00001v1,2499.99999,2402.00003v3' })).body);
    expect(entryIds(doc)).toEqual(['http://arxiv.org/abs/hep-th/9901001v1', 'http://arxiv.org/abs/2401.00001v1', 'http://arxiv.org/abs/2402.00003v3']);
    expect(doc.feed['opensearch:totalResults']).toBe('3');
    // An earlier version is dated as that version.
    expect(doc.feed.entry[1].updated).toBe('2024-01-02T00:00:00Z');
    expect(doc.feed.entry[1].link[1]['@_href']).toBe('https://arxiv.org/pdf/2401.00001v1');
    expect(doc.feed.entry[0]['arxiv:primary_category']['@_term']).toBe('hep-th');
  });

  it('answers HTTP 400 with the error feed for a bad id or search_query=error', async () => {
    const requests: Record<string, string>[] = [{ id_list: 'abc' }, { search_query: 'error' }, { id_list: '2401.00001,abc' }];
    for (const params of requests) {
      const { status, body } = await api(params);
      expect(status).toBe(400);
      expect(rootNamespaces(body)).toEqual(rootNamespaces(real('arxiv_api_atom/2026_error_400_id_abc.atom.xml')));
      const feed = parse(body).feed;
      expect(feed.entry).toHaveLength(1);
      expect(feed.entry[0].title).toBe('Error');
      expect(feed.entry[0].summary).toBe('incorrect id format for abc');
      expect(feed.entry[0].author[0].name).toBe('arXiv api core');
    }
  });

  it('matches search_query words, field prefixes and AND / OR / ANDNOT', async () => {
    const ids = async (q: string) => entryIds(parse((await api({ search_query: q, max_results: '50' })).body)).map((id) => id.replace(/^http:\/\/arxiv\.org\/abs\//, ''));
    expect(await ids('all:graphs')).toEqual(['2401.00001v2', 'hep-th/9901001v1', '2402.00005v1']);
    expect(await ids('graph')).toEqual(['2401.00001v2', '2401.00002v1', 'hep-th/9901001v1', '2402.00005v1']);
    expect(await ids('cat:cs.CV AND ti:diffusion')).toEqual(['2402.00003v3']);
    expect(await ids('cat:cs ANDNOT cat:cs.CV')).toEqual(['2401.00001v2', '2403.00006v1']);
    expect(await ids('ti:nuclear OR ti:planning')).toEqual(['2402.00004v1', '2403.00006v1']);
    expect(await ids('au:alice_smith')).toEqual(['2401.00001v2']);
    expect(await ids('ti:"neural networks" AND (cat:cs.LG OR cat:stat.ML)')).toEqual(['2401.00002v1']);
    expect(await ids('cat:hep-th')).toEqual(['hep-th/9901001v1']);
    expect(await ids('submittedDate:[20240201 TO 20240229]')).toEqual(['2402.00003v3', '2402.00004v1', '2402.00005v1']);
    expect(await ids('quantum chromodynamics')).toEqual([]);
  });

  it('pages with start and max_results, reporting the opensearch counts', async () => {
    const page = async (start: number) => parse((await api({ search_query: 'cat:cs', start: String(start), max_results: '3' })).body).feed;
    const first = await page(0);
    const second = await page(3);
    const beyond = await page(6);
    expect([first, second, beyond].map((f) => [f['opensearch:totalResults'], f['opensearch:startIndex'], f['opensearch:itemsPerPage']])).toEqual([
      ['5', '0', '3'],
      ['5', '3', '3'],
      ['5', '6', '3'],
    ]);
    expect(first.entry).toHaveLength(3);
    expect(second.entry).toHaveLength(2);
    expect(beyond.entry).toBeUndefined();
    expect([...entryIds({ feed: first }), ...entryIds({ feed: second })]).toEqual(
      ['2401.00001', '2401.00002', '2402.00003', '2402.00005', '2403.00006'].map((id) => `http://arxiv.org/abs/${id}v${PAPERS.find((p) => p.id === id)!.version}`),
    );
  });

  it('sorts by submittedDate when asked', async () => {
    const doc = parse((await api({ search_query: 'cat:cs.CV', sortBy: 'submittedDate', sortOrder: 'descending' })).body);
    expect(entryIds(doc)).toEqual(['http://arxiv.org/abs/2402.00005v1', 'http://arxiv.org/abs/2402.00003v3', 'http://arxiv.org/abs/2401.00002v1']);
  });
});

// ----- OAI-PMH

describe('FakeArxiv OAI-PMH', () => {
  const realList = () => real('arxiv_oai_pmh/arXivRaw_ListRecords_from2014-10-01_trimmed6.xml');

  it('follows the resumptionToken chain to an empty token', async () => {
    expect(fake.pageSize).toBe(2);
    const pages: any[] = [];
    let res = await oai({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'cs', from: '2024-01-01' });
    for (let guard = 0; guard < 10; guard++) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('xml');
      const doc = parse(res.body);
      pages.push(doc['OAI-PMH'].ListRecords);
      const token = doc['OAI-PMH'].ListRecords.resumptionToken;
      if (typeof token !== 'object' || (token['#text'] ?? '') === '') break;
      res = await oai({ verb: 'ListRecords', resumptionToken: token['#text'] });
    }
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p.record.length)).toEqual([2, 2, 1]);
    expect(pages.map((p) => [p.resumptionToken['@_cursor'], p.resumptionToken['@_completeListSize']])).toEqual([
      ['0', '5'],
      ['2', '5'],
      ['4', '5'],
    ]);
    expect(pages[0].resumptionToken['#text']).toMatch(/\S/);
    expect(pages[2].resumptionToken['#text'] ?? '').toBe('');
    const ids = pages.flatMap((p) => p.record.map((r: any) => r.header.identifier));
    expect(ids).toEqual(['2401.00001', '2401.00002', '2402.00003', '2402.00005', '2403.00006'].map((id) => `oai:arXiv.org:${id}`));
    // Continuations send only verb + resumptionToken.
    const continued = fake.requests.filter((r) => r.query.has('resumptionToken'));
    expect(continued).toHaveLength(2);
    expect([...continued[0]!.query.keys()].sort()).toEqual(['resumptionToken', 'verb']);
  });

  it('writes arXivRaw records in the real layout', async () => {
    const { body } = await oai({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'stat' });
    expect(rootNamespaces(body)).toEqual(rootNamespaces(realList()));
    expect(childNames(body, ['OAI-PMH'])).toEqual(childNames(realList(), ['OAI-PMH']));
    expect(collapse(childNames(body, ['OAI-PMH', 'ListRecords']))).toEqual(['record', 'resumptionToken']);
    expect(childNames(body, ['OAI-PMH', 'ListRecords', 'record'])).toEqual(['header', 'metadata']);
    expect(collapse(childNames(body, ['OAI-PMH', 'ListRecords', 'record', 'header']))).toEqual(collapse(childNames(realList(), ['OAI-PMH', 'ListRecords', 'record', 'header'])));
    // Ours is a subsequence of a real record with several versions and a journal-ref (0704.0716).
    const realRecord = realList().split('<record>')[2]!;
    const theirs = collapse(childNames(`<record>${realRecord.split('</record>')[0]}</record>`, ['record', 'metadata', 'arXivRaw']));
    expect(theirs).toContain('journal-ref');
    const ours = collapse(childNames(body, ['OAI-PMH', 'ListRecords', 'record', 'metadata', 'arXivRaw']));
    expect(isSubsequence(ours, theirs)).toBe(true);
    expect(body).toContain('<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXivRaw/ http://arxiv.org/OAI/arXivRaw.xsd">');

    const record = parse(body)['OAI-PMH'].ListRecords.record[0];
    expect(record.header.identifier).toBe('oai:arXiv.org:2401.00001');
    expect(record.header.datestamp).toBe('2024-03-05');
    expect(record.header.setSpec).toEqual(['cs', 'stat']);
    const raw = record.metadata.arXivRaw;
    expect(raw['@_xmlns']).toBe('http://arxiv.org/OAI/arXivRaw/');
    expect(raw.id).toBe('2401.00001');
    expect(raw.submitter).toBe('Alice Smith');
    expect(raw.version.map((v: any) => [v['@_version'], v.date])).toEqual([
      ['v1', 'Tue, 2 Jan 2024 00:00:00 GMT'],
      ['v2', 'Tue, 5 Mar 2024 00:00:00 GMT'],
    ]);
    expect(raw.version[0].size).toMatch(/^\d+kb$/);
    expect(raw.title).toBe('Attention & <Transformers> for "graphs"');
    expect(raw.authors).toBe("Alice Smith, Bob Jones and Carol Bal\\'azs");
    expect(raw.categories).toBe('cs.LG stat.ML');
    expect(raw['journal-ref']).toBe('J. Fake Res. 1 (2024) 1-10');
    expect(raw.abstract).toBe(TRICKY_ABSTRACT);
  });

  it('filters by set (archive or physics:archive) and by from/until on the datestamp', async () => {
    const ids = async (params: Record<string, string>) =>
      (parse((await oai({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', ...params })).body)['OAI-PMH'].ListRecords?.record ?? []).map(
        (r: any) => r.header.identifier.replace('oai:arXiv.org:', ''),
      );
    expect(await ids({ set: 'cs', from: '2024-02-16', until: '2024-03-04' })).toEqual(['2402.00003', '2403.00006']);
    expect(await ids({ set: 'physics:nucl-ex' })).toEqual(['2402.00004']);
    expect(await ids({ set: 'physics:hep-th' })).toEqual(['hep-th/9901001']);
    fake.pageSize = 10;
    expect(await ids({ set: 'physics' })).toEqual(['hep-th/9901001', '2402.00004']);
    expect(await ids({ set: 'math' })).toEqual([]); // math-ph is physics:math-ph, not math → noRecordsMatch
    expect(await ids({ until: '2000-01-01' })).toEqual(['hep-th/9901001']);
  });

  it('answers each OAI error like arXiv does', async () => {
    const errorOf = async (params: Record<string, string>) => {
      const { status, body } = await oai(params);
      expect(status).toBe(200);
      expect(rootNamespaces(body)).toEqual(rootNamespaces(real('arxiv_oai_pmh/mikesaelim_ErrorResponseBadArgument.xml')));
      expect(childNames(body, ['OAI-PMH'])).toEqual(['responseDate', 'request', 'error']);
      const error = parse(body)['OAI-PMH'].error;
      return [error['@_code'], error['#text']];
    };
    expect((await errorOf({ verb: 'ListRecords', resumptionToken: '726959|1001' }))[0]).toBe('badResumptionToken');
    expect((await errorOf({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'moo' }))[0]).toBe('noRecordsMatch');
    expect((await errorOf({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'cs', from: '2030-01-01' }))[0]).toBe('noRecordsMatch');
    expect((await errorOf({ verb: 'ListRecords', set: 'cs' }))[0]).toBe('badArgument');
    expect((await errorOf({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', from: '2024-13-01' }))[0]).toBe('badArgument');
    expect((await errorOf({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', until: 'yesterday' }))[0]).toBe('badArgument');
    expect((await errorOf({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', identifier: 'x' }))[0]).toBe('badArgument');
    expect(await errorOf({ verb: 'wah' })).toEqual(['badVerb', "Bad verb. Verb 'wah' not implemented."]);
    expect((await errorOf({}))[0]).toBe('badVerb');
    expect((await errorOf({ verb: 'GetRecord', identifier: 'oai:arXiv.org:0813.2274', metadataPrefix: 'arXivRaw' }))[0]).toBe('idDoesNotExist');
  });

  it('serves GetRecord', async () => {
    const { body } = await oai({ verb: 'GetRecord', identifier: 'oai:arXiv.org:2402.00003', metadataPrefix: 'arXivRaw' });
    const gr = real('arxiv_oai_pmh/mikesaelim_GetRecordResponse.xml');
    expect(childNames(body, ['OAI-PMH'])).toEqual(childNames(gr, ['OAI-PMH']));
    const raw = parse(body)['OAI-PMH'].GetRecord.record[0].metadata.arXivRaw;
    expect(raw.version.map((v: any) => v['@_version'])).toEqual(['v1', 'v2', 'v3']);
    expect(raw.version[2].date).toBe('Tue, 20 Feb 2024 00:00:00 GMT');
  });

  it('oaiListRecords and oaiError are valid XML on their own', () => {
    expect(XMLValidator.validate(oaiListRecords(PAPERS, { resumptionToken: 'a|b&c', completeListSize: 9, cursor: 0 }))).toBe(true);
    expect(XMLValidator.validate(oaiListRecords([], { resumptionToken: null, completeListSize: 0, cursor: 0 }))).toBe(true);
    expect(XMLValidator.validate(oaiError('badArgument', `it's <bad> & "wrong"`))).toBe(true);
  });
});

// ----- RSS

describe('FakeArxiv RSS', () => {
  const realRss = () => real('arxiv_rss/rss_cs.CV_2025-09-18_excerpt.xml');

  it('lists the papers of the feed categories with the item shape arXiv uses', async () => {
    const { status, headers, body } = await get(`${fake.rssUrl}/cs.CV+cs.LG`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('xml');
    expect(rootNamespaces(body)).toEqual(rootNamespaces(realRss()));
    expect(collapse(childNames(body, ['rss', 'channel']))).toEqual(collapse(childNames(realRss(), ['rss', 'channel'])));
    const itemNames = collapse(childNames(body, ['rss', 'channel', 'item']));
    expect(itemNames).toEqual(['title', 'link', 'description', 'guid', 'category', 'pubDate', 'arxiv:announce_type', 'dc:rights', 'dc:creator']);
    expect(isSubsequence(collapse(childNames(realRss(), ['rss', 'channel', 'item'])), itemNames)).toBe(true);

    const channel = parse(body).rss.channel;
    expect(channel.title).toBe('cs.CV+cs.LG updates on arXiv.org');
    const items = channel.item;
    expect(items.map((i: any) => i.link)).toEqual(['2401.00001', '2401.00002', '2402.00003', '2402.00005'].map((id) => `https://arxiv.org/abs/${id}`));
    expect(items.map((i: any) => i['arxiv:announce_type'])).toEqual(['replace', 'new', 'replace', 'cross']);
    const [first] = items;
    expect(first.title).toBe('Attention & <Transformers> for "graphs"');
    expect(first.description).toBe(`arXiv:2401.00001v2 Announce Type: replace \nAbstract: ${TRICKY_ABSTRACT}`);
    expect(first.guid['#text']).toBe('oai:arXiv.org:2401.00001v2');
    expect(first.guid['@_isPermaLink']).toBe('false');
    expect(first.category).toEqual(['cs.LG', 'stat.ML']);
    expect(first.pubDate).toBe('Tue, 05 Mar 2024 00:00:00 -0400');
    expect(first['dc:creator']).toBe("Alice Smith, Bob Jones, Carol Bal\\'azs");
    expect(first['dc:rights']).toMatch(/^http/);
  });

  it('honours announceType, lists whole archives, and 404s without categories', async () => {
    fake.papers[3]!.announceType = 'new';
    const items = parse((await get(`${fake.rssUrl}/cs`)).body).rss.channel.item;
    expect(items).toHaveLength(5);
    expect(items.find((i: any) => i.link.endsWith('2402.00003'))['arxiv:announce_type']).toBe('new');
    expect(parse((await get(`${fake.rssUrl}/q-bio.NC`)).body).rss.channel.item).toBeUndefined();
    expect((await get(fake.rssUrl)).status).toBe(404);
    expect((await get(`${fake.rssUrl}/`)).status).toBe(404);
  });

  it('rssFeed is valid XML on its own', () => {
    expect(XMLValidator.validate(rssFeed(PAPERS, 'cs.CV'))).toBe(true);
    expect(XMLValidator.validate(rssFeed([], 'cs.CV'))).toBe(true);
  });
});

// ----- knobs and bookkeeping

describe('FakeArxiv knobs', () => {
  it('respondNext serves a canned answer to the next matching requests only', async () => {
    fake.respondNext(1, { status: 503, headers: { 'Retry-After': '7', 'content-type': 'text/plain' }, body: 'busy' }, { pathPattern: /^\/oai2$/ });
    expect((await api({ id_list: '2401.00002' })).status).toBe(200); // path does not match: served normally
    const busy = await oai({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'cs' });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('7');
    expect(busy.body).toBe('busy');
    expect((await oai({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'cs' })).status).toBe(200);

    fake.respondNext(2, { status: 500, body: 'oops' });
    expect((await get(`${fake.rssUrl}/cs.CV`)).status).toBe(500);
    expect((await api({ id_list: '2401.00002' })).status).toBe(500);
    expect((await api({ id_list: '2401.00002' })).status).toBe(200);
  });

  it('dropNext cuts the connection mid-response', async () => {
    fake.dropNext(1, { pathPattern: /^\/api\/query$/ });
    expect((await get(`${fake.rssUrl}/cs.CV`)).status).toBe(200);
    await expect(get(`${fake.apiUrl}?id_list=2401.00001`)).rejects.toThrow();
    const after = await get(`${fake.apiUrl}?id_list=2401.00001`);
    expect(after.status).toBe(200);
    expect(XMLValidator.validate(after.body)).toBe(true);

    fake.dropNext(2);
    await expect(get(`${fake.oaiUrl}?verb=ListRecords&metadataPrefix=arXivRaw&set=cs`)).rejects.toThrow();
    await expect(get(`${fake.rssUrl}/cs.CV`)).rejects.toThrow();
    expect((await get(`${fake.rssUrl}/cs.CV`)).status).toBe(200);
  });

  it('shortPages serves the next API pages shorter than asked, or empty, totalResults unchanged', async () => {
    fake.shortPages([1, 0]);
    const page = async () => parse((await api({ search_query: 'cat:cs', start: '0', max_results: '10' })).body).feed;
    const pages = [await page(), await page(), await page()];
    expect(pages.map((p) => (p.entry ?? []).length)).toEqual([1, 0, 5]);
    expect(pages.map((p) => p['opensearch:totalResults'])).toEqual(['5', '5', '5']);
  });

  it.each([
    ['same-token', (tokens: string[]) => expect(new Set(tokens.slice(1)).size).toBe(1)],
    ['new-token', (tokens: string[]) => expect(new Set(tokens).size).toBe(tokens.length)],
  ] as const)('oaiStuck %s serves the page a token asked for again', async (mode, checkTokens) => {
    fake.oaiStuck = mode;
    const ids: string[][] = [];
    const tokens: string[] = [];
    let res = await oai({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'cs', from: '2024-01-01' });
    for (let i = 0; i < 4; i++) {
      const list = parse(res.body)['OAI-PMH'].ListRecords;
      ids.push(list.record.map((r: any) => r.header.identifier));
      tokens.push(list.resumptionToken['#text']);
      res = await oai({ verb: 'ListRecords', resumptionToken: tokens.at(-1)! });
    }
    expect(ids.map((page) => page.join(' '))).toEqual([
      'oai:arXiv.org:2401.00001 oai:arXiv.org:2401.00002',
      ...Array(3).fill('oai:arXiv.org:2402.00003 oai:arXiv.org:2402.00005'),
    ]);
    checkTokens(tokens);
  });

  it('records every request in order with its time, and 404s unknown paths', async () => {
    const before = Date.now();
    expect((await get(`${fake.origin}/nope?x=1`)).status).toBe(404);
    await api({ search_query: 'cat:cs.CV', start: '0', max_results: '5' });
    await get(`${fake.rssUrl}/cs.CV+cs.LG`);
    const after = Date.now();
    expect(fake.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', '/nope'],
      ['GET', '/api/query'],
      ['GET', '/rss/cs.CV+cs.LG'],
    ]);
    expect(fake.requests[0]!.query.get('x')).toBe('1');
    expect(fake.requests[1]!.query.get('search_query')).toBe('cat:cs.CV');
    const times = fake.requests.map((r) => r.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(before);
    expect(times[2]).toBeLessThanOrEqual(after);
  });

  it('exposes the endpoint URLs on 127.0.0.1', () => {
    expect(fake.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.apiUrl).toBe(`${fake.origin}/api/query`);
    expect(fake.oaiUrl).toBe(`${fake.origin}/oai2`);
    expect(fake.rssUrl).toBe(`${fake.origin}/rss`);
  });
});
