import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.js';
import { UserError } from '../../src/errors.js';
import { LibraryIngest } from '../../src/ingest/LibraryIngest.js';
import { lockLibrary } from '../../src/ingest/ingestLock.js';
import { PoliteClient, retryAfterMs } from '../../src/ingest/PoliteClient.js';
import { runIngest } from '../../src/ingest/runIngest.js';
import { IngestError, type Source } from '../../src/ingest/sources.js';
import { canonicalArxivId } from '../../src/corpus/paper.js';
import { toPaper, yearOfId } from '../../src/ingest/toPaper.js';
import { libraryFile, openLibrary, type LibraryLocation } from '../../src/library/openLibrary.js';
import { SqliteLibrary } from '../../src/library/SqliteLibrary.js';
import { openSearch } from '../../src/search/openSearch.js';
import { seedPapers, tempDir, writeCorpus } from '../support/corpus.js';

/** Libraries a test opened, closed after it (before its folder goes). */
const opened: SqliteLibrary[] = [];
afterEach(() => {
  for (const library of opened.splice(0)) library.close();
});

/** What the library file holds, read by a connection of its own: every paper, by id. */
function papersOf(location: LibraryLocation): Paper[] {
  const library = SqliteLibrary.open(libraryFile(location));
  try {
    return [...library.scan()].map((p) => p.paper).sort((a, b) => a.id.localeCompare(b.id));
  } finally {
    library.close();
  }
}

/** The library file's generation, read by a connection of its own. */
function generationOf(location: LibraryLocation): number {
  const library = SqliteLibrary.open(libraryFile(location));
  try {
    return library.generation();
  } finally {
    library.close();
  }
}

describe('canonicalArxivId', () => {
  it.each([
    ['2306.00980', { id: '2306.00980', version: null }],
    ['2306.00980v3', { id: '2306.00980', version: 3 }],
    ['http://arxiv.org/abs/2104.12255v1', { id: '2104.12255', version: 1 }],
    ['https://arxiv.org/pdf/2306.00980v2', { id: '2306.00980', version: 2 }],
    ['oai:arXiv.org:0704.0471', { id: '0704.0471', version: null }],
    ['http://arxiv.org/abs/hep-ex/0406020v1', { id: 'hep-ex/0406020', version: 1 }],
    ['arXiv:2509.13338v1', { id: '2509.13338', version: 1 }],
    ['abc', null],
  ])('GIVEN %s THEN %j', (raw, expected) => {
    expect(canonicalArxivId(raw)).toEqual(expected);
  });

  it('GIVEN ids THEN the year of first submission comes from them', () => {
    expect([yearOfId('2306.00980'), yearOfId('0704.0001'), yearOfId('hep-th/9901001'), yearOfId('astro-ph/0601001')]).toEqual([2023, 2007, 1999, 2006]);
  });
});

describe('toPaper', () => {
  it('GIVEN a source record THEN a valid corpus paper with links and raw text', () => {
    const result = toPaper({ id: 'http://arxiv.org/abs/2401.00001v2', title: 'A  title\n  wrapped', abstract: '  An $x$ abstract.\n', authors: ['A. Author'], categories: ['cs.CV', 'cs.LG'], journalRef: 'Nature 1 (2024)' });
    expect(result).toEqual({
      paper: {
        id: '2401.00001', version: 2, title: 'A  title\n  wrapped', abstract: '  An $x$ abstract.\n', authors: ['A. Author'], year: 2024,
        venue: 'Nature 1 (2024)', categories: ['cs.CV', 'cs.LG'], links: { abs: 'https://arxiv.org/abs/2401.00001', pdf: 'https://arxiv.org/pdf/2401.00001' }, code: null,
      },
    });
  });

  it.each([
    [{ id: 'nope', title: 't', abstract: 'a', authors: ['x'] }, '"nope" is not an arXiv id'],
    [{ id: '2401.00001', abstract: 'a', authors: ['x'] }, '2401.00001: title is missing'],
    [{ id: '2401.00001', title: 't', authors: ['x'] }, '2401.00001: abstract is missing'],
    [{ id: '2401.00001', title: 't', abstract: 'a', authors: [] }, '2401.00001: authors at least one author is required'],
    [{ id: '2401.00001', title: 't', abstract: 'x'.repeat(10_000_000), authors: ['x'] }, '2401.00001: abstract longer than 20,000 characters'],
  ])('GIVEN a bad record THEN rejects it saying why', (record, reason) => {
    expect(toPaper(record)).toEqual({ rejected: reason });
  });
});

describe('LibraryIngest', () => {
  const record = (id: string, version: number, extra: object = {}) => ({ record: { id: `${id}v${version}`, title: `T ${id} v${version}`, abstract: `About ${id}.`, authors: ['A'], categories: ['cs.LG'], ...extra } });

  /** A library (a file in a fresh data folder) holding `papers` as its corpus file's papers. */
  function libraryOf(papers: Paper[]) {
    const location = { corpusDir: writeCorpus(papers), dataDir: join(tempDir(), 'data') };
    const { library } = openLibrary(location);
    opened.push(library);
    return { library, location };
  }

  it('GIVEN new, newer, same and older versions THEN adds, updates, keeps; curated fields survive an update', () => {
    const { library, location } = libraryOf(seedPapers().slice(0, 3));
    const ingest = new LibraryIngest(library);
    ingest.offer(record('2401.00001', 1));
    ingest.offer(record('2401.00001', 2)); // the same paper, a newer version, in the same run
    ingest.offer(record('2306.00980', 3, { journalRef: 'Elsewhere' })); // seed with version null: v3 replaces its text
    ingest.offer(record('2212.08059', 2, { categories: [] })); // seed with code and categories
    ingest.offer(record('2309.12212', 1));
    ingest.offer(record('2309.12212', 1));
    ingest.offer({ rejected: 'entry 7 (2401.9): abstract is missing' });
    expect(ingest.commit()).toBe(true);
    library.close();
    const stored = papersOf(location);
    expect(stored.map((p) => [p.id, p.version])).toEqual([['2212.08059', 2], ['2306.00980', 3], ['2309.12212', 1], ['2401.00001', 2]]);
    const snap = stored[1]!;
    expect(snap.title).toBe('T 2306.00980 v3');
    expect(snap.venue).toBe('NeurIPS 2023'); // curated venue kept
    expect(snap.categories).toEqual(['cs.LG']); // the newer version's categories
    expect(stored[0]).toMatchObject({ title: 'T 2212.08059 v2', code: 'https://github.com/snap-research/EfficientFormer', venue: 'ICCV 2023', categories: ['cs.CV'] });
    expect(ingest.summary).toMatchObject({ read: 7, added: 1, updated: 4, unchanged: 1, rejected: 1 });
    expect([...ingest.summary.reasons]).toEqual([['abstract is missing', 1]]);
  });

  it('GIVEN an RSS replace of an unknown paper THEN skips it; of a known one THEN updates it', () => {
    const { library, location } = libraryOf(seedPapers().slice(0, 1));
    const ingest = new LibraryIngest(library);
    ingest.offer(record('2401.00002', 2, { announceType: 'replace' }));
    ingest.offer(record('2306.00980', 2, { announceType: 'replace-cross' }));
    ingest.commit();
    expect(ingest.summary).toMatchObject({ skipped: 1, updated: 1, added: 0 });
    library.close();
    expect(papersOf(location).map((p) => [p.id, p.version])).toEqual([['2306.00980', 2]]);
  });

  it('GIVEN only versions the library has or older THEN commit says nothing changed and the library keeps its generation and papers', () => {
    const { library, location } = libraryOf([{ ...seedPapers()[0]!, version: 2 }]);
    const before = { generation: library.generation(), papers: papersOf(location) };
    const ingest = new LibraryIngest(library);
    ingest.offer(record('2306.00980', 1));
    ingest.offer(record('2306.00980', 2));
    ingest.offerPaper({ ...seedPapers()[0]!, version: 2, title: 'Same version, other text' });
    expect(ingest.commit()).toBe(false);
    expect(ingest.summary).toMatchObject({ read: 3, unchanged: 3, added: 0, updated: 0, rejected: 0 });
    expect({ generation: library.generation(), papers: papersOf(location) }).toEqual(before);
  });

  it('GIVEN an ingest not yet committed THEN a reader sees none of it; GIVEN abort THEN the library is as it was', () => {
    const { library, location } = libraryOf(seedPapers().slice(0, 2));
    const before = { generation: library.generation(), papers: papersOf(location) };
    // A reader opened before the write, as a running bot's is.
    const reader = SqliteLibrary.open(libraryFile(location));
    opened.push(reader);
    const ingest = new LibraryIngest(library);
    ingest.offer(record('2401.00001', 1));
    ingest.offer(record('2306.00980', 4));
    expect(ingest.size).toBe(3); // the writer sees its own changes
    expect(library.get('2306.00980')!.paper.version).toBe(4);
    expect([reader.generation(), reader.size(), reader.get('2401.00001'), reader.get('2306.00980')!.paper.version]).toEqual([before.generation, 2, undefined, null]);
    ingest.abort();
    expect({ generation: library.generation(), papers: papersOf(location) }).toEqual(before);
    expect(library.get('2401.00001')).toBeUndefined();
  });
});

describe('runIngest', () => {
  const offering = (...ids: string[]): Source => async (ingest) => {
    for (const id of ids) ingest.offer({ record: { id: `${id}v1`, title: `Paper ${id}`, abstract: `Routing in sparse experts, ${id}.`, authors: ['A'], categories: ['cs.LG'] } });
  };

  it('GIVEN a missing corpus folder THEN starts an empty one and a library holding only the ingested papers, indexed', async () => {
    const location = { corpusDir: join(tempDir(), 'new-corpus'), dataDir: join(tempDir(), 'data') };
    const report = await runIngest('test', offering('2401.00003'), location);
    expect(report).toMatchObject({ source: 'test', read: 1, added: 1, papers: 1, libraryChanged: true });
    expect(report.index.join('; ')).toMatch(/\bindexed 1 papers?\b/);
    expect(readdirSync(location.corpusDir)).toEqual([]); // the ingest wrote into the library, not the corpus folder
    expect(papersOf(location).map((p) => p.id)).toEqual(['2401.00003']);
    const search = openSearch({ ...location, build: false });
    expect(search).not.toBeNull(); // the index was brought up to date
    expect(search!.titles().reused).toBe(true); // and the title index
    search!.library.close();
  });

  it('GIVEN a source that fails midway THEN rethrows, the library keeps its generation and papers, the checkpoint stays', async () => {
    const location = { corpusDir: writeCorpus(seedPapers().slice(0, 2)), dataDir: join(tempDir(), 'data') };
    openLibrary(location).library.close();
    const before = { generation: generationOf(location), papers: papersOf(location) };
    let cleared = false;
    const failing = Object.assign(
      async (ingest: LibraryIngest) => {
        await offering('2401.00001', '2401.00002')(ingest);
        throw new IngestError('the server went away');
      },
      { clearCheckpoint: () => void (cleared = true) },
    );
    await expect(runIngest('test', failing, location)).rejects.toThrowError('the server went away');
    expect({ generation: generationOf(location), papers: papersOf(location) }).toEqual(before);
    expect(cleared).toBe(false);
    expect(existsSync(`${libraryFile(location)}.ingest.lock`)).toBe(false); // released
    // The next ingest is not refused, and commits.
    expect(await runIngest('test', offering('2401.00001'), location)).toMatchObject({ added: 1, papers: 3, libraryChanged: true });
  });

  it('GIVEN an ingest under way THEN a second one is refused (ingest_locked) before it reads anything', async () => {
    const location = { corpusDir: writeCorpus(seedPapers().slice(0, 1)), dataDir: join(tempDir(), 'data') };
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let secondRan = false;
    const first = runIngest('first', async (ingest) => {
      await held;
      await offering('2401.00001')(ingest);
    }, location);
    const error = await runIngest('second', async () => void (secondRan = true), location).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('ingest_locked');
    expect((error as UserError).message).toMatch(new RegExp(`another ingest \\(pid ${process.pid}\\)`));
    expect(secondRan).toBe(false);
    release();
    expect(await first).toMatchObject({ added: 1, papers: 2 });
  });
});

describe('lockLibrary', () => {
  const owner = (lock: string) => JSON.parse(readFileSync(lock, 'utf8')) as { pid: number; started: string | null; boot: string | null };

  it('GIVEN a live ingest THEN a second one is refused, naming the lock file; GIVEN a dead one THEN its lock is taken over', () => {
    const file = join(tempDir(), 'libraries', 'corpus-0123.sqlite');
    const lock = `${file}.ingest.lock`;
    const release = lockLibrary(file);
    expect(owner(lock)).toMatchObject({ pid: process.pid, started: expect.stringMatching(/^\d+$/), boot: expect.any(String) });
    expect(() => lockLibrary(file)).toThrowError(new RegExp(`another ingest \\(pid ${process.pid}\\) .* remove the lock file: rm ${lock.replace(/[.]/g, '\\.')}`));
    release();
    expect(existsSync(lock)).toBe(false);
    writeFileSync(lock, '999999999'); // no such process
    const again = lockLibrary(file);
    expect(owner(lock).pid).toBe(process.pid);
    again();
    expect(readdirSync(dirname(file))).toEqual([]);
  });

  it('GIVEN a lock whose pid is alive again (our own after a restart, or another process since) THEN takes it over', () => {
    const file = join(tempDir(), 'libraries', 'corpus-0123.sqlite');
    const lock = `${file}.ingest.lock`;
    mkdirSync(dirname(file), { recursive: true });
    // What an ingest that was pid 1 of a container left, now that this ingest is that pid.
    writeFileSync(lock, String(process.pid));
    lockLibrary(file)();
    // This pid, but started at another time: an earlier life of it.
    writeFileSync(lock, JSON.stringify({ ...owner(writeAndRead(file)), started: '1' }));
    lockLibrary(file)();
    // A live process that is not the one that took the lock.
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(lock, JSON.stringify({ pid: other.pid, started: '1', boot: null }));
      lockLibrary(file)();
      // The same process, with its real start time: it holds the lock.
      const started = readFileSync(`/proc/${other.pid}/stat`, 'utf8');
      writeFileSync(lock, JSON.stringify({ pid: other.pid, started: started.slice(started.lastIndexOf(')') + 2).split(' ')[19], boot: null }));
      expect(() => lockLibrary(file)).toThrowError(/another ingest/);
    } finally {
      other.kill();
    }
  });
});

/** Take the lock and give it back, leaving a copy of what it held in the lock file. */
function writeAndRead(file: string): string {
  const lock = `${file}.ingest.lock`;
  const release = lockLibrary(file);
  const text = readFileSync(lock, 'utf8');
  release();
  writeFileSync(lock, text);
  return lock;
}

describe('PoliteClient', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  /** A loopback server answering from `replies` in turn. */
  async function serve(replies: { status: number; headers?: Record<string, string>; body?: string }[]) {
    let n = 0;
    const server = createServer((req, res) => {
      const reply = replies[Math.min(n++, replies.length - 1)]!;
      res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  /** A clock that only moves when the client sleeps. */
  function fakeTime() {
    const clock = { now: 1_000_000, sleeps: [] as number[] };
    return { clock, now: () => clock.now, sleep: async (ms: number) => { clock.sleeps.push(ms); clock.now += ms; } };
  }

  it('GIVEN a redirect to the same host THEN follows it as a request of its own, 3 s later', async () => {
    const url = await serve([{ status: 301, headers: { location: '/moved' } }, { status: 200, body: 'here' }]);
    const time = fakeTime();
    const client = new PoliteClient({ now: time.now, sleep: time.sleep });
    expect(await client.get(url)).toEqual({ status: 200, body: 'here' });
    expect(time.clock.sleeps).toEqual([3000]);
  });

  it('GIVEN a redirect to another host THEN refuses it, naming both', async () => {
    const url = await serve([{ status: 302, headers: { location: 'https://evil.example/feed' } }]);
    const client = new PoliteClient({ minIntervalMs: 0 });
    await expect(client.get(url)).rejects.toThrowError(/redirects to https:\/\/evil\.example\/feed, another host: not followed/);
  });

  it('GIVEN a response over the size limit THEN fails cleanly, naming the URL, without reading it all', async () => {
    const url = await serve([{ status: 200, body: 'x'.repeat(3 << 20) }]);
    const client = new PoliteClient({ minIntervalMs: 0, maxResponseBytes: 1 << 20 });
    await expect(client.get(url)).rejects.toThrowError(new RegExp(`${url.replace(/[.]/g, '\\.')}: the response is larger than 1 MiB`));
    // Without a declared length, too: the body is counted as it arrives.
    const chunked = createServer((_, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      const piece = 'y'.repeat(1 << 16);
      let sent = 0;
      const more = () => {
        while (sent < 64 && res.write(piece)) sent++;
        if (sent < 64) res.once('drain', more);
        else res.end();
      };
      more();
    });
    servers.push(chunked);
    await new Promise<void>((r) => chunked.listen(0, '127.0.0.1', r));
    const chunkedUrl = `http://127.0.0.1:${(chunked.address() as AddressInfo).port}/`;
    await expect(client.get(chunkedUrl)).rejects.toThrowError(/larger than 1 MiB/);
  });

  it('GIVEN three requests made at once THEN they start 3 s apart, one at a time', async () => {
    const url = await serve([{ status: 200, body: 'ok' }]);
    const time = fakeTime();
    const client = new PoliteClient({ now: time.now, sleep: time.sleep });
    const starts: number[] = [];
    const results = await Promise.all([1, 2, 3].map(() => client.get(url).then((r) => (starts.push(time.clock.now), r))));
    expect(results.map((r) => r.body)).toEqual(['ok', 'ok', 'ok']);
    expect(time.clock.sleeps).toEqual([3000, 3000]);
    expect(starts[2]! - starts[0]!).toBe(6000);
  });

  it('GIVEN a 503 with Retry-After THEN waits that long and retries', async () => {
    const url = await serve([{ status: 503, headers: { 'retry-after': '10' } }, { status: 200, body: 'late' }]);
    const time = fakeTime();
    const client = new PoliteClient({ now: time.now, sleep: time.sleep });
    expect((await client.get(url)).body).toBe('late');
    expect(time.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('GIVEN 503 forever THEN gives up after the retries with a clear error', async () => {
    const url = await serve([{ status: 503, headers: { 'retry-after': '1' } }]);
    const time = fakeTime();
    await expect(new PoliteClient({ now: time.now, sleep: time.sleep, maxRetries: 2 }).get(url)).rejects.toThrowError(/still 503 after 3 attempts/);
  });

  it('GIVEN Retry-After as a date THEN reads it', () => {
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:30 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(30_000);
    expect(retryAfterMs(null, 0)).toBe(5000);
  });
});
