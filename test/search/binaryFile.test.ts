import { openSync, statSync, utimesSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropPrefetched, prefetchBinaryFiles, readBinaryFile, writeBinaryFile } from '../../src/search/binaryFile.js';
import { tempDir } from '../support/corpus.js';

const KIND = 'paperbot-test/1';

/** Overwrite the first bytes of the section data in place, keeping the file's size and modification time. */
function scribbleKeepingIdentity(path: string, offset: number, bytes: Uint8Array): void {
  const { atime, mtime } = statSync(path);
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
  utimesSync(path, atime, mtime);
}

describe('prefetchBinaryFiles', () => {
  it('GIVEN files read ahead THEN readBinaryFile takes their sections from memory, not from the disk', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.bin');
    const bytes = writeBinaryFile(path, KIND, { n: 4 }, { values: Int32Array.from([1, 2, 3, 4]) });
    expect(await prefetchBinaryFiles(dir)).toBe(bytes);
    // The data section starts after the header; a scribble that keeps size and time is invisible to a read from memory.
    scribbleKeepingIdentity(path, bytes - 16, new Uint8Array(16).fill(0xff));
    const { sections } = readBinaryFile(path, KIND);
    expect([...(sections.values as Int32Array)]).toEqual([1, 2, 3, 4]);
    // Taken once: the next read goes to the disk, and its checksum sees the scribble.
    expect(() => readBinaryFile(path, KIND)).toThrow(/fails its checksum/);
  });

  it('GIVEN a file rewritten after the read-ahead THEN the rewrite is read; GIVEN one this process already read THEN it is not read again', async () => {
    const dir = tempDir();
    const path = join(dir, 'b.bin');
    writeBinaryFile(path, KIND, {}, { values: Int32Array.from([1]) });
    await prefetchBinaryFiles(dir);
    writeBinaryFile(path, KIND, {}, { values: Int32Array.from([7, 8]) });
    expect([...(readBinaryFile(path, KIND).sections.values as Int32Array)]).toEqual([7, 8]);
    expect(await prefetchBinaryFiles(dir)).toBe(0);
    dropPrefetched();
  });

  it('GIVEN files over the limit, and files of another format THEN reads what fits and skips the rest', async () => {
    const dir = tempDir();
    writeBinaryFile(join(dir, 'c.bin'), KIND, {}, { values: new Int32Array(1000) });
    writeBinaryFile(join(dir, 'd.bin'), KIND, {}, { values: new Int32Array(1000) });
    const one = statSync(join(dir, 'c.bin')).size;
    expect(await prefetchBinaryFiles(dir, one + 10)).toBe(one);
    dropPrefetched();
    const other = tempDir();
    writeSync(openSync(join(other, 'manifest.json'), 'w'), '{"segments": []}');
    expect(await prefetchBinaryFiles(other)).toBe(0);
  });
});
