import {
  ChannelType,
  DiscordAPIError,
  RESTJSONErrorCodes,
  SnowflakeUtil,
  ThreadAutoArchiveDuration,
  type AnyThreadChannel,
  type Client,
  type ForumChannel,
  type Message,
  type SendableChannels,
} from 'discord.js';
import { UserError } from '../errors.js';
import { digestTag } from './digestChannels.js';
import { digestThreadName } from '../digest/composeDigest.js';
import type { DeliveryResult, DigestTransport } from '../digest/DigestService.js';
import { renderDigest, type DiscordMessage } from '../render/discord.js';

// Errors that will not go away by retrying: the channel is gone, or the bot
// may no longer see it or post in it. The subscription pauses instead.
const PERMANENT: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.UnknownChannel, // 10003
  RESTJSONErrorCodes.MissingAccess, // 50001
  RESTJSONErrorCodes.MissingPermissions, // 50013
]);

// This clock and Discord's may differ by this much, ms.
const CLOCK_SLACK_MS = 60_000;

/**
 * Posts digests with discord.js: one or more messages (the 6,000-character
 * budget), in order, stopping at the first error; in a forum, as a post.
 * Rate limits are waited out by discord.js's REST client. Only a 4xx answer proves a message was not
 * posted; after a timeout, a dropped connection or a 5xx it may have been,
 * which the result says (uncertain), so the post is retried, never given up.
 *
 * Each message carries the digest's nonce and its index, with enforce_nonce:
 * Discord then returns the message a lost attempt posted instead of posting it
 * again. It remembers a nonce for only a few minutes, so a retry first looks
 * for the bot's own messages posted since the earlier attempt.
 */
export function discordDigestTransport(client: Client<true>): DigestTransport {
  return async ({ subscription, items, slot, nonce, posted, earlierAttemptAt }) => {
    const delivered: string[] = [];
    const fail = (permanent: boolean, reason: string, uncertain = false): DeliveryResult => ({ delivered, failure: { permanent, reason, uncertain } });
    let sending = false;
    try {
      const channel = await client.channels.fetch(subscription.channelId);
      const name = digestThreadName(subscription, slot);
      let destination: Destination;
      if (channel?.type === ChannelType.GuildForum) destination = await forumDestination(channel, client.user.id, name, earlierAttemptAt);
      else if (channel !== null && channel.isSendable()) destination = await channelDestination(channel, client.user.id, name, earlierAttemptAt);
      else return fail(true, 'the channel is not a text channel or forum the bot can post in');
      let first: Message | undefined;
      for (const [index, { message, paperIds }] of renderDigest(subscription, items, 'Daily digest', subscription.id).entries()) {
        if (paperIds.length > 0 && paperIds.every((id) => posted.has(id))) continue;
        let sent = destination.earlier.find((m) => isCopyOf(m, message));
        if (sent === undefined) {
          sending = true;
          sent = await destination.send(message, `${nonce}.${index}`);
          sending = false;
        }
        if (index === 0) first = sent;
        delivered.push(...paperIds);
      }
      const thread = items.length > 0 ? await destination.thread(first) : undefined;
      return { delivered, ...(thread !== undefined && { thread }) };
    } catch (err) {
      if (err instanceof UserError) return fail(true, err.message);
      if (err instanceof DiscordAPIError && typeof err.code === 'number' && PERMANENT.has(err.code)) {
        return fail(true, `${err.message} (${err.code})`);
      }
      const refused = err instanceof DiscordAPIError && err.status >= 400 && err.status < 500;
      return fail(false, (err as Error).message, sending && !refused);
    }
  };
}

/** Where a digest's messages go, and what it has of an earlier attempt's. */
interface Destination {
  /** The bot's messages there since an earlier attempt began: a copy found is not posted again. */
  earlier: Message[];
  send(message: DiscordMessage, nonce: string): Promise<Message>;
  /** Once every message is posted: the digest's thread, or why it has none; undefined when it has none to have. */
  thread(first: Message | undefined): Promise<{ id: string } | { problem: string } | undefined>;
}

/**
 * A text or announcement channel, or a thread: the digest's messages, then a
 * thread started on the first (none in a thread: Discord has no threads in
 * threads). The thread comes last, so a refusal loses nothing and posts
 * nothing again.
 */
async function channelDestination(channel: SendableChannels, botId: string, name: string, earlierAttemptAt: number | null): Promise<Destination> {
  return {
    earlier: earlierAttemptAt === null ? [] : await ownMessagesSince(channel, botId, earlierAttemptAt),
    send: (message, nonce) => channel.send({ ...message, nonce, enforceNonce: true }),
    thread: async (first) => (first === undefined || channel.isThread() ? undefined : startThread(first, name)),
  };
}

/**
 * A forum: the digest is a post, named as a thread would be, whose first
 * message is the digest's first and the rest follow in it. Discord keeps no
 * nonce for a new post, so a retry first looks for the post an earlier
 * attempt made (the bot's, by that name, since then) and carries on in it.
 */
async function forumDestination(forum: ForumChannel, botId: string, name: string, earlierAttemptAt: number | null): Promise<Destination> {
  const tag = digestTag(forum);
  let post = earlierAttemptAt === null ? undefined : await ownPost(forum, botId, name, earlierAttemptAt);
  return {
    earlier: post === undefined || earlierAttemptAt === null ? [] : await ownMessagesSince(post, botId, earlierAttemptAt),
    send: async (message, nonce) => {
      if (post !== undefined) return post.send({ ...message, nonce, enforceNonce: true });
      post = await forum.threads.create({ name, autoArchiveDuration: ThreadAutoArchiveDuration.OneDay, message, ...(tag !== undefined && { appliedTags: [tag.id] }) });
      // A new post's answer carries its first message, which has the post's id.
      return post.messages.cache.get(post.id) ?? (await post.fetchStarterMessage()) ?? Promise.reject(new Error('Discord made the forum post without its message'));
    },
    thread: async () => (post === undefined ? undefined : { id: post.id }),
  };
}

/** The bot's post named `name` in `forum`, made from `since` on, among the guild's active threads. */
async function ownPost(forum: ForumChannel, botId: string, name: string, since: number): Promise<AnyThreadChannel | undefined> {
  const { threads } = await forum.threads.fetchActive();
  return threads.find((t) => t.ownerId === botId && t.name === name && (t.createdTimestamp ?? 0) >= since - CLOCK_SLACK_MS);
}

/**
 * A public thread on the digest's first message, for its discussion; or,
 * when Discord refuses (no Create Public Threads, an archived channel, a
 * 429 that outlasts discord.js's retries), why not.
 */
async function startThread(message: Message, name: string): Promise<{ id: string } | { problem: string }> {
  try {
    const thread = await message.startThread({ name, autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    return { id: thread.id };
  } catch (err) {
    const missing = err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.MissingPermissions;
    return { problem: missing ? 'the bot lacks the Create Public Threads permission here' : `Discord refused the thread: ${(err as Error).message}` };
  }
}

/**
 * The bot's messages in `channel` from `since` on (the first 100). Without
 * Read Message History Discord lists none, and the nonce is all that is left.
 */
async function ownMessagesSince(channel: SendableChannels, botId: string, since: number): Promise<Message[]> {
  const after = SnowflakeUtil.generate({ timestamp: since - CLOCK_SLACK_MS }).toString();
  const messages = await channel.messages.fetch({ after, limit: 100 });
  return [...messages.values()].filter((m) => m.author.id === botId);
}

/** The same text and the same links: a paper goes to a channel once, so only this digest's message has them. */
function isCopyOf(posted: Message, message: DiscordMessage): boolean {
  const links = (urls: (string | null | undefined)[]) => JSON.stringify(urls.map((u) => u ?? null));
  return posted.content === (message.content ?? '') && links(posted.embeds.map((e) => e.url)) === links(message.embeds.map((e) => e.url));
}
