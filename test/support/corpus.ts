import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Paper } from '../../src/corpus/paper.js';

export { SEED_CORPUS, seedPapers } from './seeds.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder removed after the test. */
export function tempDir(prefix = 'paperbot-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A temporary corpus folder whose `papers.jsonl` holds `lines` (records or raw strings). */
export function writeCorpus(lines: (Paper | string)[], dir = join(tempDir(), 'corpus')): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'papers.jsonl'), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return dir;
}
