import { describe, expect, it } from 'vitest';
import { extractAnswer } from '../../src/search/answer.js';
import { queryTerms } from '../../src/search/documents.js';
import { normalizeText } from '../../src/text/normalize.js';
import { seedPapers } from '../support/corpus.js';

const abstractOf = (id: string) => normalizeText(seedPapers().find((p) => p.id === id)!.abstract);
const marked = (answer: { text: string; highlights: { start: number; end: number }[] }) =>
  answer.highlights.map((h) => answer.text.slice(h.start, h.end));
const flatIdf = () => 1;

describe('extractAnswer', () => {
  it('GIVEN a question THEN returns the sentence that answers it, with the matched words marked', () => {
    const answer = extractAnswer(abstractOf('2306.00980'), queryTerms('diffusion models on mobile devices in seconds'), flatIdf);
    expect(answer.text).toBe(
      'To overcome these challenges, we present a generic approach that, for the first time, unlocks running text-to-image diffusion models on mobile devices in less than 2 seconds.',
    );
    expect(marked(answer)).toEqual(['diffusion', 'models', 'mobile', 'devices', 'seconds']);
  });

  it('GIVEN words spread over two sentences THEN adds the second, in abstract order', () => {
    const answer = extractAnswer(abstractOf('2212.08059'), queryTerms('EfficientFormerV2 ImageNet accuracy, fine-grained joint search'), flatIdf);
    expect(answer.text).toMatch(/^We further introduce a novel fine-grained joint search strategy .* The proposed models, EfficientFormerV2, achieve 3\.5% higher top-1 accuracy/);
    expect(marked(answer)).toEqual(expect.arrayContaining(['fine-grained', 'joint', 'search', 'EfficientFormerV2', 'accuracy', 'ImageNet']));
  });

  it('GIVEN rare and common words THEN weighs the rare ones more', () => {
    const idf = (t: string) => (t === 'distil' ? 5 : 0.1);
    const answer = extractAnswer(abstractOf('2306.00980'), queryTerms('distillation model'), idf, { maxSentences: 1, maxLength: 500 });
    expect(answer.text).toMatch(/distillation/);
  });

  it('GIVEN no question word in the abstract THEN returns its first sentence, unmarked', () => {
    const answer = extractAnswer(abstractOf('2306.00980'), queryTerms('snapfusion'), flatIdf);
    expect(answer.text).toMatch(/^Text-to-image diffusion models can create stunning images/);
    expect(answer.highlights).toEqual([]);
  });

  it('GIVEN a compound in the question THEN marks the whole compound once', () => {
    const answer = extractAnswer(abstractOf('2306.00980'), queryTerms('text-to-image'), flatIdf, { maxSentences: 1, maxLength: 500 });
    expect(marked(answer)[0]).toMatch(/^text-to-image$/i);
    expect(answer.highlights.every((h, i, all) => i === 0 || h.start >= all[i - 1]!.end)).toBe(true);
  });

  it('GIVEN an answer longer than the limit THEN clips it around the first match at word boundaries', () => {
    const answer = extractAnswer(abstractOf('2211.12005'), queryTerms('CIFAR-10 ResNet18 accuracy'), flatIdf, { maxSentences: 1, maxLength: 120 });
    expect(answer.text.length).toBeLessThanOrEqual(120);
    expect(answer.text).toMatch(/^….*…$/);
    expect(marked(answer)).toContain('ResNet18');
    for (const h of answer.highlights) expect(answer.text.slice(h.start, h.end)).toMatch(/^[\w-]+$/);
  });
});
