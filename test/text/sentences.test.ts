import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/text/sentences.js';

const texts = (s: string) => splitSentences(s).map((x) => x.text);

describe('splitSentences', () => {
  it('GIVEN decimals, versions and percentages THEN does not split inside them', () => {
    expect(texts('Better than Stable Diffusion v1.5 with 50 steps. It reduces time by 50%. Accuracy is 94.56% here.')).toEqual([
      'Better than Stable Diffusion v1.5 with 50 steps.',
      'It reduces time by 50%.',
      'Accuracy is 94.56% here.',
    ]);
  });

  it('GIVEN abbreviations and initials THEN does not split after them', () => {
    expect(texts('Models, e.g. ResNet, work. As Smith et al. Show, J. Doe agrees. Fig. 2 shows it.')).toEqual([
      'Models, e.g. ResNet, work.',
      'As Smith et al. Show, J. Doe agrees.',
      'Fig. 2 shows it.',
    ]);
  });

  it('GIVEN a lower-case word after a full stop THEN keeps one sentence', () => {
    expect(texts('Compared with ca. three baselines. Done!')).toEqual(['Compared with ca. three baselines.', 'Done!']);
  });

  it('GIVEN question marks, quotes and a trailing URL THEN splits and keeps offsets', () => {
    const text = 'Can it run? "Yes." Code is at https://github.com/x/y.';
    const sentences = splitSentences(text);
    expect(sentences.map((s) => s.text)).toEqual(['Can it run?', '"Yes."', 'Code is at https://github.com/x/y.']);
    for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
  });
});
