// The appapi request signature (section 3.2 of the reference):
// Base64(HMAC-SHA1(AppSecret, "k1=v1&k2=v2&...")) over every param except Signature, with
// empty ones (undefined, null, "") dropped, names sorted ascending and "_" in names read as ".".

import { createHmac, timingSafeEqual } from 'node:crypto';

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  // Nested data is not expected on appapi; sign what a JSON body would carry.
  return JSON.stringify(value);
}

/** The text that is signed. */
export function signingString(params: Record<string, unknown>): string {
  return Object.keys(params)
    .filter((name) => {
      const v = params[name];
      return name !== 'Signature' && v !== undefined && v !== null && v !== '';
    })
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name.replace(/_/g, '.')}=${valueText(params[name])}`)
    .join('&');
}

/** Signs appapi params with the app's secret. */
export function signAppApiParams(params: Record<string, unknown>, appSecret: string): string {
  return createHmac('sha1', appSecret).update(signingString(params), 'utf8').digest('base64');
}

/** Checks a request's Signature in constant time. */
export function verifyAppApiSignature(params: Record<string, unknown>, appSecret: string): boolean {
  const given = params.Signature;
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(signAppApiParams(params, appSecret), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  // Compare equal-length buffers so the time does not depend on where they differ.
  const padded = Buffer.alloc(expected.length);
  actual.copy(padded, 0, 0, Math.min(actual.length, expected.length));
  return timingSafeEqual(expected, padded) && actual.length === expected.length;
}
