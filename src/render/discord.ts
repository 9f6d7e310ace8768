import { escapeMarkdown } from 'discord.js';
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
} from 'discord-api-types/v10';
import type { Paper } from '../corpus/paper.js';
import { authorFacts, authorHeading, severalPeople, type AuthorPage } from '../authors/authorPage.js';
import type { CitationFormat } from '../cite/citation.js';
import type { EmbeddingStatus } from '../embeddings/LiveEmbeddings.js';
import type { CorpusStats, PaperHit } from '../search/PaperSearch.js';
import type { PaperFilter } from '../search/Retriever.js';
import { normalizeText, withoutControls } from '../text/normalize.js';
import { answerSegments, authorLine, describePaper, toPaperView, type PaperView } from './paperView.js';
import { ENGLISH_HINT, looksNonEnglish } from '../text/language.js';
import { truncate } from '../text/truncate.js';
import { sharedWords } from '../search/similarPapers.js';
import type { Trend } from '../trend/topicTrend.js';
import { describeSubject, type DigestSubject } from '../digest/composeDigest.js';
import type { ListChange, ReadingList } from '../lists/ReadingListService.js';
import { trendSummary, trendTitle } from './trendChart.js';
import type { Chart } from './charts.js';

/**
 * Discord's limits, from its API reference (Embed Limits, Message Components).
 * Everything this module builds stays inside them.
 */
export const DISCORD_LIMITS = {
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Characters across all embeds of one message. */
  embedsTotal: 6000,
  embedsPerMessage: 10,
  fields: 25,
  buttonsPerRow: 5,
  rows: 5,
  customId: 100,
  buttonLabel: 80,
  content: 2000,
  choiceName: 100,
  choiceValue: 100,
  choices: 25,
} as const;

/** The body of a message or interaction reply, as discord.js accepts it. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  /** Echoed text must never ping anyone: no users, roles or @everyone. */
  allowedMentions: { parse: []; repliedUser?: boolean };
  /** Files to upload with the message (a citation too long for a message, a chart). */
  files?: { name: string; attachment: Buffer }[];
}

const COLOR = 0x5865f2;
/** Mentions no message may make: users, roles, @everyone, nor the replied-to author. */
export const NO_PINGS = { parse: [] as [], repliedUser: false };
/** What a user sees when PaperBot itself failed. */
export const INTERNAL_ERROR = 'Something went wrong on my side; it has been logged. Please try again.';

/**
 * User or corpus text made inert: markdown escaped (masked links and headings
 * included, which discord.js leaves alone by default), line breaks flattened so
 * no line can start a heading or a list, mass mentions defused.
 */
export function safeText(text: string): string {
  return escapeMarkdown(withoutControls(text).replace(/\s*\n\s*/g, ' '), { maskedLink: true, heading: true, bulletedList: true })
    .replace(/@(everyone|here)/g, '@\u200b$1');
}

/** The answer with matched words in bold, escaped, at most `max` characters. */
export function boldAnswer(view: Pick<PaperView, 'answer' | 'highlights'>, max: number): string {
  let out = '';
  for (const segment of answerSegments(view)) {
    const piece = segment.matched ? `**${safeText(segment.text)}**` : safeText(segment.text);
    if (out.length + piece.length <= max - 1) {
      out += piece;
      continue;
    }
    // Never cut inside a bold word or an escape: only plain text is cut.
    if (!segment.matched) out += truncate(safeText(segment.text), Math.max(1, max - out.length)).replace(/\\?…$/, '');
    return `${out.trimEnd()}…`;
  }
  return out;
}

function links(paper: Pick<PaperView, 'url' | 'pdf' | 'code'>): string {
  return [`[arXiv](${linkTarget(paper.url)})`, paper.pdf && `[PDF](${linkTarget(paper.pdf)})`, paper.code && `[Code](${linkTarget(paper.code)})`]
    .filter(Boolean)
    .join(' · ');
}

/**
 * A URL as a markdown link's target: serialised by the URL parser and with
 * what could close or reopen the link (`(`, `)`, `[`, `]`, spaces)
 * percent-encoded, so no URL, however written, adds a link of its own.
 */
export function linkTarget(url: string): string {
  return new URL(url).href.replace(/[()[\]\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Authors (those the question named in bold), year and venue, escaped. */
function meta(view: Pick<PaperView, 'authors' | 'year' | 'venue'> & Partial<Pick<PaperView, 'matchedAuthors'>>, allAuthors = false): string {
  const show = (name: string, named: boolean) => (named ? `**${safeText(name)}**` : safeText(name));
  const shown = authorLine(view.authors, view.matchedAuthors, show, allAuthors ? Infinity : 3);
  return [shown, String(view.year), view.venue && safeText(view.venue)].filter(Boolean).join(' · ');
}

function embedSize(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/** One page of answers to a question, with its buttons. */
export interface AnswerPage {
  question: string;
  /** The papers on this page, best first. */
  views: PaperView[];
  /** Rank of the page's first paper, from 1. */
  firstRank: number;
  page: number;
  pageCount: number;
  totalResults: number;
  /** Session id for the page buttons; null once expired (buttons disabled). */
  session: string | null;
  /** Offer "Subscribe this channel" (a digest on the question). */
  subscribe?: boolean;
  /** The paper these are similar to (a /similar page: no paging, a "Shares" line a paper). */
  similarTo?: { id: string; title: string };
  /** A line above the answers, written by PaperBot (where they come from). */
  note?: string;
}

/** Button custom ids: `<command>:<action>:<argument>`, routed back to the command that made them. */
export const customIds = {
  page: (session: string, page: number) => `ask:page:${session}:${page}`,
  abstract: (paperId: string) => `ask:abstract:${paperId}`,
  similar: (paperId: string) => `similar:paper:${paperId}`,
  bibtex: (paperId: string) => `cite:bibtex:${paperId}`,
  subscribe: (session: string) => `digest:subscribe:${session}`,
  save: (paperId: string) => `saved:save:${paperId}`,
  vote: (subscriptionId: number, paperId: string, direction: 'up' | 'down') => `digest:vote:${subscriptionId}:${paperId}:${direction}`,
  unsave: (paperId: string) => `saved:unsave:${paperId}`,
};

// Ways to lay out one embed per paper, roomiest first: the first whose fixed
// parts (title, authors line, links) leave each answer at least MIN_ANSWER
// characters of the 6,000 a message may hold is used.
const LAYOUTS = [
  { title: DISCORD_LIMITS.embedTitle, head: 600, code: true },
  { title: 120, head: 200, code: true },
  { title: 80, head: 100, code: false },
] as const;
const MIN_ANSWER = 120;
// Room kept free of the 6,000: escapes may lengthen text after it was measured.
const MARGIN = 100;

/** /ask's answer (or /similar's): one embed per paper, the page in the footer, ◀ ▶, Abstract and Similar buttons. */
export function renderAnswerPage(page: AnswerPage): DiscordMessage {
  const n = page.views.length;
  const footer = truncate(
    page.similarTo === undefined
      ? `Page ${page.page}/${page.pageCount} · ${page.totalResults} result${page.totalResults === 1 ? '' : 's'} for “${truncate(page.question.replace(/\s+/g, ' '), 200)}”`
      : `${n} paper${n === 1 ? '' : 's'} like “${truncate(page.similarTo.title, 200)}” (${page.similarTo.id})`,
    DISCORD_LIMITS.footer,
  );
  const why = (v: PaperView) =>
    page.similarTo !== undefined
      ? `\n*Shares:* ${truncate(sharedWords(v.matchedWords).map(safeText).join(', '), 200)}`
      : v.similarity === undefined
        ? ''
        : `\n*${v.matchedWords.length > 0 ? 'Also close in meaning' : 'Found by meaning'} (similarity ${v.similarity.toFixed(2)})*`;
  const fixedFor = (layout: (typeof LAYOUTS)[number]) =>
    page.views.map((v, i) => ({
      title: truncate(safeText(`${page.firstRank + i}. ${v.title}`), layout.title),
      head: `${truncate(meta(v), layout.head)}${why(v)}\n\n`,
      links: links(layout.code ? v : { ...v, code: null }),
    }));
  const answerRoom = (fixed: ReturnType<typeof fixedFor>) =>
    Math.floor(
      (DISCORD_LIMITS.embedsTotal - MARGIN - footer.length - fixed.reduce((s, f) => s + f.title.length + f.head.length + f.links.length + 'Links> '.length, 0)) /
        Math.max(1, n),
    );
  const layout = LAYOUTS.find((l) => answerRoom(fixedFor(l)) >= MIN_ANSWER) ?? LAYOUTS[LAYOUTS.length - 1]!;
  const fixed = fixedFor(layout);
  const perAnswer = Math.max(1, Math.min(1000, answerRoom(fixed)));
  const embeds: APIEmbed[] = page.views.map((v, i) => ({
    title: fixed[i]!.title,
    url: v.url,
    color: COLOR,
    description: `${fixed[i]!.head}> ${boldAnswer(v, perAnswer)}`,
    fields: [{ name: 'Links', value: fixed[i]!.links }],
    ...(i === n - 1 ? { footer: { text: footer } } : {}),
  }));
  return { ...(page.note !== undefined && { content: page.note }), embeds, components: answerButtons(page), allowedMentions: NO_PINGS };
}

function answerButtons(page: AnswerPage): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const expired = page.session === null;
  const rows: APIButtonComponentWithCustomId[][] = [];
  if (page.similarTo === undefined) {
    const nav: APIButtonComponentWithCustomId[] = [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: '◀',
        custom_id: customIds.page(page.session ?? 'expired', page.page - 1),
        disabled: expired || page.page <= 1,
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: '▶',
        custom_id: customIds.page(page.session ?? 'expired', page.page + 1),
        disabled: expired || page.page >= page.pageCount,
      },
    ];
    if (page.subscribe) {
      nav.push({
        type: ComponentType.Button,
        style: ButtonStyle.Success,
        label: 'Subscribe this channel',
        custom_id: customIds.subscribe(page.session ?? 'expired'),
        disabled: expired,
      });
    }
    rows.push(nav);
  }
  // A row (or two, for more than 5 papers) of each per-paper button: at 10 papers, 1 + 2 + 2 = Discord's 5 rows.
  const perPaper = (label: string, style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success, id: (paperId: string) => string) => {
    const buttons: APIButtonComponentWithCustomId[] = page.views.map((v, i) => ({ type: ComponentType.Button, style, label: `${label} ${page.firstRank + i}`, custom_id: id(v.id) }));
    for (let i = 0; i < buttons.length; i += DISCORD_LIMITS.buttonsPerRow) rows.push(buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow));
  };
  perPaper('Abstract', ButtonStyle.Primary, customIds.abstract);
  perPaper('Similar', ButtonStyle.Secondary, customIds.similar);
  // Save n while its row fits (up to 5 papers a page); past that, each paper's card (Abstract n) has Save.
  if (rows.length + Math.ceil(page.views.length / DISCORD_LIMITS.buttonsPerRow) <= DISCORD_LIMITS.rows) perPaper('Save', ButtonStyle.Success, customIds.save);
  return rows.map((components) => ({ type: ComponentType.ActionRow, components }));
}

function paperCardButtons(paperId: string): APIActionRowComponent<APIButtonComponentWithCustomId> {
  return {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Similar papers', custom_id: customIds.similar(paperId) },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'BibTeX', custom_id: customIds.bibtex(paperId) },
      { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Save', custom_id: customIds.save(paperId) },
    ],
  };
}

/** What a click on Save (or Unsave) did, privately: the paper, the count, and the button that undoes it. */
export function renderSavedChange(change: ListChange, action: 'save' | 'unsave'): DiscordMessage {
  const title = `“${truncate(safeText(normalizeText(change.paper?.title ?? change.paperId)), 200)}”`;
  const count = `${change.total} saved paper${change.total === 1 ? '' : 's'}`;
  const content =
    action === 'save'
      ? change.changed
        ? `Saved ${title}. You have ${count}: \`/saved\` lists them.`
        : `${title} is already among your ${count}.`
      : change.changed
        ? `Removed ${title} from your saved papers (${count} left).`
        : `${title} was not among your saved papers.`;
  const undo = action === 'save' ? { label: 'Unsave', id: customIds.unsave(change.paperId) } : { label: 'Save again', id: customIds.save(change.paperId) };
  return {
    content,
    embeds: [],
    components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: undo.label, custom_id: undo.id }] }],
    allowedMentions: NO_PINGS,
  };
}

/** A reading list (or a user's saved papers): one line a paper, linked, with who added it and when, within one embed. */
export function renderReadingList(list: ReadingList, heading: { title: string; empty: string; showAdder: boolean }): DiscordMessage {
  if (list.papers.length === 0) return { content: heading.empty, embeds: [], components: [], allowedMentions: NO_PINGS };
  const lines: string[] = [];
  let length = 0;
  for (const [i, entry] of list.papers.entries()) {
    const paper = entry.paper;
    const added = `added <t:${Math.floor(entry.addedAt / 1000)}:d>${heading.showAdder ? ` by <@${entry.addedBy}>` : ''}`;
    const line =
      paper === undefined
        ? `${i + 1}. ${entry.paperId} (no longer in the library) · ${added}`
        : `${i + 1}. [${truncate(safeText(normalizeText(paper.title)), 150)}](${linkTarget(paper.links.abs)}) (${paper.year}) · ${added}`;
    // Room for the "… and N more" line.
    if (length + line.length + 1 > DISCORD_LIMITS.embedDescription - 40) {
      lines.push(`… and ${list.papers.length - i} more`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return {
    embeds: [
      {
        title: truncate(safeText(heading.title), DISCORD_LIMITS.embedTitle),
        color: COLOR,
        description: lines.join('\n'),
        footer: { text: `${list.papers.length} paper${list.papers.length === 1 ? '' : 's'}` },
      },
    ],
    components: [],
    allowedMentions: NO_PINGS,
  };
}

/** A change to a channel's list, said publicly: the reading group sees what was added or removed. */
export function renderListChange(change: ListChange, action: 'add' | 'remove'): DiscordMessage {
  const title = `“${truncate(safeText(normalizeText(change.paper?.title ?? change.paperId)), 200)}”`;
  const list = `“${safeText(change.name)}”`;
  const count = `${change.total} paper${change.total === 1 ? '' : 's'}`;
  const content =
    action === 'add'
      ? change.changed
        ? `Added ${title} to ${list} (${count}).`
        : `${title} is already on ${list} (${count}).`
      : change.changed
        ? `Removed ${title} from ${list} (${count} left).`
        : `${title} is not on ${list}.`;
  return { content, embeds: [], components: [], allowedMentions: NO_PINGS };
}

/** A list's citations as one attached file, named after the list. */
export function renderListExport(exported: { name: string; text: string; papers: number; missing: string[] }, format: CitationFormat): DiscordMessage {
  const file = `${exported.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'reading-list'}.${CITATION_FILE[format]}`;
  const missing = exported.missing.length === 0 ? '' : ` Left out, no longer in the library: ${exported.missing.join(', ')}.`;
  return {
    content: truncate(`${exported.papers} entr${exported.papers === 1 ? 'y' : 'ies'} of “${safeText(exported.name)}”, attached.${missing}`, DISCORD_LIMITS.content),
    embeds: [],
    components: [],
    allowedMentions: NO_PINGS,
    files: [{ name: file, attachment: Buffer.from(`${exported.text}\n`, 'utf8') }],
  };
}

const CITATION_LANGUAGE: Record<CitationFormat, string> = { bibtex: 'bibtex', ris: '', apa: '' };
const CITATION_FILE: Record<CitationFormat, string> = { bibtex: 'bib', ris: 'ris', apa: 'txt' };

/**
 * A citation ready to copy: in a code block when it fits a message (2,000
 * characters), else attached as a file (a paper with hundreds of authors),
 * never cut.
 */
export function renderCitation(paper: Paper, format: CitationFormat, citation: { key: string; text: string }): DiscordMessage {
  const title = truncate(safeText(normalizeText(paper.title)), 300);
  const block = `\`\`\`${CITATION_LANGUAGE[format]}\n${citation.text}\n\`\`\``;
  if (block.length <= DISCORD_LIMITS.content && !citation.text.includes('```')) {
    return { content: block, embeds: [], components: [], allowedMentions: NO_PINGS };
  }
  return {
    content: `${format === 'bibtex' ? 'BibTeX' : format.toUpperCase()} for “${title}” is too long for a message: attached.`,
    embeds: [],
    components: [],
    allowedMentions: NO_PINGS,
    files: [{ name: `${citation.key}.${CITATION_FILE[format]}`, attachment: Buffer.from(`${citation.text}\n`, 'utf8') }],
  };
}

/** The file name a trend chart is uploaded under: the embed shows it by this name. */
export const TREND_CHART_FILE = 'trend.png';

/**
 * A trend: the chart attached and shown in an embed, with what it counts in
 * words (the numbers stay readable where images are off), the last few
 * months or years listed.
 */
export function renderTrend(trend: Trend, chart: Chart): DiscordMessage {
  const recent = trend.buckets.slice(-6).map((b) => `${b.label}: ${b.papers.toLocaleString('en')} (${(100 * b.share).toFixed(2)}%)${b.partial ? ', so far' : ''}`);
  return {
    embeds: [
      {
        title: truncate(safeText(trendTitle(trend)), DISCORD_LIMITS.embedTitle),
        description: truncate(safeText(trendSummary(trend)), DISCORD_LIMITS.embedDescription),
        color: COLOR,
        fields: [{ name: trend.granularity === 'month' ? 'Latest months' : 'Latest years', value: recent.join('\n') }],
        image: { url: `attachment://${TREND_CHART_FILE}`, width: chart.width, height: chart.height },
        footer: { text: `A paper counts when its title or abstract holds every word of the topic (as indexed: ${truncate(trend.terms.join(', '), 200)}).` },
      },
    ],
    components: [],
    allowedMentions: NO_PINGS,
    files: [{ name: TREND_CHART_FILE, attachment: chart.png }],
  };
}

/** The reply when nothing matches: short and honest, with a hint. */
export function renderNoMatch(question: string, paperCount: number, filter?: PaperFilter): DiscordMessage {
  const within = filter === undefined ? '' : ` ${safeText(describeFilter(filter))}`;
  return {
    embeds: [
      {
        color: COLOR,
        description: [
          `No paper among the ${paperCount} I know${within} really matches “${truncate(safeText(question), 300)}”.`,
          ...(looksNonEnglish(question) ? [ENGLISH_HINT] : []),
          'Try other words, or look a paper up by its title with `/paper`.',
        ].join('\n'),
      },
    ],
    components: [],
    allowedMentions: NO_PINGS,
  };
}

/** The papers nearest `paper`, one embed each with what it shares; the Abstract and Similar buttons of each. */
export function renderSimilarPage(paper: Paper, hits: readonly PaperHit[], filter?: PaperFilter): DiscordMessage {
  const title = normalizeText(paper.title);
  if (hits.length === 0) {
    const within = filter === undefined ? '' : ` ${safeText(describeFilter(filter))}`;
    return {
      embeds: [{ color: COLOR, description: `No other paper${within} shares the telling words of “${truncate(safeText(title), 300)}”.` }],
      components: [],
      allowedMentions: NO_PINGS,
    };
  }
  return renderAnswerPage({
    question: title,
    views: hits.map(toPaperView),
    firstRank: 1,
    page: 1,
    pageCount: 1,
    totalResults: hits.length,
    session: null,
    similarTo: { id: paper.id, title },
  });
}

/** An author page: the caveat, names matched, co-authors, categories, then the papers newest first, linked. */
export function renderAuthorPage(page: AuthorPage): DiscordMessage {
  const head = [`*${severalPeople(page)}*`, ...authorFacts(page).map(({ label, value }) => `**${label}:** ${safeText(value)}`)].map((line) => truncate(line, 600));
  const papers = page.papers.map((p, i) => `${i + 1}. [${truncate(safeText(normalizeText(p.title)), 200)}](${linkTarget(p.links.abs)}) (${p.year})`);
  const more = page.total > page.papers.length ? [`… and ${(page.total - page.papers.length).toLocaleString('en')} more`] : [];
  return {
    embeds: [
      {
        title: truncate(safeText(`${authorHeading(page)}: ${page.total.toLocaleString('en')} paper${page.total === 1 ? '' : 's'}`), DISCORD_LIMITS.embedTitle),
        color: COLOR,
        description: [...head, '', ...papers, ...more].join('\n').slice(0, DISCORD_LIMITS.embedDescription),
      },
    ],
    components: [],
    allowedMentions: NO_PINGS,
  };
}

/** "(since 2023, in cs.CV)": what a filter keeps, for a message that says why nothing came. */
export function describeFilter(filter: PaperFilter): string {
  const parts = [filter.years?.from !== undefined && `since ${filter.years.from}`, filter.categories !== undefined && `in ${filter.categories.join(', ')}`].filter(Boolean);
  return parts.length === 0 ? '' : `(${parts.join(', ')})`;
}

/** A paper's full card: all authors, year, venue, categories, abstract, links. */
export function renderPaperCard(paper: Paper): DiscordMessage {
  const view = describePaper(paper);
  const fields = [
    { name: 'Authors', value: truncate(safeText(view.authors.join(', ')), DISCORD_LIMITS.fieldValue), inline: false },
    { name: 'Year', value: String(view.year), inline: true },
    ...(view.venue ? [{ name: 'Venue', value: truncate(safeText(view.venue), DISCORD_LIMITS.fieldValue), inline: true }] : []),
    ...(view.categories.length > 0 ? [{ name: 'Categories', value: view.categories.join(', '), inline: true }] : []),
    { name: 'Links', value: links(view), inline: false },
  ];
  const embed: APIEmbed = {
    title: truncate(safeText(view.title), DISCORD_LIMITS.embedTitle),
    url: view.url,
    color: COLOR,
    fields,
    footer: { text: `arXiv:${paper.id}${paper.version ? `v${paper.version}` : ''}` },
  };
  // The abstract gets what the other parts leave of the message's 6,000.
  const room = DISCORD_LIMITS.embedsTotal - MARGIN - embedSize(embed);
  embed.description = truncate(safeText(view.abstract), Math.min(DISCORD_LIMITS.embedDescription, room));
  return { embeds: [embed], components: [paperCardButtons(paper.id)], allowedMentions: NO_PINGS };
}

/** /help: what the bot does and how to ask. */
export function renderHelp(): DiscordMessage {
  return {
    embeds: [
      {
        title: 'PaperBot',
        color: COLOR,
        description: [
          'I answer questions about research papers from their abstracts: the best-matching papers, the sentences that answer you (matched words in **bold**) and their links.',
          '',
          '`/ask question:` the papers that answer a question, e.g. `/ask question: How can diffusion models run on a phone?` (`count:` papers per page, 1-10; `since:` a year, `category:` an arXiv category such as cs.CV)',
          '`/paper title:` a paper by its title, with suggestions as you type; typos and partial titles are fine',
          '`/similar paper:` the papers nearest one paper and the words they share, e.g. `/similar paper: SnapFusion` (`count:`, `since:`, `category:`). **Similar** under an answer or a card does it for that paper.',
          '`/author name:` an author\'s papers, newest first, with co-authors and categories, e.g. `/author name: Yanzhi Wang` (initials and either order work: `Y. Wang`, `Wang, Yanzhi`)',
          '`/cite paper:` a citation ready to paste, e.g. `/cite paper: SnapFusion` (`format:` BibTeX, RIS or APA). **BibTeX** on a paper card does it in one click.',
          '`/trend topic:` a chart of the papers on a topic per month or year, beside their share of all papers, e.g. `/trend topic: diffusion models since: 2023` (a paper counts when it holds every word of the topic)',
          '**Save** under an answer or on a card keeps a paper for you; `/saved` lists yours, privately (`remove:` takes one off)',
          '`/list add name: paper:` puts a paper on one of this channel\'s reading lists, e.g. `/list add name: this week paper: SnapFusion`; `/list show`, `/list remove` (another\'s entry needs Manage Messages), `/list export` (one BibTeX file)',
          '`/digest subscribe topic:` new papers on a topic posted here every day (`author:` follows an author, alone or on the topic, e.g. `/digest subscribe author: Yanzhi Wang`; `category:`, `time:`, `timezone:`, `max:`; `channel:` posts elsewhere, and in a forum each digest is a new post; needs Manage Channels); `/digest list`, `/digest preview topic:` (or `id:`), `/digest unsubscribe id:`. **Subscribe this channel** under an answer does it in one click. Each digest starts a thread, where questions are answered from its papers first; 👍/👎 under its papers retune its topic, and `/digest tune id:` shows what they taught it.',
          '`/about` the papers I know and how fresh my index is',
          '',
          'You can also mention me with a question: “@PaperBot which paper makes ViTs as fast as MobileNet?”',
        ].join('\n'),
      },
    ],
    components: [],
    allowedMentions: NO_PINGS,
  };
}

/** /about: corpus size, newest paper, index build time, version, uptime. */
export function renderAbout(about: { stats: CorpusStats; builtAt: Date; version: string; uptimeSeconds: number; embeddings?: EmbeddingStatus | null }): DiscordMessage {
  const { stats } = about;
  const builtAt = Math.floor(about.builtAt.getTime() / 1000);
  return {
    embeds: [
      {
        title: 'About PaperBot',
        color: COLOR,
        fields: [
          { name: 'Papers', value: `${stats.papers.toLocaleString('en')} (${stats.years.min}–${stats.years.max})`, inline: true },
          { name: 'Index', value: `${stats.engine}, built <t:${builtAt}:R>`, inline: true },
          { name: 'Version', value: about.version, inline: true },
          { name: 'Newest paper', value: stats.newest === null ? '—' : truncate(safeText(`${stats.newest.title} (${stats.newest.year})`), DISCORD_LIMITS.fieldValue), inline: false },
          { name: 'Up for', value: formatDuration(about.uptimeSeconds), inline: true },
          ...(about.embeddings ? [{ name: 'Meaning', value: encoderLine(about.embeddings), inline: false }] : []),
        ],
      },
    ],
    components: [],
    allowedMentions: NO_PINGS,
  };
}

function encoderLine({ model, embedded, papers, syncing, lastError }: EmbeddingStatus): string {
  const state = lastError !== null ? ` (embedding failed: ${lastError})` : syncing ? ' (embedding the rest)' : '';
  return truncate(safeText(`${model}: ${embedded.toLocaleString('en')} of ${papers.toLocaleString('en')} papers embedded${state}`), DISCORD_LIMITS.fieldValue);
}

function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min ${Math.floor(seconds % 60)} s`;
}

/** Total characters of a message's embeds, as Discord counts them against 6,000. */
export function embedsLength(message: Pick<DiscordMessage, 'embeds'>): number {
  return message.embeds.reduce((sum, e) => sum + embedSize(e), 0);
}

/** A digest's papers as Discord shows them, without the Discord transport. */
export interface DigestPaper {
  paper: Paper;
  matchedWords: string[];
  /** The followed author, as the paper signs the name. */
  matchedAuthors?: string[];
  /** Words the channel's votes taught the topic. */
  learnedWords?: string[];
}

/**
 * A digest as messages: a heading, then one embed per paper (title linked,
 * authors, year, venue, and why it was picked), split into as many messages as
 * the 6,000-character and 10-embed limits of a message require. Each message
 * carries the ids of its papers, so a partial failure knows what went out.
 */
export function renderDigest(
  subject: Pick<DigestSubject, 'topic' | 'author'>,
  items: readonly DigestPaper[],
  heading = 'Daily digest',
  /** The digest whose 👍/👎 buttons each paper gets; none for a preview. */
  votesFor?: number,
): { message: DiscordMessage; paperIds: string[] }[] {
  const title = `**${heading}** · ${safeText(describeSubject({ topic: truncate(subject.topic, 300), author: subject.author === null ? null : truncate(subject.author, 100) }))}`;
  if (items.length === 0) {
    return [{ message: { content: `${title} · nothing new today.`, embeds: [], components: [], allowedMentions: NO_PINGS }, paperIds: [] }];
  }
  const embeds = items.map(({ paper, matchedWords, matchedAuthors = [], learnedWords = [] }, rank) => {
    const view = describePaper(paper);
    const reasons = [
      matchedAuthors.length > 0 && `by ${matchedAuthors.map((a) => `**${safeText(a)}**`).join(', ')}`,
      matchedWords.length > 0 && `matches ${matchedWords.map((w) => `**${safeText(w)}**`).join(', ')}`,
      learnedWords.length > 0 && `learned from your votes: ${learnedWords.slice(0, 5).map((w) => `**${safeText(w)}**`).join(', ')}`,
    ].filter(Boolean);
    const why = reasons.length > 0 ? `\n*Why this paper:* ${reasons.join('; ')}` : '';
    const embed: APIEmbed = {
      title: truncate(safeText(view.title), DISCORD_LIMITS.embedTitle),
      url: view.url,
      color: COLOR,
      description: truncate(`${meta(view)}${why}`, 1500),
    };
    return { embed, id: paper.id, rank: rank + 1 };
  });
  const messages: { message: DiscordMessage; paperIds: string[] }[] = [];
  let current: typeof embeds = [];
  const flush = () => {
    if (current.length === 0) return;
    const count = messages.length === 0 ? ` · ${items.length} new paper${items.length === 1 ? '' : 's'}` : ' (continued)';
    messages.push({
      message: { content: `${title}${count}`, embeds: current.map((e) => e.embed), components: votesFor === undefined ? [] : voteButtons(votesFor, current), allowedMentions: NO_PINGS },
      paperIds: current.map((e) => e.id),
    });
    current = [];
  };
  for (const e of embeds) {
    const size = embedSize(e.embed);
    if (current.length === DISCORD_LIMITS.embedsPerMessage || current.reduce((s, c) => s + embedSize(c.embed), 0) + size > DISCORD_LIMITS.embedsTotal) flush();
    current.push(e);
  }
  flush();
  return messages;
}

/** 👍 n and 👎 n for each paper of a digest message: at 10 papers, 20 buttons in 4 rows. */
function voteButtons(subscriptionId: number, papers: readonly { id: string; rank: number }[]): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const buttons: APIButtonComponentWithCustomId[] = papers.flatMap(({ id, rank }) => [
    { type: ComponentType.Button, style: ButtonStyle.Secondary, label: `👍 ${rank}`, custom_id: customIds.vote(subscriptionId, id, 'up') },
    { type: ComponentType.Button, style: ButtonStyle.Secondary, label: `👎 ${rank}`, custom_id: customIds.vote(subscriptionId, id, 'down') },
  ]);
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (let i = 0; i < buttons.length; i += DISCORD_LIMITS.buttonsPerRow) rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
  return rows;
}

/** What a vote did, privately to the voter. */
export function renderVote(
  paper: Paper | undefined,
  paperId: string,
  outcome: { subscription: { id: number; topic: string; author: string | null }; now: 1 | -1 | null; before: 1 | -1 | null; repeated: boolean; votes: number },
): DiscordMessage {
  const title = `“${truncate(safeText(normalizeText(paper?.title ?? paperId)), 200)}”`;
  const what = outcome.repeated
    ? `Your ${outcome.now === 1 ? '👍' : '👎'} on ${title} stands: two clicks this close count once. Click again in a moment to take it back.`
    : outcome.now === null ? `Took back your ${outcome.before === 1 ? '👍' : '👎'} on ${title}.` : `${outcome.now === 1 ? '👍' : '👎'} on ${title}${outcome.before === null ? '' : ' (changed)'}. The same button again takes it back.`;
  const learning = outcome.subscription.topic === '' ? '' : ` Digest #${outcome.subscription.id} has ${outcome.votes} vote${outcome.votes === 1 ? '' : 's'}; they retune its topic from the next digest on (\`/digest tune id:${outcome.subscription.id}\`).`;
  return { content: `${what}${learning}`, embeds: [], components: [], allowedMentions: NO_PINGS };
}

/** /digest tune: what the votes taught the topic, + and −, and how many votes. */
export function renderTuning(
  subscription: { id: number; topic: string; author: string | null },
  learned: { terms: readonly { term: string; weight: number }[]; categories: readonly { category: string; weight: number }[]; votes: number },
): DiscordMessage {
  const subject = safeText(describeSubject({ topic: truncate(subscription.topic, 200), author: subscription.author }));
  if (learned.terms.length === 0 && learned.categories.length === 0) {
    return { content: `Digest #${subscription.id} (${subject}) has learned nothing yet (${learned.votes} vote${learned.votes === 1 ? '' : 's'}): 👍 and 👎 under its papers teach it.`, embeds: [], components: [], allowedMentions: NO_PINGS };
  }
  const line = (t: { term: string; weight: number }) => `\`${t.weight > 0 ? '+' : '−'}${Math.abs(t.weight).toFixed(2)}\` ${safeText(t.term)}`;
  const all = [...learned.categories.map((c) => ({ term: `${c.category} (category)`, weight: c.weight })), ...learned.terms];
  const up = all.filter((t) => t.weight > 0);
  const down = all.filter((t) => t.weight < 0);
  return {
    embeds: [
      {
        title: truncate(`What digest #${subscription.id} has learned`, DISCORD_LIMITS.embedTitle),
        color: COLOR,
        description: `From ${learned.votes} vote${learned.votes === 1 ? '' : 's'}, beside the topic ${subject} (each of its words weighs 1; the learned words together never outweigh them).`,
        fields: [
          ...(up.length > 0 ? [{ name: 'More of', value: truncate(up.map(line).join('\n'), DISCORD_LIMITS.fieldValue) }] : []),
          ...(down.length > 0 ? [{ name: 'Less of', value: truncate(down.map(line).join('\n'), DISCORD_LIMITS.fieldValue) }] : []),
        ],
        footer: { text: 'Terms are shown as indexed (stemmed). Reset: /digest tune reset:True (Manage Channels).' },
      },
    ],
    components: [],
    allowedMentions: NO_PINGS,
  };
}

function unconfirmedText(claim: { paperIds: readonly string[]; since: number } | undefined, paused: boolean): string {
  if (claim === undefined) return '';
  const n = claim.paperIds.length;
  const what = n === 0 ? 'a digest' : `${n} paper${n === 1 ? '' : 's'}`;
  const ids = n === 0 ? '' : `: ${truncate(claim.paperIds.join(', '), 300)}`;
  return `\n⚠ ${what} not confirmed sent (claimed <t:${Math.floor(claim.since / 1000)}:R>; ${paused ? 'not retried while paused' : 'retrying'})${ids}`;
}

/** A channel's digests, for /digest list. */
export function renderSubscriptionList(
  channelMention: string,
  subscriptions: readonly { id: number; topic: string; author?: string | null; threadProblem?: string | null; category?: string | null; time: string; timezone: string; lastSentAt: number | null; papersSent: number; pausedReason: string | null; maxPapers: number }[],
  /** Per subscription id: papers claimed and possibly not sent (a crash or a failure mid-post), and since when. */
  unconfirmed: ReadonlyMap<number, { paperIds: readonly string[]; since: number }> = new Map(),
): DiscordMessage {
  if (subscriptions.length === 0) {
    return { content: `${channelMention} has no digest. Start one with \`/digest subscribe\`.`, embeds: [], components: [], allowedMentions: NO_PINGS };
  }
  const lines = subscriptions.map((s) => {
    const last = s.lastSentAt === null ? 'nothing sent yet' : `last sent <t:${Math.floor(s.lastSentAt / 1000)}:R>`;
    const paused = `${s.pausedReason ? ` · ⏸ paused: ${truncate(safeText(s.pausedReason), 100)}` : ''}${s.threadProblem ? ` · no thread: ${truncate(safeText(s.threadProblem), 150)}` : ''}`;
    const within = s.category ? ` in ${safeText(s.category)}` : '';
    return `**#${s.id}** ${safeText(describeSubject({ topic: truncate(s.topic, 80), author: s.author ?? null }))}${within} · ${s.time} ${s.timezone} · up to ${s.maxPapers} · ${last} · ${s.papersSent} paper${s.papersSent === 1 ? '' : 's'} so far${paused}${unconfirmedText(unconfirmed.get(s.id), s.pausedReason !== null)}`;
  });
  // Every digest listed: as many embeds as the lines need (25 lines fit well inside 6,000 characters).
  const embeds: APIEmbed[] = [];
  for (const line of lines) {
    const last = embeds.at(-1);
    if (last && last.description!.length + line.length + 1 <= DISCORD_LIMITS.embedDescription) last.description += `\n${line}`;
    else embeds.push({ color: COLOR, description: line });
  }
  embeds[0]!.title = 'Digests in this channel';
  return { embeds: embeds.slice(0, DISCORD_LIMITS.embedsPerMessage), components: [], allowedMentions: NO_PINGS };
}
