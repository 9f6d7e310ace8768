import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, wherever the process was started from. */
export const PACKAGE_ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/** The corpus folder: `PAPERBOT_CORPUS`, else the repository's `corpus/`. */
export function defaultCorpusDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PAPERBOT_CORPUS ? resolve(env.PAPERBOT_CORPUS) : resolve(PACKAGE_ROOT, 'corpus');
}

/** The data folder (persisted index, later the database): `PAPERBOT_DATA_DIR`, else `data/`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PAPERBOT_DATA_DIR ? resolve(env.PAPERBOT_DATA_DIR) : resolve(PACKAGE_ROOT, 'data');
}
