// `npm run start:sharded`: discord.js's ShardingManager, one process per
// shard (Discord requires sharding past 2,500 guilds). The index is built and
// saved once here, so each shard process only loads the saved file.
import { ShardingManager } from 'discord.js';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadBotConfig } from '../config.js';
import { createLogger } from '../log.js';
import { openPaperIndex } from '../search/openIndex.js';

try {
  const config = loadBotConfig();
  const log = createLogger({ level: config.logLevel, pretty: config.prettyLogs });
  const index = openPaperIndex({ corpusDir: config.corpusDir, dataDir: config.dataDir });
  log.info({ papers: index.corpus.papers.length, file: index.build.file }, 'index saved for the shards');
  const manager = new ShardingManager(fileURLToPath(new URL('./main.ts', import.meta.url)), {
    token: config.token,
    totalShards: config.shardCount,
    // Each shard runs the TypeScript entry point through tsx, as `npm start` does.
    execArgv: ['--import', 'tsx'],
  });
  manager.on('shardCreate', (shard) => log.info({ shard: shard.id }, 'shard started'));
  await manager.spawn();
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
}
