import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Paper } from '../../src/corpus/paper.js';

// Free of vitest, so the benchmark scripts can use it too.

/** The repository's shipped corpus folder. */
export const SEED_CORPUS = resolve(import.meta.dirname, '../../corpus');

/** The seed papers, as stored. */
export function seedPapers(): Paper[] {
  return readFileSync(join(SEED_CORPUS, 'papers.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Paper);
}
