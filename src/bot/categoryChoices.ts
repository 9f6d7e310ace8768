import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import type { CategoryCount } from '../library/PaperLibrary.js';
import { DISCORD_LIMITS } from '../render/discord.js';
import { categoryChoices } from '../search/paperFilter.js';

/** Autocomplete choices for a partly typed arXiv category: at most 25, "cs.CV · 12,345 papers", valued by the category. */
export function categoryOptionChoices(categories: readonly CategoryCount[], typed: string): APIApplicationCommandOptionChoice<string>[] {
  return categoryChoices(categories, typed, DISCORD_LIMITS.choices).map(({ category, papers }) => ({
    name: `${category} · ${papers.toLocaleString('en')} paper${papers === 1 ? '' : 's'}`.slice(0, DISCORD_LIMITS.choiceName),
    value: category.slice(0, DISCORD_LIMITS.choiceValue),
  }));
}
