import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryResult, DigestDelivery, DigestTransport } from '../../src/digest/DigestService.js';
import { DigestService } from '../../src/digest/DigestService.js';
import { digestThreadName } from '../../src/digest/composeDigest.js';
import { UserError } from '../../src/errors.js';
import { openSearch } from '../../src/search/openSearch.js';
import { MIGRATIONS, openDatabase, openSqlite, type Database } from '../../src/store/openDatabase.js';
import { SentLedger } from '../../src/store/SentLedger.js';
import { SEED_CORPUS, seedPapers, tempDir, writeCorpus } from '../support/corpus.js';

const at = (iso: string) => Date.parse(iso);
const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

/** A digest service over a real SQLite file, with a clock the test moves. */
function setup({ dataDir = tempDir(), corpusDir = SEED_CORPUS, maxPerGuild }: { dataDir?: string; corpusDir?: string; maxPerGuild?: number } = {}) {
  const clock = { now: at('2026-03-10T06:00:00Z') };
  const search = openSearch({ corpusDir, dataDir: join(dataDir, 'index') });
  const db = openDatabase(dataDir);
  open.push(db);
  const service = new DigestService(db, () => search, () => clock.now, { maxPerGuild });
  return { clock, service, db, dataDir };
}

/** A transport that posts everything and records it. */
function recorder(): DigestTransport & { posts: DigestDelivery[] } {
  const posts: DigestDelivery[] = [];
  const transport = async (d: DigestDelivery): Promise<DeliveryResult> => {
    posts.push(d);
    return { delivered: d.items.map((i) => i.paper.id) };
  };
  return Object.assign(transport, { posts });
}

/** What one look of the scheduler does: retry the unconfirmed posts, then run what is due. */
async function runDue(service: DigestService, transport: DigestTransport) {
  const results = [];
  for (const { subscription, post } of service.unconfirmed()) results.push(await service.deliver(subscription, post, transport));
  for (const { subscription, slot } of service.due()) results.push(await service.run(subscription, slot, transport));
  return results;
}

const berlin = { guildId: 'G', channelId: 'C', userId: 'U', topic: 'vision transformer', time: '09:00', timezone: 'Europe/Berlin' };

describe('DigestService.subscribe', () => {
  it.each([
    [{ topic: '   ' }, /Give the digest a topic, an author, or both/],
    [{ topic: 'x'.repeat(201) }, /201 characters long; keep it under 200/],
    [{ time: '9am' }, /“9am” is not a time of day: use HH:MM/],
    [{ time: '24:00' }, /not a time of day/],
    [{ timezone: 'Mars/Olympus' }, /“Mars\/Olympus” is not a time zone I know/],
    [{ maxPapers: 11 }, /max must be a whole number from 1 to 10/],
  ])('GIVEN %j THEN refuses with a clear message', (change, message) => {
    const { service } = setup();
    expect(() => service.subscribe({ ...berlin, ...change })).toThrowError(message);
  });

  it('GIVEN defaults THEN 09:00 UTC, 5 papers, quiet on empty days; names are normalised', () => {
    const { service } = setup();
    expect(service.subscribe({ guildId: 'G', channelId: 'C', userId: 'U', topic: '  diffusion   models ', timezone: 'europe/berlin', time: '7:05' })).toMatchObject({
      topic: 'diffusion models',
      time: '07:05',
      timezone: 'Europe/Berlin',
      maxPapers: 5,
      postWhenEmpty: false,
    });
    expect(service.subscribe({ guildId: 'G', channelId: 'C', userId: 'U', topic: 'pruning' })).toMatchObject({ time: '09:00', timezone: 'UTC' });
  });

  it('GIVEN the same topic twice in a channel, or more than the guild limit THEN refuses', () => {
    const { service } = setup({ maxPerGuild: 2 });
    service.subscribe(berlin);
    expect(() => service.subscribe(berlin)).toThrowError(/already has a digest of “vision transformer”/);
    service.subscribe({ ...berlin, channelId: 'D' });
    expect(() => service.subscribe({ ...berlin, topic: 'pruning' })).toThrowError(/already has 2 digests/);
    expect(() => service.subscribe({ ...berlin, guildId: 'H', topic: 'pruning' })).not.toThrow();
  });

  it('GIVEN unsubscribe of another guild\'s id THEN refuses; of its own THEN removes it', () => {
    const { service } = setup();
    const s = service.subscribe(berlin);
    expect(() => service.unsubscribe(s.id, 'OTHER')).toThrowError(UserError);
    service.unsubscribe(s.id, 'G');
    expect(service.subscriptions.byChannel('C')).toEqual([]);
  });
});

describe('DigestService: on time, once, never twice', () => {
  it('GIVEN "vision transformer" at 09:00 Berlin THEN posts the matching seed papers at 09:00 Berlin time once, and never again', async () => {
    const { clock, service } = setup();
    service.subscribe(berlin);
    const transport = recorder();
    clock.now = at('2026-03-10T07:59:59Z'); // 08:59:59 in Berlin (CET, UTC+1)
    expect(service.due()).toEqual([]);
    clock.now = at('2026-03-10T08:00:00Z');
    await runDue(service, transport);
    expect(transport.posts).toHaveLength(1);
    const ids = transport.posts[0]!.items.map((i) => i.paper.id);
    expect(ids).toEqual(expect.arrayContaining(['2212.08059', '2211.01484']));
    expect(transport.posts[0]!.slot).toBe(at('2026-03-10T08:00:00Z'));
    expect(transport.posts[0]!.items[0]!.matchedWords).toEqual(expect.arrayContaining(['Vision', 'Transformers']));

    await runDue(service, transport); // same minute again
    clock.now = at('2026-03-11T08:00:00Z'); // the next day: nothing new
    await runDue(service, transport);
    clock.now = at('2026-03-25T08:00:00Z');
    await runDue(service, transport);
    expect(transport.posts).toHaveLength(1);
    expect(service.subscriptions.byChannel('C')[0]).toMatchObject({ papersSent: ids.length, lastSlot: at('2026-03-25T08:00:00Z') });
  });

  it('GIVEN the switch to summer time THEN 09:00 Berlin moves from 08:00 to 07:00 UTC', async () => {
    const { clock, service } = setup();
    clock.now = at('2026-03-27T12:00:00Z');
    service.subscribe({ ...berlin, postWhenEmpty: true });
    const transport = recorder();
    clock.now = at('2026-03-28T08:00:00Z'); // Saturday, still CET
    await runDue(service, transport);
    clock.now = at('2026-03-29T06:59:00Z'); // Sunday 08:59 CEST: not yet
    await runDue(service, transport);
    expect(transport.posts.map((p) => new Date(p.slot).toISOString())).toEqual(['2026-03-28T08:00:00.000Z']);
    clock.now = at('2026-03-29T07:00:00Z'); // Sunday 09:00 CEST
    await runDue(service, transport);
    expect(transport.posts.map((p) => new Date(p.slot).toISOString())).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z']);
  });

  it('GIVEN three days of downtime THEN the missed digest is posted once, not once per day', async () => {
    const { clock, service } = setup();
    service.subscribe({ ...berlin, postWhenEmpty: true });
    const transport = recorder();
    clock.now = at('2026-03-13T10:00:00Z');
    const due = service.due();
    expect(due.map((d) => new Date(d.slot).toISOString())).toEqual(['2026-03-13T08:00:00.000Z']);
    await runDue(service, transport);
    await runDue(service, transport);
    expect(transport.posts).toHaveLength(1);
  });

  it('GIVEN a restart (database closed and reopened) THEN neither the run nor the papers repeat', async () => {
    const first = setup();
    first.service.subscribe(berlin);
    first.clock.now = at('2026-03-10T08:00:00Z');
    const transport = recorder();
    await runDue(first.service, transport);
    first.db.close();

    const second = setup({ dataDir: first.dataDir });
    second.clock.now = at('2026-03-10T08:30:00Z');
    expect(second.service.due()).toEqual([]);
    second.clock.now = at('2026-03-11T08:00:00Z');
    await runDue(second.service, transport);
    expect(transport.posts).toHaveLength(1);
    expect(second.service.subscriptions.byChannel('C')[0]!.papersSent).toBe(transport.posts[0]!.items.length);
  });

  it('GIVEN two processes firing the same subscription THEN only one posts', async () => {
    const a = setup();
    a.service.subscribe(berlin);
    const b = setup({ dataDir: a.dataDir });
    a.clock.now = b.clock.now = at('2026-03-10T08:00:00Z');
    const transport = recorder();
    const [dueA, dueB] = [a.service.due(), b.service.due()];
    const results = await Promise.all([
      a.service.run(dueA[0]!.subscription, dueA[0]!.slot, transport),
      b.service.run(dueB[0]!.subscription, dueB[0]!.slot, transport),
    ]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(transport.posts).toHaveLength(1);
  });

  it('GIVEN two topics of one channel matching the same paper THEN it is posted once', async () => {
    const { clock, service } = setup();
    service.subscribe(berlin);
    service.subscribe({ ...berlin, topic: 'efficient transformers for mobile devices' });
    clock.now = at('2026-03-10T08:00:00Z');
    const transport = recorder();
    await runDue(service, transport);
    const ids = transport.posts.flatMap((p) => p.items.map((i) => i.paper.id));
    expect(transport.posts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('2212.08059');
  });

  it('GIVEN a paper sent as v1 THEN its v2 is not sent again', async () => {
    const dataDir = tempDir();
    const v2 = seedPapers().map((p) => (p.id === '2212.08059' ? { ...p, version: 2, abstract: `${p.abstract} (revised)` } : p));
    const { clock, service } = setup({ dataDir, corpusDir: writeCorpus(v2) });
    service.ledger.claim('C', ['2212.08059'], 0, at('2026-03-01T00:00:00Z')); // sent when the corpus held v1
    service.subscribe(berlin);
    clock.now = at('2026-03-10T08:00:00Z');
    const transport = recorder();
    await runDue(service, transport);
    expect(transport.posts[0]!.items.map((i) => i.paper.id)).not.toContain('2212.08059');
  });

  it('GIVEN the process dies mid-post THEN the next process retries the same papers with the same nonce, told an earlier attempt may have posted them', async () => {
    const first = setup();
    first.service.subscribe(berlin);
    first.clock.now = at('2026-03-10T08:00:00Z');
    const seen: DigestDelivery[] = [];
    void runDue(first.service, (d) => {
      seen.push(d);
      return new Promise<DeliveryResult>(() => {}); // the process is gone before Discord answers
    });
    await new Promise((r) => setImmediate(r));
    first.db.close();

    const second = setup({ dataDir: first.dataDir });
    second.clock.now = at('2026-03-10T08:00:30Z');
    const claimed = seen[0]!;
    expect(second.service.unconfirmedIn('C').get(1)).toEqual({ paperIds: claimed.items.map((i) => i.paper.id), since: at('2026-03-10T08:00:00Z') });
    const transport = recorder();
    await runDue(second.service, transport);
    expect(transport.posts).toHaveLength(1);
    const retried = transport.posts[0]!;
    expect(retried).toMatchObject({ nonce: claimed.nonce, slot: claimed.slot, earlierAttemptAt: at('2026-03-10T08:00:00Z'), posted: new Set() });
    expect(retried.items).toEqual(claimed.items);
    expect(claimed.nonce).toMatch(/^pb1-[0-9a-z]+$/);
    expect(claimed.nonce.length).toBeLessThanOrEqual(22);
    expect(claimed.earlierAttemptAt).toBeNull();
    expect(second.service.unconfirmedIn('C').size).toBe(0);
    expect(second.service.subscriptions.get(1)!.papersSent).toBe(claimed.items.length);
    second.clock.now = at('2026-03-11T08:00:00Z');
    await runDue(second.service, transport);
    expect(transport.posts).toHaveLength(1); // nothing new, nothing again
  });

  it('GIVEN a digest whose first message was confirmed and the second may be lost THEN the retry is told which papers went out', async () => {
    const { clock, service } = setup();
    service.subscribe(berlin);
    clock.now = at('2026-03-10T08:00:00Z');
    const tries: DigestDelivery[] = [];
    await runDue(service, async (d) => {
      tries.push(d);
      return { delivered: [d.items[0]!.paper.id], failure: { permanent: false, reason: 'timeout', uncertain: true } };
    });
    const [firstId, ...rest] = tries[0]!.items.map((i) => i.paper.id);
    expect(service.unconfirmedIn('C').get(1)!.paperIds).toEqual(rest);
    expect(service.subscriptions.get(1)!.papersSent).toBe(1);
    clock.now = at('2026-03-10T08:01:00Z');
    const transport = recorder();
    await runDue(service, transport);
    expect(transport.posts[0]).toMatchObject({ nonce: tries[0]!.nonce, posted: new Set([firstId]) });
    expect(service.subscriptions.get(1)!.papersSent).toBe(rest.length + 1);
    expect(service.unconfirmedIn('C').size).toBe(0);
  });

  it('GIVEN a retry refused for good THEN the subscription pauses and the papers stay claimed and listed: the first attempt may have posted them', async () => {
    const { clock, service } = setup();
    service.subscribe(berlin);
    clock.now = at('2026-03-10T08:00:00Z');
    await runDue(service, async () => ({ delivered: [], failure: { permanent: false, reason: 'HTTP 503', uncertain: true } }));
    const claimed = [...service.ledger.sentTo('C')];
    clock.now = at('2026-03-10T08:01:00Z');
    await runDue(service, async () => ({ delivered: [], failure: { permanent: true, reason: 'Missing Access (50001)' } }));
    expect(service.subscriptions.get(1)!.pausedReason).toBe('Missing Access (50001)');
    expect([...service.ledger.sentTo('C')]).toEqual(claimed);
    expect(service.unconfirmedIn('C').get(1)!.paperIds.sort()).toEqual(claimed.sort());
    expect(service.unconfirmed()).toEqual([]); // not retried while paused
  });

  it('GIVEN the nonce THEN it is derived from the subscription and the slot', async () => {
    const { clock, service } = setup();
    service.subscribe({ ...berlin, postWhenEmpty: true });
    const transport = recorder();
    clock.now = at('2026-03-10T08:00:00Z');
    await runDue(service, transport);
    clock.now = at('2026-03-11T08:00:00Z');
    await runDue(service, transport);
    const other = setup();
    other.service.subscribe({ ...berlin, postWhenEmpty: true });
    other.clock.now = at('2026-03-10T08:00:00Z');
    await runDue(other.service, transport);
    const [day1, day2, again] = transport.posts.map((p) => p.nonce);
    expect(day1).not.toBe(day2);
    expect(again).toBe(day1);
  });

  it('GIVEN Discord refuses for good (lost access) THEN the subscription pauses and the papers stay unsent', async () => {
    const { clock, service } = setup();
    const s = service.subscribe(berlin);
    clock.now = at('2026-03-10T08:00:00Z');
    await runDue(service, async () => ({ delivered: [], failure: { permanent: true, reason: 'Missing Access (50001)' } }));
    expect(service.subscriptions.get(s.id)).toMatchObject({ pausedReason: 'Missing Access (50001)', papersSent: 0 });
    expect(service.ledger.sentTo('C').size).toBe(0);
    clock.now = at('2026-03-11T08:00:00Z');
    expect(service.due()).toEqual([]);
  });

  it('GIVEN a passing failure with nothing posted THEN the same slot is retried and posts once', async () => {
    const { clock, service } = setup();
    service.subscribe(berlin);
    clock.now = at('2026-03-10T08:00:00Z');
    await runDue(service, async () => ({ delivered: [], failure: { permanent: false, reason: 'HTTP 503' } }));
    clock.now = at('2026-03-10T08:01:00Z');
    const transport = recorder();
    await runDue(service, transport);
    await runDue(service, transport);
    expect(transport.posts).toHaveLength(1);
    expect(transport.posts[0]!.slot).toBe(at('2026-03-10T08:00:00Z'));
  });
});

describe('openDatabase', () => {
  it('GIVEN a new folder THEN creates the file in WAL mode at the latest schema; reopening keeps it', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
    const again = openDatabase(dir);
    open.push(again);
    expect(again.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('GIVEN a database from before digest posts were kept (schema 1) THEN opening migrates it, keeping its subscriptions and ledger', async () => {
    const dir = tempDir();
    const old = openSqlite(join(dir, 'paperbot.db'), MIGRATIONS.slice(0, 1));
    // Written as that schema's code wrote them: the subscription row by hand (later code writes columns it lacks).
    old
      .prepare('INSERT INTO subscriptions (guild_id, channel_id, topic, time, timezone, max_papers, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run('G', 'C', 'vision transformer', '09:00', 'Europe/Berlin', 5, 'U', at('2026-03-01T00:00:00Z'));
    new SentLedger(old).claim('C', ['2212.08059'], 1, at('2026-03-01T00:00:00Z'));
    old.close();

    const { clock, service, db } = setup({ dataDir: dir });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(service.subscriptions.byChannel('C').map((s) => [s.topic, s.category])).toEqual([['vision transformer', null]]);
    clock.now = at('2026-03-10T08:00:00Z');
    const transport = recorder();
    await runDue(service, transport);
    expect(transport.posts[0]!.items.map((i) => i.paper.id)).not.toContain('2212.08059');
    expect(service.unconfirmedIn('C').size).toBe(0);
  });
});

describe('composeDigest on a topic with many papers', () => {
  it('GIVEN more than a hundred matching papers already sent THEN still brings the next unsent ones', () => {
    const base = seedPapers()[0]!;
    const papers = Array.from({ length: 150 }, (_, i) => ({
      ...base,
      id: `2401.${String(i + 1).padStart(5, '0')}`,
      title: `Sparse expert routing, study ${i + 1}`,
      abstract: `We study sparse expert routing in mixture models, experiment ${i + 1}.`,
    }));
    const { service } = setup({ corpusDir: writeCorpus(papers) });
    const sent = new Set(papers.slice(0, 120).map((p) => p.id));
    service.ledger.claim('C', [...sent], 0, 0);
    const items = service.preview('C', { topic: 'sparse expert routing' }, 10);
    expect(items).toHaveLength(10);
    for (const item of items) expect(sent.has(item.paper.id)).toBe(false);
  });
});

describe('following an author', () => {
  it('GIVEN author: alone THEN their new papers, newest first, each once; with a topic, only theirs on it; the name matched as the library writes it', async () => {
    const { clock, service } = setup();
    const alone = service.subscribe({ ...berlin, topic: '', author: 'Wang, Yanzhi', maxPapers: 3 });
    expect(alone).toMatchObject({ topic: '', author: 'Wang, Yanzhi' });
    const onTopic = service.subscribe({ ...berlin, channelId: 'C2', topic: 'pruning', author: 'Y. Wang', maxPapers: 10 });
    clock.now = at('2026-03-10T08:00:00Z');
    const transport = recorder();
    await runDue(service, transport);
    const byChannel = (id: string) => transport.posts.filter((p) => p.subscription.channelId === id).flatMap((p) => p.items);
    const first = byChannel('C');
    // Yanzhi Wang signs all ten seeds: the three newest.
    expect(first.map((i) => [i.paper.id, i.matchedAuthors])).toEqual([
      ['2309.12212', ['Yanzhi Wang']],
      ['2306.00980', ['Yanzhi Wang']],
      ['2305.00380', ['Yanzhi Wang']],
    ]);
    const pruning = byChannel('C2');
    expect(pruning.length).toBeGreaterThan(0);
    for (const item of pruning) {
      expect(item.paper.authors).toContain('Yanzhi Wang');
      expect(item.matchedWords.map((w) => w.toLowerCase())).toContain('pruning');
    }
    clock.now = at('2026-03-11T08:00:00Z');
    await runDue(service, transport);
    const second = byChannel('C').slice(3);
    expect(second).toHaveLength(3);
    expect(second.some((i) => first.some((f) => f.paper.id === i.paper.id))).toBe(false);
    expect(onTopic.author).toBe('Y. Wang');
  });

  it('GIVEN an unknown author, neither topic nor author, or the same topic and author twice THEN refused; another author on the same topic is a digest of its own', () => {
    const { service } = setup();
    expect(() => service.subscribe({ ...berlin, author: 'Nobody Atall' })).toThrowError('no author in the library is called "Nobody Atall"');
    expect(() => service.subscribe({ ...berlin, topic: ' ', author: ' ' })).toThrowError(/Give the digest a topic, an author, or both/);
    service.subscribe({ ...berlin, author: 'Yanzhi Wang' });
    expect(() => service.subscribe({ ...berlin, author: 'Yanzhi Wang' })).toThrowError('This channel already has a digest of papers by Yanzhi Wang on “vision transformer”.');
    expect(service.subscribe({ ...berlin, author: 'Yanyu Li' }).author).toBe('Yanyu Li');
    expect(service.subscribe(berlin).author).toBeNull();
    expect(service.preview('C', { topic: '', author: 'Yanyu Li' }).map((i) => i.paper.id)).toEqual(['2306.00980', '2212.08059']);
  });

  it('GIVEN a database of schema 4 with a digest and an unconfirmed post THEN the rebuild of schema 5 keeps both, the post still tied to its digest', () => {
    const dir = tempDir();
    const old = openSqlite(join(dir, 'paperbot.db'), MIGRATIONS.slice(0, 4));
    old
      .prepare('INSERT INTO subscriptions (guild_id, channel_id, topic, time, timezone, max_papers, created_by, created_at, category) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run('G', 'C', 'vision transformer', '09:00', 'UTC', 5, 'U', at('2026-03-01T00:00:00Z'), 'cs.CV');
    old.prepare("INSERT INTO digest_posts (subscription_id, slot, channel_id, nonce, items, claimed_at) VALUES (1, 42, 'C', 'n1', '[]', 7)").run();
    old.close();
    const { db, service } = setup({ dataDir: dir });
    expect(service.subscriptions.byChannel('C')).toMatchObject([{ id: 1, topic: 'vision transformer', category: 'cs.CV', author: null }]);
    expect(db.prepare('SELECT subscription_id, slot, nonce FROM digest_posts').all()).toEqual([{ subscription_id: 1, slot: 42, nonce: 'n1' }]);
    // The post still belongs to its digest: removing the digest removes it.
    service.unsubscribe(1, 'G');
    expect(db.prepare('SELECT count(*) AS n FROM digest_posts').get()).toEqual({ n: 0 });
  });
});

describe('votes that retune a topic', () => {
  it('GIVEN votes THEN one per user per paper, changed or taken back (a double click counting once); they teach the topic bounded terms; reset forgets them; a stopped digest refuses', () => {
    const { service, db, clock } = setup();
    const s = service.subscribe({ ...berlin, topic: 'vision transformer' });
    expect(service.vote(s.id, '2212.08059', 'U', 1)).toMatchObject({ now: 1, before: null, repeated: false, votes: 1 });
    // A double click: the second click, a moment later, repeats the vote.
    clock.now += 300;
    expect(service.vote(s.id, '2212.08059', 'U', 1)).toMatchObject({ now: 1, before: 1, repeated: true, votes: 1 });
    clock.now += 5_000;
    expect(service.vote(s.id, '2212.08059', 'U', -1)).toMatchObject({ now: -1, before: 1, votes: 1 });
    clock.now += 5_000;
    expect(service.vote(s.id, '2212.08059', 'U', -1)).toMatchObject({ now: null, before: -1, repeated: false, votes: 0 });
    // The schema holds one vote per user, paper and digest, whatever the code does.
    db.prepare("INSERT INTO digest_votes (subscription_id, paper_id, user_id, vote, voted_at) VALUES (?, '2212.08059', 'U', 1, 0)").run(s.id);
    expect(() => db.prepare("INSERT INTO digest_votes (subscription_id, paper_id, user_id, vote, voted_at) VALUES (?, '2212.08059', 'U', -1, 0)").run(s.id)).toThrow(/UNIQUE|PRIMARY KEY/);
    for (const user of ['V', 'W']) service.vote(s.id, '2303.02165', user, 1);
    service.vote(s.id, '2211.11152', 'V', -1);
    const learned = service.learned(s);
    expect(learned.votes).toBe(4);
    expect(learned.terms.length).toBeGreaterThan(0);
    // The topic's own words are not learned; the boost's idf mass stays within the topic's.
    const search = openSearch({ corpusDir: SEED_CORPUS, dataDir: tempDir() });
    const idf = (t: string) => search.retriever.termWeight(t);
    expect(learned.terms.map((t) => t.term)).not.toContain('vision');
    const boostMass = learned.feedback.boost.reduce((sum, t) => sum + t.weight * idf(t.term), 0);
    expect(boostMass).toBeLessThanOrEqual(idf('vision') + idf('transform') + 1e-6);
    expect(boostMass).toBeGreaterThan(0);
    // Four votes of the ten at full strength: 40% of the bound.
    expect(boostMass / (idf('vision') + idf('transform'))).toBeCloseTo(0.4, 2);
    // Categories too: both liked papers and the disliked one are cs.CV, liked more (0.75 × 1 − 0.25 × 1), at 40% strength.
    expect(learned.categories).toEqual([{ category: 'cs.CV', weight: 0.4 }]);
    expect(learned.feedback.categories).toEqual([{ category: 'cs.CV', weight: expect.closeTo(0.4 * 0.3 * (idf('vision') + idf('transform')), 6) }]);
    expect(service.resetVotes(s.id)).toBe(4);
    expect(service.learned(s).terms).toEqual([]);
    service.unsubscribe(s.id, 'G');
    expect(() => service.vote(s.id, '2212.08059', 'U', 1)).toThrowError('That digest has been stopped: its votes no longer count.');
  });

  it('GIVEN liked papers THEN the next digest ranks their kind first, says which learned words matched, and never brings back a sent paper', async () => {
    const { clock, service } = setup();
    const s = service.subscribe({ ...berlin, topic: 'vision transformer', maxPapers: 1 });
    const before = service.previewOf(s).map((i) => i.paper.id);
    clock.now = at('2026-03-10T08:00:00Z');
    const transport = recorder();
    await runDue(service, transport);
    const sent = transport.posts[0]!.items[0]!.paper.id;
    expect(sent).toBe(before[0]);
    // Votes for the lottery-ticket and early-exit papers: pruning and efficiency, not MobileNet-sized design.
    for (const user of ['U', 'V', 'W', 'X', 'Y']) {
      service.vote(s.id, '2211.01484', user, 1);
      service.vote(s.id, '2211.11152', user, 1);
    }
    const next = service.previewOf(s);
    expect(next[0]!.paper.id).not.toBe(sent);
    expect(next[0]!.learnedWords?.length).toBeGreaterThan(0);
    clock.now = at('2026-03-11T08:00:00Z');
    await runDue(service, transport);
    const ids = transport.posts.flatMap((p) => p.items.map((i) => i.paper.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('digestThreadName', () => {
  it('GIVEN a subject and a slot THEN "Digest · … · day" in the digest\'s time zone, within Discord\'s 100 characters', () => {
    const slot = at('2026-12-01T23:30:00Z');
    expect(digestThreadName({ topic: 'vision transformers', author: null, timezone: 'UTC' }, slot)).toBe('Digest · vision transformers · 1 Dec');
    expect(digestThreadName({ topic: 'vision transformers', author: null, timezone: 'Europe/Berlin' }, slot)).toBe('Digest · vision transformers · 2 Dec');
    expect(digestThreadName({ topic: '', author: 'Yanzhi Wang', timezone: 'UTC' }, slot)).toBe('Digest · by Yanzhi Wang · 1 Dec');
    const long = digestThreadName({ topic: 'x'.repeat(200), author: null, timezone: 'UTC' }, slot);
    expect(long).toHaveLength(100);
    expect(long).toMatch(/^Digest · x+… · 1 Dec$/);
  });
});
