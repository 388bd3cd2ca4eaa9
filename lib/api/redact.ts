import { IotExplorerError, unexpectedError } from '../errors/errors';

/** Shorter texts are not treated as secrets: replacing them would garble ordinary words. */
const MIN_SECRET_LENGTH = 4;
const MASK = '***';
/** Whether JSON.stringify writes a text otherwise: a quote, a backslash, a control or a surrogate. */
function jsonEscapes(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
      return true;
    }
  }
  return false;
}

/**
 * Replaces every occurrence of each secret in a text, as it is and as JSON writes it inside a
 * string, so that no error, log or admin answer can carry one. The package's one redaction rule.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    // The escaped form first: inside JSON text it is the one that appears. Worked out only for
    // a secret that JSON writes differently (this runs on every reply).
    if (jsonEscapes(secret)) {
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (out.includes(escaped)) out = out.split(escaped).join(MASK);
    }
    // Looked for first: most texts hold no secret, and then nothing is copied.
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

/**
 * The error to report for a failed exchange: every text it carries redacted, the RequestId we
 * sent attached; anything that is not ours becomes IOTX_UNEXPECTED.
 */
export function redactError(
  caught: unknown,
  secrets: readonly string[],
  requestId: string,
): IotExplorerError {
  const err = unexpectedError(caught);
  const clean = redactSecrets(err.message, secrets);
  if (clean === err.message && err.requestId !== undefined) return err;
  return new IotExplorerError({
    code: err.code,
    key: err.key,
    params: Object.fromEntries(
      Object.entries(err.params).map(([k, v]) => [
        k,
        typeof v === 'string' ? redactSecrets(v, secrets) : v,
      ]),
    ),
    apiMessage: err.apiMessage === undefined ? undefined : redactSecrets(err.apiMessage, secrets),
    httpStatus: err.httpStatus,
    requestId: err.requestId ?? requestId,
    notSent: err.notSent,
  });
}
