import {
  ChannelFlags,
  ChannelType,
  PermissionFlagsBits,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ForumChannel,
  type GuildForumTag,
  type Interaction,
  type PermissionsBitField,
} from 'discord.js';
import { UserError } from '../errors.js';

/** Where a digest can post: a text or announcement channel, a thread, or a forum (a post a day). */
export type DigestChannelKind = 'channel' | 'thread' | 'forum';

/** The channel a /digest subscribe posts to, checked: who may, and that the bot can. */
export interface DigestTarget {
  channelId: string;
  kind: DigestChannelKind;
  /** True when the bot may not start a thread on the digest there (it still posts). */
  noThreads: boolean;
}

// What the bot needs to post a digest: its messages are embeds. A forum post's
// later messages (a digest of many papers) go into the post, a thread.
const NEEDED: Record<DigestChannelKind, readonly [bigint, string][]> = {
  channel: [
    [PermissionFlagsBits.ViewChannel, 'View Channel'],
    [PermissionFlagsBits.SendMessages, 'Send Messages'],
    [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
  ],
  thread: [
    [PermissionFlagsBits.ViewChannel, 'View Channel'],
    [PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
    [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
  ],
  forum: [
    [PermissionFlagsBits.ViewChannel, 'View Channel'],
    [PermissionFlagsBits.SendMessages, 'Send Messages (Create Posts)'],
    [PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
    [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
  ],
};

/** The channel a command's digests belong to, and what kind of channel it is. */
export interface DigestHome {
  channelId: string;
  kind: DigestChannelKind;
}

/** The channels /digest subscribe channel: offers. */
export const TARGET_TYPES = [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum] as const;

// A tag a digest's forum posts carry, when the forum has one by this name.
const DIGEST_TAG = /^(digests?|papers?)$/i;

/**
 * The channel whose digests a command run here manages. Slash commands cannot
 * be run in a forum itself, only in its posts, so a forum post's commands
 * manage the forum's digests. Elsewhere it is the channel the command ran in.
 */
export async function digestHome(interaction: Interaction): Promise<DigestHome> {
  const id = interaction.channelId ?? '';
  // discord.js caches the threads the Guilds intent announces; one it missed is fetched.
  const channel = interaction.channel ?? (await interaction.client.channels.fetch(id).catch(() => null));
  if (channel === null || !channel.isThread()) return { channelId: id, kind: 'channel' };
  if (channel.parent?.type === ChannelType.GuildForum) return { channelId: channel.parent.id, kind: 'forum' };
  return { channelId: id, kind: 'thread' };
}

/**
 * Where /digest subscribe (or the Subscribe button) will post: the `channel:`
 * option's channel, else `home` (see digestHome). The member must have Manage
 * Channels there, and the bot what it needs to post; a forum that requires a
 * tag on its posts must have one the digest can wear.
 */
export function digestTarget(interaction: ChatInputCommandInteraction | ButtonInteraction, home: DigestHome): DigestTarget {
  const chosen = interaction.isChatInputCommand() ? interaction.options.getChannel('channel') : null;
  // Discord offers only these types; a client that sends another gets an answer, not a crash.
  if (chosen !== null && !(TARGET_TYPES as readonly ChannelType[]).includes(chosen.type)) {
    throw new UserError('bad_channel', `Digests post in text, announcement or forum channels, and <#${chosen.id}> is none of these.`);
  }
  const target = chosen === null ? home : { channelId: chosen.id, kind: chosen.type === ChannelType.GuildForum ? ('forum' as const) : ('channel' as const) };
  // A channel picked in the option comes with the member's and the bot's permissions in it.
  const member = chosen === null ? interaction.memberPermissions : 'permissions' in chosen ? (chosen.permissions as PermissionsBitField | null) : null;
  const app = chosen === null ? interaction.appPermissions : 'appPermissions' in chosen ? (chosen.appPermissions as PermissionsBitField | null) : null;
  // Without them, the bot's own member (when the gateway sent it) says what it may do there.
  const me = interaction.guild?.members.me ?? null;
  const cached = interaction.client.channels.cache.get(target.channelId);
  const ownPermissions = app ?? (me !== null && cached !== undefined && 'permissionsFor' in cached ? cached.permissionsFor(me) : null);
  const checked = check(target, chosen === null && target.kind !== 'forum' ? 'this channel' : where(target), member, ownPermissions);
  if (cached?.type === ChannelType.GuildForum) digestTag(cached);
  return checked;
}

/** Managing digests needs Manage Channels where they post (`named`: "this channel", the forum …). */
export function requireManageChannels(member: Readonly<PermissionsBitField> | null, named = 'this channel'): void {
  if (!member?.has(PermissionFlagsBits.ManageChannels)) {
    throw new UserError('forbidden', `Managing digests needs the Manage Channels permission in ${named}.`);
  }
}

function check({ channelId, kind }: DigestHome, named: string, member: Readonly<PermissionsBitField> | null, app: Readonly<PermissionsBitField> | null): DigestTarget {
  requireManageChannels(member, named);
  // Not known (no permissions sent, no member cached): the first post finds out, and pauses the digest saying why.
  if (app !== null) {
    const missing = NEEDED[kind].filter(([flag]) => !app.has(flag)).map(([, name]) => name);
    if (missing.length > 0) {
      throw new UserError('bot_missing_permission', `I cannot post digests in ${named}: I lack ${missing.join(', ')} there. Grant ${missing.length === 1 ? 'it' : 'them'} to me, then subscribe again.`);
    }
  }
  return { channelId, kind, noThreads: kind === 'channel' && app !== null && !app.has(PermissionFlagsBits.CreatePublicThreads) };
}

function where({ channelId, kind }: DigestHome): string {
  return kind === 'forum' ? `the forum <#${channelId}>` : `<#${channelId}>`;
}

/**
 * The tag a digest's post wears in `forum`: one named Digest or Papers, if the
 * forum has one. A forum that requires a tag and has none of those is a
 * UserError, raised when subscribing and, should the tag go, when posting.
 */
export function digestTag(forum: ForumChannel): GuildForumTag | undefined {
  const tag = forum.availableTags.find((t) => DIGEST_TAG.test(t.name.trim()));
  if (tag === undefined && forum.flags.has(ChannelFlags.RequireTag)) {
    throw new UserError('forum_tag_required', `The forum <#${forum.id}> requires a tag on every post: add a tag named “Digest” for the digest's posts.`);
  }
  return tag;
}
