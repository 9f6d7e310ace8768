import type { EvalReport } from '../eval/beir.js';
import type { CorpusStats, PaperIndex, SearchResult } from '../search/PaperIndex.js';
import { answerSegments, formatAuthors, toPaperView } from './paperView.js';

/** How to mark matched words: ANSI bold on a terminal, **markdown** when piped. */
export interface TerminalStyle {
  color: boolean;
}

/** `paperbot ask` and `paperbot paper` as text. */
export function renderResult(result: SearchResult, paperCount: number, style: TerminalStyle): string {
  if (result.hits.length === 0) {
    return [
      `No paper in the corpus (${paperCount} papers) really matches "${result.query}".`,
      'Try other words, or look a paper up by title: paperbot paper "<title>"',
    ].join('\n');
  }
  const bold = (s: string) => (style.color ? `\x1b[1m${s}\x1b[22m` : s);
  const mark = (s: string) => (style.color ? `\x1b[1;33m${s}\x1b[22;39m` : `**${s}**`);
  const dim = (s: string) => (style.color ? `\x1b[2m${s}\x1b[22m` : s);
  const lines: string[] = [];
  if (result.via === 'fallback') {
    lines.push(dim(`No title matches "${result.query}"; these papers mention it:`), '');
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
export function renderStats(stats: CorpusStats, index: PaperIndex): string {
  const { build } = index;
  const years = Object.entries(stats.years.counts)
    .map(([year, n]) => `${year}: ${n}`)
    .join(', ');
  return [
    `Corpus      ${index.corpus.dir} (${index.corpus.files.join(', ')})`,
    `Papers      ${stats.papers}`,
    `Years       ${stats.years.min}–${stats.years.max} (${years})`,
    `Categories  ${stats.topCategories.map((c) => `${c.category} ${c.papers}`).join(', ') || 'none recorded'}`,
    `Newest      ${stats.newest.title} (${stats.newest.id}, ${stats.newest.year})`,
    `Index       ${stats.engine}, ${stats.terms.toLocaleString('en')} terms, ${formatBytes(build.bytes)} at ${build.file}`,
    `Built       ${build.builtAt.toISOString()} (${build.reused ? 'loaded from disk' : 'built now'} in ${Math.round(build.elapsedMs)} ms)`,
  ].join('\n');
}

/** `paperbot eval` as text. */
export function renderEval(report: EvalReport, dir: string): string {
  return [
    `BEIR ${dir}: ${report.docs.toLocaleString('en')} documents, ${report.queries} judged queries`,
    `nDCG@10     ${report['ndcg@10'].toFixed(4)}`,
    `Recall@100  ${report['recall@100'].toFixed(4)}`,
    `Speed       ${report.qps} queries/s (one thread, 1,000 results each); index built in ${report.buildMs} ms`,
  ].join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes === 0) return 'not saved';
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
