import { config as loadDotenv } from 'dotenv';
import { resolve } from 'node:path';
import { z } from 'zod';
import { defaultCorpusDir, defaultDataDir, PACKAGE_ROOT } from './paths.js';
import { DEFAULT_ENGINE, ENGINES } from './search/engines/registry.js';
import { embeddingOptionsFrom, type EmbeddingOptions } from './embeddings/EmbeddingSearch.js';

/** The bot's configuration, validated once at start-up. */
export interface BotConfig {
  token: string;
  /** The application (client) id the commands are registered under. */
  clientId: string;
  /** Deploy commands to this guild only (instant, for development); global when absent. */
  guildId: string | null;
  /** Base URL of the Discord REST API, without the version (`https://discord.com/api`). */
  apiBase: string;
  corpusDir: string;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Human-readable logs (pino-pretty) instead of JSON lines. */
  prettyLogs: boolean;
  /** Seconds a user waits between two questions (/ask or a mention); 0 turns the cooldown off. */
  askCooldownSeconds: number;
  /** Shards for `npm run start:sharded`: a number, or 'auto' to ask Discord. */
  shardCount: number | 'auto';
  /** Digest subscriptions a guild may hold. */
  digestMaxPerGuild: number;
  /** Sources the bot ingests by itself each day (PAPERBOT_INGEST). */
  ingestJobs: IngestJob[];
  /** The search engine (PAPERBOT_ENGINE). */
  engine: string;
  /** A pretrained sentence encoder beside BM25 (PAPERBOT_EMBEDDING_*); null for none. */
  embedding: EmbeddingOptions | null;
}

/** One source the bot ingests by itself, daily at `time` (UTC). */
export interface IngestJob {
  kind: 'rss' | 'arxiv' | 'oai';
  /** Categories (rss), a search query (arxiv) or an OAI set (oai). */
  argument: string;
  /** HH:MM, UTC. */
  time: string;
}

/**
 * Parse PAPERBOT_INGEST: jobs separated by ";", each `kind:argument[@HH:MM]`
 * (UTC, default 06:00), e.g. `rss:cs.CV+cs.LG@06:00; arxiv:cat:cs.CV AND abs:diffusion@07:00; oai:cs`.
 * Throws with the job at fault.
 */
export function parseIngestJobs(spec: string | undefined): IngestJob[] {
  if (spec === undefined || spec.trim() === '') return [];
  return spec.split(';').map((raw) => {
    const text = raw.trim();
    const at = text.lastIndexOf('@');
    const time = at >= 0 ? text.slice(at + 1).trim() : '06:00';
    const body = at >= 0 ? text.slice(0, at) : text;
    const colon = body.indexOf(':');
    const kind = body.slice(0, colon).trim();
    const argument = body.slice(colon + 1).trim();
    if (colon < 0 || !['rss', 'arxiv', 'oai'].includes(kind) || argument === '') {
      throw new Error(`PAPERBOT_INGEST: "${text}" is not kind:argument[@HH:MM] with kind rss, arxiv or oai`);
    }
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) throw new Error(`PAPERBOT_INGEST: "${text}": the time must be HH:MM (UTC)`);
    return { kind: kind as IngestJob['kind'], argument, time };
  });
}


/** A configuration that cannot start the bot; the message says what to fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const snowflake = (name: string) =>
  z.string().regex(/^\d{15,22}$/, `${name} must be a Discord id: 15 to 22 digits (Developer Portal → your application)`);

const schema = z.object({
  DISCORD_TOKEN: z.string().trim().min(1).optional(),
  DISCORD_CLIENT_ID: snowflake('DISCORD_CLIENT_ID').optional(),
  DISCORD_GUILD_ID: snowflake('DISCORD_GUILD_ID').optional(),
  DISCORD_API_BASE: z
    .url({ protocol: /^https?$/, error: 'DISCORD_API_BASE must be an http(s) URL such as https://discord.com/api' })
    .refine((u) => !/\/v\d+\/?$/.test(u), 'DISCORD_API_BASE must not end in a version (/v10): discord.js adds it')
    .default('https://discord.com/api'),
  PAPERBOT_CORPUS: z.string().optional(),
  PAPERBOT_DATA_DIR: z.string().optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  NODE_ENV: z.string().optional(),
  ASK_COOLDOWN_SECONDS: z.coerce
    .number({ error: 'ASK_COOLDOWN_SECONDS must be a number of seconds' })
    .min(0, 'ASK_COOLDOWN_SECONDS must be 0 or more')
    .max(3600, 'ASK_COOLDOWN_SECONDS must be at most 3600')
    .default(5),
  DIGEST_MAX_PER_GUILD: z.coerce
    .number({ error: 'DIGEST_MAX_PER_GUILD must be a number' })
    .int('DIGEST_MAX_PER_GUILD must be a whole number')
    .min(1, 'DIGEST_MAX_PER_GUILD must be at least 1')
    .max(1000, 'DIGEST_MAX_PER_GUILD must be at most 1000')
    .default(25),
  PAPERBOT_ENGINE: z
    .string()
    .refine((name) => name === '' || Object.hasOwn(ENGINES, name), { error: `PAPERBOT_ENGINE must be one of ${Object.keys(ENGINES).join(', ')}` })
    .optional(),
  SHARD_COUNT: z
    .string()
    .regex(/^(auto|[1-9]\d*)$/, 'SHARD_COUNT must be "auto" or a whole number from 1')
    .default('auto'),
});

const MISSING_TOKEN = `PaperBot cannot start: DISCORD_TOKEN is not set.
To run the bot, create an application at https://discord.com/developers/applications, add a bot
to it (Bot → Reset Token) and put the token in .env as DISCORD_TOKEN=…, with the application id
as DISCORD_CLIENT_ID=… (see .env.example). Invite the bot with the scopes "bot applications.commands"
(OAuth2 → URL Generator), then register its commands once with npm run deploy-commands.
Without a token you can still ask the papers from the command line: npx paperbot ask "…"`;

/**
 * Add the variables of `.env` (the repository's, or `PAPERBOT_ENV_FILE`) to
 * `env`; values already there win. The bot and the CLI both read it, so an
 * ingest from the command line writes the corpus the bot reads.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): void {
  loadDotenv({ path: env.PAPERBOT_ENV_FILE ?? resolve(PACKAGE_ROOT, '.env'), quiet: true, processEnv: env as Record<string, string> });
}

/**
 * Read `.env` (see loadEnvFile) and the environment into a BotConfig. Throws a
 * ConfigError naming every missing or malformed variable.
 */
export function loadBotConfig(env: NodeJS.ProcessEnv = process.env, { dotenv = true } = {}): BotConfig {
  if (dotenv) loadEnvFile(env);
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      `PaperBot cannot start: its configuration is invalid.\n${parsed.error.issues
        .map((i) => `- ${i.path.join('.')}: ${i.message}`)
        .join('\n')}`,
    );
  }
  const e = parsed.data;
  if (!e.DISCORD_TOKEN) throw new ConfigError(MISSING_TOKEN);
  let ingestJobs: IngestJob[];
  let embedding: EmbeddingOptions | null;
  try {
    ingestJobs = parseIngestJobs(env.PAPERBOT_INGEST);
    embedding = embeddingOptionsFrom(env);
  } catch (err) {
    throw new ConfigError(`PaperBot cannot start: its configuration is invalid.\n- ${(err as Error).message}`);
  }
  if (!e.DISCORD_CLIENT_ID) {
    throw new ConfigError(
      'PaperBot cannot start: DISCORD_CLIENT_ID is not set. It is the application id (Developer Portal → your application → General Information), needed to register the slash commands.',
    );
  }
  return {
    token: e.DISCORD_TOKEN,
    clientId: e.DISCORD_CLIENT_ID,
    guildId: e.DISCORD_GUILD_ID ?? null,
    apiBase: e.DISCORD_API_BASE.replace(/\/+$/, ''),
    corpusDir: defaultCorpusDir(env),
    dataDir: defaultDataDir(env),
    logLevel: e.LOG_LEVEL,
    prettyLogs: e.NODE_ENV === 'development',
    askCooldownSeconds: e.ASK_COOLDOWN_SECONDS,
    shardCount: e.SHARD_COUNT === 'auto' ? 'auto' : Number(e.SHARD_COUNT),
    digestMaxPerGuild: e.DIGEST_MAX_PER_GUILD,
    ingestJobs,
    engine: e.PAPERBOT_ENGINE || DEFAULT_ENGINE,
    embedding,
  };
}
