import type { Database } from 'better-sqlite3';
import { UserError } from '../errors.js';
import type { PaperSearch, TopicFeedback } from '../search/PaperSearch.js';
import { DigestPosts, type DigestPost } from '../store/DigestPosts.js';
import { SentLedger } from '../store/SentLedger.js';
import { DigestVotes, type Vote } from '../store/DigestVotes.js';
import { DigestThreads } from '../store/DigestThreads.js';
import { learnTopic, type LearnedTopic } from './topicFeedback.js';
import { Subscriptions, type Subscription } from '../store/Subscriptions.js';
import { unknownAuthor } from '../authors/authorPage.js';
import { composeDigest, describeSubject, type DigestItem } from './composeDigest.js';
import { latestSlot, parseTimeOfDay, parseTimeZone } from './schedule.js';
import { parsePaperFilter } from '../search/paperFilter.js';

/** A digest ready to post: the subscription and its papers (possibly none). */
export interface DigestDelivery {
  subscription: Subscription;
  items: DigestItem[];
  /** The scheduled time (ms) this digest is for. */
  slot: number;
  /**
   * Discord's message nonce, the same on every attempt at this digest: with
   * `enforce_nonce`, a retry returns the message an earlier attempt posted.
   * At most 22 characters, so the transport may append a message's index (".1").
   */
  nonce: string;
  /** Papers an earlier attempt posted for certain: their messages are not posted again. */
  posted: ReadonlySet<string>;
  /** When an earlier attempt, which may have posted some of it unconfirmed, started (ms); null on the first. */
  earlierAttemptAt: number | null;
}

/**
 * What the transport managed: the ids of the papers it posted and, when it
 * stopped early, why. A `permanent` failure (the channel is gone, access lost)
 * pauses the subscription; any other is retried at the next tick. `uncertain`:
 * the last message may have gone out (a timeout, a dropped connection, a 5xx),
 * so its papers stay claimed and the post is retried with the same nonce.
 */
export interface DeliveryResult {
  delivered: string[];
  /** The thread started on the digest for its discussion, or why none could be. */
  thread?: { id: string } | { problem: string };
  failure?: { permanent: boolean; reason: string; uncertain?: boolean };
}

/** Posts a digest somewhere (Discord, in the bot). */
export type DigestTransport = (delivery: DigestDelivery) => Promise<DeliveryResult>;

/** Digest settings and limits. */
export interface DigestOptions {
  /** Subscriptions a guild may hold. @default 25 */
  maxPerGuild?: number;
}

export const MAX_TOPIC_LENGTH = 200;

/** A subscription request as a user typed it. */
export interface SubscribeRequest {
  guildId: string;
  channelId: string;
  userId: string;
  topic: string;
  /** HH:MM. @default "09:00" */
  time?: string | null;
  /** IANA time zone. @default "UTC" */
  timezone?: string | null;
  /** Papers a digest, 1-10. @default 5 */
  maxPapers?: number | null;
  /** Post "nothing new" on days without new papers. @default false */
  postWhenEmpty?: boolean | null;
  /** Only papers in this arXiv category or under this archive (checked against the library). */
  category?: string | null;
  /** Only papers by this author (a name the library holds); with no topic, all of their new papers. */
  author?: string | null;
}

// A second click on the same vote button this soon is a double click, not taking the vote back.
const REPEAT_CLICK_MS = 2_000;

// Longest author name a digest follows.
const MAX_AUTHOR_LENGTH = 100;

/**
 * Daily digests: subscriptions, the ledger of papers sent, and one run of a
 * digest. Storage is SQLite; time comes from the injected clock; posting is
 * the transport's business. Nothing here knows Discord.
 */
export class DigestService {
  readonly subscriptions: Subscriptions;
  readonly ledger: SentLedger;
  readonly posts: DigestPosts;
  readonly votes: DigestVotes;
  readonly threads: DigestThreads;
  private readonly maxPerGuild: number;

  constructor(
    private readonly db: Database,
    private readonly search: () => PaperSearch,
    private readonly now: () => number,
    options: DigestOptions = {},
  ) {
    this.subscriptions = new Subscriptions(db);
    this.ledger = new SentLedger(db);
    this.posts = new DigestPosts(db);
    this.votes = new DigestVotes(db);
    this.threads = new DigestThreads(db);
    this.maxPerGuild = options.maxPerGuild ?? 25;
  }

  /** Validate and store a subscription; UserErrors name the bad option. */
  subscribe(request: SubscribeRequest): Subscription {
    const topic = request.topic.trim().replace(/\s+/g, ' ');
    const author = this.checkAuthor(request.author);
    if (topic === '' && author === null) throw new UserError('bad_option', 'Give the digest a topic, an author, or both: say what papers it should bring.');
    if (topic.length > MAX_TOPIC_LENGTH) {
      throw new UserError('bad_option', `The topic is ${topic.length} characters long; keep it under ${MAX_TOPIC_LENGTH}.`);
    }
    const time = parseTimeOfDay(request.time ?? '09:00');
    if (time === null) throw new UserError('bad_option', `“${request.time}” is not a time of day: use HH:MM, such as 09:00 or 17:30.`);
    const timezone = parseTimeZone(request.timezone ?? 'UTC');
    if (timezone === null) {
      throw new UserError('bad_option', `“${request.timezone}” is not a time zone I know: use an IANA name such as Europe/Berlin or America/New_York.`);
    }
    const category = this.checkCategory(request.category);
    const maxPapers = request.maxPapers ?? 5;
    if (!Number.isInteger(maxPapers) || maxPapers < 1 || maxPapers > 10) {
      throw new UserError('bad_option', 'max must be a whole number from 1 to 10.');
    }
    return this.db
      .transaction(() => {
        if (this.subscriptions.countByGuild(request.guildId) >= this.maxPerGuild) {
          throw new UserError('bad_option', `This server already has ${this.maxPerGuild} digests, the most it may have: unsubscribe one first.`);
        }
        const created = this.subscriptions.add({
          guildId: request.guildId,
          channelId: request.channelId,
          topic,
          time,
          timezone,
          maxPapers,
          postWhenEmpty: request.postWhenEmpty ?? false,
          createdBy: request.userId,
          createdAt: this.now(),
          category,
          author,
        });
        if (created === null) throw new UserError('bad_option', `This channel already has a digest of ${describeSubject({ topic, author })}.`);
        return created;
      })
      .immediate();
  }

  /** An author the library holds, as typed (spaces collapsed); null for none asked. */
  private checkAuthor(typed: string | null | undefined): string | null {
    const author = typed?.trim().replace(/\s+/g, ' ') ?? '';
    if (author === '') return null;
    if (author.length > MAX_AUTHOR_LENGTH) throw new UserError('bad_option', `The author's name is ${author.length} characters long; keep it under ${MAX_AUTHOR_LENGTH}.`);
    if (this.search().authors().matching(author).length === 0) throw unknownAuthor(author);
    return author;
  }

  /** A category the library's papers list, spelt as it spells it; null for none asked. */
  private checkCategory(typed: string | null | undefined): string | null {
    const filter = parsePaperFilter(
      { category: typed },
      { categories: () => this.search().categories(), currentYear: new Date(this.now()).getUTCFullYear(), optionNames: { since: 'since', category: 'category' } },
    );
    return filter?.categories?.[0] ?? null;
  }

  /**
   * A 👍 or 👎 on a paper of digest `subscriptionId`: cast, changed, or (the
   * same button again) taken back. Anyone may vote; a digest since removed
   * is a not_found error.
   */
  vote(subscriptionId: number, paperId: string, userId: string, vote: Vote): { subscription: Subscription; now: Vote | null; before: Vote | null; repeated: boolean; votes: number } {
    return this.db
      .transaction(() => {
        const subscription = this.subscriptions.get(subscriptionId);
        if (subscription === undefined) throw new UserError('not_found', 'That digest has been stopped: its votes no longer count.');
        const previous = this.votes.get(subscriptionId, paperId, userId);
        const before = previous?.vote ?? null;
        // A double click is two clicks a moment apart: the second repeats the vote rather than taking it back.
        const repeated = previous !== undefined && before === vote && this.now() - previous.votedAt < REPEAT_CLICK_MS;
        const takenBack = before === vote && !repeated;
        if (takenBack) this.votes.remove(subscriptionId, paperId, userId);
        else if (!repeated) this.votes.set(subscriptionId, paperId, userId, vote, this.now());
        const votes = this.votes.count(subscriptionId);
        return { subscription, now: takenBack ? null : vote, before, repeated, votes };
      })
      .immediate();
  }

  /** What the digest's votes taught its topic (nothing for a digest without a topic, or without votes). */
  learned(subscription: Pick<Subscription, 'id' | 'topic'>): LearnedTopic {
    if (subscription.topic === '') return { feedback: { boost: [], penalty: [] }, terms: [], categories: [], votes: 0 };
    return learnTopic(this.search(), subscription.topic, this.votes.tally(subscription.id));
  }

  /** Forget the digest's votes, so its topic is as typed again; returns how many votes there were. */
  resetVotes(subscriptionId: number): number {
    return this.votes.clear(subscriptionId);
  }

  /** Stop digest `id` of this guild. */
  unsubscribe(id: number, guildId: string): void {
    if (!this.subscriptions.remove(id, guildId)) throw new UserError('not_found', `This server has no digest #${id} (see /digest list).`);
  }

  /** What a digest on `topic` (by `author`, when given) would post in this channel now, writing nothing. */
  preview(channelId: string, subject: { topic: string; author?: string | null }, maxPapers = 5): DigestItem[] {
    const topic = subject.topic.trim().replace(/\s+/g, ' ');
    const author = this.checkAuthor(subject.author);
    if (topic === '' && author === null) throw new UserError('bad_option', 'Give a topic, an author, or both.');
    return composeDigest(this.search(), { topic, author, category: null }, this.ledger.sentTo(channelId), maxPapers);
  }

  /** What digest `id` would post in its channel now, its votes' learning included, writing nothing. */
  previewOf(subscription: Subscription): DigestItem[] {
    return this.compose(subscription, this.learned(subscription).feedback);
  }

  /** The digest's papers now, with what its votes taught it, none its channel was sent. */
  private compose(subscription: Subscription, feedback: TopicFeedback): DigestItem[] {
    return composeDigest(this.search(), subscription, this.ledger.sentTo(subscription.channelId), subscription.maxPapers, { feedback });
  }

  /**
   * The subscriptions whose latest scheduled time has come and not been run:
   * after downtime that spanned several days, one run (the latest), not one
   * per missed day. Slots before a subscription existed do not count.
   */
  due(accept: (s: Subscription) => boolean = () => true): { subscription: Subscription; slot: number }[] {
    const now = this.now();
    return this.subscriptions
      .active()
      .filter(accept)
      .map((subscription) => ({ subscription, slot: latestSlot(subscription.time, subscription.timezone, now) }))
      .filter(({ subscription, slot }) => slot >= subscription.createdAt && (subscription.lastSlot ?? -Infinity) < slot);
  }

  /**
   * The digests claimed and not confirmed posted (a crash, a timeout, a 5xx
   * left them), of active subscriptions: retry each with `deliver`.
   */
  unconfirmed(accept: (s: Subscription) => boolean = () => true): { subscription: Subscription; post: DigestPost }[] {
    return this.posts
      .all()
      .map((post) => ({ post, subscription: this.subscriptions.get(post.subscriptionId) }))
      .filter((p): p is { post: DigestPost; subscription: Subscription } => p.subscription !== undefined && p.subscription.pausedReason === null && accept(p.subscription));
  }

  /** Per subscription of `channelId`: the papers claimed and possibly not sent, and since when. */
  unconfirmedIn(channelId: string): Map<number, { paperIds: string[]; since: number }> {
    const bySubscription = new Map<number, { paperIds: string[]; since: number }>();
    for (const post of this.posts.byChannel(channelId)) {
      const delivered = new Set(post.delivered);
      const unsent = post.items.map((i) => i.paper.id).filter((id) => !delivered.has(id));
      const entry = bySubscription.get(post.subscriptionId);
      if (entry === undefined) bySubscription.set(post.subscriptionId, { paperIds: unsent, since: post.claimedAt });
      else entry.paperIds.push(...unsent);
    }
    return bySubscription;
  }

  /**
   * Run one digest for `slot`: claim the slot, the papers and the post in one
   * transaction (so two processes, or a restart, never post them twice), and
   * deliver it. Returns what was posted, or null when another run had claimed
   * the slot.
   */
  async run(subscription: Subscription, slot: number, transport: DigestTransport): Promise<DeliveryResult | null> {
    // Learning reads and analyses the voted papers: done before the write lock, not while holding it.
    const { feedback } = this.learned(subscription);
    const claimed = this.db
      .transaction(() => {
        if (!this.subscriptions.claimSlot(subscription.id, slot)) return null;
        const items = this.compose(subscription, feedback);
        this.ledger.claim(subscription.channelId, items.map((i) => i.paper.id), subscription.id, this.now());
        if (items.length === 0 && !subscription.postWhenEmpty) return { post: null };
        const post = this.posts.claim({
          subscriptionId: subscription.id,
          slot,
          previousSlot: subscription.lastSlot,
          channelId: subscription.channelId,
          nonce: digestNonce(subscription.id, slot),
          items,
          claimedAt: this.now(),
        });
        return { post };
      })
      .immediate();
    if (claimed === null) return null;
    if (claimed.post === null) return { delivered: [] };
    return this.deliver(subscription, claimed.post, transport);
  }

  /**
   * Hand a claimed post (a new one from `run`, or one `unconfirmed` lists) to
   * `transport`, then record what it managed: confirmed, the post is done;
   * certainly refused, its unsent papers are given back; else it stays
   * claimed, for the next tick to retry with the same nonce. Null when
   * another process is at it.
   */
  async deliver(subscription: Subscription, post: DigestPost, transport: DigestTransport): Promise<DeliveryResult | null> {
    if (!this.posts.startAttempt(post, this.now())) return null;
    const posted = new Set(post.delivered);
    let result: DeliveryResult;
    try {
      result = await transport({ subscription, items: post.items, slot: post.slot, nonce: post.nonce, posted, earlierAttemptAt: post.attemptedAt });
    } catch (err) {
      // A transport that throws (rather than reporting) may have posted part of the digest.
      result = { delivered: [], failure: { permanent: false, reason: (err as Error).message, uncertain: true } };
    }
    const fresh = result.delivered.filter((id) => !posted.has(id));
    const delivered = [...post.delivered, ...fresh];
    const { failure } = result;
    // A refusal proves that this attempt posted nothing more, not that an earlier one did not.
    const nothingWentOut = failure !== undefined && failure.uncertain !== true && post.attemptedAt === null;
    this.db.transaction(() => {
      if (fresh.length > 0) this.subscriptions.recordDelivery(subscription.id, fresh.length, this.now());
      const { thread } = result;
      if (thread !== undefined && 'id' in thread) {
        this.threads.add({ threadId: thread.id, subscriptionId: subscription.id, channelId: subscription.channelId, paperIds: post.items.map((i) => i.paper.id) }, this.now());
      }
      if (thread !== undefined) this.subscriptions.setThreadProblem(subscription.id, 'problem' in thread ? thread.problem : null);
      if (failure === undefined) return this.posts.remove(post);
      if (failure.permanent) this.subscriptions.pause(subscription.id, failure.reason);
      if (!nothingWentOut) return this.posts.recordAttempt(post, delivered, failure.reason);
      this.posts.remove(post);
      const sent = new Set(delivered);
      this.ledger.release(subscription.channelId, post.items.map((i) => i.paper.id).filter((id) => !sent.has(id)));
      if (!failure.permanent && delivered.length === 0) this.subscriptions.releaseSlot(subscription.id, post.slot, post.previousSlot);
    })();
    return result;
  }
}

/**
 * The nonce of subscription `id`'s digest at `slot` (a whole minute): derived,
 * not random, so the attempt after a restart has the same. At most 19
 * characters ("pb" + id and minutes in base 36).
 */
function digestNonce(id: number, slot: number): string {
  return `pb${id.toString(36)}-${Math.floor(slot / 60_000).toString(36)}`;
}
