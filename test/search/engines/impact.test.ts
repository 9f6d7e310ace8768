import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../../src/corpus/paper.js';
import { SqliteLibrary } from '../../../src/library/SqliteLibrary.js';
import { defaultBm25Options } from '../../../src/search/bm25.js';
import { queryTerms } from '../../../src/search/documents.js';
import { impactDefaults, impactEngine } from '../../../src/search/engines/impact/impactEngine.js';
import { plainQuery, type RetrieveOptions, type Retriever } from '../../../src/search/Retriever.js';
import { syntheticPapers, syntheticQuestions } from '../../bench/syntheticCorpus.js';
import { tempDir } from '../../support/corpus.js';

const papers = syntheticPapers(400, 7);
const questions = syntheticQuestions(papers, 60, 8);
const defaults = { ...impactDefaults };
afterEach(() => Object.assign(impactDefaults, defaults));

function library(initial: readonly Paper[]): SqliteLibrary {
  const lib = SqliteLibrary.open(join(tempDir(), 'library.sqlite'));
  put(lib, initial);
  return lib;
}

function put(lib: SqliteLibrary, items: readonly Paper[], remove: readonly string[] = []): void {
  const write = lib.write();
  for (const p of items) write.put(p, 'ingest');
  for (const id of remove) write.remove(id);
  write.commit();
}

const open = (lib: SqliteLibrary, dir: string, build = true) => impactEngine.open(lib, dir, { bm25: defaultBm25Options, build });

/** Every question's candidates: numbers, exact scores, matched terms, coverage. */
function answers(retriever: Retriever, options: Omit<RetrieveOptions, 'limit'> = {}) {
  return questions.map((q) => retriever.retrieve(plainQuery(queryTerms(q)), { limit: 10, ...options }));
}

const revised = (p: Paper): Paper => ({ ...p, version: 2, abstract: `${p.abstract} Revised with an ablation on tokenizers.` });

describe('impact engine segments', () => {
  it('GIVEN papers added and replaced after the build THEN a new segment and masks give exactly the scores of a full rebuild', () => {
    Object.assign(impactDefaults, { mergeShare: 0.5 });
    const lib = library(papers.slice(0, 300));
    const dir = join(tempDir(), 'impact');
    expect(open(lib, dir)!.info.actions).toEqual(['indexed 300 papers']);

    put(lib, [...papers.slice(300, 340), ...papers.slice(0, 12).map(revised)], [papers[20]!.id]);
    const updated = open(lib, dir)!;
    expect(updated.info.actions).toEqual(['added a segment of 52 papers', 'masked 13 papers replaced or removed']);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).segments).toHaveLength(2);
    expect(updated.retriever.docCount).toBe(339);

    const rebuilt = open(lib, join(tempDir(), 'fresh'))!;
    expect(rebuilt.info.actions).toEqual(['indexed 339 papers']);
    expect(answers(updated.retriever)).toEqual(answers(rebuilt.retriever));
    for (const term of ['revis', 'ablat', queryTerms(papers[0]!.title)[0]!]) {
      expect(updated.retriever.termWeight(term)).toBe(rebuilt.retriever.termWeight(term));
    }
    // Reopened from its files, as another process would.
    expect(answers(open(lib, dir)!.retriever)).toEqual(answers(rebuilt.retriever));
    expect(open(lib, dir)!.info.reused).toBe(true);
  });

  it('GIVEN small segments that grow past the share THEN they merge into one, with the same scores and no files left behind', () => {
    const lib = library(papers.slice(0, 200));
    const dir = join(tempDir(), 'impact');
    open(lib, dir);
    Object.assign(impactDefaults, { maxSmallSegments: 1, mergeShare: 0.25 });
    put(lib, papers.slice(200, 210));
    expect(open(lib, dir)!.info.actions).toEqual(['added a segment of 10 papers']);
    put(lib, [...papers.slice(210, 220), revised(papers[3]!)]);
    const merged = open(lib, dir)!;
    expect(merged.info.actions).toEqual(['added a segment of 11 papers', 'masked 1 paper replaced or removed', 'merged 2 segments']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(2);

    put(lib, papers.slice(220, 260));
    const all = open(lib, dir)!;
    expect(all.info.actions).toEqual(['added a segment of 40 papers', 'merged 3 segments']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    expect(answers(all.retriever)).toEqual(answers(open(lib, join(tempDir(), 'fresh'))!.retriever));
  });

  it('GIVEN a build in chunks THEN merging the chunks gives the one-piece build\'s scores', () => {
    const lib = library(papers);
    const whole = open(lib, join(tempDir(), 'whole'))!;
    Object.assign(impactDefaults, { buildChunk: 64 });
    const chunked = open(lib, join(tempDir(), 'chunked'))!;
    expect(answers(chunked.retriever)).toEqual(answers(whole.retriever));
  });

  it('GIVEN a damaged segment file THEN rebuilds it, with a warning, and answers as before', () => {
    const lib = library(papers.slice(0, 100));
    const dir = join(tempDir(), 'impact');
    const before = answers(open(lib, dir)!.retriever);
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.bin'))!);
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(file, bytes);
    const again = open(lib, dir)!;
    expect(again.info.warnings[0]).toMatch(/could not be loaded .*checksum.*rebuilt it/);
    expect(answers(again.retriever)).toEqual(before);
    expect(open(lib, dir)!.info.reused).toBe(true);
  });

  it('GIVEN an index behind the library and build false THEN opens nothing', () => {
    const lib = library(papers.slice(0, 50));
    const dir = join(tempDir(), 'impact');
    open(lib, dir);
    put(lib, papers.slice(50, 60));
    expect(open(lib, dir, false)).toBeNull();
    expect(open(lib, dir)!.retriever.docCount).toBe(60);
  });
});

describe('impact engine filters', () => {
  let lib: SqliteLibrary;
  let retriever: Retriever;
  const scratch = mkdtempSync(join(tmpdir(), 'paperbot-filters-'));
  beforeAll(() => {
    lib = SqliteLibrary.open(join(scratch, 'library.sqlite'));
    put(lib, papers);
    retriever = open(lib, join(scratch, 'impact'))!.retriever;
  });
  afterAll(() => {
    lib.close();
    rmSync(scratch, { recursive: true, force: true });
  });
  const paperOf = (doc: number) => lib.at(doc)!;

  it('GIVEN a year range THEN only papers of those years, still best first', () => {
    const all = answers(retriever);
    const recent = answers(retriever, { filter: { years: { from: 2020, to: 2022 } } });
    recent.flat().forEach((c) => expect(paperOf(c.doc).year).toBeGreaterThanOrEqual(2020));
    recent.flat().forEach((c) => expect(paperOf(c.doc).year).toBeLessThanOrEqual(2022));
    // The filter is applied before the cut: what passes keeps its order and score from the unfiltered ranking.
    const wide = questions.map((q) => retriever.retrieve(plainQuery(queryTerms(q)), { limit: 400 }));
    recent.forEach((hits, i) => {
      expect(hits).toEqual(wide[i]!.filter((c) => paperOf(c.doc).year >= 2020 && paperOf(c.doc).year <= 2022).slice(0, 10));
    });
    expect(recent.flat().length).toBeLessThan(all.flat().length);
  });

  it('GIVEN a category THEN papers in it or under it', () => {
    for (const c of answers(retriever, { filter: { categories: ['cs.CV'] } }).flat()) expect(paperOf(c.doc).categories).toContain('cs.CV');
    const cs = answers(retriever, { filter: { categories: ['cs'] } }).flat();
    expect(cs.length).toBeGreaterThan(0);
    for (const c of cs) expect(paperOf(c.doc).categories.some((x) => x.startsWith('cs.'))).toBe(true);
  });

  it('GIVEN excluded papers and a coverage floor THEN leaves them out before the cut', () => {
    const terms = plainQuery(queryTerms(questions[0]!));
    const top = retriever.retrieve(terms, { limit: 5 });
    const without = retriever.retrieve(terms, { limit: 5, exclude: new Set([top[0]!.doc, top[2]!.doc]) });
    expect(without.map((c) => c.doc)).not.toContain(top[0]!.doc);
    expect(without.slice(0, 2)).toEqual([top[1], top[3]]);
    const covered = retriever.retrieve(terms, { limit: 20, minCoverage: 0.5 });
    for (const c of covered) expect(c.coverage).toBeGreaterThanOrEqual(0.5 - 1e-9);
  });
});
