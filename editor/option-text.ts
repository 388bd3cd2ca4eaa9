// How long an option's text may be: pure, so that it can be tested without a browser. A
// select's option cannot wrap, and a select as wide as its longest option would widen the
// dialog (the dialog's styles stop that, and cut the text instead, without an ellipsis).

/**
 * The widest text a picker's option shows, in half-width characters (a CJK character counts
 * two): what a picker's select holds at Node-RED's default dialog width (measured by the dialog
 * tour in both languages, on both Node-RED lines).
 */
export const OPTION_WIDTH = 34;

/** How wide `text` is, in half-width characters. */
function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return width;
}

/**
 * An option's text: `text` cut with an ellipsis so that it and `suffix` fit
 * {@link OPTION_WIDTH}, the suffix kept whole (what the reader needs at a glance: "(online)").
 */
export function optionText(text: string, suffix = ''): string {
  const room = OPTION_WIDTH - textWidth(suffix);
  if (textWidth(text) <= room) return text + suffix;
  let width = 1; // the ellipsis
  let cut = '';
  for (const char of text) {
    width += textWidth(char);
    if (width > room) break;
    cut += char;
  }
  return `${cut.trimEnd()}…${suffix}`;
}
