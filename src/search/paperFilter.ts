import { UserError } from '../errors.js';
import type { CategoryCount } from '../library/PaperLibrary.js';
import type { PaperFilter } from './Retriever.js';

/** Longer than any arXiv category ("physics.atm-clus" is 16). */
export const MAX_CATEGORY_LENGTH = 40;

/** A filter as a user typed it: `since` a year, `category` an arXiv category or archive. */
export interface FilterInput {
  since?: string | number | null;
  category?: string | null;
}

/** What the filter is checked against, and how the user's interface names its options. */
export interface FilterContext {
  /** The categories the library's papers list (asked only when a category is given: it is a pass over the library). */
  categories: () => readonly CategoryCount[];
  /** The year now: a `since` after it is refused. */
  currentYear: number;
  /** How the options are written where the user typed them (`--since` on the CLI, `since` in Discord). */
  optionNames: { since: string; category: string };
}

/**
 * The filter `input` asks for, checked: a four-digit year not in the future,
 * and a category some paper lists (or an archive such as "cs" that holds
 * one), spelt as the library spells it. Undefined when nothing is asked.
 */
export function parsePaperFilter(input: FilterInput, context: FilterContext): PaperFilter | undefined {
  const filter: PaperFilter = {};
  const { since: sinceName, category: categoryName } = context.optionNames;
  if (input.since !== undefined && input.since !== null) {
    const raw = String(input.since).trim();
    if (!/^\d{4}$/.test(raw)) throw new UserError('bad_filter', `${sinceName} must be a year such as 2023, not "${input.since}"`);
    const year = Number(raw);
    if (year > context.currentYear) throw new UserError('future_since', `${sinceName} ${year} is in the future: it is ${context.currentYear}`);
    filter.years = { from: year };
  }
  if (input.category !== undefined && input.category !== null) {
    const raw = input.category.trim();
    if (!/^[a-zA-Z-]+(\.[a-zA-Z-]+)?$/.test(raw)) throw new UserError('bad_filter', `${categoryName} must be an arXiv category such as cs.CV or cs, not "${input.category}"`);
    filter.categories = [knownCategory(raw, context)];
  }
  return filter.years === undefined && filter.categories === undefined ? undefined : filter;
}

/** `typed` as the library spells it (cs.cv → cs.CV), or an unknown_category error naming the nearest ones. */
function knownCategory(typed: string, context: FilterContext): string {
  const categories = context.categories();
  const wanted = typed.toLowerCase();
  const exact = categories.find((c) => c.category.toLowerCase() === wanted);
  if (exact !== undefined) return exact.category;
  const archive = categories.find((c) => c.category.toLowerCase().startsWith(`${wanted}.`));
  if (archive !== undefined) return archive.category.slice(0, wanted.length);
  const prefix = wanted.split('.')[0]!;
  const near = categories.filter((c) => c.category.toLowerCase().startsWith(prefix));
  const pool = near.length > 0 ? near : categories;
  const shown = pool.slice(0, 5).map((c) => c.category);
  const more = pool.length > shown.length ? ', …' : '';
  throw new UserError(
    'unknown_category',
    `${context.optionNames.category} "${typed}": no paper in the library is in that category${shown.length > 0 ? ` (they are in ${shown.join(', ')}${more})` : ''}`,
  );
}

/** Categories for an autocomplete: those whose name starts with (or holds) what was typed, most papers first, at most `limit`. */
export function categoryChoices(categories: readonly CategoryCount[], typed: string, limit: number): CategoryCount[] {
  const wanted = typed.trim().toLowerCase();
  const starts = categories.filter((c) => c.category.toLowerCase().startsWith(wanted));
  const holds = wanted === '' ? [] : categories.filter((c) => !c.category.toLowerCase().startsWith(wanted) && c.category.toLowerCase().includes(wanted));
  return [...starts, ...holds].slice(0, limit);
}
