import type { EvalReport } from '../eval/beir.js';
import type { QuestionReport, QuestionScores } from '../eval/questions.js';
import type { CorpusStats, SearchInfo, SearchResult } from '../search/PaperSearch.js';
import { withoutControls } from '../text/normalize.js';
import { answerSegments, formatAuthors, toPaperView } from './paperView.js';

/** How to mark matched words: ANSI bold on a terminal, **markdown** when piped. */
export interface TerminalStyle {
  color: boolean;
}

/** `paperbot ask` and `paperbot paper` as text. */
export function renderResult(result: SearchResult, paperCount: number, style: TerminalStyle): string {
  if (result.hits.length === 0) {
    return [
      `No paper in the corpus (${paperCount} papers) really matches "${withoutControls(result.query)}".`,
      'Try other words, or look a paper up by title: paperbot paper "<title>"',
    ].join('\n');
  }
  const bold = (s: string) => (style.color ? `\x1b[1m${s}\x1b[22m` : s);
  const mark = (s: string) => (style.color ? `\x1b[1;33m${s}\x1b[22;39m` : `**${s}**`);
  const dim = (s: string) => (style.color ? `\x1b[2m${s}\x1b[22m` : s);
  const lines: string[] = [];
  if (result.via === 'fallback') {
    lines.push(dim(`No title matches "${withoutControls(result.query)}"; these papers mention it:`), '');
  }
  result.hits.map(toPaperView).forEach((view, i) => {
    const answer = answerSegments(view)
      .map((s) => (s.matched ? mark(s.text) : s.text))
      .join('');
    const meta = [formatAuthors(view.authors), String(view.year), view.venue].filter(Boolean).join(' · ');
    const links = [`arXiv ${view.url}`, view.pdf && `PDF ${view.pdf}`, view.code && `code ${view.code}`].filter(Boolean);
    lines.push(
      `${i + 1}. ${bold(view.title)}`,
      `   ${meta}`,
      `   ${answer}`,
      `   ${links.join(' · ')}`,
      dim(`   score ${view.score.toFixed(2)} · matched: ${view.matchedTerms.join(', ') || '(title)'}`),
      '',
    );
  });
  return lines.join('\n').trimEnd();
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
