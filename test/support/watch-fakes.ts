// The watchers' seam (lib/watch): a fake push source and fake reads, so that the watchers'
// ordering is tested in milliseconds, without a socket, an HTTP server or Node-RED. The fakes
// behave as the real ones promise: a source hands each subscriber the pushes of its devices and
// every state change; a read answers from the fake's device state when the test says so, and an
// aborted read rejects as the API client's does.

import type {
  CallOptions,
  DeviceDataResult,
  DeviceStatusesResult,
  PropertyReading,
} from '../../lib/api/client';
import { IotExplorerError, LocalErrorCode } from '../../lib/errors/errors';
import type { DevicePush } from '../../lib/push/frames';
import type {
  PushPhase,
  PushSource,
  PushState,
  PushSubscriber,
} from '../../lib/push/push-connection';
import { DeviceId } from '../../lib/shared/device-id';
import type { DeviceReads } from '../../lib/watch/device-reader';

/** A push source the test drives: states, pushes and unattributed status changes by hand. */
export class FakePushSource implements PushSource {
  readonly subscribers = new Set<PushSubscriber>();
  private current: PushState = { phase: 'connecting', live: new Set(), session: 0 };

  get state(): PushState {
    return this.current;
  }

  subscribe(subscriber: PushSubscriber): () => void {
    this.subscribers.add(subscriber);
    subscriber.state(this.current);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** A new live session (a connect or reconnect) with `accepted` (default: all wanted) live. */
  goLive(accepted?: readonly string[]): void {
    const live = new Set(accepted ?? [...this.subscribers].flatMap((s) => s.deviceIds));
    this.set({ phase: 'live', live, session: this.current.session + 1 });
  }

  /** The socket is gone; the next attempt in `retryInMs`. */
  drop(retryInMs = 2000): void {
    this.set({ phase: 'reconnecting', live: new Set(), session: this.current.session, retryInMs });
  }

  setPhase(phase: PushPhase): void {
    this.set({ phase, live: new Set(), session: this.current.session });
  }

  /** Hands `push` to the subscribers of its device, as the connection does. */
  push(push: DevicePush): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.deviceIds.includes(push.deviceId)) subscriber.push(push);
    }
  }

  /** Hands `push` to every subscriber, whatever its devices (a source that should not). */
  pushToAll(push: DevicePush): void {
    for (const subscriber of this.subscribers) subscriber.push(push);
  }

  unattributedStatus(): void {
    for (const subscriber of this.subscribers) subscriber.unattributedStatus?.();
  }

  private set(state: PushState): void {
    this.current = state;
    for (const subscriber of this.subscribers) subscriber.state(state);
  }
}

/** One read made through {@link FakeReads}. */
export interface FakeCall {
  action: 'AppGetDeviceStatuses' | 'AppGetDeviceData';
  /** The devices it reads (one for AppGetDeviceData). */
  deviceIds: string[];
  /** Whether it has been answered (or failed, or aborted). */
  settled: boolean;
  /** Answers from the fake's device state as it is now. */
  answer(): void;
  fail(err: IotExplorerError): void;
}

/**
 * Reads that answer from a small device state. With `manual` set, each read waits until the test
 * answers it (`pending`, `answerAll`), so a push can arrive while a read is in flight; otherwise
 * a read answers at once (on the next microtask).
 */
export class FakeReads implements DeviceReads {
  readonly calls: FakeCall[] = [];
  readonly values = new Map<string, Record<string, unknown>>();
  readonly online = new Map<string, boolean>();
  manual = false;
  /** Every read fails with this while it is set. */
  failWith: IotExplorerError | undefined;
  private requestCount = 0;

  /** Reads not answered yet. */
  get pending(): FakeCall[] {
    return this.calls.filter((c) => !c.settled);
  }

  count(action: FakeCall['action'], deviceId?: string): number {
    return this.calls.filter(
      (c) => c.action === action && (deviceId === undefined || c.deviceIds.includes(deviceId)),
    ).length;
  }

  answerAll(): void {
    for (const call of this.pending) call.answer();
  }

  setValues(deviceId: string, values: Record<string, unknown>): void {
    this.values.set(deviceId, { ...this.values.get(deviceId), ...values });
  }

  getDeviceStatuses(
    deviceIds: readonly string[],
    options: CallOptions,
  ): Promise<DeviceStatusesResult> {
    return this.call('AppGetDeviceStatuses', [...deviceIds], options, (requestId) => ({
      requestIds: [requestId],
      statuses: deviceIds
        .filter((id) => this.online.has(id))
        .map((id) => ({ ...parse(id), deviceId: id, online: this.online.get(id) === true })),
    }));
  }

  getDeviceData(target: DeviceId, options: CallOptions): Promise<DeviceDataResult> {
    const id = DeviceId.format(target);
    return this.call('AppGetDeviceData', [id], options, (requestId) => {
      const properties: Record<string, PropertyReading> = {};
      for (const [key, value] of Object.entries(this.values.get(id) ?? {})) {
        properties[key] = { value, lastUpdate: 1000 };
      }
      return { requestId, properties };
    });
  }

  private call<T>(
    action: FakeCall['action'],
    deviceIds: string[],
    options: CallOptions,
    result: (requestId: string) => T,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const requestId = `req-${++this.requestCount}`;
      const onAbort = (): void =>
        call.fail(new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed' }));
      const settle = (): boolean => {
        if (call.settled) return false;
        call.settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const call: FakeCall = {
        action,
        deviceIds,
        settled: false,
        answer: () => {
          if (!settle()) return;
          if (this.failWith) reject(this.failWith);
          else resolve(result(requestId));
        },
        fail: (err) => {
          if (settle()) reject(err);
        },
      };
      this.calls.push(call);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (!this.manual) queueMicrotask(() => call.answer());
    });
  }
}

function parse(deviceId: string): DeviceId {
  const target = DeviceId.parse(deviceId);
  if (!target) throw new Error(`not a device id: ${deviceId}`);
  return target;
}

const BASE = { type: 'Property', subType: 'Report', seq: null, time: 5000 } as const;

/** A property report push, as lib/push/frames.ts reads one. */
export function reportPush(deviceId: string, values: Record<string, unknown>): DevicePush {
  return { ...BASE, ...parse(deviceId), deviceId, kind: 'properties', values, origin: 'report' };
}

/** A control going down to the device (not its state). */
export function controlPush(deviceId: string, values: Record<string, unknown>): DevicePush {
  return {
    ...BASE,
    ...parse(deviceId),
    deviceId,
    subType: 'Push',
    kind: 'properties',
    values,
    origin: 'control',
  };
}

export function onlinePush(deviceId: string, online: boolean): DevicePush {
  return {
    ...BASE,
    ...parse(deviceId),
    deviceId,
    type: 'StatusChange',
    subType: online ? 'Online' : 'Offline',
    kind: 'online',
    online,
  };
}

export function eventPush(deviceId: string, eventId: string, params: unknown): DevicePush {
  return {
    ...BASE,
    ...parse(deviceId),
    deviceId,
    type: 'Event',
    kind: 'event',
    eventId,
    eventType: 'info',
    params,
  };
}
