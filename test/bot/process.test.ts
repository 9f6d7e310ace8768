import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/bot/deployCommands.js';
import { loadBotConfig } from '../../src/config.js';
import { seedPapers, tempDir, writeCorpus } from '../support/corpus.js';
import { FakeDiscord } from '../support/fakeDiscord.js';
import { APP_ID, TOKEN, until } from '../support/paperBot.js';

const ROOT = resolve(import.meta.dirname, '../..');
const fakes: FakeDiscord[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.stop();
});

async function startFake(): Promise<FakeDiscord> {
  const fake = await FakeDiscord.start({ token: TOKEN, applicationId: APP_ID, guilds: [{ id: '200000000000000002', channels: [{ id: 'C' }] }] });
  fakes.push(fake);
  return fake;
}

/** The environment `npm start` would see, pointed at the fake, with no .env of the developer's. */
function botEnv(fake: FakeDiscord, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { PATH, HOME } = process.env;
  return { PATH, HOME, PAPERBOT_ENV_FILE: join(tempDir(), 'none.env'), DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: APP_ID, DISCORD_API_BASE: fake.apiBase, PAPERBOT_DATA_DIR: join(tempDir(), 'data'), ...extra };
}

describe('npm start (src/bot/main.ts)', () => {
  it('GIVEN SIGTERM while a question is being answered THEN finishes the answer, disconnects and exits 0', async () => {
    const fake = await startFake();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], { cwd: ROOT, env: botEnv(fake) });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await until(() => stdout.includes('"msg":"ready"'), `the bot to be ready (stderr: ${stderr})`, 15_000);

    // The answer is held up by a rate limit, so it is still in flight when SIGTERM arrives.
    fake.rateLimitNext(1, { retryAfterSeconds: 0.5, pathPattern: /messages\/@original$/ });
    const { token } = fake.slashCommand('ask', [{ name: 'question', type: 3, value: 'pruning lottery tickets' }], { guildId: '200000000000000002' });
    const answer = new RegExp(`/webhooks/${APP_ID}/${token}/messages/@original$`);
    await fake.waitForCall('PATCH', answer);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fake.callsTo('PATCH', answer)).toHaveLength(2); // the 429, then the answer itself
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['index ready', 'ready', 'interaction', 'shutting down', 'stopped']));
    expect(stdout).not.toContain(TOKEN);
  }, 30_000);

  it('GIVEN no token THEN exits 1 with one paragraph on how to get one', () => {
    const { PATH, HOME } = process.env;
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], { cwd: ROOT, env: { PATH, HOME, PAPERBOT_ENV_FILE: join(tempDir(), 'none.env') }, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^PaperBot cannot start: DISCORD_TOKEN is not set\.\n/);
    expect(result.stderr).toMatch(/npx paperbot ask/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 30_000);

  it('GIVEN a token Discord refuses THEN exits 1 saying so', async () => {
    const fake = await startFake();
    // Not spawnSync: the fake answers from this process's event loop.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], { cwd: ROOT, env: botEnv(fake, { DISCORD_TOKEN: 'wrong' }) });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^PaperBot cannot start: Discord refused DISCORD_TOKEN \(401\)/);
  }, 30_000);
});

describe('npm start on a broken machine: one paragraph, exit 3, no stack trace', () => {
  const start = (env: Record<string, string>) => {
    const { PATH, HOME } = process.env;
    return spawnSync(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
      cwd: ROOT,
      env: { PATH, HOME, PAPERBOT_ENV_FILE: join(tempDir(), 'none.env'), DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: APP_ID, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  };
  const expectParagraph = (result: ReturnType<typeof start>, message: RegExp) => {
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at |unexpected error/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.status).toBe(3);
  };

  it('GIVEN a damaged paperbot.db THEN names the file and says to move it aside', () => {
    const dataDir = join(tempDir(), 'data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'paperbot.db'), 'this is not a database, and it is longer than a header would be '.repeat(4));
    const db = join(dataDir, 'paperbot.db');
    expectParagraph(start({ PAPERBOT_DATA_DIR: dataDir }), new RegExp(`^PaperBot cannot start: ${db} is not a readable SQLite database \\(SQLITE_NOTADB: .*\\bmv ${db} ${db}\\.damaged\\b`));
  }, 60_000);

  it('GIVEN a Discord API nobody answers at THEN names the URL and what to check', async () => {
    // A port that was just free: nothing listens there.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    const url = `http://127.0.0.1:${port}`;
    expectParagraph(start({ PAPERBOT_DATA_DIR: join(tempDir(), 'data'), DISCORD_API_BASE: url }), new RegExp(`^PaperBot cannot start: ${url} cannot be reached \\(ECONNREFUSED\\)\\. .*DISCORD_API_BASE`));
  }, 60_000);

  it('GIVEN a symbolic-link loop in the corpus THEN names the link (ELOOP); so does paperbot ask', () => {
    const corpusDir = writeCorpus(seedPapers());
    symlinkSync('loop.jsonl', join(corpusDir, 'loop.jsonl'));
    const link = join(corpusDir, 'loop.jsonl');
    expectParagraph(start({ PAPERBOT_CORPUS: corpusDir, PAPERBOT_DATA_DIR: join(tempDir(), 'data') }), new RegExp(`^PaperBot cannot start: ${link} is a symbolic link that leads back to itself \\(ELOOP\\)\\. Fix or remove the link\\.`));
    const { PATH, HOME } = process.env;
    const ask = spawnSync(process.execPath, ['src/cli/paperbot.mjs', 'ask', 'pruning', '--corpus', corpusDir], { cwd: ROOT, env: { PATH, HOME, PAPERBOT_DATA_DIR: join(tempDir(), 'data') }, encoding: 'utf8' });
    expect(ask.stderr).toBe(`paperbot: ${link} is a symbolic link that leads back to itself (ELOOP). Fix or remove the link.\n`);
    expect(ask.status).toBe(3);
  }, 60_000);
});

describe('npm run deploy-commands', () => {
  it('GIVEN DISCORD_GUILD_ID THEN registers the loaded commands in that guild; without it, globally', async () => {
    const fake = await startFake();
    const base = { DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: APP_ID, DISCORD_API_BASE: fake.apiBase };
    expect(await deployCommands(loadBotConfig({ ...base, DISCORD_GUILD_ID: '200000000000000002' }, { dotenv: false }))).toEqual({ count: 11, scope: 'guild 200000000000000002' });
    const guild = await fake.waitForCall('PUT', new RegExp(`^/api/v10/applications/${APP_ID}/guilds/200000000000000002/commands$`));
    expect(guild.body.map((c: { name: string }) => c.name).sort()).toEqual(['about', 'ask', 'author', 'cite', 'digest', 'help', 'list', 'paper', 'saved', 'similar', 'trend']);
    const paper = guild.body.find((c: { name: string }) => c.name === 'paper');
    expect(paper.options[0]).toMatchObject({ name: 'title', type: 3, required: true, autocomplete: true, max_length: 1000 });
    const ask = guild.body.find((c: { name: string }) => c.name === 'ask');
    expect(ask.options[1]).toMatchObject({ name: 'count', type: 4, min_value: 1, max_value: 10 });

    await deployCommands(loadBotConfig(base, { dotenv: false }));
    const global = await fake.waitForCall('PUT', new RegExp(`^/api/v10/applications/${APP_ID}/commands$`));
    expect(global.body).toHaveLength(11);
  });
});

describe('npm run start:sharded (src/bot/sharded.ts)', () => {
  it('GIVEN SHARD_COUNT=2 THEN saves the index once, each shard loads it and identifies as its shard, and SIGTERM stops them all', async () => {
    const fake = await startFake();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/sharded.ts'], { cwd: ROOT, env: botEnv(fake, { SHARD_COUNT: '2' }) });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await until(() => stdout.includes('"msg":"all shards ready"'), `both shards (stderr: ${stderr})`, 30_000);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; reused?: boolean });
    const indexLoads = lines.filter((l) => l.msg === 'index ready');
    expect(indexLoads).toHaveLength(2);
    expect(indexLoads.every((l) => l.reused === true)).toBe(true);
    expect(fake.identified.map((i) => i.shard).sort()).toEqual([[0, 2], [1, 2]]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
