/** Options of the PoliteClient. */
export interface PoliteClientOptions {
  /**
   * Least time between the starts of two requests, ms. arXiv's terms ask for
   * 3 s across the API, OAI-PMH and RSS together. @default 3000
   */
  minIntervalMs?: number;
  /** Retries of a 503 (after its Retry-After) or a network error. @default 3 */
  maxRetries?: number;
  /** Give up on a request after this long, ms. @default 60 000 */
  timeoutMs?: number;
  /** Longest Retry-After honoured, ms; a longer one fails the request. @default 600 000 */
  maxRetryAfterMs?: number;
  /** Largest response body read, bytes; a larger one fails the request, naming it. @default 64 MiB */
  maxResponseBytes?: number;
  /** Redirects followed, each to the same host and each a request of its own. @default 5 */
  maxRedirects?: number;
  /** The clock and the wait, injectable so tests check the 3-second rule without waiting. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

/** A request that failed for good: HTTP status (0 for a network error) and why. */
export class FetchError extends Error {
  override name = 'FetchError';
  constructor(
    readonly url: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const USER_AGENT = 'PaperBot/0.1 (paper Q&A bot; polite: one request at a time, 3 s apart)';

/**
 * HTTP GET for arXiv, on arXiv's terms: one request at a time, starts at least
 * `minIntervalMs` apart, a 503's Retry-After honoured. Returns the status and
 * body of any response other than 503 (an API error feed comes with 400).
 * Redirects are followed to the same host only, each as a request of its
 * own (within the interval); bodies over `maxResponseBytes` are refused
 * before they fill the memory.
 */
export class PoliteClient {
  private readonly minIntervalMs: number;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxResponseBytes: number;
  private readonly maxRedirects: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetch: typeof fetch;
  private lastStart = -Infinity;
  /** Set by a 503: no request before this time. */
  private notBefore = -Infinity;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: PoliteClientOptions = {}) {
    this.minIntervalMs = options.minIntervalMs ?? 3000;
    this.maxRetries = options.maxRetries ?? 3;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 600_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 2 ** 20;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.fetch = options.fetch ?? fetch;
  }

  /** GET `url`; requests made together still go one at a time. */
  get(url: string): Promise<{ status: number; body: string }> {
    const result = this.queue.then(() => this.attempt(url, 0, 0));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async attempt(url: string, retry: number, redirects: number): Promise<{ status: number; body: string }> {
    const wait = Math.max(this.lastStart + this.minIntervalMs, this.notBefore) - this.now();
    if (wait > 0) await this.sleep(wait);
    this.lastStart = this.now();
    let response: Response;
    let body: string;
    try {
      response = await this.fetch(url, { headers: { 'user-agent': USER_AGENT }, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        return this.redirect(url, location, redirects);
      }
      body = await this.readBody(url, response);
    } catch (err) {
      if (err instanceof FetchError) throw err;
      if (retry < this.maxRetries) return this.attempt(url, retry + 1, redirects);
      throw new FetchError(url, 0, `${url}: ${(err as Error).message} (after ${retry + 1} attempts)`);
    }
    if (response.status !== 503) return { status: response.status, body };
    if (retry >= this.maxRetries) throw new FetchError(url, 503, `${url}: still 503 after ${retry + 1} attempts`);
    const retryAfter = retryAfterMs(response.headers.get('retry-after'), this.now());
    if (retryAfter > this.maxRetryAfterMs) {
      throw new FetchError(url, 503, `${url}: 503 asks to retry after ${Math.round(retryAfter / 1000)} s, longer than PaperBot waits`);
    }
    this.notBefore = this.now() + retryAfter;
    return this.attempt(url, retry + 1, redirects);
  }

  /** Follow a redirect when it stays on the host, as the next request; refuse it otherwise. */
  private redirect(url: string, location: string, redirects: number): Promise<{ status: number; body: string }> {
    const from = new URL(url);
    const to = new URL(location, from);
    if (to.host !== from.host || !/^https?:$/.test(to.protocol)) {
      throw new FetchError(url, 0, `${url} redirects to ${to.href}, another host: not followed (point the endpoint at where the data is)`);
    }
    if (redirects >= this.maxRedirects) throw new FetchError(url, 0, `${url}: more than ${this.maxRedirects} redirects`);
    return this.attempt(to.href, 0, redirects + 1);
  }

  /** The body as text, read at most `maxResponseBytes`. */
  private async readBody(url: string, response: Response): Promise<string> {
    const declared = Number(response.headers.get('content-length'));
    if (declared > this.maxResponseBytes) {
      await response.body?.cancel();
      throw this.tooLarge(url);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body !== null) {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        // Leaving the loop by a throw cancels the stream: the rest is never downloaded.
        if (size > this.maxResponseBytes) throw this.tooLarge(url);
        chunks.push(chunk);
      }
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private tooLarge(url: string): FetchError {
    return new FetchError(url, 0, `${url}: the response is larger than ${Math.round(this.maxResponseBytes / 2 ** 20)} MiB, the most PaperBot reads (ARXIV_MAX_RESPONSE_MB)`);
  }
}

/** Retry-After as seconds or an HTTP date; without one, 5 s. */
export function retryAfterMs(header: string | null, now: number): number {
  if (header === null || header.trim() === '') return 5000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 5000 : Math.max(0, date - now);
}
