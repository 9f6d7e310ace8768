import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAtomFeed, parseOaiResponse, parseRssFeed, parseSnapshotLine } from '../../src/ingest/parsers.js';
import { MalformedResponseError, type ParsedRecord, type SourceRecord } from '../../src/ingest/SourceRecord.js';

/** Real arXiv responses in ../shared beside the checkout; CI has them, so a test reading a missing one fails, naming it. */
const FORMATS = resolve(import.meta.dirname, '../../../shared/formats');
const API = join(FORMATS, 'arxiv_api_atom');
const OAI = join(FORMATS, 'arxiv_oai_pmh');
const RSS = join(FORMATS, 'arxiv_rss');
const SNAPSHOT = join(FORMATS, 'kaggle_arxiv_snapshot');
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

/** The records, failing the test if any was rejected. */
function records(parsed: readonly ParsedRecord[]): SourceRecord[] {
  return parsed.map((p) => {
    if ('rejected' in p) throw new Error(`unexpected rejection: ${p.rejected}`);
    return p.record;
  });
}
function only(parsed: readonly ParsedRecord[]): SourceRecord {
  expect(parsed).toHaveLength(1);
  return records(parsed)[0]!;
}

// ---------------------------------------------------------------------------
// Inline fixtures for what the recorded files lack

/** A 2016-layout feed (namespaces declared on each element) with three entries; the second has no summary. */
const FEED_WITH_BAD_ENTRY = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: search_query=all:x</title>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">3</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">3</opensearch:itemsPerPage>
  <entry>
    <id>http://arxiv.org/abs/hep-th/9901001v2</id>
    <updated>1999-01-05T10:00:00Z</updated>
    <title>Old-style &amp; &lt;well&gt; formed: caf&#233; &#x3b1; &amp;lt;kept&amp;gt;</title>
    <summary>  An abstract with $\\alpha$ and 50\\%
wrapped.
</summary>
    <author><name>  Jane Q. Public </name></author>
    <author><name>John
      Doe</name></author>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="hep-th" scheme="http://arxiv.org/schemas/atom"/>
    <category term="gr-qc" scheme="http://arxiv.org/schemas/atom"/>
    <category term="hep-th" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2401.01234v1</id>
    <updated>2024-01-03T00:00:00Z</updated>
    <title>No abstract here</title>
    <author><name>A. Nobody</name></author>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2401.05678v3</id>
    <updated>2024-02-01T12:00:00Z</updated>
    <title>Third</title>
    <summary>Fine.</summary>
    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">J. Test 1 (2024)</arxiv:journal_ref>
    <category term="cs.IR" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
`;

/**
 * The legacy 1111.2011v2 entry rewritten in the 2026 layout, but with unusual
 * prefixes (Atom under "a:", arXiv under "ax:", OpenSearch as "os:" declared on
 * <feed>) and yet another element order: only namespace URIs and local names
 * can find its fields.
 */
const LEGACY_ENTRY_REPREFIXED = `<?xml version='1.0' encoding='UTF-8'?>
<a:feed xmlns:os="http://a9.com/-/spec/opensearch/1.1/" xmlns:ax="http://arxiv.org/schemas/atom" xmlns:a="http://www.w3.org/2005/Atom">
  <a:entry>
    <ax:journal_ref>Phys. Rev. B 85, 115117 (2012)</ax:journal_ref>
    <a:category term="cond-mat.stat-mech" scheme="http://arxiv.org/schemas/atom"/>
    <a:author><a:name>James M. Murray</a:name></a:author>
    <a:author><a:name>Adrian Del Maestro</a:name></a:author>
    <a:author><a:name>Zlatko Tesanovic</a:name></a:author>
    <a:summary>  Theoretical description of anisotropic systems, such as layered
superconductors and coupled spin chains, is often a challenge due to the
different natures of interactions along different directions. As a model of
such a system, we present an analytical study of d-dimensional "nodes" arranged
as the vertices of a Bethe lattice, where each node has nonzero spatial
dimension and is described by an O(N) quantum rotor model, and there is hopping
between neighboring nodes. In the limit of large connectivity on the Bethe
lattice, the hopping can be treated by constructing a self-consistent effective
action for a single node. This procedure is akin to dynamical mean field
theory, but generalized so that spatial as well as quantum fluctuations are
taken into account on each node. The quantum phase transition is studied using
this effective action for both infinite and finite N. The importance of the
Perron-Frobenius uniform mode on the Bethe lattice is discussed, and its
elimination via an "infinite range hopping" term shifts the transition, leading
to nontrivial critical behavior. We calculate critical exponents and find that
the internode hopping reduces the upper and lower critical dimensions each by
one, indicating that--at least for the purposes of quantum criticality--the
large number of internode couplings is similar to adding a single extra
dimension to the theory describing a single node.
</a:summary>
    <a:category term="cond-mat.str-el" scheme="http://arxiv.org/schemas/atom"/>
    <ax:primary_category term="cond-mat.str-el"/>
    <a:updated>2012-04-02T12:38:54Z</a:updated>
    <a:title>Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large
  Connectivity Limit</a:title>
    <a:id>http://arxiv.org/abs/1111.2011v2</a:id>
  </a:entry>
  <os:startIndex>0</os:startIndex>
  <os:itemsPerPage>10</os:itemsPerPage>
  <os:totalResults>1</os:totalResults>
</a:feed>`;

const HTML_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>503 Service Unavailable</title></head>
<body><h1>Service Unavailable</h1><p>Try again later.<br></p></body></html>`;

/** Well-formed XHTML: passes the validator, so only the root check can refuse it. */
const XHTML_PAGE = `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Error</title></head><body><p>Rate limited</p></body></html>`;

/** An RSS feed in the shape rss.arxiv.org serves, with one new and one replaced paper. */
const RSS_TWO_ITEMS = `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>cs.CV updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.CV</link>
    <description>cs.CV updates on the arXiv.org e-print archive.</description>
    <atom:link href="http://rss.arxiv.org/rss/cs.CV" rel="self" type="application/rss+xml"/>
    <pubDate>Thu, 18 Sep 2025 00:00:00 -0400</pubDate>
    <item>
      <title>Proximity-Based Evidence Retrieval for Uncertainty-Aware Neural Networks</title>
      <link>https://arxiv.org/abs/2509.13338</link>
      <description>arXiv:2509.13338v1 Announce Type: new 
Abstract: This work proposes an evidence-retrieval mechanism for $k$-NN &amp; friends.</description>
      <guid isPermaLink="false">oai:arXiv.org:2509.13338v1</guid>
      <category>cs.CV</category>
      <category>cs.AI</category>
      <pubDate>Thu, 18 Sep 2025 00:00:00 -0400</pubDate>
      <arxiv:announce_type>new</arxiv:announce_type>
      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
      <dc:creator>Hassan Gharoun, Mohammad Sadegh Khorshidi, Kasra Ranjbarigderi, Fang Chen, Amir H. Gandomi</dc:creator>
    </item>
    <item>
      <title>An older paper, revised</title>
      <link>https://arxiv.org/abs/2403.01234</link>
      <description>arXiv:2403.01234v3 Announce Type: replace 
Abstract: We revise our earlier claims.
Second line.</description>
      <guid isPermaLink="false">oai:arXiv.org:2403.01234v3</guid>
      <category>cs.LG</category>
      <category>cs.CV</category>
      <pubDate>Thu, 18 Sep 2025 00:00:00 -0400</pubDate>
      <arxiv:announce_type>replace</arxiv:announce_type>
      <dc:rights>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</dc:rights>
      <dc:creator>Ana Souza, Li Wei</dc:creator>
      <arxiv:journal_reference>Proc. CVPR 2025, pp. 1-10</arxiv:journal_reference>
    </item>
  </channel>
</rss>`;

/** A snapshot line in the real shape: TeX accents in `authors`, resolved in `authors_parsed`. */
const SNAPSHOT_ACCENTS = JSON.stringify({
  id: '0801.0042',
  submitter: 'J\\"org M\\"uller',
  authors: 'J\\"org M\\"uller, Fran\\c{c}ois Dupont Jr. and \\\'Eric Le Gall',
  title: 'On $\\mathbb{Z}_2$ things\n  and others',
  comments: null,
  'journal-ref': 'Ann. Test. 7 (2009) 1-2',
  doi: null,
  'report-no': null,
  categories: 'math.AG math.NT',
  license: null,
  abstract: '  We show.\n',
  versions: [
    { version: 'v1', created: 'Tue, 1 Jan 2008 10:00:00 GMT' },
    { version: 'v2', created: 'Wed, 2 Apr 2008 10:00:00 GMT' },
  ],
  update_date: '2009-05-06',
  authors_parsed: [
    ['Müller', 'Jörg', ''],
    ['Dupont', 'François', 'Jr.'],
    ['Le Gall', 'Éric', ''],
  ],
});

const oaiPage = (records: string, token: string) => `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2025-01-01T00:00:00Z</responseDate>
<request verb="ListRecords">http://export.arxiv.org/oai2</request>
<ListRecords>${records}${token}</ListRecords>
</OAI-PMH>`;

const rawRecord = (id: string, body: string) => `<record><header><identifier>oai:arXiv.org:${id}</identifier><datestamp>2025-01-01</datestamp></header>
<metadata><raw:arXivRaw xmlns:raw="http://arxiv.org/OAI/arXivRaw/"><raw:id>${id}</raw:id>${body}</raw:arXivRaw></metadata></record>`;

// ---------------------------------------------------------------------------

describe('parseAtomFeed (arXiv query API)', () => {
  describe('real responses', () => {
    it('reads the 2016 layout (namespaces per element): 1111.2011v2', () => {
      const feed = parseAtomFeed(read(API, 'legacy2016_id_list_1111.2011v2.atom.xml'));
      expect(feed).toMatchObject({ totalResults: 1, startIndex: 0, itemsPerPage: 10, error: null });
      expect(only(feed.records)).toEqual({
        id: 'http://arxiv.org/abs/1111.2011v2',
        version: null,
        title: 'Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large\n  Connectivity Limit',
        abstract: expect.stringMatching(/^ {2}Theoretical description of anisotropic systems, such as layered\nsuperconductors/),
        authors: ['James M. Murray', 'Adrian Del Maestro', 'Zlatko Tesanovic'],
        categories: ['cond-mat.str-el', 'cond-mat.stat-mech'],
        journalRef: 'Phys. Rev. B 85, 115117 (2012)',
        updated: '2012-04-02',
      });
      expect(only(feed.records).abstract).toMatch(/describing a single node\.\n$/);
    });

    it('extracts the same fields whatever the layout, prefixes or element order', () => {
      const legacy = only(parseAtomFeed(read(API, 'legacy2016_id_list_1111.2011v2.atom.xml')).records);
      const reprefixed = parseAtomFeed(LEGACY_ENTRY_REPREFIXED);
      expect(reprefixed).toMatchObject({ totalResults: 1, startIndex: 0, itemsPerPage: 10, error: null });
      expect(only(reprefixed.records)).toEqual(legacy);
    });

    it('reads the 2016 search page: ten entries, paging, old-style ids, primary category first', () => {
      const feed = parseAtomFeed(read(API, 'legacy2016_search_query_au_del_maestro.atom.xml'));
      expect(feed).toMatchObject({ totalResults: 31, startIndex: 0, itemsPerPage: 10, error: null });
      const recs = records(feed.records);
      expect(recs.map((r) => r.id)).toEqual([
        'http://arxiv.org/abs/1201.4869v1',
        'http://arxiv.org/abs/cond-mat/0412498v1',
        'http://arxiv.org/abs/cond-mat/0603029v1',
        'http://arxiv.org/abs/1005.5383v1',
        'http://arxiv.org/abs/1303.6954v2',
        'http://arxiv.org/abs/1312.6177v1',
        'http://arxiv.org/abs/1412.6529v2',
        'http://arxiv.org/abs/cond-mat/0607501v2',
        'http://arxiv.org/abs/cond-mat/0702661v2',
        'http://arxiv.org/abs/0807.2873v1',
      ]);
      expect(recs[0]).toMatchObject({
        title: 'A Luttinger Liquid Core Inside Helium-4 Filled Nanopores',
        authors: ['Adrian Del Maestro'],
        categories: ['cond-mat.mes-hall', 'cond-mat.other'],
        journalRef: 'Int. J. Mod. Phys. B, 26, 1244002 (2012)',
        updated: '2012-01-23',
      });
      expect(recs[1]!.authors).toEqual(['Adrian Del Maestro', 'Subir Sachdev']);
      expect(recs[1]!.categories![0]).toBe('cond-mat.str-el');
      // The title is hard-wrapped as served.
      expect(recs[2]!.title).toMatch(/^From stripe to checkerboard order on the square lattice in the presence\n/);
    });

    it('reads the 2026 layout (namespaces once on <feed>): the title "0" stays a string', () => {
      const feed = parseAtomFeed(read(API, '2026_newstyle_id_2104.12255v1.atom.xml'));
      expect(feed).toMatchObject({ totalResults: 1, startIndex: 0, itemsPerPage: 100, error: null });
      const rec = only(feed.records);
      expect(rec.title).toBe('0');
      expect(rec).toMatchObject({
        id: 'http://arxiv.org/abs/2104.12255v1',
        authors: ['Quan Thoi Minh Nguyen'],
        categories: ['cs.CR'],
        journalRef: null,
        updated: '2021-04-20',
      });
      expect(rec.abstract).toMatch(/^What is the funniest number in cryptography\? 0\./);
    });

    it('reads 2026 old-style ids, affiliations aside, entities decoded', () => {
      const hepEx = only(parseAtomFeed(read(API, '2026_oldstyle_id_hep-ex_0406020v1.atom.xml')).records);
      expect(hepEx).toMatchObject({
        id: 'http://arxiv.org/abs/hep-ex/0406020v1',
        title: 'Sparticle Reconstruction at LHC',
        authors: ['Alessia Tricomi'],
        categories: ['hep-ex'],
        updated: '2004-06-07',
      });
      const astro = only(parseAtomFeed(read(API, '2026_oldstyle_id_astro-ph_0601001.atom.xml')).records);
      expect(astro).toMatchObject({
        id: 'http://arxiv.org/abs/astro-ph/0601001v1',
        authors: ['Andrew Gould', 'Susan Dorsher', 'B. Scott Gaudi', 'Andrzej Udalski'],
        categories: ['astro-ph'],
        journalRef: 'ActaAstron.56:1-50,2006',
        updated: '2006-01-02',
      });
      expect(astro.abstract).toContain('following Gould & Morgan (2003)');
      expect(astro.abstract).toContain('limit of V_max<17.5.');
    });

    it('reads an id_list answer that returned fewer entries than ids', () => {
      const feed = parseAtomFeed(read(API, '2026_id_list_two_ids.atom.xml'));
      expect(feed).toMatchObject({ totalResults: 1, startIndex: 0, itemsPerPage: 100, error: null });
      const rec = only(feed.records);
      expect(rec.id).toBe('http://arxiv.org/abs/1707.08567v1');
      expect(rec.authors).toHaveLength(34);
      expect(rec.authors!.slice(0, 2)).toEqual(['Kees A. Schouhamer Immink', 'Stan Baggen']);
      expect(rec.authors!.at(-1)).toBe('Hirosuke Yamamoto');
      expect(rec.categories).toEqual(['cs.IT']);
    });

    it('pages through all:testing: start 0 then start 10', () => {
      const first = parseAtomFeed(read(API, '2026_search_all_testing_start0_max10.atom.xml'));
      const second = parseAtomFeed(read(API, '2026_search_all_testing_start10_max10.atom.xml'));
      expect(first).toMatchObject({ totalResults: 214881, startIndex: 0, itemsPerPage: 10, error: null });
      expect(second).toMatchObject({ totalResults: 214881, startIndex: 10, itemsPerPage: 10, error: null });
      const a = records(first.records);
      const b = records(second.records);
      expect(a).toHaveLength(10);
      expect(b).toHaveLength(10);
      expect(a[0]).toMatchObject({
        id: 'http://arxiv.org/abs/2202.12139v1',
        title: 'Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques',
        authors: ['Mohit Kumar Ahuja', 'Arnaud Gotlieb', 'Helge Spieker'],
        categories: ['cs.SE', 'cs.LG'],
        updated: '2022-02-24',
      });
      expect(a[2]!.categories).toEqual(['cs.SE', 'cs.CR', 'cs.LG']);
      expect(a[4]!.title).toBe('ChatGPT and Software Testing Education: Promises & Perils');
      expect(b[0]!.id).toBe('http://arxiv.org/abs/2403.16981v2');
      expect(b.at(-1)!.id).toBe('http://arxiv.org/abs/2202.06271v1');
      // The pages do not overlap.
      expect(new Set([...a, ...b].map((r) => r.id)).size).toBe(20);
    });

    it('turns the HTTP 400 error feed into an error, never a paper', () => {
      const feed = parseAtomFeed(read(API, '2026_error_400_id_abc.atom.xml'));
      expect(feed).toEqual({ records: [], totalResults: 1, startIndex: 0, itemsPerPage: 1, error: 'incorrect id format for abc' });
    });

    it('refuses a truncated real response', () => {
      const xml = read(API, '2026_search_all_testing_start0_max10.atom.xml');
      expect(() => parseAtomFeed(xml.slice(0, Math.floor(xml.length / 2)))).toThrow(MalformedResponseError);
      expect(() => parseAtomFeed(xml.replace(/<\/feed>\s*$/, ''))).toThrow(/not well-formed XML/);
    });

    it('refuses OAI and RSS documents', () => {
      expect(() => parseAtomFeed(read(OAI, 'mikesaelim_GetRecordResponse.xml'))).toThrow(/expected an Atom <feed>, got <OAI-PMH>/);
      expect(() => parseAtomFeed(read(RSS, 'rss_cs.CV_2025-09-18_excerpt.xml'))).toThrow(/expected an Atom <feed>, got <rss> in no namespace/);
    });
  });

  it('rejects an entry without abstract, naming it, and keeps the others', () => {
    const feed = parseAtomFeed(FEED_WITH_BAD_ENTRY);
    expect(feed).toMatchObject({ totalResults: 3, startIndex: 0, itemsPerPage: 3, error: null });
    expect(feed.records).toHaveLength(3);
    expect(feed.records[1]).toEqual({ rejected: 'entry 2 (2401.01234v1): no abstract' });
    expect(feed.records[2]).toEqual({
      record: {
        id: 'http://arxiv.org/abs/2401.05678v3',
        version: null,
        title: 'Third',
        abstract: 'Fine.',
        authors: [],
        categories: ['cs.IR'],
        journalRef: 'J. Test 1 (2024)',
        updated: '2024-02-01',
      },
    });
  });

  it('reads an old-style id in the 2016 layout; decodes entities once; keeps LaTeX and wraps', () => {
    const rec = records(parseAtomFeed(FEED_WITH_BAD_ENTRY).records.slice(0, 1))[0]!;
    expect(rec).toEqual({
      id: 'http://arxiv.org/abs/hep-th/9901001v2',
      version: null,
      title: 'Old-style & <well> formed: café α &lt;kept&gt;',
      abstract: '  An abstract with $\\alpha$ and 50\\%\nwrapped.\n',
      authors: ['Jane Q. Public', 'John Doe'],
      // Primary first even when another <category> precedes it.
      categories: ['hep-th', 'gr-qc'],
      journalRef: null,
      updated: '1999-01-05',
    });
  });

  it('names every missing field, and the entry by number when it has no id', () => {
    const feed = parseAtomFeed(`<feed xmlns="http://www.w3.org/2005/Atom">
      <entry><title>T</title></entry>
      <entry><id> http://arxiv.org/abs/2401.00001v1 </id><title>  </title><summary>S</summary></entry>
    </feed>`);
    expect(feed.records).toEqual([{ rejected: 'entry 1: no id, no abstract' }, { rejected: 'entry 2 (2401.00001v1): no title' }]);
    expect(feed).toMatchObject({ totalResults: null, startIndex: null, itemsPerPage: null, error: null });
  });

  it('reads an empty page (past the end of the results)', () => {
    const feed = parseAtomFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">5</opensearch:totalResults></feed>`);
    expect(feed).toEqual({ records: [], totalResults: 5, startIndex: null, itemsPerPage: null, error: null });
  });

  it('does not take a paper titled "Error" for an error report', () => {
    const feed = parseAtomFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><entry>
      <id>http://arxiv.org/abs/2401.09999v1</id><title>Error</title><summary>On errors.</summary></entry></feed>`);
    expect(feed.error).toBeNull();
    expect(only(feed.records).title).toBe('Error');
  });

  it('ignores look-alike elements in other namespaces', () => {
    const feed = parseAtomFeed(`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="urn:other"><entry>
      <x:id>wrong</x:id><id>http://arxiv.org/abs/2401.00002v1</id><x:title>wrong</x:title><title>Right</title>
      <summary>S</summary><x:category term="wrong"/><category term="cs.AI"/></entry></feed>`);
    expect(only(feed.records)).toMatchObject({ id: 'http://arxiv.org/abs/2401.00002v1', title: 'Right', categories: ['cs.AI'] });
  });

  it.each([
    ['empty', '', /empty response/],
    ['JSON', '{"error":"rate limited"}', /not XML/],
    ['plain text', 'Rate exceeded.', /not XML/],
    ['HTML', HTML_PAGE, /not well-formed XML/],
    ['XHTML', XHTML_PAGE, /expected an Atom <feed>, got <html> in http:\/\/www.w3.org\/1999\/xhtml/],
    ['truncated', FEED_WITH_BAD_ENTRY.slice(0, 700), /not well-formed XML/],
    ['RSS', RSS_TWO_ITEMS, /expected an Atom <feed>/],
    ['Atom elements in no namespace', '<feed><entry><id>x</id></entry></feed>', /expected an Atom <feed>, got <feed> in no namespace/],
    ['two roots', '<feed xmlns="http://www.w3.org/2005/Atom"/><feed xmlns="http://www.w3.org/2005/Atom"/>', /more than one root/],
  ])('throws MalformedResponseError on %s', (_name, body, reason) => {
    expect(() => parseAtomFeed(body)).toThrow(MalformedResponseError);
    expect(() => parseAtomFeed(body)).toThrow(reason);
  });
});

describe('parseOaiResponse (OAI-PMH, arXivRaw)', () => {
  describe('real responses', () => {
    it('reads a ListRecords page: records, resumption token, completeListSize', () => {
      const page = parseOaiResponse(read(OAI, 'arXivRaw_ListRecords_from2014-10-01_trimmed6.xml'));
      expect(page.error).toBeNull();
      expect(page.resumptionToken).toBe('726959|1001');
      expect(page.completeListSize).toBe(58011);
      const recs = records(page.records);
      expect(recs.map((r) => [r.id, r.version, r.updated])).toEqual([
        ['0704.0471', 1, '2007-04-03'],
        ['0704.0716', 4, '2008-11-14'],
        ['0704.0874', 3, '2014-11-20'],
        ['0704.1109', 2, '2008-01-29'],
        ['0704.1114', 1, '2007-04-09'],
        ['0704.1586', 1, '2007-04-12'],
      ]);
      expect(recs[0]).toEqual({
        id: '0704.0471',
        version: 1,
        title: 'Density dependence of the symmetry energy and the nuclear equation of\n  state: A Dynamical and Statistical model perspective',
        abstract: expect.stringContaining('rules out an extremely " stiff " and " soft "\nform'),
        authors: ['D.V. Shetty', 'S.J. Yennello', 'G.A. Souliotis'],
        categories: ['nucl-ex', 'nucl-th'],
        journalRef: 'Phys.Rev.C76:024606,2007; Erratum-ibid.C76:039902,2007',
        updated: '2007-04-03',
      });
      expect(recs[0]!.abstract).toMatch(/^ {2}The density dependence/);
      expect(recs[1]).toMatchObject({ authors: ['Christoph Richard'], categories: ['math-ph', 'math.MP'] });
      expect(recs[1]!.journalRef).toBe('Polygons, polyominoes and polycubes, 247-299, Lecture Notes in\n  Phys., 775, Springer, Dordrecht, 2009');
      expect(recs[3]!.authors).toEqual(['Valeria M. Rosa', 'Patricio S. letelier']);
      expect(recs[5]).toMatchObject({ authors: ['N.C. Summers', 'F.M. Nunes'], title: 'Core excitation in the elastic scattering and breakup of $^{11}$Be on\n  protons' });
    });

    it('reads the re-indented litpuvn page: ids and token trimmed, text kept', () => {
      const page = parseOaiResponse(read(OAI, 'litpuvn_arXivRaw_ListRecords_2016-10-20_reformatted_trimmed3.xml'));
      expect(page).toMatchObject({ resumptionToken: '1403493|1001', completeListSize: 1440, error: null });
      const recs = records(page.records);
      expect(recs.map((r) => [r.id, r.version, r.updated, r.categories, r.authors])).toEqual([
        ['0803.4354', 6, '2016-10-20', ['cs.DM'], ['Moustapha Diaby']],
        ['0808.3386', 8, '2016-10-20', ['cs.DM', 'cs.CC'], ['Moustapha Diaby']],
        ['0910.4952', 2, '2016-10-20', ['quant-ph'], ['Maor Ganz']],
      ]);
      expect(recs[0]!.title!.replace(/\s+/g, ' ').trim()).toBe('A O(n^8) X O(n^7) Linear Programming Model of the Traveling Salesman Problem');
      expect(recs[2]!.title).toBe('Quantum Leader Election');
      expect(recs[2]!.abstract).toMatch(/^Leader election between n parties is known to be impossible classically\. This\n {24}work gives/);
    });

    it('reads a GetRecord response', () => {
      const page = parseOaiResponse(read(OAI, 'mikesaelim_GetRecordResponse.xml'));
      expect(page).toMatchObject({ resumptionToken: null, completeListSize: null, error: null });
      expect(only(page.records)).toEqual({
        id: '1302.2146',
        version: 2,
        title: 'The Same-Sign Dilepton Signature of RPV/MFV SUSY',
        abstract: expect.stringMatching(/^ {2}The lack of observation of superpartners[\s\S]*100 fb\^-1 data set\.\n$/),
        authors: ['Joshua Berger', 'Maxim Perelstein', 'Michael Saelim', 'Philip Tanedo'],
        categories: ['hep-ph', 'hep-ex'],
        journalRef: null,
        updated: '2013-04-02',
      });
    });

    it.each([
      ['mikesaelim_ErrorResponseBadArgument.xml', 'badArgument', "Verb 'ListRecords', illegal argument 'identifier'."],
      ['mikesaelim_ErrorResponseBadResumptionToken.xml', 'badResumptionToken', 'The resumptionToken supplied is illegal for this repository'],
      ['mikesaelim_ErrorResponseBadVerb.xml', 'badVerb', "Bad verb. Verb 'wah' not implemented."],
      [
        'mikesaelim_ErrorResponseIdDoesNotExist.xml',
        'idDoesNotExist',
        "Identifier 'oai:arXiv.org:0813.2274' has correct form but does not correspond to an item in this repository",
      ],
      ['mikesaelim_ErrorResponseNoRecordsMatch.xml', 'noRecordsMatch', "Set argument doesn't match any sets. The setSpec was 'moo'"],
    ])('reads the OAI error in %s', (file, code, message) => {
      expect(parseOaiResponse(read(OAI, file))).toEqual({ records: [], resumptionToken: null, completeListSize: null, error: { code, message } });
    });

    it('refuses an Atom feed and a truncated page', () => {
      expect(() => parseOaiResponse(read(API, '2026_error_400_id_abc.atom.xml'))).toThrow(/expected an OAI-PMH response, got <feed>/);
      const xml = read(OAI, 'arXivRaw_ListRecords_from2014-10-01_trimmed6.xml');
      expect(() => parseOaiResponse(xml.slice(0, xml.indexOf('<resumptionToken')))).toThrow(MalformedResponseError);
    });
  });

  it('reads the last page (empty token), splits author lists, skips deleted records', () => {
    const page = parseOaiResponse(
      oaiPage(
        rawRecord(
          '2501.00001',
          `<raw:version version="v2"><raw:date>Sat, 4 Jan 2025 09:00:00 GMT</raw:date></raw:version><raw:version version="v10"><raw:date>Mon, 3 Feb 2025 23:59:59 GMT</raw:date></raw:version><raw:version version="v1"><raw:date>Wed, 1 Jan 2025 00:00:00 GMT</raw:date></raw:version>
          <raw:title>T</raw:title><raw:abstract>A</raw:abstract>
          <raw:authors>A. One (MIT), B. Two and
  C. Three ((1) CERN, (2) DESY), D. {van and der} Four</raw:authors><raw:categories>cs.CL  cs.AI
 cs.CL</raw:categories>`,
        ) +
          `<record><header status="deleted"><identifier>oai:arXiv.org:2501.00002</identifier><datestamp>2025-01-02</datestamp></header></record>` +
          rawRecord('2501.00003', `<raw:title>No abstract</raw:title>`),
        `<resumptionToken cursor="1000" completeListSize="1003"/>`,
      ),
    );
    expect(page).toMatchObject({ resumptionToken: null, completeListSize: 1003, error: null });
    expect(page.records).toEqual([
      {
        record: {
          id: '2501.00001',
          version: 10,
          title: 'T',
          abstract: 'A',
          authors: ['A. One', 'B. Two', 'C. Three', 'D. {van and der} Four'],
          categories: ['cs.CL', 'cs.AI'],
          journalRef: null,
          updated: '2025-02-03',
        },
      },
      { rejected: 'record 2 (oai:arXiv.org:2501.00002): deleted' },
      { rejected: 'record 3 (2501.00003): no abstract' },
    ]);
  });

  it('refuses a response that is neither records nor an error (Identify)', () => {
    expect(() =>
      parseOaiResponse(`<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><Identify><repositoryName>arXiv</repositoryName></Identify></OAI-PMH>`),
    ).toThrow(/neither ListRecords, GetRecord nor an error/);
    expect(() => parseOaiResponse(HTML_PAGE)).toThrow(MalformedResponseError);
  });
});

describe('parseRssFeed (arXiv RSS)', () => {
  describe('real excerpt', () => {
    it('reads the cs.CV item: id and version from the description, abstract after "Abstract: "', () => {
      const rec = only(parseRssFeed(read(RSS, 'rss_cs.CV_2025-09-18_excerpt.xml')).records);
      expect(rec).toMatchObject({
        id: '2509.13338',
        version: 1,
        title: 'Proximity-Based Evidence Retrieval for Uncertainty-Aware Neural Networks',
        announceType: 'new',
        // The excerpt lost the item's category, pubDate and dc:creator children.
        authors: [],
        categories: [],
        updated: null,
      });
      expect(rec.abstract).toMatch(/^This work proposes an evidence-retrieval mechanism/);
      expect(rec.abstract).toMatch(/These results indicate that evid\.\.\.$/);
    });
  });

  it('reads two items, announce types new and replace', () => {
    const feed = parseRssFeed(RSS_TWO_ITEMS);
    expect(records(feed.records)).toEqual([
      {
        id: '2509.13338',
        version: 1,
        title: 'Proximity-Based Evidence Retrieval for Uncertainty-Aware Neural Networks',
        abstract: 'This work proposes an evidence-retrieval mechanism for $k$-NN & friends.',
        authors: ['Hassan Gharoun', 'Mohammad Sadegh Khorshidi', 'Kasra Ranjbarigderi', 'Fang Chen', 'Amir H. Gandomi'],
        categories: ['cs.CV', 'cs.AI'],
        journalRef: null,
        announceType: 'new',
        updated: '2025-09-18',
      },
      {
        id: '2403.01234',
        version: 3,
        title: 'An older paper, revised',
        abstract: 'We revise our earlier claims.\nSecond line.',
        authors: ['Ana Souza', 'Li Wei'],
        categories: ['cs.LG', 'cs.CV'],
        journalRef: 'Proc. CVPR 2025, pp. 1-10',
        announceType: 'replace',
        updated: '2025-09-18',
      },
    ]);
  });

  it('falls back to the link for the id, and rejects an item without abstract', () => {
    const feed = parseRssFeed(`<rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom"><channel>
      <item><title>T</title><link>https://arxiv.org/abs/hep-th/9901001</link><description>Abstract: Old paper.</description><arxiv:announce_type>replace-cross</arxiv:announce_type></item>
      <item><title>T2</title><link>https://arxiv.org/abs/2509.00002</link><description>arXiv:2509.00002v2 Announce Type: cross</description></item>
    </channel></rss>`);
    expect(feed.records[0]).toEqual({
      record: expect.objectContaining({ id: 'hep-th/9901001', version: null, abstract: 'Old paper.', announceType: 'replace-cross' }),
    });
    expect(feed.records[1]).toEqual({ rejected: 'item 2 (2509.00002): no abstract' });
  });

  it('reads an empty channel (weekend) as no records', () => {
    expect(parseRssFeed(`<rss version="2.0"><channel><title>cs.CV updates on arXiv.org</title></channel></rss>`)).toEqual({ records: [] });
  });

  it('refuses Atom, HTML and truncated feeds', () => {
    expect(() => parseRssFeed(FEED_WITH_BAD_ENTRY)).toThrow(/expected an RSS <rss>, got <feed> in http:\/\/www.w3.org\/2005\/Atom/);
    expect(() => parseRssFeed(HTML_PAGE)).toThrow(MalformedResponseError);
    expect(() => parseRssFeed(RSS_TWO_ITEMS.slice(0, RSS_TWO_ITEMS.indexOf('</item>')))).toThrow(/not well-formed XML/);
  });
});

describe('parseSnapshotLine (arXiv metadata snapshot)', () => {
  describe('real lines', () => {
    const lines = () => read(SNAPSHOT, 'arxiv-metadata-oai-snapshot.head12.jsonl').trimEnd().split('\n');

    it('reads the first line: authors_parsed (accents resolved), last version, update_date', () => {
      const parsed = parseSnapshotLine(lines()[0]!, 1);
      expect(parsed).toEqual({
        record: {
          id: '0704.0001',
          version: 2,
          title: 'Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies',
          abstract: expect.stringMatching(/^ {2}A fully differential calculation in perturbative quantum chromodynamics is\npresented/),
          authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C. -P. Yuan'],
          categories: ['hep-ph'],
          journalRef: 'Phys.Rev.D76:013009,2007',
          updated: '2008-11-26',
        },
      });
    });

    it('reads all twelve lines', () => {
      const recs = records(lines().map((line, i) => parseSnapshotLine(line, i + 1)));
      expect(recs.map((r) => r.id)).toEqual(Array.from({ length: 12 }, (_, i) => `0704.${String(i + 1).padStart(4, '0')}`));
      expect(recs.map((r) => r.version)).toEqual([2, 2, 3, 1, 1, 1, 2, 3, 1, 1, 3, 1]);
      expect(recs[1]).toMatchObject({ authors: ['Ileana Streinu', 'Louis Theran'], categories: ['math.CO', 'cs.CG'], journalRef: null });
      expect(recs[1]!.abstract).toContain('the $(k,\\ell)$-pebble game with colors');
      expect(recs[8]!.authors).toEqual([
        'Paul Harvey',
        'Bruno Merin',
        'Tracy L. Huard',
        'Luisa M. Rebull',
        'Nicholas Chapman',
        'Neal J. Evans II',
        'Philip C. Myers',
      ]);
      expect(recs[10]!.categories).toEqual(['math.NT', 'math.AG']);
    });
  });

  it('builds "first last suffix" from authors_parsed, not the TeX author string', () => {
    expect(parseSnapshotLine(SNAPSHOT_ACCENTS, 7)).toEqual({
      record: {
        id: '0801.0042',
        version: 2,
        title: 'On $\\mathbb{Z}_2$ things\n  and others',
        abstract: '  We show.\n',
        authors: ['Jörg Müller', 'François Dupont Jr.', 'Éric Le Gall'],
        categories: ['math.AG', 'math.NT'],
        journalRef: 'Ann. Test. 7 (2009) 1-2',
        updated: '2009-05-06',
      },
    });
  });

  it('splits the authors string when authors_parsed is missing', () => {
    const line = JSON.parse(SNAPSHOT_ACCENTS) as Record<string, unknown>;
    delete line.authors_parsed;
    const parsed = parseSnapshotLine(JSON.stringify(line), 7);
    expect('record' in parsed && parsed.record.authors).toEqual(['J\\"org M\\"uller', 'Fran\\c{c}ois Dupont Jr.', "\\'Eric Le Gall"]);
  });

  it('rejects invalid JSON, non-objects and records without abstract, naming the line', () => {
    expect(parseSnapshotLine('{"id": "0704.0001", "title": ', 3)).toEqual({ rejected: expect.stringMatching(/^line 3: not valid JSON \(/) });
    expect(parseSnapshotLine('[1, 2]', 4)).toEqual({ rejected: 'line 4: not a JSON object' });
    expect(parseSnapshotLine(JSON.stringify({ id: '0704.0009', title: 'T', abstract: null }), 9)).toEqual({ rejected: 'line 9 (0704.0009): no abstract' });
    // A numeric id has lost its leading zero already: refused, not guessed at.
    expect(parseSnapshotLine('{"id": 704.0001, "title": "T", "abstract": "A"}', 1)).toEqual({ rejected: 'line 1: no id' });
  });
});
