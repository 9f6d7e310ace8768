import { describe, expect, it } from 'vitest';
import { sharedWords } from '../../src/search/similarPapers.js';
import { boldAnswer, DISCORD_LIMITS, embedsLength, renderAnswerPage, renderDigest, renderNoMatch, renderPaperCard, renderSubscriptionList, safeText } from '../../src/render/discord.js';
import { truncate } from '../../src/text/truncate.js';
import type { PaperView } from '../../src/render/paperView.js';
import { seedPapers } from '../support/corpus.js';

function view(overrides: Partial<PaperView> = {}): PaperView {
  return {
    id: '2306.00980',
    title: 'SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds',
    authors: ['Yanyu Li', 'Huan Wang', 'Qing Jin', 'Ju Hu'],
    year: 2023,
    venue: 'NeurIPS 2023',
    categories: [],
    abstract: 'We run diffusion models on phones.',
    url: 'https://arxiv.org/abs/2306.00980',
    pdf: 'https://arxiv.org/pdf/2306.00980',
    code: null,
    score: 3.2,
    answer: 'We run diffusion models on phones.',
    highlights: [[7, 16]],
    matchedTerms: ['diffus'],
    matchedWords: ['diffusion'],
    matchedAuthors: [],
    ...overrides,
  };
}

describe('safeText', () => {
  it('GIVEN markdown and mass mentions THEN escapes and defuses them', () => {
    expect(safeText('**bold** _x_ @everyone @here')).toBe('\\*\\*bold\\*\\* \\_x\\_ @\u200beveryone @\u200bhere');
  });
  it('GIVEN a masked link, a heading and a list THEN none of them renders', () => {
    expect(safeText('[Free Nitro](https://evil.example/login)\n# Heading\n- item')).toBe('\\[Free Nitro](https://evil.example/login) # Heading - item');
  });
});

describe('truncate', () => {
  it('GIVEN long text THEN cuts at a word boundary with an ellipsis, within the limit', () => {
    const cut = truncate('one two three four five six', 14);
    expect(cut).toBe('one two three…');
    expect(cut.length).toBeLessThanOrEqual(14);
  });

  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  it.each([
    ['emoji, a surrogate pair each', '😀'.repeat(40)],
    ['an emoji with a skin tone', '👍🏽'.repeat(20)],
    ['a family, joined by zero-width joiners', '👨‍👩‍👧'.repeat(10)],
    ['letters with combining accents', 'e\u0301'.repeat(40)],
  ])('GIVEN %s with no space THEN never cuts inside a character', (_, text) => {
    for (let max = 2; max < 30; max++) {
      const cut = truncate(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(lone);
      const kept = cut.slice(0, -1);
      // What is kept is whole graphemes of the original: the text starts with it and goes on at a boundary.
      expect(text.startsWith(kept)).toBe(true);
      expect([...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].some((g) => g.index === kept.length)).toBe(true);
    }
  });
});

describe('boldAnswer', () => {
  it('GIVEN highlights THEN bolds the matched words and escapes the rest', () => {
    expect(boldAnswer(view({ answer: 'We run *diffusion* models.', highlights: [[8, 17]] }), 500)).toBe('We run \\***diffusion**\\* models.');
  });
  it('GIVEN a small budget THEN never cuts inside a bold word', () => {
    const text = boldAnswer(view({ answer: 'alpha beta gamma delta', highlights: [[11, 16]] }), 14);
    expect(text.length).toBeLessThanOrEqual(14);
    expect((text.match(/\*\*/g) ?? []).length % 2).toBe(0);
  });
});

describe('renderAnswerPage', () => {
  it('GIVEN a page THEN links the title, shows authors, answer in bold, links, the page in the footer, and pings nobody', () => {
    const message = renderAnswerPage({ question: 'diffusion on phones', views: [view()], firstRank: 1, page: 1, pageCount: 2, totalResults: 4, session: 'abc' });
    const [embed] = message.embeds;
    expect(embed!.title).toBe('1. SnapFusion: Text-to-Image Diffusion Model on Mobile Devices within Two Seconds');
    expect(embed!.url).toBe('https://arxiv.org/abs/2306.00980');
    expect(embed!.description).toBe('Yanyu Li, Huan Wang, Qing Jin et al. · 2023 · NeurIPS 2023\n\n> We run **diffusion** models on phones.');
    expect(embed!.fields).toEqual([{ name: 'Links', value: '[arXiv](https://arxiv.org/abs/2306.00980) · [PDF](https://arxiv.org/pdf/2306.00980)' }]);
    expect(embed!.footer!.text).toBe('Page 1/2 · 4 results for “diffusion on phones”');
    expect(message.allowedMentions).toEqual({ parse: [], repliedUser: false });
    const [nav, abstracts] = message.components;
    expect(nav!.components.map((b) => [b.label, b.custom_id, b.disabled])).toEqual([
      ['◀', 'ask:page:abc:0', true],
      ['▶', 'ask:page:abc:2', false],
    ]);
    expect(abstracts!.components.map((b) => b.label)).toEqual(['Abstract 1']);
  });

  it('GIVEN an expired session THEN disables the page buttons', () => {
    const message = renderAnswerPage({ question: 'q', views: [view()], firstRank: 4, page: 2, pageCount: 3, totalResults: 9, session: null });
    expect(message.components[0]!.components.every((b) => b.disabled)).toBe(true);
  });

  it('GIVEN ten papers with huge answers and titles THEN stays within every Discord limit', () => {
    const long = 'word '.repeat(2000);
    // Everything at the schema's maximum: 1,000-character titles and venues, 300-character code links.
    const views = Array.from({ length: 10 }, (_, i) =>
      view({
        id: `2306.0098${i}`, title: `T${'itle '.repeat(200)}`, answer: long, highlights: [[0, 4], [4000, 4004]],
        authors: Array(200).fill(`A. ${'Very-Long-Name-'.repeat(30)}`), venue: 'V'.repeat(1000), code: `https://github.com/${'x'.repeat(280)}`,
      }),
    );
    const message = renderAnswerPage({ question: 'q'.repeat(1000), views, firstRank: 1, page: 1, pageCount: 1, totalResults: 10, session: 'x'.repeat(12) });
    expect(message.embeds).toHaveLength(10);
    expect(embedsLength(message)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
    for (const e of message.embeds) {
      expect(e.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
      expect(e.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
      for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    }
    expect(message.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.rows);
    for (const row of message.components) {
      expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
      for (const b of row.components) expect(b.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
    }
    // The same as a /similar page, each paper sharing many long words.
    const shared = views.map((v) => ({ ...v, matchedWords: Array.from({ length: 25 }, (_, i) => `${'w'.repeat(60)}${i}`) }));
    const similar = renderAnswerPage({ question: 'q', views: shared, firstRank: 1, page: 1, pageCount: 1, totalResults: 10, session: null, similarTo: { id: '2306.00980', title: 'T'.repeat(1000) } });
    expect(embedsLength(similar)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
    expect(similar.components).toHaveLength(4);
    expect(similar.embeds[9]!.footer!.text.length).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
  });
});

describe('sharedWords', () => {
  it('GIVEN a compound and its parts, and one word in two cases THEN the compound, each word once, at most max', () => {
    expect(sharedWords(['black-box', 'black', 'Zeroth-order', 'zeroth', 'box', 'Order', 'prompt'], 6)).toEqual(['black-box', 'Zeroth-order', 'prompt']);
    expect(sharedWords(['Diffusion', 'diffusion', 'mobile'], 6)).toEqual(['Diffusion', 'mobile']);
    expect(sharedWords(['a', 'b', 'c'], 2)).toEqual(['a', 'b']);
  });
});

describe('authors a question named', () => {
  it('GIVEN a matched author beyond the first three THEN the card shows and bolds them, escaped', () => {
    const message = renderAnswerPage({
      question: 'Ju_Hu', views: [view({ authors: ['Yanyu Li', 'Huan Wang', 'Qing Jin', 'Sergey Tulyakov', 'Ju_Hu', 'Jian Ren'], matchedAuthors: ['Ju_Hu'] })],
      firstRank: 1, page: 1, pageCount: 1, totalResults: 1, session: 'abc',
    });
    expect(message.embeds[0]!.description).toMatch(/^Yanyu Li, Huan Wang, Qing Jin, …, \*\*Ju\\_Hu\*\* et al\. · 2023/);
  });
});

describe('renderPaperCard limits', () => {
  it('GIVEN every field at the schema maximum THEN the card stays within 6,000 characters', () => {
    const paper = { ...seedPapers()[0]!, title: 'T'.repeat(1000), abstract: 'word '.repeat(4000), venue: 'V'.repeat(1000), authors: Array(300).fill('Author Name'), code: `https://github.com/${'x'.repeat(280)}` };
    const card = renderPaperCard(paper);
    expect(embedsLength(card)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
    expect(card.embeds[0]!.description!.length).toBeGreaterThan(1000);
  });
});

describe('renderNoMatch', () => {
  it('GIVEN hostile text THEN echoes it escaped and pings nobody', () => {
    const message = renderNoMatch('@everyone **pizza**', 10);
    expect(message.embeds[0]!.description).toContain('“@\u200beveryone \\*\\*pizza\\*\\*”');
    expect(message.embeds[0]!.description).toContain('/paper');
    expect(message.allowedMentions.parse).toEqual([]);
  });
  it('GIVEN a question in another language THEN adds that the papers are in English; an English one THEN does not', () => {
    expect(renderNoMatch('la diffusion de la lumière dans les nuages', 10).embeds[0]!.description).toContain("The papers' abstracts are in English");
    expect(renderNoMatch('best pizza in Naples', 10).embeds[0]!.description).not.toContain('in English');
  });
});

describe('control characters in embeds', () => {
  it('GIVEN text with ESC, BEL and C1 controls THEN safeText drops them', () => {
    expect(safeText('a\u001b[31mb\u0007c\u009bd')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('links in embeds', () => {
  it('GIVEN a code link written to close the link and open another THEN it stays one link, percent-encoded', () => {
    const paper = { ...seedPapers()[0]!, code: 'https://github.com/a)[Free_Nitro](https://evil.example/login' };
    const text = JSON.stringify(renderPaperCard(paper).embeds);
    expect(text).toContain('[Code](https://github.com/a%29%5BFree_Nitro%5D%28https://evil.example/login)');
    expect(text).not.toMatch(/\]\(https:\/\/evil/);
  });
});

describe('renderPaperCard', () => {
  it('GIVEN a seed paper THEN shows all authors, year, venue, categories, the normalised abstract and links', () => {
    const paper = seedPapers().find((p) => p.id === '2211.11152')!;
    const [embed] = renderPaperCard(paper).embeds;
    expect(embed!.title).toBe('You Need Multiple Exiting: Dynamic Early Exiting for Accelerating Unified Vision Language Model');
    expect(embed!.description).toContain('namely MuE.');
    expect(embed!.description).toContain('up to 50% and 40%');
    const fields = Object.fromEntries(embed!.fields!.map((f) => [f.name, f.value]));
    expect(fields.Authors!.split(', ')).toHaveLength(paper.authors.length);
    expect(fields).toMatchObject({ Year: '2022', Venue: 'CVPR 2023', Categories: 'cs.CV' });
  });
});

describe('renderDigest', () => {
  it('GIVEN more than fits in one message THEN splits into messages within 6,000 characters and 10 embeds, each paper once', () => {
    const papers = seedPapers();
    // Long "why this paper" lines make each embed ~1,500 characters.
    const items = papers.map((paper) => ({ paper, matchedWords: Array.from({ length: 150 }, (_, i) => `matchedword${i}`) }));
    const messages = renderDigest({ topic: 'vision transformer', author: null }, items);
    expect(messages.length).toBeGreaterThan(1);
    for (const { message } of messages) {
      expect(embedsLength(message)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
      expect(message.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
      expect(message.allowedMentions.parse).toEqual([]);
    }
    expect(messages.flatMap((m) => m.paperIds)).toEqual(papers.map((p) => p.id));
    expect(messages[0]!.message.content).toBe('**Daily digest** · “vision transformer” · 10 new papers');
    expect(messages[1]!.message.content).toBe('**Daily digest** · “vision transformer” (continued)');
  });

  it('GIVEN no papers THEN one short message', () => {
    expect(renderDigest({ topic: 'x', author: null }, []).map((m) => m.message.content)).toEqual(['**Daily digest** · “x” · nothing new today.']);
  });
});

describe('renderSubscriptionList', () => {
  it('GIVEN 25 digests with long topics THEN lists every one within the limits', () => {
    const subscriptions = Array.from({ length: 25 }, (_, i) => ({
      id: i + 1, topic: `a long topic about sparse expert routing number ${i} `.repeat(4), time: '09:00', timezone: 'America/Argentina/Buenos_Aires',
      lastSentAt: 1_700_000_000_000, papersSent: 123, pausedReason: i % 5 === 0 ? 'Missing Access (50001)' : null, maxPapers: 10,
    }));
    const message = renderSubscriptionList('<#C>', subscriptions);
    const text = message.embeds.map((e) => e.description).join('\n');
    for (const s of subscriptions) expect(text).toContain(`**#${s.id}**`);
    expect(embedsLength(message)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
    for (const e of message.embeds) expect(e.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
  });
});
