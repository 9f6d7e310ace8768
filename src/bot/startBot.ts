import { Client, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { DestinationStream } from 'pino';
import type { BotConfig } from '../config.js';
import { DigestScheduler } from '../digest/DigestScheduler.js';
import { ReadingListService } from '../lists/ReadingListService.js';
import { DigestService } from '../digest/DigestService.js';
import { IngestSchedule } from '../ingest/IngestSchedule.js';
import { openDatabase } from '../store/openDatabase.js';
import { createLogger, type Logger } from '../log.js';
import { LiveEmbeddings } from '../embeddings/LiveEmbeddings.js';
import { LiveSearch } from '../search/LiveSearch.js';
import { openSearch } from '../search/openSearch.js';
import { VERSION } from '../version.js';
import { AskSessions, type AskSessionOptions } from './AskSessions.js';
import type { BotContext } from './BotContext.js';
import { Cooldowns } from './Cooldowns.js';
import { discordDigestTransport } from './discordDigestTransport.js';
import { handleInteraction } from './handleInteraction.js';
import { handleMention } from './handleMention.js';
import { loadCommands } from './loadCommands.js';

/** Knobs for tests and special deployments; production uses none. */
export interface StartOptions {
  /** Merged over PaperBot's client options (e.g. faster reconnects in tests). */
  clientOptions?: Partial<ClientOptions>;
  /** Where log lines go (default: standard output). */
  logDestination?: DestinationStream;
  /** The clock for cooldowns, sessions and uptime. */
  now?: () => number;
  sessions?: AskSessionOptions;
  /** Run digests and ingests on their own timers; tests turn them off and call `digests.tick()`, `ingest.run()`. @default true */
  timers?: boolean;
  /** How often to look for a changed corpus, ms. @default 5000 */
  corpusPollMs?: number;
  /** The waits after failed index reloads, ms. @default 1 min, 5 min, 15 min, 1 h */
  reloadRetryDelaysMs?: readonly number[];
}

/** A running bot. */
export interface RunningBot {
  client: Client<true>;
  ctx: BotContext;
  log: Logger;
  /** The digest scheduler: `tick()` runs the digests due now. */
  digests: DigestScheduler;
  /** The search answers come from, reloaded when the library changes. */
  liveSearch: LiveSearch;
  /** The bot's own daily ingests (PAPERBOT_INGEST); none on shards other than 0. */
  ingest: IngestSchedule | null;
  /** Finish the replies in flight (up to `graceMs`), then disconnect. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Start PaperBot: open the library and load its index (built once, then
 * read from the data folder), load the commands, log in, and answer
 * interactions and mentions.
 * `npm start` runs exactly this.
 */
export async function startBot(config: BotConfig, options: StartOptions = {}): Promise<RunningBot> {
  const log = createLogger({ level: config.logLevel, pretty: config.prettyLogs }, options.logDestination);
  const now = options.now ?? Date.now;
  const location = { corpusDir: config.corpusDir, dataDir: config.dataDir, engine: config.engine };
  // Titles now rather than at the first autocomplete, which must answer within 3 s.
  const search = openSearch({ ...location, loadTitles: true });
  for (const warning of search.info.warnings) log.warn({ module: 'index' }, warning);
  for (const action of search.info.actions) log.info({ module: 'index' }, action);
  log.info(
    { module: 'index', papers: search.size, engine: search.info.engine, reused: search.info.reused, ms: Math.round(search.info.elapsedMs) },
    'index ready',
  );

  // What the commands need at once (the categories, the author names for autocomplete's 3 s, the
  // calendar for /trend), read now and, for each new search, before it answers: in slices, so that
  // answers keep coming from the current search meanwhile.
  await search.warm();
  const liveSearch = new LiveSearch(location, search, log, {
    pollMs: options.corpusPollMs,
    retryDelaysMs: options.reloadRetryDelaysMs,
    prepare: (next, stopping) => next.warm({ signal: stopping }),
  });
  // The model loads before login, so a bad one stops the start; the papers are embedded in the background.
  const embeddings = config.embedding === null ? null : await LiveEmbeddings.start(liveSearch, config.dataDir, config.embedding, log);
  const commands = await loadCommands();
  const db = openDatabase(config.dataDir);
  const ctx: BotContext = {
    search: () => liveSearch.current(),
    ask: async (question, searchOptions) => (embeddings === null ? liveSearch.current().search(question, searchOptions) : embeddings.search(question, searchOptions)),
    embeddings: () => embeddings?.status() ?? null,
    sessions: new AskSessions({ now, ...options.sessions }),
    digests: new DigestService(db, () => liveSearch.current(), now, { maxPerGuild: config.digestMaxPerGuild }),
    lists: new ReadingListService(db, () => liveSearch.current(), now),
    cooldowns: new Cooldowns(config.askCooldownSeconds, now),
    log,
    version: VERSION,
    startedAt: now(),
    now,
  };

  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    // Nothing PaperBot sends may ping anyone, whatever text it echoes.
    allowedMentions: { parse: [], repliedUser: false },
    ...options.clientOptions,
    rest: { api: config.apiBase, ...options.clientOptions?.rest },
  });

  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  client.on(Events.InteractionCreate, (interaction) => {
    if (!stopping) track(handleInteraction(interaction, commands, ctx));
  });
  client.on(Events.MessageCreate, (message) => {
    if (!stopping && client.isReady()) track(handleMention(message, client, ctx));
  });
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ shard, code: event.code }, 'gateway disconnected'));
  client.rest.on('rateLimited', (info) => log.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'rate limited'));

  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(config.token);
  const readyClient = await ready;
  log.info({ user: readyClient.user.tag, guilds: readyClient.guilds.cache.size, shards: readyClient.ws.shards.size }, 'ready');
  // Each process posts the digests of the guilds it holds: with sharding, the
  // shard of the channel's guild (and the database claim stops any double).
  const digests = new DigestScheduler(ctx.digests, discordDigestTransport(readyClient), now, log.child({ module: 'digest' }), {
    accept: (s) => readyClient.guilds.cache.has(s.guildId),
  });
  if (options.timers !== false) digests.start();
  liveSearch.start();
  // One process ingests: with sharding, shard 0; the others see the new corpus through their LiveIndex.
  const ingest =
    config.ingestJobs.length > 0 && (readyClient.shard?.ids.includes(0) ?? true)
      ? new IngestSchedule(config.ingestJobs, location, log, () => liveSearch.reload(), now)
      : null;
  if (ingest && options.timers !== false) ingest.start();

  return {
    client: readyClient,
    ctx,
    log,
    digests,
    liveSearch,
    ingest,
    async stop(graceMs = 10_000) {
      stopping = true;
      const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([Promise.allSettled([...inFlight, digests.stop(), embeddings?.stop(), liveSearch.stop(), ingest?.stop()]), grace]);
      ctx.sessions.clear();
      await client.destroy();
      db.close();
      log.info('stopped');
    },
  };
}
