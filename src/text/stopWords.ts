import { createRequire } from 'node:module';

// wink-nlp-utils' English list, the one wink's own BM25 examples use, plus the
// modal verbs it lacks: "How can diffusion models run on a phone?" is about
// diffusion, models and phones, not about "can" (SciFact: no change, ±0.001).
// Its contractions ("don't") never match a word of ours: apostrophes split words.
const require = createRequire(import.meta.url);
const words: string[] = require('wink-nlp-utils/src/dictionaries/stop_words.json');
const MODAL_VERBS = ['can', 'cannot', 'may', 'might', 'must', 'shall', 'will'];

/** English stop words, lower case. */
export const STOP_WORDS: ReadonlySet<string> = new Set([...words, ...MODAL_VERBS]);
