import { once } from 'node:events';
import {
  Client,
  DiscordAPIError,
  DiscordjsErrorCodes,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  PermissionsBitField,
  REST,
  Routes,
  Status,
  type Interaction,
  type Message,
  type TextChannel,
} from 'discord.js';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, FakeDiscord } from './fakeDiscord.js';

const TOKEN = 'test-token';

let fake: FakeDiscord | undefined;
const clients: Client[] = [];
/** Client and handler errors; a test fails on any it did not expect (notes §8.8). */
let errors: unknown[] = [];

async function startFake(options: Parameters<typeof FakeDiscord.start>[0] = {}): Promise<FakeDiscord> {
  fake = await FakeDiscord.start({ token: TOKEN, ...options });
  return fake;
}

function newClient(f: FakeDiscord): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    rest: { api: f.apiBase, retries: 0, timeout: 2_000, offset: 0 },
    waitGuildTimeout: 200,
    ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
  });
  clients.push(client);
  client.on(Events.Error, (error) => errors.push(error));
  client.on(Events.ShardError, (error) => errors.push(error));
  return client;
}

/** A logged-in client that has reached clientReady. */
async function startBot(f: FakeDiscord): Promise<Client<true>> {
  const client = newClient(f);
  const ready = once(client, Events.ClientReady);
  await client.login(TOKEN);
  await ready;
  return client as Client<true>;
}

/** Handler runs still in flight; a test may finish when the fake has recorded a call, before discord.js read the answer. */
const handlers = new Set<Promise<void>>();

/** Registers an interaction handler whose failures are collected instead of becoming unhandled rejections. */
function onInteraction(client: Client, handler: (interaction: Interaction) => Promise<unknown>): void {
  client.on(Events.InteractionCreate, (interaction) => {
    const run = handler(interaction).then(
      () => undefined,
      (error: unknown) => void errors.push(error),
    );
    handlers.add(run);
    void run.finally(() => handlers.delete(run));
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Destroying a client whose shard waits for READY makes @discordjs/ws reconnect again and destroy()
 * never resolves (notes §8.7), so every shard of a client that was ever ready must be Ready first.
 */
async function settle(client: Client): Promise<void> {
  if (client.readyAt === null) return;
  await until(() => client.ws.shards.every((shard) => shard.status === Status.Ready), 'all shards ready');
}

afterEach(async () => {
  try {
    await Promise.all([...handlers]);
    for (const client of clients.splice(0)) {
      await settle(client);
      await client.destroy();
    }
  } finally {
    await fake?.stop();
    fake = undefined;
  }
  const seen = errors;
  errors = [];
  expect(seen).toEqual([]);
});

describe('FakeDiscord with a real discord.js Client', () => {
  it('logs in: /gateway/bot with the bot token, IDENTIFY, READY, GUILD_CREATE, clientReady', async () => {
    const f = await startFake();
    const client = await startBot(f);

    expect(f.identifies).toBe(1);
    expect(f.resumes).toBe(0);
    await f.waitForIdentify();
    const gateway = f.callsTo('GET', /^\/api\/v10\/gateway\/bot$/);
    expect(gateway).toHaveLength(1);
    expect(gateway[0]!.headers['authorization']).toBe(`Bot ${TOKEN}`);
    expect(client.user.id).toBe('APP');
    expect(client.guilds.cache.get('G')?.name).toBe('Test Guild');
    const channel = client.channels.cache.get('C') as TextChannel | undefined;
    expect(channel?.name).toBe('general');
    expect(client.guilds.cache.get('G')?.roles.everyone.name).toBe('@everyone');
  });

  it('answers a slash command: deferReply then editReply are recorded with paths and bodies', async () => {
    const f = await startFake();
    const client = await startBot(f);
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand() || interaction.commandName !== 'ask') return;
      expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
      await interaction.deferReply();
      const question = interaction.options.getString('question', true);
      await interaction.editReply({ embeds: [{ title: question, description: 'An answer.', color: 5793266 }] });
    });

    const { id, token } = f.slashCommand('ask', [{ name: 'question', type: 3, value: 'What is attention?' }]);
    const edit = await f.waitForCall('PATCH', /\/webhooks\/APP\/[^/]+\/messages\/@original$/);

    const [callback] = f.callsTo('POST', /\/callback$/);
    expect(callback!.path).toBe(`/api/v10/interactions/${id}/${token}/callback`);
    expect(callback!.query.get('with_response')).toBe('false');
    expect(callback!.headers['authorization']).toBeUndefined();
    expect(callback!.body).toEqual({ type: 5, data: { flags: 0 } });
    expect(edit.path).toBe(`/api/v10/webhooks/APP/${token}/messages/@original`);
    expect(edit.body).toMatchObject({ embeds: [{ title: 'What is attention?', description: 'An answer.', color: 5793266 }] });
  });

  it('serves replies withResponse, followUp and fetchReply as message objects', async () => {
    const f = await startFake();
    const client = await startBot(f);
    const seen: { resource?: string | undefined; followUp?: string; fetched?: string; ephemeral?: boolean } = {};
    let handled!: () => void;
    const done = new Promise<void>((resolve) => (handled = resolve));
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const response = await interaction.reply({ content: 'Subscribed', flags: MessageFlags.Ephemeral, withResponse: true });
      seen.resource = response.resource?.message?.content;
      seen.ephemeral = response.interaction.responseMessageEphemeral ?? false;
      seen.followUp = (await interaction.followUp({ content: 'more' })).content;
      seen.fetched = (await interaction.fetchReply()).content;
      handled();
    });

    const { token } = f.slashCommand('digest', [{ name: 'subscribe', type: 1, options: [{ name: 'topic', type: 3, value: 'LLMs' }] }]);
    // The GET is recorded before discord.js has parsed its answer, so wait for the handler itself.
    await done;

    expect(f.callsTo('POST', /\/callback$/)[0]!.body).toMatchObject({ type: 4, data: { content: 'Subscribed', flags: 64 } });
    expect(f.callsTo('POST', new RegExp(`/webhooks/APP/${token}$`))).toHaveLength(1);
    expect(seen).toEqual({ resource: 'Subscribed', ephemeral: true, followUp: 'more', fetched: 'Subscribed' });
  });

  it('records an autocomplete respond as callback type 8', async () => {
    const f = await startFake();
    const client = await startBot(f);
    onInteraction(client, async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const focused = interaction.options.getFocused();
      await interaction.respond([{ name: `${focused}ention Is All You Need`, value: 'attention' }]);
    });

    const { id } = f.autocomplete('paper', [{ name: 'title', type: 3, value: 'Att', focused: true }]);
    const call = await f.waitForCall('POST', new RegExp(`/interactions/${id}/[^/]+/callback$`));

    expect(call.body).toEqual({ type: 8, data: { choices: [{ name: 'Attention Is All You Need', value: 'attention' }] } });
  });

  it('records a button update as callback type 7, on the message the bot sent', async () => {
    const f = await startFake();
    const client = await startBot(f);
    const page = (n: number) => ({
      embeds: [{ title: `Page ${n}` }],
      components: [{ type: 1, components: [{ type: 2, custom_id: `paper:${n + 1}`, label: 'Next', style: 1 }] }],
    });
    onInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply(page(0));
      if (interaction.isButton()) {
        expect(interaction.message.embeds[0]?.title).toBe('Page 0');
        expect(interaction.message.author.id).toBe('APP');
        await interaction.update(page(Number(interaction.customId.split(':')[1])));
      }
    });

    const command = f.slashCommand('paper', [{ name: 'title', type: 3, value: 'Deep Residual Learning' }]);
    const reply = await f.waitForCall('POST', /\/callback$/);
    const { id } = f.buttonClick('paper:1', reply.body.data);
    const update = await f.waitForCall('POST', new RegExp(`/interactions/${id}/[^/]+/callback$`));

    expect(update.body).toMatchObject({ type: 7, data: { embeds: [{ title: 'Page 1' }] } });
    expect(update.body.data.components[0].components[0]).toMatchObject({ custom_id: 'paper:2', label: 'Next' });

    // Clicking on the stored reply updates that very message.
    const original = f.originalMessage(command.token);
    const second = f.buttonClick('paper:1', original);
    await f.waitForCall('POST', new RegExp(`/interactions/${second.id}/`));
    expect(f.originalMessage(second.token).id).toBe(original.id);
    expect(f.message(original.id).embeds[0].title).toBe('Page 1');
  });

  it('delivers MESSAGE_CREATE with the bot mentioned', async () => {
    const f = await startFake();
    const client = await startBot(f);
    const received = once(client, Events.MessageCreate) as Promise<[Message]>;

    f.messageCreate(`<@${client.user.id}> what is BM25?`, { mentionsBot: true });
    const [message] = await received;

    expect(message.content).toBe('<@APP> what is BM25?');
    expect(message.author.id).toBe('U');
    expect(message.channelId).toBe('C');
    expect(message.mentions.has(client.user)).toBe(true);
  });

  it('records channel.send as POST /channels/C/messages and returns a Message', async () => {
    const f = await startFake();
    const client = await startBot(f);
    const channel = (await client.channels.fetch('C')) as TextChannel;

    const sent = await channel.send({ embeds: [{ title: 'Digest: T', description: '• x' }] });

    const [call] = f.callsTo('POST', /^\/api\/v10\/channels\/C\/messages$/);
    expect(call!.headers['authorization']).toBe(`Bot ${TOKEN}`);
    expect(call!.body).toMatchObject({ embeds: [{ title: 'Digest: T', description: '• x' }] });
    expect(sent.channelId).toBe('C');
    expect(sent.author.id).toBe('APP');
    expect(sent.embeds[0]?.title).toBe('Digest: T');
    expect(sent.createdTimestamp).toBeGreaterThan(Date.UTC(2020, 0, 1));
  });

  it('honours enforce_nonce: the same nonce in a channel within the window returns the first message and creates none', async () => {
    const f = await startFake({ guilds: [{ id: 'G', channels: [{ id: 'C' }, { id: 'D' }] }] });
    const client = await startBot(f);
    const [c, d] = (await Promise.all([client.channels.fetch('C'), client.channels.fetch('D')])) as TextChannel[];

    const first = await c!.send({ content: 'digest', nonce: 'pb1-abc.0', enforceNonce: true });
    const again = await c!.send({ content: 'digest, retried', nonce: 'pb1-abc.0', enforceNonce: true });
    const elsewhere = await d!.send({ content: 'digest', nonce: 'pb1-abc.0', enforceNonce: true });
    const unenforced = await c!.send({ content: 'no enforce', nonce: 'pb1-abc.0' });

    expect(first.nonce).toBe('pb1-abc.0');
    expect(again.id).toBe(first.id);
    expect(again.content).toBe('digest');
    expect(elsewhere.id).not.toBe(first.id);
    expect(unenforced.id).not.toBe(first.id);
    expect(f.channelMessages('C').map((m) => m.content)).toEqual(['digest', 'no enforce']);
    expect(f.callsTo('POST', /\/channels\/C\/messages$/)).toHaveLength(3); // every attempt is still recorded
  });

  it('forgets a nonce after nonceWindowMs, as Discord does after a few minutes', async () => {
    const f = await startFake({ nonceWindowMs: 100 });
    const client = await startBot(f);
    const channel = (await client.channels.fetch('C')) as TextChannel;

    const first = await channel.send({ content: 'digest', nonce: 'n1', enforceNonce: true });
    await new Promise((r) => setTimeout(r, 150));
    const later = await channel.send({ content: 'digest', nonce: 'n1', enforceNonce: true });

    expect(later.id).not.toBe(first.id);
    expect(f.channelMessages('C')).toHaveLength(2);
  });

  it("lists a channel's messages after an id, newest first, without their nonce (Discord keeps none)", async () => {
    const f = await startFake();
    const client = await startBot(f);
    const channel = (await client.channels.fetch('C')) as TextChannel;
    const one = await channel.send({ content: 'one', nonce: 'a', enforceNonce: true });
    await channel.send({ content: 'two', nonce: 'b', enforceNonce: true });
    await channel.send('three');

    const after = await channel.messages.fetch({ after: one.id, limit: 100 });
    const listed = f.callsTo('GET', /^\/api\/v10\/channels\/C\/messages$/);

    expect([...after.values()].map((m) => m.content)).toEqual(['three', 'two']);
    expect(listed[0]!.query.get('after')).toBe(one.id);
    // Raw JSON: discord.js would keep the nonce of the Message it cached when sending.
    const raw = (await client.rest.get(Routes.channelMessages('C'), { query: new URLSearchParams({ limit: '2' }) })) as Record<string, unknown>[];
    expect(raw.map((m) => m['content'])).toEqual(['three', 'two']);
    expect(raw.some((m) => 'nonce' in m)).toBe(false);
  });

  it('holdNext: handles the call (the message exists) but withholds the answer until released', async () => {
    const f = await startFake();
    const client = await startBot(f);
    const channel = (await client.channels.fetch('C')) as TextChannel;
    const hold = f.holdNext(/\/channels\/C\/messages$/);

    let answered = false;
    const sending = channel.send('held').then((m) => ((answered = true), m));
    const call = await hold.received;
    await new Promise((r) => setTimeout(r, 50));

    expect(call.body.content).toBe('held');
    expect(f.channelMessages('C').map((m) => m.content)).toEqual(['held']);
    expect(answered).toBe(false);
    hold.release();
    expect((await sending).id).toBe(f.channelMessages('C')[0]!.id);
  });

  it("holdNext 'before': a call whose client hung up while held is dropped unhandled, as if it never reached Discord", async () => {
    const f = await startFake();
    const hold = f.holdNext(/\/channels\/C\/messages$/, { handle: 'before' });
    const abort = new AbortController();
    const posting = fetch(`${f.apiBase}/v10/channels/C/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'lost' }),
      signal: abort.signal,
    }).catch((e: unknown) => e);
    await hold.received;
    abort.abort();
    expect(await posting).toBeInstanceOf(Error);
    await new Promise((r) => setTimeout(r, 50));
    hold.release();
    await new Promise((r) => setTimeout(r, 50));

    expect(f.channelMessages('C')).toEqual([]);
  });

  it('RESUMEs after close 4000 and answers an interaction dispatched while disconnected', async () => {
    const f = await startFake();
    const client = await startBot(f);
    onInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'still here' });
    });

    f.closeGateway(4000);
    const { id } = f.slashCommand('ask', [{ name: 'question', type: 3, value: 'q' }]);
    await f.waitForResume();
    const call = await f.waitForCall('POST', new RegExp(`/interactions/${id}/`));

    expect(call.body).toMatchObject({ type: 4, data: { content: 'still here' } });
    expect(f.identifies).toBe(1);
    expect(f.resumes).toBe(1);
  });

  it('RESUMEs after a TCP drop, and re-IDENTIFYs after close 1000 carrying the undelivered dispatch', async () => {
    const f = await startFake();
    const client = await startBot(f);
    onInteraction(client, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: interaction.commandName });
    });

    f.dropGateway();
    await f.waitForResume();
    await settle(client);
    f.closeGateway(1000);
    const { id } = f.slashCommand('after-identify');
    await f.waitForIdentify({ after: 1 });
    const call = await f.waitForCall('POST', new RegExp(`/interactions/${id}/`));

    expect(call.body).toMatchObject({ type: 4, data: { content: 'after-identify' } });
    expect(f.resumes).toBe(1);
    expect(f.identifies).toBe(2);
  });

  it('answers 429 as in the notes; discord.js waits, retries, and both attempts are recorded', async () => {
    const f = await startFake();
    const client = await startBot(f);
    const limited: unknown[] = [];
    client.rest.on('rateLimited', (info) => limited.push(info));
    const channel = (await client.channels.fetch('C')) as TextChannel;

    f.rateLimitNext(1, { retryAfterSeconds: 0.2, pathPattern: /\/channels\/C\/messages$/ });
    const started = Date.now();
    await channel.send('hello');

    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(f.callsTo('POST', /\/channels\/C\/messages$/)).toHaveLength(2);
    // Not exactly 1: when the retry wakes a millisecond before the bucket's reset-after, @discordjs/rest
    // waits that millisecond out pre-emptively and emits rateLimited again.
    expect(limited.length).toBeGreaterThanOrEqual(1);
    const local = limited.length;

    f.rateLimitNext(1, { retryAfterSeconds: 0.1, global: true });
    await channel.send('again');
    expect(f.callsTo('POST', /\/channels\/C\/messages$/)).toHaveLength(4);
    expect(limited.slice(0, local)).toEqual(Array(local).fill(expect.objectContaining({ global: false })));
    expect(limited[local]).toMatchObject({ global: true });
  });

  it('surfaces failNext(403, 50013) as a DiscordAPIError, then succeeds again', async () => {
    const f = await startFake();
    const client = await startBot(f);
    const channel = (await client.channels.fetch('C')) as TextChannel;

    f.failNext(403, { code: 50013, message: 'Missing Permissions' }, { pathPattern: /\/messages$/ });
    const error = await channel.send('x').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50013);
    expect((error as DiscordAPIError).status).toBe(403);
    await expect(channel.send('y')).resolves.toMatchObject({ content: 'y' });
  });

  it('failNext with afterHandling: the message is posted, and the client still gets the error', async () => {
    const f = await startFake();
    const client = await startBot(f);
    const channel = (await client.channels.fetch('C')) as TextChannel;

    f.failNext(500, { code: 0, message: 'Internal Server Error' }, { pathPattern: /\/messages$/, afterHandling: true });
    const error = await channel.send('posted anyway').catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'HTTPError', status: 500 }); // discord.js's error for a 5xx
    expect(f.channelMessages('C').map((m) => m.content)).toEqual(['posted anyway']);
  });

  it('rejects login with the wrong token', async () => {
    const f = await startFake();
    const client = newClient(f);

    await expect(client.login('wrong-token')).rejects.toMatchObject({ code: DiscordjsErrorCodes.TokenInvalid });
    expect(f.identifies).toBe(0);
  });

  it('404s unknown channels and unknown routes, and records them', async () => {
    const f = await startFake();
    const client = await startBot(f);

    await expect(client.rest.post(Routes.channelMessages('nope'), { body: { content: 'x' } })).rejects.toMatchObject({ code: 10003, status: 404 });
    await expect(client.rest.get('/guilds/G/bans')).rejects.toMatchObject({ code: 0, status: 404 });
    expect(f.callsTo('GET', /\/guilds\/G\/bans$/)).toHaveLength(1);
  });

  it('echoes command registration with ids that later interactions use', async () => {
    const f = await startFake();
    const client = await startBot(f);
    const rest = new REST({ api: f.apiBase, retries: 0, timeout: 2_000 }).setToken(TOKEN);
    const registered = (await rest.put(Routes.applicationGuildCommands('APP', 'G'), {
      body: [{ name: 'paper', description: 'Find a paper', type: 1 }],
    })) as { id: string; name: string; guild_id: string }[];
    let commandId: string | undefined;
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      commandId = interaction.commandId;
      await interaction.reply('ok');
    });

    f.slashCommand('paper');
    await f.waitForCall('POST', /\/callback$/);

    expect(registered).toMatchObject([{ name: 'paper', guild_id: 'G' }]);
    expect(commandId).toBe(registered[0]!.id);
    expect(f.callsTo('PUT', /^\/api\/v10\/applications\/APP\/guilds\/G\/commands$/)[0]!.body).toEqual([
      { name: 'paper', description: 'Find a paper', type: 1 },
    ]);
  });

  it('sends DM interactions with a top-level user', async () => {
    const f = await startFake();
    const client = await startBot(f);
    let inGuild: boolean | undefined;
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      inGuild = interaction.inGuild();
      await interaction.reply(`hi ${interaction.user.username}`);
    });

    f.slashCommand('hello', [], { guildId: null, userId: 'V', username: 'vera' });
    const call = await f.waitForCall('POST', /\/callback$/);

    expect(call.body).toMatchObject({ type: 4, data: { content: 'hi vera' } });
    expect(inGuild).toBe(false);
  });

  it('acknowledges heartbeats', async () => {
    const f = await startFake({ heartbeatInterval: 50 });
    const client = await startBot(f);

    await until(() => client.ws.ping >= 0, 'a heartbeat ACK');
  });

  it('defaults to every permission, as discord.js counts them', async () => {
    expect(ALL_PERMISSIONS).toBe(PermissionsBitField.All.toString());
  });

  it('closes a gateway connection that asks for compression with 4000', async () => {
    const f = await startFake();
    const ws = new WebSocket(`${f.origin.replace('http', 'ws')}/gateway?v=10&encoding=json&compress=zlib-stream`);
    ws.on('error', (error) => errors.push(error));
    const [code] = (await once(ws, 'close')) as [number];

    expect(code).toBe(4000);
  });
});
