import { parse } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { citationKey, formatCitations, latexEscape, toApa, toBibtex, toRis } from '../../src/cite/citation.js';
import { normalizeText } from '../../src/text/normalize.js';
import { seedPapers } from '../support/seeds.js';

const seeds = seedPapers();
const snapfusion = seeds.find((p) => p.id === '2306.00980')!;
const tricky = {
  ...snapfusion,
  id: '2401.01234',
  title: 'Cheap & {Fast}: 50% of\n  the_cost with $\\alpha$-Nets and GANs',
  authors: ['José Müller-Ñúñez', 'Łukasz Çelik', 'Laurens van der Maaten'],
  venue: null,
  categories: ['cs.LG', 'stat.ML'],
  year: 2024,
  links: { abs: 'https://arxiv.org/abs/2401.01234', pdf: 'https://arxiv.org/pdf/2401.01234' },
};

describe('BibTeX', () => {
  it('GIVEN every seed paper THEN a BibTeX parser reads each entry back with every field as the paper has it', () => {
    const { entries, errors } = parse(formatCitations(seeds, 'bibtex'));
    expect(errors).toEqual([]);
    expect(entries).toHaveLength(seeds.length);
    seeds.forEach((paper, i) => {
      const entry = entries[i]!;
      expect(entry.type).toBe(paper.venue === null ? 'misc' : 'article');
      expect(entry.key).toBe(citationKey(paper));
      // Braced words keep their case through the parser's sentence-casing: the title reads back as written.
      expect(entry.fields.title).toBe(normalizeText(paper.title).replace(/[{}]/g, ''));
      expect(entry.fields.author).toHaveLength(paper.authors.length);
      expect(entry.fields.year).toBe(String(paper.year));
      expect(entry.fields.month).toBe(String(Number(paper.id.slice(2, 4))));
      expect(entry.fields.eprint).toBe(paper.id);
      expect(entry.fields.archiveprefix).toBe('arXiv');
      if (paper.categories[0] !== undefined) expect(entry.fields.primaryclass).toBe(paper.categories[0]);
      expect(entry.fields.url).toBe(paper.links.abs);
      if (paper.venue !== null) expect(entry.fields.journal).toBe(normalizeText(paper.venue));
    });
    expect(citationKey(snapfusion)).toBe('li2023snapfusion');
  });

  it('GIVEN LaTeX specials, accents, braces and maths in title and names THEN escaped, and read back as written', () => {
    const bibtex = toBibtex(tricky);
    expect(bibtex).toContain('\\&');
    expect(bibtex).toContain('50\\%');
    expect(bibtex).toContain('the\\_cost');
    expect(bibtex).toContain("Jos{\\'e} M{\\\"u}ller-{\\~N}{\\'u}{\\~n}ez");
    expect(bibtex).toMatch(/^@misc\{mullernunez2024cheap,$/m);
    const [entry] = parse(bibtex).entries;
    expect(entry!.fields.title).toBe('Cheap & Fast: 50% of the_cost with α-Nets and GANs');
    expect(JSON.parse(JSON.stringify(entry!.fields.author).normalize('NFC'))).toEqual([
      { firstName: 'José', lastName: 'Müller-Ñúñez' },
      { firstName: 'Łukasz', lastName: 'Çelik' },
      { firstName: 'Laurens', prefix: 'van der', lastName: 'Maaten' },
    ]);
    expect(entry!.fields.primaryclass).toBe('cs.LG');
    expect(entry!.fields.month).toBe('1');
  });

  it('GIVEN the same key twice in one export THEN the second gets a letter', () => {
    const keys = parse(formatCitations([snapfusion, { ...snapfusion, id: '2306.00981' }], 'bibtex')).entries.map((e) => e.key);
    expect(keys).toEqual(['li2023snapfusion', 'li2023snapfusiona']);
  });

  it('escapes every LaTeX special', () => {
    expect(latexEscape('a\\b{c}&%$#_^~')).toBe('a\\textbackslash{}b\\{c\\}\\&\\%\\$\\#\\_\\^{}\\~{}');
    expect(latexEscape('façade Straße Łódź')).toBe("fa{\\c c}ade Stra{\\ss}e {\\L}{\\'o}d{\\'z}");
  });
});

describe('RIS and APA', () => {
  it('GIVEN a preprint THEN an RIS record with a tag a field and an APA 7 reference', () => {
    const ris = toRis(tricky).split('\n');
    expect(ris[0]).toBe('TY  - UNPB');
    expect(ris).toContain('AU  - Müller-Ñúñez, José');
    expect(ris).toContain('PY  - 2024');
    expect(ris).toContain('DA  - 2024/01');
    expect(ris).toContain('M1  - arXiv:2401.01234');
    expect(ris.at(-1)).toBe('ER  - ');
    for (const line of ris) expect(line).toMatch(/^[A-Z][A-Z0-9] {2}- /);
    expect(toApa(tricky)).toBe('Müller-Ñúñez, J., Çelik, Ł., & van der Maaten, L. (2024). Cheap & Fast: 50% of the_cost with α-Nets and GANs (arXiv:2401.01234). arXiv. https://arxiv.org/abs/2401.01234');
    expect(toApa(snapfusion)).toMatch(/^Li, Y\., Wang, H\., Jin, Q\., .* \(2023\)\. SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds\. NeurIPS 2023\. https:\/\/arxiv\.org\/abs\/2306\.00980$/);
  });
});
