import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';

/**
 * One ingest at a time per library: the second would otherwise wait on
 * SQLite's write lock and fail after its timeout with a message that says
 * nothing. The lock is a file beside the library holding the owner's pid;
 * a lock whose process is gone (kill -9) is taken over. Returns the
 * release function.
 */
export function lockLibrary(libraryPath: string): () => void {
  mkdirSync(dirname(libraryPath), { recursive: true });
  const path = `${libraryPath}.ingest.lock`;
  // The pid is written first and the lock linked into place whole, so nobody
  // ever reads a lock file still empty and takes it for a dead owner's.
  const mine = `${path}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(mine, path);
        return () => rmSync(path, { force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = Number(readFileSync(path, 'utf8'));
        if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
          throw new UserError('ingest_locked', `another ingest (pid ${owner}) is writing ${libraryPath} (lock ${path}); try again when it is done`);
        }
        rmSync(path, { force: true });
      }
    }
    throw new UserError('ingest_locked', `could not lock ${libraryPath} for ingest (lock ${path})`);
  } finally {
    rmSync(mine, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
