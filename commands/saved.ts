import { MessageFlags, SlashCommandBuilder, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, HandlerOutcome } from '../src/bot/BotContext.js';
import { listedPaperChoices } from '../src/bot/titleChoices.js';
import { renderReadingList, renderSavedChange } from '../src/render/discord.js';
import { MAX_QUERY_LENGTH } from '../src/search/PaperSearch.js';
import { UserError } from '../src/errors.js';

export const data = new SlashCommandBuilder()
  .setName('saved')
  .setDescription('Your saved papers, newest first (only you see them); Save on any answer or card adds one')
  .addStringOption((o) => o.setName('remove').setDescription('Take this paper off your saved papers').setAutocomplete(true).setMaxLength(MAX_QUERY_LENGTH));

/** Suggestions for remove: the user's saved papers whose title holds what was typed. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await interaction.respond(listedPaperChoices(ctx.lists.saved(interaction.user.id).papers, interaction.options.getFocused()));
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const remove = interaction.options.getString('remove');
  if (remove !== null) {
    const id = remove.trim();
    if (!ctx.lists.saved(interaction.user.id).papers.some((p) => p.paperId === id)) throw new UserError('not_found', 'That paper is not among your saved papers: choose one of the suggestions.');
    await interaction.reply({ ...renderSavedChange(ctx.lists.unsave(interaction.user.id, id), 'unsave'), flags: MessageFlags.Ephemeral });
    return { results: 1 };
  }
  const saved = ctx.lists.saved(interaction.user.id);
  const message = renderReadingList(saved, { title: 'Your saved papers', empty: 'You have no saved papers yet: **Save** under an answer or on a paper card keeps one here.', showAdder: false });
  await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
  return { results: saved.papers.length };
}

/** Save and Unsave, on answers, cards and the confirmations: privately, for whoever clicked. */
export async function button(interaction: ButtonInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const [, action, paperId] = interaction.customId.split(':');
  if (paperId === undefined || (action !== 'save' && action !== 'unsave')) throw new UserError('expired', 'This button no longer works.');
  const change = action === 'save' ? ctx.lists.save(interaction.user.id, paperId) : ctx.lists.unsave(interaction.user.id, paperId);
  const message = renderSavedChange(change, action);
  // A click on a confirmation's own button turns that confirmation; one on an answer or a card gets a private reply.
  if (interaction.message.flags.has(MessageFlags.Ephemeral)) await interaction.update(message);
  else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
  return { results: 1 };
}
