import { MessageFlags, type Interaction } from 'discord.js';
import { UserError } from '../errors.js';
import { INTERNAL_ERROR, NO_PINGS } from '../render/discord.js';
import type { BotContext, CommandModule, HandlerOutcome } from './BotContext.js';


/**
 * The one entry for every interaction: route it to its command module, turn
 * errors into a short ephemeral reply, and log one line with the command,
 * guild, user, latency, result count and error.
 */
export async function handleInteraction(
  interaction: Interaction,
  commands: ReadonlyMap<string, CommandModule>,
  ctx: BotContext,
): Promise<void> {
  const started = performance.now();
  let command = 'unknown';
  let kind = 'other';
  let outcome: HandlerOutcome | void = undefined;
  let failure: unknown;
  try {
    if (interaction.isChatInputCommand()) {
      kind = 'command';
      command = interaction.commandName;
      const module = commands.get(command);
      if (module === undefined) throw new UserError('not_found', `I do not know /${command} (any more).`);
      outcome = await module.execute(interaction, ctx);
    } else if (interaction.isAutocomplete()) {
      kind = 'autocomplete';
      command = interaction.commandName;
      try {
        await commands.get(command)?.autocomplete?.(interaction, ctx);
      } finally {
        // An autocomplete must always be answered, or Discord shows "loading options failed".
        if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      }
    } else if (interaction.isButton()) {
      kind = 'button';
      command = interaction.customId.split(':', 1)[0]!;
      const module = commands.get(command);
      if (module?.button === undefined) throw new UserError('expired', 'This button no longer works.');
      outcome = await module.button(interaction, ctx);
    }
  } catch (err) {
    failure = err;
    await replyWithError(interaction, err, ctx);
  }
  const line = {
    kind,
    command,
    guild: interaction.guildId,
    user: interaction.user.id,
    latencyMs: Math.round(performance.now() - started),
    ...(outcome && outcome.results !== undefined ? { results: outcome.results } : {}),
  };
  if (failure === undefined) ctx.log.info(line, 'interaction');
  else if (failure instanceof UserError) ctx.log.info({ ...line, refused: failure.code }, 'interaction refused');
  else ctx.log.error({ ...line, err: failure }, 'interaction failed');
}

async function replyWithError(interaction: Interaction, err: unknown, ctx: BotContext): Promise<void> {
  if (!interaction.isRepliable()) return;
  const content = err instanceof UserError ? err.message : INTERNAL_ERROR;
  const body = { content, flags: MessageFlags.Ephemeral as const, allowedMentions: NO_PINGS };
  try {
    if (interaction.deferred && !interaction.replied) {
      // The deferred "thinking…" reply is public; say it privately instead.
      await interaction.deleteReply();
      await interaction.followUp(body);
    } else if (interaction.replied) {
      await interaction.followUp(body);
    } else {
      await interaction.reply(body);
    }
  } catch (replyError) {
    ctx.log.warn({ err: replyError, command: interaction.isCommand() ? interaction.commandName : undefined }, 'could not send the error reply');
  }
}
