import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../paths.js';
import type { CommandModule } from './BotContext.js';

/** The repository's `commands/` folder. */
export const COMMANDS_DIR = join(PACKAGE_ROOT, 'commands');

/**
 * Import every command module of `dir` (one `.ts` file per slash command),
 * keyed by command name. The bot and `npm run deploy-commands` both use it, so
 * what is deployed is what runs. A malformed module fails loudly: a command
 * that silently disappears would be worse.
 */
export async function loadCommands(dir = COMMANDS_DIR): Promise<Map<string, CommandModule>> {
  const commands = new Map<string, CommandModule>();
  const files = readdirSync(dir).filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')).sort();
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as Partial<CommandModule>;
    const name = module.data?.name;
    if (typeof name !== 'string' || typeof module.data?.toJSON !== 'function' || typeof module.execute !== 'function') {
      throw new Error(`PaperBot: commands/${file} must export data (a SlashCommandBuilder) and execute()`);
    }
    if (file.replace(/\.\w+$/, '') !== name) throw new Error(`PaperBot: commands/${file} defines /${name}; name the file ${name}.ts`);
    if (commands.has(name)) throw new Error(`PaperBot: /${name} is defined twice`);
    commands.set(name, module as CommandModule);
  }
  return commands;
}
