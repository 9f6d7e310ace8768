import { PermissionFlagsBits, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction, type SlashCommandStringOption } from 'discord.js';
import type { BotContext, HandlerOutcome } from '../src/bot/BotContext.js';
import { listedPaperChoices, titleChoices } from '../src/bot/titleChoices.js';
import { CITATION_FORMATS } from '../src/cite/citation.js';
import { citationFormat } from '../src/cite/citePapers.js';
import { MAX_LIST_NAME } from '../src/lists/ReadingListService.js';
import { DISCORD_LIMITS, renderListChange, renderListExport, renderReadingList } from '../src/render/discord.js';
import { MAX_QUERY_LENGTH } from '../src/search/PaperSearch.js';
import type { ListOwner } from '../src/store/ListEntries.js';
import { truncate } from '../src/text/truncate.js';

const nameOption = (o: SlashCommandStringOption) =>
  o.setName('name').setDescription("The list, e.g. this week's reading (suggestions: this channel's lists)").setRequired(true).setAutocomplete(true).setMaxLength(MAX_LIST_NAME);
const paperOption = (o: SlashCommandStringOption, description: string) =>
  o.setName('paper').setDescription(description).setRequired(true).setAutocomplete(true).setMaxLength(MAX_QUERY_LENGTH);

export const data = new SlashCommandBuilder()
  .setName('list')
  .setDescription("This channel's shared reading lists")
  .addSubcommand((c) => c.setName('add').setDescription('Put a paper on a list (a new name makes the list)').addStringOption(nameOption).addStringOption((o) => paperOption(o, 'The paper: its title (suggestions as you type) or arXiv id')))
  .addSubcommand((c) =>
    c
      .setName('remove')
      .setDescription("Take a paper off a list (someone else's needs Manage Messages)")
      .addStringOption(nameOption)
      .addStringOption((o) => paperOption(o, 'The paper (suggestions: the papers on the list)')),
  )
  .addSubcommand((c) => c.setName('show').setDescription("A list's papers, in the order they were added").addStringOption(nameOption))
  .addSubcommand((c) =>
    c
      .setName('export')
      .setDescription("A list's papers as one BibTeX file (or RIS, APA)")
      .addStringOption(nameOption)
      .addStringOption((o) => o.setName('format').setDescription('BibTeX (default), RIS or APA').addChoices(...CITATION_FORMATS.map((f) => ({ name: f === 'bibtex' ? 'BibTeX' : f.toUpperCase(), value: f })))),
  );

const channelList = (interaction: { channelId: string | null }): ListOwner => ({ kind: 'channel', id: interaction.channelId ?? 'unknown' });

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const owner = channelList(interaction);
  if (focused.name === 'name') {
    const typed = focused.value.trim().toLowerCase();
    const lists = ctx.lists.lists(owner).filter((l) => l.name.toLowerCase().includes(typed));
    const choices = lists.map((l) => ({ name: truncate(`${l.name} · ${l.papers} paper${l.papers === 1 ? '' : 's'}`, DISCORD_LIMITS.choiceName), value: l.name }));
    // A name not yet used is offered as it is typed, so add can make the list.
    if (typed !== '' && !lists.some((l) => l.name.toLowerCase() === typed)) choices.unshift({ name: truncate(`${focused.value.trim()} (new list)`, DISCORD_LIMITS.choiceName), value: focused.value.trim().slice(0, MAX_LIST_NAME) });
    await interaction.respond(interaction.options.getSubcommand() === 'add' ? choices.slice(0, DISCORD_LIMITS.choices) : choices.filter((c) => !c.name.endsWith('(new list)')).slice(0, DISCORD_LIMITS.choices));
    return;
  }
  if (interaction.options.getSubcommand() === 'remove') {
    await interaction.respond(listedPaperChoices(ctx.lists.papersOn(owner, interaction.options.getString('name') ?? ''), focused.value));
    return;
  }
  await interaction.respond(titleChoices(ctx.search(), focused.value));
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const owner = channelList(interaction);
  const name = interaction.options.getString('name', true);
  switch (interaction.options.getSubcommand()) {
    case 'add': {
      await interaction.reply(renderListChange(ctx.lists.add(owner, name, interaction.options.getString('paper', true), interaction.user.id), 'add'));
      return { results: 1 };
    }
    case 'remove': {
      const mayRemoveOthers = interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
      await interaction.reply(renderListChange(ctx.lists.remove(owner, name, interaction.options.getString('paper', true), interaction.user.id, mayRemoveOthers), 'remove'));
      return { results: 1 };
    }
    case 'show': {
      const list = ctx.lists.show(owner, name);
      await interaction.reply(renderReadingList(list, { title: `Reading list: ${list.name}`, empty: `“${list.name}” is empty.`, showAdder: true }));
      return { results: list.papers.length };
    }
    default: {
      const format = citationFormat(interaction.options.getString('format'), 'format');
      const exported = ctx.lists.export(owner, name, format);
      await interaction.reply(renderListExport(exported, format));
      return { results: exported.papers };
    }
  }
}
