import { IntList } from '../typed.js';
import { HYPHEN } from './titleWords.js';

const INITIAL_SLOTS = 1 << 12;

/**
 * Words ↔ ids, as an open-addressing hash table that looks a word up straight
 * from the text it sits in (optionally skipping its hyphens, for the solid
 * form of a compound). A Map would need a substring per lookup: 1.7M of them
 * for 100k titles, and about 15% more build time.
 */
export class WordTable {
  private constructor(
    /** The words, by id. */
    readonly words: string[],
    private readonly hashes: IntList,
    private slots: Int32Array,
  ) {}

  static empty(): WordTable {
    return new WordTable([], new IntList(), new Int32Array(INITIAL_SLOTS).fill(-1));
  }

  /**
   * The table `toArrays` saved, around `words` in id order: its slots as
   * they were, so loading rehashes nothing.
   */
  static fromArrays(words: string[], arrays: { hashes: Int32Array; slots: Int32Array }): WordTable {
    const { hashes, slots } = arrays;
    if (hashes.length !== words.length) throw new Error(`PaperBot: ${hashes.length} word hashes for ${words.length} words`);
    // find masks with slots.length - 1 and stops at an empty slot: a power of two, at most half full.
    if (slots.length === 0 || (slots.length & (slots.length - 1)) !== 0 || slots.length < 2 * words.length) {
      throw new Error(`PaperBot: ${slots.length} word table slots cannot hold ${words.length} words`);
    }
    return new WordTable(words, IntList.wrap(hashes), slots);
  }

  /** The arrays `fromArrays` needs besides the words. */
  toArrays(): { hashes: Int32Array; slots: Int32Array } {
    return { hashes: this.hashes.toArray(), slots: this.slots };
  }

  get size(): number {
    return this.words.length;
  }

  /** Id of `word`, or -1. */
  get(word: string): number {
    return this.find(word, 0, word.length, false, false);
  }

  /** Id of `text[start..end)` (without hyphens when `solid`), added if new. */
  add(text: string, start: number, end: number, solid: boolean): number {
    return this.find(text, start, end, solid, true);
  }

  private find(text: string, start: number, end: number, solid: boolean, insert: boolean): number {
    // FNV-1a over the code units.
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (solid && c === HYPHEN) continue;
      hash = Math.imul(hash ^ c, 16777619);
    }
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id < 0) break;
      if (this.hashes.data[id] === hash && sameWord(this.words[id]!, text, start, end, solid)) return id;
    }
    if (!insert) return -1;
    const id = this.words.length;
    const slice = text.slice(start, end);
    this.words.push(solid ? slice.replaceAll('-', '') : slice);
    this.hashes.push(hash);
    // At most half full, so probe runs stay short.
    if (2 * this.words.length > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id, hash);
    return id;
  }

  private place(id: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot]! >= 0) slot = (slot + 1) & mask;
    this.slots[slot] = id;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity).fill(-1);
    for (let id = 0; id < this.words.length; id++) this.place(id, this.hashes.data[id]!);
  }
}

/** Is `word` the text `text[start..end)` (hyphens skipped when `solid`)? */
function sameWord(word: string, text: string, start: number, end: number, solid: boolean): boolean {
  let j = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (solid && c === HYPHEN) continue;
    if (j >= word.length || word.charCodeAt(j++) !== c) return false;
  }
  return j === word.length;
}
