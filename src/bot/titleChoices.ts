import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { DISCORD_LIMITS } from '../render/discord.js';
import { truncate } from '../text/truncate.js';
import type { Paper } from '../corpus/paper.js';
import type { PaperSearch } from '../search/PaperSearch.js';
import { normalizeText } from '../text/normalize.js';

/**
 * Autocomplete choices for a partly typed title: at most 25, each named
 * "Title (year, First Author)" within 100 characters, valued by arXiv id.
 * An empty field suggests the newest papers.
 */
export function titleChoices(search: PaperSearch, typed: string): APIApplicationCommandOptionChoice<string>[] {
  return search.suggest(typed, DISCORD_LIMITS.choices).map(paperChoice);
}

/** One paper as an autocomplete choice: "Title (year, First Author)" within 100 characters, valued by arXiv id. */
export function paperChoice(paper: Paper): APIApplicationCommandOptionChoice<string> {
  const firstAuthor = normalizeText(paper.authors[0]!).split(' ').at(-1) ?? '';
  const suffix = ` (${paper.year}, ${firstAuthor})`;
  const name = truncate(normalizeText(paper.title), DISCORD_LIMITS.choiceName - suffix.length) + suffix;
  return { name: name.slice(0, DISCORD_LIMITS.choiceName), value: paper.id };
}

/** Papers of a list (saved papers, a channel's list) whose title or id holds what was typed, as choices; one the library dropped by its id. */
export function listedPaperChoices(papers: readonly { paperId: string; paper: Paper | undefined }[], typed: string): APIApplicationCommandOptionChoice<string>[] {
  const wanted = typed.trim().toLowerCase();
  return papers
    .filter((p) => wanted === '' || (p.paper?.title ?? '').toLowerCase().includes(wanted) || p.paperId.startsWith(wanted))
    .slice(0, DISCORD_LIMITS.choices)
    .map((p) => (p.paper === undefined ? { name: p.paperId, value: p.paperId } : paperChoice(p.paper)));
}
