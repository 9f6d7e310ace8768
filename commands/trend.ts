import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, HandlerOutcome } from '../src/bot/BotContext.js';
import { checkCooldown, filterOption, sinceOption } from '../src/bot/checks.js';
import { renderTrend } from '../src/render/discord.js';
import { trendChartPng } from '../src/render/trendChart.js';
import { MAX_QUERY_LENGTH } from '../src/search/PaperSearch.js';
import { topicPapers, topicTrend } from '../src/trend/topicTrend.js';

export const data = new SlashCommandBuilder()
  .setName('trend')
  .setDescription('A chart of the papers on a topic per month or year, beside their share of all papers')
  .addStringOption((o) => o.setName('topic').setDescription('The topic: a paper counts when it holds every word').setRequired(true).setMaxLength(MAX_QUERY_LENGTH))
  .addIntegerOption(sinceOption);

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const filter = filterOption(interaction, ctx);
  // The match is quick and decides whether there is anything to draw: a refusal comes before the deferral, privately.
  const search = ctx.search();
  const papers = topicPapers(search, interaction.options.getString('topic', true), filter);
  checkCooldown(ctx, interaction.user.id);
  await interaction.deferReply();
  const trend = topicTrend(search, papers, new Date(ctx.now()));
  await interaction.editReply(renderTrend(trend, trendChartPng(trend)));
  return { results: trend.papers };
}
