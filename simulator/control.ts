// Control endpoints under /_sim/, for a simulator running in another process (benchmarks,
// soak runs, the demo). They exist only on the simulator, never on the real service.
//
//   POST   /_sim/faults                 body: a FaultSpec          → {ok, faults}
//   GET    /_sim/faults                                            → {faults}
//   DELETE /_sim/faults                                            → {ok, faults: []}
//   GET    /_sim/stats                      → {socketsOpened, requests, actionCalls, callsByAction}
//   GET    /_sim/device-delay                                      → {ms}
//   POST   /_sim/device-delay           body: {ms: N | null}       → {ok, ms} (null = the fixture's)
//   POST   /_sim/reset                  clears records and stats   → {ok}
//   GET    /_sim/action-calls                                      → {actionCalls}
//   GET    /_sim/devices/<PID>/<DN>                                → {DeviceId, online, properties}
//   POST   /_sim/devices/<PID>/<DN>     body: {online?, properties?} → the same
//   POST   /_sim/tokens                 body: {UserID, ttlSeconds?} → {Token, ExpireAt}
//   POST   /_sim/tokens/revoke          body: {Token}              → {ok}
//
// Triggers: the device does something, and every push socket subscribed to it hears of it.
//   POST   /_sim/devices/<PID>/<DN>/report           body: {propId: value, ...} → device state
//   POST   /_sim/devices/<PID>/<DN>/events/<eventId> body: {param: value, ...} (optional)
//                                                    → {ok, DeviceId, eventId}
//   POST   /_sim/devices/<PID>/<DN>/online | /offline                        → device state
// The push socket:
//   GET    /_sim/push                                  → {stats, connections, faults, options}
//   POST   /_sim/push/faults            body: a PushFaultSpec        → {ok, faults}
//   GET    /_sim/push/faults                                       → {faults}
//   DELETE /_sim/push/faults                                       → {ok, faults: []}
//   POST   /_sim/push/drop              body: {mode?: terminate|close, code?} → {ok, dropped}
//   POST   /_sim/push/stall                                        → {ok, stalled}
//   POST   /_sim/push/malformed         body: {kind, bytes?}       → {ok, sent}
// The home (families, rooms, devices, shares) and products' panel configs: see home-control.ts.

import type * as http from 'node:http';
import { parseFaultSpec, type FaultSpec } from './faults';
import { homeControl } from './home-control';
import { HomeEditError } from './home-edit';
import type { ModelDevice, SimulatorModel } from './model';
import { MALFORMED_KINDS, type MalformedKind, type SimulatorPush } from './push';
import { parsePushFaultSpec } from './push-faults';
import { checkValue } from './template';
import type { ActionCall } from './types';

export interface ControlTarget {
  readonly model: SimulatorModel;
  readonly stats: { socketsOpened: number; requests: number };
  readonly httpCallsByAction: Record<string, number>;
  readonly actionCalls: ActionCall[];
  readonly push: SimulatorPush;
  setFault(fault: FaultSpec): void;
  clearFaults(): void;
  listFaults(): FaultSpec[];
  resetRecords(): void;
  issueToken(userId: string, ttlSeconds?: number): { Token: string; ExpireAt: number };
  revokeToken(token: string): void;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function isObj(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ControlError(400, 'the body is not JSON');
  }
  if (!isObj(value)) throw new ControlError(400, 'the body must be a JSON object');
  return value;
}

function deviceState(model: SimulatorModel, device: ModelDevice): Record<string, unknown> {
  return { DeviceId: device.deviceId, online: device.online, properties: model.snapshot(device) };
}

function updateDevice(
  sim: ControlTarget,
  device: ModelDevice,
  body: Record<string, unknown>,
): void {
  for (const key of Object.keys(body)) {
    if (key !== 'online' && key !== 'properties')
      throw new ControlError(400, `unknown field ${key}`);
  }
  if (body.online !== undefined && typeof body.online !== 'boolean') {
    throw new ControlError(400, 'online must be true or false');
  }
  if (body.properties !== undefined && !isObj(body.properties)) {
    throw new ControlError(400, 'properties must be an object of property id → value');
  }
  const properties = body.properties ?? {};
  // Check every value before changing anything.
  for (const [id, value] of Object.entries(properties)) {
    const def = sim.model.propertyDefinition(device, id);
    if (!def) throw new ControlError(400, `${device.deviceId} has no property ${id}`);
    const problem = checkValue(def.define, value, id);
    if (problem) throw new ControlError(400, problem);
  }
  if (typeof body.online === 'boolean') sim.model.setOnline(device, body.online);
  sim.model.reportProperties(device, properties);
}

/** Runs a model change; an Error it throws (a value that does not fit) is a bad request. */
function asBadRequest<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof ControlError) throw err;
    throw new ControlError(400, (err as Error).message.replace(/^simulator: /, ''));
  }
}

/** An offline device sends nothing: a trigger for it is refused rather than silently pushed. */
function requireOnline(device: ModelDevice, what: string): void {
  if (!device.online) {
    throw new ControlError(
      409,
      `${device.deviceId} is offline and cannot ${what}; POST /_sim/devices/${device.deviceId}/online first`,
    );
  }
}

/** The device triggers under /_sim/devices/<PID>/<DN>/…: reports, events, going on- or offline. */
function trigger(
  sim: ControlTarget,
  device: ModelDevice,
  rest: string[],
  text: string,
): Record<string, unknown> | undefined {
  const [verb, id, ...more] = rest;
  if (more.length > 0) return undefined;
  if (verb === 'report' && id === undefined) {
    const values = jsonBody(text);
    if (Object.keys(values).length === 0) {
      throw new ControlError(400, 'the body must name at least one property: {"propId": value}');
    }
    requireOnline(device, 'report');
    asBadRequest(() => sim.model.reportProperties(device, values));
    return deviceState(sim.model, device);
  }
  if (verb === 'events' && id !== undefined) {
    const params = jsonBody(text);
    if (!device.product.template.events.some((e) => e.id === id)) {
      throw new ControlError(404, `${device.deviceId} has no event ${id}`);
    }
    requireOnline(device, 'post an event');
    asBadRequest(() => sim.model.postEvent(device, id, params));
    return { ok: true, DeviceId: device.deviceId, eventId: id };
  }
  if ((verb === 'online' || verb === 'offline') && id === undefined) {
    sim.model.setOnline(device, verb === 'online');
    return deviceState(sim.model, device);
  }
  return undefined;
}

/** /_sim/push/…: the push socket's counters, faults and one-off disturbances. */
function pushControl(
  sim: ControlTarget,
  method: string,
  rest: string[],
  text: string,
): Record<string, unknown> | undefined {
  const push = sim.push;
  const what = rest.join('/');
  if (method === 'GET' && what === '') {
    return {
      stats: push.stats,
      connections: push.connections(),
      faults: push.listFaults(),
      options: push.options,
    };
  }
  if (what === 'faults') {
    if (method === 'GET') return { faults: push.listFaults() };
    if (method === 'DELETE') {
      push.clearFaults();
      return { ok: true, faults: [] };
    }
    if (method === 'POST') {
      const spec = asBadRequest(() => parsePushFaultSpec(jsonBody(text)));
      push.setFault(spec);
      return { ok: true, faults: push.listFaults() };
    }
  }
  if (method !== 'POST') return undefined;
  if (what === 'drop') {
    const body = jsonBody(text);
    const mode = body.mode ?? 'terminate';
    if (mode !== 'terminate' && mode !== 'close') {
      throw new ControlError(400, 'mode must be terminate or close');
    }
    const code = body.code ?? 1001;
    if (typeof code !== 'number' || !Number.isInteger(code) || code < 1000 || code > 4999) {
      throw new ControlError(400, 'code must be a WebSocket close code from 1000 to 4999');
    }
    return { ok: true, dropped: push.dropAll(mode, code) };
  }
  if (what === 'stall') return { ok: true, stalled: push.stallAll() };
  if (what === 'malformed') {
    const body = jsonBody(text);
    if (typeof body.kind !== 'string' || !MALFORMED_KINDS.includes(body.kind as MalformedKind)) {
      throw new ControlError(400, `kind must be one of ${MALFORMED_KINDS.join(', ')}`);
    }
    const bytes = body.bytes;
    if (
      bytes !== undefined &&
      (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1)
    ) {
      throw new ControlError(400, 'bytes must be a positive integer');
    }
    return { ok: true, sent: push.sendMalformed(body.kind as MalformedKind, bytes) };
  }
  return undefined;
}

function route(sim: ControlTarget, method: string, pathname: string, text: string): unknown {
  const parts = pathname.split('/').slice(2).map(decodeURIComponent);
  const [section, ...rest] = parts;
  const is = (m: string, s: string, restLength = 0): boolean =>
    method === m && section === s && rest.length === restLength;

  if (is('POST', 'faults')) {
    try {
      sim.setFault(parseFaultSpec(jsonBody(text)));
    } catch (err) {
      if (err instanceof ControlError) throw err;
      throw new ControlError(400, (err as Error).message);
    }
    return { ok: true, faults: sim.listFaults() };
  }
  if (is('GET', 'faults')) return { faults: sim.listFaults() };
  if (is('DELETE', 'faults')) {
    sim.clearFaults();
    return { ok: true, faults: [] };
  }
  if (is('GET', 'stats')) {
    return {
      socketsOpened: sim.stats.socketsOpened,
      requests: sim.stats.requests,
      actionCalls: sim.actionCalls.length,
      callsByAction: { ...sim.httpCallsByAction },
    };
  }
  if (is('GET', 'device-delay')) return { ms: sim.model.deviceDelayMs ?? null };
  if (is('POST', 'device-delay')) {
    const ms = jsonBody(text).ms;
    if (ms !== null && (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0)) {
      throw new ControlError(
        400,
        'ms must be a non-negative integer, or null for the fixture delays',
      );
    }
    sim.model.deviceDelayMs = ms ?? undefined;
    return { ok: true, ms };
  }
  if (is('POST', 'reset')) {
    sim.resetRecords();
    return { ok: true };
  }
  if (is('GET', 'action-calls')) return { actionCalls: sim.actionCalls };
  if (section === 'devices' && rest.length > 2 && method === 'POST') {
    const device = sim.model.device(rest[0], rest[1]);
    if (!device) throw new ControlError(404, `no device ${rest[0]}/${rest[1]}`);
    const answer = trigger(sim, device, rest.slice(2), text);
    if (answer !== undefined) return answer;
  }
  if (section === 'push') {
    const answer = pushControl(sim, method, rest, text);
    if (answer !== undefined) return answer;
  }
  if (section === 'devices' && rest.length === 2 && (method === 'GET' || method === 'POST')) {
    const device = sim.model.device(rest[0], rest[1]);
    if (!device) throw new ControlError(404, `no device ${rest[0]}/${rest[1]}`);
    if (method === 'POST') updateDevice(sim, device, jsonBody(text));
    return deviceState(sim.model, device);
  }
  if (is('POST', 'tokens')) {
    const body = jsonBody(text);
    if (typeof body.UserID !== 'string' || !sim.model.users.has(body.UserID)) {
      throw new ControlError(400, 'UserID must name a user of the fixture');
    }
    const ttl = body.ttlSeconds;
    if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isFinite(ttl))) {
      throw new ControlError(400, 'ttlSeconds must be a number');
    }
    return sim.issueToken(body.UserID, ttl);
  }
  if (is('POST', 'tokens', 1) && rest[0] === 'revoke') {
    const body = jsonBody(text);
    if (typeof body.Token !== 'string') throw new ControlError(400, 'Token must be a string');
    sim.revokeToken(body.Token);
    return { ok: true };
  }
  const home = homeControl(sim.model, method, parts, () => jsonBody(text));
  if (home !== undefined) return home;
  throw new ControlError(404, `no control endpoint ${method} ${pathname}`);
}

/** Handles a /_sim request and writes the reply; returns the HTTP status. */
export function handleControl(
  sim: ControlTarget,
  method: string,
  pathname: string,
  text: string,
  res: http.ServerResponse,
): number {
  let status = 200;
  let payload: unknown;
  try {
    payload = route(sim, method, pathname, text);
  } catch (err) {
    if (!(err instanceof ControlError) && !(err instanceof HomeEditError)) throw err;
    status = err.status;
    payload = { error: err.message };
  }
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body, 'utf8'),
  });
  res.end(body);
  return status;
}
