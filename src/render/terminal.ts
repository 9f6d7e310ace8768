import type { EvalReport } from '../eval/beir.js';
import type { QuestionReport, QuestionScores } from '../eval/questions.js';
import type { CorpusStats, SearchInfo, SearchResult } from '../search/PaperSearch.js';
import { ENGLISH_HINT, looksNonEnglish } from '../text/language.js';
import { normalizeText, withoutControls } from '../text/normalize.js';
import { sharedWords, type SimilarPapers } from '../search/similarPapers.js';
import { authorFacts, authorHeading, severalPeople, type AuthorPage } from '../authors/authorPage.js';
import { answerSegments, authorLine, toPaperView } from './paperView.js';
import { truncate } from '../text/truncate.js';
import type { Trend } from '../trend/topicTrend.js';
import { trendSummary, trendTitle } from './trendChart.js';
import wrapAnsi from 'wrap-ansi';

/** How to print: ANSI bold on a terminal, **markdown** when piped; lines wrapped to `width` columns when it is set. */
export interface TerminalStyle {
  color: boolean;
  /** Columns to wrap to, with a hanging indent; undefined: no wrapping (piped output). */
  width?: number;
}

// Room the echoed question may take in a one-line message.
const ECHO_MAX = 80;
const INDENT = '   ';

/** `paperbot similar` as text: which paper was taken, then its nearest. */
export function renderSimilar({ paper, result }: SimilarPapers, style: TerminalStyle): string {
  const { bold } = marks(style);
  const head = `Papers like ${bold(withoutControls(normalizeText(paper.title)))} (${paper.id}, ${paper.year}):`;
  if (result.hits.length === 0) return wrapLines([head, '', 'No other paper in the library shares its telling words.'], style.width);
  return `${wrapLines([head, ''], style.width)}\n${renderResult(result, 0, style)}`;
}

// The longest bar of `paperbot trend`'s text chart, in columns.
const TREND_BAR_COLUMNS = 40;

/** `paperbot trend` as text: one line a month or year, a bar of block characters, the count and the share. */
export function renderTrend(trend: Trend, style: TerminalStyle): string {
  const { bold, dim } = marks(style);
  const widest = Math.max('papers'.length, ...trend.buckets.map((b) => b.papers.toLocaleString('en').length));
  const rows = trend.buckets.map((b) => {
    const bar = '█'.repeat(trend.peak.papers === 0 ? 0 : Math.round((TREND_BAR_COLUMNS * b.papers) / trend.peak.papers));
    const share = `${(100 * b.share).toFixed(2)}%`;
    return `${b.label.padEnd(7)} ${b.papers.toLocaleString('en').padStart(widest)}  ${share.padStart(7)}  ${bar}${b.partial ? dim(' (so far)') : ''}`.trimEnd();
  });
  const header = `${'when'.padEnd(7)} ${'papers'.padStart(widest)}  ${'share'.padStart(7)}`;
  return wrapLines([bold(withoutControls(trendTitle(trend))), dim(trendSummary(trend)), '', dim(header), ...rows], style.width);
}

/** `paperbot author` as text: who matched, co-authors, categories, then the papers, newest first. */
export function renderAuthorPage(page: AuthorPage, style: TerminalStyle): string {
  const { bold, dim } = marks(style);
  const lines = [
    `${bold(withoutControls(authorHeading(page)))}: ${page.total.toLocaleString('en')} paper${page.total === 1 ? '' : 's'}`,
    dim(severalPeople(page)),
    ...authorFacts(page).map(({ label, value }) => `${label}: ${withoutControls(value)}`),
    '',
    ...page.papers.map((p, i) => `${i + 1}. ${bold(withoutControls(normalizeText(p.title)))} (${p.year}) ${p.links.abs}`),
    ...(page.total > page.papers.length ? [dim(`… and ${(page.total - page.papers.length).toLocaleString('en')} more (--top N)`)] : []),
  ];
  return wrapLines(lines, style.width);
}

/** `paperbot ask` and `paperbot paper` as text. */
export function renderResult(result: SearchResult, paperCount: number, style: TerminalStyle): string {
  const echoed = echo(result.query);
  if (result.hits.length === 0) {
    return wrapLines(
      [
        `No paper in the corpus (${paperCount.toLocaleString('en')} papers) really matches "${echoed}".`,
        ...(looksNonEnglish(result.query) ? [ENGLISH_HINT] : []),
        'Try other words, or look a paper up by title: paperbot paper "<title>"',
      ],
      style.width,
    );
  }
  const { bold, mark, dim } = marks(style);
  const lines: string[] = [];
  if (looksNonEnglish(result.query)) lines.push(dim(ENGLISH_HINT), '');
  if (result.via === 'fallback') lines.push(dim(`No title matches "${echoed}"; these papers mention it:`), '');
  result.hits.map(toPaperView).forEach((view, i) => {
    const answer = answerSegments(view)
      .map((s) => (s.matched ? mark(s.text) : s.text))
      .join('');
    const meta = [authorLine(view.authors, view.matchedAuthors, (name, named) => (named ? mark(name) : name)), String(view.year), view.venue].filter(Boolean).join(' · ');
    const links = [`arXiv ${view.url}`, view.pdf && `PDF ${view.pdf}`, view.code && `code ${view.code}`].filter(Boolean);
    const why = [
      view.matchedWords.length > 0 && (result.via === 'similar' ? `shares: ${sharedWords(view.matchedWords).join(', ')}` : `matched: ${view.matchedWords.join(', ')}`),
      view.matchedAuthors.length > 0 && `by ${view.matchedAuthors.join(', ')}`,
      view.similarity !== undefined && `${view.matchedWords.length > 0 ? 'and ' : ''}by meaning (similarity ${view.similarity.toFixed(2)})`,
    ];
    lines.push(
      `${i + 1}. ${bold(view.title)}`,
      `${INDENT}${meta}`,
      `${INDENT}${answer}`,
      `${INDENT}${links.join(' · ')}`,
      dim(`${INDENT}${why.filter(Boolean).join(' · ') || (result.via === 'id' ? 'by its arXiv id' : 'by its title')}`),
      '',
    );
  });
  return wrapLines(lines, style.width).trimEnd();
}

/**
 * `paperbot paper` as text: the best match's whole card, as /paper shows it
 * (every author, the whole abstract, categories, links), then the other
 * titles that matched, one line each.
 */
export function renderPaperCardText(result: SearchResult, paperCount: number, style: TerminalStyle): string {
  const [best, ...others] = result.hits.map(toPaperView);
  if (best === undefined) return renderResult(result, paperCount, style);
  const { bold, dim } = marks(style);
  const echoed = echo(result.query);
  const lines: string[] = [];
  if (result.via === 'fallback') lines.push(dim(`No title matches "${echoed}"; this paper's abstract does:`), '');
  lines.push(
    bold(best.title),
    `${INDENT}${best.authors.join(', ')}`,
    `${INDENT}${[String(best.year), best.venue, best.categories.join(', ') || null, `arXiv:${best.id}`].filter(Boolean).join(' · ')}`,
    '',
    `${INDENT}${best.abstract}`,
    '',
    `${INDENT}${[`arXiv ${best.url}`, best.pdf && `PDF ${best.pdf}`, best.code && `code ${best.code}`].filter(Boolean).join(' · ')}`,
  );
  if (others.length > 0) {
    lines.push('', dim('Also matching:'));
    others.forEach((v, i) => lines.push(`${i + 2}. ${v.title} (${v.id}, ${v.year})`));
  }
  return wrapLines(lines, style.width);
}

/** Bold titles, marked words and dim notes: ANSI on a terminal, plain (matched words as **markdown**) when piped. */
function marks(style: TerminalStyle) {
  return {
    bold: (s: string) => (style.color ? `\x1b[1m${s}\x1b[22m` : s),
    mark: (s: string) => (style.color ? `\x1b[1;33m${s}\x1b[22;39m` : `**${s}**`),
    dim: (s: string) => (style.color ? `\x1b[2m${s}\x1b[22m` : s),
  };
}

/** The question as a one-line message echoes it: controls dropped, spaces collapsed, cut to ECHO_MAX. */
const echo = (query: string) => truncate(withoutControls(query).replace(/\s+/g, ' '), ECHO_MAX);

/** Each line wrapped to `width` columns (ANSI codes and wide characters measured as shown), continued under INDENT. */
function wrapLines(lines: readonly string[], width: number | undefined): string {
  if (width === undefined) return lines.join('\n');
  const room = Math.max(20, width - INDENT.length);
  return lines
    .map((line) => {
      const indented = line.startsWith(INDENT);
      const wrapped = wrapAnsi(indented ? line.slice(INDENT.length) : line, room, { hard: true });
      return (indented ? INDENT : '') + wrapped.split('\n').join(`\n${INDENT}`);
    })
    .join('\n');
}

/** `paperbot stats` as text. */
export function renderStats(stats: CorpusStats, info: SearchInfo): string {
  const years = Object.entries(stats.years.counts)
    .map(([year, n]) => `${year}: ${n.toLocaleString('en')}`)
    .join(', ');
  return [
    `Corpus      ${info.corpusDir}`,
    `Library     ${info.libraryFile}`,
    `Papers      ${stats.papers.toLocaleString('en')}`,
    `Years       ${stats.years.min}–${stats.years.max} (${years})`,
    `Categories  ${stats.topCategories.map((c) => `${c.category} ${c.papers.toLocaleString('en')}`).join(', ') || 'none recorded'}`,
    `Newest      ${stats.newest === null ? '—' : `${stats.newest.title} (${stats.newest.id}, ${stats.newest.year})`}`,
    `Index       ${stats.engine}, ${stats.terms.toLocaleString('en')} terms, ${formatBytes(info.indexBytes)} at ${info.indexPath}`,
    `Built       ${info.builtAt.toISOString()} (${info.reused ? 'loaded from disk' : 'built or updated now'}; opened in ${Math.round(info.elapsedMs)} ms)`,
  ].join('\n');
}

/** `paperbot eval --beir` as text. */
export function renderBeirEval(report: EvalReport, dir: string): string {
  return [
    `BEIR ${dir}: ${report.docs.toLocaleString('en')} documents, ${report.queries} judged queries`,
    `nDCG@10     ${report['ndcg@10'].toFixed(4)}`,
    `Recall@100  ${report['recall@100'].toFixed(4)}`,
    `Speed       ${report.qps} queries/s (one thread, 1,000 results each); index built in ${report.buildMs} ms`,
  ].join('\n');
}

/** `paperbot eval --questions` as text: one line per label, then the total. */
export function renderQuestionEval(report: QuestionReport, file: string, papers: number): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const row = (name: string, s: QuestionScores) =>
    `${name.padEnd(12)} ${String(s.questions).padStart(9)} ${pct(s.top1).padStart(7)} ${pct(s.top10).padStart(7)} ${s.mrr10.toFixed(3).padStart(7)} ${String(s.empty).padStart(6)}`;
  return [
    `${file}: ${report.questions} questions, ${papers.toLocaleString('en')} papers`,
    `${'label'.padEnd(12)} ${'questions'.padStart(9)} ${'top-1'.padStart(7)} ${'top-10'.padStart(7)} ${'MRR@10'.padStart(7)} ${'empty'.padStart(6)}`,
    ...Object.entries(report.byLabel).map(([label, s]) => row(label, s)),
    row('all', report),
    `search latency p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms (10 results with answers)`,
  ].join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes === 0) return 'not saved';
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
