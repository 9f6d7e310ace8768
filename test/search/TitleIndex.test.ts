import { describe, it, expect } from 'vitest';
import { extractNames, TitleIndex, type TitleEntry } from '../../src/search/TitleIndex.js';
import { seededRandom } from '../support/random.js';
import { seedPapers } from '../support/seeds.js';

const seeds = seedPapers();
const seedEntries: TitleEntry[] = seeds.map((s) => ({ title: s.title, aliases: extractNames(s.abstract) }));
const index = TitleIndex.build(seedEntries);

/** Position of the seed whose title starts with `start`. */
function seed(start: string): number {
  const i = seeds.findIndex((s) => s.title.startsWith(start));
  if (i < 0) throw new Error(`no seed title starts with ${start}`);
  return i;
}

function first(idx: TitleIndex, query: string): number | undefined {
  return idx.search(query, 25)[0]?.doc;
}

function expectSortedByScore(matches: readonly { score: number }[]): void {
  for (let i = 1; i < matches.length; i++) expect(matches[i]!.score).toBeLessThanOrEqual(matches[i - 1]!.score);
}

describe('TitleIndex on the seed corpus', () => {
  it('has the seed papers', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(10);
    expect(index.size).toBe(seeds.length);
  });

  it('finds every exact title, whatever the case and punctuation', () => {
    for (const [i, s] of seeds.entries()) {
      expect(first(index, s.title)).toBe(i);
      expect(first(index, s.title.toLowerCase().replace(/[:\-]/g, ' '))).toBe(i);
    }
    expect(first(index, 'snapfusion: text-to-image diffusion model on mobile devices within two seconds')).toBe(
      seed('SnapFusion'),
    );
  });

  it('ranks titles that start with the query above those that merely hold its words', () => {
    // Same words, so only the whole-title bonus can put the longer one first.
    const idx = TitleIndex.build([{ title: 'Networks: Graph Neural' }, { title: 'Graph Neural Networks Again' }]);
    expect(idx.search('graph neural networks', 2).map((m) => m.doc)).toEqual([1, 0]);
    expect(idx.search('graph neural netw', 2).map((m) => m.doc)).toEqual([1, 0]);
  });

  it('ranks the exact title above a title it is a prefix of', () => {
    const idx = TitleIndex.build([{ title: 'Graph Neural Networks Revisited Again' }, { title: 'Graph Neural Networks' }]);
    expect(idx.search('graph neural networks', 2).map((m) => m.doc)).toEqual([1, 0]);
  });

  it('finds a title from its first words', () => {
    expect(first(index, 'Rethinking Vision Transformers for')).toBe(seed('Rethinking'));
    expect(first(index, 'you need multiple exiting')).toBe(seed('You Need'));
  });

  it('completes a half-typed last word anywhere in the title', () => {
    expect(first(index, 'vision transformers lott')).toBe(seed('Data Level'));
    const idx = TitleIndex.build([{ title: 'On the Pricing of Tickets' }, { title: 'On the Hypothesis of Tickets' }]);
    expect(first(idx, 'tickets hyp')).toBe(1);
    expect(first(idx, 'tickets pri')).toBe(0);
  });

  it('completes a half-typed last word', () => {
    expect(first(index, 'Rethinking Vision Trans')).toBe(seed('Rethinking'));
    expect(first(index, 'snapf')).toBe(seed('SnapFusion'));
    // A lone letter: the three titles starting with S come first, in some order.
    const s = index.search('S', 3);
    expect(s).toHaveLength(3);
    for (const m of s) expect(seeds[m.doc]!.title).toMatch(/^S/);
    expect(first(index, 'Su')).toBe(seed('SupeRBNN'));
    expect(first(index, 'Data Level Lottery Ticket Hypo')).toBe(seed('Data Level'));
    expect(first(index, 'self-ensemble prot')).toBe(seed('Self-Ensemble'));
  });

  it('finds a subset of title words in any order', () => {
    expect(first(index, 'lottery ticket vision transformers')).toBe(seed('Data Level'));
    expect(first(index, 'continual learning hsic')).toBe(seed('DualHSIC'));
    expect(first(index, 'josephson superconductor binary')).toBe(seed('SupeRBNN'));
    expect(first(index, 'checkpoints protection')).toBe(seed('Self-Ensemble'));
  });

  it('forgives typos, spelling variants and solid hyphenated words', () => {
    expect(first(index, 'Advancing Model Prunning via Bilevel Optimisation')).toBe(seed('Advancing'));
    expect(first(index, 'bilevel pruning')).toBe(seed('Advancing'));
    expect(index.search('bilevel', 25).map((m) => m.doc)).toEqual([seed('Advancing')]);
    expect(first(index, 'bi-level')).toBe(seed('Advancing'));
    expect(first(index, 'snapfuison')).toBe(seed('SnapFusion'));
    expect(first(index, 'mathematical architecure design')).toBe(seed('DeepMAD'));
    expect(first(index, 'vision transformer lottery')).toBe(seed('Data Level'));
  });

  it('reads a typo as the nearer word, not the rarer one', () => {
    // "neurnlations" is one edit from the common "neuralations", two from the
    // rare "neuralation": the nearer word must win despite its lower idf.
    const entries: TitleEntry[] = [{ title: 'Neuralation Study' }];
    for (let i = 0; i < 30; i++) entries.push({ title: `Neuralations Study ${i}` });
    for (let i = 0; i < 69; i++) entries.push({ title: `Filler Words ${i}` });
    const idx = TitleIndex.build(entries);
    const matches = idx.search('neurnlations study', 40);
    expect(matches[0]!.doc).not.toBe(0);
    expect(matches.map((m) => m.doc)).toContain(0);
  });

  it('finds single names', () => {
    expect(first(index, 'snapfusion')).toBe(seed('SnapFusion'));
    expect(first(index, 'DeepMAD')).toBe(seed('DeepMAD'));
    expect(first(index, 'dualhsic')).toBe(seed('DualHSIC'));
  });

  it('finds a paper by an alias that is not in its title', () => {
    const i = seed('Rethinking');
    expect(seeds[i]!.title).not.toContain('EfficientFormerV2');
    expect(seedEntries[i]!.aliases).toContain('EfficientFormerV2');
    expect(index.search('EfficientFormerV2', 25).map((m) => m.doc)).toEqual([i]);
    expect(first(index, 'MuE')).toBe(seed('You Need'));
  });

  it('weighs an alias below a title word', () => {
    const idx = TitleIndex.build([{ title: 'Another Paper', aliases: ['MuE'] }, { title: 'Faster MuE Inference' }]);
    const matches = idx.search('mue', 5);
    expect(matches.map((m) => m.doc)).toEqual([1, 0]);
    expect(matches[0]!.score).toBeGreaterThan(matches[1]!.score);
  });

  it('prefers a title with two common query words to one with a single rare one', () => {
    // idf alone would pick "Zebra Stripes" (its word is in one title, the
    // others in six each); matching two of three query words should win.
    const entries: TitleEntry[] = [{ title: 'Zebra Stripes' }];
    for (let i = 0; i < 6; i++) entries.push({ title: `Learning Networks Volume ${i}` });
    for (let i = 0; i < 13; i++) entries.push({ title: `Unrelated Filler ${i}` });
    const idx = TitleIndex.build(entries);
    const matches = idx.search('zebra learning networks', 25);
    expect(matches[0]!.doc).not.toBe(0);
    expect(matches.map((m) => m.doc)).toContain(0);
  });

  it('prefers titles that match more of the query words', () => {
    const idx = TitleIndex.build([
      { title: 'Sparse Attention for Graphs' },
      { title: 'Sparse Graph Attention Networks' },
      { title: 'Dense Networks' },
    ]);
    expect(idx.search('networks attention sparse', 3).map((m) => m.doc)).toEqual([1, 0, 2]);
  });

  it('returns nothing for nonsense, blank queries and stop words only', () => {
    expect(index.search('zzqx blorf', 25)).toEqual([]);
    expect(index.search('', 25)).toEqual([]);
    expect(index.search('   ', 25)).toEqual([]);
    expect(index.search(' :- ?! ', 25)).toEqual([]);
    expect(index.search('for the of', 25)).toEqual([]);
    expect(index.search('vision', 0)).toEqual([]);
  });

  it('respects the limit and sorts by score', () => {
    const all = index.search('vision model network learning', 25);
    expect(all.length).toBeGreaterThan(3);
    expect(all.length).toBeLessThanOrEqual(25);
    expectSortedByScore(all);
    const two = index.search('vision model network learning', 2);
    expect(two).toEqual(all.slice(0, 2));
  });

  it('breaks ties by shorter title, then by position', () => {
    // No title starts with the query, so no prefix bonus separates them.
    const idx = TitleIndex.build([
      { title: 'Learning Robust Kernels for Graphs' },
      { title: 'On Robust Kernels' },
      { title: 'On Robust Kernels!' },
    ]);
    const matches = idx.search('kernels robust', 3);
    expect(matches.map((m) => m.doc)).toEqual([1, 2, 0]);
    expect(matches[0]!.score).toBe(matches[1]!.score);
  });

  it('gives the whole-title bonus to a finished word only when it is the whole word', () => {
    const idx = TitleIndex.build([{ title: 'Visionary Models of Sight' }, { title: 'Vision Models' }]);
    expect(idx.search('visio', 5).map((m) => m.doc)).toEqual([1, 0]);
    expect(idx.search('vision ', 5).map((m) => m.doc)).toEqual([1]);
    expect(idx.search('visionary', 5).map((m) => m.doc)).toEqual([0]);
  });

  it('reads LaTeX, accents and Greek letters in titles', () => {
    const idx = TitleIndex.build([
      { title: 'Robust Na\\"ive Bayes for $\\alpha$-Divergences' },
      { title: 'Naive Bayes Classifiers' },
      { title: 'Divergences of Bayes Factors' },
    ]);
    expect(first(idx, 'robust naïve bayes for α-divergences')).toBe(0);
    expect(first(idx, 'alpha divergences naive')).toBe(0);
    expect(first(idx, 'naive bayes classif')).toBe(1);
  });

  it('is deterministic across builds', () => {
    const again = TitleIndex.build(seedEntries);
    for (const q of ['vision transformers', 'neural netw', 'optimisation model']) {
      expect(again.search(q, 10)).toEqual(index.search(q, 10));
    }
  });
});

describe('extractNames', () => {
  it('picks out method names, acronyms and versioned names', () => {
    const names = (start: string) => extractNames(seeds[seed(start)]!.abstract);
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

describe('TitleIndex among 5,000 other titles', () => {
  // Shares many words with the seeds, and near misses of their words, so the
  // seeds have to be told apart rather than found for want of competition.
  const words = (
    'vision transformers transformer model models pruning running optimization optimizing bilevel level ' +
    'data lottery ticket hypothesis diffusion mobile devices network networks neural deep learning continual ' +
    'training protection efficient fast image text language unified dynamic early graph sparse attention ' +
    'robust adversarial generative convolutional architecture design search mathematical binary randomized ' +
    'superconductor quantum student writing creative generation strategies alignment bottleneck self ensemble ' +
    'checkpoints understanding rethinking advancing accelerating speed size seconds via for with on of and'
  ).split(' ');
  const random = seededRandom(42);
  const synthetic: TitleEntry[] = Array.from({ length: 5000 }, () => {
    const n = 4 + Math.floor(random() * 8);
    const title = Array.from({ length: n }, () => {
      // Squared uniform: early words of the list are much more frequent, as in real titles.
      const r = random();
      return words[Math.floor(r * r * words.length)]!;
    }).join(' ');
    return { title: title[0]!.toUpperCase() + title.slice(1) };
  });
  const big = TitleIndex.build([...synthetic, ...seedEntries]);
  const seedDoc = (start: string) => synthetic.length + seed(start);

  it('still finds the seeds, typos and all', () => {
    expect(big.size).toBe(5000 + seeds.length);
    const cases: [string, string][] = [
      ['Advancing Model Prunning via Bilevel Optimisation', 'Advancing'],
      ['snapfusoin text to image diffusion', 'SnapFusion'],
      ['Rethinking Vison Transformers for MobileNet', 'Rethinking'],
      ['Data Levl Lottery Tickt Hypothesis', 'Data Level'],
      ['dualhsic continual lerning', 'DualHSIC'],
      ['Self-Ensemble Protecton: Training Checkpoints', 'Self-Ensemble'],
      ['superconductr josephson', 'SupeRBNN'],
      ['EfficientFormerV2', 'Rethinking'],
      // Synthetic titles also start "Rethinking vision trans…": the typed name must decide.
      ['Rethinking Vision Transformers for MobileN', 'Rethinking'],
    ];
    for (const [query, start] of cases) expect(first(big, query), query).toBe(seedDoc(start));
  });

  it('returns the same top entries as a full ranking', () => {
    for (const query of ['vision transformers', 'model pruning optimization', 'lottery t', 'learning']) {
      const all = big.search(query, big.size);
      expectSortedByScore(all);
      expect(big.search(query, 25)).toEqual(all.slice(0, 25));
      expect(big.search(query, 3)).toEqual(all.slice(0, 3));
    }
  });

  it('fills the limit with sorted results for a common word', () => {
    const matches = big.search('transformers', 25);
    expect(matches).toHaveLength(25);
    expectSortedByScore(matches);
    expect(new Set(matches.map((m) => m.doc)).size).toBe(25);
  });
});
