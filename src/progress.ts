/** Counts long work (an ingest, an index build) on a terminal. */
export interface Progress {
  /** `n` more items done. */
  tick(n?: number): void;
  /** Clear the line. */
  done(): void;
}

/** A Progress that does nothing: for pipes, logs and tests. */
export const silentProgress: Progress = { tick() {}, done() {} };

const EVERY_MS = 250;

/**
 * "indexing 12,345 / 191,475 papers · 4,120/s · 45 s left", rewritten in
 * place at most four times a second, on `stream` when it is a terminal;
 * silent when piped. Without a `total`, the count and the rate.
 */
export function terminalProgress(stream: NodeJS.WritableStream | undefined, label: string, total?: number): Progress {
  if (stream === undefined || (stream as NodeJS.WriteStream).isTTY !== true) return silentProgress;
  const started = performance.now();
  let done = 0;
  let shownAt = 0;
  const n = (x: number) => Math.round(x).toLocaleString('en');
  return {
    tick(count = 1) {
      done += count;
      const now = performance.now();
      if (now - shownAt < EVERY_MS) return;
      shownAt = now;
      const rate = done / ((now - started) / 1000);
      const left = total !== undefined && rate > 0 ? ` · ${Math.ceil((total - done) / rate)} s left` : '';
      stream.write(`\r\x1b[K${label} ${n(done)}${total !== undefined ? ` / ${n(total)}` : ''} · ${n(rate)}/s${left}`);
    },
    done() {
      if (shownAt > 0) stream.write('\r\x1b[K');
    },
  };
}
