import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeCorpus } from '../support/corpus.js';
import { seedPapers } from '../support/seeds.js';
import { startTestBot, until } from '../support/paperBot.js';
import { writeTinyEncoder } from '../support/tinyEncoder.js';

const template = seedPapers()[0]!;
const paper = (n: number, title: string, abstract: string) => ({ ...template, id: `2402.${String(10000 + n)}`, title, abstract, year: 2024 });
const papers = [
  paper(1, 'Fast inference on mobile hardware', 'We make inference fast on mobile and smartphone hardware.'),
  paper(2, 'Routing delivery vans', 'We plan delivery routing over a graph of streets.'),
  paper(3, 'Vision backbones', 'We study vision backbones for image graph tasks.'),
];
const str = (value: string) => ({ name: 'question', type: 3, value });

describe('the bot with a sentence encoder (a generated ONNX model through the real onnxruntime)', { timeout: 60_000 }, () => {
  it('GIVEN PAPERBOT_EMBEDDING_MODEL THEN /ask finds a paper by meaning once embedded, says so, embeds the papers an ingest adds, and /about shows how far it is', async () => {
    const model = writeTinyEncoder([['phone', 'mobile', 'smartphone']], ['inference', 'delivery', 'routing', 'graph', 'vision', 'cameras']);
    const corpusDir = writeCorpus(papers);
    const { fake, bot, logs } = await startTestBot({ PAPERBOT_CORPUS: corpusDir, PAPERBOT_EMBEDDING_MODEL: model }, { corpusPollMs: 100 });
    const ask = async (question: string) => {
      const { token } = fake.slashCommand('ask', [str(question)]);
      return (await fake.waitForCall('PATCH', new RegExp(`/webhooks/\\d+/${token}/messages/@original$`))).body;
    };
    await until(() => bot.ctx.embeddings()?.embedded === 3 && !bot.ctx.embeddings()!.syncing, 'the papers embedded in the background', 20_000);
    expect(logs.find((l) => l.msg === 'papers embedded')).toMatchObject({ module: 'embeddings', embedded: 3, papers: 3 });

    const answer = await ask('phone');
    expect(answer.embeds.map((e: { title: string }) => e.title)).toEqual(['1. Fast inference on mobile hardware']);
    expect(answer.embeds[0].description).toMatch(/\n\*Found by meaning \(similarity 0\.\d\d\)\*\n/);

    // An ingest (here: the corpus file) adds a paper; the reload brings it, and the encoder embeds only it.
    appendFileSync(join(corpusDir, 'papers.jsonl'), `${JSON.stringify(paper(4, 'Smartphone cameras', 'Cameras of a smartphone.'))}\n`);
    await until(() => bot.ctx.embeddings()?.embedded === 4 && !bot.ctx.embeddings()!.syncing, 'the new paper embedded', 20_000);
    expect(logs.filter((l) => l.msg === 'papers embedded').at(-1)).toMatchObject({ embedded: 1, papers: 4 });
    const titles = (await ask('phone')).embeds.map((e: { title: string }) => e.title.replace(/^\d+\. /, ''));
    expect(titles.sort()).toEqual(['Fast inference on mobile hardware', 'Smartphone cameras']);

    const { id } = fake.slashCommand('about', []);
    const about = await fake.waitForCall('POST', new RegExp(`/interactions/${id}/[^/]+/callback$`));
    expect(about.body.data.embeds[0].fields.find((f: { name: string }) => f.name === 'Meaning').value).toBe(`${model.replace(/_/g, '\\_')}: 4 of 4 papers embedded`);
  });

  it('GIVEN no PAPERBOT_EMBEDDING_MODEL THEN BM25 alone answers and /about says nothing of meaning', async () => {
    const { fake } = await startTestBot({ PAPERBOT_CORPUS: writeCorpus(papers), PAPERBOT_DATA_DIR: join(tempDir(), 'data') });
    const { token } = fake.slashCommand('ask', [str('phone')]);
    const edit = await fake.waitForCall('PATCH', new RegExp(`/webhooks/\\d+/${token}/messages/@original$`));
    expect(edit.body.embeds[0].description).toMatch(/^No paper among the 3/);
    const { id } = fake.slashCommand('about', []);
    const about = await fake.waitForCall('POST', new RegExp(`/interactions/${id}/[^/]+/callback$`));
    expect(about.body.data.embeds[0].fields.map((f: { name: string }) => f.name)).not.toContain('Meaning');
  });
});
