import { chartPng, chartSvg, type Chart } from './charts.js';
import type { Trend } from '../trend/topicTrend.js';
import { truncate } from '../text/truncate.js';

// Bars wider than this count come without their number on top: the labels would overlap.
const MAX_LABELLED_BARS = 24;
const TOPIC_IN_TITLE = 60;
const BAR = '#5865f2';
const SHARE = '#e67e22';

/** The chart's title: the topic (cut to TOPIC_IN_TITLE characters) and the bars' period. */
export function trendTitle(trend: Trend): string {
  return `Papers on “${truncate(trend.topic, TOPIC_IN_TITLE)}”, per ${trend.granularity}`;
}

/** What the chart says under its title: how many papers, of how many, over which span. */
export function trendSummary(trend: Trend): string {
  const first = trend.buckets[0]!.label;
  const last = trend.buckets.at(-1)!;
  const share = trend.libraryPapers === 0 ? 0 : (100 * trend.papers) / trend.libraryPapers;
  const span = first === last.label ? first : `${first} to ${last.label}`;
  return [
    `${trend.papers.toLocaleString('en')} of ${trend.libraryPapers.toLocaleString('en')} papers (${formatShare(share)}) hold every word of the topic, ${span}`,
    `peak ${trend.peak.label} (${trend.peak.papers.toLocaleString('en')})${last.partial ? `; ${last.label} so far` : ''}`,
  ].join(' · ');
}

/** The chart as SVG: the topic's papers per bucket as bars, their share of the library's as a line. */
export function trendChartSvg(trend: Trend): string {
  return chartSvg(trendTitle(trend), trendSummary(trend), {
      grid: { left: 70, right: 80, top: 90, bottom: 80 },
      legend: { bottom: 8, itemGap: 30, data: ['Papers on the topic', 'Share of all papers'] },
      xAxis: {
        type: 'category',
        data: trend.buckets.map((b) => b.label),
        name: trend.granularity === 'month' ? 'Month of first submission' : 'Year of first submission',
        nameLocation: 'middle',
        nameGap: 30,
        axisLabel: { hideOverlap: true },
      },
      yAxis: [
        { type: 'value', name: 'Papers', minInterval: 1 },
        { type: 'value', name: 'Share', min: 0, axisLabel: { formatter: (v: number) => formatShare(v) }, splitLine: { show: false } },
      ],
      series: [
        {
          name: 'Papers on the topic',
          type: 'bar',
          itemStyle: { color: BAR },
          // The running month or year is drawn paler: its count is not final.
          data: trend.buckets.map((b) => ({ value: b.papers, itemStyle: b.partial ? { opacity: 0.45 } : undefined })),
          label: { show: trend.buckets.length <= MAX_LABELLED_BARS, position: 'top', fontSize: 11, formatter: ({ value }: { value: number }) => value.toLocaleString('en') },
        },
        {
          name: 'Share of all papers',
          type: 'line',
          yAxisIndex: 1,
          itemStyle: { color: SHARE },
          lineStyle: { color: SHARE, width: 2 },
          data: trend.buckets.map((b) => Math.round(b.share * 100_000) / 1000),
        },
      ],
  });
}

/** The chart as a PNG, drawn offline with the shipped font (no browser, no system fonts). */
export function trendChartPng(trend: Trend): Chart {
  return chartPng(trendChartSvg(trend));
}

function formatShare(percent: number): string {
  return `${percent < 10 ? Number(percent.toFixed(percent < 1 ? 2 : 1)) : Math.round(percent)}%`;
}
