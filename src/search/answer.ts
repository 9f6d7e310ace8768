import { analyzer } from '../text/analyzer.js';
import { splitSentences, type Sentence } from '../text/sentences.js';

/** The part of an abstract that answers a question, and the words to mark in it. */
export interface Answer {
  text: string;
  /** Non-overlapping [start, end) offsets into `text` of words matching the question, in order. */
  highlights: { start: number; end: number }[];
}

/** Answer extraction settings. */
export interface AnswerOptions {
  /** At most this many sentences. @default 2 */
  maxSentences: number;
  /** Answers longer than this many characters are clipped around their first match. @default 500 */
  maxLength: number;
}

export const defaultAnswerOptions: AnswerOptions = { maxSentences: 2, maxLength: 500 };

// BM25 over the abstract's sentences, so a sentence is rewarded for rare
// question words and not for merely being long.
const K1 = 1.2;
const B = 0.75;
// Abstracts open with background ("models are large and slow") and then state
// what the paper does ("we present…"); a question put to a paper is usually
// answered by the latter, so such sentences win close calls.
const CONTRIBUTION = /\b(?:we|our|this (?:paper|work|study))\b/i;
const CONTRIBUTION_BOOST = 1.2;

/**
 * The one or two sentences of `abstract` (display-normalised) that best answer
 * a question of `terms`, weighting each term by `idf`. A second sentence is
 * added only when it brings a question word the first lacks. When no sentence
 * holds a question word, the abstract's first sentence, which usually states
 * the paper's point, is returned unmarked.
 */
export function extractAnswer(
  abstract: string,
  terms: readonly string[],
  idf: (term: string) => number,
  options: AnswerOptions = defaultAnswerOptions,
): Answer {
  const wanted = new Set(terms);
  // Scoring needs each sentence's terms counted, not where they sit: where is cut for the one or two chosen.
  const sentences = splitSentences(abstract).map((sentence) => {
    const tf = new Map<string, number>();
    let length = 0;
    analyzer.forEachTerm(sentence.text, (term) => {
      length++;
      if (wanted.has(term)) tf.set(term, (tf.get(term) ?? 0) + 1);
    });
    return { sentence, length, tf };
  });
  if (sentences.length === 0) return { text: '', highlights: [] };
  const avgLength = sentences.reduce((sum, s) => sum + s.length, 0) / sentences.length || 1;
  const scored = sentences.map((s, index) => {
    const norm = 1 - B + (B * s.length) / avgLength;
    let score = 0;
    for (const [term, f] of s.tf) score += (idf(term) * f * (K1 + 1)) / (f + K1 * norm);
    if (CONTRIBUTION.test(s.sentence.text)) score *= CONTRIBUTION_BOOST;
    return { ...s, index, score };
  });

  const best = scored.reduce((a, b) => (b.score > a.score ? b : a));
  if (best.score === 0) return clip(markup(sentences[0]!, wanted, false), options.maxLength);

  const chosen = [best];
  while (chosen.length < options.maxSentences) {
    const covered = new Set(chosen.flatMap((c) => [...c.tf.keys()]));
    const next = scored
      .filter((s) => !chosen.includes(s) && [...s.tf.keys()].some((t) => !covered.has(t)))
      .reduce<(typeof scored)[number] | null>((a, b) => (a === null || b.score > a.score ? b : a), null);
    if (next === null) break;
    chosen.push(next);
  }
  chosen.sort((a, b) => a.index - b.index);
  const parts = chosen.map((c) => markup(c, wanted, true));
  const joined = parts.reduce((acc, part) => {
    const shift = acc.text.length + 1;
    return {
      text: `${acc.text} ${part.text}`,
      highlights: [...acc.highlights, ...part.highlights.map((h) => ({ start: h.start + shift, end: h.end + shift }))],
    };
  });
  // Two sentences that together run too long give way to the best one alone.
  if (joined.text.length > options.maxLength && chosen.length > 1) {
    return clip(markup(best, wanted, true), options.maxLength);
  }
  return clip(joined, options.maxLength);
}

/** A sentence as an answer, its words matching the question marked. */
function markup({ sentence }: { sentence: Sentence }, wanted: ReadonlySet<string>, mark: boolean): Answer {
  const { text } = sentence;
  if (!mark) return { text, highlights: [] };
  const spans = analyzer
    .spans(text)
    .filter((s) => wanted.has(s.term))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  // A compound and its parts overlap ("text-to-image", "image"): keep their union.
  const highlights: Answer['highlights'] = [];
  for (const { start, end } of spans) {
    const last = highlights.at(-1);
    if (last !== undefined && start <= last.end) last.end = Math.max(last.end, end);
    else highlights.push({ start, end });
  }
  return { text, highlights };
}

/** Cut an over-long answer to a window around its first match, at word boundaries. */
function clip(answer: Answer, maxLength: number): Answer {
  const { text, highlights } = answer;
  if (text.length <= maxLength) return answer;
  const anchor = highlights[0]?.start ?? 0;
  let from = Math.max(0, Math.min(anchor - Math.floor(maxLength / 4), text.length - maxLength));
  if (from > 0) from = text.indexOf(' ', from) + 1 || from;
  let to = Math.min(text.length, from + maxLength - 2);
  if (to < text.length) to = text.lastIndexOf(' ', to) > from ? text.lastIndexOf(' ', to) : to;
  const lead = from > 0 ? '…' : '';
  const clipped = `${lead}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
  const shift = lead.length - from;
  return {
    text: clipped,
    highlights: highlights
      .filter((h) => h.start >= from && h.end <= to)
      .map((h) => ({ start: h.start + shift, end: h.end + shift })),
  };
}
