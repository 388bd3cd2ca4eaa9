// The explorer push WebSocket (see simulator/README.md, "Push"): ActivePush, YunApi, Hello and
// the AppDeviceTraceHeartBeat keep-alive from the client; replies and DeviceChange pushes from
// the server. Pushes come from the model's change announcements (changes.ts), never from canned
// frames. It shares the HTTP server's port.

import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { ModelChange } from './changes';
import type { ApiResult, ParsedBody } from './dispatch';
import { errorBody, successBody } from './envelope';
import type { ModelDevice, SimulatorModel } from './model';
import { PushFaultSet, parsePushFaultSpec, type PushFaultSpec } from './push-faults';
import type { Scheduler } from './scheduler';
import { serviceTime } from './service-time';

/** The two paths the real service serves the same frames on. */
export const PUSH_PATHS = ['/ws/explorer', '/iotstudio_v2_weapp_1'] as const;

/** The documented server fault reply (docs/push-protocol.md, "Frames the server sends"). */
export const SERVER_FAULT = { error: '-1', error_message: '后台连接出错，请联系管理员' } as const;

/** Frames larger than this are refused by the server (close 1009), like an oversized HTTP body. */
export const PUSH_MAX_FRAME_BYTES = 1024 * 1024;

/** What a subscription lives without a heartbeat naming its devices, by default. */
export const DEFAULT_SUBSCRIPTION_TTL_MS = 120_000;

export interface PushOptions {
  /**
   * How long each subscribed device stays subscribed after the ActivePush or the last
   * heartbeat that named it, ms. 0 = forever. Default 120000.
   */
  subscriptionTtlMs?: number;
  /** Send DeviceChange `params` as a JSON string (the 2019 doc shape). Default false. */
  paramsAsString?: boolean;
  /** Leave `DeviceId` out of StatusChange pushes (as the doc example does). Default false. */
  omitStatusDeviceId?: boolean;
}

export type MalformedKind = 'garbage' | 'binary' | 'huge' | 'badPayload';
export const MALFORMED_KINDS: readonly MalformedKind[] = [
  'garbage',
  'binary',
  'huge',
  'badPayload',
];

/** Default size of the 'huge' malformed frame: 10 MiB. */
export const HUGE_FRAME_BYTES = 10 * 1024 * 1024;

export interface PushStats {
  /** WebSocket connections accepted. */
  connectionsOpened: number;
  /** Upgrades refused by a `refuse` fault (or sent to a path that is not a push path). */
  upgradesRefused: number;
  /** Frames received from clients (all, also ones that were not JSON). */
  framesReceived: number;
  /** Frames received, by `action` ("(invalid)" for frames that were not a JSON object with one). */
  framesByAction: Record<string, number>;
  /** YunApi frames by their inner `Action` (AppDeviceTraceHeartBeat, AppGetDeviceData, ...). */
  yunApiByAction: Record<string, number>;
  /** Replies sent (frames with a reqId). */
  repliesSent: number;
  /** DeviceChange pushes sent (one per socket that got one). */
  pushesSent: number;
  /** Pushes sent, by "Type/SubType" (Property/Report, Event/Report, StatusChange/Online, ...). */
  pushesByType: Record<string, number>;
  /** Malformed frames sent by sendMalformed(). */
  malformedSent: number;
}

/** What a test or /_sim/push sees of one open connection (no token). */
export interface PushConnectionInfo {
  id: number;
  /** The path it connected to. */
  path: string;
  /** The user of its last accepted ActivePush; undefined before one. */
  userId: string | undefined;
  /** Devices subscribed and not expired. */
  deviceIds: string[];
  /** Stalled by halfOpen: it reads and sends nothing any more. */
  halfOpen: boolean;
}

/** The push side, as tests and /_sim/push use it (`sim.push`). */
export interface SimulatorPush {
  readonly stats: PushStats;
  /** Settable at any time. */
  readonly options: Required<PushOptions>;
  setFault(fault: PushFaultSpec): void;
  clearFaults(): void;
  listFaults(): PushFaultSpec[];
  /** Ends every open socket: 'terminate' (TCP reset, no close frame) or 'close' (close frame). */
  dropAll(mode?: 'terminate' | 'close', code?: number): number;
  /** Makes every open socket half-open (new connections stay healthy). */
  stallAll(): number;
  /** Sends a malformed frame to every open, not stalled socket; returns how many got it. */
  sendMalformed(kind: MalformedKind, bytes?: number): number;
  connections(): PushConnectionInfo[];
  resetStats(): void;
}

interface Connection {
  readonly id: number;
  readonly ws: WebSocket;
  readonly path: string;
  /** deviceId → expiry (ms, Infinity = never). Replaced by each ActivePush. */
  subscription: Map<string, number>;
  token: string | undefined;
  userId: string | undefined;
  halfOpen: boolean;
}

type Frame = Record<string, unknown>;

export interface PushDeps {
  readonly model: SimulatorModel;
  readonly scheduler: Scheduler;
  now(): number;
  log(line: string): void;
  /** Runs a flat tokenapi request exactly as POST /api/exploreropen/tokenapi would. */
  tokenapi(body: ParsedBody): Promise<ApiResult>;
}

function isObj(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function emptyStats(): PushStats {
  return {
    connectionsOpened: 0,
    upgradesRefused: 0,
    framesReceived: 0,
    framesByAction: {},
    yunApiByAction: {},
    repliesSent: 0,
    pushesSent: 0,
    pushesByType: {},
    malformedSent: 0,
  };
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The DeviceChange params of one model change, without Seq and Time (docs/push-protocol.md, "DeviceChange types"). */
export function describeChange(
  change: ModelChange,
  now: number,
): {
  Type: string;
  SubType: string;
  Topic: string;
  payload: Record<string, unknown> | undefined;
} {
  const id = change.device.deviceId;
  switch (change.kind) {
    case 'report':
      return {
        Type: 'Property',
        SubType: 'Report',
        Topic: `$thing/up/property/${id}`,
        payload: {
          method: 'report',
          params: change.params,
          timestamp: 0,
          clientToken: change.clientToken,
        },
      };
    case 'control':
      return {
        Type: 'Property',
        SubType: 'Push',
        Topic: `$thing/down/property/${id}`,
        payload: { method: 'control', params: change.params, clientToken: change.clientToken },
      };
    case 'action':
      return {
        Type: 'Action',
        SubType: 'Push',
        Topic: `$thing/down/action/${id}`,
        payload: {
          method: 'action',
          clientToken: change.clientToken,
          actionId: change.actionId,
          timestamp: Math.floor(now / 1000),
          params: change.params,
        },
      };
    case 'actionReply':
      return {
        Type: 'Action',
        SubType: 'Report',
        Topic: `$thing/up/action/${id}`,
        payload: {
          method: 'action_reply',
          clientToken: change.clientToken,
          code: change.code,
          status: change.status,
          response: change.response,
        },
      };
    case 'event':
      return {
        Type: 'Event',
        SubType: 'Report',
        Topic: `$thing/up/event/${id}`,
        payload: {
          method: 'event_post',
          version: '1.0',
          eventId: change.eventId,
          type: change.eventType,
          timestamp: 0,
          params: change.params,
          clientToken: change.clientToken,
        },
      };
    case 'online':
      return {
        Type: 'StatusChange',
        SubType: change.online ? 'Online' : 'Offline',
        Topic: '',
        payload: undefined,
      };
  }
}

export class PushServer implements SimulatorPush {
  stats: PushStats = emptyStats();
  readonly options: Required<PushOptions>;

  private readonly wss: WebSocketServer;
  private readonly connectionsOpen = new Set<Connection>();
  private readonly faults = new PushFaultSet();
  private readonly stopListening: () => void;
  private nextId = 1;
  private lastSeq = 0;
  private closed = false;

  constructor(
    private readonly deps: PushDeps,
    options: PushOptions = {},
  ) {
    this.options = {
      subscriptionTtlMs: options.subscriptionTtlMs ?? DEFAULT_SUBSCRIPTION_TTL_MS,
      paramsAsString: options.paramsAsString ?? false,
      omitStatusDeviceId: options.omitStatusDeviceId ?? false,
    };
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: PUSH_MAX_FRAME_BYTES,
      clientTracking: false,
    });
    const stopChanges = deps.model.changes.on((change) => this.onChange(change));
    const stopHome = deps.model.homeChanges.on(() => this.dropLostDevices());
    this.stopListening = () => {
      stopChanges();
      stopHome();
    };
  }

  // ---- control ----

  setFault(fault: PushFaultSpec): void {
    const spec = parsePushFaultSpec(fault);
    this.faults.add(spec);
    if (spec.kind === 'halfOpen') this.stallAll();
  }

  clearFaults(): void {
    this.faults.clear();
  }

  listFaults(): PushFaultSpec[] {
    return this.faults.list();
  }

  dropAll(mode: 'terminate' | 'close' = 'terminate', code = 1001): number {
    const all = [...this.connectionsOpen];
    for (const conn of all) {
      if (mode === 'close' && !conn.halfOpen) conn.ws.close(code, 'simulator drop');
      else conn.ws.terminate();
    }
    return all.length;
  }

  stallAll(): number {
    let n = 0;
    for (const conn of this.connectionsOpen) {
      if (!conn.halfOpen) n += 1;
      this.stall(conn);
    }
    return n;
  }

  sendMalformed(kind: MalformedKind, bytes = HUGE_FRAME_BYTES): number {
    let n = 0;
    for (const conn of this.connectionsOpen) {
      if (conn.halfOpen || conn.ws.readyState !== WebSocket.OPEN) continue;
      n += 1;
      this.stats.malformedSent += 1;
      switch (kind) {
        case 'garbage':
          conn.ws.send('}{ not json ¯\\_(ツ)_/¯');
          break;
        case 'binary':
          conn.ws.send(randomBytes(64), { binary: true });
          break;
        case 'huge': {
          // Valid JSON, so a client that reads any size would parse all of it.
          const filler = 'A'.repeat(Math.max(0, bytes - 100));
          conn.ws.send(
            `{"push":true,"action":"DeviceChange","params":{"Type":"Property","SubType":"Report","Payload":"${filler}"}}`,
          );
          break;
        }
        case 'badPayload': {
          const deviceId = [...conn.subscription.keys()][0] ?? 'NOPRODUCT/nodevice';
          conn.ws.send(
            JSON.stringify({
              push: true,
              action: 'DeviceChange',
              params: {
                Time: serviceTime(this.deps.now()),
                Type: 'Property',
                SubType: 'Report',
                Topic: `$thing/up/property/${deviceId}`,
                Payload: '%%% not base64 %%%',
                Seq: this.nextSeq(),
                DeviceId: deviceId,
              },
            }),
          );
          break;
        }
      }
    }
    return n;
  }

  connections(): PushConnectionInfo[] {
    const now = this.deps.now();
    return [...this.connectionsOpen].map((conn) => ({
      id: conn.id,
      path: conn.path,
      userId: conn.userId,
      deviceIds: [...conn.subscription].filter(([, exp]) => exp >= now).map(([id]) => id),
      halfOpen: conn.halfOpen,
    }));
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  /** Closes every socket at once (no close handshake) and stops listening to the model. */
  close(): void {
    this.closed = true;
    this.stopListening();
    for (const conn of this.connectionsOpen) conn.ws.terminate();
    this.connectionsOpen.clear();
    this.wss.close();
  }

  // ---- connections ----

  /** Takes an HTTP upgrade; answers 404 for a path that is not a push path. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const pathname = new URL(req.url ?? '/', 'http://simulator').pathname;
    const refuse = (status: number, why: string): void => {
      this.stats.upgradesRefused += 1;
      const text = `${status} ${why}\n`;
      socket.end(
        `HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
          `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
      );
      this.deps.log(`GET ${pathname} (WebSocket) -> ${status}`);
    };
    socket.on('error', () => undefined);
    if (this.closed) {
      socket.destroy();
      return;
    }
    if (!(PUSH_PATHS as readonly string[]).includes(pathname)) {
      refuse(404, 'Not Found');
      return;
    }
    const refusal = this.faults.take('refuse');
    if (refusal) {
      refuse(refusal.status ?? 503, 'Service Unavailable');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, pathname));
  }

  private onConnection(ws: WebSocket, path: string): void {
    const conn: Connection = {
      id: this.nextId++,
      ws,
      path,
      subscription: new Map(),
      token: undefined,
      userId: undefined,
      halfOpen: false,
    };
    this.stats.connectionsOpened += 1;
    this.connectionsOpen.add(conn);
    this.deps.log(`GET ${path} (WebSocket) -> connection ${conn.id} open`);
    ws.on('message', (data, isBinary) => this.onFrame(conn, data, isBinary));
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      this.connectionsOpen.delete(conn);
      this.deps.log(`WebSocket connection ${conn.id} closed (${code})`);
    });
    if (this.faults.take('halfOpen')) this.stall(conn);
  }

  /** Half-open: stop reading (so no frame, ping or close is seen) and stop sending. */
  private stall(conn: Connection): void {
    if (conn.halfOpen) return;
    conn.halfOpen = true;
    conn.ws.pause();
  }

  // ---- frames from the client ----

  private onFrame(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.halfOpen) return;
    this.stats.framesReceived += 1;
    let frame: unknown;
    if (!isBinary) {
      try {
        frame = JSON.parse(rawText(data));
      } catch {
        frame = undefined;
      }
    }
    if (!isObj(frame) || typeof frame.action !== 'string' || frame.action === '') {
      bump(this.stats.framesByAction, '(invalid)');
      const reqId = isObj(frame) ? reqIdOf(frame) : '';
      this.reply(conn, reqId, {
        error: 'InvalidFrame',
        error_message: 'a frame must be a JSON object {"action","reqId","params"}',
        data: {},
      });
      return;
    }
    const action = frame.action;
    const reqId = reqIdOf(frame);
    bump(this.stats.framesByAction, action);
    if (action === 'ActivePush' && this.faults.take('noActivePushReply')) return;
    if (this.faults.take('serverError', action)) {
      this.reply(conn, reqId, { ...SERVER_FAULT, data: {} });
      return;
    }
    const params = frame.params;
    switch (action) {
      case 'Hello':
        this.reply(conn, reqId, ok({ result: 'hello world' }));
        return;
      case 'ActivePush':
        this.activePush(conn, reqId, params);
        return;
      case 'YunApi':
        this.yunApi(conn, reqId, params).catch((err: unknown) => {
          // The simulator closing, or a bug: answer like the service's own fault.
          if (!this.closed) this.deps.log(`YunApi: ${(err as Error).message}`);
          this.reply(conn, reqId, { ...SERVER_FAULT, data: {} });
        });
        return;
      default:
        this.reply(conn, reqId, {
          error: 'InvalidAction',
          error_message: `unknown action ${action}`,
          data: {},
        });
    }
  }

  private activePush(conn: Connection, reqId: string | number, params: unknown): void {
    const failed = (error: string, message: string): void => {
      // Replacing semantics: a refused ActivePush leaves nothing subscribed.
      conn.subscription = new Map();
      this.reply(conn, reqId, { error, error_message: message, data: { deviceIds: [] } });
    };
    if (!isObj(params)) {
      failed('ErrorRequiredParamNotFound', '必选参数缺失: params is required');
      return;
    }
    const ids = params.DeviceIds;
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) {
      failed('InvalidParameterValue', '参数取值错误: DeviceIds must be an array of strings');
      return;
    }
    const token = params.AccessToken;
    const user = typeof token === 'string' ? this.deps.model.userForToken(token) : undefined;
    if (!user || typeof token !== 'string') {
      failed('InvalidParameterValue.InvalidAccessToken', 'Token无效');
      return;
    }
    const expires = this.expiry();
    const subscription = new Map<string, number>();
    for (const id of ids) {
      const device = this.deps.model.devices.get(id);
      if (device && this.deps.model.canSee(user.UserID, device)) subscription.set(id, expires);
    }
    conn.subscription = subscription;
    conn.token = token;
    conn.userId = user.UserID;
    this.reply(conn, reqId, ok({ deviceIds: [...subscription.keys()] }));
  }

  private async yunApi(conn: Connection, reqId: string | number, params: unknown): Promise<void> {
    if (!isObj(params)) {
      this.reply(conn, reqId, {
        error: 'ErrorRequiredParamNotFound',
        error_message: '必选参数缺失: params is required',
        data: {},
      });
      return;
    }
    const inner = isObj(params.ActionParams) ? params.ActionParams : {};
    // Both placements (docs/push-protocol.md, "Frames the client sends"): inside ActionParams, or beside Action in params.
    const flat: Record<string, unknown> = { ...inner, Action: params.Action };
    for (const key of ['AccessToken', 'RequestId'] as const) {
      if (flat[key] === undefined && params[key] !== undefined) flat[key] = params[key];
    }
    bump(
      this.stats.yunApiByAction,
      typeof params.Action === 'string' ? params.Action : '(missing)',
    );
    const result = await this.deps.tokenapi({ ok: true, value: flat });
    if (!result.error && flat.Action === 'AppDeviceTraceHeartBeat') {
      this.heartbeat(conn, flat);
    }
    const response = result.error
      ? errorBody('response', result.error.code, result.error.message, result.requestId)
      : successBody('response', result.fields, result.requestId);
    this.reply(conn, reqId, ok(JSON.parse(response) as Frame));
  }

  /** Renews the subscribed devices the heartbeat names (it does not add new ones). */
  private heartbeat(conn: Connection, params: Record<string, unknown>): void {
    const token = params.AccessToken;
    const user = typeof token === 'string' ? this.deps.model.userForToken(token) : undefined;
    if (!user || user.UserID !== conn.userId) return;
    const named = Array.isArray(params.DeviceIds) ? (params.DeviceIds as string[]) : [];
    const now = this.deps.now();
    const expires = this.expiry();
    for (const id of named) {
      const current = conn.subscription.get(id);
      if (current !== undefined && current >= now) conn.subscription.set(id, expires);
    }
  }

  private expiry(): number {
    const ttl = this.options.subscriptionTtlMs;
    return ttl > 0 ? this.deps.now() + ttl : Infinity;
  }

  // ---- frames to the client ----

  private reply(conn: Connection, reqId: string | number, frame: Frame): void {
    this.stats.repliesSent += 1;
    this.send(conn, { reqId, ...frame });
  }

  private send(conn: Connection, frame: Frame): void {
    const text = JSON.stringify(frame);
    const delay = this.faults.take('delay');
    const write = (): void => {
      if (!conn.halfOpen && conn.ws.readyState === WebSocket.OPEN) conn.ws.send(text);
    };
    if (delay?.delayMs) this.deps.scheduler.after(delay.delayMs, write);
    else write();
  }

  private nextSeq(): number {
    this.lastSeq = Math.max(this.deps.now(), this.lastSeq + 1);
    return this.lastSeq;
  }

  /** Whether this connection gets pushes about the device now. */
  private wants(conn: Connection, device: ModelDevice): boolean {
    if (conn.halfOpen || conn.token === undefined || conn.userId === undefined) return false;
    const expires = conn.subscription.get(device.deviceId);
    if (expires === undefined || expires < this.deps.now()) return false;
    // A revoked or expired token ends the subscription: the client must subscribe again.
    const user = this.deps.model.userForToken(conn.token);
    return user?.UserID === conn.userId && this.deps.model.canSee(conn.userId, device);
  }

  /**
   * After a change to the home, each subscription keeps only the devices its user may still
   * see: a device removed or no longer shared is dropped, and sharing it again needs a new
   * ActivePush (as a client subscribing after the share would send).
   */
  private dropLostDevices(): void {
    for (const conn of this.connectionsOpen) {
      const userId = conn.userId;
      if (userId === undefined) continue;
      for (const id of conn.subscription.keys()) {
        const device = this.deps.model.devices.get(id);
        if (!device || !this.deps.model.canSee(userId, device)) conn.subscription.delete(id);
      }
    }
  }

  private onChange(change: ModelChange): void {
    const targets = [...this.connectionsOpen].filter((conn) => this.wants(conn, change.device));
    if (targets.length === 0) return;
    const { Type, SubType, Topic, payload } = describeChange(change, this.deps.now());
    const params: Frame = {
      Time: serviceTime(this.deps.now()),
      Type,
      SubType,
      Topic,
      Payload: payload === undefined ? '' : Buffer.from(JSON.stringify(payload)).toString('base64'),
      Seq: this.nextSeq(),
      DeviceId: change.device.deviceId,
    };
    if (Type === 'StatusChange' && this.options.omitStatusDeviceId) delete params.DeviceId;
    const frame: Frame = {
      push: true,
      action: 'DeviceChange',
      params: this.options.paramsAsString ? JSON.stringify(params) : params,
    };
    for (const conn of targets) {
      this.stats.pushesSent += 1;
      bump(this.stats.pushesByType, `${Type}/${SubType}`);
      this.send(conn, frame);
    }
  }
}

function ok(data: Frame): Frame {
  return { error: '', error_message: '', data };
}

function reqIdOf(frame: Record<string, unknown>): string | number {
  const id = frame.reqId;
  return typeof id === 'string' || typeof id === 'number' ? id : '';
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
