import type { Paper } from '../corpus/paper.js';
import type { QueryTerm } from '../search/Retriever.js';
import type { PaperSearch, TopicFeedback } from '../search/PaperSearch.js';
import { questionQuery } from '../search/documents.js';

/** How votes retune a topic (Rocchio relevance feedback in term space). Defaults measured with `npm run bench:feedback`. */
export interface FeedbackOptions {
  /** Weight of the liked papers' centroid. @default 0.75 */
  beta: number;
  /** Weight of the disliked papers' centroid. @default 0.25 */
  gamma: number;
  /** Learned terms kept on each side, the heaviest. @default 10 */
  terms: number;
  /** Each learned side's idf mass as a share of the topic's own: the learned terms never outweigh the topic. @default 1 */
  maxShare: number;
  /** Votes at which learning is at full strength; fewer votes count in proportion, so the change is gradual. @default 10 */
  fullStrengthVotes: number;
  /** Papers of a side that must hold a term for it to be learned (fewer when the side has fewer): one paper's quirks are not a taste. @default 2 */
  support: number;
  /**
   * The most a learned category moves a paper's score, as a share of the
   * topic's idf mass (about a full match's score); 0 learns no categories. @default 0.3
   */
  categoryShare: number;
}

export const FEEDBACK_DEFAULTS: FeedbackOptions = { beta: 0.75, gamma: 0.25, terms: 10, maxShare: 1, fullStrengthVotes: 10, support: 2, categoryShare: 0.3 };

/** One paper's votes in one digest: the sum of its 👍 (+1) and 👎 (−1). */
export interface PaperVotes {
  paperId: string;
  net: number;
}

/** A learned term: positive weights are added to the query, negative ones lower a paper's score. */
export interface LearnedTerm {
  term: string;
  weight: number;
}

/** What the votes taught: the feedback for the search, the terms and categories for /digest tune, and how many votes counted. */
export interface LearnedTopic {
  feedback: TopicFeedback;
  terms: LearnedTerm[];
  /** arXiv categories liked (+) or disliked (−), weighted from −1 to 1 at full strength. */
  categories: { category: string; weight: number }[];
  votes: number;
}

/**
 * Rocchio over the voted papers: each paper is its most telling terms
 * (count × idf, unit length); the liked papers' mean times beta, less the
 * disliked papers' mean times gamma, gives each term's weight. The topic's
 * own terms are left out (they already weigh 1), the heaviest `terms` are
 * kept each way (held by `support` papers of their side), and each side is
 * scaled so its idf mass is `maxShare` of the topic's, times the share of
 * `fullStrengthVotes` cast: bounded by the topic, and gradual.
 */
export function learnTopic(search: PaperSearch, topic: string, votes: readonly PaperVotes[], options: FeedbackOptions = FEEDBACK_DEFAULTS): LearnedTopic {
  const counted = votes.filter((v) => v.net !== 0);
  const cast = counted.reduce((sum, v) => sum + Math.abs(v.net), 0);
  const own = new Set(topic === '' ? [] : questionQuery(topic, (t) => search.retriever.termWeight(t)).query.map((q) => q.term));
  const liked = new Map<string, number>();
  const disliked = new Map<string, number>();
  const likedBy = new Map<string, number>();
  const dislikedBy = new Map<string, number>();
  let likedPapers = 0;
  let dislikedPapers = 0;
  const categoryVotes = new Map<string, { liked: number; disliked: number }>();
  for (const vote of counted) {
    const paper = search.paper(vote.paperId);
    if (paper === undefined) continue;
    const [into, holders] = vote.net > 0 ? [liked, likedBy] : [disliked, dislikedBy];
    if (vote.net > 0) likedPapers++;
    else dislikedPapers++;
    for (const category of paper.categories) {
      const tally = categoryVotes.get(category) ?? { liked: 0, disliked: 0 };
      if (vote.net > 0) tally.liked += 1 / paper.categories.length;
      else tally.disliked += 1 / paper.categories.length;
      categoryVotes.set(category, tally);
    }
    for (const [term, weight] of unitVector(search, paper)) {
      into.set(term, (into.get(term) ?? 0) + weight);
      holders.set(term, (holders.get(term) ?? 0) + 1);
    }
  }
  const supported = (holders: Map<string, number>, papers: number) => (term: string) => (holders.get(term) ?? 0) >= Math.min(options.support, papers);
  const weights = new Map<string, number>();
  const likedEnough = supported(likedBy, likedPapers);
  const dislikedEnough = supported(dislikedBy, dislikedPapers);
  for (const [term, sum] of liked) if (likedEnough(term)) weights.set(term, (options.beta * sum) / likedPapers);
  for (const [term, sum] of disliked) if (dislikedEnough(term)) weights.set(term, (weights.get(term) ?? 0) - (options.gamma * sum) / dislikedPapers);
  const learned = [...weights].filter(([term, w]) => !own.has(term) && w !== 0).map(([term, weight]) => ({ term, weight }));
  const heaviest = (side: LearnedTerm[]) => side.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.term < b.term ? -1 : 1)).slice(0, options.terms);
  const boost = heaviest(learned.filter((t) => t.weight > 0));
  const penalty = heaviest(learned.filter((t) => t.weight < 0));

  // Bounded and gradual: the boost's idf mass against the topic's, scaled by how many votes there are.
  const idf = (t: string) => search.retriever.termWeight(t);
  const topicMass = [...own].reduce((sum, t) => sum + (idf(t) || search.retriever.maxTermWeight), 0) || search.retriever.maxTermWeight;
  const boostMass = boost.reduce((sum, t) => sum + t.weight * idf(t.term), 0);
  const strength = Math.min(1, cast / options.fullStrengthVotes);
  // Rocchio's weights are relative: the side is scaled to its bound, so votes matter as soon as they agree.
  const scale = boostMass === 0 ? 0 : ((options.maxShare * topicMass) / boostMass) * strength;
  const penaltyMass = penalty.reduce((sum, t) => sum - t.weight * idf(t.term), 0);
  const penaltyScale = penaltyMass === 0 ? 0 : ((options.maxShare * topicMass) / penaltyMass) * strength;
  const round = (w: number) => Math.round(w * 1000) / 1000;
  const boosted = boost.map((t) => ({ term: t.term, weight: round(t.weight * scale) })).filter((t) => t.weight > 0);
  const lowered = penalty.map((t) => ({ term: t.term, weight: round(t.weight * penaltyScale) })).filter((t) => t.weight < 0);
  const asQuery = (terms: LearnedTerm[]): QueryTerm[] => terms.map((t) => ({ term: t.term, weight: Math.abs(t.weight) }));
  // Categories the same way: the liked papers' share less the disliked's, each paper's categories splitting its one vote.
  const categoryWeights = [...categoryVotes]
    .map(([category, t]) => ({ category, raw: (likedPapers === 0 ? 0 : (options.beta * t.liked) / likedPapers) - (dislikedPapers === 0 ? 0 : (options.gamma * t.disliked) / dislikedPapers) }))
    .filter((c) => c.raw !== 0);
  const strongest = Math.max(0, ...categoryWeights.map((c) => Math.abs(c.raw)));
  const categories = categoryWeights
    .map((c) => ({ category: c.category, weight: round((c.raw / strongest) * strength) }))
    .filter((c) => c.weight !== 0)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.category < b.category ? -1 : 1))
    .slice(0, options.terms);
  const inScore = options.categoryShare * topicMass;
  return {
    feedback: { boost: asQuery(boosted), penalty: asQuery(lowered), categories: inScore === 0 ? [] : categories.map((c) => ({ category: c.category, weight: c.weight * inScore })) },
    terms: [...boosted, ...lowered],
    categories: options.categoryShare === 0 ? [] : categories,
    votes: cast,
  };
}

/** A paper's telling terms as a vector of unit length (count × idf). */
function unitVector(search: PaperSearch, paper: Paper): [string, number][] {
  const telling = search.tellingTerms(paper);
  const norm = Math.sqrt(telling.reduce((sum, t) => sum + t.score * t.score, 0)) || 1;
  return telling.map((t) => [t.term, t.score / norm]);
}
