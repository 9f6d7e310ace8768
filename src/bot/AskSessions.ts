import { randomBytes } from 'node:crypto';
import type { PaperView } from '../render/paperView.js';

/** The results of one question, kept so its ◀ ▶ buttons can page through them. */
export interface AskSession {
  id: string;
  question: string;
  /** Who asked: only their clicks change the message. */
  userId: string;
  views: PaperView[];
  pageSize: number;
  /** Said above the answers (where they come from, in a digest's thread). */
  note?: string;
  /** The page the asker's message shows now. */
  page: number;
  expiresAt: number;
}

/** Options of AskSessions. */
export interface AskSessionOptions {
  /** How long buttons keep working, ms. @default 10 minutes (interaction tokens live 15) */
  ttlMs?: number;
  /** Sessions kept at most; the oldest go first. @default 5000 */
  maxSessions?: number;
  /** The clock, injectable for tests. @default Date.now */
  now?: () => number;
}

/**
 * Answers waiting for their page buttons, in memory: a restart expires them,
 * which the buttons then say. `onExpire` runs once per session when its time is
 * up, so the message's buttons can be disabled.
 */
export class AskSessions {
  private readonly sessions = new Map<string, { session: AskSession; timer: NodeJS.Timeout | null; onExpire?: (s: AskSession) => unknown }>();
  private readonly ttlMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;

  constructor(options: AskSessionOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxSessions = options.maxSessions ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** Keep `views` for paging; `onExpire` is called when the buttons stop working. */
  open(
    input: Omit<AskSession, 'id' | 'expiresAt' | 'page'>,
    onExpire?: (session: AskSession) => unknown,
  ): AskSession {
    const session: AskSession = { ...input, id: randomBytes(6).toString('base64url'), page: 1, expiresAt: this.now() + this.ttlMs };
    // The oldest make room, and their buttons are disabled as if their time were up.
    while (this.sessions.size >= this.maxSessions) this.expire(this.sessions.keys().next().value!);
    const timer = onExpire ? setTimeout(() => this.expire(session.id), this.ttlMs).unref() : null;
    this.sessions.set(session.id, { session, timer, onExpire });
    return session;
  }

  /** The live session with this id, or undefined when it expired or never was. */
  get(id: string): AskSession | undefined {
    const entry = this.sessions.get(id);
    if (entry === undefined) return undefined;
    if (entry.session.expiresAt <= this.now()) {
      this.close(id);
      return undefined;
    }
    return entry.session;
  }

  /** Forget every session, cancelling their timers (shutdown). */
  clear(): void {
    for (const id of [...this.sessions.keys()]) this.close(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expire(id: string): void {
    const entry = this.sessions.get(id);
    this.close(id);
    if (entry?.onExpire) void entry.onExpire(entry.session);
  }

  private close(id: string): void {
    const entry = this.sessions.get(id);
    if (entry?.timer) clearTimeout(entry.timer);
    this.sessions.delete(id);
  }
}

/** Pages of a session: 1-based page count and the views of one page. */
export function pageOf(session: Pick<AskSession, 'views' | 'pageSize'>, page: number) {
  const pageCount = Math.max(1, Math.ceil(session.views.length / session.pageSize));
  const clamped = Math.min(Math.max(1, page), pageCount);
  const start = (clamped - 1) * session.pageSize;
  return { page: clamped, pageCount, firstRank: start + 1, views: session.views.slice(start, start + session.pageSize) };
}
