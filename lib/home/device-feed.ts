// One account's shared device feed: the push subscriptions and device reads of every watch node,
// panel and the home model, merged so that overlapping devices cost one subscription and one
// baseline read each, however many subscribers want them.

import { setMaxListeners } from 'node:events';
import type {
  CallOptions,
  DeviceDataResult,
  DeviceStatus,
  DeviceStatusesResult,
  PropertyReading,
} from '../api/client';
import { abortable } from '../api/template-cache';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';
import type { DevicePush } from '../push/frames';
import type { PushSource, PushState, PushSubscriber } from '../push/push-connection';
import { DeviceId } from '../shared/device-id';
import type { DeviceReads } from '../watch/device-reader';
import { acceptsValues } from '../watch/push-watcher';

/** Property ids kept per device at most: a template has a few dozen; a flood stops here. */
export const MAX_KEPT_PROPERTIES = 256;

/** What the feed has done, for tests and the benchmark. */
export interface FeedStats {
  /** Subscriptions made on the account's push connection (one per change of the device set). */
  upstreamSubscriptions: number;
  /** AppGetDeviceData calls made. */
  dataReads: number;
  /** AppGetDeviceStatuses calls made, and the devices they asked for. */
  statusReads: number;
  statusDevices: number;
  /** Reads answered from what the feed keeps current by push, without a call. */
  answeredFromFeed: number;
  /** Reads that joined one in flight for the same device. */
  joined: number;
}

/** A device's state as push and reads told it: what a subscriber's read gets without a call. */
export interface DeviceUpdate {
  deviceId: string;
  online?: boolean;
  /** Property id → value (a report pushed, or a read). */
  values?: Record<string, unknown>;
}

export interface DeviceFeedOptions {
  /** The account's push connection, or undefined when the account has none. */
  pushes: PushSource | undefined;
  /** Where the reads go: the account's API client. */
  reads: DeviceReads;
  /**
   * A read was refused for a reason that says the device is not the user's any more (the share
   * ended, the device was unbound): the home may have changed, and its owner may read it again.
   */
  refused?(deviceId: string, err: IotExplorerError): void;
  /**
   * The service took a subscription without some of its devices (the user lost them, or never
   * had them): the home may have changed. Told once per device until it is live again.
   */
  missing?(deviceIds: string[]): void;
}

/** The API's answers that say a device is not (or no longer) the user's. */
const NOT_THE_USERS = new Set([
  'InvalidParameterValue.NoPermission',
  'ResourceNotFound.DeviceNotBind',
  'ResourceNotFound.DeviceNotExist',
]);

const EMPTY: ReadonlySet<string> = new Set();

interface KeptValues {
  values: Map<string, PropertyReading>;
  requestId: string;
  /** The push session in which the read was made while the device was live; -1 otherwise. */
  session: number;
}

interface KeptOnline {
  online: boolean;
  requestId: string;
  session: number;
}

/** What the feed keeps of one device some subscriber pushes for. */
interface Kept {
  values?: KeptValues;
  online?: KeptOnline;
}

interface DataFlight {
  promise: Promise<DeviceDataResult>;
  /** Reports pushed while the read was in flight: applied over its answer, in order. */
  pushed: Record<string, PropertyReading>[];
}

interface StatusFlight {
  promise: Promise<DeviceStatusesResult>;
  /** Online pushes while the read was in flight: the last per device wins over the answer. */
  pushed: Map<string, boolean>;
}

/**
 * The account's device feed. As a {@link PushSource} it makes one subscription on the account's
 * push connection for the union of its subscribers' devices and hands each subscriber the pushes
 * of its own devices and every state. As {@link DeviceReads} it makes one read per device where
 * several subscribers ask at once (a read in flight is joined), and answers a read from what it
 * keeps while push keeps that current: a device read in the current live session and live since
 * needs no second read. Everything it keeps is of devices someone subscribes to.
 */
export class DeviceFeed implements PushSource, DeviceReads {
  readonly stats: FeedStats = {
    upstreamSubscriptions: 0,
    dataReads: 0,
    statusReads: 0,
    statusDevices: 0,
    answeredFromFeed: 0,
    joined: 0,
  };
  private readonly controller = new AbortController();
  private readonly subscribers = new Map<PushSubscriber, ReadonlySet<string>>();
  private readonly observers = new Set<(update: DeviceUpdate) => void>();
  /** The devices of the subscription made upstream, and the function that ends it. */
  private upstreamIds: ReadonlySet<string> = EMPTY;
  private upstreamEnd: (() => void) | undefined;
  private upstreamToken: object | undefined;
  private syncQueued = false;
  private forceResubscribe = false;
  private current: PushState = { phase: 'idle', live: EMPTY, session: 0 };
  private readonly kept = new Map<string, Kept>();
  private readonly dataFlights = new Map<string, DataFlight>();
  private readonly statusFlights = new Map<string, StatusFlight>();
  /** Devices that are not the user's any more (the home said so): hidden from `live`. */
  private readonly goneIds = new Set<string>();
  /** Wanted devices a live subscription left out, already told to `missing`. */
  private readonly missingIds = new Set<string>();

  constructor(private readonly options: DeviceFeedOptions) {
    // Every read in flight listens to the feed's one signal: as many as devices are read at once.
    setMaxListeners(0, this.controller.signal);
  }

  /** The state as subscribers see it (the connection's, without devices gone from the home). */
  get state(): PushState {
    return this.current;
  }

  /** The devices some subscriber wants pushes for. */
  get wanted(): ReadonlySet<string> {
    return this.upstreamIds;
  }

  /** How many devices the feed keeps values or online states of (bounded by {@link wanted}). */
  get keptDevices(): number {
    return this.kept.size;
  }

  private get closed(): boolean {
    return this.controller.signal.aborted;
  }

  // ---- PushSource ----

  subscribe(subscriber: PushSubscriber): () => void {
    if (this.closed) return () => undefined;
    this.subscribers.set(subscriber, new Set(subscriber.deviceIds));
    queueMicrotask(() => {
      if (this.subscribers.has(subscriber)) guard(() => subscriber.state(this.current));
    });
    this.queueSync();
    return () => {
      if (this.subscribers.delete(subscriber)) this.queueSync();
    };
  }

  /** Hears every device update the feed learns (pushes and reads): the home model's values. */
  observe(listener: (update: DeviceUpdate) => void): () => void {
    this.observers.add(listener);
    return () => this.observers.delete(listener);
  }

  /** What the feed knows of a device's properties now (subscribed devices only). */
  values(deviceId: string): Record<string, PropertyReading> | undefined {
    const values = this.kept.get(deviceId)?.values;
    return values ? Object.fromEntries(values.values) : undefined;
  }

  /**
   * The home says these devices are not the user's any more (removed, or the share ended):
   * each subscriber of one hears it once through `gone`, and the devices leave `live`.
   */
  gone(deviceIds: readonly string[], reason: IotExplorerError): void {
    if (this.closed) return;
    const fresh = deviceIds.filter((id) => !this.goneIds.has(id));
    if (fresh.length === 0) return;
    for (const id of fresh) {
      this.goneIds.add(id);
      this.kept.delete(id);
    }
    for (const [subscriber, ids] of this.subscribers) {
      for (const id of fresh) {
        if (ids.has(id)) guard(() => subscriber.gone?.(id, reason));
      }
    }
    this.setState(this.upstreamState ?? this.current);
  }

  /** The home has these devices again (shared again, bound again): subscribe them anew. */
  back(deviceIds: readonly string[]): void {
    if (this.closed) return;
    const returned = deviceIds.filter((id) => this.goneIds.delete(id));
    if (returned.some((id) => this.upstreamIds.has(id))) {
      // The service forgot the device's subscription when it was lost: a new ActivePush is needed.
      this.forceResubscribe = true;
      this.queueSync();
    }
  }

  /** Ends the subscription, the reads in flight and everything kept, at once. */
  close(): void {
    if (this.closed) return;
    this.controller.abort();
    this.subscribers.clear();
    this.observers.clear();
    const end = this.upstreamEnd;
    this.upstreamEnd = undefined;
    this.upstreamToken = undefined;
    this.upstreamIds = EMPTY;
    end?.();
    this.kept.clear();
    this.dataFlights.clear();
    this.statusFlights.clear();
    this.goneIds.clear();
    this.missingIds.clear();
    this.current = { phase: 'closed', live: EMPTY, session: this.current.session };
  }

  /** Subscribers arriving in one turn (a deploy starts many nodes) change the upstream once. */
  private queueSync(): void {
    if (this.syncQueued || this.closed) return;
    this.syncQueued = true;
    queueMicrotask(() => {
      this.syncQueued = false;
      this.syncUpstream();
    });
  }

  private syncUpstream(): void {
    if (this.closed) return;
    const want = new Set<string>();
    for (const ids of this.subscribers.values()) for (const id of ids) want.add(id);
    const force = this.forceResubscribe;
    this.forceResubscribe = false;
    if (!force && sameSet(want, this.upstreamIds)) return;
    const previous = this.upstreamEnd;
    this.upstreamIds = want;
    this.upstreamEnd = undefined;
    this.upstreamToken = undefined;
    for (const id of this.kept.keys()) if (!want.has(id)) this.kept.delete(id);
    if (want.size > 0 && this.options.pushes) {
      const token = {};
      this.upstreamToken = token;
      const mine = (): boolean => this.upstreamToken === token;
      // The new subscription is made before the old one ends, so the socket never closes between.
      this.upstreamEnd = this.options.pushes.subscribe({
        deviceIds: [...want],
        push: (push) => {
          if (mine()) this.onPush(push);
        },
        state: (state) => {
          if (mine()) this.onState(state);
        },
        unattributedStatus: () => {
          if (mine()) this.onUnattributedStatus();
        },
      });
      this.stats.upstreamSubscriptions += 1;
    } else if (want.size === 0) {
      this.upstreamState = undefined;
      this.setState({ phase: 'idle', live: EMPTY, session: this.current.session });
    }
    previous?.();
  }

  /** The connection's last state, before devices gone were taken out of it. */
  private upstreamState: PushState | undefined;

  private onState(state: PushState): void {
    this.upstreamState = state;
    if (state.phase === 'live') {
      const missing: string[] = [];
      for (const id of this.upstreamIds) {
        if (state.live.has(id)) this.missingIds.delete(id);
        else if (!this.goneIds.has(id) && !this.missingIds.has(id)) missing.push(id);
      }
      for (const id of this.missingIds) if (!this.upstreamIds.has(id)) this.missingIds.delete(id);
      for (const id of missing) this.missingIds.add(id);
      if (missing.length > 0) this.options.missing?.(missing);
    }
    this.setState(state);
  }

  private setState(state: PushState): void {
    let next = state;
    if (this.goneIds.size > 0 && [...this.goneIds].some((id) => state.live.has(id))) {
      next = { ...state, live: new Set([...state.live].filter((id) => !this.goneIds.has(id))) };
    }
    this.current = next;
    for (const subscriber of this.subscribers.keys()) guard(() => subscriber.state(next));
  }

  private onUnattributedStatus(): void {
    // Some device's online state changed, unknown which: no kept online state can be trusted.
    for (const kept of this.kept.values()) kept.online = undefined;
    for (const subscriber of this.subscribers.keys()) {
      guard(() => subscriber.unattributedStatus?.());
    }
  }

  private onPush(push: DevicePush): void {
    const id = push.deviceId;
    if (push.kind === 'properties' && acceptsValues(push)) {
      const readings: Record<string, PropertyReading> = {};
      for (const [property, value] of Object.entries(push.values)) {
        readings[property] = { value, lastUpdate: push.time };
      }
      this.dataFlights.get(id)?.pushed.push(readings);
      const kept = this.kept.get(id)?.values;
      if (kept) setReadings(kept.values, readings);
      this.tellObservers({ deviceId: id, values: { ...push.values } });
    } else if (push.kind === 'online') {
      this.statusFlights.get(id)?.pushed.set(id, push.online);
      const kept = this.kept.get(id);
      if (kept?.online) kept.online = { ...kept.online, online: push.online };
      else if (kept && this.isLive(id)) {
        kept.online = { online: push.online, requestId: '', session: this.current.session };
      }
      this.tellObservers({ deviceId: id, online: push.online });
    }
    for (const [subscriber, ids] of this.subscribers) {
      if (ids.has(id)) guard(() => subscriber.push(push));
    }
  }

  private tellObservers(update: DeviceUpdate): void {
    for (const observer of this.observers) guard(() => observer(update));
  }

  // ---- DeviceReads ----

  /** True while push keeps the device current: it is live in the connection's current session. */
  private isLive(deviceId: string): boolean {
    return this.current.phase === 'live' && this.current.live.has(deviceId);
  }

  private isFresh(deviceId: string, session: number): boolean {
    return session === this.current.session && this.isLive(deviceId);
  }

  private keep(deviceId: string): Kept | undefined {
    if (!this.upstreamIds.has(deviceId) || this.goneIds.has(deviceId)) return undefined;
    let kept = this.kept.get(deviceId);
    if (!kept) {
      kept = {};
      this.kept.set(deviceId, kept);
    }
    return kept;
  }

  getDeviceData(target: DeviceId, options: CallOptions): Promise<DeviceDataResult> {
    if (this.closed) return Promise.reject(closedError());
    const id = DeviceId.format(target);
    const kept = this.kept.get(id)?.values;
    if (kept && this.isFresh(id, kept.session)) {
      this.stats.answeredFromFeed += 1;
      return Promise.resolve({
        requestId: kept.requestId,
        properties: Object.fromEntries(kept.values),
      });
    }
    let flight = this.dataFlights.get(id);
    if (flight) this.stats.joined += 1;
    else flight = this.readData(id, target);
    return abortable(flight.promise, options.signal).then((result) => ({
      requestId: result.requestId,
      properties: { ...result.properties },
    }));
  }

  private readData(id: string, target: DeviceId): DataFlight {
    const session = this.isLive(id) ? this.current.session : -1;
    this.stats.dataReads += 1;
    const flight: DataFlight = {
      pushed: [],
      promise: this.options.reads
        .getDeviceData(
          { productId: target.productId, deviceName: target.deviceName },
          {
            signal: this.controller.signal,
          },
        )
        .then(
          (result) => {
            if (this.dataFlights.get(id) === flight) this.dataFlights.delete(id);
            const kept = this.closed ? undefined : this.keep(id);
            if (kept) {
              const values = new Map<string, PropertyReading>();
              setReadings(values, result.properties);
              for (const pushed of flight.pushed) setReadings(values, pushed);
              kept.values = { values, requestId: result.requestId, session };
              const plain: Record<string, unknown> = {};
              for (const [property, reading] of values) plain[property] = reading.value;
              this.tellObservers({ deviceId: id, values: plain });
            }
            return result;
          },
          (err: unknown) => {
            if (this.dataFlights.get(id) === flight) this.dataFlights.delete(id);
            this.noteRefusal(id, err);
            throw err;
          },
        ),
    };
    // Every caller may have stopped waiting: the failure is theirs to see, never unhandled.
    flight.promise.catch(() => undefined);
    this.dataFlights.set(id, flight);
    return flight;
  }

  async getDeviceStatuses(
    deviceIds: readonly string[],
    options: CallOptions,
  ): Promise<DeviceStatusesResult> {
    if (this.closed) throw closedError();
    const fromFeed = new Map<string, DeviceStatus>();
    const feedRequestIds: string[] = [];
    const flights = new Set<StatusFlight>();
    const toRead: string[] = [];
    for (const id of new Set(deviceIds)) {
      const online = this.kept.get(id)?.online;
      const device = DeviceId.parse(id);
      if (online && device && this.isFresh(id, online.session)) {
        fromFeed.set(id, { deviceId: id, ...device, online: online.online });
        if (online.requestId !== '') feedRequestIds.push(online.requestId);
        continue;
      }
      const flight = this.statusFlights.get(id);
      if (flight) {
        flights.add(flight);
        this.stats.joined += 1;
      } else toRead.push(id);
    }
    if (fromFeed.size > 0) this.stats.answeredFromFeed += 1;
    if (toRead.length > 0) flights.add(this.readStatuses(toRead));
    const results = await Promise.all(
      [...flights].map((flight) => abortable(flight.promise, options.signal)),
    );
    const byId = new Map(fromFeed);
    const requestIds = [...new Set(feedRequestIds)];
    for (const result of results) {
      requestIds.push(...result.requestIds);
      for (const status of result.statuses) byId.set(status.deviceId, status);
    }
    const statuses: DeviceStatus[] = [];
    for (const id of new Set(deviceIds)) {
      const status = byId.get(id);
      if (status) statuses.push({ ...status });
    }
    return { requestIds, statuses };
  }

  private readStatuses(deviceIds: string[]): StatusFlight {
    const sessions = new Map(
      deviceIds.map((id) => [id, this.isLive(id) ? this.current.session : -1]),
    );
    this.stats.statusReads += 1;
    this.stats.statusDevices += deviceIds.length;
    const flight: StatusFlight = {
      pushed: new Map(),
      promise: this.options.reads
        .getDeviceStatuses(deviceIds, { signal: this.controller.signal })
        .then(
          (result) => {
            for (const id of deviceIds) {
              if (this.statusFlights.get(id) === flight) this.statusFlights.delete(id);
            }
            const statuses = result.statuses.map((status) => {
              const pushed = flight.pushed.get(status.deviceId);
              return pushed === undefined ? status : { ...status, online: pushed };
            });
            const answered = new Set(statuses.map((s) => s.deviceId));
            for (const status of statuses) {
              const kept = this.closed ? undefined : this.keep(status.deviceId);
              if (kept) {
                kept.online = {
                  online: status.online,
                  requestId: result.requestIds[result.requestIds.length - 1] ?? '',
                  session: sessions.get(status.deviceId) ?? -1,
                };
              }
              this.tellObservers({ deviceId: status.deviceId, online: status.online });
            }
            for (const id of deviceIds) {
              if (!answered.has(id) && this.upstreamIds.has(id)) {
                this.noteRefusal(
                  id,
                  new IotExplorerError({
                    code: 'ResourceNotFound.DeviceNotExist',
                    key: 'api.deviceNotExist',
                    apiMessage: id,
                  }),
                );
              }
            }
            return { requestIds: result.requestIds, statuses };
          },
          (err: unknown) => {
            for (const id of deviceIds) {
              if (this.statusFlights.get(id) === flight) this.statusFlights.delete(id);
            }
            throw err;
          },
        ),
    };
    flight.promise.catch(() => undefined);
    for (const id of deviceIds) this.statusFlights.set(id, flight);
    return flight;
  }

  private noteRefusal(deviceId: string, err: unknown): void {
    if (this.closed || !(err instanceof IotExplorerError)) return;
    if (NOT_THE_USERS.has(err.code)) this.options.refused?.(deviceId, err);
  }
}

/** Sets readings into a device's kept values, within {@link MAX_KEPT_PROPERTIES} ids. */
function setReadings(
  into: Map<string, PropertyReading>,
  readings: Record<string, PropertyReading>,
): void {
  for (const [property, reading] of Object.entries(readings)) {
    if (!into.has(property) && into.size >= MAX_KEPT_PROPERTIES) continue;
    into.set(property, reading);
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const id of a) if (!b.has(id)) return false;
  return true;
}

/** A subscriber that throws (a node's send can) must not stop the others. */
function guard(call: () => void): void {
  try {
    call();
  } catch {
    // The subscriber's own fault; the feed goes on.
  }
}

function closedError(): IotExplorerError {
  return new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed', notSent: true });
}
