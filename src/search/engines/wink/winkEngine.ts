import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { silentProgress } from '../../../progress.js';
import { ANALYZER_VERSION } from '../../../text/analyzer.js';
import { writeFileAtomic } from '../../../writeFileAtomic.js';
import { toEngineText, type IndexEntry } from '../../documents.js';
import type { Engine, EngineIndexInfo } from '../Engine.js';
import { WinkRetriever, type WinkDocument } from './WinkRetriever.js';

const FORMAT = 'paperbot-wink-index/1';
const FILE = 'wink.idx';

interface Header {
  format: typeof FORMAT;
  /** Changes with the analyser and the BM25 parameters. */
  fingerprint: string;
  library: string;
  generation: number;
  builtAt: string;
}

/**
 * The wink engine: one JSON file, rebuilt whole whenever the library
 * changes (wink cannot add to a consolidated index).
 */
export const winkEngine: Engine = {
  name: 'wink',
  description: 'wink-bm25-text-search, the reference engine (rebuilt whole on every change; up to ~250,000 papers)',
  build(papers, bm25) {
    return WinkRetriever.build(documents(papers, () => {}), bm25);
  },
  open(library, dir, options) {
    const fingerprint = createHash('sha256').update(`${FORMAT}\n${ANALYZER_VERSION}\n${JSON.stringify(options.bm25)}`).digest('hex');
    const file = join(dir, FILE);
    const warnings: string[] = [];
    const generation = library.generation();
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // not built yet
    }
    if (text !== undefined) {
      const newline = text.indexOf('\n');
      let header: Header | undefined;
      try {
        header = JSON.parse(text.slice(0, newline)) as Header;
      } catch {
        // unreadable: rebuilt
      }
      if (header?.format === FORMAT && header.fingerprint === fingerprint && header.library === library.id && header.generation === generation) {
        try {
          const retriever = WinkRetriever.load(text.slice(newline + 1));
          const info: EngineIndexInfo = { path: file, bytes: statSync(file).size, builtAt: new Date(header.builtAt), reused: true, actions: [], warnings };
          return { retriever, info };
        } catch (err) {
          warnings.push(`the saved index ${file} could not be loaded (${(err as Error).message}); rebuilt it`);
        }
      }
    }
    if (options.build === false) return null;

    const progress = options.progress?.('indexing papers', library.size()) ?? silentProgress;
    const retriever = WinkRetriever.build(documents(library.scan(), () => progress.tick()), options.bm25);
    progress.done();
    const header: Header = { format: FORMAT, fingerprint, library: library.id, generation, builtAt: new Date().toISOString() };
    let bytes = 0;
    try {
      const contents = `${JSON.stringify(header)}\n${retriever.serialize()}`;
      writeFileAtomic(file, contents);
      bytes = Buffer.byteLength(contents);
    } catch (err) {
      warnings.push(`could not save the index to ${file} (${(err as Error).message}); it will be rebuilt next time`);
    }
    const actions = [`built the index of ${retriever.docCount.toLocaleString('en')} papers`];
    return { retriever, info: { path: file, bytes, builtAt: new Date(header.builtAt), reused: false, actions, warnings } };
  },
};

function* documents(papers: Iterable<IndexEntry>, tick: () => void): Generator<WinkDocument> {
  for (const { doc, paper } of papers) {
    tick();
    yield { doc, year: paper.year, categories: paper.categories, ...toEngineText(paper) };
  }
}
