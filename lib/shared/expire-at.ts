/**
 * A pasted token's ExpireAt as the account dialog takes it: UNIX seconds (or milliseconds), or
 * a date text. Blank or unreadable gives undefined. The runtime reads the stored value with
 * it; the editor checks and converts what is typed with it.
 */
export function parseExpireAt(raw: string | number | undefined | null): number | undefined {
  const text = String(raw ?? '').trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    // 10^11 s is the year 5138: a bigger number is milliseconds.
    return n > 1e11 ? Math.floor(n / 1000) : n;
  }
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** Whether a typed ExpireAt can be read: blank (unknown) is fine. */
export function isValidExpireAt(raw: string | number | undefined | null): boolean {
  return String(raw ?? '').trim() === '' || parseExpireAt(raw) !== undefined;
}
