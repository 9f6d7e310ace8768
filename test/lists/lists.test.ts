import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { listName, MAX_LIST_PAPERS, MAX_LISTS, ReadingListService } from '../../src/lists/ReadingListService.js';
import { openSearch } from '../../src/search/openSearch.js';
import { ListEntries } from '../../src/store/ListEntries.js';
import { openDatabase } from '../../src/store/openDatabase.js';
import { SEED_CORPUS, seedPapers, tempDir, writeCorpus } from '../support/corpus.js';

const channel = { kind: 'channel', id: 'C1' } as const;

function service(corpusDir = SEED_CORPUS) {
  const dataDir = tempDir();
  const search = openSearch({ corpusDir, dataDir: join(dataDir, 'index') });
  let clock = Date.parse('2026-12-02T10:00:00Z');
  const db = openDatabase(dataDir);
  return { dataDir, search, db, lists: new ReadingListService(db, () => search, () => (clock += 1000)) };
}

const code = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return [(error as UserError).code, (error as Error).message];
  }
  throw new Error('expected a UserError');
};

describe('ReadingListService', () => {
  it('GIVEN saves THEN a user\'s papers newest first, each once, apart from other users\'; unsave takes one off', () => {
    const { lists } = service();
    expect(lists.save('U', '2306.00980')).toMatchObject({ changed: true, total: 1 });
    expect(lists.save('U', '2212.08059')).toMatchObject({ changed: true, total: 2 });
    expect(lists.save('U', '2306.00980')).toMatchObject({ changed: false, total: 2 });
    lists.save('V', '2303.02165');
    expect(lists.saved('U').papers.map((p) => p.paperId)).toEqual(['2212.08059', '2306.00980']);
    expect(lists.saved('U').papers[0]!.paper!.title).toMatch(/^Rethinking Vision Transformers/);
    expect(lists.unsave('U', '2212.08059')).toMatchObject({ changed: true, total: 1 });
    expect(lists.unsave('U', '2212.08059')).toMatchObject({ changed: false, total: 1 });
    expect(lists.saved('V').papers.map((p) => p.paperId)).toEqual(['2303.02165']);
    expect(code(() => lists.save('U', '2999.99999'))).toEqual(['not_found', 'That paper is no longer in my corpus.']);
  });

  it('GIVEN a channel list THEN papers by id or title in the order added, names ignoring case, kept in SQLite across a reopen', () => {
    const { lists, db, dataDir, search } = service();
    expect(lists.add(channel, "This week's reading", '2306.00980', 'U')).toMatchObject({ name: "This week's reading", changed: true, total: 1 });
    expect(lists.add(channel, "this WEEK'S  reading", 'rethinking vision transformers', 'V')).toMatchObject({ name: "This week's reading", changed: true, total: 2 });
    expect(lists.add({ kind: 'channel', id: 'C2' }, "This week's reading", '2303.02165', 'U').total).toBe(1);
    db.close();
    const reopened = new ReadingListService(openDatabase(dataDir), () => search, Date.now);
    const shown = reopened.show(channel, "this week's reading");
    expect(shown.papers.map((p) => [p.paperId, p.addedBy])).toEqual([['2306.00980', 'U'], ['2212.08059', 'V']]);
    expect(reopened.lists(channel)).toEqual([{ name: "This week's reading", papers: 2, updatedAt: expect.any(Number) }]);
  });

  it('GIVEN a remove THEN whoever added the paper may, anyone else only when allowed; an unknown list names the lists there', () => {
    const { lists } = service();
    lists.add(channel, 'reading', '2306.00980', 'U');
    expect(code(() => lists.remove(channel, 'reading', '2306.00980', 'V', false))).toEqual(['forbidden', expect.stringMatching(/Manage Messages/)]);
    expect(lists.remove(channel, 'reading', 'SnapFusion', 'V', true)).toMatchObject({ changed: true, total: 0 });
    lists.add(channel, 'reading', '2306.00980', 'U');
    expect(lists.remove(channel, 'reading', '2212.08059', 'U', false)).toMatchObject({ changed: false });
    expect(code(() => lists.show(channel, 'nope'))).toEqual(['not_found', 'there is no list "nope" here (there are "reading")']);
    expect(code(() => lists.show({ kind: 'channel', id: 'C9' }, 'nope'))[1]).toMatch(/no list yet/);
    expect(code(() => lists.add(channel, 'reading', 'pizza ovens of Naples', 'U'))[0]).toBe('not_found');
  });

  it('GIVEN a list of papers, one since gone from the library THEN export gives the BibTeX of those held and names the one gone; it can still be removed', () => {
    const [a, b] = seedPapers();
    const corpus = writeCorpus([a!, b!]);
    const { lists, db, dataDir } = service(corpus);
    lists.add(channel, 'reading', a!.id, 'U');
    lists.add(channel, 'reading', b!.id, 'U');
    // The corpus file loses b: the library reopened over it drops the paper, the list keeps its id.
    writeCorpus([a!], corpus);
    const smaller = openSearch({ corpusDir: corpus, dataDir: join(dataDir, 'index') });
    expect(smaller.paper(b!.id)).toBeUndefined();
    const gone = new ReadingListService(db, () => smaller, Date.now);
    const exported = gone.export(channel, 'reading', 'bibtex');
    expect(exported).toMatchObject({ name: 'reading', papers: 1, missing: [b!.id] });
    expect(exported.text).toMatch(/^@article\{li2023snapfusion,/);
    expect(gone.show(channel, 'reading').papers[1]).toMatchObject({ paperId: b!.id, paper: undefined });
    expect(gone.remove(channel, 'reading', b!.id, 'U', false)).toMatchObject({ paperId: b!.id, paper: undefined, changed: true, total: 1 });
  });

  it('GIVEN the limits THEN a full list, one list too many and bad names are refused with their own codes', () => {
    const { lists, db } = service();
    const entries = new ListEntries(db);
    for (let i = 0; i < MAX_LIST_PAPERS; i++) entries.add(channel, 'big', { paperId: `2401.${String(i).padStart(5, '0')}`, addedBy: 'U', addedAt: i });
    expect(code(() => lists.add(channel, 'big', '2306.00980', 'U'))).toEqual(['list_full', `"big" holds ${MAX_LIST_PAPERS} papers, the most a list keeps; remove some first`]);
    for (let i = 1; i < MAX_LISTS; i++) lists.add(channel, `list ${i}`, '2306.00980', 'U');
    expect(lists.lists(channel)).toHaveLength(MAX_LISTS);
    expect(lists.add(channel, 'list 3', '2212.08059', 'U').changed).toBe(true);
    expect(code(() => lists.add(channel, 'one more', '2306.00980', 'U'))[0]).toBe('too_many_lists');
    expect(code(() => listName('   '))[0]).toBe('bad_list_name');
    expect(code(() => listName('x'.repeat(51)))[1]).toBe('name is 51 characters long; a list name has at most 50');
    expect(code(() => listName('a\u0007b'))[1]).toBe('name holds control characters');
  });
});
