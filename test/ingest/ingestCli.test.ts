import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/loadCorpus.js';
import { openPaperIndex } from '../../src/search/openIndex.js';
import { seedPapers, tempDir, writeCorpus } from '../support/corpus.js';
import { FakeArxiv, type FakePaper } from '../support/fakeArxiv.js';

const BIN = resolve(import.meta.dirname, '../../src/cli/paperbot.mjs');
const SHARED = resolve(import.meta.dirname, '../../../shared/formats');
const fakes: FakeArxiv[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.stop();
});

function paper(n: number, extra: Partial<FakePaper> = {}): FakePaper {
  const id = `2401.${String(n).padStart(5, '0')}`;
  return {
    id, version: 1, title: `Sparse mixture of experts number ${n}`, abstract: `We study routing in sparse expert models, variant ${n}.`,
    authors: ['Ada Lovelace', 'Alan Turing'], categories: ['cs.LG'], published: '2024-01-02T10:00:00Z', ...extra,
  };
}

async function startArxiv(papers: FakePaper[]) {
  const fake = await FakeArxiv.start();
  fake.papers = papers;
  fakes.push(fake);
  return fake;
}

/** Run `paperbot ingest …` in a child process (asynchronously: the fake answers from this process). */
function ingest(fake: FakeArxiv, corpusDir: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, 'ingest', ...args, '--corpus', corpusDir], {
    env: { ...process.env, ARXIV_API_URL: fake.apiUrl, ARXIV_OAI_URL: fake.oaiUrl, ARXIV_RSS_URL: fake.rssUrl, ARXIV_REQUEST_INTERVAL_MS: '0', PAPERBOT_DATA_DIR: join(corpusDir, '..', 'data'), ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((r) => child.on('exit', (code) => r({ code, stdout, stderr })));
  return Object.assign(done, { child });
}

const corpusBytes = (dir: string) => readFileSync(join(dir, 'papers.jsonl'), 'utf8');

describe('paperbot ingest arxiv', () => {
  it('GIVEN a query THEN pages through the API to --max, adds the papers and rebuilds the index', async () => {
    const fake = await startArxiv(Array.from({ length: 250 }, (_, i) => paper(i + 1)));
    const corpusDir = writeCorpus(seedPapers());
    const result = await ingest(fake, corpusDir, ['arxiv', '--query', 'cat:cs.LG AND abs:routing', '--max', '230']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ingest arxiv --query "cat:cs\.LG AND abs:routing": read 230, added 230, updated 0, unchanged 0, skipped 0, rejected 0 in [\d.]+ s; the corpus holds 240 papers$/m);
    const starts = fake.requests.map((r) => [r.query.get('start'), r.query.get('max_results')]);
    expect(starts).toEqual([['0', '100'], ['100', '100'], ['200', '30']]);
    const index = openPaperIndex({ corpusDir, dataDir: join(corpusDir, '..', 'data'), build: false });
    expect(index).not.toBeNull(); // the saved index already matches the new corpus
    expect(index!.search('sparse expert routing').hits[0]!.paper.id).toMatch(/^2401\./);
  });

  it('GIVEN --ids THEN a newer version replaces the older record, old-style ids included', async () => {
    const fake = await startArxiv([paper(1, { version: 2, title: 'Revised title' }), paper(0, { id: 'hep-th/9901001', title: 'Strings', categories: ['hep-th'], published: '1999-01-04T00:00:00Z' })]);
    const corpusDir = writeCorpus([{ ...seedPapers()[0]!, id: '2401.00001', version: 1, title: 'Old title' }]);
    const result = await ingest(fake, corpusDir, ['arxiv', '--ids', '2401.00001,hep-th/9901001']);
    expect(result.stdout).toMatch(/read 2, added 1, updated 1,/);
    const papers = loadCorpus(corpusDir).papers;
    expect(papers.map((p) => [p.id, p.version, p.title, p.year])).toEqual([
      ['2401.00001', 2, 'Revised title', 2024],
      ['hep-th/9901001', 1, 'Strings', 1999],
    ]);
  });

  it('GIVEN --newest THEN asks for the latest submissions first', async () => {
    const fake = await startArxiv([paper(1)]);
    expect((await ingest(fake, writeCorpus(seedPapers()), ['arxiv', '--query', 'routing', '--newest'])).code).toBe(0);
    expect([fake.requests[0]!.query.get('sortBy'), fake.requests[0]!.query.get('sortOrder')]).toEqual(['submittedDate', 'descending']);
  });

  it('GIVEN a 503 with Retry-After THEN waits and carries on', async () => {
    const fake = await startArxiv([paper(1)]);
    fake.respondNext(1, { status: 503, headers: { 'retry-after': '0' }, body: 'busy' });
    const corpusDir = writeCorpus(seedPapers());
    const result = await ingest(fake, corpusDir, ['arxiv', '--query', 'routing']);
    expect(result.code).toBe(0);
    expect(fake.requests).toHaveLength(2);
    expect(result.stdout).toMatch(/added 1,/);
  });

  it.each([
    ['the API error feed (HTTP 400)', (f: FakeArxiv) => f, ['arxiv', '--ids', 'abc'], /refused the request \(HTTP 400\): incorrect id format for abc/],
    ['truncated XML', (f: FakeArxiv) => (f.respondNext(1, { status: 200, body: '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.00001v1</id>' }), f), ['arxiv', '--query', 'routing'], /malformed response/],
    ['an HTML page', (f: FakeArxiv) => (f.respondNext(1, { status: 200, body: '<!doctype html><html><body>Maintenance</body></html>' }), f), ['arxiv', '--query', 'routing'], /malformed response/],
    ['a connection dropped every time', (f: FakeArxiv) => (f.dropNext(10), f), ['arxiv', '--query', 'routing'], /after 4 attempts/],
  ])('GIVEN %s THEN fails with exit 1 and leaves corpus and index as they were', async (_, arrange, args, message) => {
    const fake = arrange(await startArxiv([paper(1)]));
    const corpusDir = writeCorpus(seedPapers());
    const before = corpusBytes(corpusDir);
    const result = await ingest(fake, corpusDir, args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^paperbot: ingest failed, the corpus is unchanged: /);
    expect(result.stderr).toMatch(message);
    expect(corpusBytes(corpusDir)).toBe(before);
    expect(readdirSync(corpusDir).sort()).toEqual(['papers.jsonl']);
  });

  it('GIVEN records without abstract or with a 10 MB abstract THEN rejects them with reasons and keeps the others', async () => {
    const fake = await startArxiv([paper(1), paper(2, { abstract: 'x'.repeat(10_000_000) }), paper(3)]);
    const corpusDir = writeCorpus(seedPapers());
    const result = await ingest(fake, corpusDir, ['arxiv', '--ids', '2401.00001,2401.00002,2401.00003']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/added 2, .* rejected 1 \(1 abstract longer than N characters\)/);
    expect(result.stdout).toMatch(/rejected: 2401\.00002: abstract longer than 20,000 characters/);
  });
});

describe('paperbot ingest oai', () => {
  it('GIVEN a set and dates THEN follows the resumption tokens to the end', async () => {
    const fake = await startArxiv(Array.from({ length: 5 }, (_, i) => paper(i + 1, { categories: ['cs.CV'], published: '2026-11-02T00:00:00Z' })));
    const corpusDir = writeCorpus(seedPapers());
    const result = await ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 5, added 5,/);
    expect(fake.requests.map((r) => r.query.has('resumptionToken'))).toEqual([false, true, true]);
  });

  it('GIVEN kill -9 after the first page THEN the corpus is unchanged, and the rerun resumes from the saved token', async () => {
    const fake = await startArxiv(Array.from({ length: 6 }, (_, i) => paper(i + 1, { categories: ['cs.CV'], published: '2026-11-02T00:00:00Z' })));
    const corpusDir = writeCorpus(seedPapers());
    const before = corpusBytes(corpusDir);
    const stateDir = join(corpusDir, '..', 'data', 'ingest');
    // 2 s between requests: time to kill it after page 1 is saved, before page 2 is asked for.
    const run = ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01'], { ARXIV_REQUEST_INTERVAL_MS: '2000' });
    const deadline = Date.now() + 10_000;
    while (!(existsSync(stateDir) && readdirSync(stateDir).some((f) => /^oai-\w+\.json$/.test(f))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    run.child.kill('SIGKILL');
    await run;
    expect(fake.requests).toHaveLength(1);
    expect(corpusBytes(corpusDir)).toBe(before);
    expect(loadCorpus(corpusDir).papers).toHaveLength(10);

    const rerun = await ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/read 6, added 6,/);
    expect(fake.requests.slice(1).map((r) => r.query.has('resumptionToken'))).toEqual([true, true]);
    expect(readdirSync(stateDir)).toEqual([]); // checkpoint (token and records) gone once committed
    expect(loadCorpus(corpusDir).papers).toHaveLength(16);
  }, 30_000);

  it('GIVEN a saved token the server no longer knows THEN starts over, and nothing is doubled', async () => {
    const fake = await startArxiv(Array.from({ length: 4 }, (_, i) => paper(i + 1, { categories: ['cs.CV'], published: '2026-11-02T00:00:00Z' })));
    const corpusDir = writeCorpus(seedPapers());
    const stateDir = join(corpusDir, '..', 'data', 'ingest');
    const run = ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01'], { ARXIV_REQUEST_INTERVAL_MS: '2000' });
    const saved = () => (existsSync(stateDir) ? readdirSync(stateDir).find((f) => /^oai-\w+\.json$/.test(f)) : undefined);
    while (saved() === undefined) await new Promise((r) => setTimeout(r, 20));
    run.child.kill('SIGKILL');
    await run;
    writeFileSync(join(stateDir, saved()!), JSON.stringify({ token: 'expired-token' }));
    const rerun = await ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01']);
    expect(rerun.code).toBe(0);
    expect(fake.requests.slice(1).map((r) => r.query.get('resumptionToken') ?? 'fresh')).toEqual(['expired-token', 'fresh', expect.any(String)]);
    expect(loadCorpus(corpusDir).papers).toHaveLength(14);
  }, 30_000);

  it.each([
    [['oai', '--set', 'cs', '--from', '2030-01-01'], 0, /read 0, added 0/],
    [['oai', '--set', 'cs', '--from', '2026-13-45'], 2, /--from YYYY-MM-DD/],
  ])('GIVEN %j THEN exit %i', async (args, code, message) => {
    const fake = await startArxiv([paper(1, { categories: ['cs.CV'] })]);
    const result = await ingest(fake, writeCorpus(seedPapers()), args);
    expect(result.code).toBe(code);
    expect(result.stdout + result.stderr).toMatch(message);
  });
});

describe('paperbot ingest rss', () => {
  it('GIVEN new, cross and replace items THEN adds new and cross, updates on replace, skips a replace of an unknown paper', async () => {
    const fake = await startArxiv([
      paper(1, { categories: ['cs.CV'], announceType: 'new' }),
      paper(2, { categories: ['cs.LG', 'cs.CV'], announceType: 'cross' }),
      paper(3, { categories: ['cs.CV'], version: 3, title: 'Known paper, revised', announceType: 'replace' }),
      paper(4, { categories: ['cs.CV'], version: 2, announceType: 'replace' }),
    ]);
    const corpusDir = writeCorpus([{ ...seedPapers()[0]!, id: '2401.00003', version: 1 }]);
    const result = await ingest(fake, corpusDir, ['rss', 'cs.CV']);
    expect(result.code).toBe(0);
    expect(fake.requests[0]!.path).toBe('/rss/cs.CV');
    expect(result.stdout).toMatch(/read 4, added 2, updated 1, unchanged 0, skipped 1, rejected 0/);
    const byId = new Map(loadCorpus(corpusDir).papers.map((p) => [p.id, p]));
    expect([...byId.keys()].sort()).toEqual(['2401.00001', '2401.00002', '2401.00003']);
    expect(byId.get('2401.00003')).toMatchObject({ version: 3, title: 'Known paper, revised' });
  });

  it('GIVEN the same paper from the API, OAI and RSS THEN the corpus holds it once', async () => {
    const fake = await startArxiv([paper(7, { categories: ['cs.CV'], published: '2026-11-02T00:00:00Z', announceType: 'new' })]);
    const corpusDir = writeCorpus(seedPapers());
    for (const args of [['arxiv', '--ids', '2401.00007'], ['oai', '--set', 'cs', '--from', '2026-11-01'], ['rss', 'cs.CV']]) {
      expect((await ingest(fake, corpusDir, args)).code).toBe(0);
    }
    expect(loadCorpus(corpusDir).papers.filter((p) => p.id === '2401.00007')).toHaveLength(1);
    expect(loadCorpus(corpusDir).papers).toHaveLength(11);
  });
});

describe('paperbot ingest file', () => {
  it('GIVEN corpus-format JSON lines and a JSON array THEN adds them; a broken line is rejected with file and line', async () => {
    const fake = await startArxiv([]);
    const corpusDir = writeCorpus(seedPapers().slice(0, 2));
    const lines = join(tempDir(), 'more.jsonl');
    writeFileSync(lines, [JSON.stringify(seedPapers()[2]), '{"id": "2401.99999"}', JSON.stringify(seedPapers()[0])].join('\n'));
    const first = await ingest(fake, corpusDir, ['file', lines]);
    expect(first.stdout).toMatch(/read 3, added 1, updated 0, unchanged 1, skipped 0, rejected 1/);
    expect(first.stdout).toMatch(/rejected: .*more\.jsonl:2: field "version": is missing/);
    const array = join(tempDir(), 'papers.json');
    writeFileSync(array, JSON.stringify(seedPapers().slice(3, 5)));
    expect((await ingest(fake, corpusDir, ['file', array])).stdout).toMatch(/added 2,/);
    expect(loadCorpus(corpusDir).papers).toHaveLength(5);
  });

  it('GIVEN snapshot lines THEN filters by --category and --since, versions and authors_parsed taken', async () => {
    const fake = await startArxiv([]);
    const corpusDir = writeCorpus(seedPapers().slice(0, 1));
    const snapshot = join(tempDir(), 'snapshot.jsonl');
    const line = (id: string, categories: string, update: string, versions = 1) =>
      JSON.stringify({
        id, submitter: 'X', authors: "C. Bal\\'azs, E. L. Berger", title: `Paper ${id}\n  wrapped`, comments: null, 'journal-ref': null, doi: null, 'report-no': null,
        categories, license: null, abstract: `  Abstract of ${id}.\n`, versions: Array.from({ length: versions }, (_, i) => ({ version: `v${i + 1}`, created: 'Mon, 2 Apr 2007 19:18:42 GMT' })),
        update_date: update, authors_parsed: [['Balázs', 'C.', ''], ['Berger', 'E. L.', '']],
      });
    writeFileSync(snapshot, [line('2403.00001', 'cs.CV cs.LG', '2024-03-05', 2), line('2403.00002', 'hep-th', '2024-03-05'), line('2203.00003', 'cs.CV', '2022-03-05'), 'not json'].join('\n'));
    const result = await ingest(fake, corpusDir, ['file', snapshot, '--category', 'cs', '--since', '2024-01-01']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 2, added 1, .* rejected 1/);
    const added = loadCorpus(corpusDir).papers.find((p) => p.id === '2403.00001')!;
    expect(added).toMatchObject({ version: 2, authors: ['C. Balázs', 'E. L. Berger'], title: 'Paper 2403.00001\n  wrapped', categories: ['cs.CV', 'cs.LG'], year: 2024 });
  });

  it.skipIf(!existsSync(join(SHARED, 'kaggle_arxiv_snapshot')))('GIVEN the real snapshot head THEN ingests its papers, old and new style', async () => {
    const fake = await startArxiv([]);
    const corpusDir = join(tempDir(), 'empty-corpus');
    const result = await ingest(fake, corpusDir, ['file', join(SHARED, 'kaggle_arxiv_snapshot', 'arxiv-metadata-oai-snapshot.head12.jsonl')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 12, added 12,/);
    expect(loadCorpus(corpusDir).papers[0]).toMatchObject({ id: '0704.0001', year: 2007 });
  });
});
