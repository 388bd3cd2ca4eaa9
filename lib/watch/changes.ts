import type { PropertyReading } from '../api/client';
import type { DevicePush } from '../push/frames';
import { DeviceId } from '../shared/device-id';

/** How a change was learned: a read of the API, or the account's push socket. */
export type ChangeSource = 'poll' | 'push';

/** Where a batch of values comes from. */
export interface Origin {
  source: ChangeSource;
  /** The API Action of a read, or `DeviceChange` for a push. */
  action: string;
  /** The read's RequestId; absent for a push. */
  requestId?: string;
  /** A read that may set the first-value baseline. A push never does: it is a change. */
  read: boolean;
  /**
   * A read made because the push socket (re)connected: it fills in what the socket missed.
   * Ignored for values that set the baseline.
   */
  gapFill: boolean;
}

interface ChangeBase extends DeviceId {
  deviceId: string;
  source: ChangeSource;
  action: string;
  requestId?: string;
  /** True for the first read's values when `emitInitial` is set. */
  initial: boolean;
  gapFill: boolean;
}

export interface PropertyChange extends ChangeBase {
  kind: 'property';
  property: string;
  /** null when the property had no value before (first read, or newly reported). */
  oldValue: unknown;
  newValue: unknown;
  lastUpdate: number | null;
}

export interface OnlineChange extends ChangeBase {
  kind: 'online';
  online: boolean;
  was: boolean | null;
}

type PushOf<K extends DevicePush['kind']> = Extract<DevicePush, { kind: K }>;

/** A device event (`event_post`): a button press, an alarm, a fault. Only pushes carry them. */
export type EventChange = ChangeBase &
  Pick<PushOf<'event'>, 'kind' | 'eventId' | 'eventType' | 'params' | 'time'>;

/**
 * A device's answer to an action call (`action_reply`): how an asynchronous call's result arrives.
 * Its fields are the push's, as read by lib/push/frames.ts.
 */
export type ActionReplyChange = ChangeBase &
  Pick<
    PushOf<'actionReply'>,
    'kind' | 'actionId' | 'clientToken' | 'code' | 'status' | 'response' | 'time'
  >;

export type WatchChange = PropertyChange | OnlineChange | EventChange | ActionReplyChange;

/** Values compare by their JSON: a struct or array that reads the same has not changed. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A watched device's two ids (the watch holds only ids that {@link DeviceId.parse} reads). */
export function splitId(deviceId: string): DeviceId {
  return DeviceId.parse(deviceId) ?? { productId: deviceId, deviceName: '' };
}

/**
 * Property ids remembered per device. A product's data template has at most 100 features
 * (properties and events together), so a real device never comes near; a server inventing new
 * ids in every push would otherwise grow the device's known state without end. Past it, ids not
 * yet known are ignored; known ones keep being tracked.
 */
export const MAX_PROPERTIES_PER_DEVICE = 256;

export interface TrackerOptions {
  /** Property ids to watch; empty: all. */
  properties: readonly string[];
  /** Report the first read's values as changes (oldValue/was null) instead of silently. */
  emitInitial: boolean;
}

/**
 * The last known online state and property values of the watched devices, whichever way they
 * were learned. The first read of a device sets its baseline (silently, unless `emitInitial`);
 * after that a value that differs from the known one is a change, reported once.
 */
export class ChangeTracker {
  private readonly online = new Map<string, boolean>();
  private readonly values = new Map<string, Map<string, unknown>>();
  /** Devices whose property values a read has returned at least once. */
  private readonly valuesRead = new Set<string>();

  constructor(
    private readonly options: TrackerOptions,
    private readonly emit: (change: WatchChange) => void,
  ) {}

  setOnline(deviceId: string, online: boolean, origin: Origin): void {
    const was = this.online.get(deviceId);
    this.online.set(deviceId, online);
    const initial = was === undefined && origin.read;
    if (initial ? !this.options.emitInitial : was === online) return;
    this.emit({
      kind: 'online',
      ...splitId(deviceId),
      deviceId,
      ...originFields(origin, initial),
      online,
      was: was ?? null,
    });
  }

  setProperties(deviceId: string, readings: Record<string, PropertyReading>, origin: Origin): void {
    const current = this.values.get(deviceId) ?? new Map<string, unknown>();
    this.values.set(deviceId, current);
    // The first read sets the baseline even when pushes came before it (in push mode a failed
    // baseline read leaves only the pushed properties known): the others were unknown, not
    // changed, and must not all be reported as changes by the next (gap-fill) read.
    const firstRead = origin.read && !this.valuesRead.has(deviceId);
    if (origin.read) this.valuesRead.add(deviceId);
    const wanted = this.options.properties;
    for (const [property, reading] of Object.entries(readings)) {
      if (wanted.length > 0 && !wanted.includes(property)) continue;
      const had = current.has(property);
      if (!had && current.size >= MAX_PROPERTIES_PER_DEVICE) continue;
      const oldValue = current.get(property);
      current.set(property, reading.value);
      const initial = firstRead && !had;
      const changed = initial ? this.options.emitInitial : !had || !same(oldValue, reading.value);
      if (!changed) continue;
      this.emit({
        kind: 'property',
        ...splitId(deviceId),
        deviceId,
        ...originFields(origin, initial),
        property,
        oldValue: had ? oldValue : null,
        newValue: reading.value,
        lastUpdate: reading.lastUpdate,
      });
    }
  }
}

function originFields(
  origin: Origin,
  initial: boolean,
): Pick<ChangeBase, 'source' | 'action' | 'requestId' | 'initial' | 'gapFill'> {
  const fields: Pick<ChangeBase, 'source' | 'action' | 'requestId' | 'initial' | 'gapFill'> = {
    source: origin.source,
    action: origin.action,
    initial,
    gapFill: origin.gapFill && !initial,
  };
  if (origin.requestId !== undefined) fields.requestId = origin.requestId;
  return fields;
}
