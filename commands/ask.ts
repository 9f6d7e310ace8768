import { MessageFlags, SlashCommandBuilder, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { answerQuestion, renderSessionPage } from '../src/bot/answerQuestion.js';
import type { BotContext, HandlerOutcome } from '../src/bot/BotContext.js';
import { categoryOption, checkCooldown, filterOption, paperOfButton, sinceOption } from '../src/bot/checks.js';
import { UserError } from '../src/errors.js';
import { renderPaperCard } from '../src/render/discord.js';
import { categoryOptionChoices } from '../src/bot/categoryChoices.js';
import { checkQuery, MAX_QUERY_LENGTH } from '../src/search/PaperSearch.js';

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question: the papers that answer it, with the sentences that do')
  .addStringOption((o) =>
    o.setName('question').setDescription('Your question, in your own words').setRequired(true).setMaxLength(MAX_QUERY_LENGTH),
  )
  .addIntegerOption((o) => o.setName('count').setDescription('Papers per page (1-10, default 3)').setMinValue(1).setMaxValue(10))
  .addIntegerOption(sinceOption)
  .addStringOption(categoryOption);

/** Categories the library's papers list, most papers first. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await interaction.respond(categoryOptionChoices(ctx.search().categories(), interaction.options.getFocused()));
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const question = checkQuery(interaction.options.getString('question', true));
  const pageSize = interaction.options.getInteger('count') ?? 3;
  const filter = filterOption(interaction, ctx);
  checkCooldown(ctx, interaction.user.id);
  await interaction.deferReply();
  const { message, results } = await answerQuestion(ctx, question, {
    pageSize,
    filter,
    userId: interaction.user.id,
    channelId: interaction.channelId,
    onExpire: (expired) => interaction.editReply(expired),
  });
  await interaction.editReply(message);
  return { results };
}

/** ◀ ▶ page through the results; Abstract shows a paper's abstract to whoever clicked. */
export async function button(interaction: ButtonInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const [, action, argument, pageArg] = interaction.customId.split(':');
  if (action === 'abstract') {
    const paper = paperOfButton(ctx, argument);
    await interaction.reply({ ...renderPaperCard(paper), flags: MessageFlags.Ephemeral });
    return { results: 1 };
  }
  const session = argument === undefined ? undefined : ctx.sessions.get(argument);
  const page = Number.parseInt(pageArg ?? '', 10);
  if (session === undefined || !Number.isInteger(page)) {
    throw new UserError('expired', 'These buttons have expired: ask again with /ask.');
  }
  const message = renderSessionPage(session, page);
  // The asker turns their own message; anyone else gets a private copy, whose buttons then turn it.
  const privateCopy = interaction.message.flags.has(MessageFlags.Ephemeral);
  if (privateCopy || interaction.user.id === session.userId) {
    if (!privateCopy) session.page = page;
    await interaction.update(message);
  } else {
    await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
  }
  return { results: message.embeds.length };
}

