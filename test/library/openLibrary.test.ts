import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { libraryFile, openLibrary } from '../../src/library/openLibrary.js';
import { SEED_CORPUS, seedPapers, tempDir, writeCorpus } from '../support/corpus.js';

const seeds = seedPapers();

describe('openLibrary', () => {
  it('GIVEN a corpus folder opened for the first time THEN moves its papers into the library; GIVEN it again THEN reads nothing', () => {
    const dataDir = join(tempDir(), 'data');
    const first = openLibrary({ corpusDir: SEED_CORPUS, dataDir });
    expect(first.sync).toMatchObject({ created: true, added: 10, updated: 0, removed: 0, papers: 10 });
    expect(first.library.location).toBe(libraryFile({ corpusDir: SEED_CORPUS, dataDir }));
    first.library.close();
    const again = openLibrary({ corpusDir: SEED_CORPUS, dataDir });
    expect(again.sync).toBeNull();
    expect(again.library.size()).toBe(10);
    again.library.close();
  });

  it('GIVEN an earlier ingest\'s papers.jsonl of many papers THEN all of it is migrated, once', () => {
    const dataDir = join(tempDir(), 'data');
    const corpusDir = writeCorpus(seeds);
    const { library, sync } = openLibrary({ corpusDir, dataDir });
    expect(sync!.created).toBe(true);
    expect(sync!.files).toEqual([expect.stringMatching(/papers\.jsonl$/)]);
    expect([...library.scan()].map((p) => p.paper)).toEqual(seeds);
    library.close();
  });

  it('GIVEN edited corpus files THEN edited records replace the library\'s, removed ones go, ingested papers stay', () => {
    const dataDir = join(tempDir(), 'data');
    const corpusDir = writeCorpus(seeds.slice(0, 5));
    const opened = openLibrary({ corpusDir, dataDir });
    const write = opened.library.write();
    write.put(seeds[9]!, 'ingest');
    write.commit();
    opened.library.close();

    writeCorpus([{ ...seeds[0]!, venue: 'Edited Venue' }, ...seeds.slice(1, 4)], corpusDir);
    const { library, sync } = openLibrary({ corpusDir, dataDir });
    expect(sync).toMatchObject({ created: false, added: 0, updated: 1, removed: 1 });
    expect(library.get(seeds[0]!.id)!.paper.venue).toBe('Edited Venue');
    expect(library.get(seeds[4]!.id)).toBeUndefined();
    expect(library.get(seeds[9]!.id)).toBeDefined();
    expect(library.size()).toBe(5);
    library.close();
  });

  it('GIVEN a broken corpus line THEN names file, line and field, and the library keeps what it had', () => {
    const dataDir = join(tempDir(), 'data');
    const corpusDir = writeCorpus(seeds.slice(0, 3));
    openLibrary({ corpusDir, dataDir }).library.close();
    appendFileSync(join(corpusDir, 'papers.jsonl'), `${JSON.stringify({ ...seeds[5]!, year: 'soon' })}\n`);
    const err = (() => {
      try {
        openLibrary({ corpusDir, dataDir });
      } catch (e) {
        return e as UserError;
      }
      throw new Error('expected a UserError');
    })();
    expect(err).toBeInstanceOf(UserError);
    expect(err.code).toBe('corpus_invalid');
    expect(err.message).toMatch(/papers\.jsonl:4: field "year"/);
    writeCorpus(seeds.slice(0, 3), corpusDir);
    const { library } = openLibrary({ corpusDir, dataDir });
    expect(library.size()).toBe(3);
    library.close();
  });

  it('GIVEN a data folder that cannot be written THEN fails naming it, or works from memory when asked', () => {
    const blocker = join(tempDir(), 'file');
    writeFileSync(blocker, 'not a folder');
    expect(() => openLibrary({ corpusDir: SEED_CORPUS, dataDir: blocker })).toThrow(/library .* cannot be opened or created/);
    const { library, warnings } = openLibrary({ corpusDir: SEED_CORPUS, dataDir: blocker }, { inMemory: true });
    expect(library.location).toBe(':memory:');
    expect(library.size()).toBe(10);
    expect(warnings[0]).toMatch(/working from memory/);
    library.close();
  });

  it('GIVEN a missing corpus folder THEN says so', () => {
    expect(() => openLibrary({ corpusDir: join(tempDir(), 'nope'), dataDir: join(tempDir(), 'data') })).toThrow(/does not exist/);
  });
});
