import { describe, expect, it } from 'vitest';
import { categoryChoices, parsePaperFilter } from '../../src/search/paperFilter.js';

const categories = [
  { category: 'cs.CV', papers: 40 },
  { category: 'cs.LG', papers: 30 },
  { category: 'stat.ML', papers: 5 },
  { category: 'eess.IV', papers: 2 },
];
const context = { categories: () => categories, currentYear: 2026, optionNames: { since: 'since', category: 'category' } };

describe('parsePaperFilter', () => {
  it('GIVEN nothing THEN no filter; GIVEN a year and a category THEN both, the category spelt as the library spells it', () => {
    expect(parsePaperFilter({}, context)).toBeUndefined();
    expect(parsePaperFilter({ since: null, category: null }, context)).toBeUndefined();
    expect(parsePaperFilter({ since: 2023, category: 'cs.cv' }, context)).toEqual({ years: { from: 2023 }, categories: ['cs.CV'] });
    expect(parsePaperFilter({ since: ' 2026 ' }, context)).toEqual({ years: { from: 2026 } });
  });

  it('GIVEN an archive THEN takes it when a category lies under it', () => {
    expect(parsePaperFilter({ category: 'CS' }, context)).toEqual({ categories: ['cs'] });
    expect(parsePaperFilter({ category: 'stat' }, context)).toEqual({ categories: ['stat'] });
  });

  it('GIVEN a year in the future, a year that is not one, an unknown or malformed category THEN a specific error each', () => {
    expect(() => parsePaperFilter({ since: 2027 }, context)).toThrow(expect.objectContaining({ code: 'future_since', message: 'since 2027 is in the future: it is 2026' }));
    expect(() => parsePaperFilter({ since: '23' }, context)).toThrow(expect.objectContaining({ code: 'bad_filter' }));
    expect(() => parsePaperFilter({ category: 'cs.XX' }, context)).toThrow(
      expect.objectContaining({ code: 'unknown_category', message: 'category "cs.XX": no paper in the library is in that category (they are in cs.CV, cs.LG)' }),
    );
    expect(() => parsePaperFilter({ category: 'math' }, context)).toThrow(expect.objectContaining({ code: 'unknown_category', message: expect.stringMatching(/\(they are in cs\.CV, cs\.LG, stat\.ML, eess\.IV\)$/) }));
    expect(() => parsePaperFilter({ category: 'computer vision' }, context)).toThrow(expect.objectContaining({ code: 'bad_filter' }));
  });

  it('GIVEN no category asked THEN the library is not asked for its categories (a pass over it)', () => {
    let asked = 0;
    parsePaperFilter({ since: 2020 }, { ...context, categories: () => (asked++, categories) });
    expect(asked).toBe(0);
  });
});

describe('categoryChoices', () => {
  it('GIVEN a prefix THEN those starting with it, then those holding it, most papers first, at most the limit', () => {
    expect(categoryChoices(categories, 'cs', 25).map((c) => c.category)).toEqual(['cs.CV', 'cs.LG']);
    expect(categoryChoices(categories, 'l', 25).map((c) => c.category)).toEqual(['cs.LG', 'stat.ML']);
    expect(categoryChoices(categories, '', 3)).toHaveLength(3);
  });
});
