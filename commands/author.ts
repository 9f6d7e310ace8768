import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { authorPage } from '../src/authors/authorPage.js';
import type { BotContext, HandlerOutcome } from '../src/bot/BotContext.js';
import { authorChoices } from '../src/bot/authorChoices.js';
import { renderAuthorPage } from '../src/render/discord.js';

export const data = new SlashCommandBuilder()
  .setName('author')
  .setDescription("An author's papers, newest first, with their co-authors and categories")
  .addStringOption((o) =>
    o.setName('name').setDescription('The name ("Yanzhi Wang", "Y. Wang" or "Wang, Yanzhi"); suggestions as you type').setRequired(true).setAutocomplete(true).setMaxLength(200),
  );

/** Names by paper count, "Yanzhi Wang · 10 papers". */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await interaction.respond(authorChoices(ctx.search(), interaction.options.getFocused()));
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const page = authorPage(ctx.search(), interaction.options.getString('name', true), { limit: 10 });
  await interaction.reply(renderAuthorPage(page));
  return { results: page.papers.length };
}
