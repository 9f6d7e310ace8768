import { MessageFlags, SlashCommandBuilder, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, HandlerOutcome } from '../src/bot/BotContext.js';
import { categoryOptionChoices } from '../src/bot/categoryChoices.js';
import { categoryOption, filterOption, paperOfButton, sinceOption } from '../src/bot/checks.js';
import { titleChoices } from '../src/bot/titleChoices.js';
import { UserError } from '../src/errors.js';
import { renderSimilarPage } from '../src/render/discord.js';
import { MAX_QUERY_LENGTH } from '../src/search/PaperSearch.js';
import type { PaperFilter } from '../src/search/Retriever.js';
import { similarPapers } from '../src/search/similarPapers.js';

// Papers a Similar button shows.
const BUTTON_COUNT = 5;

export const data = new SlashCommandBuilder()
  .setName('similar')
  .setDescription('The papers nearest one paper, with what they share')
  .addStringOption((o) =>
    o.setName('paper').setDescription('The paper: its title (suggestions as you type) or arXiv id').setRequired(true).setAutocomplete(true).setMaxLength(MAX_QUERY_LENGTH),
  )
  .addIntegerOption((o) => o.setName('count').setDescription('Papers (1-10, default 5)').setMinValue(1).setMaxValue(10))
  .addIntegerOption(sinceOption)
  .addStringOption(categoryOption);

/** Titles for paper:, the library's categories for category:. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  await interaction.respond(focused.name === 'category' ? categoryOptionChoices(ctx.search().categories(), focused.value) : titleChoices(ctx.search(), focused.value));
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const text = interaction.options.getString('paper', true).trim();
  if (text === '') throw new UserError('query_empty', 'Give me a paper: its title or arXiv id.');
  const filter = filterOption(interaction, ctx);
  const message = similarMessage(ctx, text, interaction.options.getInteger('count') ?? 5, filter);
  await interaction.reply(message);
  return { results: message.embeds.length };
}

/** The Similar button under an answer or a card: the nearest papers, privately to whoever clicked. */
export async function button(interaction: ButtonInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const paper = paperOfButton(ctx, interaction.customId.split(':')[2]);
  const message = similarMessage(ctx, paper.id, BUTTON_COUNT, undefined);
  await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
  return { results: message.embeds.length };
}

function similarMessage(ctx: BotContext, text: string, count: number, filter: PaperFilter | undefined) {
  const { paper, result } = similarPapers(ctx.search(), text, { limit: count, filter });
  return renderSimilarPage(paper, result.hits, filter);
}
