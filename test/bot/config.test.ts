import { describe, expect, it } from 'vitest';
import { ConfigError, loadBotConfig } from '../../src/config.js';

const valid = { DISCORD_TOKEN: 'tok', DISCORD_CLIENT_ID: '100000000000000001' };
const load = (env: Record<string, string>) => loadBotConfig(env, { dotenv: false });
const failure = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadBotConfig', () => {
  it('GIVEN a token and client id THEN fills in the defaults', () => {
    expect(load(valid)).toMatchObject({
      token: 'tok',
      clientId: '100000000000000001',
      guildId: null,
      apiBase: 'https://discord.com/api',
      logLevel: 'info',
      prettyLogs: false,
      askCooldownSeconds: 5,
      shardCount: 'auto',
    });
  });

  it('GIVEN every option THEN parses them into typed values', () => {
    const config = load({
      ...valid,
      DISCORD_GUILD_ID: '200000000000000002',
      DISCORD_API_BASE: 'http://127.0.0.1:3001/api/',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'development',
      ASK_COOLDOWN_SECONDS: '0',
      SHARD_COUNT: '4',
    });
    expect(config).toMatchObject({ guildId: '200000000000000002', apiBase: 'http://127.0.0.1:3001/api', logLevel: 'debug', prettyLogs: true, askCooldownSeconds: 0, shardCount: 4 });
  });

  it('GIVEN no token THEN explains how to get one, the invite scopes, and the CLI', () => {
    const message = failure({});
    expect(message).toMatch(/DISCORD_TOKEN is not set/);
    expect(message).toMatch(/bot applications\.commands/);
    expect(message).toMatch(/npx paperbot ask/);
  });

  it('GIVEN no client id THEN says what it is', () => {
    expect(failure({ DISCORD_TOKEN: 'x' })).toMatch(/DISCORD_CLIENT_ID is not set/);
  });

  it('GIVEN several malformed values THEN names each', () => {
    const message = failure({ ...valid, DISCORD_CLIENT_ID: 'abc', LOG_LEVEL: 'loud', ASK_COOLDOWN_SECONDS: 'soon', DISCORD_API_BASE: 'http://x/api/v10' });
    expect(message).toMatch(/- DISCORD_CLIENT_ID: DISCORD_CLIENT_ID must be a Discord id/);
    expect(message).toMatch(/- LOG_LEVEL: LOG_LEVEL must be one of/);
    expect(message).toMatch(/- ASK_COOLDOWN_SECONDS: ASK_COOLDOWN_SECONDS must be a number/);
    expect(message).toMatch(/- DISCORD_API_BASE: DISCORD_API_BASE must not end in a version/);
  });

  it('GIVEN a token THEN the message of a failure never contains it', () => {
    expect(failure({ DISCORD_TOKEN: 'secret-token-value', DISCORD_CLIENT_ID: 'nope' })).not.toContain('secret-token-value');
  });
});
