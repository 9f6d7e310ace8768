import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { DISCORD_LIMITS } from '../render/discord.js';
import type { PaperSearch } from '../search/PaperSearch.js';

/** Autocomplete for an author: names by paper count, "Yanzhi Wang · 10 papers", at most 25, valued by the name. */
export function authorChoices(search: PaperSearch, typed: string): APIApplicationCommandOptionChoice<string>[] {
  return search
    .authors()
    .suggest(typed, DISCORD_LIMITS.choices)
    .map(({ name, docs }) => {
      const suffix = ` · ${docs.length.toLocaleString('en')} paper${docs.length === 1 ? '' : 's'}`;
      return { name: `${name.slice(0, DISCORD_LIMITS.choiceName - suffix.length)}${suffix}`, value: name.slice(0, DISCORD_LIMITS.choiceValue) };
    });
}
