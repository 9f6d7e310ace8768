import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedPapers, tempDir, writeCorpus } from '../support/corpus.js';
import { FakeArxiv, type FakePaper } from '../support/fakeArxiv.js';
import { startTestBot, until } from '../support/paperBot.js';

const BIN = resolve(import.meta.dirname, '../../src/cli/paperbot.mjs');
const callback = (id: string) => new RegExp(`^/api/v10/interactions/${id}/[^/]+/callback$`);
const at = (iso: string) => Date.parse(iso);
const moe: FakePaper = {
  id: '2611.01234', version: 1, title: 'Sparse Mixture of Experts with Learned Routing', abstract: 'We route tokens to sparse experts with a learned router and cut compute in half.',
  authors: ['Grace Hopper'], categories: ['cs.CV'], published: '2026-11-24T10:00:00Z', announceType: 'new',
};

let arxiv: FakeArxiv;
const saved = { ...process.env };
beforeEach(async () => {
  arxiv = await FakeArxiv.start();
  arxiv.papers = [moe];
  // The bot's ingests run `paperbot ingest` in a child process, which reads these.
  Object.assign(process.env, { ARXIV_API_URL: arxiv.apiUrl, ARXIV_OAI_URL: arxiv.oaiUrl, ARXIV_RSS_URL: arxiv.rssUrl, ARXIV_REQUEST_INTERVAL_MS: '0' });
});
afterEach(async () => {
  for (const key of ['ARXIV_API_URL', 'ARXIV_OAI_URL', 'ARXIV_RSS_URL', 'ARXIV_REQUEST_INTERVAL_MS']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  await arxiv.stop();
});

describe('the bot and a growing library', () => {
  it('GIVEN its daily RSS ingest THEN answers from the new papers without a restart, finishing the question in flight, and the digest brings them', async () => {
    const corpusDir = writeCorpus(seedPapers());
    const clock = { now: at('2026-11-25T05:00:00Z') };
    const { fake, bot } = await startTestBot({ PAPERBOT_CORPUS: corpusDir, PAPERBOT_INGEST: 'rss:cs.CV@06:00' }, { now: () => clock.now, timers: false });
    const ask = async (question: string) => {
      const { token } = fake.slashCommand('ask', [{ name: 'question', type: 3, value: question }]);
      return (await fake.waitForCall('PATCH', new RegExp(`/webhooks/\\d+/${token}/messages/@original$`))).body;
    };
    expect((await ask('sparse mixture of experts routing')).embeds[0].description).toMatch(/^No paper among the 10/);
    const { id } = fake.slashCommand('digest', [{ name: 'subscribe', type: 1, options: [{ name: 'topic', type: 3, value: 'mixture of experts' }] }]);
    await fake.waitForCall('POST', callback(id));

    // A question in flight while the ingest runs and the index is swapped.
    fake.rateLimitNext(1, { retryAfterSeconds: 0.5, pathPattern: /messages\/@original$/ });
    const inFlight = fake.slashCommand('ask', [{ name: 'question', type: 3, value: 'lottery tickets for vision transformers' }]);
    await fake.waitForCall('PATCH', new RegExp(`/${inFlight.token}/messages/@original$`));
    clock.now = at('2026-11-25T06:00:00Z');
    const summary = await bot.ingest!.run(bot.ingest!.jobs[0]!);
    // The new paper came as a segment beside the old index (at 10 papers, merged at once), not as a rebuild.
    expect(summary).toMatchObject({ read: 1, added: 1, index: ['added a segment of 1 paper', 'merged 2 segments'] });
    await until(() => fake.callsTo('PATCH', new RegExp(`/${inFlight.token}/messages/@original$`)).length === 2, 'the answer in flight');
    expect(fake.callsTo('PATCH', new RegExp(`/${inFlight.token}/messages/@original$`))[1]!.body.embeds[0].title).toMatch(/Lottery Ticket/);

    expect((await ask('sparse mixture of experts routing')).embeds[0].title).toBe('1. Sparse Mixture of Experts with Learned Routing');
    expect(bot.ctx.search().size).toBe(11);

    clock.now = at('2026-11-25T09:00:00Z');
    await bot.digests.tick();
    const digest = await fake.waitForCall('POST', /\/channels\/C\/messages$/);
    expect(digest.body.embeds.map((e: { title: string }) => e.title)).toEqual(['Sparse Mixture of Experts with Learned Routing']);
  }, 30_000);

  it('GIVEN an ingest run from the command line THEN the running bot picks up the new papers by itself, adding a segment', async () => {
    const corpusDir = writeCorpus(seedPapers());
    const { fake, bot, config } = await startTestBot({ PAPERBOT_CORPUS: corpusDir }, { corpusPollMs: 100 });
    const file = join(tempDir(), 'one.jsonl');
    writeFileSync(file, JSON.stringify({ ...seedPapers()[0]!, id: '2611.04321', version: 1, title: 'Quantum Annealing for Protein Folding', abstract: 'A quantum annealer folds small proteins.' }));
    await promisify(execFile)(process.execPath, [BIN, 'ingest', 'file', file, '--corpus', corpusDir], { env: { ...process.env, PAPERBOT_DATA_DIR: config.dataDir } });
    await until(() => bot.ctx.search().size === 11, 'the reload', 15_000);
    const { token } = fake.slashCommand('ask', [{ name: 'question', type: 3, value: 'quantum annealing protein folding' }]);
    const answer = await fake.waitForCall('PATCH', new RegExp(`/${token}/messages/@original$`));
    expect(answer.body.embeds[0].title).toBe('1. Quantum Annealing for Protein Folding');
  }, 30_000);

  it('GIVEN a data disk where the index cannot be saved THEN the ingest exits 1 saying so, and the bot logs the failure once, backs off and keeps answering; once the disk is fixed THEN the next try loads the new papers', async () => {
    const corpusDir = writeCorpus(seedPapers());
    const { fake, bot, config, logs } = await startTestBot({ PAPERBOT_CORPUS: corpusDir }, { corpusPollMs: 50, reloadRetryDelaysMs: [4_000] });
    // The engine's index folder becomes a file: every save fails, as on a full disk, while the library stays writable.
    const indexes = join(config.dataDir, 'indexes');
    const engineDir = join(indexes, readdirSync(indexes)[0]!, 'impact');
    renameSync(engineDir, `${engineDir}.aside`);
    writeFileSync(engineDir, 'not a folder');
    const file = join(tempDir(), 'one.jsonl');
    writeFileSync(file, JSON.stringify({ ...seedPapers()[0]!, id: '2611.04321', version: 1, title: 'Quantum Annealing for Protein Folding', abstract: 'A quantum annealer folds small proteins.' }));
    const ingest = await promisify(execFile)(process.execPath, [BIN, 'ingest', 'file', file, '--corpus', corpusDir], { env: { ...process.env, PAPERBOT_DATA_DIR: config.dataDir } }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(ingest.code).toBe(1);
    expect(ingest.stderr).toMatch(/the papers are in the library, but could not save the index/);

    const failed = () => logs.filter((l) => l.msg === 'index reload failed; still answering from the previous library');
    await until(() => failed().length === 1, 'the failed reload', 15_000);
    expect(String(failed()[0]!.err)).toMatch(/could not save the index/);
    const status = bot.liveSearch.status();
    expect(status.failures).toBe(1);
    // 60 polls go by in the back-off: none starts a rebuild, and nothing more is logged.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(bot.liveSearch.status()).toEqual(status);
    expect(failed()).toHaveLength(1);
    const { token } = fake.slashCommand('ask', [{ name: 'question', type: 3, value: 'superconducting binary neural network' }]);
    expect((await fake.waitForCall('PATCH', new RegExp(`/${token}/messages/@original$`))).body.embeds[0].title).toMatch(/^1\. /);
    expect(bot.ctx.search().size).toBe(10);

    // The disk is fixed: the retry after the back-off succeeds and says after how many failures.
    rmSync(engineDir);
    mkdirSync(engineDir);
    await until(() => bot.ctx.search().size === 11, 'the reload after the back-off', 15_000);
    expect(logs.find((l) => l.msg === 'index reloaded')).toMatchObject({ afterFailures: 1 });
    expect(bot.liveSearch.status()).toEqual({ failures: 0, retryAt: null, lastError: null });
  }, 40_000);

  it('GIVEN a corpus broken by hand THEN keeps answering from the previous one and logs why', async () => {
    const corpusDir = writeCorpus(seedPapers());
    const { bot, logs } = await startTestBot({ PAPERBOT_CORPUS: corpusDir }, { corpusPollMs: 100 });
    writeFileSync(join(corpusDir, 'papers.jsonl'), '{"id": "broken"\n');
    await until(() => logs.some((l) => l.msg === 'index reload failed; still answering from the previous library'), 'the failed reload', 15_000);
    expect(bot.ctx.search().size).toBe(10);
    expect(bot.ctx.search().search('pruning').hits.length).toBeGreaterThan(0);
  }, 30_000);
});
