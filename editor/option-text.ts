// How much of a text an option shows: pure, so that it can be tested without a browser. An
// option cannot wrap, and a select sized to its longest option would widen the dialog (the
// dialog's styles stop that, and the select then cuts the text where it must, without a mark).
// So a long name is cut here, with an ellipsis, keeping whole what follows it ("(online)").

/** How wide a text is: pixels in the page, half-width characters when nothing is laid out. */
export type TextWidth = (text: string) => number;

/**
 * The room an option has when its select is not laid out yet (a hidden row), in half-width
 * characters: what the narrowest picker select (beside a button) holds at Node-RED's default
 * dialog width, in both languages.
 */
export const OPTION_WIDTH = 34;

/** How wide `text` is in half-width characters: a CJK character counts two. */
export function halfWidths(text: string): number {
  let width = 0;
  for (const char of text) width += char.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return width;
}

/**
 * `text` then `suffix`, the text cut with an ellipsis (as little as needed) so that the whole
 * is no wider than `room` measured by `width`. A suffix wider than the room is kept anyway.
 */
export function optionText(
  text: string,
  suffix = '',
  width: TextWidth = halfWidths,
  room = OPTION_WIDTH,
): string {
  if (width(text + suffix) <= room) return text + suffix;
  const chars = [...text];
  // The longest start of the text that fits with the ellipsis and the suffix.
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (width(`${chars.slice(0, mid).join('')}…${suffix}`) <= room) low = mid;
    else high = mid - 1;
  }
  return `${chars.slice(0, low).join('').trimEnd()}…${suffix}`;
}
