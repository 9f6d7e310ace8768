import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/bot/BotContext.js';
import { renderAbout } from '../src/render/discord.js';

export const data = new SlashCommandBuilder()
  .setName('about')
  .setDescription('The papers PaperBot knows, its index and version');

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const search = ctx.search();
  const message = renderAbout({
    stats: search.stats(),
    builtAt: search.info.builtAt,
    version: ctx.version,
    uptimeSeconds: (ctx.now() - ctx.startedAt) / 1000,
    embeddings: ctx.embeddings(),
  });
  await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
}
