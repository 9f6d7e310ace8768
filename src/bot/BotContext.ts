import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { DigestService } from '../digest/DigestService.js';
import type { ReadingListService } from '../lists/ReadingListService.js';
import type { Logger } from '../log.js';
import type { EmbeddingStatus } from '../embeddings/LiveEmbeddings.js';
import type { PaperSearch, SearchOptions, SearchResult } from '../search/PaperSearch.js';
import type { AskSessions } from './AskSessions.js';
import type { Cooldowns } from './Cooldowns.js';

/** What every handler may use: the search service and the bot's small state. */
export interface BotContext {
  /** The current search (a function: a grown library replaces it while the bot runs). */
  search(): PaperSearch;
  /** A question searched in the current library: BM25, with the pretrained encoder beside it when one is configured. */
  ask(question: string, options: SearchOptions): Promise<SearchResult>;
  /** How far the encoder has embedded the library; null without one. */
  embeddings(): EmbeddingStatus | null;
  sessions: AskSessions;
  digests: DigestService;
  /** Saved papers and channels' reading lists. */
  lists: ReadingListService;
  cooldowns: Cooldowns;
  log: Logger;
  version: string;
  startedAt: number;
  now(): number;
}

/** What a handler reports for the interaction's log line. */
export interface HandlerOutcome {
  /** Papers shown, when the handler searched. */
  results?: number;
}

/**
 * One slash command, one file in `commands/`: its definition and its handlers.
 * Buttons whose custom id starts with `<name>:` are routed to `button`.
 */
export interface CommandModule {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome | void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
  button?(interaction: ButtonInteraction, ctx: BotContext): Promise<HandlerOutcome | void>;
}
