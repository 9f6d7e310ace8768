/** Cut `text` to `max` characters at a word boundary, ending in "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = graphemePrefix(text, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The longest prefix of `text` within `length` code units that ends between
 * graphemes: never half a surrogate pair (Discord refuses a lone one), nor an
 * emoji's modifier or a letter's accent without what they belong to. Only the
 * tail is segmented, so a long text costs no more than a short one.
 */
function graphemePrefix(text: string, length: number): string {
  const from = Math.max(0, length - 32);
  let end = from;
  for (const { index, segment } of graphemes.segment(text.slice(from, length + 32))) {
    if (from + index + segment.length > length) break;
    end = from + index + segment.length;
  }
  return text.slice(0, end);
}
