import { describe, expect, it } from 'vitest';
import { ANALYZER_VERSION, Analyzer, nameTerms } from '../../src/text/analyzer.js';

const analyzer = new Analyzer();

describe('Analyzer.terms', () => {
  it('GIVEN English text THEN folds case, drops stop words and one-letter words, and stems', () => {
    expect(analyzer.terms('The Models are RUNNING on a Mobile phone')).toEqual(['model', 'run', 'mobil', 'phone']);
  });

  it('GIVEN a hyphenated compound THEN gives its parts and the compound written solid', () => {
    expect(analyzer.terms('bi-level text-to-image')).toEqual(['bi', 'level', 'bilevel', 'text', 'imag', 'texttoimag']);
    expect(analyzer.terms('bilevel')).toEqual(['bilevel']);
  });

  it('GIVEN accents and Greek letters THEN folds accents and spells the letters out', () => {
    expect(analyzer.terms('Gödel TNF-α')).toEqual(['godel', 'tnf', 'alpha', 'tnfalpha']);
    expect(analyzer.terms('TNF-alpha')).toEqual(['tnf', 'alpha', 'tnfalpha']);
  });

  it('GIVEN British -isation THEN meets the American spelling', () => {
    expect(analyzer.terms('optimisation')).toEqual(analyzer.terms('optimization'));
  });

  it('GIVEN digits THEN keeps numbers, even single digits', () => {
    expect(analyzer.terms('8 steps v1.5 ResNet18')).toEqual(['8', 'step', 'v1', '5', 'resnet18']);
  });

  it('GIVEN only stop words or punctuation THEN gives nothing', () => {
    expect(analyzer.terms('what is the ... ?!')).toEqual([]);
  });
});

describe('Analyzer.spans', () => {
  it('GIVEN text THEN each term carries the offsets of its word', () => {
    const text = 'Fast ViTs run';
    const spans = analyzer.spans(text);
    expect(spans.map((s) => [s.term, text.slice(s.start, s.end)])).toEqual([
      ['fast', 'Fast'],
      ['vit', 'ViTs'],
      ['run', 'run'],
    ]);
  });
});

describe('Analyzer.queryTerms', () => {
  it('GIVEN a repeated word THEN counts it once', () => {
    expect(analyzer.queryTerms('pruning pruning prune')).toEqual(['prune']);
  });
});

describe('ANALYZER_VERSION', () => {
  // Persisted indexes are rebuilt only when this version changes. If this
  // test fails, the analyser's output changed: bump ANALYZER_VERSION and
  // record the new output here.
  it('GIVEN the pinned sample THEN its analysis is the one recorded for this version', () => {
    const sample =
      'SnapFusion: Text-to-Image Diffusion on Mobile Devices within $2$ seconds; état-of-the-art β-VAE optimisation (e.g. 50%).';
    const authors = 'Yanyue Xie, Kaiming He, Jean-Pierre Lê, J. R. R. Tolkien';
    expect({ version: ANALYZER_VERSION, terms: analyzer.terms(sample), names: nameTerms(authors) }).toEqual({
      version: 3,
      terms: [
        'snapfus', 'text', 'imag', 'texttoimag', 'diffus', 'mobil', 'devic', 'within', '2', 'second', 'etat',
        'art', 'etatoftheart', 'beta', 'vae', 'betava', 'optim', '50',
      ],
      // Author names: unstemmed, stop words kept ("he"), initials dropped.
      names: ['@yanyue', '@xie', '@kaiming', '@he', '@jean', '@pierre', '@jeanpierre', '@le', '@tolkien'],
    });
  });
});
