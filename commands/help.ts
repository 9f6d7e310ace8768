import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { renderHelp } from '../src/render/discord.js';

export const data = new SlashCommandBuilder().setName('help').setDescription('What PaperBot does and how to ask it');

export async function execute(interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.reply({ ...renderHelp(), flags: MessageFlags.Ephemeral });
}
