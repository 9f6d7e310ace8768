import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSearch } from '../../src/search/openSearch.js';
import type { PaperSearch } from '../../src/search/PaperSearch.js';
import { SEED_CORPUS, seedPapers, tempDir, writeCorpus } from '../support/corpus.js';

const ask = (s: PaperSearch, q = 'pruning lottery tickets') => s.search(q).hits.map((h) => [h.paper.id, h.score, h.matchedTerms]);

describe.each(['impact', 'wink'])('openSearch with the %s engine', (engine) => {
  it('GIVEN no saved index THEN builds and saves it; GIVEN the same library again THEN loads it instead', () => {
    const dataDir = join(tempDir(), 'data');
    const built = openSearch({ corpusDir: SEED_CORPUS, dataDir, engine });
    expect(built.info).toMatchObject({ reused: false, engine });
    expect(built.info.actions).toEqual([
      'read 10 papers from corpus/papers.jsonl into the library',
      engine === 'wink' ? 'built the index of 10 papers' : 'indexed 10 papers',
    ]);
    expect(built.info.indexBytes).toBeGreaterThan(0);

    const loaded = openSearch({ corpusDir: SEED_CORPUS, dataDir, engine });
    expect(loaded.info.reused).toBe(true);
    expect(loaded.info.actions).toEqual([]);
    expect(loaded.info.builtAt.toISOString()).toBe(built.info.builtAt.toISOString());
    expect(ask(loaded)).toEqual(ask(built));
    expect(loaded.retriever.termWeight('prune')).toBe(built.retriever.termWeight('prune'));
    const indexDir = join(dataDir, 'indexes', readdirSync(join(dataDir, 'indexes'))[0]!);
    expect(readdirSync(join(indexDir, engine)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('GIVEN changed corpus files THEN the library follows them and the index with it', () => {
    const dataDir = join(tempDir(), 'data');
    const papers = seedPapers();
    const corpusDir = writeCorpus(papers.slice(0, 5));
    expect(openSearch({ corpusDir, dataDir, engine }).search('adiabatic superconductor').hits[0]?.paper.id).toBe('2309.12212');
    expect(openSearch({ corpusDir, dataDir, engine }).search('continual learning').hits).toEqual([]);

    writeCorpus(papers, corpusDir);
    const updated = openSearch({ corpusDir, dataDir, engine });
    expect(updated.info.reused).toBe(false);
    expect(updated.info.actions[0]).toBe('read the changed corpus files: 5 papers added, 0 updated, 0 removed');
    expect(updated.search('continual learning').hits[0]?.paper.id).toBe('2305.00380');
  });

  it('GIVEN other BM25 parameters THEN rebuilds', () => {
    const dataDir = join(tempDir(), 'data');
    openSearch({ corpusDir: SEED_CORPUS, dataDir, engine });
    const other = openSearch({ corpusDir: SEED_CORPUS, dataDir, engine, bm25: { k1: 0.9, b: 0.4, fieldWeights: { title: 1, abstract: 1, authors: 1 } } });
    expect(other.info.reused).toBe(false);
  });

  it('GIVEN a data folder that cannot be written THEN still answers, with warnings', () => {
    const blocker = join(tempDir(), 'file');
    writeFileSync(blocker, 'not a folder');
    const search = openSearch({ corpusDir: SEED_CORPUS, dataDir: blocker, engine });
    expect(search.info.indexBytes).toBe(0);
    expect(search.info.warnings.join('\n')).toMatch(/working from memory[\s\S]*could not save the index/);
    expect(search.search('superconducting binary neural network').hits[0]?.paper.id).toBe('2309.12212');
    expect(search.lookup('snapfusion').hits[0]?.paper.id).toBe('2306.00980');
  });

  it.each([1, 2])('GIVEN a corpus of %i paper(s) THEN indexes and searches it', (n) => {
    const papers = seedPapers().slice(0, n);
    const search = openSearch({ corpusDir: writeCorpus(papers), dataDir: join(tempDir(), 'data'), engine });
    expect(search.size).toBe(n);
    expect(search.search('diffusion models on mobile devices').hits.map((h) => h.paper.id)).toEqual(['2306.00980']);
    expect(search.search('mobile', { limit: 10 }).hits).toHaveLength(1);
  });
});

describe('openSearch', () => {
  it('GIVEN an unknown engine THEN says which there are', () => {
    expect(() => openSearch({ corpusDir: SEED_CORPUS, dataDir: join(tempDir(), 'data'), engine: 'lucene' })).toThrow(/no engine "lucene" \(engines: impact, wink\)/);
  });

  it('GIVEN an empty corpus folder THEN says it holds no papers', () => {
    expect(() => openSearch({ corpusDir: writeCorpus([]), dataDir: join(tempDir(), 'data') })).toThrow(/holds no papers/);
  });

  it('GIVEN temporary files a killed write left THEN removes them, and keeps those of live processes', () => {
    const dataDir = join(tempDir(), 'data');
    openSearch({ corpusDir: SEED_CORPUS, dataDir });
    const indexDir = join(dataDir, 'indexes', readdirSync(join(dataDir, 'indexes'))[0]!);
    writeFileSync(join(indexDir, '.999999999.k3x9.tmp'), 'half a title index');
    writeFileSync(join(indexDir, 'impact', '.999999998.a1b2.tmp'), 'half a segment');
    writeFileSync(join(indexDir, `.${process.pid}.zz9.tmp`), 'being written now');
    openSearch({ corpusDir: SEED_CORPUS, dataDir });
    expect(readdirSync(indexDir).filter((f) => f.endsWith('.tmp'))).toEqual([`.${process.pid}.zz9.tmp`]);
    expect(readdirSync(join(indexDir, 'impact')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('GIVEN a damaged title index THEN rebuilds it, with a warning', () => {
    const dataDir = join(tempDir(), 'data');
    openSearch({ corpusDir: SEED_CORPUS, dataDir, loadTitles: true });
    const indexDir = join(dataDir, 'indexes', readdirSync(join(dataDir, 'indexes'))[0]!);
    const file = join(indexDir, 'titles.bin');
    const bytes = readFileSync(file);
    bytes[bytes.length - 100]! ^= 0x55;
    writeFileSync(file, bytes);
    const again = openSearch({ corpusDir: SEED_CORPUS, dataDir });
    expect(again.lookup('snapfusion').hits[0]?.paper.id).toBe('2306.00980');
    expect(again.info.warnings[0]).toMatch(/title index .* could not be loaded .*checksum/);
  });
});
