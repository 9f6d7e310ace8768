// `npm run start:sharded`: discord.js's ShardingManager, one process per
// shard (Discord requires sharding past 2,500 guilds). The library's index is
// brought up to date once here, so each shard process only loads the saved files.
import { ShardingManager } from 'discord.js';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadBotConfig } from '../config.js';
import { createLogger } from '../log.js';
import { openSearch } from '../search/openSearch.js';

try {
  const config = loadBotConfig();
  const log = createLogger({ level: config.logLevel, pretty: config.prettyLogs });
  const search = openSearch({ corpusDir: config.corpusDir, dataDir: config.dataDir, engine: config.engine, loadTitles: true });
  log.info({ papers: search.size, index: search.info.indexPath, actions: search.info.actions }, 'index saved for the shards');
  search.library.close();
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
