import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, HandlerOutcome } from '../src/bot/BotContext.js';
import { titleChoices } from '../src/bot/titleChoices.js';
import { UserError } from '../src/errors.js';
import { renderNoMatch, renderPaperCard, safeText } from '../src/render/discord.js';
import { truncate } from '../src/text/truncate.js';
import { MAX_QUERY_LENGTH } from '../src/search/PaperSearch.js';

export const data = new SlashCommandBuilder()
  .setName('paper')
  .setDescription('Look a paper up by its title (suggestions as you type)')
  .addStringOption((o) =>
    o
      .setName('title')
      .setDescription('The title, or part of it; typos are fine')
      .setRequired(true)
      .setAutocomplete(true)
      .setMaxLength(MAX_QUERY_LENGTH),
  );

/** Suggestions from the local title index; never deferred, well inside Discord's 3 s. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await interaction.respond(titleChoices(ctx.search(), interaction.options.getFocused()));
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const text = interaction.options.getString('title', true).trim();
  if (text === '') throw new UserError('query_empty', 'Give me a title, or part of one.');
  const search = ctx.search();
  // A suggestion picked from the list arrives as the paper's arXiv id.
  const chosen = search.paper(text);
  if (chosen !== undefined) {
    await interaction.reply(renderPaperCard(chosen));
    return { results: 1 };
  }
  const result = search.lookup(text, { limit: 1 });
  const best = result.hits[0];
  if (best === undefined) {
    await interaction.reply(renderNoMatch(text, search.size));
    return { results: 0 };
  }
  const card = renderPaperCard(best.paper);
  if (result.via === 'fallback') {
    card.content = `No title matches “${truncate(safeText(text), 200)}”; this paper's abstract does:`;
  }
  await interaction.reply(card);
  return { results: 1 };
}
