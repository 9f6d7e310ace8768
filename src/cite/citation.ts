import { submissionMonth, type Paper } from '../corpus/paper.js';
import { normalizeText } from '../text/normalize.js';

/** The citation formats `cite` writes. */
export const CITATION_FORMATS = ['bibtex', 'ris', 'apa'] as const;
export type CitationFormat = (typeof CITATION_FORMATS)[number];

// Title words a key skips: "a", "on", "the" say nothing of the paper.
const KEY_STOP_WORDS = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'to', 'and', 'with', 'towards', 'toward', 'via', 'is', 'are', 'do', 'does', 'can', 'we', 'you', 'your', 'when', 'what', 'how', 'why']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// APA 7 lists up to 20 authors; beyond, the first 19, an ellipsis, and the last.
const APA_MAX_AUTHORS = 20;

/** A title or venue as a citation writes it: display text, without the source's bare TeX grouping braces ("{Fast}"). */
const citationText = (raw: string) => normalizeText(raw).replace(/[{}]/g, '');

/** "Laurens van der Maaten" → given "Laurens", family "van der Maaten": lower-case words before the last are particles of the family name. */
function splitName(author: string): { given: string; family: string } {
  const parts = normalizeText(author).trim().split(/\s+/);
  let start = parts.length - 1;
  while (start > 1 && /^\p{Ll}/u.test(parts[start - 1]!)) start--;
  return { given: parts.slice(0, start).join(' '), family: parts.slice(start).join(' ') };
}

/** Letters a–z only, accents dropped: "Müller-Ñúñez" → "mullernunez". */
const asciiWord = (text: string) => text.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
const familyName = (author: string) => normalizeText(author).trim().split(/\s+/).at(-1) ?? '';

/**
 * The paper's citation key: first author's family name, year, first telling
 * title word, as Google Scholar writes them (`li2023snapfusion`). Stable: the
 * same paper always gets the same key.
 */
export function citationKey(paper: Paper): string {
  const family = asciiWord(familyName(paper.authors[0] ?? '')) || 'anon';
  const word = citationText(paper.title).split(/[\s\-–—:,.;!?()/]+/).map(asciiWord).find((w) => w !== '' && !KEY_STOP_WORDS.has(w)) ?? '';
  return `${family}${paper.year}${word}`;
}

// Letters TeX writes with a command of their own, and the accents it puts on a letter.
const TEX_LETTERS: Record<string, string> = { ß: '\\ss', ø: '\\o', Ø: '\\O', æ: '\\ae', Æ: '\\AE', œ: '\\oe', Œ: '\\OE', å: '\\aa', Å: '\\AA', ł: '\\l', Ł: '\\L', ı: '\\i', đ: '\\dj', Đ: '\\DJ' };
const TEX_ACCENTS: Record<string, string> = {
  '\u0301': "\\'", '\u0300': '\\`', '\u0302': '\\^', '\u0308': '\\"', '\u0303': '\\~', '\u0304': '\\=', '\u0307': '\\.',
  '\u0306': '\\u', '\u030c': '\\v', '\u030b': '\\H', '\u0327': '\\c', '\u0328': '\\k', '\u030a': '\\r',
};
const TEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', '&': '\\&', '%': '\\%', $: '\\$', '#': '\\#', _: '\\_', '^': '\\^{}', '~': '\\~{}',
};

/**
 * Text for a BibTeX field, escaped for LaTeX: the specials (`& % $ # _ { } ~ ^ \`)
 * and accented Latin letters (`é` → `{\'e}`) become commands, so the entry
 * compiles with plain BibTeX; other characters (Greek, CJK) stay UTF-8.
 */
export function latexEscape(text: string): string {
  // Letter by letter: a letter and the combining marks after it are one accented letter.
  let out = '';
  const chars = [...text.normalize('NFD')];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    const accents: string[] = [];
    while (i + 1 < chars.length && TEX_ACCENTS[chars[i + 1]!] !== undefined) accents.push(TEX_ACCENTS[chars[++i]!]!);
    let tex = TEX_SPECIALS[char] ?? (TEX_LETTERS[char] !== undefined ? `{${TEX_LETTERS[char]}}` : char === 'i' && accents.length > 0 ? '\\i' : char);
    for (const accent of accents) tex = `{${accent}${/^[A-Za-z]$/.test(accent.slice(1)) ? ' ' : ''}${tex}}`;
    out += tex;
  }
  return out.normalize('NFC');
}

/** A title for BibTeX: escaped, each word with a capital after its first letter, or after the first word, braced so styles keep its case. */
function bibtexTitle(title: string): string {
  return citationText(title)
    .split(' ')
    .map((word, i) => {
      const escaped = latexEscape(word);
      return /\p{Lu}/u.test(i === 0 ? word.slice(1) : word) ? `{${escaped}}` : escaped;
    })
    .join(' ');
}

/** One BibTeX entry: @article when the paper has a venue, else @misc; with arXiv's eprint fields. */
export function toBibtex(paper: Paper, key = citationKey(paper)): string {
  const month = submissionMonth(paper);
  const venue = paper.venue === null ? null : citationText(paper.venue);
  const fields: [string, string][] = [
    ['title', `{${bibtexTitle(paper.title)}}`],
    ['author', `{${paper.authors.map((a) => latexEscape(normalizeText(a))).join(' and ')}}`],
    ...(venue === null ? [] : ([['journal', `{${latexEscape(venue)}}`]] as [string, string][])),
    ['year', `{${paper.year}}`],
    ...(month === null ? [] : ([['month', MONTHS[month - 1]!]] as [string, string][])),
    ['eprint', `{${paper.id}}`],
    ['archivePrefix', '{arXiv}'],
    ...(paper.categories[0] === undefined ? [] : ([['primaryClass', `{${paper.categories[0]}}`]] as [string, string][])),
    ['url', `{${paper.links.abs}}`],
  ];
  return `@${venue === null ? 'misc' : 'article'}{${key},\n${fields.map(([name, value]) => `  ${name} = ${value}`).join(',\n')}\n}`;
}

/** One RIS record (an unpublished work, or a journal article when there is a venue). */
export function toRis(paper: Paper): string {
  const month = submissionMonth(paper);
  const lines = [
    `TY  - ${paper.venue === null ? 'UNPB' : 'JOUR'}`,
    `TI  - ${citationText(paper.title)}`,
    ...paper.authors.map((a) => `AU  - ${risName(a)}`),
    `PY  - ${paper.year}`,
    ...(month === null ? [] : [`DA  - ${paper.year}/${String(month).padStart(2, '0')}`]),
    ...(paper.venue === null ? [] : [`JO  - ${citationText(paper.venue)}`]),
    `AB  - ${normalizeText(paper.abstract)}`,
    ...paper.categories.map((c) => `KW  - ${c}`),
    `UR  - ${paper.links.abs}`,
    `ID  - ${citationKey(paper)}`,
    'DB  - arXiv',
    `M1  - arXiv:${paper.id}`,
    'ER  - ',
  ];
  return lines.join('\n');
}

/** "Family, Given" for RIS. */
function risName(author: string): string {
  const { given, family } = splitName(author);
  return given === '' ? family : `${family}, ${given}`;
}

/** "Li, Y.", "van der Maaten, L.", "Müller-Ñúñez, J.-P." for APA. */
function apaName(author: string): string {
  const { given, family } = splitName(author);
  if (given === '') return family;
  const initials = given.split(' ').map((p) => p.split('-').map((q) => `${[...q][0]!.toUpperCase()}.`).join('-'));
  return `${family}, ${initials.join(' ')}`;
}

/** An APA 7 reference for an arXiv preprint (or its venue), as plain text. */
export function toApa(paper: Paper): string {
  const names = paper.authors.map(apaName);
  const authors =
    names.length === 1
      ? names[0]!
      : names.length <= APA_MAX_AUTHORS
        ? `${names.slice(0, -1).join(', ')}, & ${names.at(-1)}`
        : `${names.slice(0, APA_MAX_AUTHORS - 1).join(', ')}, … ${names.at(-1)}`;
  const title = citationText(paper.title).replace(/[.?!]$/, '');
  const source = paper.venue === null ? `(arXiv:${paper.id}). arXiv` : `. ${citationText(paper.venue)}`;
  return `${authors} (${paper.year}). ${title}${paper.venue === null ? ' ' : ''}${source}. ${paper.links.abs}`;
}

/** One paper's entry in a citation format. */
export interface Citation {
  id: string;
  /** The BibTeX key (for RIS and APA too: the RIS record's ID). */
  key: string;
  text: string;
}

/** Entries for these papers in `format`, in order; BibTeX keys made unique (li2023snapfusion, li2023snapfusiona, …). */
export function citations(papers: readonly Paper[], format: CitationFormat): Citation[] {
  const used = new Map<string, number>();
  return papers.map((paper) => {
    const base = citationKey(paper);
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    const key = n === 0 ? base : `${base}${String.fromCharCode(96 + n)}`;
    return { id: paper.id, key, text: format === 'bibtex' ? toBibtex(paper, key) : format === 'ris' ? toRis(paper) : toApa(paper) };
  });
}

/** `citations`, one after another, as a file holds them. */
export function formatCitations(papers: readonly Paper[], format: CitationFormat): string {
  return citations(papers, format).map((c) => c.text).join('\n\n');
}
