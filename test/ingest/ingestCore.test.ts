import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/loadCorpus.js';
import { CorpusIngest } from '../../src/ingest/CorpusIngest.js';
import { lockCorpus } from '../../src/ingest/ingestLock.js';
import { PoliteClient, retryAfterMs } from '../../src/ingest/PoliteClient.js';
import { canonicalArxivId, toPaper, yearOfId } from '../../src/ingest/toPaper.js';
import { seedPapers, tempDir, writeCorpus } from '../support/corpus.js';

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

describe('CorpusIngest', () => {
  const record = (id: string, version: number, extra: object = {}) => ({ record: { id: `${id}v${version}`, title: `T ${id} v${version}`, abstract: `About ${id}.`, authors: ['A'], categories: ['cs.LG'], ...extra } });

  it('GIVEN new, newer, same and older versions THEN adds, updates, keeps; curated fields survive an update', () => {
    const dir = writeCorpus(seedPapers().slice(0, 2));
    const ingest = CorpusIngest.open(dir);
    ingest.offer(record('2401.00001', 1));
    ingest.offer(record('2401.00001', 2)); // the same paper, a newer version, in the same run
    ingest.offer(record('2306.00980', 3, { journalRef: 'Elsewhere' })); // seed with version null: v3 replaces its text
    ingest.offer(record('2309.12212', 1));
    ingest.offer(record('2309.12212', 1));
    ingest.offer({ rejected: 'entry 7 (2401.9): abstract is missing' });
    expect(ingest.commit()).toBe(true);
    const papers = loadCorpus(dir).papers;
    expect(papers.map((p) => [p.id, p.version])).toEqual([['2306.00980', 3], ['2309.12212', 1], ['2401.00001', 2]]);
    const snap = papers[0]!;
    expect(snap.title).toBe('T 2306.00980 v3');
    expect(snap.venue).toBe('NeurIPS 2023'); // curated venue kept
    expect(ingest.summary).toMatchObject({ read: 6, added: 1, updated: 3, unchanged: 1, rejected: 1 });
    expect([...ingest.summary.reasons]).toEqual([['abstract is missing', 1]]);
  });

  it('GIVEN an RSS replace of an unknown paper THEN skips it; of a known one THEN updates it', () => {
    const dir = writeCorpus(seedPapers().slice(0, 1));
    const ingest = CorpusIngest.open(dir);
    ingest.offer(record('2401.00002', 2, { announceType: 'replace' }));
    ingest.offer(record('2306.00980', 2, { announceType: 'replace-cross' }));
    ingest.commit();
    expect(ingest.summary).toMatchObject({ skipped: 1, updated: 1, added: 0 });
    expect(loadCorpus(dir).papers.map((p) => p.id)).toEqual(['2306.00980']);
  });

  it('GIVEN nothing new THEN does not rewrite the corpus', () => {
    const dir = writeCorpus(seedPapers().slice(0, 1));
    const before = readFileSync(join(dir, 'papers.jsonl'), 'utf8');
    const ingest = CorpusIngest.open(dir);
    ingest.offer(record('2306.00980', 0 as never));
    expect(ingest.commit()).toBe(false);
    expect(readFileSync(join(dir, 'papers.jsonl'), 'utf8')).toBe(before);
  });

  it('GIVEN a missing corpus folder THEN starts an empty corpus', () => {
    const dir = join(tempDir(), 'new-corpus');
    const ingest = CorpusIngest.open(dir);
    ingest.offer(record('2401.00003', 1));
    ingest.commit();
    expect(loadCorpus(dir).papers).toHaveLength(1);
  });

  it('GIVEN a corpus split over several files THEN refuses, naming them', () => {
    const dir = writeCorpus(seedPapers().slice(0, 1));
    writeFileSync(join(dir, 'more.jsonl'), '');
    expect(() => CorpusIngest.open(dir)).toThrowError(/merge more\.jsonl into it first/);
  });
});

describe('lockCorpus', () => {
  it('GIVEN a live ingest THEN a second one is refused; GIVEN a dead one THEN its lock is taken over', () => {
    const dir = tempDir();
    const release = lockCorpus(dir);
    writeFileSync(join(dir, '.ingest.lock'), String(process.pid));
    expect(() => lockCorpus(dir)).toThrowError(new RegExp(`another ingest \\(pid ${process.pid}\\)`));
    release();
    writeFileSync(join(dir, '.ingest.lock'), '999999999');
    lockCorpus(dir)();
  });
});

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
