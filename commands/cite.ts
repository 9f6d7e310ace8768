import { MessageFlags, SlashCommandBuilder, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, HandlerOutcome } from '../src/bot/BotContext.js';
import { paperOfButton } from '../src/bot/checks.js';
import { titleChoices } from '../src/bot/titleChoices.js';
import { CITATION_FORMATS, citations, type CitationFormat } from '../src/cite/citation.js';
import { citationFormat } from '../src/cite/citePapers.js';
import { UserError } from '../src/errors.js';
import { renderCitation } from '../src/render/discord.js';
import { MAX_QUERY_LENGTH } from '../src/search/PaperSearch.js';
import { paperNamed } from '../src/search/paperNamed.js';

export const data = new SlashCommandBuilder()
  .setName('cite')
  .setDescription('A citation of a paper, ready to paste (BibTeX, RIS or APA)')
  .addStringOption((o) =>
    o.setName('paper').setDescription('The paper: its title (suggestions as you type) or arXiv id').setRequired(true).setAutocomplete(true).setMaxLength(MAX_QUERY_LENGTH),
  )
  .addStringOption((o) =>
    o
      .setName('format')
      .setDescription('BibTeX (default), RIS or APA')
      .addChoices(...CITATION_FORMATS.map((f) => ({ name: f === 'apa' ? 'APA' : f === 'ris' ? 'RIS' : 'BibTeX', value: f }))),
  );

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await interaction.respond(titleChoices(ctx.search(), interaction.options.getFocused()));
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const text = interaction.options.getString('paper', true).trim();
  if (text === '') throw new UserError('query_empty', 'Give me a paper: its title or arXiv id.');
  const format = citationFormat(interaction.options.getString('format'), 'format');
  await interaction.reply(citationMessage(ctx, text, format));
  return { results: 1 };
}

/** The BibTeX button on a paper card: the entry, privately to whoever clicked. */
export async function button(interaction: ButtonInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const paper = paperOfButton(ctx, interaction.customId.split(':')[2]);
  await interaction.reply({ ...citationMessage(ctx, paper.id, 'bibtex'), flags: MessageFlags.Ephemeral });
  return { results: 1 };
}

function citationMessage(ctx: BotContext, text: string, format: CitationFormat) {
  const paper = paperNamed(ctx.search(), text);
  return renderCitation(paper, format, citations([paper], format)[0]!);
}
