// `npm start`: the bot, configured from the environment and .env.
import { ConfigError, loadBotConfig, type BotConfig } from '../config.js';
import { asEnvironmentError, ENVIRONMENT_EXIT_CODE, UserError } from '../errors.js';
import { startBot } from './startBot.js';

let config: BotConfig | undefined;

async function main(): Promise<void> {
  config = loadBotConfig();
  const bot = await startBot(config);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      bot.log.info({ signal }, 'shutting down');
      void bot.stop().then(() => process.exit(0));
    });
  }
}

main().catch((err: unknown) => {
  const environment = asEnvironmentError(err, config && { url: config.apiBase, setting: 'DISCORD_API_BASE' });
  if (environment !== null) {
    process.stderr.write(`PaperBot cannot start: ${environment.message}\n`);
    process.exit(ENVIRONMENT_EXIT_CODE);
  }
  if (err instanceof ConfigError || err instanceof UserError) {
    process.stderr.write(`${err.message}\n`);
  } else if ((err as { code?: string }).code === 'TokenInvalid') {
    process.stderr.write('PaperBot cannot start: Discord refused DISCORD_TOKEN (401). Copy the token again from the Developer Portal (Bot → Reset Token).\n');
  } else {
    process.stderr.write(`PaperBot stopped on an unexpected error: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
