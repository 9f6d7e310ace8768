import { UserError } from '../errors.js';
import type { PaperSearch } from '../search/PaperSearch.js';
import type { PaperFilter } from '../search/Retriever.js';
import { monthIndex, type MonthIndex, type PaperCalendar } from './PaperCalendar.js';

/**
 * A span longer than this many months is counted per year: 48 bars are as
 * many as a chart 1,000 pixels wide labels legibly.
 */
export const MAX_MONTHLY_BARS = 48;

/** One bar of a trend: a month or a year. */
export interface TrendBucket {
  /** "2023-06" for a month, "2023" for a year. */
  label: string;
  /** Papers on the topic first submitted then. */
  papers: number;
  /** Papers of the whole library first submitted then. */
  total: number;
  /** papers / total, 0 when the library holds none then. */
  share: number;
  /** True for the month (or year) still running: its count will grow. */
  partial: boolean;
}

/** How often a topic comes up over time, beside the library's size. */
export interface Trend {
  /** The topic as asked. */
  topic: string;
  /** Its words as the index stems them: a paper counts when it holds every one. */
  terms: string[];
  /** The first year counted, when one was asked for. */
  since: number | null;
  granularity: 'month' | 'year';
  /** From the topic's first paper (or `since`) to the library's newest month, none skipped. */
  buckets: TrendBucket[];
  /** Papers on the topic in the span. */
  papers: number;
  /** Papers of the library in the span. */
  libraryPapers: number;
  /** The bucket with the most papers on the topic (the first, on a tie). */
  peak: TrendBucket;
}

/** The papers a trend counts: those holding every word of the topic. */
export interface TopicPapers {
  topic: string;
  terms: string[];
  since: number | null;
  docs: number[];
}

/**
 * The papers on `topic`: every word in the title or abstract, from
 * `filter.years.from` on (since:, as parsePaperFilter reads it). A topic no
 * paper matches is a `no_match` error, saying why: there is nothing to draw.
 * Quick (0.1 s at 191k papers for the commonest topics), so the bot checks it
 * before it defers its reply and a refusal stays private.
 */
export function topicPapers(search: PaperSearch, topic: string, filter?: PaperFilter): TopicPapers {
  const since = filter?.years?.from ?? null;
  const { terms, docs } = search.papersAbout(topic, filter);
  const asked = topic.trim();
  if (docs.length === 0) {
    const unknown = terms.filter((t) => search.retriever.termWeight(t) === 0);
    const why =
      terms.length === 0
        ? 'it has only words too common to index. Name what the papers are about'
        : unknown.length > 0
          ? `no paper holds ${unknown.map((t) => `"${t}"`).join(', ')}. Try other words`
          : 'no paper holds all of its words. Try fewer words';
    throw new UserError('no_match', `No paper${since === null ? '' : ` since ${since}`} matches "${asked}": ${why}.`);
  }
  return { topic: asked, terms, since, docs };
}

/**
 * The topic's papers per month, or per year over more than MAX_MONTHLY_BARS
 * months, beside the share of the library's papers they are. `now` marks
 * the running month (or year) partial, and no bar lies after it.
 */
export function topicTrend(search: PaperSearch, { topic, terms, since, docs }: TopicPapers, now: Date): Trend {
  const calendar = search.calendar();
  const nowMonth = monthIndex(now.getUTCFullYear(), now.getUTCMonth() + 1);
  const months: MonthIndex[] = [];
  let undated = 0;
  let earliest = Infinity;
  for (const doc of docs) {
    const month = calendar.monthOf(doc);
    if (month === undefined) undated++;
    else months.push(month);
    earliest = Math.min(earliest, month ?? monthIndex(calendar.yearOf(doc) ?? 0, 1));
  }
  const first = since !== null ? monthIndex(since, 1) : earliest;
  const last = Math.min(nowMonth, Math.max(calendar.lastMonth ?? first, first));
  // A paper whose month is unknown can be counted in its year only.
  const granularity = last - first + 1 > MAX_MONTHLY_BARS || undated > 0 ? 'year' : 'month';
  const buckets = granularity === 'month' ? monthlyBuckets(months, first, last, nowMonth, calendar.perMonth) : yearlyBuckets(docs, first, last, nowMonth, calendar);
  const peak = buckets.reduce((best, b) => (b.papers > best.papers ? b : best), buckets[0]!);
  return {
    topic,
    terms,
    since,
    granularity,
    buckets,
    papers: buckets.reduce((sum, b) => sum + b.papers, 0),
    libraryPapers: buckets.reduce((sum, b) => sum + b.total, 0),
    peak,
  };
}

function monthlyBuckets(months: readonly MonthIndex[], first: MonthIndex, last: MonthIndex, now: MonthIndex, perMonth: ReadonlyMap<MonthIndex, number>): TrendBucket[] {
  const counts = new Map<MonthIndex, number>();
  for (const m of months) counts.set(m, (counts.get(m) ?? 0) + 1);
  const buckets: TrendBucket[] = [];
  for (let m = first; m <= last; m++) {
    const label = `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
    buckets.push(bucket(label, counts.get(m) ?? 0, perMonth.get(m) ?? 0, m === now));
  }
  return buckets;
}

function yearlyBuckets(docs: readonly number[], first: MonthIndex, last: MonthIndex, now: MonthIndex, calendar: PaperCalendar): TrendBucket[] {
  const counts = new Map<number, number>();
  for (const doc of docs) {
    const year = calendar.yearOf(doc);
    if (year !== undefined) counts.set(year, (counts.get(year) ?? 0) + 1);
  }
  const buckets: TrendBucket[] = [];
  for (let year = Math.floor(first / 12); year <= Math.floor(last / 12); year++) {
    buckets.push(bucket(String(year), counts.get(year) ?? 0, calendar.perYear.get(year) ?? 0, year === Math.floor(now / 12)));
  }
  return buckets;
}

function bucket(label: string, papers: number, total: number, partial: boolean): TrendBucket {
  return { label, papers, total, share: total === 0 ? 0 : papers / total, partial };
}
