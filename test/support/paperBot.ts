// Starts the real bot (startBot, the code `npm start` runs) against a fake
// Discord on 127.0.0.1, and tears both down in the order the loopback notes
// require: bot handlers settled and shards ready, bot stopped, fake stopped.
import { Status } from 'discord.js';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import { loadBotConfig, type BotConfig } from '../../src/config.js';
import { startBot, type RunningBot, type StartOptions } from '../../src/bot/startBot.js';
import { tempDir } from './corpus.js';
import { FakeDiscord, type FakeDiscordOptions } from './fakeDiscord.js';

export const TOKEN = 'test-bot-token-secret';
export const APP_ID = '100000000000000001';

export interface TestBot {
  fake: FakeDiscord;
  bot: RunningBot;
  config: BotConfig;
  /** Every log line the bot wrote, parsed. */
  logs: Record<string, unknown>[];
  /** Raw log text, to check that no secret leaked. */
  rawLogs: () => string;
}

const running: TestBot[] = [];

afterEach(async () => {
  for (const { bot, fake } of running.splice(0)) {
    const deadline = Date.now() + 3000;
    while (!bot.client.ws.shards.every((s) => s.status === Status.Ready) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await bot.stop(3000);
    await fake.stop();
  }
});

/** Stop a test bot now (a restart, say) instead of after the test. */
export async function stopTestBot(test: TestBot): Promise<void> {
  running.splice(running.indexOf(test), 1);
  await test.bot.stop(3000);
  await test.fake.stop();
}

/** A fake Discord and PaperBot logged in to it, over the shipped corpus. */
export async function startTestBot(
  env: Record<string, string> = {},
  options: Omit<StartOptions, 'logDestination'> = {},
  fakeOptions: Pick<FakeDiscordOptions, 'guilds'> = {},
): Promise<TestBot> {
  const fake = await FakeDiscord.start({ token: TOKEN, applicationId: APP_ID, ...fakeOptions });
  const config = loadBotConfig(
    {
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: APP_ID,
      DISCORD_API_BASE: fake.apiBase,
      PAPERBOT_DATA_DIR: join(tempDir(), 'data'),
      ASK_COOLDOWN_SECONDS: '0',
      ...env,
    },
    { dotenv: false },
  );
  let raw = '';
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw += chunk.toString();
      for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const bot = await startBot(config, {
    ...options,
    logDestination: destination,
    clientOptions: {
      rest: { retries: 0, timeout: 2_000, offset: 0 },
      ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
      ...options.clientOptions,
    },
  });
  const test: TestBot = { fake, bot, config, logs, rawLogs: () => raw };
  running.push(test);
  return test;
}

/** Wait until `predicate` holds (polling), or fail naming `what`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
