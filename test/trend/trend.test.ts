import { describe, expect, it } from 'vitest';
import { submissionMonth } from '../../src/corpus/paper.js';
import { UserError } from '../../src/errors.js';
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/render/charts.js';
import { trendChartPng, trendChartSvg, trendSummary } from '../../src/render/trendChart.js';
import { renderTrend } from '../../src/render/terminal.js';
import { openSearch } from '../../src/search/openSearch.js';
import { MAX_MONTHLY_BARS, topicPapers, topicTrend } from '../../src/trend/topicTrend.js';
import { PaperCalendar, monthIndex } from '../../src/trend/PaperCalendar.js';
import { SEED_CORPUS, seedPapers, tempDir, writeCorpus } from '../support/corpus.js';
import { countPixels, readPng } from '../support/png.js';

const NOW = new Date('2026-12-02T12:00:00Z');

describe('submissionMonth', () => {
  it.each([
    ['2306.00980', 2023, 6],
    ['0704.0001', 2007, 4],
    ['cs/0701001', 2007, 1],
    ['math.AG/0601001', 2006, 1],
    ['hep-th/9912001', 1999, 12],
    // The id says 2023, the record 2021: the month cannot be trusted.
    ['2306.00980', 2021, null],
  ])('GIVEN %s of %i THEN month %s', (id, year, month) => {
    expect(submissionMonth({ id, year })).toBe(month);
  });
});

describe('PaperCalendar', () => {
  it('GIVEN papers in any order THEN each one\'s month, and the papers of each month and year', () => {
    const calendar = PaperCalendar.build([
      { doc: 5, id: '2306.00980', year: 2023 },
      { doc: 2, id: '2306.01000', year: 2023 },
      { doc: 9, id: '2212.08059', year: 2022 },
      { doc: 3, id: '2101.00001', year: 2019 },
    ]);
    expect(calendar.monthOf(5)).toBe(monthIndex(2023, 6));
    expect(calendar.monthOf(3)).toBeUndefined();
    expect(calendar.yearOf(3)).toBe(2019);
    expect(calendar.yearOf(4)).toBeUndefined();
    expect(calendar.yearOf(100)).toBeUndefined();
    expect(calendar.perMonth.get(monthIndex(2023, 6))).toBe(2);
    expect([...calendar.perYear].sort()).toEqual([[2019, 1], [2022, 1], [2023, 2]]);
    expect(calendar.lastMonth).toBe(monthIndex(2023, 6));
  });
});

describe('topicTrend', () => {
  const search = openSearch({ corpusDir: SEED_CORPUS, dataDir: tempDir() });

  it('GIVEN a topic THEN counts the papers holding every word, per month from its first paper to the library\'s last, none skipped', () => {
    const about = topicPapers(search, 'vision transformers');
    // Four seeds say both words; "Rethinking Vision Transformers" and three more.
    const ids = about.docs.map((d) => search.library.at(d)!.id).sort();
    expect(ids).toEqual(['2211.01484', '2211.11152', '2212.08059', '2303.02165']);
    const trend = topicTrend(search, about, NOW);
    expect(trend.granularity).toBe('month');
    expect(trend.buckets.map((b) => b.label)).toEqual(['2022-11', '2022-12', '2023-01', '2023-02', '2023-03', '2023-04', '2023-05', '2023-06', '2023-07', '2023-08', '2023-09']);
    expect(trend.buckets.filter((b) => b.papers > 0).map((b) => [b.label, b.papers, b.total])).toEqual([['2022-11', 2, 3], ['2022-12', 1, 1], ['2023-03', 1, 1]]);
    expect(trend.buckets.find((b) => b.label === '2023-06')).toEqual({ label: '2023-06', papers: 0, total: 1, share: 0, partial: false });
    expect(trend.buckets[0]!.share).toBeCloseTo(2 / 3);
    expect(trend.peak.label).toBe('2022-11');
    expect([trend.papers, trend.libraryPapers]).toEqual([4, 8]);
    expect(trendSummary(trend)).toBe('4 of 8 papers (50%) hold every word of the topic, 2022-11 to 2023-09 · peak 2022-11 (2)');
  });

  it('GIVEN since: THEN counts from its January, the months before the first paper as zeros', () => {
    const trend = topicTrend(search, topicPapers(search, 'vision transformers', { years: { from: 2023 } }), NOW);
    expect(trend.since).toBe(2023);
    expect(trend.buckets[0]).toMatchObject({ label: '2023-01', papers: 0, total: 0 });
    expect(trend.papers).toBe(1);
  });

  it('GIVEN a topic no paper matches THEN a no_match error saying why: an unknown word, words never together, only stop words', () => {
    const reason = (topic: string, since?: number) => {
      try {
        topicPapers(search, topic, since === undefined ? undefined : { years: { from: since } });
      } catch (error) {
        expect(error).toBeInstanceOf(UserError);
        expect((error as UserError).code).toBe('no_match');
        return (error as Error).message;
      }
      throw new Error('expected no_match');
    };
    expect(reason('pizza transformers')).toBe('No paper matches "pizza transformers": no paper holds "pizza". Try other words.');
    expect(reason('diffusion pruning')).toBe('No paper matches "diffusion pruning": no paper holds all of its words. Try fewer words.');
    expect(reason('the of and')).toMatch(/only words too common to index/);
    expect(reason('diffusion', 2024)).toMatch(/^No paper since 2024 matches "diffusion"/);
  });

  it('GIVEN more than MAX_MONTHLY_BARS months, or the running year THEN per year, the running one partial', () => {
    const [seed] = seedPapers();
    const papers = [2019, 2021, 2026].map((year, i) => ({ ...seed!, id: `${String(year % 100).padStart(2, '0')}0${i + 1}.0000${i + 1}`, year }));
    const wide = openSearch({ corpusDir: writeCorpus(papers), dataDir: tempDir() });
    const trend = topicTrend(wide, topicPapers(wide, 'diffusion'), NOW);
    expect(monthIndex(2026, 3) - monthIndex(2019, 1) + 1).toBeGreaterThan(MAX_MONTHLY_BARS);
    expect(trend.granularity).toBe('year');
    expect(trend.buckets.map((b) => [b.label, b.papers, b.partial])).toEqual([
      ['2019', 1, false], ['2020', 0, false], ['2021', 1, false], ['2022', 0, false], ['2023', 0, false], ['2024', 0, false], ['2025', 0, false], ['2026', 1, true],
    ]);
    expect(trendSummary(trend)).toMatch(/; 2026 so far$/);
    wide.library.close();
  });

  it('GIVEN a 1-paper library THEN one bar, and a chart of it', () => {
    const [seed] = seedPapers();
    const one = openSearch({ corpusDir: writeCorpus([seed!]), dataDir: tempDir() });
    const trend = topicTrend(one, topicPapers(one, 'diffusion'), NOW);
    expect(trend.buckets).toEqual([{ label: '2023-06', papers: 1, total: 1, share: 1, partial: false }]);
    readPng(trendChartPng(trend).png, CHART_WIDTH, CHART_HEIGHT);
    one.library.close();
  });

  it('GIVEN a trend THEN the text chart has a line a month with count, share and a bar scaled to the peak', () => {
    const text = renderTrend(topicTrend(search, topicPapers(search, 'vision transformers'), NOW), { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Papers on “vision transformers”, per month');
    expect(lines).toContain(`2022-11      2   66.67%  ${'█'.repeat(40)}`);
    expect(lines).toContain(`2022-12      1  100.00%  ${'█'.repeat(20)}`);
    expect(lines).toContain('2023-01      0    0.00%');
  });
});

describe('the trend chart', () => {
  const search = openSearch({ corpusDir: SEED_CORPUS, dataDir: tempDir() });
  const trend = topicTrend(search, topicPapers(search, 'vision transformers'), NOW);

  it('GIVEN a trend THEN a PNG of the chart\'s size, with its title in dark text, bars in their colour and the share line', () => {
    const { png, width, height } = trendChartPng(trend);
    expect([width, height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect(png.length).toBeGreaterThan(10_000);
    const image = readPng(png, CHART_WIDTH, CHART_HEIGHT);
    // The title is drawn: dark pixels in its band, which only text puts there (no system font is read: the shipped one is).
    expect(countPixels(image, [70, 70, 70], { x: 200, y: 0, width: 600, height: 45 })).toBeGreaterThan(300);
    expect(countPixels(image, [0x58, 0x65, 0xf2], { x: 0, y: 90, width: CHART_WIDTH, height: 330 }, 8)).toBeGreaterThan(2_000);
    expect(countPixels(image, [0xe6, 0x7e, 0x22], undefined, 16)).toBeGreaterThan(200);
  });

  it('GIVEN a topic with markup THEN the SVG holds it as text, and it still renders', () => {
    const hostile = { ...trend, topic: '</text><script>alert(1)</script> & "vision"' };
    const svg = trendChartSvg(hostile);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;');
    readPng(trendChartPng(hostile).png, CHART_WIDTH, CHART_HEIGHT);
  });
});
