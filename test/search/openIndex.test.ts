import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPaperIndex } from '../../src/search/openIndex.js';
import { SEED_CORPUS, seedPapers, tempDir, writeCorpus } from '../support/corpus.js';

describe('openPaperIndex', () => {
  it('GIVEN no saved index THEN builds and saves it; GIVEN the same corpus again THEN loads it instead', () => {
    const dataDir = join(tempDir(), 'data');
    const built = openPaperIndex({ corpusDir: SEED_CORPUS, dataDir });
    expect(built.build.reused).toBe(false);
    expect(built.build.bytes).toBeGreaterThan(0);
    expect(readFileSync(built.build.file).length).toBe(built.build.bytes);

    const loaded = openPaperIndex({ corpusDir: SEED_CORPUS, dataDir });
    expect(loaded.build.reused).toBe(true);
    expect(loaded.build.builtAt.toISOString()).toBe(built.build.builtAt.toISOString());
    const ask = (i: typeof built) => i.search('pruning lottery tickets').hits.map((h) => [h.paper.id, h.score, h.matchedTerms]);
    expect(ask(loaded)).toEqual(ask(built));
    expect(loaded.engine.idf('prune')).toBe(built.engine.idf('prune'));
    expect(readdirSync(dirname(built.build.file))).toEqual([built.build.file.split('/').at(-1)]); // no temp files left
  });

  it('GIVEN a changed corpus THEN detects it and rebuilds', () => {
    const dataDir = join(tempDir(), 'data');
    const papers = seedPapers();
    const corpusDir = writeCorpus(papers.slice(0, 5));
    expect(openPaperIndex({ corpusDir, dataDir }).search('adiabatic superconductor').hits[0]?.paper.id).toBe('2309.12212');
    expect(openPaperIndex({ corpusDir, dataDir }).search('continual learning').hits).toEqual([]);

    writeCorpus(papers, corpusDir);
    const rebuilt = openPaperIndex({ corpusDir, dataDir });
    expect(rebuilt.build.reused).toBe(false);
    expect(rebuilt.search('continual learning').hits[0]?.paper.id).toBe('2305.00380');
  });

  it('GIVEN other BM25 parameters THEN rebuilds', () => {
    const dataDir = join(tempDir(), 'data');
    openPaperIndex({ corpusDir: SEED_CORPUS, dataDir });
    const other = openPaperIndex({ corpusDir: SEED_CORPUS, dataDir, engineOptions: { k1: 0.9, b: 0.4, fieldWeights: { title: 1, abstract: 1, authors: 1 } } });
    expect(other.build.reused).toBe(false);
  });

  it('GIVEN a truncated saved index THEN rebuilds it, with a warning', () => {
    const dataDir = join(tempDir(), 'data');
    const { file } = openPaperIndex({ corpusDir: SEED_CORPUS, dataDir }).build;
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, Math.floor(text.length * 0.7)));
    const again = openPaperIndex({ corpusDir: SEED_CORPUS, dataDir });
    expect(again.build.reused).toBe(false);
    expect(again.build.warnings[0]).toMatch(/could not be loaded .* rebuilt it/);
    expect(again.search('snapfusion diffusion').hits[0]?.paper.id).toBe('2306.00980');
    expect(openPaperIndex({ corpusDir: SEED_CORPUS, dataDir }).build.reused).toBe(true);
  });

  it('GIVEN a data folder that cannot be written THEN still answers, with a warning', () => {
    const blocker = join(tempDir(), 'file');
    writeFileSync(blocker, 'not a folder');
    const index = openPaperIndex({ corpusDir: SEED_CORPUS, dataDir: blocker });
    expect(index.build.bytes).toBe(0);
    expect(index.build.warnings[0]).toMatch(/could not save the index/);
    expect(index.search('superconducting binary neural network').hits[0]?.paper.id).toBe('2309.12212');
  });

  it.each([1, 2])('GIVEN a corpus of %i paper(s) THEN indexes and searches it (wink alone needs 3)', (n) => {
    const papers = seedPapers().slice(0, n);
    const index = openPaperIndex({ corpusDir: writeCorpus(papers), dataDir: join(tempDir(), 'data') });
    expect(index.engine.docCount).toBe(n);
    expect(index.search('diffusion models on mobile devices').hits.map((h) => h.paper.id)).toEqual(['2306.00980']);
    expect(index.search('mobile', { limit: 10 }).hits).toHaveLength(1);
  });
});
