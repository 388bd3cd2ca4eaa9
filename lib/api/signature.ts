import { createHmac } from 'node:crypto';
import type { AppApiParams } from './contracts';

export type { AppApiParams };

/**
 * The appapi request signature (Tencent Cloud doc 1081/40773, "签名算法"):
 * Base64(HMAC-SHA1(AppSecret, "k1=v1&k2=v2…")) over every param except `Signature`, names in
 * ascending order, values raw (not URL-encoded). Empty values are left out, as the official
 * cloud-function demo does, and `_` in a name is read as `.`, as the doc says.
 */
function isSigned(name: string, value: AppApiParams[string]): value is string | number | boolean {
  return name !== 'Signature' && value !== undefined && value !== '';
}

/** The exact text that is signed; exported so a test can compare it with the doc's example. */
export function appApiStringToSign(params: AppApiParams): string {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(params)) {
    if (isSigned(name, value)) pairs.push([name.replace(/_/g, '.'), String(value)]);
  }
  // Plain code-unit order, as "ascending lexicographic" means; localeCompare would vary by locale.
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

export function signAppApi(params: AppApiParams, appSecret: string): string {
  return createHmac('sha1', appSecret).update(appApiStringToSign(params), 'utf8').digest('base64');
}
