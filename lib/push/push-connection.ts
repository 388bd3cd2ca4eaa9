import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { INVALID_TOKEN_CODE, type TokenSource } from '../api/client';
import { redactSecrets } from '../api/redact';
import { IotExplorerError, LocalErrorCode, apiError } from '../errors/errors';
import {
  activePushFrame,
  heartbeatFrame,
  helloFrame,
  parseServerFrame,
  type DevicePush,
  type ReplyFrame,
  type RequestFrame,
} from './frames';

/** The connection's clocks. Tests shorten them through the runtime setting `iotExplorerPushTimings`. */
export interface PushTimings {
  /** AppDeviceTraceHeartBeat with the full device set (docs/push-protocol.md, "Keep-alive": the apps use 50 s). */
  heartbeatMs: number;
  /** Hello, the transport ping (the Android SDK: 10 s). */
  helloMs: number;
  /** A socket that has sent nothing for this long is dropped and reopened. */
  livenessMs: number;
  /** An ActivePush not answered within this is a dead subscription: drop and reopen. */
  requestTimeoutMs: number;
  /** Reconnection backs off from this … */
  backoffMinMs: number;
  /** … doubling up to this, and never gives up. */
  backoffMaxMs: number;
  /** Subscriptions arriving within this are sent as one ActivePush (a deploy starts many nodes). */
  debounceMs: number;
  /** The WebSocket opening handshake must end within this. */
  handshakeMs: number;
  /**
   * A socket we close sends a close frame (1000) and waits this long for the server's answer
   * before the TCP connection is cut: a server that reads nothing cannot keep it open.
   */
  closeGraceMs: number;
}

export const DEFAULT_PUSH_TIMINGS: PushTimings = {
  heartbeatMs: 50_000,
  helloMs: 10_000,
  livenessMs: 30_000,
  requestTimeoutMs: 20_000,
  backoffMinMs: 2_000,
  backoffMaxMs: 60_000,
  debounceMs: 100,
  handshakeMs: 10_000,
  closeGraceMs: 2_000,
};

/** A DeviceChange is a few hundred bytes; a larger frame is refused (and the socket reopened). */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** How many action calls are remembered to name the action of their replies. */
const REMEMBERED_ACTION_CALLS = 500;

/** The longest a traced frame gets, after redaction. */
const TRACE_CHARS = 2000;

/**
 * Outgoing bytes the socket may hold unsent. A server that stops reading while it keeps sending
 * (so the liveness check stays quiet) would otherwise grow this buffer for as long as the socket
 * lives; past it the socket is dropped and reopened. A heartbeat for 1,000 devices is ~30 KB.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Tokens remembered for redaction: each renewal adds one; older ones are long out of use. */
const REMEMBERED_TOKENS = 16;

/** Devices remembered as already warned about (not bound to the user). */
const REMEMBERED_UNBOUND = 1000;

/** The close frame's code and reasons: the server sees a normal close, not a dropped socket. */
const NORMAL_CLOSURE = 1000;
const CLOSE_REASON_STOPPED = 'closed by Node-RED (flows stopped or redeployed)';
const CLOSE_REASON_UNWANTED = 'no device watched any more';

/** A reconnection waits up to this fraction longer than its step, at random. */
const BACKOFF_JITTER = 0.2;

/**
 * The delay before reconnection attempt `attempt` (1, 2, …): min × 2^(attempt-1), lengthened by
 * up to a fifth at random so that many runtimes do not return at the same instant, and never
 * more than max. The first attempt thus waits from min (2 s) on, never less, as the docs say.
 */
export function reconnectDelayMs(
  attempt: number,
  timings: Pick<PushTimings, 'backoffMinMs' | 'backoffMaxMs'>,
  random: () => number = Math.random,
): number {
  const step = timings.backoffMinMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30);
  return Math.round(Math.min(timings.backoffMaxMs, step * (1 + BACKOFF_JITTER * random())));
}

export type PushPhase =
  'idle' | 'connecting' | 'subscribing' | 'live' | 'reconnecting' | 'refused' | 'closed';

export interface PushState {
  phase: PushPhase;
  /** The devices the server confirmed in its last ActivePush reply on the open socket. */
  live: ReadonlySet<string>;
  /** Counts live sockets: grows each time a new socket's first ActivePush is answered. */
  session: number;
  /** In 'reconnecting': when the next attempt starts. */
  retryInMs?: number;
  /** In 'refused': why (the token, or no token); the connection tries again later. */
  error?: IotExplorerError;
}

/** A node, or a feed shared by nodes, that wants pushes for some devices. */
export interface PushSubscriber {
  readonly deviceIds: readonly string[];
  /** A change of one of its devices. */
  push(change: DevicePush): void;
  /** The connection's state, on each change and once right after subscribing. */
  state(state: PushState): void;
  /** Some device went on- or offline, but the push did not say which. */
  unattributedStatus?(): void;
  /**
   * One of its devices is not the user's any more (removed from the home, or no longer shared):
   * no push will come for it. Told by a source that knows the home (the account's device feed),
   * once per device; the connection itself cannot tell.
   */
  gone?(deviceId: string, reason: IotExplorerError): void;
}

/**
 * Where a subscriber gets its pushes: the account's {@link PushConnection}, or anything that
 * hands out the same changes and states (a per-account feed shared by several nodes, a test's
 * fake). Subscribing returns the function that ends the subscription.
 */
export interface PushSource {
  subscribe(subscriber: PushSubscriber): () => void;
}

export interface PushConnectionOptions {
  /** The WebSocket URL (see lib/shared/push-url.ts). */
  url: string;
  /** The account's token source: the same renewal as its HTTP calls. */
  tokenSource: TokenSource;
  timings?: Partial<PushTimings>;
  maxFrameBytes?: number;
  /** Unsent bytes after which the socket is dropped (default {@link MAX_BUFFERED_BYTES}). */
  maxBufferedBytes?: number;
  /** Devices the server did not accept (not bound to this user); each is reported once. */
  warnUnbound(deviceIds: string[]): void;
  /** A frame or event for a trace log, already free of the token. */
  trace(line: string): void;
  random?: () => number;
}

/** Counters, for tests and the benchmark. */
export interface PushConnectionStats {
  socketsOpened: number;
  framesSent: Record<string, number>;
  framesIgnored: number;
  pushesReceived: number;
}

/** Requests awaiting a reply that are remembered at most; older ones are forgotten. */
const MAX_PENDING_REPLIES = 32;

type Pending = { kind: 'ActivePush' | 'HeartBeat' | 'Hello'; token?: string };

const EMPTY: ReadonlySet<string> = new Set();

/**
 * An account's push WebSocket (docs/push-protocol.md). At most one socket, opened while some subscriber wants
 * devices and closed as soon as none does. Subscribes the full device set with ActivePush (after
 * each change of the set, each reconnect and each token renewal), keeps it alive with
 * AppDeviceTraceHeartBeat, checks the socket with Hello, and reconnects with backoff for as long
 * as a subscriber remains. close() ends every timer and the socket at once.
 */
export class PushConnection implements PushSource {
  readonly url: string;
  readonly timings: PushTimings;
  readonly stats: PushConnectionStats = {
    socketsOpened: 0,
    framesSent: {},
    framesIgnored: 0,
    pushesReceived: 0,
  };
  private readonly subscribers = new Map<PushSubscriber, ReadonlySet<string>>();
  private current: PushState = { phase: 'idle', live: EMPTY, session: 0 };
  private socket: WebSocket | undefined;
  private closed = false;
  private attempt = 0;
  /** After a refusal the next attempt waits the longest backoff: retrying sooner cannot help. */
  private waitLongest = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private helloTimer: NodeJS.Timeout | undefined;
  private requestTimer: NodeJS.Timeout | undefined;
  private lastHeard = 0;
  private requestCount = 0;
  private readonly pending = new Map<string, Pending>();
  private activePushReqId: string | undefined;
  /** The token the subscription was made with: a different one means it must be made again. */
  private subscribedToken: string | undefined;
  /** The tokens this connection sent lately, so that none can appear in a traced frame. */
  private readonly tokens = new Set<string>();
  /** Devices already warned about, so that each is named once (the newest few remembered). */
  private readonly warnedUnbound = new Set<string>();
  /** Devices missing from the last ActivePush reply: warned once the token is known good. */
  private unconfirmedUnbound: string[] = [];
  private renewing = false;
  private readonly actionCalls = new Map<string, string>();

  constructor(private readonly options: PushConnectionOptions) {
    this.url = options.url;
    this.timings = { ...DEFAULT_PUSH_TIMINGS, ...options.timings };
  }

  get state(): PushState {
    return this.current;
  }

  /** Requests sent and not yet answered (bounded: see MAX_PENDING_REPLIES). */
  get pendingReplies(): number {
    return this.pending.size;
  }

  /** How much the connection remembers, each bounded (for tests and the benchmark). */
  get remembered(): { tokens: number; warnedDevices: number; actionCalls: number } {
    return {
      tokens: this.tokens.size,
      warnedDevices: this.warnedUnbound.size,
      actionCalls: this.actionCalls.size,
    };
  }

  /** The devices all subscribers want, sorted, without repeats. */
  wanted(): string[] {
    const all = new Set<string>();
    for (const ids of this.subscribers.values()) for (const id of ids) all.add(id);
    return [...all].sort();
  }

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(subscriber: PushSubscriber): () => void {
    if (this.closed) return () => undefined;
    this.subscribers.set(subscriber, new Set(subscriber.deviceIds));
    queueMicrotask(() => {
      if (this.subscribers.has(subscriber)) this.tell(subscriber, this.current);
    });
    this.wantChanged();
    return () => {
      if (!this.subscribers.delete(subscriber)) return;
      this.wantChanged();
    };
  }

  /** The token was renewed (sign-in accounts): subscribe again with the new one. */
  tokenRenewed(): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.scheduleActivePush();
  }

  /** Ends the socket and every timer at once; later subscriptions are ignored. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.subscribers.clear();
    this.stopSocket(CLOSE_REASON_STOPPED);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.current = { phase: 'closed', live: EMPTY, session: this.current.session };
  }

  private wantChanged(): void {
    if (this.closed) return;
    if (this.wanted().length === 0) {
      // Nobody needs the socket: close it now, with its timers.
      this.stopSocket(CLOSE_REASON_UNWANTED);
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
      this.attempt = 0;
      this.waitLongest = false;
      this.setState({ phase: 'idle', live: EMPTY });
      return;
    }
    if (this.socket?.readyState === WebSocket.OPEN) this.scheduleActivePush();
    else if (!this.socket && !this.reconnectTimer) this.open();
  }

  private open(): void {
    this.reconnectTimer = undefined;
    if (this.closed || this.wanted().length === 0) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url, {
        handshakeTimeout: this.timings.handshakeMs,
        maxPayload: this.options.maxFrameBytes ?? MAX_FRAME_BYTES,
        perMessageDeflate: false,
      });
    } catch (err) {
      // An unusable URL: wait as after any failure, so a typo cannot make us spin.
      this.options.trace(`push: cannot open ${this.url}: ${describe(err)}`);
      this.scheduleReconnect();
      return;
    }
    this.stats.socketsOpened += 1;
    this.socket = socket;
    this.setState({ phase: 'connecting', live: EMPTY });
    socket.on('open', () => {
      if (socket !== this.socket) return;
      this.options.trace(`push: connected to ${this.url}`);
      this.lastHeard = Date.now();
      this.helloTimer = setInterval(() => this.checkAlive(socket), this.timings.helloMs);
      this.setState({ phase: 'subscribing' });
      this.background(this.sendActivePush());
    });
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (socket !== this.socket) return;
      this.lastHeard = Date.now();
      if (isBinary) {
        this.stats.framesIgnored += 1;
        this.options.trace('push: ignored a binary frame');
        return;
      }
      this.onFrame(rawText(data));
    });
    // Without this listener a failing socket would throw from an event emitter.
    socket.on('error', (err: Error) => {
      this.options.trace(`push: socket error: ${this.redact(describe(err))}`);
    });
    socket.on('close', (code: number) => {
      if (socket !== this.socket) return;
      this.options.trace(`push: socket closed (${code})`);
      this.lost();
    });
  }

  /** The socket ended or was dropped: reconnect while anyone still wants it. */
  private lost(): void {
    this.stopSocket();
    if (this.closed || this.wanted().length === 0) return;
    this.scheduleReconnect();
  }

  /**
   * Drops the socket and clears its timers; its late events are ignored. With a reason (we close
   * it on purpose: a stop, a redeploy, no device left) an open socket gets a close frame with
   * code 1000, so the server sees a normal close; otherwise (it failed, or misbehaves) it is cut.
   */
  private stopSocket(reason?: string): void {
    const socket = this.socket;
    this.socket = undefined;
    for (const timer of [this.debounceTimer, this.requestTimer, this.heartbeatTimer]) {
      clearTimeout(timer);
    }
    clearInterval(this.helloTimer);
    clearInterval(this.heartbeatTimer);
    this.debounceTimer = this.requestTimer = this.heartbeatTimer = this.helloTimer = undefined;
    this.pending.clear();
    this.activePushReqId = undefined;
    this.subscribedToken = undefined;
    this.unconfirmedUnbound = [];
    if (socket && reason !== undefined && socket.readyState === WebSocket.OPEN) {
      this.closeNormally(socket, reason);
    } else socket?.terminate();
  }

  /** Sends the close frame; cuts the connection if the server has not ended it within the grace. */
  private closeNormally(socket: WebSocket, reason: string): void {
    this.options.trace(`push: closing the socket (${NORMAL_CLOSURE}: ${reason})`);
    const cut = setTimeout(() => {
      this.options.trace(
        `push: no close from the server within ${this.timings.closeGraceMs} ms: cut`,
      );
      socket.terminate();
    }, this.timings.closeGraceMs);
    cut.unref();
    socket.once('close', () => clearTimeout(cut));
    socket.close(NORMAL_CLOSURE, reason);
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.closed) return;
    this.attempt += 1;
    const delay = this.waitLongest
      ? this.timings.backoffMaxMs
      : reconnectDelayMs(this.attempt, this.timings, this.options.random);
    this.waitLongest = false;
    if (this.current.phase !== 'refused') {
      this.setState({ phase: 'reconnecting', live: EMPTY, retryInMs: delay });
    }
    this.options.trace(`push: reconnecting in ${delay} ms (attempt ${this.attempt})`);
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }

  /** Drops a socket that misbehaves; reconnection backs off as after any failure. */
  private drop(reason: string): void {
    this.options.trace(`push: dropping the socket: ${reason}`);
    this.lost();
  }

  private checkAlive(socket: WebSocket): void {
    if (socket !== this.socket) return;
    const silentMs = Date.now() - this.lastHeard;
    if (silentMs > this.timings.livenessMs) {
      this.drop(`no frame for ${silentMs} ms`);
      return;
    }
    this.send(helloFrame(this.nextReqId('hello')), { kind: 'Hello' });
  }

  private scheduleActivePush(): void {
    if (this.debounceTimer) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      this.background(this.sendActivePush());
    }, this.timings.debounceMs);
  }

  private async sendActivePush(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const token = await this.token(socket);
    if (token === undefined) return;
    const reqId = this.nextReqId('sub');
    this.subscribedToken = token;
    this.activePushReqId = reqId;
    clearTimeout(this.requestTimer);
    this.requestTimer = setTimeout(() => {
      if (socket === this.socket) {
        this.drop(`ActivePush not answered within ${this.timings.requestTimeoutMs} ms`);
      }
    }, this.timings.requestTimeoutMs);
    this.send(activePushFrame(reqId, this.wanted(), token), { kind: 'ActivePush', token });
  }

  private async sendHeartbeat(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const token = await this.token(socket);
    if (token === undefined) return;
    if (token !== this.subscribedToken) {
      // Renewed since the subscription: subscribing again also sends a heartbeat.
      await this.sendActivePush();
      return;
    }
    const reqId = this.nextReqId('hb');
    this.send(heartbeatFrame(reqId, this.wanted(), token, randomUUID()), {
      kind: 'HeartBeat',
      token,
    });
  }

  /** The token to send, or undefined (after reporting why) when there is none now. */
  private async token(socket: WebSocket): Promise<string | undefined> {
    let token: string;
    try {
      token = await this.options.tokenSource.getToken();
    } catch (err) {
      if (socket === this.socket) this.refuse(asError(err));
      return undefined;
    }
    if (socket !== this.socket || socket.readyState !== WebSocket.OPEN) return undefined;
    if (token.length >= 4) remember(this.tokens, token, REMEMBERED_TOKENS);
    return token;
  }

  private send(frame: RequestFrame, pending: Pending): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const buffered = socket.bufferedAmount;
    if (buffered > (this.options.maxBufferedBytes ?? MAX_BUFFERED_BYTES)) {
      this.drop(`the server reads nothing: ${buffered} bytes unsent`);
      return;
    }
    const key = pending.kind;
    this.stats.framesSent[key] = (this.stats.framesSent[key] ?? 0) + 1;
    this.pending.set(String(frame.reqId), pending);
    // A server that keeps the socket but never answers Hello or the heartbeat would grow the map
    // for as long as the socket lives: keep the newest few (ActivePush has its own timeout).
    for (const reqId of this.pending.keys()) {
      if (this.pending.size <= MAX_PENDING_REPLIES) break;
      this.pending.delete(reqId);
    }
    const text = JSON.stringify(frame);
    this.options.trace(`push ▶ ${this.redact(text)}`);
    socket.send(text, (err) => {
      if (err) this.options.trace(`push: send failed: ${this.redact(describe(err))}`);
    });
  }

  private onFrame(text: string): void {
    const frame = parseServerFrame(text);
    this.options.trace(`push ◀ ${this.redact(text)}`);
    if (frame.type === 'ignored') {
      this.stats.framesIgnored += 1;
      this.options.trace(`push: ignored a frame (${frame.reason})`);
      return;
    }
    if (frame.type === 'push') {
      this.stats.pushesReceived += 1;
      this.deliver(frame.push);
      return;
    }
    if (frame.type === 'unattributedStatus') {
      this.stats.pushesReceived += 1;
      for (const subscriber of this.subscribers.keys()) {
        this.guard(() => subscriber.unattributedStatus?.());
      }
      return;
    }
    const pending = this.pending.get(frame.reqId);
    if (!pending) return;
    this.pending.delete(frame.reqId);
    if (pending.kind === 'ActivePush') this.onActivePushReply(frame, pending);
    else if (pending.kind === 'HeartBeat') this.onHeartbeatReply(frame, pending);
  }

  private onActivePushReply(reply: ReplyFrame, pending: Pending): void {
    if (reply.reqId !== this.activePushReqId) return; // a newer subscription supersedes it
    clearTimeout(this.requestTimer);
    this.requestTimer = undefined;
    if (tokenRefusedIn(reply)) {
      this.background(this.tokenRefused(pending.token ?? '', reply));
      return;
    }
    const ids = reply.data?.deviceIds ?? reply.data?.DeviceIds;
    if (!Array.isArray(ids) || (reply.error !== '' && reply.error !== '0')) {
      this.drop(
        `ActivePush failed: ${this.redact(reply.error || 'no deviceIds')} ${this.redact(reply.errorMessage)}`,
      );
      return;
    }
    const live = new Set(ids.filter((id): id is string => typeof id === 'string'));
    const wanted = this.wanted();
    this.unconfirmedUnbound = wanted.filter((id) => !live.has(id));
    if (live.size > 0) this.attempt = 0;
    const newSession = this.current.phase !== 'live';
    this.setState({
      phase: 'live',
      live,
      session: newSession ? this.current.session + 1 : this.current.session,
    });
    // The apps send the keep-alive right after subscribing, then on a period.
    this.background(this.sendHeartbeat());
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(
      () => this.background(this.sendHeartbeat()),
      this.timings.heartbeatMs,
    );
  }

  private onHeartbeatReply(reply: ReplyFrame, pending: Pending): void {
    if (tokenRefusedIn(reply)) {
      this.background(this.tokenRefused(pending.token ?? '', reply));
      return;
    }
    // The token is good, so devices the subscription left out are not the user's.
    const fresh = this.unconfirmedUnbound.filter((id) => !this.warnedUnbound.has(id));
    this.unconfirmedUnbound = [];
    if (fresh.length > 0) {
      for (const id of fresh) remember(this.warnedUnbound, id, REMEMBERED_UNBOUND);
      this.options.warnUnbound(fresh);
    }
    const code = responseErrorCode(reply);
    if (code) this.options.trace(`push: heartbeat answered ${code}`);
  }

  /**
   * The socket refused the token: a sign-in account renews it (the same single renewal as an
   * HTTP call) and subscribes again; a pasted token gets the API's "new token needed" error.
   */
  private async tokenRefused(token: string, reply: ReplyFrame): Promise<void> {
    this.unconfirmedUnbound = [];
    const source = this.options.tokenSource;
    const refusal = apiError(
      INVALID_TOKEN_CODE,
      this.redact(responseErrorMessage(reply)),
      responseRequestId(reply),
    );
    if (!source.renewAfterRejection || this.renewing) {
      if (!this.renewing) this.refuse(refusal);
      return;
    }
    this.renewing = true;
    try {
      const fresh = await source.renewAfterRejection(token);
      if (this.closed) return;
      if (fresh === undefined || fresh === token) {
        this.refuse(refusal);
        return;
      }
      this.options.trace('push: token renewed after a refusal; subscribing again');
      if (this.socket?.readyState === WebSocket.OPEN) await this.sendActivePush();
    } catch (err) {
      this.refuse(asError(err));
    } finally {
      this.renewing = false;
    }
  }

  /** Reports a refusal to the subscribers and retries only after the longest backoff. */
  private refuse(error: IotExplorerError): void {
    if (this.closed) return;
    this.options.trace(`push: refused: ${this.redact(error.code)}`);
    this.setState({ phase: 'refused', live: EMPTY, error });
    this.waitLongest = true;
    this.lost();
  }

  private deliver(push: DevicePush): void {
    if (push.kind === 'actionCall' && push.clientToken !== '') {
      this.actionCalls.set(push.clientToken, push.actionId);
      if (this.actionCalls.size > REMEMBERED_ACTION_CALLS) {
        const oldest = this.actionCalls.keys().next().value;
        if (oldest !== undefined) this.actionCalls.delete(oldest);
      }
    }
    if (push.kind === 'actionReply' && push.actionId === '') {
      push.actionId = this.actionCalls.get(push.clientToken) ?? '';
    }
    for (const [subscriber, ids] of this.subscribers) {
      if (ids.has(push.deviceId)) this.guard(() => subscriber.push(push));
    }
  }

  private setState(patch: Partial<PushState>): void {
    const next: PushState = { ...this.current, ...patch };
    if (patch.phase !== undefined && patch.phase !== 'reconnecting') delete next.retryInMs;
    if (patch.phase !== undefined && patch.phase !== 'refused') delete next.error;
    this.current = next;
    for (const subscriber of this.subscribers.keys()) this.tell(subscriber, next);
  }

  private tell(subscriber: PushSubscriber, state: PushState): void {
    this.guard(() => subscriber.state(state));
  }

  /** A subscriber that throws (a node's send can) must not stop the others or the socket. */
  private guard(call: () => void): void {
    try {
      call();
    } catch (err) {
      this.options.trace(`push: a subscriber failed: ${this.redact(describe(err))}`);
    }
  }

  /** Runs a send in the background: nothing it does may become an unhandled rejection. */
  private background(work: Promise<void>): void {
    work.catch((err: unknown) => this.options.trace(`push: ${this.redact(describe(err))}`));
  }

  private nextReqId(prefix: string): string {
    this.requestCount += 1;
    return `${prefix}-${this.requestCount}`;
  }

  /** Removes every token this connection sent; traces are cut to a readable length. */
  private redact(text: string): string {
    const clean = redactSecrets(text, [...this.tokens]);
    return clean.length > TRACE_CHARS
      ? `${clean.slice(0, TRACE_CHARS)}… (${clean.length} chars)`
      : clean;
  }
}

/** Adds `value` to a set kept in insertion order, forgetting the oldest beyond `limit`. */
function remember(set: Set<string>, value: string, limit: number): void {
  set.delete(value);
  set.add(value);
  for (const oldest of set) {
    if (set.size <= limit) break;
    set.delete(oldest);
  }
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function asError(err: unknown): IotExplorerError {
  return err instanceof IotExplorerError
    ? err
    : new IotExplorerError({
        code: LocalErrorCode.Unexpected,
        key: 'unexpected',
        params: { reason: describe(err) },
      });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `data.Response.Error` of a YunApi reply (the HTTP API's shape), if any. */
function responseError(reply: ReplyFrame): Record<string, unknown> | undefined {
  const response = reply.data?.Response;
  const error = isRecord(response) ? response.Error : undefined;
  return isRecord(error) ? error : undefined;
}

function responseErrorCode(reply: ReplyFrame): string {
  const code = responseError(reply)?.Code;
  return typeof code === 'string' ? code : '';
}

function responseErrorMessage(reply: ReplyFrame): string {
  const message = responseError(reply)?.Message;
  return typeof message === 'string' ? message : reply.errorMessage;
}

function responseRequestId(reply: ReplyFrame): string {
  const response = reply.data?.Response;
  const id = isRecord(response) ? response.RequestId : undefined;
  return typeof id === 'string' ? id : '';
}

/** A reply that says the AccessToken is invalid, in either place a server may say it. */
function tokenRefusedIn(reply: ReplyFrame): boolean {
  return responseErrorCode(reply) === INVALID_TOKEN_CODE || reply.error === INVALID_TOKEN_CODE;
}

/** The push clocks a runtime may shorten (tests only), and the watch node's read clocks. */
export interface PushTimingSettings extends Partial<PushTimings> {
  baselineWaitMs?: number;
  readRetryMs?: number;
}

/** The time the watch node waits for the socket before reading its baseline anyway. */
export const DEFAULT_BASELINE_WAIT_MS = 3_000;

/** A failed baseline or gap-fill read is tried again after this (doubling, up to 8 times it). */
export const DEFAULT_READ_RETRY_MS = 30_000;

/**
 * Reads the runtime setting `iotExplorerPushTimings` (ms per clock), which exists for tests and
 * benchmarks: the real service expects the apps' own periods. Keeps only positive numbers.
 */
export function pushTimingSettings(settings: unknown): PushTimingSettings {
  const raw = isRecord(settings) ? settings.iotExplorerPushTimings : undefined;
  if (!isRecord(raw)) return {};
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) out[key] = value;
  }
  return out;
}
