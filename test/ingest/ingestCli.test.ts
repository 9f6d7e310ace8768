import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.js';
import { libraryFile, openLibrary } from '../../src/library/openLibrary.js';
import { SqliteLibrary } from '../../src/library/SqliteLibrary.js';
import { openSearch } from '../../src/search/openSearch.js';
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

/** The data folder the CLI runs of a test use: beside the corpus folder. */
const dataDirOf = (corpusDir: string) => join(corpusDir, '..', 'data');
const locationOf = (corpusDir: string) => ({ corpusDir, dataDir: dataDirOf(corpusDir) });

/** Run `paperbot …` in a child process (asynchronously: a fake arXiv answers from this process). */
function paperbot(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((r) => child.on('exit', (code) => r({ code, stdout, stderr })));
  return Object.assign(done, { child });
}

/** Run `paperbot ingest …` against the fake arXiv. */
function ingest(fake: FakeArxiv, corpusDir: string, args: string[], env: Record<string, string> = {}) {
  return paperbot(['ingest', ...args, '--corpus', corpusDir], {
    ARXIV_API_URL: fake.apiUrl, ARXIV_OAI_URL: fake.oaiUrl, ARXIV_RSS_URL: fake.rssUrl, ARXIV_REQUEST_INTERVAL_MS: '0', PAPERBOT_DATA_DIR: dataDirOf(corpusDir), ...env,
  });
}

/** An OAI harvest of `count` papers (2 a page) killed once its first page is saved: 2 s between requests leave time for that. */
async function harvestKilledAfterPage1(count: number) {
  const fake = await startArxiv(Array.from({ length: count }, (_, i) => paper(i + 1, { categories: ['cs.CV'], published: '2026-11-02T00:00:00Z' })));
  const corpusDir = writeCorpus(seedPapers());
  const stateDir = join(dataDirOf(corpusDir), 'ingest');
  const run = ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01'], { ARXIV_REQUEST_INTERVAL_MS: '2000' });
  const saved = () => (existsSync(stateDir) ? readdirSync(stateDir).find((f) => /^oai-\w+\.json$/.test(f)) : undefined);
  while (saved() === undefined) await new Promise((r) => setTimeout(r, 20));
  run.child.kill('SIGKILL');
  await run;
  return { fake, corpusDir, tokenFile: join(stateDir, saved()!) };
}

/** What `paperbot export` prints for the corpus folder: the library's papers. */
async function exported(corpusDir: string): Promise<Paper[]> {
  const result = await paperbot(['export', '--corpus', corpusDir], { PAPERBOT_DATA_DIR: dataDirOf(corpusDir) });
  expect(result.code).toBe(0);
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Paper);
}

/** What the library file holds, read by a connection of this process: its generation and every paper, by id. */
function libraryState(corpusDir: string): { generation: number; papers: Paper[] } {
  const library = SqliteLibrary.open(libraryFile(locationOf(corpusDir)));
  try {
    return { generation: library.generation(), papers: [...library.scan()].map((p) => p.paper).sort((a, b) => a.id.localeCompare(b.id)) };
  } finally {
    library.close();
  }
}
const libraryPapers = (corpusDir: string) => libraryState(corpusDir).papers;

/** Open the library as any start does (reading the corpus files into it), and return its state. */
function openedLibraryState(corpusDir: string) {
  openLibrary(locationOf(corpusDir)).library.close();
  return libraryState(corpusDir);
}

/** Every file of the data folder's indexes, with its size and modification time. */
function indexFiles(corpusDir: string): string[] {
  const root = join(dataDirOf(corpusDir), 'indexes');
  return (readdirSync(root, { recursive: true }) as string[])
    .map((f) => join(root, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => `${relative(root, f)} ${statSync(f).size} ${statSync(f).mtimeMs}`)
    .sort();
}

const corpusBytes = (dir: string) => readFileSync(join(dir, 'papers.jsonl'), 'utf8');
const lockOf = (corpusDir: string) => `${libraryFile(locationOf(corpusDir))}.ingest.lock`;

describe('paperbot ingest --help', { timeout: 30_000 }, () => {
  it.each([
    [['ingest', '--help'], /^Usage: paperbot ingest <arxiv\|oai\|rss\|file> \[options\]\n[^]*ingest file --help/],
    [['ingest', '-h'], /^Usage: paperbot ingest <arxiv\|oai\|rss\|file> \[options\]\n/],
    [['ingest', 'arxiv', '--help'], /^Usage: paperbot ingest arxiv --query "<search>" \[--max N\] \[--newest\] \| --ids ID,ID\n[^]*--max N[^]*--newest[^]*--corpus DIR[^]*--json/],
    [['ingest', 'oai', '--help'], /^Usage: paperbot ingest oai --set SET --from YYYY-MM-DD[^]*--max-pages N[^]*ARXIV_OAI_MAX_PAGES[^]*10,000/],
    [['ingest', 'rss', '-h'], /^Usage: paperbot ingest rss CAT\+CAT\n/],
    [['ingest', 'file', '--help'], /^Usage: paperbot ingest file PATH[^]*--category C[^]*--since YYYY-MM-DD[^]*--fill-authors NAME/],
    [['ingest', 'file', 'papers.jsonl', '--since', 'junk', '--help'], /^Usage: paperbot ingest file PATH/],
  ])('GIVEN %j THEN prints that usage on stdout and exits 0, touching nothing', async (args, usage) => {
    const dataDir = join(tempDir(), 'data');
    const result = await paperbot(args, { ARXIV_API_URL: 'not a url', PAPERBOT_DATA_DIR: dataDir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(usage);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('paperbot ingest arxiv', { timeout: 30_000 }, () => {
  it('GIVEN a query THEN pages through the API to --max, adds the papers to the library and updates the index', async () => {
    const fake = await startArxiv(Array.from({ length: 250 }, (_, i) => paper(i + 1)));
    const corpusDir = writeCorpus(seedPapers());
    const shipped = corpusBytes(corpusDir);
    const result = await ingest(fake, corpusDir, ['arxiv', '--query', 'cat:cs.LG AND abs:routing', '--max', '230']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ingest arxiv --query "cat:cs\.LG AND abs:routing": read 230, added 230, updated 0, unchanged 0, skipped 0, rejected 0 in [\d.]+ s; the library holds 240 papers; index: .*\bindexed 240 papers\b.*$/m);
    const starts = fake.requests.map((r) => [r.query.get('start'), r.query.get('max_results')]);
    expect(starts).toEqual([['0', '100'], ['100', '100'], ['200', '30']]);
    expect(corpusBytes(corpusDir)).toBe(shipped); // the ingest wrote into the library only
    expect(libraryPapers(corpusDir).filter((p) => p.id.startsWith('2401.'))).toHaveLength(230);
    const search = openSearch({ ...locationOf(corpusDir), build: false });
    expect(search).not.toBeNull(); // the saved index already matches the new library
    try {
      expect(search!.titles().reused).toBe(true); // and so does the title index
      expect(search!.search('sparse expert routing').hits[0]!.paper.id).toMatch(/^2401\./);
    } finally {
      search!.library.close();
    }
    const stats = await paperbot(['stats', '--json', '--corpus', corpusDir], { PAPERBOT_DATA_DIR: dataDirOf(corpusDir) });
    expect(JSON.parse(stats.stdout)).toMatchObject({ papers: 240, indexReused: true });
  });

  it('GIVEN pages shorter than asked THEN pages on by the records received until --max', async () => {
    const fake = await startArxiv(Array.from({ length: 40 }, (_, i) => paper(i + 1)));
    fake.shortPages([10, 3]);
    const corpusDir = writeCorpus(seedPapers());
    const result = await ingest(fake, corpusDir, ['arxiv', '--query', 'routing', '--max', '15']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 15, added 15,/);
    expect(fake.requests.map((r) => [r.query.get('start'), r.query.get('max_results')])).toEqual([['0', '15'], ['10', '5'], ['13', '2']]);
    expect(libraryPapers(corpusDir).filter((p) => p.id.startsWith('2401.'))).toHaveLength(15);
  });

  it('GIVEN an empty page before totalResults THEN asks for it once more and carries on', async () => {
    const fake = await startArxiv(Array.from({ length: 40 }, (_, i) => paper(i + 1)));
    fake.shortPages([10, 0]);
    const corpusDir = writeCorpus(seedPapers());
    const result = await ingest(fake, corpusDir, ['arxiv', '--query', 'routing', '--max', '20']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 20, added 20,/);
    expect(result.stdout).not.toMatch(/stopped/);
    expect(fake.requests.map((r) => r.query.get('start'))).toEqual(['0', '10', '10']);
  });

  it('GIVEN an empty page twice before totalResults THEN stops with what it has and says so', async () => {
    const fake = await startArxiv(Array.from({ length: 40 }, (_, i) => paper(i + 1)));
    fake.shortPages([10, 0, 0]);
    const corpusDir = writeCorpus(seedPapers());
    const result = await ingest(fake, corpusDir, ['arxiv', '--query', 'routing', '--max', '20']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 10, added 10,/);
    expect(result.stdout).toMatch(/stopped at 10 of 40 results: the arXiv API sent an empty page twice at start=10/);
    expect(fake.requests.map((r) => r.query.get('start'))).toEqual(['0', '10', '10']);
    const json = await ingest(fake, writeCorpus(seedPapers()), ['arxiv', '--query', 'routing', '--max', '20', '--json'], {});
    expect(JSON.parse(json.stdout)).toMatchObject({ read: 20, notes: [] }); // shortPages used up: the whole page came
    expect(libraryPapers(corpusDir).filter((p) => p.id.startsWith('2401.'))).toHaveLength(10);
  });

  it('GIVEN --ids THEN a newer version replaces the older record, old-style ids included', async () => {
    const fake = await startArxiv([paper(1, { version: 2, title: 'Revised title' }), paper(0, { id: 'hep-th/9901001', title: 'Strings', categories: ['hep-th'], published: '1999-01-04T00:00:00Z' })]);
    const corpusDir = writeCorpus([{ ...seedPapers()[0]!, id: '2401.00001', version: 1, title: 'Old title' }]);
    const result = await ingest(fake, corpusDir, ['arxiv', '--ids', '2401.00001,hep-th/9901001']);
    expect(result.stdout).toMatch(/read 2, added 1, updated 1,/);
    const papers = (await exported(corpusDir)).sort((a, b) => a.id.localeCompare(b.id));
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
    expect(libraryPapers(corpusDir).map((p) => p.id)).toContain('2401.00001');
  });

  it('GIVEN a response over ARXIV_MAX_RESPONSE_MB THEN exit 1 naming the URL and the limit, and the library is unchanged; GIVEN a bad limit THEN exit 2 naming the variable', async () => {
    const fake = await startArxiv([paper(1)]);
    fake.respondNext(1, { status: 200, headers: {}, body: `<feed>${'x'.repeat(1_200_000)}</feed>` });
    const corpusDir = writeCorpus(seedPapers());
    const before = openedLibraryState(corpusDir);
    const result = await ingest(fake, corpusDir, ['arxiv', '--query', 'routing'], { ARXIV_MAX_RESPONSE_MB: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${fake.apiUrl}?`);
    expect(result.stderr).toMatch(/larger than 1 MiB, the most PaperBot reads \(ARXIV_MAX_RESPONSE_MB\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(libraryState(corpusDir)).toEqual(before);
    const bad = await ingest(fake, corpusDir, ['arxiv', '--query', 'routing'], { ARXIV_MAX_RESPONSE_MB: 'lots' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ARXIV_MAX_RESPONSE_MB must be a number of megabytes from 1 to 4096, not "lots"/);
  });

  it('GIVEN --json THEN one JSON object with libraryChanged, the library size and what the index update did; GIVEN the same ingest again THEN nothing changed', async () => {
    const fake = await startArxiv([paper(1), paper(2)]);
    const corpusDir = writeCorpus(seedPapers());
    const first = await ingest(fake, corpusDir, ['arxiv', '--ids', '2401.00001,2401.00002', '--json']);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ source: 'arxiv --ids 2401.00001,2401.00002', read: 2, added: 2, papers: 12, libraryChanged: true, reasons: {}, examples: [] });
    expect(report.index).toEqual(expect.arrayContaining([expect.stringMatching(/papers/)]));
    expect(report).not.toHaveProperty('corpusChanged');
    const generation = libraryState(corpusDir).generation;
    const again = JSON.parse((await ingest(fake, corpusDir, ['arxiv', '--ids', '2401.00001,2401.00002', '--json'])).stdout) as Record<string, unknown>;
    expect(again).toMatchObject({ read: 2, added: 0, unchanged: 2, papers: 12, libraryChanged: false, index: [] });
    expect(libraryState(corpusDir).generation).toBe(generation);
  });

  it.each([
    ['the API error feed (HTTP 400)', (f: FakeArxiv) => f, ['arxiv', '--ids', 'abc'], /refused the request \(HTTP 400\): incorrect id format for abc/],
    ['truncated XML', (f: FakeArxiv) => (f.respondNext(1, { status: 200, body: '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.00001v1</id>' }), f), ['arxiv', '--query', 'routing'], /malformed response/],
    ['an HTML page', (f: FakeArxiv) => (f.respondNext(1, { status: 200, body: '<!doctype html><html><body>Maintenance</body></html>' }), f), ['arxiv', '--query', 'routing'], /malformed response/],
    ['a connection dropped every time', (f: FakeArxiv) => (f.dropNext(10), f), ['arxiv', '--query', 'routing'], /after 4 attempts/],
  ])('GIVEN %s THEN fails with exit 1 and leaves library, index and corpus folder as they were', async (_, arrange, args, message) => {
    const fake = arrange(await startArxiv([paper(1)]));
    const corpusDir = writeCorpus(seedPapers());
    const shipped = corpusBytes(corpusDir);
    openSearch({ ...locationOf(corpusDir), loadTitles: true }).library.close(); // library, index and title index as a start leaves them
    const before = { library: libraryState(corpusDir), index: indexFiles(corpusDir) };
    expect(before.library.papers).toHaveLength(10);
    const result = await ingest(fake, corpusDir, args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^paperbot: ingest failed, the library is unchanged: /);
    expect(result.stderr).toMatch(message);
    expect({ library: libraryState(corpusDir), index: indexFiles(corpusDir) }).toEqual(before);
    expect(corpusBytes(corpusDir)).toBe(shipped);
    expect(readdirSync(corpusDir)).toEqual(['papers.jsonl']);
    expect(existsSync(lockOf(corpusDir))).toBe(false); // released for the next ingest
  });

  it('GIVEN records without abstract or with a 10 MB abstract THEN rejects them with reasons and keeps the others', async () => {
    const fake = await startArxiv([paper(1), paper(2, { abstract: 'x'.repeat(10_000_000) }), paper(3)]);
    const corpusDir = writeCorpus(seedPapers());
    const result = await ingest(fake, corpusDir, ['arxiv', '--ids', '2401.00001,2401.00002,2401.00003']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/added 2, .* rejected 1 \(1 abstract longer than 20,000 characters\)/);
    expect(result.stdout).toMatch(/rejected: 2401\.00002: abstract longer than 20,000 characters/);
    expect(libraryPapers(corpusDir).map((p) => p.id).filter((id) => id.startsWith('2401.'))).toEqual(['2401.00001', '2401.00003']);
  });
});

describe('paperbot ingest oai', { timeout: 30_000 }, () => {
  it('GIVEN a set and dates THEN follows the resumption tokens to the end', async () => {
    const fake = await startArxiv(Array.from({ length: 5 }, (_, i) => paper(i + 1, { categories: ['cs.CV'], published: '2026-11-02T00:00:00Z' })));
    const corpusDir = writeCorpus(seedPapers());
    const result = await ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 5, added 5,/);
    expect(fake.requests.map((r) => r.query.has('resumptionToken'))).toEqual([false, true, true]);
    expect(libraryPapers(corpusDir)).toHaveLength(15);
  });

  it('GIVEN kill -9 after the first page THEN the library is unchanged, and the rerun takes over the dead lock and resumes from the saved token', async () => {
    const fake = await startArxiv(Array.from({ length: 6 }, (_, i) => paper(i + 1, { categories: ['cs.CV'], published: '2026-11-02T00:00:00Z' })));
    const corpusDir = writeCorpus(seedPapers());
    const before = openedLibraryState(corpusDir);
    expect(before.papers).toHaveLength(10);
    const stateDir = join(dataDirOf(corpusDir), 'ingest');
    // 2 s between requests: time to kill it after page 1 is saved, before page 2 is asked for.
    const run = ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01'], { ARXIV_REQUEST_INTERVAL_MS: '2000' });
    const deadline = Date.now() + 10_000;
    while (!(existsSync(stateDir) && readdirSync(stateDir).some((f) => /^oai-\w+\.json$/.test(f))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    run.child.kill('SIGKILL');
    await run;
    expect(fake.requests).toHaveLength(1);
    expect(libraryState(corpusDir)).toEqual(before); // page 1's papers were never committed
    expect(JSON.parse(readFileSync(lockOf(corpusDir), 'utf8')).pid).toBe(run.child.pid); // the dead owner's lock stays behind

    const rerun = await ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01']);
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/read 6, added 6,/);
    expect(fake.requests.slice(1).map((r) => r.query.has('resumptionToken'))).toEqual([true, true]);
    expect(readdirSync(stateDir)).toEqual([]); // checkpoint (token and records) gone once committed
    expect(existsSync(lockOf(corpusDir))).toBe(false);
    const after = libraryState(corpusDir);
    expect(after.papers).toHaveLength(16);
    expect(after.generation).toBe(before.generation + 1); // one commit
  });

  it('GIVEN a kill after a page\'s records were saved but before its token THEN the rerun asks for that page again and takes it as new', async () => {
    const { fake, corpusDir, tokenFile } = await harvestKilledAfterPage1(6);
    // Page 2's records, as the killed run would have appended them before saving the token that follows.
    const records = tokenFile.replace(/\.json$/, '.records.jsonl');
    const page2 = [3, 4].map((n) => JSON.stringify({ record: { id: `2401.0000${n}`, version: 1, title: 't', abstract: 'a', authors: ['A'], categories: ['cs.CV'] } }));
    writeFileSync(records, `${readFileSync(records, 'utf8')}${page2.join('\n')}\n`);
    const rerun = await ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01']);
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/read 6, added 6,/);
    expect(libraryPapers(corpusDir).find((p) => p.id === '2401.00003')?.title).toBe('Sparse mixture of experts number 3'); // the server's, not the orphan's
  });

  it('GIVEN a page that fails after the first THEN exit 1, the library is unchanged and the checkpoint stays; the rerun resumes from it', async () => {
    const fake = await startArxiv(Array.from({ length: 6 }, (_, i) => paper(i + 1, { categories: ['cs.CV'], published: '2026-11-02T00:00:00Z' })));
    const corpusDir = writeCorpus(seedPapers());
    const before = openedLibraryState(corpusDir);
    const stateDir = join(dataDirOf(corpusDir), 'ingest');
    const saved = () => (existsSync(stateDir) ? readdirSync(stateDir).filter((f) => /^oai-\w+\.json$/.test(f)) : []);
    // 2 s between requests: time to break the server after page 1 is saved, before page 2 is asked for.
    const run = ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01'], { ARXIV_REQUEST_INTERVAL_MS: '2000' });
    const deadline = Date.now() + 10_000;
    while (saved().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    fake.respondNext(1, { status: 200, body: '<!doctype html><html><body>Maintenance</body></html>' });
    const result = await run;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^paperbot: ingest failed, the library is unchanged: .*malformed response/);
    expect(fake.requests).toHaveLength(2);
    expect(libraryState(corpusDir)).toEqual(before); // page 1's papers were offered, then rolled back
    expect(saved()).toHaveLength(1);
    expect(existsSync(lockOf(corpusDir))).toBe(false);

    const rerun = await ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/read 6, added 6,/);
    expect(fake.requests.slice(2).map((r) => r.query.has('resumptionToken'))).toEqual([true, true]);
    expect(libraryPapers(corpusDir)).toHaveLength(16);
  });

  it('GIVEN a saved token the server no longer knows THEN starts over, and nothing is doubled', async () => {
    const { fake, corpusDir, tokenFile } = await harvestKilledAfterPage1(4);
    writeFileSync(tokenFile, JSON.stringify({ token: 'expired-token' }));
    const rerun = await ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/read 6, added 4, updated 0, unchanged 2,/); // page 1 offered from the checkpoint, then again by the fresh start
    expect(fake.requests.slice(1).map((r) => r.query.get('resumptionToken') ?? 'fresh')).toEqual(['expired-token', 'fresh', expect.any(String)]);
    expect(libraryPapers(corpusDir)).toHaveLength(14);
  });

  it.each([
    ['sends its resumptionToken again', 'same-token', 2, /the OAI-PMH server sent the resumptionToken "\d+\|3" a second time \(page 2\)/],
    ['serves the same page again under a new token', 'new-token', 3, /page 3 of the OAI-PMH harvest brought only records it had already sent/],
  ] as const)('GIVEN a server that %s THEN stops at once with exit 1, the library unchanged, the checkpoint holding each record once', async (_, mode, requests, message) => {
    const fake = await startArxiv(Array.from({ length: 6 }, (_, i) => paper(i + 1, { categories: ['cs.CV'], published: '2026-11-02T00:00:00Z' })));
    fake.oaiStuck = mode;
    const corpusDir = writeCorpus(seedPapers());
    const before = openedLibraryState(corpusDir);
    const run = ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01']);
    const stop = setTimeout(() => run.child.kill('SIGKILL'), 10_000); // without the fix it never ends
    const result = await run;
    clearTimeout(stop);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^paperbot: ingest failed, the library is unchanged: /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/a rerun resumes from there; delete .*oai-\w+\.\* to start over/);
    expect(fake.requests).toHaveLength(requests);
    expect(libraryState(corpusDir)).toEqual(before);
    const stateDir = join(dataDirOf(corpusDir), 'ingest');
    const records = readdirSync(stateDir).filter((f) => f.endsWith('.records.jsonl'));
    expect(records).toHaveLength(1);
    const saved = readFileSync(join(stateDir, records[0]!), 'utf8').trim().split('\n').map((l) => JSON.parse(l).record.id);
    expect(saved).toEqual(mode === 'same-token' ? ['2401.00001', '2401.00002'] : ['2401.00001', '2401.00002', '2401.00003', '2401.00004']);
    expect(existsSync(lockOf(corpusDir))).toBe(false);
  });

  it('GIVEN more pages than --max-pages THEN exit 2 naming the cap, the library unchanged; the rerun with a larger cap resumes and finishes', async () => {
    const fake = await startArxiv(Array.from({ length: 5 }, (_, i) => paper(i + 1, { categories: ['cs.CV'], published: '2026-11-02T00:00:00Z' })));
    const corpusDir = writeCorpus(seedPapers());
    const before = openedLibraryState(corpusDir);
    const capped = await ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01', '--max-pages', '2']);
    expect(capped.code).toBe(2);
    expect(capped.stderr).toMatch(/^paperbot: ingest oai stopped after 2 pages, the most one harvest reads \(--max-pages or ARXIV_OAI_MAX_PAGES\); the library is unchanged\. The 4 records read are saved: rerun with a larger --max-pages to go on, or harvest fewer days with --until\n$/);
    expect(fake.requests).toHaveLength(2);
    expect(libraryState(corpusDir)).toEqual(before);

    const envCapped = await ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01'], { ARXIV_OAI_MAX_PAGES: '2' });
    expect(envCapped.code).toBe(2); // the pages of the first run count: one harvest, resumed
    expect(fake.requests).toHaveLength(2);

    const rerun = await ingest(fake, corpusDir, ['oai', '--set', 'cs', '--from', '2026-11-01', '--max-pages', '3'], { ARXIV_OAI_MAX_PAGES: '2' });
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/read 5, added 5,/);
    expect(fake.requests.slice(2).map((r) => r.query.has('resumptionToken'))).toEqual([true]);
    expect(readdirSync(join(dataDirOf(corpusDir), 'ingest'))).toEqual([]);
  });

  it.each([
    [['--max-pages', '0'], {}, /--max-pages must be a whole number from 1 to 1000000, not "0"/],
    [[], { ARXIV_OAI_MAX_PAGES: 'lots' }, /ARXIV_OAI_MAX_PAGES must be a whole number from 1 to 1000000, not "lots"/],
  ])('GIVEN %j %j THEN exit 2 naming the option', async (extra, env, message) => {
    const fake = await startArxiv([]);
    const result = await ingest(fake, writeCorpus(seedPapers()), ['oai', '--set', 'cs', '--from', '2026-11-01', ...extra], env as Record<string, string>);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    [['oai', '--set', 'cs', '--from', '2030-01-01'], 0, /read 0, added 0/],
    [['oai', '--set', 'cs', '--from', '2026-13-45'], 2, /--from YYYY-MM-DD/],
  ])('GIVEN %j THEN exit %i, and the library is unchanged', async (args, code, message) => {
    const fake = await startArxiv([paper(1, { categories: ['cs.CV'] })]);
    const corpusDir = writeCorpus(seedPapers());
    const before = openedLibraryState(corpusDir);
    const result = await ingest(fake, corpusDir, args);
    expect(result.code).toBe(code);
    expect(result.stdout + result.stderr).toMatch(message);
    expect(libraryState(corpusDir)).toEqual(before);
  });
});

describe('paperbot ingest rss', { timeout: 30_000 }, () => {
  it('GIVEN new, cross and replace items THEN adds new and cross, updates on replace, skips a replace of an unknown paper', async () => {
    const fake = await startArxiv([
      paper(1, { categories: ['cs.CV'], announceType: 'new' }),
      paper(2, { categories: ['cs.LG', 'cs.CV'], announceType: 'cross' }),
      paper(3, { categories: ['cs.CV'], version: 3, title: 'Known paper, revised', announceType: 'replace' }),
      paper(4, { categories: ['cs.CV'], version: 2, announceType: 'replace' }),
    ]);
    const corpusDir = writeCorpus([{ ...seedPapers()[0]!, id: '2401.00003', version: 1, venue: 'Curated Venue' }]);
    const result = await ingest(fake, corpusDir, ['rss', 'cs.CV']);
    expect(result.code).toBe(0);
    expect(fake.requests[0]!.path).toBe('/rss/cs.CV');
    expect(result.stdout).toMatch(/read 4, added 2, updated 1, unchanged 0, skipped 1, rejected 0/);
    const byId = new Map(libraryPapers(corpusDir).map((p) => [p.id, p]));
    expect([...byId.keys()]).toEqual(['2401.00001', '2401.00002', '2401.00003']);
    expect(byId.get('2401.00003')).toMatchObject({ version: 3, title: 'Known paper, revised', venue: 'Curated Venue' });
  });

  it('GIVEN the same paper from the API, OAI and RSS THEN the library holds it once', async () => {
    const fake = await startArxiv([paper(7, { categories: ['cs.CV'], published: '2026-11-02T00:00:00Z', announceType: 'new' })]);
    const corpusDir = writeCorpus(seedPapers());
    const outputs: string[] = [];
    for (const args of [['arxiv', '--ids', '2401.00007'], ['oai', '--set', 'cs', '--from', '2026-11-01'], ['rss', 'cs.CV']]) {
      const result = await ingest(fake, corpusDir, args);
      expect(result.code).toBe(0);
      outputs.push(result.stdout);
    }
    expect(outputs[0]).toMatch(/read 1, added 1,/);
    expect(outputs[1]).toMatch(/read 1, added 0, updated 0, unchanged 1,.* the library holds 11 papers/);
    expect(outputs[2]).toMatch(/read 1, added 0, updated 0, unchanged 1,.* the library holds 11 papers/);
    expect(libraryPapers(corpusDir)).toHaveLength(11);
  });
});

describe('paperbot ingest file', { timeout: 30_000 }, () => {
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
    expect(libraryPapers(corpusDir).map((p) => p.id)).toEqual(seedPapers().slice(0, 5).map((p) => p.id).sort());
  });

  it('GIVEN a corpus folder of several .jsonl files THEN ingests into its library, every file\'s papers kept', async () => {
    const fake = await startArxiv([]);
    const corpusDir = writeCorpus(seedPapers().slice(0, 2));
    writeFileSync(join(corpusDir, 'more.jsonl'), `${JSON.stringify(seedPapers()[2])}\n`);
    const extra = join(tempDir(), 'extra.jsonl');
    writeFileSync(extra, `${JSON.stringify(seedPapers()[3])}\n`);
    const result = await ingest(fake, corpusDir, ['file', extra]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 1, added 1,.* the library holds 4 papers/);
    expect(libraryPapers(corpusDir).map((p) => p.id)).toEqual(seedPapers().slice(0, 4).map((p) => p.id).sort());
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
    const papers = libraryPapers(corpusDir);
    expect(papers.map((p) => p.id)).toEqual(['2306.00980', '2403.00001']);
    expect(papers[1]).toMatchObject({ version: 2, authors: ['C. Balázs', 'E. L. Berger'], title: 'Paper 2403.00001\n  wrapped', categories: ['cs.CV', 'cs.LG'], year: 2024 });
  });

  it('GIVEN a gzip file THEN reads it like the plain one; GIVEN a truncated one THEN fails naming it, and the library is unchanged', async () => {
    const fake = await startArxiv([]);
    const corpusDir = writeCorpus(seedPapers().slice(0, 2));
    const gz = join(tempDir(), 'papers.jsonl.gz');
    const text = `${seedPapers().slice(2, 8).map((p) => JSON.stringify(p)).join('\n')}\n`;
    writeFileSync(gz, gzipSync(text));
    const result = await ingest(fake, corpusDir, ['file', gz]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 6, added 6, .* rejected 0 .*the library holds 8 papers/);
    expect(libraryPapers(corpusDir)).toEqual(seedPapers().slice(0, 8).sort((a, b) => a.id.localeCompare(b.id)));

    const before = libraryState(corpusDir);
    const truncated = join(tempDir(), 'cut.jsonl.gz');
    const whole = gzipSync(`${seedPapers().slice(8).map((p) => JSON.stringify(p)).join('\n')}\n`);
    writeFileSync(truncated, whole.subarray(0, whole.length - 12));
    const broken = await ingest(fake, corpusDir, ['file', truncated]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/cut\.jsonl\.gz cannot be read/);
    expect(libraryState(corpusDir)).toEqual(before);
  });

  it('GIVEN listing-crawl lines THEN adds them; one without authors is rejected unless --fill-authors names them', async () => {
    const fake = await startArxiv([]);
    const corpusDir = writeCorpus(seedPapers().slice(0, 1));
    const listing = join(tempDir(), 'listing.jsonl');
    const line = (id: string, authors: string[], categories = ['cs.LG']) =>
      JSON.stringify({ id, title: `Listed paper ${id}`, abstract: `We list ${id}.`, authors, categories, date: '2024-05-06' });
    writeFileSync(listing, [line('2405.00001', ['Grace Hopper']), line('2405.00002', []), line('2405.00003', [], ['math.CO'])].join('\n'));
    const strict = await ingest(fake, corpusDir, ['file', listing, '--category', 'cs']);
    expect(strict.code).toBe(0);
    expect(strict.stdout).toMatch(/read 2, added 1, updated 0, unchanged 0, skipped 0, rejected 1 \(1 authors at least one author is required\)/);
    expect(libraryPapers(corpusDir).map((p) => p.id)).toEqual(['2306.00980', '2405.00001']);

    const filled = await ingest(fake, corpusDir, ['file', listing, '--category', 'cs', '--fill-authors', 'Unknown authors']);
    expect(filled.code).toBe(0);
    expect(filled.stdout).toMatch(/read 2, added 1, updated 0, unchanged 1, skipped 0, rejected 0/);
    const byId = new Map(libraryPapers(corpusDir).map((p) => [p.id, p]));
    expect([...byId.keys()]).toEqual(['2306.00980', '2405.00001', '2405.00002']);
    expect(byId.get('2405.00001')).toMatchObject({ authors: ['Grace Hopper'], title: 'Listed paper 2405.00001', categories: ['cs.LG'], year: 2024 });
    expect(byId.get('2405.00002')).toMatchObject({ authors: ['Unknown authors'], abstract: 'We list 2405.00002.', year: 2024 });
  });

  it('GIVEN rejected lines of six kinds THEN the summary counts them by kind, whatever each line quotes, with one example of each of the first five', async () => {
    const fake = await startArxiv([]);
    const corpusDir = writeCorpus(seedPapers().slice(0, 1));
    const file = join(tempDir(), 'bad.jsonl');
    const badId = (id: string) => JSON.stringify({ ...seedPapers()[1], id });
    const notUtf8 = Buffer.from(JSON.stringify({ ...seedPapers()[2], title: 'Caf#' }));
    notUtf8[notUtf8.indexOf('#')] = 0xe9;
    const lines = [
      'not json', 'also {broken', '{"versions": oops', '{"id": "2401.99999"}', '{"id": "2401.99998"}', badId('x'), badId('hep-th/no'),
      notUtf8, '{"id": "2401.11111", "versions": []}',
      JSON.stringify({ id: '2405.00002', title: 't', abstract: 'a', authors: [], categories: ['cs.LG'], date: '2024-05-06' }),
    ];
    writeFileSync(file, Buffer.concat(lines.map((l) => Buffer.concat([Buffer.from(l), Buffer.from('\n')]))));
    const result = await ingest(fake, corpusDir, ['file', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'rejected 10 (3 not valid JSON; 2 field "version": is missing; 2 field "id": … is not an arXiv id; 1 not valid UTF-8; 1 no title, no abstract; 1 authors at least one author is required)',
    );
    expect(result.stdout.split('\n').filter((l) => l.startsWith('  rejected: '))).toEqual([
      `  rejected: ${file}:1: not valid JSON (Unexpected token 'o', "not json" is not valid JSON)`,
      `  rejected: ${file}:4: field "version": is missing`,
      `  rejected: ${file}:6: field "id": "x" is not an arXiv id (expected e.g. 2306.00980 or hep-th/9901001)`,
      `  rejected: ${file}:8: not valid UTF-8`,
      `  rejected: ${file}: line 9 (2401.11111): no title, no abstract`,
    ]);
    const json = JSON.parse((await ingest(fake, corpusDir, ['file', file, '--json'])).stdout) as { reasons: Record<string, number>; examples: string[] };
    expect(Object.values(json.reasons)).toEqual([3, 2, 2, 1, 1, 1]);
    expect(json.examples).toHaveLength(5);
  });

  it('GIVEN a FIFO named *.jsonl THEN exit 2 saying it is not a regular file, at once', async () => {
    const fake = await startArxiv([]);
    const corpusDir = writeCorpus(seedPapers());
    const before = openedLibraryState(corpusDir);
    const fifo = join(tempDir(), 'papers.jsonl');
    execFileSync('mkfifo', [fifo]);
    const run = ingest(fake, corpusDir, ['file', fifo]);
    const stop = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
    const result = await run;
    clearTimeout(stop);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`paperbot: ${fifo} is not a regular file: ingest file reads a file of papers (JSON lines or a JSON array, plain or gzip-compressed)\n`);
    expect(libraryState(corpusDir)).toEqual(before);
  });

  it('GIVEN a 600 MB line THEN rejects that line (longer than 16 MiB, never held whole) and ingests the next', async () => {
    const fake = await startArxiv([]);
    const corpusDir = writeCorpus(seedPapers().slice(0, 1));
    const big = join(tempDir(), 'big.jsonl');
    // A sparse file: 600 MB of NUL bytes (no newline) on line 1, read from the page cache, not the disk.
    const fd = openSync(big, 'w');
    writeSync(fd, '{"id": "');
    writeSync(fd, `\n${JSON.stringify(seedPapers()[1])}\n`, 600 * 2 ** 20);
    closeSync(fd);
    const result = await ingest(fake, corpusDir, ['file', big]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 2, added 1, .*rejected 1 /);
    expect(result.stdout).toContain(`rejected: ${big}:1: a line longer than 16 MiB`);
    expect(libraryPapers(corpusDir).map((p) => p.id)).toEqual(seedPapers().slice(0, 2).map((p) => p.id).sort());
  });

  it.each([['plain', (b: Buffer) => b], ['gzip', (b: Buffer) => gzipSync(b)]])('GIVEN %s lines with bytes that are not UTF-8 THEN rejects those lines naming file and line', async (_, encode) => {
    const fake = await startArxiv([]);
    const corpusDir = writeCorpus(seedPapers().slice(0, 1));
    const file = join(tempDir(), 'mixed.jsonl');
    const broken = Buffer.from(JSON.stringify({ ...seedPapers()[2], title: 'Caf#' }));
    broken[broken.indexOf('#')] = 0xe9; // "é" in Latin-1: not UTF-8
    writeFileSync(file, encode(Buffer.concat([Buffer.from(`${JSON.stringify(seedPapers()[1])}\n`), broken, Buffer.from(`\n${JSON.stringify(seedPapers()[3])}\n`)])));
    const result = await ingest(fake, corpusDir, ['file', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 3, added 2, .*rejected 1 /);
    expect(result.stdout).toContain(`rejected: ${file}:2: not valid UTF-8`);
    expect(libraryPapers(corpusDir).map((p) => p.id)).toEqual([0, 1, 3].map((i) => seedPapers()[i]!.id).sort());
  });

  it('GIVEN a JSON array over 64 MiB, or one with bytes that are not UTF-8, THEN exit 2 saying so, the library unchanged; GIVEN a gzip JSON array THEN reads it', async () => {
    const fake = await startArxiv([]);
    const corpusDir = writeCorpus(seedPapers().slice(0, 1));
    const before = openedLibraryState(corpusDir);
    const huge = join(tempDir(), 'huge.json');
    writeFileSync(huge, `[${JSON.stringify(seedPapers()[1])},\n"${'x'.repeat(65 * 2 ** 20)}"]`);
    const result = await ingest(fake, corpusDir, ['file', huge]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`paperbot: ${huge} is a JSON array larger than 64 MiB, the most read whole: write it as JSON lines, one paper a line (jq -c '.[]' ${huge} > papers.jsonl), which are streamed\n`);
    expect(libraryState(corpusDir)).toEqual(before);

    const latin1 = join(tempDir(), 'latin1.json');
    const text = Buffer.from(JSON.stringify(seedPapers().slice(1, 3).map((p, i) => (i === 1 ? { ...p, title: 'Caf#' } : p)), null, 2));
    text[text.indexOf('#')] = 0xe9;
    writeFileSync(latin1, text);
    const notUtf8 = await ingest(fake, corpusDir, ['file', latin1]);
    expect(notUtf8.code).toBe(2);
    expect(notUtf8.stderr).toBe(`paperbot: ${latin1}:${text.subarray(0, text.indexOf(0xe9)).toString().split('\n').length}: not valid UTF-8\n`);
    expect(libraryState(corpusDir)).toEqual(before);

    const gz = join(tempDir(), 'papers.json.gz');
    writeFileSync(gz, gzipSync(JSON.stringify(seedPapers().slice(1, 3), null, 2)));
    const zipped = await ingest(fake, corpusDir, ['file', gz]);
    expect(zipped.stderr).toBe('');
    expect(zipped.stdout).toMatch(/read 2, added 2, .*rejected 0/);
  });

  it('GIVEN the real snapshot head THEN ingests its papers, old and new style', async () => {
    const fake = await startArxiv([]);
    const corpusDir = join(tempDir(), 'empty-corpus');
    const result = await ingest(fake, corpusDir, ['file', join(SHARED, 'kaggle_arxiv_snapshot', 'arxiv-metadata-oai-snapshot.head12.jsonl')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read 12, added 12,/);
    expect(readdirSync(corpusDir)).toEqual([]);
    expect(libraryPapers(corpusDir)[0]).toMatchObject({ id: '0704.0001', year: 2007 });
  });
});
