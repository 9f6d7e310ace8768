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
  | 'engine_unknown'
  | 'library_unavailable'
  | 'index_unsaved'
  | 'ingest_locked'
  | 'harvest_too_long'
  | 'benchmark_invalid'
  | 'cooldown'
  | 'expired'
  | 'not_found'
  | 'forbidden';
