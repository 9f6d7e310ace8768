import { DiscordAPIError, RESTJSONErrorCodes, type Client } from 'discord.js';
import type { DeliveryResult, DigestTransport } from '../digest/DigestService.js';
import { renderDigest } from '../render/discord.js';

// Errors that will not go away by retrying: the channel is gone, or the bot
// may no longer see it or post in it. The subscription pauses instead.
const PERMANENT: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.UnknownChannel, // 10003
  RESTJSONErrorCodes.MissingAccess, // 50001
  RESTJSONErrorCodes.MissingPermissions, // 50013
]);

/**
 * Posts digests with discord.js: one or more messages (the 6,000-character
 * budget), in order, stopping at the first error. Rate limits are waited out
 * by discord.js's REST client. Only a 4xx answer proves a message was not
 * posted; after a timeout, a dropped connection or a 5xx it may have been,
 * which the result says (uncertain), so the papers are not sent again.
 */
export function discordDigestTransport(client: Client): DigestTransport {
  return async ({ subscription, items }) => {
    const delivered: string[] = [];
    const fail = (permanent: boolean, reason: string, uncertain = false): DeliveryResult => ({ delivered, failure: { permanent, reason, uncertain } });
    let sending = false;
    try {
      const channel = await client.channels.fetch(subscription.channelId);
      if (channel === null || !channel.isSendable()) return fail(true, 'the channel is not a text channel the bot can post in');
      for (const { message, paperIds } of renderDigest(subscription.topic, items)) {
        sending = true;
        await channel.send(message);
        sending = false;
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
