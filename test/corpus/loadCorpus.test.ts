import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusFiles, corpusSignature, loadCorpus, readCorpusFiles } from '../../src/corpus/loadCorpus.js';
import { MAX_LINE_LENGTH } from '../../src/corpus/readLines.js';
import { UserError } from '../../src/errors.js';
import { SEED_CORPUS, seedPapers, tempDir, writeCorpus } from '../support/corpus.js';

function loadError(dir: string): UserError {
  try {
    loadCorpus(dir);
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected the load to fail');
}

describe('loadCorpus', () => {
  it('GIVEN the shipped corpus THEN loads the ten seed papers with verified metadata', () => {
    const papers = loadCorpus(SEED_CORPUS);
    expect(papers).toHaveLength(10);
    expect(corpusFiles(SEED_CORPUS)).toEqual(['papers.jsonl']);
    const snap = papers.find((p) => p.id === '2306.00980')!;
    expect(snap.title).toBe('SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds');
    expect(snap.venue).toBe('NeurIPS 2023');
    expect(snap.abstract).toContain('less than $2$ seconds'); // stored raw, normalised only for display
  });

  it('GIVEN the files THEN each paper comes with its line as read, and the signature changes with any write', () => {
    const papers = seedPapers();
    const dir = writeCorpus(papers);
    const lines: string[] = [];
    expect(readCorpusFiles(dir, (_, line) => lines.push(line))).toEqual({ files: ['papers.jsonl'], papers: 10 });
    expect(lines.map((l) => JSON.parse(l))).toEqual(papers);
    const before = corpusSignature(dir);
    writeCorpus([{ ...papers[0]!, year: 2024 }, ...papers.slice(1)], dir);
    expect(corpusSignature(dir)).not.toBe(before);
  });

  it('GIVEN one paper THEN loads it (any size from 1 up)', () => {
    expect(loadCorpus(writeCorpus([seedPapers()[0]!]))).toHaveLength(1);
  });

  it('GIVEN a missing folder THEN says so', () => {
    const err = loadError(join(tempDir(), 'nope'));
    expect(err.code).toBe('corpus_missing');
    expect(err.message).toMatch(/nope does not exist/);
  });

  it('GIVEN a folder without papers THEN reads none (the library may hold ingested ones)', () => {
    expect(loadCorpus(tempDir())).toEqual([]);
  });

  it('GIVEN a broken line THEN names the file, the line, the field and what is wrong', () => {
    const [a, b] = seedPapers();
    const dir = writeCorpus([a!, '', { ...b!, year: '2023' } as never]);
    const err = loadError(dir);
    expect(err.code).toBe('corpus_invalid');
    expect(err.message).toBe(`${join(dir, 'papers.jsonl')}:3: field "year": expected number, received string`);
  });

  it.each([
    ['invalid JSON', '{"id": "2306.00980",', /:1: not valid JSON/],
    ['a missing field', { ...seedPapers()[0]!, abstract: undefined }, /:1: field "abstract": is missing/],
    ['an empty title', { ...seedPapers()[0]!, title: '   ' }, /:1: field "title": is empty/],
    ['a versioned id', { ...seedPapers()[0]!, id: '2306.00980v3' }, /:1: field "id": "2306.00980v3" carries a version: store id "2306.00980" and version 3/],
    ['a malformed id', { ...seedPapers()[0]!, id: 'paper-1' }, /:1: field "id": "paper-1" is not an arXiv id/],
    ['a misspelt field', { ...seedPapers()[0]!, abstarct: 'x' }, /:1: unknown field "abstarct"/],
    ['a bad URL', { ...seedPapers()[0]!, code: 'github.com/x' }, /:1: field "code": expected an http\(s\) URL/],
    ['a link that opens a second link', { ...seedPapers()[0]!, links: { abs: 'https://arxiv.org/abs/x) [Free Nitro](https://evil.example/login', pdf: null } }, /:1: field "links\.abs": a URL holds no spaces/],
    ['an abstract page that is not arXiv\'s', { ...seedPapers()[0]!, links: { abs: 'https://evil.example/abs/2306.00980', pdf: null } }, /:1: field "links\.abs": expected an arXiv URL/],
    ['an empty author list', { ...seedPapers()[0]!, authors: [] }, /:1: field "authors": at least one author is required/],
    ['a bad author', { ...seedPapers()[0]!, authors: ['A', 7] }, /:1: field "authors.1": expected a string/],
    ['a 10 MB abstract', { ...seedPapers()[0]!, abstract: 'x'.repeat(10_000_000) }, /:1: field "abstract": longer than 20,000 characters/],
  ])('GIVEN %s THEN rejects it clearly', (_, line, message) => {
    const err = loadError(writeCorpus([line as never]));
    expect(err.message).toMatch(message);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('GIVEN old-style ids THEN accepts them', () => {
    const paper = { ...seedPapers()[0]!, id: 'hep-th/9901001' };
    expect(loadCorpus(writeCorpus([paper]))[0]!.id).toBe('hep-th/9901001');
  });

  it('GIVEN the same id twice, across files THEN rejects the second with both places', () => {
    const [a, b] = seedPapers();
    const dir = writeCorpus([a!, b!]);
    writeFileSync(join(dir, 'z-more.jsonl'), JSON.stringify({ ...a!, title: 'Another title' }) + '\n');
    const err = loadError(dir);
    expect(err.message).toBe(
      `${join(dir, 'z-more.jsonl')}:1: field "id": 2306.00980 is already in the corpus at ${join(dir, 'papers.jsonl')}:1`,
    );
  });

  it('GIVEN many broken lines THEN lists five and counts the rest', () => {
    const err = loadError(writeCorpus(Array.from({ length: 8 }, () => '{')));
    const lines = err.message.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe('(and 3 more)');
  });

  it('GIVEN files that are not .jsonl THEN ignores them', () => {
    const dir = writeCorpus(seedPapers().slice(0, 2));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'README.md'), '# notes');
    expect(loadCorpus(dir)).toHaveLength(2);
  });
});

describe('loadCorpus on bad files', () => {
  it('GIVEN bytes that are not UTF-8 THEN names the file and the line', () => {
    const dir = writeCorpus(seedPapers().slice(0, 2));
    const file = join(dir, 'papers.jsonl');
    const good = readFileSync(file);
    const broken = Buffer.from(JSON.stringify({ ...seedPapers()[2]!, title: 'Caf\u00e9 XX' }));
    // "é" as Latin-1, one byte, which UTF-8 cannot hold alone.
    broken[broken.indexOf(0xc3)] = 0xe9;
    broken[broken.indexOf(0xa9)] = 0x20;
    writeFileSync(file, Buffer.concat([good, broken, Buffer.from('\n')]));
    const err = loadError(dir);
    expect(err.code).toBe('corpus_invalid');
    expect(err.message).toMatch(/papers\.jsonl:3: not valid UTF-8$/);
  });

  it('GIVEN a FIFO named papers.jsonl THEN refuses it instead of waiting on it forever', () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'papers.jsonl')]);
    const err = loadError(dir);
    expect(err.message).toMatch(/papers\.jsonl is not a regular file/);
  });

  it('GIVEN a line over the length limit THEN names file and line without reading it all', () => {
    const dir = tempDir();
    const fd = openSync(join(dir, 'papers.jsonl'), 'w');
    writeSync(fd, `${JSON.stringify(seedPapers()[0])}\n`);
    const block = Buffer.alloc(1 << 20, 0x61);
    for (let written = 0; written <= MAX_LINE_LENGTH; written += block.length) writeSync(fd, block);
    closeSync(fd);
    expect(loadError(dir).message).toMatch(/papers\.jsonl:2: a line longer than 16,777,216 characters/);
  });
});
