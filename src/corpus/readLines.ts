import { closeSync, openSync, readSync } from 'node:fs';
import { UserError } from '../errors.js';

const CHUNK = 1 << 20;
/** The longest line read: a corpus record is at most a few hundred kilobytes. */
export const MAX_LINE_LENGTH = 16 << 20;

/**
 * The lines of a file, read 1 MiB at a time: a file of any size, where
 * reading it whole would meet V8's string limit (~512 MiB) and hold it all.
 * Line numbers count from 1; a trailing "\r" is kept (JSON ignores it).
 * Bytes that are not UTF-8, or a line longer than MAX_LINE_LENGTH, are a
 * UserError naming file and line: a replacement character would pass for
 * text, and one giant line would exhaust memory.
 */
export function* readLines(path: string, shownPath = path): Generator<{ line: string; number: number }> {
  const fd = openSync(path, 'r');
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const buffer = Buffer.allocUnsafe(CHUNK);
    let carry = '';
    let number = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      let decoded: string;
      try {
        decoded = decoder.decode(buffer.subarray(0, n), { stream: n > 0 });
      } catch {
        const chunk = buffer.subarray(0, n);
        const line = number + 1 + countNewlines(carry) + chunk.subarray(0, Math.max(0, firstInvalidByte(chunk))).filter((b) => b === 0x0a).length;
        throw new UserError('corpus_invalid', `${shownPath}:${line}: not valid UTF-8`);
      }
      const text = carry + decoded;
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        yield { line: text.slice(from, nl), number: ++number };
        from = nl + 1;
      }
      carry = text.slice(from);
      if (carry.length > MAX_LINE_LENGTH) {
        throw new UserError('corpus_invalid', `${shownPath}:${number + 1}: a line longer than ${MAX_LINE_LENGTH.toLocaleString('en')} characters`);
      }
      if (n === 0) {
        if (carry !== '') yield { line: carry, number: ++number };
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Where the first byte that cannot be UTF-8 sits (overlong forms, surrogates
 * and code points past U+10FFFF included), or -1; a sequence cut off by the
 * end of the chunk is not an error.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const size = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (size === 0) return i;
    if (i + size > bytes.length) return -1;
    const second = bytes[i + 1]!;
    if (size > 1) {
      const [lo, hi] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
      if (second < lo || second > hi) return i;
      for (let k = 2; k < size; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += size;
  }
  return -1;
}
