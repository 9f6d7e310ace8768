// `npm run start:sharded`: discord.js's ShardingManager, one process per
// shard (Discord requires sharding past 2,500 guilds). The index is built and
// saved once here, so each shard process only loads the saved file.
import { ShardingManager } from 'discord.js';
import { once } from 'node:events';
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
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      log.info({ signal }, 'stopping the shards');
      // Each shard finishes its replies in flight and exits (src/bot/main.ts).
      const exits = [...manager.shards.values()].map((shard) => {
        const child = shard.process;
        if (child === null || child.exitCode !== null) return Promise.resolve();
        shard.removeAllListeners('death'); // no respawn
        const exited = once(child, 'exit');
        child.kill(signal);
        return exited;
      });
      void Promise.all(exits).then(() => process.exit(0));
    });
  }
  await manager.spawn({ timeout: 60_000 });
  if (!stopping) log.info({ shards: manager.shards.size }, 'all shards ready');
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
}
