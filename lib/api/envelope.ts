import { IotExplorerError, LocalErrorCode, apiError } from '../errors/errors';
import type { ApiReply } from './contracts';

/** The real sub-code that the service sometimes packs as `Code|中文` into a Message or a Status. */
const PACKED_CODE = /^([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)\|(.*)$/s;

/**
 * Splits `"FailedOperation.ActionUnreachable|动作消息不可达"` into its code and its text.
 * Text without a packed code comes back whole.
 */
export function splitPackedCode(text: string): { code?: string; text: string } {
  const match = PACKED_CODE.exec(text);
  return match ? { code: match[1], text: match[2] } : { text };
}

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The objects of a reply's list field; anything else in the list, or no list, is left out. */
export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as unknown[]).filter(isRecord) : [];
}

/** A reply field as text: the service sometimes sends numbers where strings are documented. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

function errorFrom(error: Record<string, unknown>, requestId: string): IotExplorerError {
  const code = asText(error.Code) || 'InternalError';
  const message = asText(error.Message);
  // A generic Code may hide the real one in the Message: prefer the specific code.
  const packedInMessage = splitPackedCode(message);
  if (packedInMessage.code) return apiError(packedInMessage.code, packedInMessage.text, requestId);
  const packedInCode = splitPackedCode(code);
  if (packedInCode.code)
    return apiError(packedInCode.code, packedInCode.text || message, requestId);
  return apiError(code, message, requestId);
}

function pickRequestId(inner: Record<string, unknown>, sentRequestId: string): string {
  const echoed = asText(inner.RequestId);
  return echoed === '' ? sentRequestId : echoed;
}

/**
 * Reads a reply in either envelope the service is known to use:
 * the documented `{"Response":{…}}` and the `{"code":0,"msg":"","data":{…}}` wrapper the
 * official clients parse. Throws an {@link IotExplorerError} for API errors and unreadable replies.
 */
export function parseReply(bodyText: string, sentRequestId: string, bytes?: number): ApiReply {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch (err) {
    throw new IotExplorerError({
      code: LocalErrorCode.BadResponse,
      key: 'badResponse',
      params: { reason: `not JSON: ${(err as Error).message}` },
    });
  }
  if (!isRecord(body)) {
    throw new IotExplorerError({
      code: LocalErrorCode.BadResponse,
      key: 'badResponse',
      params: { reason: 'the reply is not a JSON object' },
    });
  }

  let inner: Record<string, unknown>;
  if (isRecord(body.Response)) {
    inner = body.Response;
  } else if ('code' in body && !('Response' in body)) {
    const data = isRecord(body.data) ? body.data : {};
    // Some clients see `data` holding a `Response`; tolerate it.
    const unwrapped = isRecord(data.Response) ? data.Response : data;
    const requestId = pickRequestId(unwrapped, sentRequestId);
    if (isRecord(unwrapped.Error)) throw errorFrom(unwrapped.Error, requestId);
    if (Number(body.code) !== 0) {
      const msg = asText(body.msg);
      throw errorFrom(
        { Code: msg.includes('|') ? msg : `${asText(body.code)}`, Message: msg },
        requestId,
      );
    }
    inner = unwrapped;
  } else {
    // A page documents at least one reply without any envelope: take the object as it is.
    inner = body;
  }

  const requestId = pickRequestId(inner, sentRequestId);
  if (isRecord(inner.Error)) throw errorFrom(inner.Error, requestId);
  return bytes === undefined ? { requestId, data: inner } : { requestId, data: inner, bytes };
}

/** OutputParams is a JSON string: parse it; keep text that is not JSON; null when empty. */
export function parseOutputParams(raw: string | null): unknown {
  if (raw === null || raw.trim() === '') return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
