// `npm run deploy-commands`: register the slash commands with Discord, from
// the same modules the bot loads. To one guild (instant) when DISCORD_GUILD_ID
// is set, else globally (Discord may take up to an hour to show changes).
import { REST, Routes } from 'discord.js';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadBotConfig, type BotConfig } from '../config.js';
import { loadCommands } from './loadCommands.js';

/** Register every command; returns how many and where. */
export async function deployCommands(config: BotConfig): Promise<{ count: number; scope: string }> {
  const commands = await loadCommands();
  const body = [...commands.values()].map((c) => c.data.toJSON());
  const rest = new REST({ api: config.apiBase }).setToken(config.token);
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.clientId, config.guildId)
    : Routes.applicationCommands(config.clientId);
  await rest.put(route, { body });
  return { count: body.length, scope: config.guildId ? `guild ${config.guildId}` : 'all guilds (global)' };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { count, scope } = await deployCommands(loadBotConfig());
    process.stdout.write(`Registered ${count} commands for ${scope}.\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : `Could not register the commands: ${(err as Error).message}`}\n`);
    process.exit(1);
  }
}
