import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/text/normalize.js';

describe('normalizeText', () => {
  it.each([
    ['hard wraps and runs of spaces', '  Quantum Limits in the Large\n  Connectivity Limit\n', 'Quantum Limits in the Large Connectivity Limit'],
    ['inline maths numbers', 'Stable Diffusion v$1.5$ with $50$ steps in $2$ seconds', 'Stable Diffusion v1.5 with 50 steps in 2 seconds'],
    ['text commands', 'namely \\textbf{MuE} and \\emph{\\textit{nested}}', 'namely MuE and nested'],
    ['escaped percent', 'up to 50\\% and 40\\%', 'up to 50% and 40%'],
    ['maths symbols', 'small $\\ell_\\infty=2/255$ perturbations', 'small ℓ∞=2/255 perturbations'],
    ['superscripts', '$O(n^{2})$ time', 'O(n^2) time'],
    ['TeX accents', "Bal\\'azs and G\\\"{o}del and {\\c{c}}a", 'Balázs and Gödel and ça'],
    ['TeX quotes', "logic `0' and `1'", 'logic ‘0’ and ‘1’'],
    ['an escaped dollar', 'costs \\$5', 'costs $5'],
  ])('GIVEN %s THEN gives readable text', (_, raw, expected) => {
    expect(normalizeText(raw)).toBe(expected);
  });

  it('GIVEN plain text THEN returns it unchanged', () => {
    const plain = 'Rethinking Vision Transformers for MobileNet Size and Speed';
    expect(normalizeText(plain)).toBe(plain);
  });
});
