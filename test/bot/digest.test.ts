import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/openDatabase.js';
import { Subscriptions } from '../../src/store/Subscriptions.js';
import { seedPapers, tempDir, writeCorpus } from '../support/corpus.js';
import { ALL_PERMISSIONS, FakeDiscord, type FakeChannel, type FakeGuild } from '../support/fakeDiscord.js';
import { APP_ID, TOKEN, startTestBot, stopTestBot, until } from '../support/paperBot.js';

const EPHEMERAL = 64;
const callback = (id: string) => new RegExp(`^/api/v10/interactions/${id}/[^/]+/callback$`);
const CHANNEL_POSTS = /^\/api\/v10\/channels\/C\/messages$/;
const at = (iso: string) => Date.parse(iso);
const opt = (name: string, value: string | number | boolean, type = 3) => ({ name, type, value });
const sub = (name: string, options: object[] = []) => [{ name, type: 1, options }];
// Every permission but Manage Channels (1 << 4).
const NO_MANAGE_CHANNELS = (BigInt('8866461766385663') & ~(1n << 4n) & ~(1n << 3n)).toString();

/** A bot whose digests run on a clock the test moves (no timer). */
async function digestBot(dataDir = join(tempDir(), 'data'), env: Record<string, string> = {}, guilds?: FakeGuild[]) {
  const clock = { now: at('2026-03-10T06:00:00Z') };
  const test = await startTestBot({ PAPERBOT_DATA_DIR: dataDir, ...env }, { now: () => clock.now, timers: false }, guilds === undefined ? {} : { guilds });
  return { ...test, clock, dataDir };
}

/** The channel's /digest list, as the bot renders it. */
async function listed(fake: Awaited<ReturnType<typeof digestBot>>['fake']): Promise<string> {
  const { id } = fake.slashCommand('digest', sub('list'));
  return (await fake.waitForCall('POST', callback(id))).body.data.embeds[0].description;
}

const digestMessages = (fake: Awaited<ReturnType<typeof digestBot>>['fake']) =>
  fake.channelMessages('C').filter((m) => String(m.content).startsWith('**Daily digest**'));

async function subscribe(fake: Awaited<ReturnType<typeof digestBot>>['fake'], options: object[], permissions?: string) {
  const { id } = fake.slashCommand('digest', sub('subscribe', options), permissions ? { permissions } : {});
  return (await fake.waitForCall('POST', callback(id))).body;
}

describe('/digest', () => {
  it('GIVEN Manage Channels THEN subscribes; list, preview and unsubscribe work; without it THEN refuses privately', async () => {
    const { fake } = await digestBot();
    const refused = await subscribe(fake, [opt('topic', 'vision transformer')], NO_MANAGE_CHANNELS);
    expect(refused).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: 'Managing digests needs the Manage Channels permission in this channel.' } });

    const ok = await subscribe(fake, [opt('topic', 'vision transformer'), opt('time', '09:00'), opt('timezone', 'Europe/Berlin')]);
    expect(ok).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(ok.data.content).toMatch(/^Digest #1: every day at 09:00 \(Europe\/Berlin\), up to 5 new papers on “vision transformer” in <#C>\./);
    expect(ok.data.allowed_mentions).toEqual({ parse: [], replied_user: false });

    const list = fake.slashCommand('digest', sub('list'), { permissions: NO_MANAGE_CHANNELS });
    const listed = (await fake.waitForCall('POST', callback(list.id))).body;
    expect(listed.data.flags).toBe(EPHEMERAL);
    expect(listed.data.embeds[0].description).toBe('**#1** “vision transformer” · 09:00 Europe/Berlin · up to 5 · nothing sent yet · 0 papers so far');

    const preview = fake.slashCommand('digest', sub('preview', [opt('topic', 'vision transformer')]), { permissions: NO_MANAGE_CHANNELS });
    const shown = (await fake.waitForCall('POST', callback(preview.id))).body;
    expect(shown.data.flags).toBe(EPHEMERAL);
    expect(shown.data.content).toBe('**Preview** · “vision transformer” · 4 new papers');
    expect(shown.data.embeds[0].title).toBe('Rethinking Vision Transformers for MobileNet Size and Speed');
    expect(shown.data.embeds[0].description).toMatch(/\*Why this paper:\* matches \*\*Vision\*\*, \*\*Transformers\*\*/);

    const stopRefused = fake.slashCommand('digest', sub('unsubscribe', [opt('id', 1, 4)]), { permissions: NO_MANAGE_CHANNELS });
    expect((await fake.waitForCall('POST', callback(stopRefused.id))).body.data.content).toMatch(/needs the Manage Channels permission/);
    const elsewhere = fake.slashCommand('digest', sub('unsubscribe', [opt('id', 1, 4)]), { channelId: 'D' });
    expect((await fake.waitForCall('POST', callback(elsewhere.id))).body.data.content).toBe('Digest #1 belongs to <#C>: unsubscribe it from there.');
    const stop = fake.slashCommand('digest', sub('unsubscribe', [opt('id', 1, 4)]));
    expect((await fake.waitForCall('POST', callback(stop.id))).body.data.content).toBe('Stopped digest #1 (“vision transformer”) in <#C>.');
  });

  it.each([
    [[opt('topic', 'x'), opt('timezone', 'Mars/Olympus')], /“Mars\/Olympus” is not a time zone I know/],
    [[opt('topic', 'x'), opt('time', '25:00')], /“25:00” is not a time of day/],
    [[opt('topic', '   ')], /Give the digest a topic, an author, or both/],
  ])('GIVEN bad options %j THEN a clear private error', async (options, message) => {
    const { fake } = await digestBot();
    const reply = await subscribe(fake, options);
    expect(reply).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringMatching(message) } });
  });

  it('GIVEN a partly typed time zone or id THEN suggests matches', async () => {
    const { fake } = await digestBot();
    const tz = fake.autocomplete('digest', sub('subscribe', [opt('topic', 'x'), { name: 'timezone', type: 3, value: 'berl', focused: true }]));
    expect((await fake.waitForCall('POST', callback(tz.id))).body.data.choices).toEqual([{ name: 'Europe/Berlin', value: 'Europe/Berlin' }]);
    await subscribe(fake, [opt('topic', 'pruning')]);
    const id = fake.autocomplete('digest', sub('unsubscribe', [{ name: 'id', type: 4, value: '', focused: true }]));
    expect((await fake.waitForCall('POST', callback(id.id))).body.data.choices).toEqual([{ name: '#1 “pruning” (09:00 UTC)', value: 1 }]);
  });

  it('GIVEN "Subscribe this channel" under an answer THEN the question becomes a digest (Manage Channels checked)', async () => {
    const { fake, ctx } = await digestBot().then((t) => ({ ...t, ctx: t.bot.ctx }));
    const { token } = fake.slashCommand('ask', [opt('question', 'lottery tickets')]);
    await fake.waitForCall('PATCH', /messages\/@original$/);
    const original = fake.originalMessage(token);
    const button = original.components[0].components[2];
    expect(button.label).toBe('Subscribe this channel');
    const refused = fake.buttonClick(button.custom_id, original, { permissions: NO_MANAGE_CHANNELS, userId: 'V' });
    expect((await fake.waitForCall('POST', callback(refused.id))).body.data.content).toMatch(/needs the Manage Channels permission/);
    const click = fake.buttonClick(button.custom_id, original);
    const reply = (await fake.waitForCall('POST', callback(click.id))).body;
    expect(reply.data.content).toMatch(/^Digest #1: every day at 09:00 \(UTC\), up to 5 new papers on “lottery tickets”/);
    expect(ctx.digests.subscriptions.byChannel('C').map((s) => s.topic)).toEqual(['lottery tickets']);
  });
});

describe('digest delivery', () => {
  it('GIVEN 09:00 Berlin comes THEN posts the matching papers to the channel once, and never again, across restarts', async () => {
    const first = await digestBot();
    await subscribe(first.fake, [opt('topic', 'vision transformer'), opt('timezone', 'Europe/Berlin')]);
    first.clock.now = at('2026-03-10T07:59:00Z');
    expect(await first.bot.digests.tick()).toBe(0);
    first.clock.now = at('2026-03-10T08:00:00Z');
    expect(await first.bot.digests.tick()).toBe(1);
    const post = await first.fake.waitForCall('POST', CHANNEL_POSTS);
    expect(post.headers.authorization).toBe('Bot test-bot-token-secret');
    expect(post.body.content).toBe('**Daily digest** · “vision transformer” · 4 new papers');
    expect(post.body.embeds.map((e: { title: string }) => e.title)).toEqual([
      'Rethinking Vision Transformers for MobileNet Size and Speed',
      'Data Level Lottery Ticket Hypothesis for Vision Transformers',
      'DeepMAD: Mathematical Architecture Design for Deep Convolutional Neural Network',
      'You Need Multiple Exiting: Dynamic Early Exiting for Accelerating Unified Vision Language Model',
    ]);
    expect(post.body.embeds[0].url).toBe('https://arxiv.org/abs/2212.08059');
    expect(post.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    await until(() => first.logs.some((l) => l.msg === 'digest sent'), 'the digest log line');

    first.clock.now = at('2026-03-11T08:00:00Z');
    await first.bot.digests.tick();
    expect(first.fake.callsTo('POST', CHANNEL_POSTS)).toHaveLength(1);
    await stopTestBot(first);

    const second = await digestBot(first.dataDir);
    second.clock.now = at('2026-03-12T08:00:00Z');
    await second.bot.digests.tick();
    second.clock.now = at('2026-03-20T09:00:00Z');
    await second.bot.digests.tick();
    expect(second.fake.callsTo('POST', CHANNEL_POSTS)).toEqual([]);
  });

  it('GIVEN a category THEN the digest brings only papers listing it, the list says so, and a category no paper lists is refused privately', async () => {
    const { fake, bot, clock } = await digestBot();
    const refused = await subscribe(fake, [opt('topic', 'models'), opt('category', 'cs.XX')]);
    expect(refused).toMatchObject({ data: { flags: EPHEMERAL, content: expect.stringContaining('category "cs.XX": no paper in the library is in that category') } });
    const suggested = fake.autocomplete('digest', sub('subscribe', [opt('topic', 'models'), { name: 'category', type: 3, value: 'cs.l', focused: true }]));
    expect((await fake.waitForCall('POST', callback(suggested.id))).body.data.choices).toEqual([{ name: 'cs.LG · 3 papers', value: 'cs.LG' }]);
    const ok = await subscribe(fake, [opt('topic', 'models'), opt('category', 'cs.lg')]);
    expect(ok.data.content).toMatch(/^Digest #1: every day at 09:00 \(UTC\), up to 5 new papers on “models” in cs\.LG in <#C>\./);
    expect(await listed(fake)).toMatch(/^\*\*#1\*\* “models” in cs\.LG · 09:00 UTC/);
    clock.now = at('2026-03-10T09:00:00Z');
    expect(await bot.digests.tick()).toBe(1);
    const post = await fake.waitForCall('POST', CHANNEL_POSTS);
    const ids = post.body.embeds.map((e: { url: string }) => e.url.replace('https://arxiv.org/abs/', ''));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(['2305.00380', '2210.04092', '2211.12005']).toContain(id);
  });

  it('GIVEN Discord answers 50001 Missing Access THEN the subscription pauses with a log line, and is not retried', async () => {
    const { fake, bot, clock, logs } = await digestBot();
    await subscribe(fake, [opt('topic', 'pruning')]);
    fake.failNext(403, { message: 'Missing Access', code: 50001 }, { pathPattern: CHANNEL_POSTS });
    clock.now = at('2026-03-10T09:00:00Z');
    await bot.digests.tick();
    expect(bot.ctx.digests.subscriptions.get(1)).toMatchObject({ pausedReason: 'Missing Access (50001)', papersSent: 0 });
    expect(logs.find((l) => l.msg === 'digest paused')).toMatchObject({ level: 40, subscription: 1, reason: 'Missing Access (50001)' });
    clock.now = at('2026-03-11T09:00:00Z');
    await bot.digests.tick();
    expect(fake.callsTo('POST', CHANNEL_POSTS)).toHaveLength(1);
    const list = fake.slashCommand('digest', sub('list'));
    expect((await fake.waitForCall('POST', callback(list.id))).body.data.embeds[0].description).toMatch(/⏸ paused: Missing Access \(50001\)/);
  });

  it('GIVEN a rate limit on the post THEN waits and posts once', async () => {
    const { fake, bot, clock } = await digestBot();
    await subscribe(fake, [opt('topic', 'pruning')]);
    fake.rateLimitNext(1, { retryAfterSeconds: 0.2, pathPattern: CHANNEL_POSTS });
    clock.now = at('2026-03-10T09:00:00Z');
    await bot.digests.tick();
    expect(fake.callsTo('POST', CHANNEL_POSTS)).toHaveLength(2);
    expect(bot.ctx.digests.subscriptions.get(1)!.papersSent).toBeGreaterThan(0);
  });
});

describe('digest delivery when Discord may have posted', () => {
  /** A bot whose 09:00 digest on "pruning" got a 500, after or before Discord posted it. */
  async function afterA500(afterHandling: boolean) {
    const test = await digestBot();
    await subscribe(test.fake, [opt('topic', 'pruning')]);
    test.fake.failNext(500, { message: 'Internal Server Error', code: 0 }, { pathPattern: CHANNEL_POSTS, afterHandling });
    test.clock.now = at('2026-03-10T09:00:00Z');
    await test.bot.digests.tick();
    return test;
  }

  it('GIVEN a 500 before Discord posted the message THEN the next look posts it once, with the same nonce', async () => {
    const { fake, bot, clock } = await afterA500(false);
    expect(await listed(fake)).toMatch(/⚠ \d+ papers? not confirmed sent/);
    clock.now = at('2026-03-10T09:01:00Z');
    await bot.digests.tick();
    clock.now = at('2026-03-11T09:00:00Z');
    await bot.digests.tick();
    const posts = fake.callsTo('POST', CHANNEL_POSTS);
    expect(posts).toHaveLength(2);
    expect(posts[1]!.body).toMatchObject({ nonce: posts[0]!.body.nonce, enforce_nonce: true, embeds: posts[0]!.body.embeds });
    expect(digestMessages(fake)).toHaveLength(1);
    expect(bot.ctx.digests.subscriptions.get(1)!.papersSent).toBe(posts[0]!.body.embeds.length);
    expect(await listed(fake)).not.toContain('⚠');
  });

  it('GIVEN a 500 after Discord posted the message THEN the next look finds it in the channel and posts nothing more', async () => {
    const { fake, bot, clock } = await afterA500(true);
    clock.now = at('2026-03-10T09:01:00Z');
    await bot.digests.tick();
    expect(fake.callsTo('GET', CHANNEL_POSTS)).toHaveLength(1);
    expect(fake.callsTo('POST', CHANNEL_POSTS)).toHaveLength(1);
    expect(digestMessages(fake)).toHaveLength(1);
    expect(bot.ctx.digests.subscriptions.get(1)!.papersSent).toBeGreaterThan(0);
    expect(await listed(fake)).not.toContain('⚠');
  });

  it("GIVEN the channel's history does not show the message (no Read Message History) THEN the retry's nonce makes Discord return it, not post it again", async () => {
    const { fake, bot, clock } = await afterA500(true);
    fake.failNext(200, [], { pathPattern: CHANNEL_POSTS }); // what Discord lists without Read Message History
    clock.now = at('2026-03-10T09:01:00Z');
    await bot.digests.tick();
    const posts = fake.callsTo('POST', CHANNEL_POSTS);
    expect(posts).toHaveLength(2);
    expect(posts[1]!.body.nonce).toBe(posts[0]!.body.nonce);
    expect(digestMessages(fake)).toHaveLength(1);
    expect(await listed(fake)).not.toContain('⚠');
  });

  it('GIVEN a digest of two messages whose second got a 500 THEN the retry posts only the second, with its own nonce', async () => {
    // Long venues make ten papers overflow one message's 6,000 characters.
    const base = seedPapers()[0]!;
    const papers = Array.from({ length: 10 }, (_, i) => ({ ...base, id: `2401.${String(i + 1).padStart(5, '0')}`, title: `Sparse expert routing, study ${i + 1}`, venue: `Workshop ${'on routing '.repeat(90)}` }));
    const { fake, bot, clock } = await digestBot(join(tempDir(), 'data'), { PAPERBOT_CORPUS: writeCorpus(papers) });
    await subscribe(fake, [opt('topic', 'sparse expert routing'), opt('max', 10, 4)]);
    const first = fake.holdNext(CHANNEL_POSTS);
    clock.now = at('2026-03-10T09:00:00Z');
    const ticked = bot.digests.tick();
    await first.received;
    fake.failNext(500, { message: 'Internal Server Error', code: 0 }, { pathPattern: CHANNEL_POSTS });
    first.release();
    await ticked;
    expect(await listed(fake)).toMatch(/⚠ \d+ papers not confirmed sent/);
    fake.failNext(200, [], { pathPattern: CHANNEL_POSTS }); // no history to look at: the confirmation alone must spare the first
    clock.now = at('2026-03-10T09:01:00Z');
    await bot.digests.tick();

    const posts = fake.callsTo('POST', CHANNEL_POSTS);
    expect(posts.map((p) => p.body.nonce)).toEqual([expect.stringMatching(/\.0$/), expect.stringMatching(/\.1$/), posts[1]!.body.nonce]);
    expect(posts[2]!.body.content).toMatch(/\(continued\)$/);
    expect(digestMessages(fake)).toHaveLength(2);
    expect(bot.ctx.digests.subscriptions.get(1)!.papersSent).toBe(10);
    expect(await listed(fake)).not.toContain('⚠');
  });

  it('GIVEN a 4xx refusal that is not permanent THEN nothing went out, and the same slot is retried', async () => {
    const { fake, bot, clock } = await digestBot();
    await subscribe(fake, [opt('topic', 'pruning')]);
    fake.failNext(400, { message: 'Invalid Form Body', code: 50035 }, { pathPattern: CHANNEL_POSTS });
    clock.now = at('2026-03-10T09:00:00Z');
    await bot.digests.tick();
    clock.now = at('2026-03-10T09:01:00Z');
    await bot.digests.tick();
    const posts = fake.callsTo('POST', CHANNEL_POSTS);
    expect(posts).toHaveLength(2);
    expect(posts[1]!.body.embeds.map((e: { title: string }) => e.title)).toEqual(posts[0]!.body.embeds.map((e: { title: string }) => e.title));
  });
});

describe('digest delivery across a kill -9 of `npm start`', () => {
  const ROOT = resolve(import.meta.dirname, '../..');
  const GUILD = '200000000000000002';
  const children: ChildProcess[] = [];
  const fakes: FakeDiscord[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const fake of fakes.splice(0)) await fake.stop();
  });

  /** `npm start`'s main.ts on `dataDir`, against `fake`, with its log lines. */
  async function startBotProcess(fake: FakeDiscord, dataDir: string) {
    const { PATH, HOME } = process.env;
    const env = { PATH, HOME, PAPERBOT_ENV_FILE: join(tempDir(), 'none.env'), DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: APP_ID, DISCORD_API_BASE: fake.apiBase, PAPERBOT_DATA_DIR: dataDir };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], { cwd: ROOT, env });
    children.push(child);
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((r) => child.on('exit', (code, signal) => r(signal ?? code)));
    await until(() => out.stdout.includes('"msg":"ready"'), `the bot to be ready (stderr: ${out.stderr})`, 20_000);
    return { child, out, exited };
  }

  async function list(fake: FakeDiscord): Promise<string> {
    const { id } = fake.slashCommand('digest', sub('list'), { guildId: GUILD });
    return (await fake.waitForCall('POST', callback(id), { timeoutMs: 10_000 })).body.data.embeds[0].description;
  }

  it.each([
    ['after Discord created the message', 'after', 0],
    ['before the post reached Discord', 'before', 1],
  ] as const)('GIVEN the bot is killed -9 while posting a digest, %s, THEN /digest list shows the claimed papers, and after a restart they are in the channel exactly once', async (_, handle, reposts) => {
    const fake = await FakeDiscord.start({ token: TOKEN, applicationId: APP_ID, guilds: [{ id: GUILD, channels: [{ id: 'C' }] }] });
    fakes.push(fake);
    const dataDir = join(tempDir(), 'data');
    const db = openDatabase(dataDir);
    // Subscribed two days ago for 00:00 UTC: today's digest is due as soon as the bot is up.
    new Subscriptions(db).add({ guildId: GUILD, channelId: 'C', topic: 'vision transformer', time: '00:00', timezone: 'UTC', maxPapers: 5, postWhenEmpty: false, createdBy: 'U', createdAt: Date.now() - 2 * 86_400_000, category: null, author: null });
    db.close();

    const firstPost = fake.holdNext(CHANNEL_POSTS, { handle });
    const first = await startBotProcess(fake, dataDir);
    await fake.waitForCall('POST', CHANNEL_POSTS, { timeoutMs: 10_000 });
    const killed = await firstPost.received;
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const papers = killed.body.embeds.map((e: { url: string }) => e.url.replace('https://arxiv.org/abs/', ''));
    expect(papers).toHaveLength(4);
    expect(killed.body).toMatchObject({ nonce: expect.stringMatching(/^.{1,25}$/), enforce_nonce: true });

    // The restarted bot's first look at the channel is held, so /digest list is seen before the recovery ends.
    const recovery = fake.holdNext(CHANNEL_POSTS);
    const mark = fake.calls.length;
    const second = await startBotProcess(fake, dataDir);
    await fake.waitForCall('GET', CHANNEL_POSTS, { after: mark, timeoutMs: 10_000 });
    await recovery.received;
    const before = await list(fake);
    expect(before).toContain('⚠ 4 papers not confirmed sent');
    for (const id of papers) expect(before).toContain(id);

    recovery.release();
    await until(() => second.out.stdout.includes('"msg":"digest sent"'), `the digest to be confirmed (stdout: ${second.out.stdout})`, 10_000);
    expect(await list(fake)).not.toContain('⚠');
    const retried = fake.calls.slice(mark).filter((c) => c.method === 'POST' && CHANNEL_POSTS.test(c.path));
    expect(retried).toHaveLength(reposts);
    for (const post of retried) expect(post.body).toMatchObject({ nonce: killed.body.nonce, enforce_nonce: true, embeds: killed.body.embeds });
    const digests = fake.channelMessages('C').filter((m) => String(m.content).startsWith('**Daily digest**'));
    expect(digests).toHaveLength(1);
    expect(digests[0].embeds.map((e: { url: string }) => e.url)).toEqual(killed.body.embeds.map((e: { url: string }) => e.url));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);
});

describe('following an author', () => {
  it('GIVEN /digest subscribe author: (suggested as typed) THEN a daily digest of their papers saying who, listed and previewed by author; an unknown author is refused privately', async () => {
    const { fake, bot, clock } = await digestBot();
    const suggest = fake.autocomplete('digest', sub('subscribe', [{ name: 'author', type: 3, value: 'yanyu', focused: true }]));
    expect((await fake.waitForCall('POST', callback(suggest.id))).body.data.choices).toEqual([{ name: 'Yanyu Li · 2 papers', value: 'Yanyu Li' }, { name: 'Yanyue Xie · 1 paper', value: 'Yanyue Xie' }]);

    const unknown = await subscribe(fake, [opt('author', 'Nobody Atall')]);
    expect(unknown.data).toMatchObject({ flags: EPHEMERAL, content: 'no author in the library is called "Nobody Atall"' });
    const ok = await subscribe(fake, [opt('author', 'Yanyu Li')]);
    expect(ok.data.content).toMatch(/^Digest #1: every day at 09:00 \(UTC\), up to 5 new papers by Yanyu Li in <#C>\./);
    const both = await subscribe(fake, [opt('author', 'Yanzhi Wang'), opt('topic', 'pruning')]);
    expect(both.data.content).toMatch(/^Digest #2: every day at 09:00 \(UTC\), up to 5 new papers by Yanzhi Wang on “pruning” in <#C>\./);
    expect(await listed(fake)).toMatch(/^\*\*#1\*\* papers by Yanyu Li · 09:00 UTC[^\n]*\n\*\*#2\*\* papers by Yanzhi Wang on “pruning” · /);

    const preview = fake.slashCommand('digest', sub('preview', [opt('author', 'Yanyu Li')]));
    const previewed = (await fake.waitForCall('POST', callback(preview.id))).body.data;
    expect(previewed.content).toBe('**Preview** · papers by Yanyu Li · 2 new papers');

    clock.now = at('2026-03-10T09:00:00Z');
    expect(await bot.digests.tick()).toBe(2);
    await until(() => fake.callsTo('POST', CHANNEL_POSTS).length === 2, 'both digests');
    const posts = fake.callsTo('POST', CHANNEL_POSTS).map((c) => c.body);
    const byLi = posts.find((p) => p.content.startsWith('**Daily digest** · papers by Yanyu Li'))!;
    expect(byLi.content).toBe('**Daily digest** · papers by Yanyu Li · 2 new papers');
    expect(byLi.embeds.map((e: { url: string }) => e.url)).toEqual(['https://arxiv.org/abs/2306.00980', 'https://arxiv.org/abs/2212.08059']);
    expect(byLi.embeds[0].description).toMatch(/\*Why this paper:\* by \*\*Yanyu Li\*\*$/);
    const pruning = posts.find((p) => p.content.startsWith('**Daily digest** · papers by Yanzhi Wang on “pruning”'))!;
    expect(pruning.embeds[0].description).toMatch(/\*Why this paper:\* by \*\*Yanzhi Wang\*\*; matches \*\*[Pp]runing\*\*/);

    clock.now = at('2026-03-11T09:00:00Z');
    await bot.digests.tick();
    expect(fake.callsTo('POST', CHANNEL_POSTS)).toHaveLength(2);
  });
});

describe('digests that learn', () => {
  it('GIVEN a posted digest THEN 👍/👎 under each paper vote privately (changed, taken back); tune shows what was learned; reset needs Manage Channels; preview and the next digest use it; a restart keeps the votes', async () => {
    const first = await digestBot();
    await subscribe(first.fake, [opt('topic', 'vision transformer'), opt('max', 1, 4)]);
    first.clock.now = at('2026-03-10T09:00:00Z');
    await first.bot.digests.tick();
    const post = (await first.fake.waitForCall('POST', CHANNEL_POSTS)).body;
    const buttons = post.components.flatMap((r: { components: { label: string; custom_id: string }[] }) => r.components);
    expect(buttons.map((b: { label: string }) => b.label)).toEqual(['👍 1', '👎 1']);
    expect(buttons[0].custom_id).toBe('digest:vote:1:2212.08059:up');
    const message = first.fake.channelMessages('C').find((m) => String(m.content).startsWith('**Daily digest**'));

    const click = async (customId: string, userId: string) => (await first.fake.waitForCall('POST', callback(first.fake.buttonClick(customId, message, { userId }).id))).body;
    const up = await click(buttons[0].custom_id, 'V');
    expect(up).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringMatching(/^👍 on “Rethinking Vision Transformers for MobileNet Size and Speed”\. The same button again takes it back\. Digest #1 has 1 vote;/) } });
    first.clock.now += 5_000;
    expect((await click(buttons[1].custom_id, 'V')).data.content).toMatch(/^👎 on “Rethinking.+” \(changed\)\./);
    expect((await click(buttons[1].custom_id, 'V')).data.content).toMatch(/^Your 👎 on “Rethinking.+” stands: two clicks this close count once\./);
    first.clock.now += 5_000;
    expect((await click(buttons[1].custom_id, 'V')).data.content).toMatch(/^Took back your 👎 on “Rethinking/);
    for (const user of ['V', 'W', 'X']) await click(buttons[0].custom_id, user);

    const tune = (options: object[], permissions?: string) => first.fake.slashCommand('digest', sub('tune', [opt('id', 1, 4), ...options]), permissions ? { permissions } : {});
    const tuned = (await first.fake.waitForCall('POST', callback(tune([]).id))).body.data;
    expect(tuned.flags).toBe(EPHEMERAL);
    expect(tuned.embeds[0].title).toBe('What digest #1 has learned');
    expect(tuned.embeds[0].description).toMatch(/^From 3 votes, beside the topic “vision transformer”/);
    expect(tuned.embeds[0].fields[0]).toMatchObject({ name: 'More of', value: expect.stringMatching(/^`\+\d\.\d\d` \S+/) });

    const preview = first.fake.slashCommand('digest', sub('preview', [opt('id', 1, 4)]));
    const previewed = (await first.fake.waitForCall('POST', callback(preview.id))).body.data;
    expect(previewed.content).toMatch(/^\*\*Preview\*\* · “vision transformer” · 1 new paper$/);
    expect(previewed.embeds[0].description).toMatch(/\*Why this paper:\* matches .*; learned from your votes: \*\*/);
    expect(previewed.components).toEqual([]);

    // The next digest is the preview's: the votes retuned it, and it says which learned words matched.
    first.clock.now = at('2026-03-11T09:00:00Z');
    await first.bot.digests.tick();
    await until(() => first.fake.callsTo('POST', CHANNEL_POSTS).length === 2, 'the next digest');
    const next = first.fake.callsTo('POST', CHANNEL_POSTS)[1]!.body;
    expect(next.embeds[0].url).toBe(previewed.embeds[0].url);
    expect(next.embeds[0].description).toMatch(/learned from your votes: \*\*/);
    expect(next.embeds[0].url).not.toBe(post.embeds[0].url);
    await stopTestBot(first);

    const second = await digestBot(first.dataDir);
    const kept = (await second.fake.waitForCall('POST', callback(second.fake.slashCommand('digest', sub('tune', [opt('id', 1, 4)])).id))).body.data;
    expect(kept.embeds[0].description).toMatch(/^From 3 votes/);
    const refused = second.fake.slashCommand('digest', sub('tune', [opt('id', 1, 4), { name: 'reset', type: 5, value: true }]), { permissions: NO_MANAGE_CHANNELS });
    expect((await second.fake.waitForCall('POST', callback(refused.id))).body.data.content).toMatch(/needs the Manage Channels permission/);
    const reset = second.fake.slashCommand('digest', sub('tune', [opt('id', 1, 4), { name: 'reset', type: 5, value: true }]));
    expect((await second.fake.waitForCall('POST', callback(reset.id))).body.data.content).toBe('Digest #1 forgot its 3 votes: its topic is as typed again.');

    const stop = second.fake.slashCommand('digest', sub('unsubscribe', [opt('id', 1, 4)]));
    await second.fake.waitForCall('POST', callback(stop.id));
    const late = second.fake.buttonClick(buttons[0].custom_id, message, { userId: 'V' });
    expect((await second.fake.waitForCall('POST', callback(late.id))).body.data).toMatchObject({ flags: EPHEMERAL, content: 'That digest has been stopped: its votes no longer count.' });
  });
});

describe('a thread per digest', () => {
  it('GIVEN a digest posted THEN a thread on its first message; a mention there answers from its papers, says so, and falls back to the whole library; /ask there too', async () => {
    const { fake, bot, clock } = await digestBot();
    await subscribe(fake, [opt('topic', 'vision transformer'), opt('timezone', 'Europe/Berlin')]);
    clock.now = at('2026-03-10T08:00:00Z');
    await bot.digests.tick();
    const started = await fake.waitForCall('POST', /^\/api\/v10\/channels\/C\/messages\/\d+\/threads$/);
    expect(started.body).toMatchObject({ name: 'Digest · vision transformer · 10 Mar', auto_archive_duration: 1440 });
    const [thread] = fake.threadsOf('C');
    expect(thread!.id).toBe(digestMessages(fake)[0].id);

    fake.messageCreate(`<@${APP_ID}> which of these prune tokens to exit early?`, { mentionsBot: true, channelId: thread!.id });
    const scoped = await fake.waitForCall('POST', new RegExp(`^/api/v10/channels/${thread!.id}/messages$`));
    expect(scoped.body.content).toBe("*From this digest's 4 papers.*");
    const digestPapers = new Set(digestMessages(fake)[0].embeds.map((e: { url: string }) => e.url));
    expect(scoped.body.embeds.length).toBeGreaterThan(0);
    for (const e of scoped.body.embeds) expect(digestPapers.has(e.url)).toBe(true);

    fake.messageCreate(`<@${APP_ID}> text-to-image diffusion on a phone`, { mentionsBot: true, channelId: thread!.id });
    await until(() => fake.callsTo('POST', new RegExp(`^/api/v10/channels/${thread!.id}/messages$`)).length === 2, 'the second answer');
    const fallback = fake.callsTo('POST', new RegExp(`^/api/v10/channels/${thread!.id}/messages$`))[1]!.body;
    expect(fallback.content).toBe("*None of this digest's 4 papers matches: these are from the whole library.*");
    expect(fallback.embeds[0].url).toBe('https://arxiv.org/abs/2306.00980');

    const ask = fake.slashCommand('ask', [opt('question', 'which of these use lottery tickets?')], { channelId: thread!.id });
    const edit = await fake.waitForCall('PATCH', new RegExp(`/webhooks/${APP_ID}/${ask.token}/messages/@original$`));
    expect(edit.body.content).toBe("*From this digest's 4 papers.*");
    expect(edit.body.embeds[0].url).toBe('https://arxiv.org/abs/2211.01484');
  });

  it('GIVEN no Create Public Threads permission THEN the digest is posted once all the same, and /digest list says why it has no thread', async () => {
    const { fake, bot, clock } = await digestBot();
    await subscribe(fake, [opt('topic', 'vision transformer')]);
    fake.failNext(403, { code: 50013, message: 'Missing Permissions' }, { pathPattern: /\/threads$/ });
    clock.now = at('2026-03-10T09:00:00Z');
    await bot.digests.tick();
    await fake.waitForCall('POST', /\/threads$/);
    expect(await listed(fake)).toMatch(/ · no thread: the bot lacks the Create Public Threads permission here/);
    expect(digestMessages(fake)).toHaveLength(1);
    expect(fake.threadsOf('C')).toEqual([]);
    clock.now = at('2026-03-10T10:00:00Z');
    await bot.digests.tick();
    expect(digestMessages(fake)).toHaveLength(1);
  });
});

describe('digests in forums and threads', () => {
  const FORUM_POSTS = /^\/api\/v10\/channels\/F\/threads$/;
  // Every permission but these bits, and Administrator (bit 3), which implies them all.
  const without = (...bits: number[]) => [3, ...bits].reduce((p, bit) => p & ~(1n << BigInt(bit)), BigInt(ALL_PERMISSIONS)).toString();
  /** A bot in a guild with the text channel C and the forum F. */
  const forumBot = (forum: Partial<FakeChannel> = {}) =>
    digestBot(join(tempDir(), 'data'), {}, [{ id: 'G', channels: [{ id: 'C', name: 'general' }, { id: 'F', name: 'papers', type: 15, ...forum }] }]);
  /** The `channel:` option naming `id`, as Discord resolves it: with the member's and the bot's permissions there. */
  const channelOption = (id: string, type: number, permissions = ALL_PERMISSIONS, app = ALL_PERMISSIONS) => ({
    option: opt('channel', id, 7),
    data: { resolved: { channels: { [id]: { id, type, name: id, permissions, app_permissions: app } } } },
  });
  async function subscribeTo(fake: FakeDiscord, options: object[], pick: ReturnType<typeof channelOption>) {
    const { id } = fake.slashCommand('digest', sub('subscribe', [...options, pick.option]), { data: pick.data });
    return (await fake.waitForCall('POST', callback(id))).body.data.content as string;
  }

  it('GIVEN channel: a forum THEN each digest is a new post there, named like a thread; its questions are scoped; its commands manage the forum\'s digests; the next day is a new post of new papers', async () => {
    const { fake, bot, clock } = await forumBot();
    const reply = await subscribeTo(fake, [opt('topic', 'vision transformer'), opt('max', 2, 4)], channelOption('F', 15));
    expect(reply).toMatch(/^Digest #1: every day at 09:00 \(UTC\), up to 2 new papers on “vision transformer” in the forum <#F>, a new post each day\./);

    clock.now = at('2026-03-10T09:00:00Z');
    await bot.digests.tick();
    const created = await fake.waitForCall('POST', FORUM_POSTS);
    expect(created.body).toMatchObject({ name: 'Digest · vision transformer · 10 Mar', auto_archive_duration: 1440, message: { content: '**Daily digest** · “vision transformer” · 2 new papers' } });
    expect(created.body.message.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const [post] = fake.threadsOf('F');
    expect(post!.name).toBe('Digest · vision transformer · 10 Mar');
    const [starter] = fake.channelMessages(post!.id);
    expect(starter.id).toBe(post!.id);
    expect(starter.embeds.map((e: { url: string }) => e.url)).toEqual(['https://arxiv.org/abs/2212.08059', 'https://arxiv.org/abs/2211.01484']);
    expect(fake.callsTo('POST', CHANNEL_POSTS)).toEqual([]);
    expect(fake.callsTo('POST', /\/messages\/\d+\/threads$/)).toEqual([]);
    expect(bot.ctx.digests.subscriptions.get(1)).toMatchObject({ papersSent: 2, pausedReason: null, threadProblem: null });

    fake.messageCreate(`<@${APP_ID}> which of these use lottery tickets?`, { mentionsBot: true, channelId: post!.id });
    const scoped = await fake.waitForCall('POST', new RegExp(`^/api/v10/channels/${post!.id}/messages$`));
    expect(scoped.body.content).toBe("*From this digest's 2 papers.*");
    expect(scoped.body.embeds[0].url).toBe('https://arxiv.org/abs/2211.01484');

    // Commands cannot run in a forum, only in its posts: there they manage the forum's digests.
    const list = fake.slashCommand('digest', sub('list'), { channelId: post!.id });
    expect((await fake.waitForCall('POST', callback(list.id))).body.data.embeds[0].description).toMatch(/^\*\*#1\*\* “vision transformer” · 09:00 UTC · up to 2 · last sent /);
    const preview = fake.slashCommand('digest', sub('preview', [opt('id', 1, 4)]), { channelId: post!.id });
    expect((await fake.waitForCall('POST', callback(preview.id))).body.data.content).toBe('**Preview** · “vision transformer” · 2 new papers');

    clock.now = at('2026-03-11T09:00:00Z');
    await bot.digests.tick();
    await until(() => fake.threadsOf('F').length === 2, 'the second post');
    const second = fake.threadsOf('F')[1]!;
    expect(second.name).toBe('Digest · vision transformer · 11 Mar');
    const urls = fake.channelMessages(second.id)[0].embeds.map((e: { url: string }) => e.url);
    expect(urls).toHaveLength(2);
    expect(urls.filter((u: string) => starter.embeds.some((e: { url: string }) => e.url === u))).toEqual([]);

    const stop = fake.slashCommand('digest', sub('unsubscribe', [opt('id', 1, 4)]), { channelId: second.id });
    expect((await fake.waitForCall('POST', callback(stop.id))).body.data.content).toBe('Stopped digest #1 (“vision transformer”) in <#F>.');
  });

  it('GIVEN /digest subscribe in a forum post, even one the gateway never announced THEN the digest is the forum\'s', async () => {
    const { fake } = await forumBot();
    const announced = fake.createThread('F', 'reading group');
    const unannounced = fake.createThread('F', 'another post', { announce: false });
    const first = fake.slashCommand('digest', sub('subscribe', [opt('topic', 'pruning')]), { channelId: announced.id });
    expect((await fake.waitForCall('POST', callback(first.id))).body.data.content).toMatch(/ in the forum <#F>, a new post each day\./);
    const second = fake.slashCommand('digest', sub('subscribe', [opt('topic', 'lottery tickets')]), { channelId: unannounced.id });
    expect((await fake.waitForCall('POST', callback(second.id))).body.data.content).toMatch(/ in the forum <#F>, a new post each day\./);
    expect(fake.callsTo('GET', new RegExp(`^/api/v10/channels/${unannounced.id}$`))).toHaveLength(1);
    const list = fake.slashCommand('digest', sub('list'), { channelId: unannounced.id });
    expect((await fake.waitForCall('POST', callback(list.id))).body.data.embeds[0].description.split('\n').map((l: string) => l.slice(0, 5))).toEqual(['**#1*', '**#2*']);
  });

  it('GIVEN "Subscribe this channel" under an answer in a forum post THEN the forum gets the digest', async () => {
    const { fake, bot } = await forumBot();
    const post = fake.createThread('F', 'reading group');
    const { token } = fake.slashCommand('ask', [opt('question', 'lottery tickets')], { channelId: post.id });
    await fake.waitForCall('PATCH', /messages\/@original$/);
    const original = fake.originalMessage(token);
    const click = fake.buttonClick(original.components[0].components[2].custom_id, original, { channelId: post.id });
    expect((await fake.waitForCall('POST', callback(click.id))).body.data.content).toMatch(/ on “lottery tickets” in the forum <#F>, a new post each day\./);
    expect(bot.ctx.digests.subscriptions.byChannel('F').map((s) => s.topic)).toEqual(['lottery tickets']);
  });

  it('GIVEN channel: where the member lacks Manage Channels, or the bot cannot post THEN a private refusal naming the channel and what is missing, and nothing stored', async () => {
    const { fake, bot } = await forumBot();
    expect(await subscribeTo(fake, [opt('topic', 'pruning')], channelOption('F', 15, without(4)))).toBe('Managing digests needs the Manage Channels permission in the forum <#F>.');
    expect(await subscribeTo(fake, [opt('topic', 'pruning')], channelOption('F', 15, ALL_PERMISSIONS, without(11, 38)))).toBe(
      'I cannot post digests in the forum <#F>: I lack Send Messages (Create Posts), Send Messages in Threads there. Grant them to me, then subscribe again.',
    );
    const here = fake.slashCommand('digest', sub('subscribe', [opt('topic', 'pruning')]), { appPermissions: without(14) });
    expect((await fake.waitForCall('POST', callback(here.id))).body.data).toMatchObject({ flags: EPHEMERAL, content: 'I cannot post digests in this channel: I lack Embed Links there. Grant it to me, then subscribe again.' });
    expect(bot.ctx.digests.subscriptions.byChannel('F')).toEqual([]);
    expect(bot.ctx.digests.subscriptions.byChannel('C')).toEqual([]);
    // A text channel without Create Public Threads still takes digests, and says it will have no threads.
    expect(await subscribeTo(fake, [opt('topic', 'pruning')], channelOption('C', 0, ALL_PERMISSIONS, without(35)))).toMatch(/ in <#C>\. No thread will be started on it: I lack the Create Public Threads permission there\./);
  });

  it('GIVEN a forum that requires a tag THEN subscribing needs a "Digest" tag, and its posts wear it; the tag gone, the digest pauses saying why', async () => {
    const tags = [{ id: '901', name: 'Question' }, { id: '902', name: 'Digest' }];
    const { fake, bot, clock } = await forumBot({ flags: 16, availableTags: tags.slice(0, 1) });
    expect(await subscribeTo(fake, [opt('topic', 'pruning')], channelOption('F', 15))).toBe("The forum <#F> requires a tag on every post: add a tag named “Digest” for the digest's posts.");
    fake.updateChannel('F', { availableTags: tags });
    await until(() => (bot.client.channels.cache.get('F') as { availableTags?: unknown[] } | undefined)?.availableTags?.length === 2, 'the new tag');
    expect(await subscribeTo(fake, [opt('topic', 'vision transformer'), opt('max', 1, 4)], channelOption('F', 15))).toMatch(/^Digest #1: /);
    clock.now = at('2026-03-10T09:00:00Z');
    await bot.digests.tick();
    expect((await fake.waitForCall('POST', FORUM_POSTS)).body.applied_tags).toEqual(['902']);
    expect(fake.appliedTags(fake.threadsOf('F')[0]!.id)).toEqual(['902']);

    fake.updateChannel('F', { availableTags: [] });
    await until(() => (bot.client.channels.cache.get('F') as { availableTags?: unknown[] }).availableTags?.length === 0, 'the tag removed');
    clock.now = at('2026-03-11T09:00:00Z');
    await bot.digests.tick();
    expect(fake.callsTo('POST', FORUM_POSTS)).toHaveLength(1);
    expect(bot.ctx.digests.subscriptions.get(1)!.pausedReason).toBe("The forum <#F> requires a tag on every post: add a tag named “Digest” for the digest's posts.");
  });

  it('GIVEN a 500 after Discord made the forum post THEN the retry finds the post and carries on in it, posting nothing twice', async () => {
    const base = seedPapers()[0]!;
    const papers = Array.from({ length: 10 }, (_, i) => ({ ...base, id: `2401.${String(i + 1).padStart(5, '0')}`, title: `Sparse expert routing, study ${i + 1}`, venue: `Workshop ${'on routing '.repeat(90)}` }));
    const { fake, bot, clock } = await digestBot(join(tempDir(), 'data'), { PAPERBOT_CORPUS: writeCorpus(papers) }, [{ id: 'G', channels: [{ id: 'C' }, { id: 'F', type: 15 }] }]);
    await subscribeTo(fake, [opt('topic', 'sparse expert routing'), opt('max', 10, 4)], channelOption('F', 15));
    fake.failNext(500, { message: 'Internal Server Error', code: 0 }, { pathPattern: FORUM_POSTS, afterHandling: true });
    clock.now = at('2026-03-10T09:00:00Z');
    await bot.digests.tick();
    const [post] = fake.threadsOf('F');
    const listIn = async (channelId: string) => {
      const { id } = fake.slashCommand('digest', sub('list'), { channelId });
      return (await fake.waitForCall('POST', callback(id))).body.data.embeds[0].description as string;
    };
    expect(await listIn(post!.id)).toMatch(/⚠ 10 papers not confirmed sent/);

    clock.now = at('2026-03-10T09:01:00Z');
    await bot.digests.tick();
    expect(fake.callsTo('POST', FORUM_POSTS)).toHaveLength(1);
    expect(fake.callsTo('GET', /^\/api\/v10\/guilds\/G\/threads\/active$/)).toHaveLength(1);
    const inPost = fake.callsTo('POST', new RegExp(`^/api/v10/channels/${post!.id}/messages$`));
    expect(inPost.map((c) => [c.body.nonce, c.body.enforce_nonce])).toEqual([[expect.stringMatching(/\.1$/), true]]);
    expect(inPost[0]!.body.content).toMatch(/\(continued\)$/);
    expect(fake.channelMessages(post!.id)).toHaveLength(2);
    expect(fake.threadsOf('F')).toHaveLength(1);
    expect(bot.ctx.digests.subscriptions.get(1)!.papersSent).toBe(10);
    expect(await listIn(post!.id)).not.toContain('⚠');
    expect(bot.ctx.digests.threads.get(post!.id)?.paperIds).toHaveLength(10);
  });

  it('GIVEN a digest subscribed in a thread of a text channel THEN it posts in the thread and starts no thread of its own', async () => {
    const { fake, bot, clock } = await digestBot();
    const thread = fake.createThread('C', 'reading group');
    const { id } = fake.slashCommand('digest', sub('subscribe', [opt('topic', 'vision transformer')]), { channelId: thread.id });
    expect((await fake.waitForCall('POST', callback(id))).body.data.content).toMatch(new RegExp(` in <#${thread.id}>\\.`));
    clock.now = at('2026-03-10T09:00:00Z');
    await bot.digests.tick();
    await fake.waitForCall('POST', new RegExp(`^/api/v10/channels/${thread.id}/messages$`));
    expect(fake.callsTo('POST', /\/threads$/)).toEqual([]);
    expect(bot.ctx.digests.subscriptions.get(1)).toMatchObject({ papersSent: 4, threadProblem: null });
  });
});
