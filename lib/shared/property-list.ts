/**
 * A property filter as typed in a node's Properties field: ids separated by spaces, commas or
 * Chinese commas. The runtime asks for these ids; the editor's property picker ticks them.
 */
export function parsePropertyList(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\s,，]+/)
    .map((id) => id.trim())
    .filter((id) => id !== '');
}
