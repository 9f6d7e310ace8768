import { spawnSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddingSearch, embeddingOptionsFrom } from '../../src/embeddings/EmbeddingSearch.js';
import { openEncoder } from '../../src/embeddings/Encoder.js';
import { openSearch } from '../../src/search/openSearch.js';
import { tempDir, writeCorpus } from '../support/corpus.js';
import { seedPapers } from '../support/seeds.js';
import { writeTinyEncoder } from '../support/tinyEncoder.js';

const BIN = resolve(import.meta.dirname, '../../src/cli/paperbot.mjs');
// "phone" never appears in the papers; the encoder knows it means what "mobile" and "smartphone" mean.
// Written afresh for each test: a test's temporary folders go when it ends.
const tinyEncoder = () => writeTinyEncoder([['phone', 'mobile', 'smartphone'], ['pizza', 'margherita']], ['inference', 'delivery', 'routing', 'graph', 'vision']);
const template = seedPapers()[0]!;
const paper = (n: number, title: string, abstract: string, year = 2024) => ({ ...template, id: `2402.${String(10000 + n)}`, title, abstract, year });
const papers = [
  paper(1, 'Fast inference on mobile hardware', 'We make inference fast on mobile and smartphone hardware.'),
  paper(2, 'Routing delivery vans', 'We plan delivery routing over a graph of streets.', 2019),
  paper(3, 'Vision backbones', 'We study vision backbones for image graph tasks.'),
];
const optionsWith = (model: string) => ({ model, weight: 0.3, minSimilarity: 0.6 });

describe('the sentence-encoder seam (a generated BERT-shaped ONNX model, run by the real onnxruntime)', { timeout: 60_000 }, () => {
  it('GIVEN a local model folder THEN loads it offline and encodes: synonyms meet, other words do not', async () => {
    const encoder = await openEncoder(tinyEncoder(), join(tempDir(), 'models'));
    const [phone, mobile, pizza] = await encoder.encode(['phone', 'Mobile', 'pizza']);
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(cos(phone!, mobile!)).toBeCloseTo(1, 5);
    expect(cos(phone!, pizza!)).toBeCloseTo(0, 5);
    expect(phone!.length).toBe(7);
  });

  it('GIVEN a question in words no paper uses THEN BM25 finds nothing and the encoder finds the paper; filters still hold', async () => {
    const options = optionsWith(tinyEncoder());
    const corpusDir = writeCorpus(papers);
    const search = openSearch({ corpusDir, dataDir: join(tempDir(), 'data') });
    expect(search.search('phone').hits).toEqual([]);
    const semantic = await EmbeddingSearch.open(search, join(tempDir(), 'data'), options);
    const { hits } = await semantic.search(search, 'phone');
    expect(hits.map((h) => h.paper.id)).toEqual(['2402.10001']);
    expect(hits[0]!.matchedTerms).toEqual([]);
    expect((await semantic.search(search, 'phone', { filter: { years: { to: 2020 } } })).hits).toEqual([]);
    // A question BM25 answers keeps BM25's order among the papers it found.
    expect((await semantic.search(search, 'delivery routing graph')).hits[0]!.paper.id).toBe('2402.10002');
  });

  it('GIVEN vectors already stored with the library THEN a new open embeds only the papers added since', async () => {
    const options = optionsWith(tinyEncoder());
    const corpusDir = writeCorpus(papers);
    const dataDir = join(tempDir(), 'data');
    const first = await EmbeddingSearch.open(openSearch({ corpusDir, dataDir }), dataDir, options);
    expect(first.embedded).toBe(3);
    expect((await EmbeddingSearch.open(openSearch({ corpusDir, dataDir }), dataDir, options)).embedded).toBe(0);
    appendFileSync(join(corpusDir, 'papers.jsonl'), `${JSON.stringify(paper(4, 'Smartphone cameras', 'Cameras of a smartphone.'))}\n`);
    const grownSearch = openSearch({ corpusDir, dataDir });
    const grown = await EmbeddingSearch.open(grownSearch, dataDir, options);
    expect(grown.embedded).toBe(1);
    expect((await grown.search(grownSearch, 'phone', { limit: 5 })).hits.map((h) => h.paper.id).sort()).toEqual(['2402.10001', '2402.10004']);
  });

  it('GIVEN a paper replaced by a new text THEN its old vector goes and the new one comes; GIVEN a sync stopped before its first batch THEN the next one embeds everything', async () => {
    const options = optionsWith(tinyEncoder());
    const corpusDir = writeCorpus(papers);
    const dataDir = join(tempDir(), 'data');
    const search = openSearch({ corpusDir, dataDir });
    const semantic = await EmbeddingSearch.create(corpusDir, dataDir, options);
    const stopped = new AbortController();
    stopped.abort();
    await expect(semantic.sync(search.library, undefined, stopped.signal)).rejects.toThrow();
    expect(semantic.size).toBe(0);
    expect(await semantic.sync(search.library)).toBe(3);
    writeFileSync(join(corpusDir, 'papers.jsonl'), [papers[0], papers[1], { ...papers[2]!, title: 'Smartphone mobile', abstract: 'Smartphone and mobile.' }].map((p) => JSON.stringify(p)).join('\n'));
    const edited = openSearch({ corpusDir, dataDir });
    expect(await semantic.sync(edited.library)).toBe(1);
    expect(semantic.size).toBe(3);
    expect((await semantic.search(edited, 'phone', { limit: 5 })).hits.map((h) => h.paper.id).sort()).toEqual(['2402.10001', '2402.10003']);
  });

  it('GIVEN PAPERBOT_EMBEDDING_MODEL THEN paperbot ask uses it; GIVEN none THEN BM25 alone answers; GIVEN a bad one THEN exit 2 naming it', () => {
    const model = tinyEncoder();
    const corpusDir = writeCorpus(papers);
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [BIN, 'ask', '--json', 'phone', '--corpus', corpusDir], { encoding: 'utf8', env: { ...process.env, PAPERBOT_DATA_DIR: join(tempDir(), 'data'), ...env } });
    expect(JSON.parse(run({ PAPERBOT_EMBEDDING_MODEL: model }).stdout).results.map((r: { id: string }) => r.id)).toEqual(['2402.10001']);
    expect(JSON.parse(run({}).stdout).results).toEqual([]);
    // The text says the match came from the meaning, as no word matched.
    const text = spawnSync(process.execPath, [BIN, 'ask', 'phone', '--corpus', corpusDir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', PAPERBOT_DATA_DIR: join(tempDir(), 'data'), PAPERBOT_EMBEDDING_MODEL: model } });
    expect(text.stdout).toMatch(/^ {3}by meaning \(similarity 0\.\d\d\)$/m);
    const bad = run({ PAPERBOT_EMBEDDING_MODEL: corpusDir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`paperbot: PAPERBOT_EMBEDDING_MODEL ${corpusDir} holds no onnx/model.onnx (a transformers.js model folder: config.json, tokenizer.json, onnx/model.onnx)\n`);
    expect(() => embeddingOptionsFrom({ PAPERBOT_EMBEDDING_MODEL: model, PAPERBOT_EMBEDDING_WEIGHT: '2' })).toThrow('PAPERBOT_EMBEDDING_WEIGHT must be a number from 0 to 1, not "2"');
    expect(embeddingOptionsFrom({})).toBeNull();
  });
});
