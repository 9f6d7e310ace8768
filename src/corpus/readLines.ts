import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const CHUNK = 1 << 20;

/**
 * The lines of a file, read 1 MiB at a time: a file of any size, where
 * reading it whole would meet V8's string limit (~512 MiB) and hold it all.
 * Line numbers count from 1; a trailing "\r" is kept (JSON ignores it).
 */
export function* readLines(path: string): Generator<{ line: string; number: number }> {
  const fd = openSync(path, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.allocUnsafe(CHUNK);
    let carry = '';
    let number = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      const text = n === 0 ? carry + decoder.end() : carry + decoder.write(buffer.subarray(0, n));
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        yield { line: text.slice(from, nl), number: ++number };
        from = nl + 1;
      }
      carry = text.slice(from);
      if (n === 0) {
        if (carry !== '') yield { line: carry, number: ++number };
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}
