import { SlashCommandIntegerOption, SlashCommandStringOption, type ChatInputCommandInteraction } from 'discord.js';
import type { Paper } from '../corpus/paper.js';
import { UserError } from '../errors.js';
import { MAX_CATEGORY_LENGTH, parsePaperFilter } from '../search/paperFilter.js';
import type { PaperFilter } from '../search/Retriever.js';
import type { BotContext } from './BotContext.js';

/** The since: option of the commands that filter papers. */
export const sinceOption = (o: SlashCommandIntegerOption) => o.setName('since').setDescription('Only papers first submitted in this year or later').setMinValue(1991).setMaxValue(2100);

/** The category: option of the commands that filter papers (autocomplete: categoryOptionChoices). */
export const categoryOption = (o: SlashCommandStringOption) =>
  o.setName('category').setDescription('Only papers in this arXiv category, or under it (cs.CV, cs)').setAutocomplete(true).setMaxLength(MAX_CATEGORY_LENGTH);

/** The since: and category: options, checked against the library (before any deferral, so a refusal is private). */
export function filterOption(interaction: ChatInputCommandInteraction, ctx: BotContext): PaperFilter | undefined {
  return parsePaperFilter(
    { since: interaction.options.getInteger('since'), category: interaction.options.getString('category') },
    { categories: () => ctx.search().categories(), currentYear: new Date(ctx.now()).getUTCFullYear(), optionNames: { since: 'since', category: 'category' } },
  );
}

/** The paper a button names by id (`<command>:<action>:<id>`), or a not_found error: the library may have dropped it since the button was made. */
export function paperOfButton(ctx: BotContext, paperId: string | undefined): Paper {
  const paper = paperId === undefined ? undefined : ctx.search().paper(paperId);
  if (paper === undefined) throw new UserError('not_found', 'That paper is no longer in my corpus.');
  return paper;
}

/** Take the user's cooldown; a UserError saying when to try again if it is running. */
export function checkCooldown(ctx: BotContext, userId: string): void {
  const waitMs = ctx.cooldowns.take(userId);
  if (waitMs > 0) {
    const at = Math.ceil((ctx.now() + waitMs) / 1000);
    throw new UserError('cooldown', `You are asking quickly: you can ask again <t:${at}:R> (in ${Math.ceil(waitMs / 1000)} s).`);
  }
}
