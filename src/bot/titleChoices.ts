import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { DISCORD_LIMITS, truncate } from '../render/discord.js';
import type { PaperIndex } from '../search/PaperIndex.js';
import { normalizeText } from '../text/normalize.js';

/**
 * Autocomplete choices for a partly typed title: at most 25, each named
 * "Title (year, First Author)" within 100 characters, valued by arXiv id.
 * An empty field suggests the newest papers.
 */
export function titleChoices(index: PaperIndex, typed: string): APIApplicationCommandOptionChoice<string>[] {
  const { papers } = index.corpus;
  const docs =
    typed.trim() === ''
      ? newestFirst(index).slice(0, DISCORD_LIMITS.choices)
      : index.titles().search(typed, DISCORD_LIMITS.choices).map((m) => m.doc);
  return docs.map((doc) => {
    const paper = papers[doc]!;
    const firstAuthor = normalizeText(paper.authors[0]!).split(' ').at(-1) ?? '';
    const suffix = ` (${paper.year}, ${firstAuthor})`;
    const name = truncate(normalizeText(paper.title), DISCORD_LIMITS.choiceName - suffix.length) + suffix;
    return { name: name.slice(0, DISCORD_LIMITS.choiceName), value: paper.id };
  });
}

const newest = new WeakMap<PaperIndex, number[]>();
function newestFirst(index: PaperIndex): number[] {
  let order = newest.get(index);
  if (order === undefined) {
    const { papers } = index.corpus;
    order = papers.map((_, i) => i).sort((a, b) => papers[b]!.year - papers[a]!.year || (papers[b]!.id < papers[a]!.id ? -1 : 1));
    newest.set(index, order);
  }
  return order;
}
