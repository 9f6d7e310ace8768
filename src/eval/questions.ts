import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import type { SearchResult } from '../search/PaperSearch.js';

/** One question and the paper that should answer it. */
export interface EvalQuestion {
  question: string;
  /** Canonical arXiv id of the expected paper. */
  id: string;
  /** A group to report apart ("natural", "paraphrase"); "" when the file gives none. */
  label: string;
}

/** Quality figures of one set of questions. */
export interface QuestionScores {
  questions: number;
  /** Share whose expected paper came first. */
  top1: number;
  /** Share whose expected paper was among the first 10. */
  top10: number;
  /** Mean of 1/rank over the first 10 (0 when absent). */
  mrr10: number;
  /** Questions that got no answer at all. */
  empty: number;
}

/** `paperbot eval --questions`: the scores in total and per label, and search latency. */
export interface QuestionReport extends QuestionScores {
  p50Ms: number;
  p99Ms: number;
  byLabel: Record<string, QuestionScores>;
}

const ARXIV_ID = /^(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?\/\d{7})$/;

/**
 * Read a questions file: one `question<TAB>arxiv id[<TAB>label]` a line;
 * blank lines and lines starting with `#` are skipped. A malformed line is
 * a UserError naming file and line.
 */
export function loadQuestions(path: string): EvalQuestion[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError('benchmark_invalid', `cannot read the questions file ${path}`);
  }
  const questions: EvalQuestion[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const [question, id, label, ...rest] = line.split('\t');
    const where = `${path}:${i + 1}`;
    if (question === undefined || question.trim() === '' || id === undefined) {
      throw new UserError('benchmark_invalid', `${where}: expected "question<TAB>arxiv id[<TAB>label]"`);
    }
    if (!ARXIV_ID.test(id.trim())) throw new UserError('benchmark_invalid', `${where}: "${id}" is not an arXiv id (without version)`);
    if (rest.length > 0) throw new UserError('benchmark_invalid', `${where}: more than three columns`);
    questions.push({ question: question.trim(), id: id.trim(), label: (label ?? '').trim() });
  });
  if (questions.length === 0) throw new UserError('benchmark_invalid', `${path} holds no questions`);
  return questions;
}

/**
 * Ask each question as `paperbot ask` does (10 results) and score where the
 * expected paper came. Latency is the search's own (answers included), per
 * question, after one warm-up question.
 */
export async function evaluateQuestions(ask: (question: string) => SearchResult | Promise<SearchResult>, questions: readonly EvalQuestion[]): Promise<QuestionReport> {
  await ask(questions[0]!.question);
  const ranks: { label: string; rank: number; empty: boolean }[] = [];
  const times: number[] = [];
  for (const q of questions) {
    const started = performance.now();
    const { hits } = await ask(q.question);
    times.push(performance.now() - started);
    ranks.push({ label: q.label, rank: hits.findIndex((h) => h.paper.id === q.id) + 1, empty: hits.length === 0 });
  }
  times.sort((a, b) => a - b);
  const byLabel: Record<string, QuestionScores> = {};
  for (const label of [...new Set(ranks.map((r) => r.label))].filter((l) => l !== '').sort()) {
    byLabel[label] = scores(ranks.filter((r) => r.label === label));
  }
  return { ...scores(ranks), p50Ms: round(quantile(times, 0.5), 2), p99Ms: round(quantile(times, 0.99), 2), byLabel };
}

function scores(ranks: readonly { rank: number; empty: boolean }[]): QuestionScores {
  const n = ranks.length;
  const share = (pick: (r: { rank: number }) => number) => round(ranks.reduce((sum, r) => sum + pick(r), 0) / n, 4);
  return {
    questions: n,
    top1: share((r) => (r.rank === 1 ? 1 : 0)),
    top10: share((r) => (r.rank >= 1 && r.rank <= 10 ? 1 : 0)),
    mrr10: share((r) => (r.rank >= 1 && r.rank <= 10 ? 1 / r.rank : 0)),
    empty: ranks.filter((r) => r.empty).length,
  };
}

/** The q-quantile of sorted values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
