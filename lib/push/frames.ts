// The push socket's frames (docs/push-protocol.md): building what we send, reading what arrives. Pure
// functions, no socket: everything a server may send, garbage included, maps to a typed value.

import { DeviceId } from '../shared/device-id';

/** What a request frame asks for; `reqId` is echoed in the reply. */
export interface RequestFrame {
  action: string;
  reqId: string | number;
  params?: Record<string, unknown>;
}

export function activePushFrame(
  reqId: string,
  deviceIds: readonly string[],
  token: string,
): RequestFrame {
  return { action: 'ActivePush', reqId, params: { DeviceIds: [...deviceIds], AccessToken: token } };
}

/**
 * The subscription's keep-alive. `AccessToken` and `RequestId` go inside `ActionParams`, where the
 * current doc and the mini-program SDK put them (older docs put them beside `Action`).
 */
export function heartbeatFrame(
  reqId: string,
  deviceIds: readonly string[],
  token: string,
  requestId: string,
): RequestFrame {
  return {
    action: 'YunApi',
    reqId,
    params: {
      Action: 'AppDeviceTraceHeartBeat',
      ActionParams: { DeviceIds: [...deviceIds], AccessToken: token, RequestId: requestId },
    },
  };
}

export function helloFrame(reqId: string): RequestFrame {
  return { action: 'Hello', reqId };
}

/** A server's answer to one of our requests. */
export interface ReplyFrame {
  type: 'reply';
  reqId: string;
  /** The envelope's `error` ('' or absent when none) and `error_message`. */
  error: string;
  errorMessage: string;
  data: Record<string, unknown> | undefined;
}

/** What one DeviceChange push says about one device, decoded. */
export type DevicePush =
  | (PushBase & { kind: 'online'; online: boolean })
  | (PushBase & {
      kind: 'properties';
      /** Property id → value. */
      values: Record<string, unknown>;
      /** 'report': the device says so; 'control': the cloud sent it down. */
      origin: 'report' | 'control';
    })
  | (PushBase & { kind: 'event'; eventId: string; eventType: string; params: unknown })
  | (PushBase & {
      kind: 'actionCall';
      actionId: string;
      clientToken: string;
      params: unknown;
    })
  | (PushBase & {
      kind: 'actionReply';
      /** From the reply itself when it carries one, else from the call it answers; '' if unknown. */
      actionId: string;
      clientToken: string;
      code: number | null;
      status: string;
      response: unknown;
    });

export interface PushBase {
  deviceId: string;
  productId: string;
  deviceName: string;
  /** The push's `Type` and `SubType`, as sent. */
  type: string;
  subType: string;
  /** The push's `Seq`, or null. */
  seq: number | null;
  /** When it happened, ms since the epoch (the push's `Time`, else the payload's timestamp, else now). */
  time: number;
}

/** A frame we cannot use; `reason` names why, for a trace line. */
export interface IgnoredFrame {
  type: 'ignored';
  reason: string;
}

/**
 * A StatusChange that names no device (the doc's own example has neither DeviceId nor Topic):
 * some device went on- or offline, and only a read can tell which.
 */
export interface UnattributedStatus {
  type: 'unattributedStatus';
  online: boolean;
}

export type ParsedServerFrame =
  ReplyFrame | { type: 'push'; push: DevicePush } | UnattributedStatus | IgnoredFrame;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** A JSON object, or a string holding one (a 2019 doc sends `params` as a string). */
function objectOf(value: unknown): Record<string, unknown> | undefined {
  if (isRecord(value)) return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The push's `Payload`: base64 of JSON as documented; plain JSON and objects are tolerated. */
export function decodePayload(raw: unknown): Record<string, unknown> | undefined {
  if (isRecord(raw)) return raw;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const trimmed = raw.trim();
  if (trimmed.startsWith('{')) return objectOf(trimmed);
  if (!/^[A-Za-z0-9+/=_-]+$/.test(trimmed)) return undefined;
  const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
  return objectOf(decoded);
}

/** 'PID/DN' from `DeviceId`, else from the MQTT-style `Topic` (`$thing/up/property/PID/DN`). */
export function pushDeviceId(params: Record<string, unknown>): string | undefined {
  const direct = text(params.DeviceId).trim();
  if (DeviceId.isValid(direct)) return direct;
  // The topic's last two levels name the device; `$thing`-style levels never do.
  const fromTopic = DeviceId.parse(text(params.Topic).split('/').slice(-2).join('/'));
  return fromTopic && !fromTopic.productId.startsWith('$') ? DeviceId.format(fromTopic) : undefined;
}

function timeOf(
  params: Record<string, unknown>,
  payload: Record<string, unknown> | undefined,
  now: number,
): number {
  const iso = Date.parse(text(params.Time));
  if (Number.isFinite(iso)) return iso;
  const stamp = Number(payload?.timestamp);
  // Payload timestamps are seconds in the doc's examples, ms in some devices'.
  if (Number.isFinite(stamp) && stamp > 0) return stamp < 1e12 ? stamp * 1000 : stamp;
  return now;
}

/**
 * Reads one text frame. Replies have a `reqId` and no `push`; pushes have `push: true` and
 * `action: "DeviceChange"`. Anything else, and any push we cannot decode, is ignored.
 */
export function parseServerFrame(raw: string, now: number = Date.now()): ParsedServerFrame {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { type: 'ignored', reason: 'not JSON' };
  }
  if (!isRecord(value)) return { type: 'ignored', reason: 'not a JSON object' };
  if (value.push === true || value.action === 'DeviceChange') {
    if (value.action !== 'DeviceChange') {
      return { type: 'ignored', reason: `push of action ${text(value.action) || '?'}` };
    }
    const params = objectOf(value.params);
    if (!params) return { type: 'ignored', reason: 'DeviceChange without params' };
    const status = text(params.Type) === 'StatusChange' ? text(params.SubType) : '';
    if ((status === 'Online' || status === 'Offline') && pushDeviceId(params) === undefined) {
      return { type: 'unattributedStatus', online: status === 'Online' };
    }
    const push = parseDeviceChange(params, now);
    return typeof push === 'string' ? { type: 'ignored', reason: push } : { type: 'push', push };
  }
  if (value.reqId !== undefined && value.reqId !== null) {
    return {
      type: 'reply',
      reqId: text(value.reqId),
      error: text(value.error),
      errorMessage: text(value.error_message),
      data: isRecord(value.data) ? value.data : undefined,
    };
  }
  return { type: 'ignored', reason: 'neither a reply nor a push' };
}

/** One DeviceChange's params as a {@link DevicePush}, or the reason it cannot be read. */
export function parseDeviceChange(
  params: Record<string, unknown>,
  now: number = Date.now(),
): DevicePush | string {
  const deviceId = pushDeviceId(params);
  const device = deviceId === undefined ? undefined : DeviceId.parse(deviceId);
  if (!deviceId || !device) return 'DeviceChange without DeviceId or Topic';
  const type = text(params.Type);
  const subType = text(params.SubType);
  const payload = decodePayload(params.Payload);
  const seq = Number(params.Seq);
  const base: PushBase = {
    deviceId,
    productId: device.productId,
    deviceName: device.deviceName,
    type,
    subType,
    seq: Number.isFinite(seq) && text(params.Seq) !== '' ? seq : null,
    time: timeOf(params, payload, now),
  };
  if (type === 'StatusChange') {
    if (subType === 'Online') return { ...base, kind: 'online', online: true };
    if (subType === 'Offline') return { ...base, kind: 'online', online: false };
    return `StatusChange of SubType ${subType || '?'}`;
  }
  if (!payload) return `${type || '?'} ${subType || '?'} without a readable Payload`;
  const method = text(payload.method);
  if (method === 'event_post' || (type === 'Event' && text(payload.eventId) !== '')) {
    const eventId = text(payload.eventId);
    if (eventId === '') return 'event without eventId';
    return {
      ...base,
      kind: 'event',
      eventId,
      eventType: text(payload.type),
      params: payload.params ?? {},
    };
  }
  if (method === 'action_reply') {
    return {
      ...base,
      kind: 'actionReply',
      actionId: text(payload.actionId),
      clientToken: text(payload.clientToken),
      code:
        Number.isFinite(Number(payload.code)) && payload.code !== null && payload.code !== ''
          ? Number(payload.code)
          : null,
      status: text(payload.status),
      response: payload.response ?? null,
    };
  }
  if (method === 'action') {
    const actionId = text(payload.actionId);
    if (actionId === '') return 'action without actionId';
    return {
      ...base,
      kind: 'actionCall',
      actionId,
      clientToken: text(payload.clientToken),
      params: payload.params ?? {},
    };
  }
  if (method === 'report' || method === 'control' || method === '') {
    const values = propertyValues(payload);
    if (values === undefined) return `${type || '?'} ${subType || '?'} without property values`;
    const control = method === 'control' || (method === '' && text(payload.type) === 'delta');
    return { ...base, kind: 'properties', values, origin: control ? 'control' : 'report' };
  }
  return `payload method ${method}`;
}

/**
 * Property values of a report or a control: `params` in the data-template protocol, or the
 * old shadow's `state.reported` (update) and `payload.state` (delta). Undefined when none.
 */
function propertyValues(payload: Record<string, unknown>): Record<string, unknown> | undefined {
  const params = objectOf(payload.params);
  if (params) return params;
  const state = objectOf(payload.state);
  const reported = objectOf(state?.reported);
  if (reported) return reported;
  const delta = objectOf(objectOf(payload.payload)?.state);
  if (delta) return delta;
  return undefined;
}
