import { describe, it, expect } from 'vitest';
import { extractNames } from '../../src/text/names.js';
import { seedPapers } from '../support/seeds.js';

const seeds = seedPapers();

/** The abstract of the seed whose title starts with `start`. */
function abstractOf(start: string): string {
  const found = seeds.find((s) => s.title.startsWith(start));
  if (found === undefined) throw new Error(`no seed title starts with ${start}`);
  return found.abstract;
}

describe('extractNames', () => {
  it('picks out method names, acronyms and versioned names', () => {
    const names = (start: string) => extractNames(abstractOf(start));
    expect(names('Rethinking')).toContain('EfficientFormerV2');
    expect(names('SupeRBNN')).toEqual(expect.arrayContaining(['SupeRBNN', 'AQFP']));
    expect(names('DeepMAD')).toContain('DeepMAD');
    expect(names('DualHSIC')).toContain('DualHSIC');
    expect(names('Advancing')).toContain('BiP');
  });

  it('unwraps LaTeX and skips ordinary words, numbers and phrases', () => {
    const names = extractNames(
      'However, we propose \\textbf{MuE}. The MuE model beats CNNs and GPT-4 by 10x on the 2nd try, top-1 accuracy. In Phase II we use ResNet50.',
    );
    expect(names).toEqual(['MuE', 'CNN', 'GPT-4', 'ResNet50']);
  });

  it('caps the number of names', () => {
    const many = Array.from({ length: 40 }, (_, i) => `Net${i}X`).join(' ');
    expect(extractNames(many)).toHaveLength(20);
    expect(extractNames(many, 5)).toEqual(['Net0X', 'Net1X', 'Net2X', 'Net3X', 'Net4X']);
  });
});
