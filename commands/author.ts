import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { authorPage } from '../src/authors/authorPage.js';
import type { BotContext, HandlerOutcome } from '../src/bot/BotContext.js';
import { DISCORD_LIMITS, renderAuthorPage } from '../src/render/discord.js';

export const data = new SlashCommandBuilder()
  .setName('author')
  .setDescription("An author's papers, newest first, with their co-authors and categories")
  .addStringOption((o) =>
    o.setName('name').setDescription('The name ("Yanzhi Wang", "Y. Wang" or "Wang, Yanzhi"); suggestions as you type').setRequired(true).setAutocomplete(true).setMaxLength(200),
  );

/** Names by paper count, "Yanzhi Wang · 10 papers". */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const names = ctx.search().authors().suggest(interaction.options.getFocused(), DISCORD_LIMITS.choices);
  await interaction.respond(
    names.map(({ name, docs }) => {
      const suffix = ` · ${docs.length.toLocaleString('en')} paper${docs.length === 1 ? '' : 's'}`;
      return { name: `${name.slice(0, DISCORD_LIMITS.choiceName - suffix.length)}${suffix}`, value: name.slice(0, DISCORD_LIMITS.choiceValue) };
    }),
  );
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const page = authorPage(ctx.search(), interaction.options.getString('name', true), { limit: 10 });
  await interaction.reply(renderAuthorPage(page));
  return { results: page.papers.length };
}
