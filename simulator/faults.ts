// Fault injection: what a fault is, how one is parsed, and which faults apply to a request.

export type FaultKind =
  'latency' | 'http5xx' | 'requestLimit' | 'nonJson' | 'truncated' | 'reset' | 'noAnswer';

export const FAULT_KINDS: readonly FaultKind[] = [
  'latency',
  'http5xx',
  'requestLimit',
  'nonJson',
  'truncated',
  'reset',
  'noAnswer',
];

export interface FaultSpec {
  kind: FaultKind;
  /** 'PID/DN': only requests naming that device (ProductId+DeviceName or DeviceId). Omit = all. */
  device?: string;
  /** Only requests with this Action. Omit = any Action. */
  action?: string;
  /** Apply to the next N matching requests. Omit = until cleared. */
  count?: number;
  /** latency: the added delay. */
  latencyMs?: number;
  /** latency: up to this much more, at random. */
  jitterMs?: number;
  /** http5xx: the HTTP status (500..599), default 502. */
  status?: number;
}

/**
 * Whether the service (and so the device) acted on a request whose reply a fault replaced.
 * requestLimit: refused before acting. http5xx and noAnswer: a gateway failed in front of the
 * service. nonJson, truncated and reset: the service acted, the reply was lost on the way back.
 */
export const FAULT_SERVICE_ACTS: Readonly<Record<FaultKind, boolean>> = {
  latency: true,
  http5xx: false,
  requestLimit: false,
  nonJson: true,
  truncated: true,
  reset: true,
  noAnswer: false,
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonNegativeInt(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Checks an untrusted fault description; throws an Error naming the bad field. */
export function parseFaultSpec(raw: unknown, where = 'fault'): FaultSpec {
  if (!isPlainObject(raw)) throw new Error(`${where}: must be an object`);
  const known = new Set(['kind', 'device', 'action', 'count', 'latencyMs', 'jitterMs', 'status']);
  for (const key of Object.keys(raw)) {
    if (!known.has(key) && !key.startsWith('_')) throw new Error(`${where}: unknown field ${key}`);
  }
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`${where}.kind: must be one of ${FAULT_KINDS.join(', ')}`);
  }
  const spec: FaultSpec = { kind: kind as FaultKind };
  if (raw.device !== undefined) {
    if (typeof raw.device !== 'string' || !/^[^/]+\/[^/]+$/.test(raw.device)) {
      throw new Error(`${where}.device: must be "ProductId/DeviceName"`);
    }
    spec.device = raw.device;
  }
  if (raw.action !== undefined) {
    if (typeof raw.action !== 'string' || raw.action === '') {
      throw new Error(`${where}.action: must be a non-empty string`);
    }
    spec.action = raw.action;
  }
  if (raw.count !== undefined) {
    if (!nonNegativeInt(raw.count) || raw.count === 0) {
      throw new Error(`${where}.count: must be a positive integer`);
    }
    spec.count = raw.count as number;
  }
  for (const key of ['latencyMs', 'jitterMs'] as const) {
    if (raw[key] === undefined) continue;
    if (!nonNegativeInt(raw[key]))
      throw new Error(`${where}.${key}: must be a non-negative integer`);
    spec[key] = raw[key] as number;
  }
  if (raw.status !== undefined) {
    const s = raw.status;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 500 || s > 599) {
      throw new Error(`${where}.status: must be an HTTP status from 500 to 599`);
    }
    spec.status = s;
  }
  if (spec.kind === 'latency' && spec.latencyMs === undefined && spec.jitterMs === undefined) {
    throw new Error(`${where}: a latency fault needs latencyMs (or jitterMs)`);
  }
  return spec;
}

/**
 * Parses the CLI form `kind[:PID/DN][:count]`, e.g. `http5xx`, `reset:LOCK0C3D4E/front_door`,
 * `requestLimit::3` or `noAnswer:LIGHT0A1B2/living_lamp:1`. A latency fault takes its delay
 * from `latencyMs` (the CLI's --latency, default 500).
 */
export function parseFaultArg(text: string, latencyMs = 500): FaultSpec {
  const parts = text.split(':');
  const raw: Record<string, unknown> = { kind: parts[0] };
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    if (/^\d+$/.test(part)) raw.count = Number(part);
    else raw.device = part;
  }
  if (raw.kind === 'latency') raw.latencyMs = latencyMs;
  return parseFaultSpec(raw, `--fault ${text}`);
}

/** What the faults say about one request. */
export interface FaultDecision {
  /** Extra delay before the reply is written. */
  delayMs: number;
  /** The fault that replaces the reply, if any (the first one that matches). */
  replace?: FaultSpec;
}

/** The active faults, in the order they were added. */
export class FaultSet {
  private faults: { spec: FaultSpec; left: number | undefined }[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ spec: { ...spec }, left: spec.count });
  }

  clear(): void {
    this.faults = [];
  }

  list(): FaultSpec[] {
    return this.faults.map(({ spec, left }) =>
      left === undefined ? { ...spec } : { ...spec, count: left },
    );
  }

  /**
   * Finds the faults that match a request and uses them up: every matching latency fault adds
   * its delay; the first matching fault of another kind replaces the reply. Each fault used
   * counts one off its `count`.
   */
  take(
    device: string | undefined,
    action: string | undefined,
    random = Math.random,
  ): FaultDecision {
    const decision: FaultDecision = { delayMs: 0 };
    for (const entry of this.faults) {
      const { spec } = entry;
      if (spec.device !== undefined && spec.device !== device) continue;
      if (spec.action !== undefined && spec.action !== action) continue;
      if (spec.kind === 'latency') {
        decision.delayMs +=
          (spec.latencyMs ?? 0) + Math.floor(random() * ((spec.jitterMs ?? 0) + 1));
      } else if (decision.replace === undefined) {
        decision.replace = spec;
      } else {
        continue;
      }
      if (entry.left !== undefined) entry.left -= 1;
    }
    this.faults = this.faults.filter((entry) => entry.left === undefined || entry.left > 0);
    return decision;
  }
}
