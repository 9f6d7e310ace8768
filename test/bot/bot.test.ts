import { parse } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { seedPapers, writeCorpus } from '../support/corpus.js';
import { APP_ID, startTestBot, until } from '../support/paperBot.js';
import { readPng } from '../support/png.js';

const EPHEMERAL = 64;
const str = (o: string) => ({ name: 'question', type: 3, value: o });
const webhook = (token: string) => new RegExp(`^/api/v10/webhooks/${APP_ID}/${token}/messages/@original$`);
const callback = (id: string) => new RegExp(`^/api/v10/interactions/${id}/[^/]+/callback$`);

describe('/ask', () => {
  it('GIVEN a question THEN defers, then answers with linked embeds, bold answer, page footer, buttons, and pings nobody', async () => {
    const { fake, logs } = await startTestBot();
    const { id, token } = fake.slashCommand('ask', [str('How can diffusion models run on a phone?')]);
    const deferred = await fake.waitForCall('POST', callback(id));
    expect(deferred.body).toMatchObject({ type: 5 });
    const edit = await fake.waitForCall('PATCH', webhook(token));
    const [embed] = edit.body.embeds;
    expect(embed.title).toBe('1. SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds');
    expect(embed.url).toBe('https://arxiv.org/abs/2306.00980');
    expect(embed.description).toMatch(/^Yanyu Li, Huan Wang, Qing Jin et al\. · 2023 · NeurIPS 2023\n\n> .*\*\*diffusion\*\* \*\*models\*\*/);
    expect(embed.fields).toEqual([{ name: 'Links', value: '[arXiv](https://arxiv.org/abs/2306.00980) · [PDF](https://arxiv.org/pdf/2306.00980)' }]);
    expect(edit.body.embeds.at(-1).footer.text).toMatch(/^Page 1\/\d+ · \d+ results? for “How can diffusion models run on a phone\?”$/);
    expect(edit.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const labels = edit.body.components.flatMap((row: { components: { label: string }[] }) => row.components.map((b) => b.label));
    expect(labels.slice(0, 3)).toEqual(['◀', '▶', 'Subscribe this channel']);
    expect(labels).toContain('Abstract 1');
    await until(() => logs.some((l) => l.msg === 'interaction'), 'the log line');
    expect(logs.find((l) => l.msg === 'interaction')).toMatchObject({ kind: 'command', command: 'ask', guild: 'G', user: 'U', results: expect.any(Number), latencyMs: expect.any(Number) });
  });

  it('GIVEN a question nothing matches THEN says so, with a hint', async () => {
    const { fake } = await startTestBot();
    const { token } = fake.slashCommand('ask', [str('best pizza in Naples')]);
    const edit = await fake.waitForCall('PATCH', webhook(token));
    expect(edit.body.embeds[0].description).toMatch(/^No paper among the 10 I know really matches “best pizza in Naples”\.\nTry other words, or look a paper up by its title with `\/paper`\.$/);
    expect(edit.body.components).toEqual([]);
  });

  it('GIVEN hostile text THEN echoes it escaped, and no message may ping anyone', async () => {
    const { fake } = await startTestBot();
    const { token } = fake.slashCommand('ask', [str('@everyone <@&123> **pizza** in Naples')]);
    const edit = await fake.waitForCall('PATCH', webhook(token));
    expect(edit.body.embeds[0].description).toContain('@\u200beveryone <@&123> \\*\\*pizza\\*\\* in Naples');
    expect(edit.body.allowed_mentions.parse).toEqual([]);
  });

  it('GIVEN an empty question THEN answers ephemerally without deferring', async () => {
    const { fake } = await startTestBot();
    const { id } = fake.slashCommand('ask', [str('   ')]);
    const reply = await fake.waitForCall('POST', callback(id));
    expect(reply.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringMatching(/question is empty/) } });
  });

  it('GIVEN a second question within the cooldown THEN says when to try again, ephemerally; other users are not held', async () => {
    const { fake } = await startTestBot({ ASK_COOLDOWN_SECONDS: '30' });
    const first = fake.slashCommand('ask', [str('pruning')]);
    await fake.waitForCall('PATCH', webhook(first.token));
    const second = fake.slashCommand('ask', [str('pruning again')]);
    const refused = await fake.waitForCall('POST', callback(second.id));
    expect(refused.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringMatching(/ask again <t:\d+:R> \(in 30 s\)/) } });
    const other = fake.slashCommand('ask', [str('pruning')], { userId: 'V' });
    await fake.waitForCall('PATCH', webhook(other.token));
  });

  it('GIVEN the asker clicks ▶ THEN the message turns to page 2; GIVEN someone else clicks THEN they get the page privately', async () => {
    const { fake } = await startTestBot();
    const { token } = fake.slashCommand('ask', [str('vision transformers'), { name: 'count', type: 4, value: 1 }]);
    await fake.waitForCall('PATCH', webhook(token));
    const original = fake.originalMessage(token);
    const next = original.components[0].components[1];
    expect(next).toMatchObject({ label: '▶', disabled: false });

    const other = fake.buttonClick(next.custom_id, original, { userId: 'V' });
    const privately = await fake.waitForCall('POST', callback(other.id));
    expect(privately.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(privately.body.data.embeds[0].footer.text).toMatch(/^Page 2\//);
    expect(fake.originalMessage(token).embeds[0].footer.text).toMatch(/^Page 1\//);

    const mine = fake.buttonClick(next.custom_id, original);
    const updated = await fake.waitForCall('POST', callback(mine.id));
    expect(updated.body.type).toBe(7);
    expect(updated.body.data.embeds[0].title).toMatch(/^2\. /);
    expect(updated.body.data.components[0].components[0]).toMatchObject({ label: '◀', disabled: false });
  });

  it('GIVEN Abstract is clicked THEN shows that paper card to the clicker only', async () => {
    const { fake } = await startTestBot();
    const { token } = fake.slashCommand('ask', [str('superconducting binary neural networks')]);
    await fake.waitForCall('PATCH', webhook(token));
    const original = fake.originalMessage(token);
    const abstract = original.components[1].components[0];
    expect(abstract.custom_id).toBe('ask:abstract:2309.12212');
    const click = fake.buttonClick(abstract.custom_id, original, { userId: 'V' });
    const reply = await fake.waitForCall('POST', callback(click.id));
    expect(reply.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(reply.body.data.embeds[0].title).toMatch(/^SupeRBNN/);
    expect(reply.body.data.embeds[0].description).toMatch(/approximately 7\.8x10\^4 times higher/);
  });

  it('GIVEN the buttons expire THEN they are disabled on the message, and a late click is told so', async () => {
    const { fake } = await startTestBot({}, { sessions: { ttlMs: 300 } });
    const { token } = fake.slashCommand('ask', [str('vision transformers'), { name: 'count', type: 4, value: 1 }]);
    const first = await fake.waitForCall('PATCH', webhook(token));
    const disabled = await fake.waitForCall('PATCH', webhook(token), { after: fake.calls.indexOf(first) + 1 });
    expect(disabled.body.components[0].components.map((b: { disabled: boolean }) => b.disabled)).toEqual([true, true, true]);
    const late = fake.buttonClick(first.body.components[0].components[1].custom_id, fake.originalMessage(token));
    const reply = await fake.waitForCall('POST', callback(late.id));
    expect(reply.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: 'These buttons have expired: ask again with /ask.' } });
  });

  it('GIVEN Discord fails the answer THEN the user is told privately and the error is logged', async () => {
    const { fake, logs } = await startTestBot();
    fake.failNext(500, { message: 'boom', code: 0 }, { pathPattern: /messages\/@original$/ });
    const { token } = fake.slashCommand('ask', [str('pruning')]);
    const followUp = await fake.waitForCall('POST', new RegExp(`^/api/v10/webhooks/${APP_ID}/${token}$`));
    expect(followUp.body).toMatchObject({ flags: EPHEMERAL, content: expect.stringMatching(/went wrong on my side/) });
    await until(() => logs.some((l) => l.msg === 'interaction failed'), 'the error log line');
    expect(logs.find((l) => l.msg === 'interaction failed')).toMatchObject({ level: 50, command: 'ask', err: expect.anything() });
  });

  it('GIVEN a 429 on the answer THEN waits and retries', async () => {
    const { fake } = await startTestBot();
    fake.rateLimitNext(1, { retryAfterSeconds: 0.2, pathPattern: /messages\/@original$/ });
    const { token } = fake.slashCommand('ask', [str('pruning')]);
    await until(() => fake.callsTo('PATCH', webhook(token)).length === 2, 'the retried PATCH');
  });

  it('GIVEN the gateway drops THEN the bot resumes and answers what came meanwhile', async () => {
    const { fake } = await startTestBot();
    fake.closeGateway(4000);
    const { token } = fake.slashCommand('ask', [str('lottery tickets')]);
    await fake.waitForResume();
    const edit = await fake.waitForCall('PATCH', webhook(token));
    expect(edit.body.embeds.length).toBeGreaterThan(0);
  });
});

describe('/ask since: and category:', () => {
  const since = (year: number) => ({ name: 'since', type: 4, value: year });
  const category = (value: string, focused = false) => ({ name: 'category', type: 3, value, ...(focused && { focused }) });

  it('GIVEN a category and a year THEN only those papers answer; GIVEN none match THEN says what the filter kept', async () => {
    const { fake } = await startTestBot();
    const ask = async (question: string, ...options: object[]) => {
      const { token } = fake.slashCommand('ask', [str(question), { name: 'count', type: 4, value: 10 }, ...options]);
      return (await fake.waitForCall('PATCH', webhook(token))).body;
    };
    const ids = (body: { embeds: { url: string }[] }) => body.embeds.map((e) => e.url.replace('https://arxiv.org/abs/', ''));
    // cs.LG papers of the seeds: 2305.00380 (2023), 2210.04092 and 2211.12005 (2022).
    const learning = ['2305.00380', '2210.04092', '2211.12005'];
    expect(ids(await ask('learning training models')).some((id) => !learning.includes(id))).toBe(true);
    const inLearning = ids(await ask('learning training models', category('cs.lg')));
    expect(inLearning.length).toBeGreaterThan(1);
    for (const id of inLearning) expect(learning).toContain(id);
    expect(ids(await ask('learning training models', category('cs.LG'), since(2023)))).toEqual(['2305.00380']);
    const none = await ask('efficient models', category('cs.CY'), since(2023));
    expect(none.embeds[0].description).toMatch(/^No paper among the 10 I know \(since 2023, in cs\.CY\) really matches “efficient models”/);
  });

  it('GIVEN a year in the future or an unknown category THEN a private refusal saying which, before any deferral', async () => {
    const { fake } = await startTestBot();
    const future = fake.slashCommand('ask', [str('diffusion'), since(2099)]);
    expect((await fake.waitForCall('POST', callback(future.id))).body).toMatchObject({
      type: 4,
      data: { flags: EPHEMERAL, content: expect.stringContaining(`since 2099 is in the future: it is ${new Date().getUTCFullYear()}`) },
    });
    const unknown = fake.slashCommand('ask', [str('diffusion'), category('cs.XX')]);
    expect((await fake.waitForCall('POST', callback(unknown.id))).body).toMatchObject({
      type: 4,
      data: { flags: EPHEMERAL, content: expect.stringContaining('category "cs.XX": no paper in the library is in that category (they are in cs.CV, cs.LG, cs.CL, cs.CY)') },
    });
  });

  it('GIVEN a few typed letters of a category THEN suggests the library\'s categories with their counts, at most 25', async () => {
    const { fake } = await startTestBot();
    const { id } = fake.autocomplete('ask', [str('diffusion'), category('c', true)]);
    const call = await fake.waitForCall('POST', callback(id));
    expect(call.body).toEqual({ type: 8, data: { choices: [
      { name: 'cs.CV · 4 papers', value: 'cs.CV' },
      { name: 'cs.LG · 3 papers', value: 'cs.LG' },
      { name: 'cs.CL · 1 paper', value: 'cs.CL' },
      { name: 'cs.CY · 1 paper', value: 'cs.CY' },
    ] } });
  });
});

describe('/similar and the Similar buttons', () => {
  const paperOption = (value: string, focused = false) => ({ name: 'paper', type: 3, value, ...(focused && { focused }) });
  const idOf = (e: { url: string }) => e.url.replace('https://arxiv.org/abs/', '');

  it('GIVEN a paper picked from the suggestions THEN the nearest papers, never itself, each with what it shares, and their own Abstract and Similar buttons', async () => {
    const { fake } = await startTestBot();
    const suggest = fake.autocomplete('similar', [paperOption('snapf', true)]);
    expect((await fake.waitForCall('POST', callback(suggest.id))).body.data.choices[0].value).toBe('2306.00980');

    const { id } = fake.slashCommand('similar', [paperOption('2306.00980'), { name: 'count', type: 4, value: 3 }]);
    const reply = (await fake.waitForCall('POST', callback(id))).body;
    expect(reply.type).toBe(4);
    expect(reply.data.flags ?? 0).toBe(0);
    expect(reply.data.allowed_mentions).toMatchObject({ parse: [] });
    const ids = reply.data.embeds.map(idOf);
    expect(ids).toHaveLength(3);
    expect(ids).not.toContain('2306.00980');
    // The EfficientFormer paper shares "mobile" and "devices" with SnapFusion: nearest of the seeds.
    expect(ids[0]).toBe('2212.08059');
    expect(reply.data.embeds[0].description).toMatch(/\n\*Shares:\* mobile, run, devices/);
    expect(reply.data.embeds.at(-1).footer.text).toBe('3 papers like “SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds” (2306.00980)');
    const rows = reply.data.components.map((r: { components: { label: string; custom_id: string }[] }) => r.components.map((c) => c.label));
    expect(rows).toEqual([['Abstract 1', 'Abstract 2', 'Abstract 3'], ['Similar 1', 'Similar 2', 'Similar 3'], ['Save 1', 'Save 2', 'Save 3']]);
    expect(reply.data.components[1].components[0].custom_id).toBe('similar:paper:2212.08059');
  });

  it('GIVEN Similar under an answer or a card is clicked THEN that paper\'s nearest, privately; GIVEN an unknown paper or a future year THEN a private refusal', async () => {
    const { fake } = await startTestBot();
    const { token } = fake.slashCommand('ask', [str('models'), { name: 'count', type: 4, value: 10 }]);
    await fake.waitForCall('PATCH', webhook(token));
    const original = fake.originalMessage(token);
    // 8 papers: ◀ ▶ Subscribe, two rows of Abstract, two of Similar: Discord's 5 rows, as for 10.
    expect(original.embeds).toHaveLength(8);
    expect(original.components).toHaveLength(5);
    const similar = original.components[3].components[0];
    expect(similar.label).toBe('Similar 1');
    const first = idOf(original.embeds[0]);
    const click = fake.buttonClick(similar.custom_id, original, { userId: 'V' });
    const reply = (await fake.waitForCall('POST', callback(click.id))).body;
    expect(reply).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(reply.data.embeds.map(idOf)).not.toContain(first);
    expect(reply.data.embeds).toHaveLength(5);

    const card = fake.slashCommand('paper', [{ name: 'title', type: 3, value: '2212.08059' }]);
    const cardReply = (await fake.waitForCall('POST', callback(card.id))).body;
    expect(cardReply.data.components[0].components[0]).toMatchObject({ label: 'Similar papers', custom_id: 'similar:paper:2212.08059' });

    const unknown = fake.slashCommand('similar', [paperOption('a paper about pizza ovens')]);
    expect((await fake.waitForCall('POST', callback(unknown.id))).body).toMatchObject({
      type: 4,
      data: { flags: EPHEMERAL, content: expect.stringContaining('no paper in the library has the id or title "a paper about pizza ovens"') },
    });
    const future = fake.slashCommand('similar', [paperOption('2212.08059'), { name: 'since', type: 4, value: 2099 }]);
    expect((await fake.waitForCall('POST', callback(future.id))).body).toMatchObject({ data: { flags: EPHEMERAL, content: expect.stringContaining('since 2099 is in the future') } });
    const gone = fake.buttonClick('similar:paper:2999.99999', original);
    expect((await fake.waitForCall('POST', callback(gone.id))).body).toMatchObject({ data: { flags: EPHEMERAL, content: expect.stringContaining('no longer in my corpus') } });
  });
});

describe('/cite and the BibTeX button', () => {
  const paperOption = (value: string) => ({ name: 'paper', type: 3, value });

  it('GIVEN a paper THEN its BibTeX in a code block a parser reads back; RIS on demand; the card\'s BibTeX button answers privately', async () => {
    const { fake } = await startTestBot();
    const { id } = fake.slashCommand('cite', [paperOption('2306.00980')]);
    const reply = (await fake.waitForCall('POST', callback(id))).body;
    expect(reply.type).toBe(4);
    const block = /^```bibtex\n([\s\S]*)\n```$/.exec(reply.data.content);
    expect(block).not.toBeNull();
    expect(parse(block![1]!).entries[0]).toMatchObject({ key: 'li2023snapfusion', fields: { eprint: '2306.00980', archiveprefix: 'arXiv' } });
    const ris = fake.slashCommand('cite', [paperOption('SnapFusion'), { name: 'format', type: 3, value: 'ris' }]);
    expect((await fake.waitForCall('POST', callback(ris.id))).body.data.content).toMatch(/^```\nTY {2}- JOUR\n/);

    const card = fake.slashCommand('paper', [{ name: 'title', type: 3, value: '2212.08059' }]);
    const cardReply = (await fake.waitForCall('POST', callback(card.id))).body;
    const bibtex = cardReply.data.components[0].components[1];
    expect(bibtex).toMatchObject({ label: 'BibTeX', custom_id: 'cite:bibtex:2212.08059' });
    const click = fake.buttonClick(bibtex.custom_id, { ...cardReply.data, id: '900000000000000001', channel_id: '300000000000000001', author: { id: APP_ID, username: 'paperbot', discriminator: '0', avatar: null, bot: true }, flags: 0 }, { userId: 'V' });
    const clicked = (await fake.waitForCall('POST', callback(click.id))).body;
    expect(clicked.data.flags).toBe(EPHEMERAL);
    expect(clicked.data.content).toMatch(/^```bibtex\n@article\{li2022rethinking,/);

    const unknown = fake.slashCommand('cite', [paperOption('2999.99999')]);
    expect((await fake.waitForCall('POST', callback(unknown.id))).body.data).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('no paper in the library has the id or title "2999.99999"') });
  });

  it('GIVEN a paper with 300 authors THEN the entry, whole, comes as an attached .bib file', async () => {
    const [seed] = seedPapers();
    const crowded = { ...seed!, id: '2401.00001', title: 'A Paper by Very Many People', authors: Array.from({ length: 300 }, (_, i) => `Author Number${i}`) };
    const { fake } = await startTestBot({ PAPERBOT_CORPUS: writeCorpus([seed!, crowded]) });
    const { id } = fake.slashCommand('cite', [paperOption('2401.00001')]);
    const call = await fake.waitForCall('POST', callback(id));
    expect(call.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(call.body.data.content).toBe('BibTeX for “A Paper by Very Many People” is too long for a message: attached.');
    const form = await new Response(call.rawBody, { headers: { 'content-type': call.headers['content-type']! } }).formData();
    const file = [...form.values()].find((v) => typeof v !== 'string') as unknown as { name: string; text(): Promise<string> };
    expect(file.name).toBe('number2023paper.bib');
    const [entry] = parse(await file.text()).entries;
    expect(entry!.fields.author).toHaveLength(300);
  });
});

describe('/author', () => {
  it('GIVEN typed letters THEN names by paper count; GIVEN a name THEN its papers newest first, linked, with the several-people caveat; GIVEN an unknown one THEN a private refusal', async () => {
    const { fake } = await startTestBot();
    const suggest = fake.autocomplete('author', [{ name: 'name', type: 3, value: 'wang', focused: true }]);
    const choices = (await fake.waitForCall('POST', callback(suggest.id))).body.data.choices;
    expect(choices[0]).toEqual({ name: 'Yanzhi Wang · 10 papers', value: 'Yanzhi Wang' });
    expect(choices.length).toBeLessThanOrEqual(25);

    const { id } = fake.slashCommand('author', [{ name: 'name', type: 3, value: 'Wang, Yanzhi' }]);
    const reply = (await fake.waitForCall('POST', callback(id))).body;
    expect(reply.data.allowed_mentions).toMatchObject({ parse: [] });
    const [embed] = reply.data.embeds;
    expect(embed.title).toBe('Yanzhi Wang: 10 papers');
    expect(embed.description).toMatch(/^\*One name can be several people: these 10 papers fall into \d+ groups that share no co-author\.\*\n/);
    expect(embed.description).toContain('**Co-authors:** Geng Yuan (3)');
    expect(embed.description).toMatch(/\n1\. \[SupeRBNN: .*\]\(https:\/\/arxiv\.org\/abs\/2309\.12212\) \(2023\)\n/);

    const unknown = fake.slashCommand('author', [{ name: 'name', type: 3, value: 'Ada Lovelace' }]);
    expect((await fake.waitForCall('POST', callback(unknown.id))).body.data).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('no author in the library is called "Ada Lovelace"') });
  });
});

describe('/paper', () => {
  it('GIVEN a few typed letters THEN suggests at most 25 titles of ≤ 100 characters, valued by id', async () => {
    const { fake } = await startTestBot();
    const { id } = fake.autocomplete('paper', [{ name: 'title', type: 3, value: 'snapf', focused: true }]);
    const call = await fake.waitForCall('POST', callback(id));
    expect(call.body.type).toBe(8);
    expect(call.body.data.choices[0]).toEqual({ name: 'SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds (2023, Li)', value: '2306.00980' });
    for (const c of call.body.data.choices) expect(c.name.length).toBeLessThanOrEqual(100);
    const empty = fake.autocomplete('paper', [{ name: 'title', type: 3, value: '', focused: true }]);
    const newest = await fake.waitForCall('POST', callback(empty.id));
    expect(newest.body.data.choices).toHaveLength(10);
    expect(newest.body.data.choices[0].value).toBe('2309.12212');
  });

  it('GIVEN a chosen suggestion or a sloppy title THEN shows the full card', async () => {
    const { fake } = await startTestBot();
    const chosen = fake.slashCommand('paper', [{ name: 'title', type: 3, value: '2306.00980' }]);
    const card = await fake.waitForCall('POST', callback(chosen.id));
    expect(card.body.data.embeds[0].title).toMatch(/^SnapFusion/);
    expect(card.body.data.embeds[0].fields.find((f: { name: string }) => f.name === 'Authors').value.split(', ')).toHaveLength(9);
    const sloppy = fake.slashCommand('paper', [{ name: 'title', type: 3, value: 'Advancing Model Prunning via Bilevel Optimisation' }]);
    const bip = await fake.waitForCall('POST', callback(sloppy.id));
    expect(bip.body.data.embeds[0].title).toBe('Advancing Model Pruning via Bi-level Optimization');
    expect(bip.body.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('GIVEN text in no title THEN falls back to the full text and says so', async () => {
    const { fake } = await startTestBot();
    const { id } = fake.slashCommand('paper', [{ name: 'title', type: 3, value: 'catastrophic forgetting' }]);
    const reply = await fake.waitForCall('POST', callback(id));
    expect(reply.body.data.content).toBe('No title matches “catastrophic forgetting”; this paper\'s abstract does:');
    expect(reply.body.data.embeds[0].title).toMatch(/^DualHSIC/);
  });
});

describe('mentions', () => {
  it('GIVEN a message mentioning the bot THEN replies to it with the answer, pinging nobody', async () => {
    const { fake } = await startTestBot();
    const { id } = fake.messageCreate(`<@${APP_ID}> which paper makes ViTs as fast as MobileNet?`, { mentionsBot: true });
    const reply = await fake.waitForCall('POST', /^\/api\/v10\/channels\/C\/messages$/);
    expect(reply.body.message_reference).toMatchObject({ message_id: id });
    expect(reply.body.embeds[0].title).toBe('1. Rethinking Vision Transformers for MobileNet Size and Speed');
    expect(reply.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('GIVEN a message that does not mention the bot, a bot author, or a reply to the bot THEN stays silent', async () => {
    const { fake, logs } = await startTestBot();
    fake.messageCreate('which paper makes ViTs as fast as MobileNet?');
    fake.messageCreate(`<@${APP_ID}> ping`, { mentionsBot: true, userId: APP_ID });
    // A reply to the bot's answer carries the bot in mentions (a reply ping), without @PaperBot in the text.
    fake.dispatch('MESSAGE_CREATE', {
      id: '900000000000000001', channel_id: 'C', guild_id: 'G', type: 19, content: 'thanks!', tts: false, pinned: false, timestamp: new Date().toISOString(), edited_timestamp: null,
      author: { id: 'U', username: 'alice', discriminator: '0', global_name: 'alice', avatar: null },
      member: { roles: [], joined_at: '2024-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
      mentions: [{ id: APP_ID, username: 'paperbot', discriminator: '0', avatar: null, bot: true }], mention_roles: [], mention_everyone: false, attachments: [], embeds: [], components: [], flags: 0,
      message_reference: { message_id: '800000000000000001', channel_id: 'C', guild_id: 'G' },
      referenced_message: {
        id: '800000000000000001', channel_id: 'C', guild_id: 'G', type: 0, content: '', tts: false, pinned: false, timestamp: new Date().toISOString(), edited_timestamp: null,
        author: { id: APP_ID, username: 'paperbot', discriminator: '0', avatar: null, bot: true }, mentions: [], mention_roles: [], mention_everyone: false, attachments: [], embeds: [], components: [], flags: 0,
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.callsTo('POST', /\/channels\/C\/messages$/)).toEqual([]);
    expect(logs.filter((l) => l.kind === 'mention')).toEqual([]);
  });
});

describe('/help and /about', () => {
  it('GIVEN /help THEN lists the commands privately', async () => {
    const { fake } = await startTestBot();
    const { id } = fake.slashCommand('help');
    const reply = await fake.waitForCall('POST', callback(id));
    expect(reply.body.data.flags).toBe(EPHEMERAL);
    expect(reply.body.data.embeds[0].description).toMatch(/`\/ask question:`[\s\S]*`\/paper title:`[\s\S]*`\/trend topic:`[\s\S]*`\/about`/);
  });

  it('GIVEN /about THEN shows corpus size, newest paper, index build time, version and uptime', async () => {
    const { fake } = await startTestBot();
    const { id } = fake.slashCommand('about');
    const reply = await fake.waitForCall('POST', callback(id));
    const fields = Object.fromEntries(reply.body.data.embeds[0].fields.map((f: { name: string; value: string }) => [f.name, f.value]));
    expect(fields).toMatchObject({
      Papers: '10 (2022–2023)',
      Index: expect.stringMatching(/^impact, built <t:\d+:R>$/),
      Version: '0.1.0',
      'Newest paper': expect.stringMatching(/^SupeRBNN/),
      'Up for': expect.stringMatching(/s$/),
    });
  });
});

describe('logs', () => {
  it('GIVEN a session of commands THEN the token never reaches the logs', async () => {
    const { fake, rawLogs, bot } = await startTestBot();
    const { token } = fake.slashCommand('ask', [str('pruning')]);
    await fake.waitForCall('PATCH', webhook(token));
    bot.log.info({ config: { token: 'test-bot-token-secret' }, headers: { authorization: 'Bot test-bot-token-secret' } }, 'probe');
    expect(rawLogs()).toContain('"probe"');
    expect(rawLogs()).not.toContain('test-bot-token-secret');
  });
});

describe('logs of Discord errors', () => {
  it('GIVEN a failed reply THEN the interaction token in the error URL is masked', async () => {
    const { fake, rawLogs, logs } = await startTestBot();
    fake.failNext(500, { message: 'boom', code: 0 }, { pathPattern: /messages\/@original$/ });
    const { token } = fake.slashCommand('ask', [str('pruning')]);
    await fake.waitForCall('POST', new RegExp(`^/api/v10/webhooks/${APP_ID}/${token}$`));
    await until(() => logs.some((l) => l.msg === 'interaction failed'), 'the error log line');
    expect(rawLogs()).toContain('webhooks/100000000000000001/[redacted]');
    expect(rawLogs()).not.toContain(token);
  });
});

describe('/trend', () => {
  it('GIVEN a topic THEN defers, then attaches the chart as a PNG upload shown in the embed, with the counts in words', async () => {
    const { fake } = await startTestBot();
    const { id, token } = fake.slashCommand('trend', [{ name: 'topic', type: 3, value: 'vision transformers' }, { name: 'since', type: 4, value: 2022 }]);
    expect((await fake.waitForCall('POST', callback(id))).body).toMatchObject({ type: 5 });
    const edit = await fake.waitForCall('PATCH', webhook(token));
    expect(edit.headers['content-type']).toMatch(/^multipart\/form-data/);
    const [embed] = edit.body.embeds;
    expect(embed.title).toBe('Papers on “vision transformers”, per month');
    expect(embed.description).toBe('4 of 10 papers (40%) hold every word of the topic, 2022-01 to 2023-09 · peak 2022-11 (2)');
    expect(embed.image.url).toBe('attachment://trend.png');
    expect(embed.fields[0]).toMatchObject({ name: 'Latest months', value: expect.stringMatching(/^2023-04: 0 \(0\.00%\)\n[\s\S]*\n2023-09: 0 \(0\.00%\)$/) });
    expect(edit.body.allowed_mentions.parse).toEqual([]);
    const form = await new Response(edit.rawBody, { headers: { 'content-type': edit.headers['content-type']! } }).formData();
    const file = [...form.values()].find((v) => typeof v !== 'string') as unknown as { name: string; type: string; arrayBuffer(): Promise<ArrayBuffer> };
    expect(file.name).toBe('trend.png');
    const png = Buffer.from(await file.arrayBuffer());
    expect(png.length).toBeGreaterThan(10_000);
    readPng(png, 1000, 500);
  });

  it('GIVEN a topic nothing matches, or a future since THEN a private refusal saying why, before any deferral', async () => {
    const { fake } = await startTestBot();
    const none = fake.slashCommand('trend', [{ name: 'topic', type: 3, value: '@everyone pizza' }]);
    const refused = (await fake.waitForCall('POST', callback(none.id))).body;
    expect(refused).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(refused.data.content).toMatch(/^No paper matches "@everyone pizza": no paper holds .*"pizza"/);
    expect(refused.data.allowed_mentions.parse).toEqual([]);
    const future = fake.slashCommand('trend', [{ name: 'topic', type: 3, value: 'diffusion' }, { name: 'since', type: 4, value: 2099 }]);
    expect((await fake.waitForCall('POST', callback(future.id))).body).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringMatching(/since 2099 is in the future/) } });
  });
});

describe('reading lists', () => {
  const botMessage = (data: object) => ({ ...data, id: '900000000000000002', channel_id: '300000000000000001', author: { id: APP_ID, username: 'paperbot', discriminator: '0', avatar: null, bot: true }, flags: 0 });
  const opt = (name: string, value: string) => ({ name, type: 3, value });
  const sub = (name: string, options: object[] = []) => [{ name, type: 1, options }];
  // Administrator (bit 3) would imply Manage Messages (bit 13): both off.
  const NO_MANAGE_MESSAGES = (BigInt('8866461766385663') & ~(1n << 13n) & ~(1n << 3n)).toString();

  it('GIVEN Save under an answer and on a card THEN saved privately, once, with Unsave; /saved lists them newest first, privately; remove: takes one off', async () => {
    const { fake } = await startTestBot();
    const { token } = fake.slashCommand('ask', [str('vision transformers')]);
    await fake.waitForCall('PATCH', webhook(token));
    const answer = fake.originalMessage(token);
    const saveRow = answer.components.at(-1).components;
    expect(saveRow.map((b: { label: string }) => b.label)).toEqual(['Save 1', 'Save 2', 'Save 3']);
    const firstId = saveRow[0].custom_id.split(':')[2];

    const click = fake.buttonClick(saveRow[0].custom_id, answer, { userId: 'V' });
    const saved = (await fake.waitForCall('POST', callback(click.id))).body;
    expect(saved).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringMatching(/^Saved “.+”\. You have 1 saved paper: `\/saved` lists them\.$/) } });
    const again = fake.buttonClick(saveRow[0].custom_id, answer, { userId: 'V' });
    expect((await fake.waitForCall('POST', callback(again.id))).body.data.content).toMatch(/is already among your 1 saved paper\.$/);

    const card = fake.slashCommand('paper', [{ name: 'title', type: 3, value: '2306.00980' }], { userId: 'V' });
    const cardReply = (await fake.waitForCall('POST', callback(card.id))).body;
    const save = cardReply.data.components[0].components.find((b: { label: string }) => b.label === 'Save');
    expect(save.custom_id).toBe('saved:save:2306.00980');
    const fromCard = fake.buttonClick(save.custom_id, botMessage(cardReply.data), { userId: 'V' });
    const confirmation = (await fake.waitForCall('POST', callback(fromCard.id))).body;
    expect(confirmation.data.content).toMatch(/^Saved “SnapFusion: .+”\. You have 2 saved papers/);

    const list = fake.slashCommand('saved', [], { userId: 'V' });
    const shown = (await fake.waitForCall('POST', callback(list.id))).body;
    expect(shown.data.flags).toBe(EPHEMERAL);
    const lines = shown.data.embeds[0].description.split('\n');
    expect(lines[0]).toMatch(/^1\. \[SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds\]\(https:\/\/arxiv\.org\/abs\/2306\.00980\) \(2023\) · added <t:\d+:d>$/);
    expect(lines[1]).toMatch(new RegExp(`^2\\. \\[.+\\]\\(https://arxiv\\.org/abs/${firstId.replace('.', '\\.')}\\)`));
    expect(shown.data.embeds[0].footer.text).toBe('2 papers');
    const someoneElse = fake.slashCommand('saved');
    expect((await fake.waitForCall('POST', callback(someoneElse.id))).body.data.content).toMatch(/^You have no saved papers yet/);

    // Unsave, on the private confirmation, turns that confirmation.
    const unsaveButton = confirmation.data.components[0].components[0];
    expect(unsaveButton).toMatchObject({ label: 'Unsave', custom_id: 'saved:unsave:2306.00980' });
    const unsave = fake.buttonClick(unsaveButton.custom_id, { ...botMessage(confirmation.data), flags: EPHEMERAL }, { userId: 'V' });
    expect((await fake.waitForCall('POST', callback(unsave.id))).body).toMatchObject({ type: 7, data: { content: expect.stringMatching(/^Removed “SnapFusion: .+” from your saved papers \(1 saved paper left\)\.$/) } });

    const suggest = fake.autocomplete('saved', [{ name: 'remove', type: 3, value: '', focused: true }], { userId: 'V' });
    const choices = (await fake.waitForCall('POST', callback(suggest.id))).body.data.choices;
    expect(choices).toEqual([{ name: expect.any(String), value: firstId }]);
    const removed = fake.slashCommand('saved', [opt('remove', firstId)], { userId: 'V' });
    expect((await fake.waitForCall('POST', callback(removed.id))).body.data).toMatchObject({ flags: EPHEMERAL, content: expect.stringMatching(/\(0 saved papers left\)/) });
  });

  it('GIVEN /list add, show, remove and export THEN one list for the channel: others\' entries need Manage Messages to remove, export is a BibTeX file a parser reads', async () => {
    const { fake } = await startTestBot();
    const reply = async (i: { id: string }) => (await fake.waitForCall('POST', callback(i.id))).body;
    const added = await reply(fake.slashCommand('list', sub('add', [opt('name', "This week's reading"), opt('paper', '2306.00980')])));
    expect(added).toMatchObject({ type: 4, data: { content: 'Added “SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds” to “This week\'s reading” (1 paper).' } });
    expect(added.data.flags ?? 0).toBe(0);
    await reply(fake.slashCommand('list', sub('add', [opt('name', "this week's reading"), opt('paper', 'Rethinking Vision Transformers')]), { userId: 'V' }));

    const names = await reply(fake.autocomplete('list', [{ name: 'show', type: 1, options: [{ name: 'name', type: 3, value: 'week', focused: true }] }]));
    expect(names.data.choices).toEqual([{ name: "This week's reading · 2 papers", value: "This week's reading" }]);

    const shown = await reply(fake.slashCommand('list', sub('show', [opt('name', "THIS WEEK'S READING")])));
    expect(shown.data.embeds[0].title).toBe("Reading list: This week's reading");
    expect(shown.data.embeds[0].description).toMatch(/^1\. \[SnapFusion.+ · added <t:\d+:d> by <@U>\n2\. \[Rethinking Vision Transformers.+ by <@V>$/);
    expect(shown.data.allowed_mentions.parse).toEqual([]);

    const refused = await reply(fake.slashCommand('list', sub('remove', [opt('name', "This week's reading"), opt('paper', '2212.08059')]), { permissions: NO_MANAGE_MESSAGES }));
    expect(refused.data).toMatchObject({ flags: EPHEMERAL, content: expect.stringMatching(/needs the Manage Messages permission/) });
    const own = await reply(fake.slashCommand('list', sub('remove', [opt('name', "This week's reading"), opt('paper', '2212.08059')]), { userId: 'V', permissions: NO_MANAGE_MESSAGES }));
    expect(own.data.content).toMatch(/^Removed “Rethinking Vision Transformers.+” from “This week's reading” \(1 paper left\)\.$/);

    const exported = await fake.waitForCall('POST', callback(fake.slashCommand('list', sub('export', [opt('name', "This week's reading")])).id));
    expect(exported.body.data.content).toBe('1 entry of “This week\'s reading”, attached.');
    const form = await new Response(exported.rawBody, { headers: { 'content-type': exported.headers['content-type']! } }).formData();
    const file = [...form.values()].find((v) => typeof v !== 'string') as unknown as { name: string; text(): Promise<string> };
    expect(file.name).toBe('this-week-s-reading.bib');
    expect(parse(await file.text()).entries.map((e) => e.key)).toEqual(['li2023snapfusion']);

    const unknown = await reply(fake.slashCommand('list', sub('show', [opt('name', 'nope')])));
    expect(unknown.data).toMatchObject({ flags: EPHEMERAL, content: 'there is no list "nope" here (there are "This week\'s reading")' });
    const elsewhere = await reply(fake.slashCommand('list', sub('show', [opt('name', "This week's reading")]), { channelId: '300000000000000009' }));
    expect(elsewhere.data.content).toMatch(/^there is no list/);
  });
});
