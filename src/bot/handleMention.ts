import type { Client, Message } from 'discord.js';
import { UserError } from '../errors.js';
import { INTERNAL_ERROR, NO_PINGS } from '../render/discord.js';
import { answerQuestion } from './answerQuestion.js';
import type { BotContext } from './BotContext.js';
import { checkCooldown } from './checks.js';
import { checkQuery } from '../search/PaperSearch.js';

const PAGE_SIZE = 3;

/**
 * "@PaperBot which paper makes ViTs as fast as MobileNet?": answered as /ask
 * would be, as a reply. Messages that mention the bot carry their content
 * without the privileged Message Content intent.
 */
export async function handleMention(message: Message, client: Client<true>, ctx: BotContext): Promise<void> {
  // Replies to the bot mention it too; only an explicit @PaperBot is a question.
  if (message.author.bot || !message.mentions.has(client.user, { ignoreRepliedUser: true, ignoreEveryone: true, ignoreRoles: true })) return;
  const started = performance.now();
  const line = { kind: 'mention', command: 'ask', guild: message.guildId, user: message.author.id };
  try {
    const question = checkQuery(message.content.replace(new RegExp(`<@!?${client.user.id}>`, 'g'), ' '));
    checkCooldown(ctx, message.author.id);
    let reply: Message | undefined;
    const { message: answer, results } = await answerQuestion(ctx, question, {
      pageSize: PAGE_SIZE,
      userId: message.author.id,
      channelId: message.channelId,
      onExpire: async (expired) => reply?.edit(expired),
    });
    reply = await message.reply(answer);
    ctx.log.info({ ...line, latencyMs: Math.round(performance.now() - started), results }, 'mention');
  } catch (err) {
    const refused = err instanceof UserError;
    const content = refused ? err.message : INTERNAL_ERROR;
    await message.reply({ content, allowedMentions: NO_PINGS }).catch(() => undefined);
    const latencyMs = Math.round(performance.now() - started);
    if (refused) ctx.log.info({ ...line, latencyMs, refused: err.code }, 'mention refused');
    else ctx.log.error({ ...line, latencyMs, err }, 'mention failed');
  }
}
