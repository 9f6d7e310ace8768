import { describe, expect, it } from 'vitest';
import { nameMatches, nameParts } from '../../src/authors/authorNames.js';
import { AuthorIndex } from '../../src/authors/AuthorIndex.js';
import { authorPage } from '../../src/authors/authorPage.js';
import { openSearch } from '../../src/search/openSearch.js';
import { SEED_CORPUS, tempDir } from '../support/corpus.js';

describe('author names', () => {
  it.each([
    ['Y. Wang', 'Yanzhi Wang', true],
    ['Wang, Yanzhi', 'Yanzhi Wang', true],
    ['yanzhi wang', 'Yanzhi Wang', true],
    ['Wang', 'Yanzhi Wang', true],
    ['José Müller-Ñúñez', 'Jose Muller-Nunez', true],
    ['J.-P. Dupont', 'Jean-Pierre Dupont', true],
    ['Jean Pierre Dupont', 'Jean-Pierre Dupont', true],
    ['Z. Wang', 'Yanzhi Wang', false],
    ['Yanzhi Wong', 'Yanzhi Wang', false],
    ['Yu Wang', 'Yanzhi Wang', false],
  ])('GIVEN %s THEN %s matches: %s', (query, name, expected) => {
    expect(nameMatches(nameParts(query), nameParts(name))).toBe(expected);
  });

  it('GIVEN names by many papers THEN suggests by prefix of any word, most papers first, at most the limit', () => {
    const rows = [
      ...[1, 2, 3].map((doc) => ({ doc, name: 'Yanzhi Wang' })),
      { doc: 4, name: 'Wang, Yanzhi' },
      ...[5, 6].map((doc) => ({ doc, name: 'Yu Wang' })),
      { doc: 7, name: 'Walter Yan' },
    ];
    const index = AuthorIndex.build(rows);
    expect(index.size).toBe(3);
    expect(index.suggest('wa', 25).map((n) => [n.name, n.docs.length])).toEqual([['Yanzhi Wang', 4], ['Yu Wang', 2], ['Walter Yan', 1]]);
    // Word order is free: "Walter Yan" holds a "yan" and a word starting with "w" too.
    expect(index.suggest('yan w', 25).map((n) => n.name)).toEqual(['Yanzhi Wang', 'Walter Yan']);
    expect(index.suggest('yanz w', 25).map((n) => n.name)).toEqual(['Yanzhi Wang']);
    expect(index.suggest('y. wang', 25).map((n) => n.name)).toEqual(['Yanzhi Wang', 'Yu Wang']);
    expect(index.suggest('', 2).map((n) => n.name)).toEqual(['Yanzhi Wang', 'Yu Wang']);
    expect(index.matching('Y. Wang').map((n) => n.name)).toEqual(['Yanzhi Wang', 'Yu Wang']);
  });
});

describe('authorPage on the seed corpus', () => {
  const search = openSearch({ corpusDir: SEED_CORPUS, dataDir: tempDir() });

  it('GIVEN "Wang, Yanzhi" THEN all ten papers newest first, co-authors, categories, and the warning that the name may be several people', () => {
    const page = authorPage(search, 'Wang, Yanzhi', { limit: 20 });
    expect(page.names).toEqual([{ name: 'Yanzhi Wang', papers: 10 }]);
    expect(page.total).toBe(10);
    const years = page.papers.map((p) => p.year);
    expect([...years].sort((a, b) => b - a)).toEqual(years);
    expect(page.coauthors[0]).toEqual({ name: 'Geng Yuan', papers: 3 });
    expect(page.categories[0]).toEqual({ category: 'cs.CV', papers: 4 });
    // The EFL paper's Yanzhi Wang shares no co-author with the others.
    expect(page.groups).toBeGreaterThan(1);
    const efl = page.papers.find((p) => p.id === '2207.01484')!;
    expect(efl.authors.filter((a) => a !== 'Yanzhi Wang').some((a) => page.papers.some((p) => p !== efl && p.authors.includes(a)))).toBe(false);
  });

  it('GIVEN an unknown name or an empty one THEN a specific error', () => {
    expect(() => authorPage(search, 'Ada Lovelace')).toThrow(expect.objectContaining({ code: 'not_found', message: 'no author in the library is called "Ada Lovelace"' }));
    expect(() => authorPage(search, '  ')).toThrow(expect.objectContaining({ code: 'query_empty' }));
  });
});
