import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { DamagedFileError, readBinaryFile, writeBinaryFile } from '../../../src/search/binaryFile.js';
import { TitleIndex, type TitleEntry } from '../../../src/search/titles/TitleIndex.js';
import { extractNames } from '../../../src/text/names.js';
import { tempDir } from '../../support/corpus.js';
import { seededRandom } from '../../support/random.js';
import { seedPapers } from '../../support/seeds.js';

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

  describe('saved to a file and loaded', () => {
    const KIND = 'paperbot-titles-test/1';
    const save = (idx: TitleIndex): string => {
      const file = join(tempDir('paperbot-titles-'), 'titles.bin');
      writeBinaryFile(file, KIND, {}, idx.toSections());
      return file;
    };
    const load = (file: string): TitleIndex => TitleIndex.fromSections(readBinaryFile(file, KIND).sections);
    const cut = (title: string, at: number) => title.slice(0, Math.ceil(title.length * at));
    const queries = [
      // Exact titles, seeds' and others'.
      ...seeds.map((s) => s.title),
      ...[0, 1, 2, 1000, 4999].map((i) => synthetic[i]!.title),
      // Prefixes, the last word half-typed.
      ...seeds.map((s) => cut(s.title, 0.4)),
      ...[7, 70, 700].map((i) => cut(synthetic[i]!.title, 0.5)),
      'S', 'Su', 'snapf', 'lottery t', 'Rethinking Vision Trans',
      // Typos.
      'Advancing Model Prunning via Bilevel Optimisation', 'snapfusoin text to image diffusion', 'Data Levl Lottery Tickt Hypothesis',
      'superconductr josephson', 'mathematical architecure design', 'neural netwroks',
      // Aliases and names.
      'EfficientFormerV2', 'MuE', 'BiP', 'AQFP', 'DeepMAD', 'dualhsic',
      // Words in any order, and nothing.
      'transformers', 'learning', 'checkpoints protection', 'zzqx blorf', 'for the of', '',
    ];

    it('GIVEN an index written with writeBinaryFile and read with readBinaryFile THEN answers every query as the original', () => {
      const loaded = load(save(big));
      expect(loaded.size).toBe(big.size);
      expect(queries.length).toBeGreaterThan(40);
      expect(queries.filter((q) => big.search(q, 25).length > 0).length).toBeGreaterThan(40);
      for (const q of queries) expect(loaded.search(q, 25), q).toEqual(big.search(q, 25));
      for (const q of ['vision transformers', 'lottery t']) expect(loaded.search(q, big.size)).toEqual(big.search(q, big.size));
    });

    it('GIVEN titles in other scripts, letters beyond U+FFFF included THEN the loaded index finds them as the original', () => {
      const idx = TitleIndex.build([
        { title: 'Нейронные сети для перевода', aliases: ['ПереводNet'] },
        { title: '深度学习 综述' },
        { title: 'Über 𐐷𐐸𐐹𐐺 Deseret Glyphs' },
        { title: 'Plain English Title' },
      ]);
      const loaded = load(save(idx));
      const asked = ['нейронные сети', 'нейроные', 'перев', 'ПереводNet', '深度学习', '综', '𐐷𐐸𐐹𐐺', '𐐷𐐸', '𐐷𐐹𐐸𐐺', 'uber', 'plain eng'];
      for (const q of asked) expect(loaded.search(q, 5), q).toEqual(idx.search(q, 5));
      expect(asked.filter((q) => idx.search(q, 5).length > 0)).toEqual(asked);
    });

    it('GIVEN an index of no titles THEN loads it, and it finds nothing', () => {
      const loaded = load(save(TitleIndex.build([])));
      expect(loaded.size).toBe(0);
      expect(loaded.search('vision', 25)).toEqual([]);
    });

    it('GIVEN a file with one byte flipped THEN readBinaryFile refuses it with DamagedFileError', () => {
      const file = save(big);
      const good = readFileSync(file);
      // In the header, in a section, in the last section's padding.
      for (const at of [20, Math.floor(good.length / 2), good.length - 1]) {
        const bad = Buffer.from(good);
        bad[at]! ^= 0x01;
        writeFileSync(file, bad);
        expect(() => readBinaryFile(file, KIND), `byte ${at}`).toThrow(DamagedFileError);
      }
    });

    it('GIVEN sections missing one, or one of the wrong length or type THEN fromSections throws, naming it', () => {
      const sections = big.toSections();
      const { titleWordItems: _, ...missing } = sections;
      expect(() => TitleIndex.fromSections(missing)).toThrow(/no section titleWordItems/);
      const short = { ...sections, df: sections.df!.subarray(1) };
      expect(() => TitleIndex.fromSections(short)).toThrow(/section df has length/);
      const other = { ...sections, titleLength: new Int32Array(big.size) };
      expect(() => TitleIndex.fromSections(other)).toThrow(/section titleLength is a Int32Array, not a Uint16Array/);
      const slots = { ...sections, wordSlots: new Int32Array(1000).fill(-1) };
      expect(() => TitleIndex.fromSections(slots)).toThrow(/word table slots/);
    });
  });
});
