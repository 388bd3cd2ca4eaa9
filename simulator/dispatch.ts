// The common checks of both endpoints (JSON object body, Action, RequestId), then the Action.

import { handleAppApi } from './appapi';
import { ApiError, errors } from './envelope';
import { requiredString, type ApiContext, type Fields, type Params } from './params';
import { handleTokenApi } from './tokenapi';

export type Endpoint = 'tokenapi' | 'appapi';

export const ENDPOINT_PATHS: Readonly<Record<Endpoint, string>> = {
  tokenapi: '/api/exploreropen/tokenapi',
  appapi: '/api/exploreropen/appapi',
};

/** A request body: parsed JSON, or why it is not JSON. */
export type ParsedBody = { ok: true; value: unknown } | { ok: false; detail: string };

export type ApiResult =
  | { requestId: string; fields: Fields; error?: undefined }
  | { requestId: string; error: ApiError; fields?: undefined };

export function parseBody(text: string): ParsedBody {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
}

function isParams(value: unknown): value is Params {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Runs one API request. API errors come back as `error` (HTTP 200 with an Error object);
 * anything else thrown (a bug, or the simulator closing) propagates.
 */
export async function dispatchApi(
  endpoint: Endpoint,
  body: ParsedBody,
  ctx: ApiContext,
): Promise<ApiResult> {
  let requestId = '';
  try {
    if (!body.ok) throw errors.invalidJson('the body is not JSON');
    if (!isParams(body.value)) throw errors.invalidJson('the body must be a JSON object');
    const params = body.value;
    if (typeof params.RequestId === 'string') requestId = params.RequestId;
    const action = requiredString(params, 'Action');
    requiredString(params, 'RequestId');
    const fields =
      endpoint === 'tokenapi'
        ? await handleTokenApi(action, params, ctx)
        : handleAppApi(action, params, ctx);
    return { requestId, fields };
  } catch (err) {
    if (err instanceof ApiError) return { requestId: err.requestId ?? requestId, error: err };
    throw err;
  }
}
