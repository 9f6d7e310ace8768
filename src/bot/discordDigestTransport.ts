import { DiscordAPIError, RESTJSONErrorCodes, SnowflakeUtil, ThreadAutoArchiveDuration, type Client, type Message, type SendableChannels } from 'discord.js';
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
 * budget), in order, stopping at the first error. Rate limits are waited out
 * by discord.js's REST client. Only a 4xx answer proves a message was not
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
      if (channel === null || !channel.isSendable()) return fail(true, 'the channel is not a text channel the bot can post in');
      const earlier = earlierAttemptAt === null ? [] : await ownMessagesSince(channel, client.user.id, earlierAttemptAt);
      let first: Message | undefined;
      for (const [index, { message, paperIds }] of renderDigest(subscription, items, 'Daily digest', subscription.id).entries()) {
        if (paperIds.length > 0 && paperIds.every((id) => posted.has(id))) continue;
        let sent = earlier.find((m) => isCopyOf(m, message));
        if (sent === undefined) {
          sending = true;
          sent = await channel.send({ ...message, nonce: `${nonce}.${index}`, enforceNonce: true });
          sending = false;
        }
        if (index === 0) first = sent;
        delivered.push(...paperIds);
      }
      // The digest is posted: a thread that cannot be made loses nothing and posts nothing again.
      return { delivered, ...(first !== undefined && items.length > 0 && { thread: await startThread(first, digestThreadName(subscription, slot)) }) };
    } catch (err) {
      if (err instanceof DiscordAPIError && typeof err.code === 'number' && PERMANENT.has(err.code)) {
        return fail(true, `${err.message} (${err.code})`);
      }
      const refused = err instanceof DiscordAPIError && err.status >= 400 && err.status < 500;
      return fail(false, (err as Error).message, sending && !refused);
    }
  };
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
