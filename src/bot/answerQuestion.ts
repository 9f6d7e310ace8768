import { renderAnswerPage, renderNoMatch, type DiscordMessage } from '../render/discord.js';
import { toPaperView } from '../render/paperView.js';
import { pageOf, type AskSession } from './AskSessions.js';
import type { BotContext } from './BotContext.js';
import type { PaperFilter } from '../search/Retriever.js';

/** How many pages of results a question keeps for its ◀ ▶ buttons. */
const MAX_PAGES = 5;

/**
 * The shared path of /ask and of a mention: search, keep the results for
 * paging, render the first page. `onExpire` receives the page to show once
 * the buttons stop working (the same page, buttons disabled).
 */
export async function answerQuestion(
  ctx: BotContext,
  question: string,
  options: {
    pageSize: number;
    userId: string;
    filter?: PaperFilter;
    /** Where it was asked: in a digest's thread, that digest's papers answer first. */
    channelId?: string | null;
    onExpire: (message: DiscordMessage) => Promise<unknown>;
  },
): Promise<{ message: DiscordMessage; results: number }> {
  const searchOptions = { limit: options.pageSize * MAX_PAGES, filter: options.filter };
  const thread = options.channelId == null ? undefined : ctx.digests.threads.get(options.channelId);
  let result = await ctx.ask(question, thread === undefined ? searchOptions : { ...searchOptions, only: new Set(thread.paperIds) });
  let note: string | undefined;
  if (thread !== undefined) {
    const papers = `${thread.paperIds.length} paper${thread.paperIds.length === 1 ? '' : 's'}`;
    note = `*From this digest's ${papers}.*`;
    if (result.hits.length === 0) {
      result = await ctx.ask(question, searchOptions);
      note = `*None of this digest's ${papers} matches: these are from the whole library.*`;
    }
  }
  if (result.hits.length === 0) return { message: renderNoMatch(result.query, ctx.search().size, options.filter), results: 0 };
  const session = ctx.sessions.open(
    { question: result.query, userId: options.userId, views: result.hits.map(toPaperView), pageSize: options.pageSize, ...(note !== undefined && { note }) },
    (expired) =>
      options.onExpire(renderSessionPage(expired, expired.page, { expired: true })).catch((err: unknown) => {
        ctx.log.debug({ err, session: expired.id }, 'could not disable expired buttons');
      }),
  );
  return { message: renderSessionPage(session, 1), results: result.hits.length };
}

/** Page `page` of a session's results. */
export function renderSessionPage(session: AskSession, page: number, { expired = false } = {}): DiscordMessage {
  const at = pageOf(session, page);
  return renderAnswerPage({
    question: session.question,
    views: at.views,
    firstRank: at.firstRank,
    page: at.page,
    pageCount: at.pageCount,
    totalResults: session.views.length,
    session: expired ? null : session.id,
    subscribe: true,
    ...(session.note !== undefined && { note: session.note }),
  });
}
