/**
 * An error the user caused and can fix (a bad option, a broken corpus line).
 * Its message is written for them and shown as is; anything else is a bug.
 */
export class UserError extends Error {
  constructor(
    /** Stable identifier, so wording can change without breaking callers. */
    readonly code: UserErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export type UserErrorCode =
  | 'corpus_missing'
  | 'corpus_empty'
  | 'corpus_invalid'
  | 'query_empty'
  | 'query_too_long'
  | 'bad_option'
  | 'bad_env'
  | 'bad_limit'
  | 'bad_filter'
  | 'future_since'
  | 'unknown_category'
  | 'bad_format'
  | 'engine_unknown'
  | 'library_unavailable'
  | 'index_unsaved'
  | 'ingest_locked'
  | 'harvest_too_long'
  | 'benchmark_invalid'
  | 'cooldown'
  | 'expired'
  | 'not_found'
  | 'no_match'
  | 'bad_list_name'
  | 'list_full'
  | 'too_many_lists'
  | 'forbidden'
  | 'bot_missing_permission'
  | 'forum_tag_required'
  | 'bad_channel';

/** The exit code of a problem with the machine rather than the input: a disk, a permission, a link, the network, a damaged file. */
export const ENVIRONMENT_EXIT_CODE = 3;

/**
 * A problem of the machine PaperBot runs on, not a bug and not bad input: a
 * read-only or full disk, a missing permission, a symbolic-link loop, a
 * damaged database, an unreachable server. Its message is one paragraph for
 * whoever runs PaperBot: what failed, which file or URL, what to do.
 */
export class EnvironmentError extends Error {
  constructor(
    /** The system's error code (EROFS, ENOSPC, ELOOP, EACCES, ECONNREFUSED, …) or SQLITE_NOTADB / SQLITE_CORRUPT. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

// What each system error means for a file or folder, and what to do.
const FILE_PROBLEMS: Record<string, (path: string) => [problem: string, remedy: string]> = {
  EROFS: (p) => [`${p} is on a read-only file system`, 'Point PAPERBOT_DATA_DIR (or --corpus) at a writable folder, or remount it read-write.'],
  ENOSPC: (p) => [`the disk holding ${p} is full`, 'Free some space, or point PAPERBOT_DATA_DIR at a larger disk.'],
  EDQUOT: (p) => [`the disk quota for ${p} is used up`, 'Free some space, or point PAPERBOT_DATA_DIR at another disk.'],
  ELOOP: (p) => [`${p} is a symbolic link that leads back to itself`, 'Fix or remove the link.'],
  EACCES: (p) => [`PaperBot is not allowed to use ${p}`, 'Give the user running PaperBot access to it (chmod, chown), or point PAPERBOT_DATA_DIR elsewhere.'],
  EPERM: (p) => [`the system refused PaperBot the use of ${p}`, 'Give the user running PaperBot access to it, or point PAPERBOT_DATA_DIR elsewhere.'],
  EMFILE: () => ['PaperBot has too many files open', 'Raise the limit (ulimit -n) and start again.'],
  ENOTDIR: (p) => [`part of the path ${p} is a file where a folder is needed`, 'Move that file aside, or choose another folder.'],
  EISDIR: (p) => [`${p} is a folder where a file is needed`, 'Move it aside.'],
};
// SQLite's own words for the same problems, which carry no path.
const DATABASE_PROBLEMS: Record<string, [problem: string, remedy: string]> = {
  SQLITE_FULL: ["the disk holding PaperBot's data is full", 'Free some space, or point PAPERBOT_DATA_DIR at a larger disk.'],
  SQLITE_READONLY: ["PaperBot's data folder cannot be written", 'Point PAPERBOT_DATA_DIR at a writable folder.'],
  SQLITE_CANTOPEN: ["a database in PaperBot's data folder cannot be opened", 'Check that PAPERBOT_DATA_DIR exists and that PaperBot may write there.'],
};
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/**
 * The EnvironmentError `err` is, or stands for: a Node system error on a
 * file, or a network error reaching `server` (its URL and the setting that
 * names it); null when it is something else.
 */
export function asEnvironmentError(err: unknown, server?: { url: string; setting: string }): EnvironmentError | null {
  if (err instanceof EnvironmentError) return err;
  const { code, path, cause } = (err ?? {}) as { code?: string; path?: string; cause?: unknown };
  const fileProblem = code === undefined ? undefined : FILE_PROBLEMS[code];
  if (fileProblem !== undefined && path !== undefined) {
    const [problem, remedy] = fileProblem(path);
    return new EnvironmentError(code!, `${problem} (${code}). ${remedy}`);
  }
  const databaseProblem = code === undefined ? undefined : DATABASE_PROBLEMS[code];
  if (databaseProblem !== undefined) return new EnvironmentError(code!, `${databaseProblem[0]} (${code}). ${databaseProblem[1]}`);
  const network = [code, (cause as { code?: string } | undefined)?.code].find((c) => c !== undefined && NETWORK_CODES.has(c));
  if (network === undefined) return null;
  const where = server === undefined ? 'the server' : server.url;
  const check = server === undefined ? 'and the URL' : `and ${server.setting}`;
  return new EnvironmentError(network, `${where} cannot be reached (${network}). Check the network, a firewall or proxy, ${check}; then try again.`);
}
