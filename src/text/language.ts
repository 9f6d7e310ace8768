import { STOP_WORDS } from './stopWords.js';

// Function words of the languages a reading group is likeliest to ask in,
// that are not English words too ("die", "come", "con", "per", "en" are left
// out). A detector was tried first: franc-min 6.2 calls "vision transformers"
// and "hyperparameter optimization for deep reinforcement learning agents"
// French, and tinyld 1.3 calls "superconducting binary neural network"
// Italian: on questions of a few technical words, n-gram detectors guess.
const FOREIGN_FUNCTION_WORDS: ReadonlySet<string> = new Set([
  // French
  'le', 'la', 'les', 'de', 'des', 'du', 'un', 'une', 'et', 'est', 'sur', 'dans', 'pour', 'avec', 'comment', 'quel', 'quelle', 'quels', 'sont', 'qui', 'que', 'pourquoi', 'peut', 'faire', 'aux', 'ces', 'leur',
  // German
  'der', 'das', 'und', 'ist', 'wie', 'ein', 'eine', 'einem', 'einen', 'auf', 'mit', 'für', 'nicht', 'kann', 'man', 'welche', 'welcher', 'warum', 'oder', 'sind', 'zum', 'zur', 'dem', 'den', 'wird',
  // Spanish, Portuguese, Italian
  'el', 'los', 'las', 'del', 'cómo', 'qué', 'para', 'por', 'una', 'uno', 'sobre', 'puede', 'cuál', 'il', 'gli', 'di', 'su', 'che', 'nel', 'della', 'delle', 'sono', 'não', 'um', 'uma', 'com', 'como', 'qual', 'dos', 'das',
  // Dutch
  'het', 'een', 'van', 'hoe', 'voor', 'niet', 'wat', 'zijn', 'welke',
]);

/** What a question that looks written in another language is told. */
export const ENGLISH_HINT = "The papers' abstracts are in English: a question in English finds more.";

/**
 * Does `text` look written in another language than English? Mostly letters
 * of another script (Chinese, Cyrillic, Arabic, …), or two function words of
 * French, German, Spanish, Italian, Portuguese or Dutch, more than twice the
 * English stop words. Used for a hint only, so it errs towards English.
 */
export function looksNonEnglish(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return false;
  const latin = letters.filter((c) => /\p{Script=Latin}/u.test(c)).length;
  if (latin / letters.length < 0.5) return true;
  // "et al." names co-authors in any language.
  const words = text.toLowerCase().replace(/\bet al\b/g, ' ').match(/\p{L}+/gu) ?? [];
  const foreign = words.filter((w) => FOREIGN_FUNCTION_WORDS.has(w)).length;
  const english = words.filter((w) => STOP_WORDS.has(w)).length;
  return foreign >= 2 && foreign > 2 * english;
}
