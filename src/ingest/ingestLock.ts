import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import { isProcessAlive } from '../processes.js';

/** Who holds a lock: a pid alone can be reused (after a reboot or a container restart), so also when and which boot. */
interface LockOwner {
  pid: number;
  /** The process's start time, in clock ticks after boot (/proc/<pid>/stat); null where there is no /proc. */
  started: string | null;
  /** /proc/sys/kernel/random/boot_id; null where there is none. */
  boot: string | null;
}

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** The start time of process `pid`, or null when it has none (gone, or no /proc). */
function startTime(pid: number): string | null {
  const stat = readProc(`/proc/${pid}/stat`);
  // Field 22; the command (field 2) is in parentheses and may hold spaces, so count after its ')'.
  return stat === null ? null : (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null);
}

function me(): LockOwner {
  return { pid: process.pid, started: startTime(process.pid), boot: readProc('/proc/sys/kernel/random/boot_id') };
}

/** Is the lock's owner still running: the same pid, started at the same time, in this boot? */
function ownerRunning(text: string): { running: boolean; pid: number | null } {
  let owner: Partial<LockOwner>;
  try {
    owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner !== 'object' || owner === null) owner = { pid: Number(owner) };
  } catch {
    owner = { pid: Number(text) };
  }
  const pid = Number(owner.pid);
  if (!Number.isInteger(pid) || pid <= 0) return { running: false, pid: null };
  const now = me();
  if (owner.boot != null && now.boot !== null && owner.boot !== now.boot) return { running: false, pid };
  if (pid === process.pid) {
    // This process holds it only if it wrote it, start time and all; a bare
    // pid of ours is an earlier life of this pid (a restarted container).
    return { running: owner.started != null && owner.started === now.started, pid };
  }
  if (!isProcessAlive(pid)) return { running: false, pid };
  if (owner.started != null && owner.started !== startTime(pid)) return { running: false, pid };
  return { running: true, pid };
}

/**
 * One ingest at a time per library: the second would otherwise wait on
 * SQLite's write lock and fail after its timeout with a message that says
 * nothing. The lock is a file beside the library naming its owner (pid,
 * start time, boot); a lock whose owner is gone is taken over, even when
 * its pid has since been given to another process. Returns the release
 * function.
 */
export function lockLibrary(libraryPath: string): () => void {
  mkdirSync(dirname(libraryPath), { recursive: true });
  const path = `${libraryPath}.ingest.lock`;
  // The owner is written first and the lock linked into place whole, so nobody
  // ever reads a lock file still empty and takes it for a dead owner's.
  const mine = `${path}.${process.pid}`;
  writeFileSync(mine, JSON.stringify(me()));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(mine, path);
        return () => rmSync(path, { force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = ownerRunning(readProc(path) ?? '');
        if (owner.running) {
          throw new UserError(
            'ingest_locked',
            `another ingest (pid ${owner.pid}) is writing ${libraryPath}; try again when it is done. ` +
              `If no ingest is running, remove the lock file: rm ${path}`,
          );
        }
        rmSync(path, { force: true });
      }
    }
    throw new UserError('ingest_locked', `could not lock ${libraryPath} for ingest; if no ingest is running, remove the lock file: rm ${path}`);
  } finally {
    rmSync(mine, { force: true });
  }
}
