import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isProcessAlive } from './processes.js';

/**
 * Replace `path` with `data` so that a reader (or a crash) sees either the old
 * file or the whole new one, never a part: write a temporary file beside it,
 * fsync it, rename it over the old one, then fsync the folder. Data given as
 * chunks is written one after another, so a large file needs no second copy.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const fd = openSync(temp, 'w');
    try {
      const chunks = typeof data === 'string' ? [Buffer.from(data)] : data instanceof Uint8Array ? [data] : data;
      for (const bytes of chunks) for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

// writeFileAtomic's temporary files: ".<pid>.<random>.tmp".
const TEMP = /^\.(\d+)\.[a-z0-9]+\.tmp$/;

/**
 * Remove the temporary files that writes killed midway (kill -9, a full
 * disk) left in `dir`: those of writeFileAtomic's naming whose process is
 * gone. A missing folder is fine. Returns how many went.
 */
export function removeStaleTemps(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = Number(TEMP.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isProcessAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
