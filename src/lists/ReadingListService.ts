import type { Database } from 'better-sqlite3';
import { formatCitations, type CitationFormat } from '../cite/citation.js';
import type { Paper } from '../corpus/paper.js';
import { UserError } from '../errors.js';
import type { PaperSearch } from '../search/PaperSearch.js';
import { paperNamed } from '../search/paperNamed.js';
import { ListEntries, type ListEntry, type ListOwner, type ListSummary } from '../store/ListEntries.js';

/** Papers one list (or one user's saved papers) may hold: a term's reading, with room. */
export const MAX_LIST_PAPERS = 500;
/** Lists one channel (or the command line) may keep: Discord's 25 autocomplete choices show them all. */
export const MAX_LISTS = 25;
/** Longest list name, in characters. */
export const MAX_LIST_NAME = 50;

const SAVED = '';

/** A paper on a list, as shown: the paper, or only its id when the library no longer holds it. */
export interface ListedPaper extends ListEntry {
  paper: Paper | undefined;
}

/** A list's papers, for show and export. */
export interface ReadingList {
  /** The list's name ('' for saved papers). */
  name: string;
  papers: ListedPaper[];
}

/** What adding or removing did. */
export interface ListChange {
  paperId: string;
  /** The paper; undefined for one the library no longer holds, taken off a list by id. */
  paper: Paper | undefined;
  /** The list's name as it is kept. */
  name: string;
  /** False when the paper was already there (add) or not there (remove). */
  changed: boolean;
  /** Papers on the list afterwards. */
  total: number;
}

/** A list name as typed, checked: 1 to MAX_LIST_NAME characters on one line, spaces collapsed. */
export function listName(raw: string, option = 'name'): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name === '') throw new UserError('bad_list_name', `${option} is empty: name the list, e.g. "this week's reading"`);
  if (name.length > MAX_LIST_NAME) throw new UserError('bad_list_name', `${option} is ${name.length} characters long; a list name has at most ${MAX_LIST_NAME}`);
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new UserError('bad_list_name', `${option} holds control characters`);
  return name;
}

/**
 * Reading lists: each user's saved papers, and named lists shared by a
 * channel (or kept by the command line). Papers are kept by arXiv id, so a
 * list outlives a paper's new version; one the library dropped is shown by
 * id. Knows nothing of Discord: who may remove what is asked of the caller.
 */
export class ReadingListService {
  private readonly entries: ListEntries;

  constructor(
    db: Database,
    private readonly search: () => PaperSearch,
    private readonly now: () => number,
  ) {
    this.entries = new ListEntries(db);
  }

  /** Save the paper with this id for the user; changed false when it was saved already. */
  save(userId: string, paperId: string): ListChange {
    return this.put({ kind: 'user', id: userId }, SAVED, this.paperWithId(paperId), userId);
  }

  /** Take the paper off the user's saved papers. */
  unsave(userId: string, paperId: string): ListChange {
    const owner: ListOwner = { kind: 'user', id: userId };
    const paper = this.paperWithId(paperId);
    const changed = this.entries.remove(owner, SAVED, paper.id);
    return { paperId: paper.id, paper, name: SAVED, changed, total: this.entries.count(owner, SAVED) };
  }

  /** The user's saved papers, newest first. */
  saved(userId: string): ReadingList {
    return { name: SAVED, papers: this.listed(this.entries.entries({ kind: 'user', id: userId }, SAVED, 'newest')) };
  }

  /** Put the paper `paperText` names (id or title) on the owner's list `name`, made when new. */
  add(owner: ListOwner, name: string, paperText: string, by: string): ListChange {
    const checked = listName(name);
    const lists = this.entries.lists(owner);
    const existing = findList(lists, checked);
    if (existing === undefined && lists.length >= MAX_LISTS) {
      throw new UserError('too_many_lists', `there are ${lists.length} lists here already, the most kept; empty one first (remove its papers)`);
    }
    return this.put(owner, existing?.name ?? checked, paperNamed(this.search(), paperText), by);
  }

  /**
   * Take the paper `paperText` names off the owner's list. Whoever added it
   * may; anyone else only when `mayRemoveOthers` (Manage Messages, in Discord).
   */
  remove(owner: ListOwner, name: string, paperText: string, by: string, mayRemoveOthers: boolean): ListChange {
    const list = this.list(owner, name);
    const { paperId, paper } = this.paperOnList(owner, list, paperText);
    const entry = this.entries.get(owner, list, paperId);
    if (entry === undefined) return { paperId, paper, name: list, changed: false, total: this.entries.count(owner, list) };
    if (entry.addedBy !== by && !mayRemoveOthers) throw new UserError('forbidden', 'Someone else put that paper on the list: removing it needs the Manage Messages permission.');
    this.entries.remove(owner, list, paperId);
    return { paperId, paper, name: list, changed: true, total: this.entries.count(owner, list) };
  }

  /** The owner's list `name`, in the order its papers were added. */
  show(owner: ListOwner, name: string): ReadingList {
    const list = this.list(owner, name);
    return { name: list, papers: this.listed(this.entries.entries(owner, list, 'added')) };
  }

  /** The list's papers as one BibTeX (or RIS, APA) file; papers the library dropped are named in `missing`. */
  export(owner: ListOwner, name: string, format: CitationFormat): { name: string; text: string; papers: number; missing: string[] } {
    const { name: list, papers } = this.show(owner, name);
    const held = papers.flatMap((p) => (p.paper === undefined ? [] : [p.paper]));
    return { name: list, text: formatCitations(held, format), papers: held.length, missing: papers.filter((p) => p.paper === undefined).map((p) => p.paperId) };
  }

  /** The owner's lists, the most recently changed first. */
  lists(owner: ListOwner): ListSummary[] {
    return this.entries.lists(owner);
  }

  /** The papers of the owner's list for an autocomplete: id and title. */
  papersOn(owner: ListOwner, name: string): ListedPaper[] {
    const list = findList(this.entries.lists(owner), name);
    return list === undefined ? [] : this.listed(this.entries.entries(owner, list.name, 'added'));
  }

  private put(owner: ListOwner, name: string, paper: Paper, by: string): ListChange {
    const total = this.entries.count(owner, name);
    if (this.entries.get(owner, name, paper.id) !== undefined) return { paperId: paper.id, paper, name, changed: false, total };
    if (total >= MAX_LIST_PAPERS) {
      throw new UserError('list_full', `${name === SAVED ? 'your saved papers hold' : `"${name}" holds`} ${total} papers, the most a list keeps; remove some first`);
    }
    const changed = this.entries.add(owner, name, { paperId: paper.id, addedBy: by, addedAt: this.now() });
    return { paperId: paper.id, paper, name, changed, total: total + (changed ? 1 : 0) };
  }

  /** The list's name as kept, or a not_found error naming the owner's lists. */
  private list(owner: ListOwner, name: string): string {
    const lists = this.entries.lists(owner);
    const found = findList(lists, listName(name));
    if (found !== undefined) return found.name;
    const known = lists.slice(0, 5).map((l) => `"${l.name}"`);
    throw new UserError('not_found', `there is no list "${name.trim()}" here${known.length > 0 ? ` (there are ${known.join(', ')}${lists.length > known.length ? ', …' : ''})` : ' (no list yet: add a paper to make one)'}`);
  }

  /** The paper `text` names: an id on the list (even one the library dropped), else an id or title as the library finds it. */
  private paperOnList(owner: ListOwner, list: string, text: string): { paperId: string; paper: Paper | undefined } {
    const onList = this.entries.get(owner, list, text.trim());
    if (onList !== undefined) return { paperId: onList.paperId, paper: this.search().paper(onList.paperId) };
    const paper = paperNamed(this.search(), text);
    return { paperId: paper.id, paper };
  }

  private paperWithId(paperId: string): Paper {
    const paper = this.search().paper(paperId);
    if (paper === undefined) throw new UserError('not_found', 'That paper is no longer in my corpus.');
    return paper;
  }

  private listed(entries: readonly ListEntry[]): ListedPaper[] {
    const search = this.search();
    return entries.map((e) => ({ ...e, paper: search.paper(e.paperId) }));
  }
}

/** The list `name` names among `lists`: spaces collapsed, case ignored (Unicode's, wider than the column's ASCII NOCASE). */
function findList(lists: readonly ListSummary[], name: string): ListSummary | undefined {
  const wanted = name.trim().replace(/\s+/g, ' ').toLowerCase();
  return lists.find((l) => l.name.toLowerCase() === wanted);
}
