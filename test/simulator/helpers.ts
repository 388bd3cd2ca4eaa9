// Shared helpers for the simulator tests: raw HTTP over node:http, and typed shortcuts for
// tokenapi and appapi calls.

import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import { signAppApiParams, type Simulator } from '../../simulator';

export const DEMO_TOKEN = 'demo-access-token';
export const EXPIRED_TOKEN = 'expired-access-token';
export const NEIGHBOR_TOKEN = 'neighbor-access-token';
export const APP_KEY = 'demoAppKey';
export const APP_SECRET = 'demoAppSecret';

export const LAMP = { ProductId: 'LIGHT0A1B2', DeviceName: 'living_lamp' };
export const OFFLINE_LAMP = { ProductId: 'LIGHT0A1B2', DeviceName: 'bedroom_lamp' };
export const NEIGHBOR_LAMP = { ProductId: 'LIGHT0A1B2', DeviceName: 'neighbor_lamp' };
export const SPARE_LAMP = { ProductId: 'LIGHT0A1B2', DeviceName: 'spare_lamp' };
export const LOCK = { ProductId: 'LOCK0C3D4E', DeviceName: 'front_door' };
export const AIRCON = { ProductId: 'AIRC0F5G6H', DeviceName: 'study_aircon' };
export const SLOW_AIRCON = { ProductId: 'AIRC0F5G6H', DeviceName: 'attic_aircon' };
export const SENSOR = { ProductId: 'THSNS7J8K9', DeviceName: 'living_sensor' };
/** The owner who shares devices with the demo user, and what the default fixture shares. */
export const OWNER_TOKEN = 'owner-access-token';
export const SHARED_LAMP = { ProductId: 'LIGHT0A1B2', DeviceName: 'shared_lamp' };
export const SHARED_SENSOR = { ProductId: 'THSNS7J8K9', DeviceName: 'shared_sensor' };
/** The owner's lamp that is shared with nobody. */
export const OWNER_LAMP = { ProductId: 'LIGHT0A1B2', DeviceName: 'owner_lamp' };

/** Parsed JSON of a reply, read loosely in tests (the unsafe-* rules are off for tests). */
export type Json = ReturnType<typeof JSON.parse>;

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One HTTP request; rejects on a socket error or a body cut short. */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    body?: string;
    agent?: http.Agent;
    headers?: Record<string, string>;
  } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? 'POST',
        agent: options.agent,
        headers: { 'Content-Type': 'application/json', ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('aborted')));
        res.on('end', () => {
          if (!res.complete) reject(new Error('incomplete body'));
          else {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            });
          }
        });
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** POSTs a JSON body (or a raw string) and parses the JSON reply. */
export async function postJson(url: string, body: unknown, agent?: http.Agent): Promise<Json> {
  const reply = await rawRequest(url, {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    agent,
  });
  if (reply.status !== 200) throw new Error(`HTTP ${reply.status}: ${reply.text}`);
  return JSON.parse(reply.text);
}

/** A tokenapi call; returns the inner Response (success fields or {Error, RequestId}). */
export async function tokenApi(
  sim: Simulator,
  action: string,
  params: Record<string, unknown> = {},
  token: string | undefined = DEMO_TOKEN,
): Promise<Json> {
  const body = { Action: action, RequestId: randomUUID(), AccessToken: token, ...params };
  const reply = await postJson(sim.tokenapiUrl, body);
  return sim.envelope === 'wrapper' ? reply.data : reply.Response;
}

/** Like tokenApi, but fails the test unless the call succeeded. */
export async function tokenApiOk(
  sim: Simulator,
  action: string,
  params: Record<string, unknown> = {},
  token?: string,
): Promise<Json> {
  const inner = await tokenApi(sim, action, params, token);
  if (inner.Error) throw new Error(`${action} failed: ${inner.Error.Code} ${inner.Error.Message}`);
  return inner;
}

/** The error Code of a call that must fail (fails the test if it succeeded). */
export async function tokenApiCode(
  sim: Simulator,
  action: string,
  params: Record<string, unknown> = {},
  token?: string,
): Promise<{ Code: string; Message: string }> {
  const inner = await tokenApi(sim, action, params, token);
  if (!inner.Error) throw new Error(`${action} succeeded: ${JSON.stringify(inner)}`);
  return inner.Error as { Code: string; Message: string };
}

/** Signed appapi params for AppGetToken. */
export function signedLogin(
  sim: Simulator,
  login: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
  secret = APP_SECRET,
): Record<string, unknown> {
  const params: Record<string, unknown> = {
    Action: 'AppGetToken',
    RequestId: randomUUID(),
    AppKey: APP_KEY,
    Timestamp: Math.floor(sim.model.now() / 1000),
    Nonce: 1 + Math.floor(Math.random() * 100000),
    ...login,
    ...overrides,
  };
  params.Signature = signAppApiParams(params, secret);
  return params;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One /_sim control request; the status and the parsed JSON answer. */
export async function simControl(
  sim: Simulator,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<{ status: number; json: Json }> {
  const reply = await rawRequest(sim.url + pathname, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: reply.status, json: JSON.parse(reply.text) };
}

/** Reads every page of a list call (Offset/Limit), checking that Total stays the same. */
export async function readAllPages(
  sim: Simulator,
  action: string,
  listKey: string,
  params: Record<string, unknown>,
  limit: number,
  token?: string,
): Promise<{ items: Json[]; pages: number; total: number }> {
  const items: Json[] = [];
  let pages = 0;
  let total = -1;
  for (;;) {
    const out = await tokenApiOk(
      sim,
      action,
      { ...params, Offset: items.length, Limit: limit },
      token,
    );
    pages += 1;
    if (total >= 0 && out.Total !== total) throw new Error(`${action}: Total changed`);
    total = out.Total;
    items.push(...out[listKey]);
    if (out[listKey].length === 0 || items.length >= total) break;
    if (pages > 1000) throw new Error(`${action}: no end`);
  }
  return { items, pages, total };
}

/** One field of each item of a reply's list. */
export function pluck<T = string>(list: readonly Json[], key: string): T[] {
  return list.map((item: Record<string, unknown>) => item[key] as T);
}

/** Several fields of each item of a reply's list, as tuples. */
export function pluckAll(list: readonly Json[], ...keys: string[]): unknown[][] {
  return list.map((item: Record<string, unknown>) => keys.map((key) => item[key]));
}
