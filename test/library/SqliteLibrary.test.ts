import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteLibrary } from '../../src/library/SqliteLibrary.js';
import { seedPapers, tempDir } from '../support/corpus.js';

const seeds = seedPapers();
const newer = (i: number) => ({ ...seeds[i]!, version: (seeds[i]!.version ?? 1) + 1, title: `${seeds[i]!.title} (revised)` });

function filled(path = join(tempDir(), 'library.sqlite')): SqliteLibrary {
  const library = SqliteLibrary.open(path);
  const write = library.write();
  for (const paper of seeds) write.put(paper, 'ingest');
  write.commit();
  return library;
}

describe('SqliteLibrary', () => {
  it('GIVEN papers written and committed THEN finds them by id and by number, in number order', () => {
    const library = filled();
    expect(library.size()).toBe(10);
    expect(library.generation()).toBe(1);
    const snap = library.get('2306.00980')!;
    expect(snap.paper.title).toMatch(/^SnapFusion/);
    expect(library.at(snap.doc)).toEqual(snap.paper);
    expect([...library.scan()].map((p) => p.paper.id)).toEqual(seeds.map((p) => p.id));
    expect(library.docsOf(['2306.00980', '9999.99999'])).toEqual([snap.doc]);
    const titles = [...library.scanTitles()];
    expect(titles).toHaveLength(10);
    expect(titles.find((t) => t.doc === snap.doc)!.names).toContain('UNet');
  });

  it('GIVEN a write not yet committed THEN another connection sees nothing of it; GIVEN a rollback THEN nothing changed', () => {
    const path = join(tempDir(), 'library.sqlite');
    const library = filled(path);
    const reader = SqliteLibrary.open(path);
    const write = library.write();
    write.put(newer(0), 'ingest');
    write.remove(seeds[1]!.id);
    expect(write.get(seeds[0]!.id)!.paper.title).toMatch(/\(revised\)$/);
    expect(reader.get(seeds[0]!.id)!.paper.title).toBe(seeds[0]!.title);
    expect(reader.size()).toBe(10);
    write.rollback();
    expect(library.get(seeds[0]!.id)!.paper).toEqual(seeds[0]);
    expect(library.size()).toBe(10);
    expect(library.generation()).toBe(1);
    reader.close();
  });

  it('GIVEN a replaced and a removed paper THEN the replacement has a new number and both old numbers are reported removed', () => {
    const library = filled();
    const before = library.get(seeds[0]!.id)!.doc;
    const removedDoc = library.get(seeds[1]!.id)!.doc;
    const write = library.write();
    const after = write.put(newer(0), 'ingest');
    expect(write.remove(seeds[1]!.id)).toBe(true);
    expect(write.remove('9999.99999')).toBe(false);
    expect(write.commit()).toBe(2);
    expect(after).toBeGreaterThan(Math.max(...[...library.scan()].filter((p) => p.doc !== after).map((p) => p.doc)));
    expect(library.at(before)).toBeUndefined();
    expect(library.removedSince(1)).toEqual([before, removedDoc].sort((a, b) => a - b));
    expect(library.removedSince(2)).toEqual([]);
    expect([...library.scan(1)].map((p) => p.doc)).toEqual([after]);
  });

  it('GIVEN a write in progress (a long ingest) THEN another process can still open the library and read it', () => {
    const path = join(tempDir(), 'library.sqlite');
    const library = filled(path);
    const write = library.write();
    write.put(newer(0), 'ingest');
    // Opening used to take the write lock for its migrations, and so failed with "database is locked".
    const reader = SqliteLibrary.open(path);
    expect(reader.size()).toBe(10);
    expect(reader.get(seeds[0]!.id)!.paper).toEqual(seeds[0]);
    write.commit();
    expect(reader.get(seeds[0]!.id)!.paper.version).toBe(newer(0).version);
    reader.close();
  });

  it('GIVEN a write that changes nothing THEN the generation stays', () => {
    const library = filled();
    expect(library.write().commit()).toBe(1);
    expect(library.generation()).toBe(1);
  });

  it('GIVEN the library THEN stats and newest come from it', () => {
    const library = filled();
    const stats = library.stats();
    expect(stats.papers).toBe(10);
    expect(stats.years.min).toBeLessThanOrEqual(stats.years.max);
    expect(Object.values(stats.years.counts).reduce((a, b) => a + b, 0)).toBe(10);
    expect(stats.topCategories[0]!.papers).toBeGreaterThan(0);
    const newest = library.newest(3).map((p) => p.paper);
    const expected = [...seeds].sort((a, b) => b.year - a.year || (b.id < a.id ? -1 : 1)).slice(0, 3);
    expect(newest.map((p) => p.id)).toEqual(expected.map((p) => p.id));
    expect(stats.newest!.id).toBe(expected[0]!.id);
  });

  it('GIVEN a process killed with SIGKILL in the middle of a write THEN the library is as it was', () => {
    const path = join(tempDir(), 'library.sqlite');
    filled(path).close();
    // The child writes a new version of every paper, then kills itself before committing.
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import { SqliteLibrary } from ${JSON.stringify(join(import.meta.dirname, '../../src/library/SqliteLibrary.ts'))};
         const library = SqliteLibrary.open(${JSON.stringify(path)});
         const write = library.write();
         for (const { paper } of [...library.scan()]) write.put({ ...paper, title: 'half written' }, 'ingest');
         process.kill(process.pid, 'SIGKILL');`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.signal).toBe('SIGKILL');
    const library = SqliteLibrary.open(path);
    expect(library.size()).toBe(10);
    expect(library.generation()).toBe(1);
    expect([...library.scan()].map((p) => p.paper)).toEqual(seeds);
  });
});
