import { createRequire } from 'node:module';

// wink-nlp-utils' English list, the one wink's own BM25 examples use. Its
// contractions ("don't") never match a word of ours, since apostrophes split words.
const require = createRequire(import.meta.url);
const words: string[] = require('wink-nlp-utils/src/dictionaries/stop_words.json');

/** English stop words, lower case. */
export const STOP_WORDS: ReadonlySet<string> = new Set(words);
