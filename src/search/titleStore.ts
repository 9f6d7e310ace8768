import { join } from 'node:path';
import type { PaperLibrary } from '../library/PaperLibrary.js';
import { DamagedFileError, readBinaryFile, writeBinaryFile } from './binaryFile.js';
import { TitleIndex } from './titles/TitleIndex.js';

const KIND = 'paperbot-titles/1';
const FILE = 'titles.bin';

/** The title index of a library and the library number of each of its entries. */
export interface LibraryTitles {
  index: TitleIndex;
  /** Entry i of `index` is the paper numbered `docs[i]`. */
  docs: Int32Array;
  /** True when loaded as saved, false when built now. */
  reused: boolean;
}

interface Meta {
  library: string;
  generation: number;
}

/**
 * The title index of `library`, kept in `dir`: loaded when it was saved for
 * the library's current generation, otherwise built from every title and its
 * names and saved (a damaged or unwritable file only costs the rebuild).
 */
export function openTitles(library: PaperLibrary, dir: string): LibraryTitles & { warnings: string[] } {
  const file = join(dir, FILE);
  const generation = library.generation();
  const warnings: string[] = [];
  try {
    const current = (meta: unknown) => (meta as Meta).library === library.id && (meta as Meta).generation === generation;
    const { meta, sections } = readBinaryFile(file, KIND, (m) => (current(m) ? undefined : []));
    if (current(meta)) {
      const { docs, ...rest } = sections;
      return { index: TitleIndex.fromSections(rest), docs: docs as Int32Array, reused: true, warnings };
    }
  } catch (err) {
    if (!(err instanceof DamagedFileError && /cannot be read \(ENOENT\)/.test(err.message))) {
      warnings.push(`the saved title index ${file} could not be loaded (${(err as Error).message}); rebuilt it`);
    }
  }
  const docs: number[] = [];
  const entries: { title: string; aliases: string[] }[] = [];
  for (const { doc, title, names } of library.scanTitles()) {
    docs.push(doc);
    entries.push({ title, aliases: names });
  }
  const index = TitleIndex.build(entries);
  const docArray = Int32Array.from(docs);
  try {
    writeBinaryFile(file, KIND, { library: library.id, generation } satisfies Meta, { ...index.toSections(), docs: docArray });
  } catch (err) {
    warnings.push(`could not save the title index to ${file} (${(err as Error).message}); it will be rebuilt next time`);
  }
  return { index, docs: docArray, reused: false, warnings };
}
