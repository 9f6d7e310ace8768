import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Resvg from '@resvg/resvg-js';
import type * as ECharts from 'echarts';

/** A chart's size in pixels: wide enough for 48 labelled bars, and Discord shows it whole. */
export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 500;

/** A rendered chart. */
export interface Chart {
  png: Buffer;
  width: number;
  height: number;
}

const require = createRequire(import.meta.url);
// Loaded on the first chart, so no other command pays for them. ECharts' one-file
// build loads in 0.16 s; its ES modules, one file each, take 0.9 s.
let echarts: typeof ECharts | undefined;
let resvg: typeof Resvg | undefined;
const loadECharts = () => (echarts ??= require('echarts/dist/echarts.js') as typeof ECharts);
const loadResvg = () => (resvg ??= require('@resvg/resvg-js') as typeof Resvg);

// Shipped with the package, so text renders on a machine with no system fonts.
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => join(FONT_DIR, f));
const FONT_FAMILY = 'DejaVu Sans';

/**
 * A chart as SVG, drawn by ECharts on the server: `option` (axes, series,
 * legend, grid) under a centred title and subtitle, in the shipped font.
 */
export function chartSvg(title: string, subtitle: string, option: Record<string, unknown>): string {
  const chart = loadECharts().init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: title, subtext: subtitle, left: 'center', textStyle: { fontSize: 20 }, subtextStyle: { fontSize: 13, color: '#555555' } },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** An SVG as a PNG of CHART_WIDTH, drawn offline with the shipped font (no browser, no system fonts). */
export function chartPng(svg: string): Chart {
  const image = new (loadResvg().Resvg)(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: 'width', value: CHART_WIDTH },
  }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}

/** Lines over the same labels (days, say), one a series, values in percent. */
export function lineChartPng(chart: { title: string; subtitle: string; xName: string; yName: string; labels: string[]; series: { name: string; values: number[]; color: string }[] }): Chart {
  return chartPng(
    chartSvg(chart.title, chart.subtitle, {
      grid: { left: 70, right: 40, top: 90, bottom: 80 },
      legend: { bottom: 8, itemGap: 30, data: chart.series.map((s) => s.name) },
      xAxis: { type: 'category', data: chart.labels, name: chart.xName, nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'value', name: chart.yName, min: 0, axisLabel: { formatter: (v: number) => `${v}%` } },
      series: chart.series.map((s) => ({ name: s.name, type: 'line', data: s.values, itemStyle: { color: s.color }, lineStyle: { color: s.color, width: 2 } })),
    }),
  );
}
