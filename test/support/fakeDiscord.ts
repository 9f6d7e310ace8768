/**
 * A fake Discord (REST API + gateway WebSocket) on an ephemeral 127.0.0.1 port, so tests can run a
 * real discord.js `Client` end to end and assert on the exact JSON it sends.
 *
 * Every payload shape, knob and pitfall behind this file is written up in
 * /work/shared/notes/discord-loopback.md; the section numbers in comments below refer to it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

/** One REST request the fake received, in arrival order. */
export interface RecordedCall {
  /** Upper-case HTTP method. */
  method: string;
  /** Decoded pathname, e.g. `/api/v10/webhooks/APP/tok/messages/@original` (discord.js sends `%40original`). */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names; repeated headers are joined with `, `. */
  headers: Record<string, string | undefined>;
  /**
   * Parsed JSON body, or `null` when empty. For multipart requests (file uploads) this is the parsed
   * `payload_json` part, so assertions on content/embeds read the same either way.
   */
  body: any;
  /** The body exactly as received, for multipart or non-JSON requests. */
  rawBody: Buffer;
  /** `Date.now()` when the body had been read. */
  at: number;
}

/** A channel of a guild; a forum (type 15) may have tags, and `flags: 16` (REQUIRE_TAG) on its posts. */
export interface FakeChannel {
  id: string;
  name?: string;
  type?: number;
  flags?: number;
  availableTags?: { id: string; name: string }[];
}

/** A guild the fake announces in READY and sends a GUILD_CREATE for. */
export interface FakeGuild {
  id: string;
  /** Default `Test Guild`. */
  name?: string;
  /** `type` defaults to 0 (GUILD_TEXT), `name` to the id. */
  channels: FakeChannel[];
  /** Extra roles; an `@everyone` role (id = guild id) is added unless one with that id is given. */
  roles?: { id: string; name?: string; permissions?: string; position?: number; color?: number }[];
  /** Default: the default interaction user id `U`. */
  ownerId?: string;
}

export interface FakeDiscordOptions {
  /** Default `APP`. */
  applicationId?: string;
  /** Default: `applicationId`, as for a real bot. */
  botUserId?: string;
  /** Default `paperbot`. */
  botUsername?: string;
  /** Default: one guild `G` with text channel `C` named `general`. */
  guilds?: FakeGuild[];
  /**
   * Expected bot token. When set, bot-authenticated REST calls (including `GET /gateway/bot`) with any
   * other `Authorization` get 401, and an IDENTIFY with another token is closed with 4004.
   */
  token?: string;
  /** HELLO heartbeat interval in ms. Default 41250; only heartbeat/zombie tests want it small (§3). */
  heartbeatInterval?: number;
  /**
   * How long a message's nonce is remembered for `enforce_nonce`, ms. Discord documents "the past few
   * minutes". Default 180 000.
   */
  nonceWindowMs?: number;
}

/** A REST call held by {@link FakeDiscord.holdNext}. */
export interface HeldCall {
  /** Resolves with the call once it arrived (and, for `handle: 'after'`, was handled). */
  received: Promise<RecordedCall>;
  /** Let it go on: answer it, or (`'before'`) handle and answer it, unless its client hung up. */
  release: () => void;
}

/** Who sends an interaction and where. */
export interface InteractionOpts {
  /** Default `U`. */
  userId?: string;
  /** Default `alice` for `U`, otherwise `user-<id>`. */
  username?: string;
  /** Default: the first guild. `null` sends a DM interaction (top-level `user`, no `member`). */
  guildId?: string | null;
  /** Default: the first channel of the guild (or `DM-<userId>` for a DM). */
  channelId?: string;
  /** Member permissions bitfield string. Default: every permission. */
  permissions?: string;
  /** The bot's permissions in the channel (`app_permissions`). Default: every permission. */
  appPermissions?: string;
  /** Role ids on the member. Default none. */
  roles?: string[];
  /** Default `en-US`. */
  locale?: string;
  /** Merged into `data` of the interaction, e.g. `{ resolved: {...} }` for user/channel options. */
  data?: Record<string, unknown>;
}

/** Options for {@link FakeDiscord.messageCreate}. */
export interface MessageCreateOpts {
  /** Default `U`. */
  userId?: string;
  /** Default `alice` for `U`, otherwise `user-<id>`. */
  username?: string;
  /** Default: the first channel of the guild. */
  channelId?: string;
  /** Default: the first guild. */
  guildId?: string;
  /** Adds the bot user to `mentions[]` (the content is left as given). */
  mentionsBot?: boolean;
  /** Default: a fresh snowflake. Must be numeric: discord.js derives the timestamp from it. */
  messageId?: string;
}

/** Options for the `waitFor*` methods. */
export interface WaitOpts {
  /** Default 3000. */
  timeoutMs?: number;
  /** Only count events with index >= after (calls) or counter > after (identifies/resumes). */
  after?: number;
}

/**
 * `PermissionsBitField.All` of discord.js 14.28.1. Hard-coded so this module stays free of discord.js;
 * the test file checks it against the installed version.
 */
export const ALL_PERMISSIONS = '8866461766385663';

const DISCORD_EPOCH = 1_420_070_400_000n;
const JOINED_AT = '2024-01-01T00:00:00.000Z';
// Below vitest's 5 s test timeout, so the fake's message (listing the calls it did see) is what fails.
const DEFAULT_TIMEOUT_MS = 3_000;
/** Dispatches the fake sends itself; they belong to one session and are never carried over. */
const SESSION_EVENTS = new Set(['READY', 'GUILD_CREATE', 'RESUMED']);

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Injection {
  remaining: number;
  pathPattern: RegExp | undefined;
  reply: () => Reply;
  /** Handle the call first (a message is created), then answer with `reply`. */
  afterHandling?: boolean;
}

interface Hold {
  pathPattern: RegExp;
  handle: 'before' | 'after';
  received: (call: RecordedCall) => void;
  released: Promise<void>;
  release: () => void;
}

interface Dispatch {
  s: number;
  t: string;
  d: unknown;
  sent: boolean;
}

interface Session {
  id: string;
  token: string;
  seq: number;
  log: Dispatch[];
  socket: WebSocket | null;
}

interface Connection {
  session: Session | null;
  /** False once the fake decided to close it, so dispatches made in the same tick get buffered. */
  live: boolean;
}

interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  userId: string;
  owners: Record<string, string>;
  channelId: string;
  guildId: string | null;
  acknowledged: boolean;
  /** For component interactions: the message the component sits on. */
  messageId: string | null;
  originalMessageId: string | null;
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

type ApiMessage = Record<string, any> & { id: string; channel_id: string; flags: number };

/** A channel or thread the fake knows; a thread has its parent, and a forum post its tags. */
interface StoredChannel extends FakeChannel {
  name: string;
  type: number;
  guildId: string;
  parentId?: string;
  ownerId?: string;
  appliedTags?: string[];
  autoArchive?: number;
}

const FORUM = 15;
const REQUIRE_TAG = 1 << 4;

function matches(pattern: RegExp | undefined, path: string): boolean {
  // `search` ignores and preserves lastIndex, so /g patterns don't alternate between true and false.
  return pattern === undefined || path.search(pattern) !== -1;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseBody(raw: Buffer, contentType: string | undefined): Promise<unknown> {
  if (raw.length === 0) return null;
  const type = contentType ?? '';
  if (type.includes('multipart/form-data')) {
    try {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const payload = form.get('payload_json');
      return typeof payload === 'string' ? JSON.parse(payload) : null;
    } catch {
      return null;
    }
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.toString('utf8');
  }
}

/** Discord's check of a thread's name: 1 to 100 characters. */
function badThreadName(name: unknown): Reply | undefined {
  const length = typeof name === 'string' ? name.length : 0;
  if (length >= 1 && length <= 100) return undefined;
  return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] } } } };
}

function notFound(code = 0, message = '404: Not Found'): Reply {
  return { status: 404, body: { message, code } };
}

/**
 * A fake Discord REST API + gateway for one test (or one file). Start with {@link FakeDiscord.start},
 * point a discord.js `Client` at {@link FakeDiscord.apiBase}, and always {@link FakeDiscord.stop} it
 * after `client.destroy()` (§8.7: the other order leaves the client reconnecting forever).
 *
 * One gateway session is "current" at a time (the latest IDENTIFY or RESUME); dispatches go there.
 */
export class FakeDiscord {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** `${origin}/api`: what `rest.api` / a bot's DISCORD_API_BASE is set to. No version (§2). */
  readonly apiBase: string;
  /** `ws://127.0.0.1:PORT/gateway`, announced by `/gateway/bot` and as `resume_gateway_url`. */
  readonly gatewayUrl: string;
  /** Every REST call in arrival order, including rejected and unknown ones. */
  readonly calls: RecordedCall[] = [];
  readonly applicationId: string;
  readonly botUser: { id: string; username: string; discriminator: string; global_name: null; avatar: null; bot: true };

  #identifies = 0;
  /** The shard and intents of every IDENTIFY, in order (the token left out). */
  readonly identified: { shard: [number, number]; intents: number }[] = [];
  #resumes = 0;
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #token: string | undefined;
  readonly #heartbeatInterval: number;
  readonly #guilds: FakeGuild[];
  readonly #channels = new Map<string, StoredChannel>();
  readonly #sockets = new Set<Socket>();
  readonly #connections = new Map<WebSocket, Connection>();
  readonly #sessions = new Map<string, Session>();
  #current: Session | null = null;
  #lastSocket: WebSocket | null = null;
  /** Dispatches made before any client identified; they open the first session. */
  #preSession: { t: string; d: unknown }[] = [];
  #injections: Injection[] = [];
  #holds: Hold[] = [];
  /** Releases of holds taken by a call and not yet released, so `stop` can let them go. */
  readonly #held = new Set<() => void>();
  readonly #nonceWindowMs: number;
  /** `channel id, nonce` → the message it created and when, for `enforce_nonce`. */
  readonly #nonces = new Map<string, { messageId: string; at: number }>();
  #waiters = new Set<Waiter>();
  readonly #interactions = new Map<string, InteractionRecord>();
  readonly #messages = new Map<string, ApiMessage>();
  readonly #commands = new Map<string, any[]>();
  readonly #commandIds = new Map<string, string>();
  #lastSnowflake = 0n;
  #counter = 0;
  #stopped = false;

  private constructor(server: Server, wss: WebSocketServer, port: number, options: FakeDiscordOptions) {
    this.#server = server;
    this.#wss = wss;
    this.origin = `http://127.0.0.1:${port}`;
    this.apiBase = `${this.origin}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
    this.applicationId = options.applicationId ?? 'APP';
    this.botUser = {
      id: options.botUserId ?? this.applicationId,
      username: options.botUsername ?? 'paperbot',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
    };
    this.#token = options.token;
    this.#heartbeatInterval = options.heartbeatInterval ?? 41_250;
    this.#nonceWindowMs = options.nonceWindowMs ?? 180_000;
    this.#guilds = options.guilds ?? [{ id: 'G', name: 'Test Guild', channels: [{ id: 'C', name: 'general', type: 0 }] }];
    for (const guild of this.#guilds) {
      for (const channel of guild.channels) {
        this.#channels.set(channel.id, { ...channel, name: channel.name ?? channel.id, type: channel.type ?? 0, guildId: guild.id });
      }
    }
  }

  /** Listens on an ephemeral 127.0.0.1 port (§8.10) and resolves once it accepts connections. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    const wss = new WebSocketServer({ noServer: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const fake = new FakeDiscord(server, wss, (server.address() as AddressInfo).port, options);
    fake.#attach();
    return fake;
  }

  /** How many IDENTIFYs were accepted (new sessions). */
  get identifies(): number {
    return this.#identifies;
  }

  /** How many RESUMEs were accepted. */
  get resumes(): number {
    return this.#resumes;
  }

  /** Calls with this method (case-insensitive) whose decoded path matches `pathPattern`. */
  callsTo(method: string, pathPattern: RegExp): RecordedCall[] {
    const m = method.toUpperCase();
    return this.calls.filter((call) => call.method === m && matches(pathPattern, call.path));
  }

  /**
   * The first call with index >= `after` (default 0) matching method and path, waiting for it if needed.
   * Pass `after: fake.calls.length` before an action to wait for a call that action causes.
   */
  waitForCall(method: string, pathPattern: RegExp, opts: WaitOpts = {}): Promise<RecordedCall> {
    const m = method.toUpperCase();
    const after = opts.after ?? 0;
    const find = (): RecordedCall | undefined =>
      this.calls.find((call, i) => i >= after && call.method === m && matches(pathPattern, call.path));
    let found: RecordedCall | undefined;
    return this.#wait(
      () => (found = find()) !== undefined,
      opts.timeoutMs,
      () => `no ${m} ${String(pathPattern)} call (after index ${after}); calls: ${this.#describeCalls()}`,
    ).then(() => found as RecordedCall);
  }

  /**
   * Resolves once more than `after` (default 0) IDENTIFYs were answered with READY and every
   * GUILD_CREATE. For a later session pass `after: fake.identifies` before causing it.
   */
  waitForIdentify(opts: WaitOpts = {}): Promise<void> {
    const after = opts.after ?? 0;
    return this.#wait(() => this.#identifies > after, opts.timeoutMs, () => `no IDENTIFY #${after + 1} (identifies=${this.#identifies})`);
  }

  /** Resolves once more than `after` (default 0) RESUMEs were answered with the replay and RESUMED. */
  waitForResume(opts: WaitOpts = {}): Promise<void> {
    const after = opts.after ?? 0;
    return this.#wait(() => this.#resumes > after, opts.timeoutMs, () => `no RESUME #${after + 1} (resumes=${this.#resumes})`);
  }

  /** The fake's current copy of a message (after edits and component updates), if it knows the id. */
  message(id: string): any | undefined {
    return this.#messages.get(id);
  }

  /**
   * The messages of a channel that `GET /channels/:id/messages` would list (ephemeral replies are not),
   * oldest first.
   */
  channelMessages(channelId: string): any[] {
    return [...this.#messages.values()]
      .filter((m) => m.channel_id === channelId && (m.flags & 64) === 0)
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  /**
   * The message an interaction's reply created (or, for a component interaction, the message it
   * updated), e.g. to click a button on it with {@link FakeDiscord.buttonClick}.
   */
  originalMessage(token: string): any | undefined {
    const id = this.#interactions.get(token)?.originalMessageId;
    return id === null || id === undefined ? undefined : this.#messages.get(id);
  }

  /** Dispatches a CHAT_INPUT application command. `options` are raw API option objects. */
  slashCommand(name: string, options: any[] = [], opts: InteractionOpts = {}): { id: string; token: string } {
    const data: Record<string, unknown> = { id: this.#commandId(name), name, type: 1, ...opts.data };
    if (options.length > 0) data['options'] = options;
    return this.#interaction(2, data, opts);
  }

  /** Dispatches an APPLICATION_COMMAND_AUTOCOMPLETE; one option should carry `focused: true`. */
  autocomplete(name: string, options: any[], opts: InteractionOpts = {}): { id: string; token: string } {
    return this.#interaction(4, { id: this.#commandId(name), name, type: 1, options, ...opts.data }, opts);
  }

  /**
   * Dispatches a button click on `message`, which may be partial (e.g. the callback body's `data` the
   * bot sent): missing fields are filled, since discord.js builds a full Message from it (§8.3).
   * The channel defaults to `message.channel_id`, then the interaction default.
   */
  buttonClick(customId: string, message: any, opts: InteractionOpts = {}): { id: string; token: string } {
    const where = this.#where({ ...opts, channelId: opts.channelId ?? message?.channel_id });
    const full = this.#storeMessage(message ?? {}, where.channelId, where.guildId);
    return this.#interaction(3, { custom_id: customId, component_type: 2, ...opts.data }, { ...opts, channelId: where.channelId }, full);
  }

  /** Dispatches MESSAGE_CREATE from a (non-bot) user. */
  messageCreate(content: string, opts: MessageCreateOpts = {}): { id: string } {
    const where = this.#where(opts);
    const author = this.#user(opts.userId, opts.username);
    const id = opts.messageId ?? this.#snowflake();
    const mentions = opts.mentionsBot ? [{ ...this.botUser }] : [];
    const message: Record<string, unknown> = {
      id,
      channel_id: where.channelId,
      author,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions,
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: 0,
      flags: 0,
    };
    if (where.guildId !== null) {
      message['guild_id'] = where.guildId;
      message['member'] = { roles: [], joined_at: JOINED_AT, deaf: false, mute: false, flags: 0 };
    }
    this.dispatch('MESSAGE_CREATE', message);
    return { id };
  }

  /**
   * Sends any gateway dispatch with the next `s` of the current session. With no open socket it is
   * buffered and replayed on RESUME (or carried into the next IDENTIFY's session, if it was never sent).
   */
  dispatch(event: string, data: any): void {
    const session = this.#current;
    if (session === null) {
      this.#preSession.push({ t: event, d: data });
      return;
    }
    this.#push(session, event, data);
  }

  /** Closes the current gateway socket with `code` (4000 → RESUME, 1000 → new IDENTIFY; §5). */
  closeGateway(code: number): void {
    const ws = this.#currentSocket();
    this.#connections.get(ws)!.live = false;
    ws.close(code);
  }

  /** Destroys the current gateway TCP socket without a close frame (client sees 1006 and RESUMEs). */
  dropGateway(): void {
    const ws = this.#currentSocket();
    this.#connections.get(ws)!.live = false;
    ws.terminate();
  }

  /**
   * The next `count` REST calls matching `pathPattern` (default: any) answer 429 with the headers and
   * body from §5. `retryAfterSeconds` defaults to 0.3; `global` adds `x-ratelimit-global`.
   */
  rateLimitNext(count: number, opts: { retryAfterSeconds?: number; global?: boolean; pathPattern?: RegExp } = {}): void {
    const retryAfter = opts.retryAfterSeconds ?? 0.3;
    const global = opts.global ?? false;
    this.#injections.push({
      remaining: count,
      pathPattern: opts.pathPattern,
      reply: () => ({
        status: 429,
        headers: {
          'retry-after': String(retryAfter),
          'x-ratelimit-scope': global ? 'global' : 'user',
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(retryAfter),
          'x-ratelimit-bucket': 'fake-bucket',
          ...(global ? { 'x-ratelimit-global': 'true' } : {}),
        },
        body: { message: 'You are being rate limited.', retry_after: retryAfter, global },
      }),
    });
  }

  /**
   * The next `count` (default 1) REST calls matching `pathPattern` (default: any) answer `status` with
   * JSON `body`, e.g. `failNext(403, { code: 50013, message: 'Missing Permissions' })`. With
   * `afterHandling` the call is handled first: a 500 after Discord did post the message.
   */
  failNext(status: number, body: any, opts: { pathPattern?: RegExp; count?: number; afterHandling?: boolean } = {}): void {
    this.#injections.push({ remaining: opts.count ?? 1, pathPattern: opts.pathPattern, reply: () => ({ status, body }), afterHandling: opts.afterHandling });
  }

  /**
   * Holds the next REST call matching `pathPattern`, to let a test act (kill the bot, say) while it is in
   * flight. `handle: 'after'` (the default) handles it, so a posted message exists, but withholds the
   * answer: Discord acted, the client never learned. `'before'` withholds it unhandled, and drops it if
   * its client hung up meanwhile: it never reached Discord. The call is recorded either way.
   */
  holdNext(pathPattern: RegExp, opts: { handle?: 'before' | 'after' } = {}): HeldCall {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let received!: (call: RecordedCall) => void;
    const arrived = new Promise<RecordedCall>((resolve) => (received = resolve));
    this.#holds.push({ pathPattern, handle: opts.handle ?? 'after', received, released, release });
    return { received: arrived, release };
  }

  /**
   * Closes everything, including hung requests and live gateway sockets, and rejects pending waits.
   * Call it after `client.destroy()` (§8.7).
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('FakeDiscord stopped while waiting'));
    }
    this.#waiters.clear();
    for (const release of [...this.#held, ...this.#holds.map((h) => h.release)]) release();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
    for (const ws of this.#wss.clients) ws.terminate();
    for (const ws of this.#connections.keys()) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await closed;
  }

  // ---------------------------------------------------------------- plumbing

  #attach(): void {
    this.#server.on('connection', (socket: Socket) => {
      // Upgraded gateway sockets leave the HTTP server's bookkeeping, so closeAllConnections misses them.
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    this.#server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: `fake error: ${String(error)}`, code: 0 }));
        }
      });
    });
    this.#server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const url = new URL(req.url ?? '/', this.origin);
      if (url.pathname !== '/gateway') {
        socket.destroy();
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onGatewayConnection(ws, url));
    });
  }

  #wait(check: () => boolean, timeoutMs: number | undefined, describe: () => string): Promise<void> {
    if (check()) return Promise.resolve();
    if (this.#stopped) return Promise.reject(new Error('FakeDiscord is stopped'));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(new Error(`FakeDiscord: timed out after ${timeoutMs ?? DEFAULT_TIMEOUT_MS} ms: ${describe()}`));
        }, timeoutMs ?? DEFAULT_TIMEOUT_MS),
      };
      this.#waiters.add(waiter);
    });
  }

  #notify(): void {
    for (const waiter of this.#waiters) {
      if (waiter.check()) {
        clearTimeout(waiter.timer);
        this.#waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  #describeCalls(): string {
    if (this.calls.length === 0) return '(none)';
    return this.calls.map((c, i) => `#${i} ${c.method} ${c.path}`).join(', ');
  }

  #snowflake(): string {
    // Real-looking, strictly increasing ids: discord.js parses message ids as BigInt for timestamps.
    const now = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    this.#lastSnowflake = now > this.#lastSnowflake ? now : this.#lastSnowflake + 1n;
    return this.#lastSnowflake.toString();
  }

  #commandId(name: string): string {
    let id = this.#commandIds.get(name);
    if (id === undefined) {
      id = this.#snowflake();
      this.#commandIds.set(name, id);
    }
    return id;
  }

  #user(userId: string | undefined, username: string | undefined): Record<string, unknown> {
    const id = userId ?? 'U';
    const name = username ?? (id === 'U' ? 'alice' : `user-${id}`);
    return { id, username: name, discriminator: '0', global_name: name, avatar: null };
  }

  #where(opts: { guildId?: string | null; channelId?: string; userId?: string }): { guildId: string | null; channelId: string } {
    if (opts.guildId === null) return { guildId: null, channelId: opts.channelId ?? `DM-${opts.userId ?? 'U'}` };
    const guild = opts.guildId !== undefined ? this.#guilds.find((g) => g.id === opts.guildId) : this.#guilds[0];
    const guildId = opts.guildId ?? guild?.id ?? 'G';
    const known = opts.channelId !== undefined ? this.#channels.get(opts.channelId) : undefined;
    return { guildId: known?.guildId ?? guildId, channelId: opts.channelId ?? guild?.channels[0]?.id ?? 'C' };
  }

  #interaction(type: number, data: Record<string, unknown>, opts: InteractionOpts, message?: ApiMessage): { id: string; token: string } {
    const where = this.#where(opts);
    const user = this.#user(opts.userId, opts.username);
    const id = this.#snowflake();
    const token = `itoken-${++this.#counter}`;
    const permissions = opts.permissions ?? ALL_PERMISSIONS;
    const owners: Record<string, string> = where.guildId !== null ? { '0': where.guildId } : { '1': String(user['id']) };
    const payload: Record<string, unknown> = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      data,
      channel_id: where.channelId,
      app_permissions: opts.appPermissions ?? ALL_PERMISSIONS,
      locale: opts.locale ?? 'en-US',
      // discord.js indexes these two unconditionally; without them its constructor throws (§8.3).
      entitlements: [],
      authorizing_integration_owners: owners,
      attachment_size_limit: 10_485_760,
    };
    if (where.guildId !== null) {
      const channel = this.#channels.get(where.channelId);
      payload['guild_id'] = where.guildId;
      payload['guild_locale'] = 'en-US';
      payload['channel'] = {
        id: where.channelId,
        type: channel?.type ?? 0,
        guild_id: where.guildId,
        name: channel?.name ?? where.channelId,
        ...(channel?.parentId !== undefined && { parent_id: channel.parentId }),
      };
      payload['member'] = {
        user,
        roles: opts.roles ?? [],
        joined_at: JOINED_AT,
        deaf: false,
        mute: false,
        flags: 0,
        pending: false,
        permissions,
      };
      payload['context'] = 0;
    } else {
      payload['user'] = user;
      payload['channel'] = { id: where.channelId, type: 1, recipients: [user] };
      payload['context'] = 1;
    }
    if (message !== undefined) payload['message'] = message;
    this.#interactions.set(token, {
      id,
      token,
      type,
      userId: String(user['id']),
      owners,
      channelId: where.channelId,
      guildId: where.guildId,
      acknowledged: false,
      messageId: message?.id ?? null,
      originalMessageId: null,
    });
    this.dispatch('INTERACTION_CREATE', payload);
    return { id, token };
  }

  /** A full message object from a (possibly partial) one, remembered so edits and updates apply to it. */
  #storeMessage(partial: Record<string, any>, channelId: string, guildId: string | null, extra: Record<string, unknown> = {}): ApiMessage {
    const id = typeof partial['id'] === 'string' ? partial['id'] : this.#snowflake();
    const message: ApiMessage = {
      channel_id: channelId,
      type: 0,
      content: '',
      author: { ...this.botUser },
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
      ...(guildId !== null ? { guild_id: guildId } : {}),
      ...extra,
      ...this.#messages.get(id),
      ...partial,
      id,
    };
    // Send bodies carry request-only fields that are not part of a message object.
    for (const key of ['allowed_mentions', 'nonce', 'enforce_nonce', 'message_reference', 'sticker_ids', 'poll']) delete message[key];
    // Upload bodies list attachments as {id, filename} stubs; only real attachment objects have a url.
    message['attachments'] = Array.isArray(message['attachments']) ? message['attachments'].filter((a: any) => typeof a?.url === 'string') : [];
    this.#messages.set(id, message);
    return message;
  }

  /** Applies an edit body to a stored message, as PATCH does on Discord. */
  #editMessage(message: ApiMessage, body: Record<string, any> | null): ApiMessage {
    for (const key of ['content', 'embeds', 'components', 'flags']) {
      if (body && key in body && body[key] !== undefined) message[key] = body[key] ?? (key === 'content' ? '' : key === 'flags' ? 0 : []);
    }
    message.flags &= ~128; // LOADING: an edit of a deferred reply replaces the "thinking…" state
    message['edited_timestamp'] = new Date().toISOString();
    return message;
  }

  // ---------------------------------------------------------------- gateway

  #currentSocket(): WebSocket {
    const ws = this.#current?.socket ?? this.#lastSocket;
    if (ws === null || ws === undefined || ws.readyState !== WebSocket.OPEN) throw new Error('FakeDiscord: no open gateway socket');
    return ws;
  }

  #send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
  }

  #push(session: Session, t: string, d: unknown): void {
    const entry: Dispatch = { s: ++session.seq, t, d, sent: false };
    session.log.push(entry);
    const ws = session.socket;
    if (ws !== null && this.#connections.get(ws)?.live === true && ws.readyState === WebSocket.OPEN) {
      this.#send(ws, { op: 0, t, s: entry.s, d });
      entry.sent = true;
    }
  }

  #onGatewayConnection(ws: WebSocket, url: URL): void {
    const conn: Connection = { session: null, live: true };
    this.#connections.set(ws, conn);
    this.#lastSocket = ws;
    ws.on('close', () => {
      conn.live = false;
      this.#connections.delete(ws);
      if (conn.session?.socket === ws) conn.session.socket = null;
      if (this.#lastSocket === ws) this.#lastSocket = null;
    });
    ws.on('error', () => {
      // Socket errors end in 'close'; without a listener ws would throw them as unhandled.
    });
    if (url.searchParams.has('compress')) {
      // Frames would have to be zlib-stream; discord.js only asks when zlib-sync is installed (§2).
      conn.live = false;
      ws.close(4000, 'compression not supported by FakeDiscord');
      return;
    }
    this.#send(ws, { op: 10, d: { heartbeat_interval: this.#heartbeatInterval }, s: null, t: null });
    ws.on('message', (raw) => {
      let payload: { op?: number; d?: any };
      try {
        payload = JSON.parse(String(raw)) as { op?: number; d?: any };
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      switch (payload.op) {
        case 1:
          this.#send(ws, { op: 11, d: null, s: null, t: null });
          break;
        case 2:
          this.#onIdentify(ws, conn, payload.d);
          break;
        case 6:
          this.#onResume(ws, conn, payload.d);
          break;
        default:
          // Presence updates, member requests etc. are accepted and ignored.
          break;
      }
    });
  }

  #onIdentify(ws: WebSocket, conn: Connection, d: any): void {
    if (conn.session !== null) {
      ws.close(4005, 'Already authenticated.');
      return;
    }
    const token = String(d?.token ?? '');
    if (this.#token !== undefined && token !== this.#token) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    const previous = this.#current;
    // Dispatches nobody ever received would be lost with the old session; carry them so a test that
    // dispatches during a re-IDENTIFY still reaches the client.
    const carried = [
      ...(previous?.log.filter((e) => !e.sent && !SESSION_EVENTS.has(e.t)).map((e) => ({ t: e.t, d: e.d })) ?? []),
      ...this.#preSession,
    ];
    if (previous !== null) previous.log = previous.log.filter((e) => e.sent || SESSION_EVENTS.has(e.t));
    this.#preSession = [];
    const session: Session = { id: `session-${this.#identifies + 1}`, token, seq: 0, log: [], socket: ws };
    this.#sessions.set(session.id, session);
    this.#current = session;
    conn.session = session;
    this.#push(session, 'READY', {
      v: 10,
      user: { ...this.botUser, verified: true, mfa_enabled: false, flags: 0 },
      application: { id: this.applicationId, flags: 0 },
      guilds: this.#guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.gatewayUrl, // the RESUME reconnects here, so it must be the fake (§8.6)
      shard: d?.shard ?? [0, 1],
      private_channels: [],
      guild_join_requests: [],
      relationships: [],
      user_settings: {},
      presences: [],
      _trace: ['fake-discord'],
    });
    // Without a GUILD_CREATE per READY guild, clientReady waits waitGuildTimeout (15 s; §8.4).
    for (const guild of this.#guilds) this.#push(session, 'GUILD_CREATE', this.#guildCreate(guild));
    this.#identifies++;
    this.identified.push({ shard: d?.shard ?? [0, 1], intents: d?.intents });
    for (const { t, d: data } of carried) this.#push(session, t, data);
    this.#notify();
  }

  #onResume(ws: WebSocket, conn: Connection, d: any): void {
    const session = this.#sessions.get(String(d?.session_id ?? ''));
    if (session === undefined || session.token !== String(d?.token ?? '') || conn.session !== null) {
      this.#send(ws, { op: 9, d: false, s: null, t: null });
      return;
    }
    const seq = Number(d?.seq ?? 0);
    if (session.socket !== null && session.socket !== ws) {
      this.#connections.get(session.socket)!.live = false;
      session.socket.close(4000, 'Session resumed elsewhere');
    }
    session.socket = ws;
    conn.session = session;
    this.#current = session;
    for (const entry of session.log) {
      if (entry.s > seq) {
        this.#send(ws, { op: 0, t: entry.t, s: entry.s, d: entry.d });
        entry.sent = true;
      }
    }
    this.#push(session, 'RESUMED', null);
    this.#resumes++;
    this.#notify();
  }

  #guildCreate(guild: FakeGuild): Record<string, unknown> {
    const roles: Record<string, unknown>[] = (guild.roles ?? []).map((r, i) => ({
      id: r.id,
      name: r.name ?? r.id,
      permissions: r.permissions ?? '0',
      position: r.position ?? i + 1,
      color: r.color ?? 0,
      hoist: false,
      managed: false,
      mentionable: false,
      flags: 0,
    }));
    if (!roles.some((r) => r['id'] === guild.id)) {
      roles.unshift({ id: guild.id, name: '@everyone', permissions: '1071698660929', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 });
    }
    return {
      id: guild.id,
      name: guild.name ?? 'Test Guild',
      icon: null,
      owner_id: guild.ownerId ?? 'U',
      unavailable: false,
      member_count: 2,
      large: false,
      features: [],
      roles,
      emojis: [],
      stickers: [],
      channels: guild.channels.map((c, i) => ({ ...this.#channelBody(this.#channels.get(c.id)!), position: i })),
      threads: [],
      members: [],
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      joined_at: JOINED_AT,
      preferred_locale: 'en-US',
    };
  }

  // ---------------------------------------------------------------- REST

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    let path = url.pathname;
    try {
      path = decodeURIComponent(path); // `@original` arrives as `%40original` (§8.1)
    } catch {
      // keep the raw pathname
    }
    const rawBody = await readBody(req);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const call: RecordedCall = {
      method: (req.method ?? 'GET').toUpperCase(),
      path,
      query: url.searchParams,
      headers,
      body: await parseBody(rawBody, headers['content-type']),
      rawBody,
      at: Date.now(),
    };
    this.calls.push(call);
    this.#notify();
    let hungUp = false;
    res.on('close', () => (hungUp = !res.writableEnded));
    const hold = this.#takeHold(call);
    if (hold?.handle === 'before') {
      await this.#keep(hold, call);
      if (hungUp) return;
    }
    const injection = this.#injected(call);
    if (injection?.afterHandling === true) this.#route(call);
    const reply = injection?.reply() ?? this.#route(call);
    if (hold?.handle === 'after') await this.#keep(hold, call);
    const out: Record<string, string> = { ...reply.headers };
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status, out);
      res.end();
      return;
    }
    const json = JSON.stringify(reply.body);
    out['content-type'] = 'application/json';
    out['content-length'] = String(Buffer.byteLength(json));
    res.writeHead(reply.status, out);
    res.end(json);
  }

  #takeHold(call: RecordedCall): Hold | undefined {
    const hold = this.#holds.find((h) => matches(h.pathPattern, call.path));
    if (hold !== undefined) this.#holds = this.#holds.filter((h) => h !== hold);
    return hold;
  }

  async #keep(hold: Hold, call: RecordedCall): Promise<void> {
    this.#held.add(hold.release);
    hold.received(call);
    await hold.released;
    this.#held.delete(hold.release);
  }

  #injected(call: RecordedCall): Injection | undefined {
    const injection = this.#injections.find((i) => i.remaining > 0 && matches(i.pathPattern, call.path));
    if (injection === undefined) return undefined;
    injection.remaining--;
    this.#injections = this.#injections.filter((i) => i.remaining > 0);
    return injection;
  }

  #route(call: RecordedCall): Reply {
    const prefix = '/api/v10';
    if (!call.path.startsWith(`${prefix}/`)) return notFound();
    const route = call.path.slice(prefix.length);
    const { method, body } = call;
    let m: RegExpMatchArray | null;

    // Interaction callbacks and webhooks are authenticated by their token, not the bot token (§4).
    if ((m = route.match(/^\/interactions\/([^/]+)\/([^/]+)\/callback$/)) && method === 'POST') {
      return this.#callback(m[1]!, m[2]!, body, call.query.get('with_response') === 'true');
    }
    if ((m = route.match(/^\/webhooks\/([^/]+)\/([^/]+)\/messages\/([^/]+)$/))) {
      return this.#webhookMessage(method, m[1]!, m[2]!, m[3]!, body);
    }
    if ((m = route.match(/^\/webhooks\/([^/]+)\/([^/]+)$/)) && method === 'POST') {
      const interaction = this.#webhookInteraction(m[1]!, m[2]!);
      if (interaction === undefined) return notFound(10015, 'Unknown Webhook');
      const message = this.#storeMessage({ ...body }, interaction.channelId, interaction.guildId, this.#webhookFields(interaction));
      return { status: 200, body: message };
    }

    const auth = call.headers['authorization'];
    if (auth === undefined || !auth.startsWith('Bot ') || (this.#token !== undefined && auth !== `Bot ${this.#token}`)) {
      return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    }
    if (route === '/gateway/bot' && method === 'GET') {
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
        },
      };
    }
    if (route === '/gateway' && method === 'GET') return { status: 200, body: { url: this.gatewayUrl } };
    if (route === '/users/@me' && method === 'GET') return { status: 200, body: { ...this.botUser, verified: true, mfa_enabled: false, flags: 0 } };
    if ((m = route.match(/^\/channels\/([^/]+)$/)) && method === 'GET') {
      const channel = this.#channels.get(m[1]!);
      if (channel === undefined) return notFound(10003, 'Unknown Channel');
      return { status: 200, body: channel.parentId === undefined ? this.#channelBody(channel) : this.#threadBody(channel) };
    }
    if ((m = route.match(/^\/guilds\/([^/]+)\/threads\/active$/)) && method === 'GET') {
      const threads = [...this.#channels.values()].filter((c) => c.guildId === m![1] && c.parentId !== undefined);
      return { status: 200, body: { threads: threads.map((t) => this.#threadBody(t)), members: [] } };
    }
    if ((m = route.match(/^\/channels\/([^/]+)\/threads$/)) && method === 'POST') {
      const forum = this.#channels.get(m[1]!);
      if (forum === undefined) return notFound(10003, 'Unknown Channel');
      return this.#createForumPost(forum, body);
    }
    if ((m = route.match(/^\/channels\/([^/]+)\/messages$/)) && method === 'GET') {
      if (!this.#channels.has(m[1]!)) return notFound(10003, 'Unknown Channel');
      return { status: 200, body: this.#listMessages(m[1]!, call.query) };
    }
    if ((m = route.match(/^\/channels\/([^/]+)\/(messages|typing)$/)) && method === 'POST') {
      const channel = this.#channels.get(m[1]!);
      if (channel === undefined) return notFound(10003, 'Unknown Channel');
      if (m[2] === 'typing') return { status: 204 };
      return { status: 200, body: this.#createMessage(channel, body) };
    }
    if ((m = route.match(/^\/channels\/([^/]+)\/messages\/([^/]+)\/threads$/)) && method === 'POST') {
      // A public thread started on a message: a channel of type 11 whose id is the message's (as Discord does).
      const parent = this.#channels.get(m[1]!);
      const message = this.#messages.get(m[2]!);
      if (parent === undefined) return notFound(10003, 'Unknown Channel');
      if (message === undefined || message.channel_id !== m[1]) return notFound(10008, 'Unknown Message');
      if (this.#channels.has(message.id)) return { status: 400, body: { message: 'A thread has already been created for this message', code: 160004 } };
      const invalid = badThreadName(body?.name);
      if (invalid !== undefined) return invalid;
      const thread: StoredChannel = { id: message.id, name: String(body.name), type: 11, guildId: parent.guildId, parentId: parent.id, ownerId: this.botUser.id, autoArchive: body?.auto_archive_duration ?? 1440 };
      this.#channels.set(thread.id, thread);
      return { status: 201, body: this.#threadBody(thread) };
    }
    if ((m = route.match(/^\/channels\/([^/]+)\/messages\/([^/]+)$/))) {
      const message = this.#messages.get(m[2]!);
      if (!this.#channels.has(m[1]!)) return notFound(10003, 'Unknown Channel');
      if (message === undefined || message.channel_id !== m[1]) return notFound(10008, 'Unknown Message');
      if (method === 'GET') return { status: 200, body: message };
      if (method === 'PATCH') return { status: 200, body: this.#editMessage(message, body) };
      if (method === 'DELETE') {
        this.#messages.delete(message.id);
        return { status: 204 };
      }
    }
    if ((m = route.match(/^\/applications\/([^/]+)(?:\/guilds\/([^/]+))?\/commands$/))) {
      if (m[1] !== this.applicationId) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
      const guildId = m[2] ?? null;
      const key = guildId ?? '';
      if (method === 'GET') return { status: 200, body: this.#commands.get(key) ?? [] };
      if (method === 'PUT' && Array.isArray(body)) {
        const registered = body.map((command: Record<string, any>) => ({
          ...command,
          id: this.#commandId(String(command['name'])),
          application_id: this.applicationId,
          ...(guildId !== null ? { guild_id: guildId } : {}),
          type: command['type'] ?? 1,
          description: command['description'] ?? '',
          version: this.#snowflake(),
          default_member_permissions: command['default_member_permissions'] ?? null,
          dm_permission: command['dm_permission'] ?? true,
          nsfw: command['nsfw'] ?? false,
        }));
        this.#commands.set(key, registered);
        return { status: 200, body: registered };
      }
    }
    return notFound();
  }

  /** A guild channel (not a thread) as the API returns it. */
  #channelBody(channel: StoredChannel): Record<string, unknown> {
    return {
      id: channel.id,
      type: channel.type,
      name: channel.name,
      guild_id: channel.guildId,
      position: 0,
      permission_overwrites: [],
      parent_id: null,
      nsfw: false,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: channel.flags ?? 0,
      ...(channel.type === FORUM && {
        available_tags: (channel.availableTags ?? []).map((t) => ({ ...t, moderated: false, emoji_id: null, emoji_name: null })),
        default_reaction_emoji: null,
        default_sort_order: null,
        default_forum_layout: 0,
        default_thread_rate_limit_per_user: 0,
      }),
    };
  }

  /** A thread channel (on a message, or a forum post) as the API returns it. */
  #threadBody(thread: StoredChannel): Record<string, unknown> {
    const ownerId = thread.ownerId ?? this.botUser.id;
    return {
      id: thread.id,
      type: 11,
      name: thread.name,
      guild_id: thread.guildId,
      parent_id: thread.parentId ?? null,
      owner_id: ownerId,
      last_message_id: null,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      flags: 0,
      applied_tags: thread.appliedTags ?? [],
      thread_metadata: { archived: false, auto_archive_duration: thread.autoArchive ?? 1440, archive_timestamp: new Date().toISOString(), locked: false, create_timestamp: new Date().toISOString() },
      ...(ownerId === this.botUser.id && { member: { id: thread.id, user_id: this.botUser.id, join_timestamp: new Date().toISOString(), flags: 0 } }),
    };
  }

  /**
   * POST /channels/:forum/threads: a forum post, a thread whose first message (its id the thread's)
   * is in the thread. As Discord: only in a forum, a message is required, and so is a tag when the
   * forum's REQUIRE_TAG flag is set.
   */
  #createForumPost(forum: StoredChannel, body: any): Reply {
    if (forum.type !== FORUM) return { status: 400, body: { message: 'Cannot execute action on this channel type', code: 50024 } };
    const invalid = badThreadName(body?.name);
    if (invalid !== undefined) return invalid;
    const message = body?.message;
    if (message === undefined || ((message.content ?? '') === '' && (message.embeds ?? []).length === 0)) {
      return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } };
    }
    const tags: string[] = body?.applied_tags ?? [];
    if ((forum.flags ?? 0) & REQUIRE_TAG && tags.length === 0) {
      return { status: 400, body: { message: 'A tag is required to create a forum post in this channel', code: 40067 } };
    }
    const known = new Set((forum.availableTags ?? []).map((t) => t.id));
    if (tags.some((t) => !known.has(t))) return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: { applied_tags: { _errors: [{ code: 'UNKNOWN_TAG', message: 'Unknown tag.' }] } } } };
    const id = this.#snowflake();
    const thread: StoredChannel = { id, name: String(body.name), type: 11, guildId: forum.guildId, parentId: forum.id, ownerId: this.botUser.id, appliedTags: tags, autoArchive: body?.auto_archive_duration ?? 1440 };
    this.#channels.set(id, thread);
    const starter = this.#storeMessage({ ...message, id }, id, forum.guildId, { position: 0 });
    return { status: 201, body: { ...this.#threadBody(thread), message: starter } };
  }

  /**
   * A thread someone else started (a forum post, say) in `parentId`, announced with THREAD_CREATE as
   * the Guilds intent does; `announce: false` leaves discord.js to learn of it from the REST API.
   */
  createThread(parentId: string, name: string, opts: { ownerId?: string; announce?: boolean } = {}): { id: string } {
    const parent = this.#channels.get(parentId);
    if (parent === undefined) throw new Error(`no channel ${parentId}`);
    const thread: StoredChannel = { id: this.#snowflake(), name, type: 11, guildId: parent.guildId, parentId, ownerId: opts.ownerId ?? 'U' };
    this.#channels.set(thread.id, thread);
    if (opts.announce !== false) this.dispatch('THREAD_CREATE', { ...this.#threadBody(thread), newly_created: true });
    return { id: thread.id };
  }

  /** Changes a guild channel (a forum's tags or flags, say) and announces it with CHANNEL_UPDATE. */
  updateChannel(id: string, patch: Partial<Pick<FakeChannel, 'name' | 'flags' | 'availableTags'>>): void {
    const channel = this.#channels.get(id);
    if (channel === undefined || channel.parentId !== undefined) throw new Error(`no guild channel ${id}`);
    Object.assign(channel, patch);
    this.dispatch('CHANNEL_UPDATE', this.#channelBody(channel));
  }

  /** A forum post's tags, as it was created with. */
  appliedTags(threadId: string): string[] {
    return this.#channels.get(threadId)?.appliedTags ?? [];
  }

  /** The threads started in a channel, by name (id = the message each was started on). */
  threadsOf(channelId: string): { id: string; name: string }[] {
    return [...this.#channels.values()].filter((c) => c.parentId === channelId).map((c) => ({ id: c.id, name: c.name }));
  }

  /** POST /channels/:id/messages. Only this answer carries the nonce: Discord does not keep it. */
  #createMessage(channel: { id: string; guildId: string }, body: any): ApiMessage {
    const nonce: unknown = body?.nonce;
    const key = nonce === undefined || nonce === null ? undefined : `${channel.id} ${String(nonce)}`;
    if (key !== undefined && body?.enforce_nonce === true) {
      const seen = this.#nonces.get(key);
      const existing = seen !== undefined && Date.now() - seen.at <= this.#nonceWindowMs ? this.#messages.get(seen.messageId) : undefined;
      if (existing !== undefined) return { ...existing, nonce };
    }
    const message = this.#storeMessage({ ...body, id: undefined }, channel.id, channel.guildId);
    if (key !== undefined) this.#nonces.set(key, { messageId: message.id, at: Date.now() });
    return key === undefined ? message : { ...message, nonce };
  }

  /** GET /channels/:id/messages: `limit` (default 50, at most 100) after `after` or before `before`, newest first. */
  #listMessages(channelId: string, query: URLSearchParams): ApiMessage[] {
    const after = query.get('after');
    const before = query.get('before');
    const inRange = this.channelMessages(channelId).filter(
      (msg) => (after === null || BigInt(msg.id) > BigInt(after)) && (before === null || BigInt(msg.id) < BigInt(before)),
    );
    const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50)));
    return (after !== null ? inRange.slice(0, limit) : inRange.slice(-limit)).reverse();
  }

  #webhookInteraction(appId: string, token: string): InteractionRecord | undefined {
    return appId === this.applicationId ? this.#interactions.get(token) : undefined;
  }

  #webhookFields(interaction: InteractionRecord): Record<string, unknown> {
    return { webhook_id: this.applicationId, application_id: this.applicationId, type: interaction.type === 2 ? 20 : 0 };
  }

  #callback(id: string, token: string, body: any, withResponse: boolean): Reply {
    const interaction = this.#interactions.get(token);
    if (interaction === undefined || interaction.id !== id) return notFound(10062, 'Unknown interaction');
    if (interaction.acknowledged) return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
    interaction.acknowledged = true;
    const type = Number(body?.type);
    const data: Record<string, any> = body?.data ?? {};
    let message: ApiMessage | undefined;
    if (type === 4 || type === 5) {
      const loading = type === 5 ? 128 : 0;
      message = this.#storeMessage(
        { ...data, id: undefined, flags: (Number(data['flags'] ?? 0) | loading) },
        interaction.channelId,
        interaction.guildId,
        { ...this.#webhookFields(interaction), interaction_metadata: {
          id,
          type: interaction.type,
          user: this.#user(interaction.userId, undefined),
          // discord.js indexes this unconditionally when it builds the Message, like on the interaction.
          authorizing_integration_owners: interaction.owners,
        } },
      );
      interaction.originalMessageId = message.id;
    } else if ((type === 6 || type === 7) && interaction.messageId !== null) {
      message = this.#messages.get(interaction.messageId);
      if (message !== undefined && type === 7) this.#editMessage(message, data);
      interaction.originalMessageId = interaction.messageId;
    }
    if (!withResponse) return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id,
          type: interaction.type,
          response_message_id: message?.id,
          response_message_loading: type === 5,
          response_message_ephemeral: message !== undefined ? (message.flags & 64) !== 0 : undefined,
        },
        resource: { type, ...(message !== undefined && type !== 6 ? { message } : {}) },
      },
    };
  }

  #webhookMessage(method: string, appId: string, token: string, messageId: string, body: any): Reply {
    const interaction = this.#webhookInteraction(appId, token);
    if (interaction === undefined) return notFound(10015, 'Unknown Webhook');
    const id = messageId === '@original' ? interaction.originalMessageId : messageId;
    const message = id === null ? undefined : this.#messages.get(id);
    if (message === undefined) return notFound(10008, 'Unknown Message');
    if (method === 'GET') return { status: 200, body: message };
    if (method === 'PATCH') return { status: 200, body: this.#editMessage(message, body) };
    if (method === 'DELETE') {
      this.#messages.delete(message.id);
      return { status: 204 };
    }
    return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
  }
}
