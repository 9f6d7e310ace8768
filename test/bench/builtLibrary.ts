import { parseArgs } from 'node:util';
import { defaultDataDir } from '../../src/paths.js';
import { openSearch } from '../../src/search/openSearch.js';
import type { PaperSearch } from '../../src/search/PaperSearch.js';

/**
 * The search over a library already built (`--corpus DIR [--data DIR]`,
 * paperbot ask once on it), and the script's other string options. Exits 2
 * saying so when --corpus is missing: a benchmark never builds a 191k index
 * as a side effect.
 */
export function openBuiltLibrary<K extends string>(script: string, extra: readonly K[]): { search: PaperSearch; options: Partial<Record<K, string>> } {
  const { values } = parseArgs({
    options: Object.fromEntries(['corpus', 'data', ...extra].map((name) => [name, { type: 'string' as const }])),
  });
  const corpus = values.corpus as string | undefined;
  if (corpus === undefined) {
    process.stderr.write(`${script} needs --corpus DIR: a corpus folder whose library and index are built (paperbot ask once)\n`);
    process.exit(2);
  }
  const search = openSearch({ corpusDir: corpus, dataDir: (values.data as string | undefined) ?? defaultDataDir(process.env), build: false });
  if (search === null) throw new Error('no saved index matches the library: run paperbot ask once on it first');
  return { search, options: values as Partial<Record<K, string>> };
}
