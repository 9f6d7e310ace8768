import { DiscordAPIError, RESTJSONErrorCodes, SnowflakeUtil, type Client, type Message, type SendableChannels } from 'discord.js';
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
  return async ({ subscription, items, nonce, posted, earlierAttemptAt }) => {
    const delivered: string[] = [];
    const fail = (permanent: boolean, reason: string, uncertain = false): DeliveryResult => ({ delivered, failure: { permanent, reason, uncertain } });
    let sending = false;
    try {
      const channel = await client.channels.fetch(subscription.channelId);
      if (channel === null || !channel.isSendable()) return fail(true, 'the channel is not a text channel the bot can post in');
      const earlier = earlierAttemptAt === null ? [] : await ownMessagesSince(channel, client.user.id, earlierAttemptAt);
      for (const [index, { message, paperIds }] of renderDigest(subscription, items, 'Daily digest', subscription.id).entries()) {
        if (paperIds.length > 0 && paperIds.every((id) => posted.has(id))) continue;
        if (!earlier.some((m) => isCopyOf(m, message))) {
          sending = true;
          await channel.send({ ...message, nonce: `${nonce}.${index}`, enforceNonce: true });
          sending = false;
        }
        delivered.push(...paperIds);
      }
      return { delivered };
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
