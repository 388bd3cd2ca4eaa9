// Fault injection for the push socket: what a push fault is, how one is parsed, and which
// faults apply to an upgrade, a new connection or a frame. One-off disturbances (drop every
// socket, stall the open ones, send malformed frames) are methods of the push server instead.

export type PushFaultKind = 'refuse' | 'halfOpen' | 'delay' | 'noActivePushReply' | 'serverError';

export const PUSH_FAULT_KINDS: readonly PushFaultKind[] = [
  'refuse',
  'halfOpen',
  'delay',
  'noActivePushReply',
  'serverError',
];

export interface PushFaultSpec {
  /**
   * refuse: the WebSocket upgrade is answered with an HTTP error (`status`, default 503).
   * halfOpen: the open sockets, and new ones while the fault lasts, stop reading and sending
   * (TCP stays open; no reply, no push, no pong, no close handshake).
   * delay: every frame the server sends waits `delayMs` first.
   * noActivePushReply: ActivePush frames are ignored (no reply, no subscription).
   * serverError: request frames get the documented server fault
   * `{"error":"-1","error_message":"后台连接出错，请联系管理员","data":{}}`.
   */
  kind: PushFaultKind;
  /**
   * Applies to the next N matching events (refuse: upgrades; halfOpen: new connections; delay,
   * serverError: frames; noActivePushReply: ActivePush frames). Omit = until cleared.
   */
  count?: number;
  /** serverError: only request frames with this action (ActivePush, YunApi, Hello). */
  action?: string;
  /** delay: ms. */
  delayMs?: number;
  /** refuse: the HTTP status (400..599), default 503. */
  status?: number;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks an untrusted push fault description; throws an Error naming the bad field. */
export function parsePushFaultSpec(raw: unknown, where = 'push fault'): PushFaultSpec {
  if (!isPlainObject(raw)) throw new Error(`${where}: must be an object`);
  const known = new Set(['kind', 'count', 'action', 'delayMs', 'status']);
  for (const key of Object.keys(raw)) {
    if (!known.has(key) && !key.startsWith('_')) throw new Error(`${where}: unknown field ${key}`);
  }
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(PUSH_FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`${where}.kind: must be one of ${PUSH_FAULT_KINDS.join(', ')}`);
  }
  const spec: PushFaultSpec = { kind: kind as PushFaultKind };
  if (raw.count !== undefined) {
    if (typeof raw.count !== 'number' || !Number.isInteger(raw.count) || raw.count < 1) {
      throw new Error(`${where}.count: must be a positive integer`);
    }
    spec.count = raw.count;
  }
  if (raw.action !== undefined) {
    if (typeof raw.action !== 'string' || raw.action === '') {
      throw new Error(`${where}.action: must be a non-empty string`);
    }
    spec.action = raw.action;
  }
  if (raw.delayMs !== undefined) {
    if (typeof raw.delayMs !== 'number' || !Number.isInteger(raw.delayMs) || raw.delayMs < 0) {
      throw new Error(`${where}.delayMs: must be a non-negative integer`);
    }
    spec.delayMs = raw.delayMs;
  }
  if (raw.status !== undefined) {
    const s = raw.status;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 400 || s > 599) {
      throw new Error(`${where}.status: must be an HTTP status from 400 to 599`);
    }
    spec.status = s;
  }
  if (spec.kind === 'delay' && spec.delayMs === undefined) {
    throw new Error(`${where}: a delay fault needs delayMs`);
  }
  return spec;
}

/** The active push faults, in the order they were added. */
export class PushFaultSet {
  private faults: { spec: PushFaultSpec; left: number | undefined }[] = [];

  add(spec: PushFaultSpec): void {
    this.faults.push({ spec: { ...spec }, left: spec.count });
  }

  clear(): void {
    this.faults = [];
  }

  list(): PushFaultSpec[] {
    return this.faults.map(({ spec, left }) =>
      left === undefined ? { ...spec } : { ...spec, count: left },
    );
  }

  has(kind: PushFaultKind): boolean {
    return this.faults.some((entry) => entry.spec.kind === kind);
  }

  /**
   * The first fault of `kind` that matches (serverError: also `action`), counted off its
   * `count`; undefined when none applies.
   */
  take(kind: PushFaultKind, action?: string): PushFaultSpec | undefined {
    const entry = this.faults.find(
      (f) => f.spec.kind === kind && (f.spec.action === undefined || f.spec.action === action),
    );
    if (!entry) return undefined;
    if (entry.left !== undefined) {
      entry.left -= 1;
      if (entry.left <= 0) this.faults = this.faults.filter((f) => f !== entry);
    }
    return entry.spec;
  }
}
