import {
  MessageFlags,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type SlashCommandStringOption,
} from 'discord.js';
import type { BotContext, HandlerOutcome } from '../src/bot/BotContext.js';
import { MAX_TOPIC_LENGTH } from '../src/digest/DigestService.js';
import { describeSubject } from '../src/digest/composeDigest.js';
import type { Subscription } from '../src/store/Subscriptions.js';
import { authorChoices } from '../src/bot/authorChoices.js';
import { TIME_ZONES } from '../src/digest/schedule.js';
import { UserError } from '../src/errors.js';
import { DISCORD_LIMITS, NO_PINGS, renderDigest, renderSubscriptionList, renderTuning, renderVote, safeText } from '../src/render/discord.js';
import { truncate } from '../src/text/truncate.js';
import { categoryOptionChoices } from '../src/bot/categoryChoices.js';
import { categoryOption } from '../src/bot/checks.js';
import { digestHome, digestTarget, requireManageChannels, TARGET_TYPES, type DigestTarget } from '../src/bot/digestChannels.js';

const authorOption = (o: SlashCommandStringOption) =>
  o.setName('author').setDescription("Only this author's papers (suggestions as you type); alone, all of their new papers").setAutocomplete(true).setMaxLength(100);

// Discord grants default_member_permissions per command, not per subcommand:
// on /digest it would hide `list` and `preview`, which are open to everyone.
// So subscribe, unsubscribe and the Subscribe button check Manage Channels here.
export const data = new SlashCommandBuilder()
  .setName('digest')
  .setDescription('Daily digests of new papers on a topic, posted in this channel')
  .setDMPermission(false)
  .addSubcommand((c) =>
    c
      .setName('subscribe')
      .setDescription('Post papers on a topic here every day (needs Manage Channels)')
      .addStringOption((o) => o.setName('topic').setDescription('What the papers should be about (or give an author, or both)').setMaxLength(MAX_TOPIC_LENGTH))
      .addStringOption(authorOption)
      .addStringOption((o) => o.setName('time').setDescription('Local time of day, HH:MM (default 09:00)').setMaxLength(5))
      .addStringOption((o) => o.setName('timezone').setDescription('IANA time zone, e.g. Europe/Berlin (default UTC)').setAutocomplete(true))
      .addStringOption(categoryOption)
      .addIntegerOption((o) => o.setName('max').setDescription('Papers a day, 1-10 (default 5)').setMinValue(1).setMaxValue(10))
      .addBooleanOption((o) => o.setName('post_when_empty').setDescription('Say so on days without new papers (default: stay quiet)'))
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setDescription('Post there instead of here; in a forum, each digest is a new post (Manage Channels there)')
          .addChannelTypes(...TARGET_TYPES),
      ),
  )
  .addSubcommand((c) =>
    c
      .setName('unsubscribe')
      .setDescription('Stop a digest (needs Manage Channels)')
      .addIntegerOption((o) => o.setName('id').setDescription('The digest, see /digest list').setRequired(true).setAutocomplete(true)),
  )
  .addSubcommand((c) => c.setName('list').setDescription("This channel's digests"))
  .addSubcommand((c) =>
    c
      .setName('tune')
      .setDescription("What a digest's 👍/👎 taught its topic; reset forgets them (needs Manage Channels)")
      .addIntegerOption((o) => o.setName('id').setDescription('The digest, see /digest list').setRequired(true).setAutocomplete(true))
      .addBooleanOption((o) => o.setName('reset').setDescription('Forget the votes: the topic is as typed again (needs Manage Channels)')),
  )
  .addSubcommand((c) =>
    c
      .setName('preview')
      .setDescription('What a digest would post here now (only you see it)')
      .addStringOption((o) => o.setName('topic').setDescription('What the papers should be about (or give an author, or both)').setMaxLength(MAX_TOPIC_LENGTH))
      .addStringOption(authorOption)
      .addIntegerOption((o) => o.setName('id').setDescription("This channel's digest, with what its votes taught it").setAutocomplete(true)),
  );

const PRIVATE = MessageFlags.Ephemeral;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const { guildId } = interaction;
  if (guildId === null) throw new UserError('bad_option', 'Digests are for server channels.');
  // A forum post's commands manage the forum's digests: commands cannot be run in a forum itself.
  const home = await digestHome(interaction);
  const { channelId } = home;
  switch (interaction.options.getSubcommand()) {
    case 'subscribe': {
      const target = digestTarget(interaction, home);
      const s = ctx.digests.subscribe({
        guildId,
        channelId: target.channelId,
        userId: interaction.user.id,
        topic: interaction.options.getString('topic') ?? '',
        author: interaction.options.getString('author'),
        time: interaction.options.getString('time'),
        timezone: interaction.options.getString('timezone'),
        maxPapers: interaction.options.getInteger('max'),
        postWhenEmpty: interaction.options.getBoolean('post_when_empty'),
        category: interaction.options.getString('category'),
      });
      await interaction.reply({ content: subscribedText(s, target), flags: PRIVATE, allowedMentions: NO_PINGS });
      return {};
    }
    case 'unsubscribe': {
      requireManageChannels(interaction.memberPermissions);
      const id = interaction.options.getInteger('id', true);
      // Manage Channels was checked in this channel, so only this channel's digests may go.
      const s = ctx.digests.subscriptions.get(id);
      if (s === undefined || s.guildId !== guildId) throw new UserError('not_found', `This server has no digest #${id} (see /digest list).`);
      if (s.channelId !== channelId) throw new UserError('forbidden', `Digest #${id} belongs to <#${s.channelId}>: unsubscribe it from there.`);
      ctx.digests.unsubscribe(id, guildId);
      await interaction.reply({ content: `Stopped digest #${id} (${safeText(describeSubject({ topic: truncate(s.topic, 200), author: s.author }))}) in <#${s.channelId}>.`, flags: PRIVATE, allowedMentions: NO_PINGS });
      return {};
    }
    case 'list': {
      const subscriptions = ctx.digests.subscriptions.byChannel(channelId);
      await interaction.reply({ ...renderSubscriptionList(`<#${channelId}>`, subscriptions, ctx.digests.unconfirmedIn(channelId)), flags: PRIVATE });
      return { results: subscriptions.length };
    }
    case 'tune': {
      const s = channelDigest(ctx, interaction.options.getInteger('id', true), guildId, channelId);
      if (interaction.options.getBoolean('reset') === true) {
        requireManageChannels(interaction.memberPermissions);
        const forgotten = ctx.digests.resetVotes(s.id);
        await interaction.reply({ content: `Digest #${s.id} forgot its ${forgotten} vote${forgotten === 1 ? '' : 's'}: its topic is as typed again.`, flags: PRIVATE, allowedMentions: NO_PINGS });
        return {};
      }
      await interaction.reply({ ...renderTuning(s, ctx.digests.learned(s)), flags: PRIVATE });
      return {};
    }
    default: {
      const id = interaction.options.getInteger('id');
      if (id !== null) {
        const s = channelDigest(ctx, id, guildId, channelId);
        const items = ctx.digests.previewOf(s);
        await interaction.reply({ ...renderDigest(s, items, 'Preview')[0]!.message, flags: PRIVATE });
        return { results: items.length };
      }
      const subject = { topic: interaction.options.getString('topic') ?? '', author: interaction.options.getString('author') };
      const items = ctx.digests.preview(channelId, subject);
      const [first] = renderDigest({ topic: subject.topic.trim(), author: subject.author?.trim() || null }, items, 'Preview');
      await interaction.reply({ ...first!.message, flags: PRIVATE });
      return { results: items.length };
    }
  }
}

/** Time zones as the user types one; this channel's digests for unsubscribe. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name === 'category') {
    await interaction.respond(categoryOptionChoices(ctx.search().categories(), focused.value));
    return;
  }
  if (focused.name === 'author') {
    await interaction.respond(authorChoices(ctx.search(), focused.value));
    return;
  }
  if (focused.name === 'timezone') {
    const typed = focused.value.toLowerCase().replace(/\s+/g, '_');
    const matches = TIME_ZONES.filter((z) => z.toLowerCase().includes(typed));
    await interaction.respond(matches.slice(0, DISCORD_LIMITS.choices).map((z) => ({ name: z, value: z })));
    return;
  }
  // This channel's digests only: others may be in channels the member cannot see.
  const subscriptions = interaction.guildId === null ? [] : ctx.digests.subscriptions.byChannel((await digestHome(interaction)).channelId);
  const typed = String(focused.value).toLowerCase();
  await interaction.respond(
    subscriptions
      .map((s) => ({ s, label: `#${s.id} ${describeSubject(s)}` }))
      .filter(({ label }) => label.toLowerCase().includes(typed))
      .slice(0, DISCORD_LIMITS.choices)
      .map(({ s, label }) => ({ name: truncate(`${label} (${s.time} ${s.timezone})`, DISCORD_LIMITS.choiceName), value: s.id })),
  );
}

/** A digest of this channel, by id: another channel's, or none, is a not_found error. */
function channelDigest(ctx: BotContext, id: number, guildId: string, channelId: string): Subscription {
  const s = ctx.digests.subscriptions.get(id);
  if (s === undefined || s.guildId !== guildId || s.channelId !== channelId) throw new UserError('not_found', `This channel has no digest #${id} (see /digest list).`);
  return s;
}

/** 👍/👎 under a digest's papers (anyone may vote, privately answered); "Subscribe this channel" under an /ask answer. */
export async function button(interaction: ButtonInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const [, action, subscriptionId, paperId, direction] = interaction.customId.split(':');
  if (action === 'vote') {
    if (paperId === undefined || (direction !== 'up' && direction !== 'down')) throw new UserError('expired', 'This button no longer works.');
    const outcome = ctx.digests.vote(Number(subscriptionId), paperId, interaction.user.id, direction === 'up' ? 1 : -1);
    await interaction.reply({ ...renderVote(ctx.search().paper(paperId), paperId, outcome), flags: PRIVATE });
    return {};
  }
  const { guildId } = interaction;
  if (guildId === null) throw new UserError('bad_option', 'Digests are for server channels.');
  const target = digestTarget(interaction, await digestHome(interaction));
  const session = ctx.sessions.get(interaction.customId.split(':')[2] ?? '');
  if (session === undefined) throw new UserError('expired', 'This button has expired: use /digest subscribe.');
  const s = ctx.digests.subscribe({ guildId, channelId: target.channelId, userId: interaction.user.id, topic: session.question });
  await interaction.reply({ content: subscribedText(s, target), flags: PRIVATE, allowedMentions: NO_PINGS });
  return {};
}

function subscribedText(s: Subscription, target: DigestTarget): string {
  const within = s.category === null ? '' : ` in ${safeText(s.category)}`;
  const subject = safeText(describeSubject({ topic: truncate(s.topic, 200), author: s.author }));
  const where = target.kind === 'forum' ? `in the forum <#${target.channelId}>, a new post each day` : `in <#${target.channelId}>`;
  const threads = target.noThreads ? ' No thread will be started on it: I lack the Create Public Threads permission there.' : '';
  return `Digest #${s.id}: every day at ${s.time} (${s.timezone}), up to ${s.maxPapers} new ${s.author === null ? `papers on ${subject}` : subject}${within} ${where}.${threads} Try \`/digest preview\` to see what it would post now.`;
}
