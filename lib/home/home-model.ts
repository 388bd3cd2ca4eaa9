// The home of one account, shared by all its nodes: families, rooms and devices (the user's own
// and those shared with the user), read lazily and once, kept current by a refresh on a schedule
// and on demand, and by the device feed's pushes for the devices someone subscribes to.

import type { CallOptions, PropertyReading } from '../api/client';
import type { CallLane } from '../api/contracts';
import { SideLane } from '../api/flow-control';
import { abortable } from '../api/template-cache';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';
import type { PushSource } from '../push/push-connection';
import {
  DEFAULT_HOME_REFRESH_MINUTES,
  bareRecord,
  filterDevices,
  type DeviceRecord,
  type HomeChange,
  type HomeFamily,
  type HomeFilter,
  type HomeSnapshot,
} from '../shared/home';
import { DeviceId } from '../shared/device-id';
import type { DeviceReads } from '../watch/device-reader';
import { DeviceFeed, type DeviceUpdate } from './device-feed';
import { diffHomes } from './home-diff';
import { readHome, type HomeApi } from './home-reader';

/** A failed refresh is tried again after this, doubling up to the refresh interval. */
export const DEFAULT_HOME_RETRY_MS = 30_000;

/**
 * A read refused because a device is not the user's any more asks for a refresh; such refreshes
 * come at most this often, so a flow that keeps calling a removed device does not read the home
 * on every call.
 */
export const MIN_HOME_REFRESH_GAP_MS = 30_000;

/**
 * The background reads' own lane: 2 calls at once (a read asks each family's rooms and devices
 * together), and room for every list of a large home to wait (2 per family and the shared list).
 */
export const HOME_LANE_IN_FLIGHT = 2;
export const HOME_LANE_QUEUE = 64;

export interface HomeModelOptions {
  /** The account's API client: the home's lists and the devices' reads. */
  api: HomeApi & DeviceReads;
  /** The account's push connection, when it has one. */
  pushes: PushSource | undefined;
  /** Minutes between refreshes (the account's setting); default {@link DEFAULT_HOME_REFRESH_MINUTES}. */
  refreshMinutes?: number;
  /** First back-off after a failed refresh; default {@link DEFAULT_HOME_RETRY_MS}. */
  retryMs?: number;
  /** Least time between refreshes asked for by refused reads; default {@link MIN_HOME_REFRESH_GAP_MS}. */
  minRefreshGapMs?: number;
  /**
   * A record asked for a device the home does not know starts the home's first read, in the
   * background (once per account): the account's Device names `home`. Default false.
   */
  readForNames?: boolean;
  /** The account's name, for errors. */
  accountName?: string;
  /** Told each failed refresh (already free of secrets): the account node logs it. */
  onRefreshFailed?(err: IotExplorerError, stale: boolean): void;
}

/** How a refresh ended, for listeners (a node's status). */
export interface HomeRefresh {
  ok: boolean;
  /** True while the model shows the last complete read because later ones failed. */
  stale: boolean;
  error?: IotExplorerError;
  /** When the next refresh starts, ms from now. */
  nextMs: number;
}

/** What the model has done, for tests and the benchmark. */
export interface HomeModelStats {
  /** Reads of the whole home begun, and those that failed. */
  reads: number;
  failedReads: number;
}

/**
 * One account's home. Nothing is read until someone asks (a snapshot, a record, a subscription to
 * the feed); then the home is read once (one read in flight, whoever asks), again every
 * `refreshMinutes`, on demand, and soon after a read was refused because a device left. A refresh
 * is applied only when every list was read in full: one cut short (an error, a list past its read
 * budget) leaves the last complete home in place, marked stale, reports no change, and is tried
 * again with back-off. Changes between complete reads are told to {@link onChange} listeners.
 * `close()` ends the schedule, the reads and the feed at once.
 */
export class HomeModel {
  /** The account's shared device feed: one push subscription and one read per device. */
  readonly feed: DeviceFeed;
  readonly stats: HomeModelStats = { reads: 0, failedReads: 0 };
  private readonly controller = new AbortController();
  /**
   * The lane of the reads nobody waits for (the first read started for names, the scheduled
   * refreshes): beside the account's flow control, so that they never take a flow's place in
   * its queue, nor fill it. Reads a node waits for (a selection, a home node) are the flows'.
   */
  private readonly backgroundLane: CallLane = new SideLane({
    maxInFlight: HOME_LANE_IN_FLIGHT,
    maxQueue: HOME_LANE_QUEUE,
    full: () =>
      new IotExplorerError({
        code: LocalErrorCode.QueueFull,
        key: 'queueFull',
        params: { maxInFlight: HOME_LANE_IN_FLIGHT, maxQueue: HOME_LANE_QUEUE },
        notSent: true,
      }),
  });
  private readonly refreshMs: number;
  private readonly retryMs: number;
  private readonly minGapMs: number;
  private families: readonly HomeFamily[] = [];
  private records = new Map<string, DeviceRecord>();
  private productNames = new Map<string, string>();
  private loadedAt: number | null = null;
  private stale = false;
  private failures = 0;
  private lastError: IotExplorerError | undefined;
  /** When the last read ended (ms), and when the next may start after a failure. */
  private lastReadEnd = 0;
  private notBefore = 0;
  private flight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private readonly changeListeners = new Set<(changes: HomeChange[]) => void>();
  private readonly refreshListeners = new Set<(refresh: HomeRefresh) => void>();

  constructor(private readonly options: HomeModelOptions) {
    const minutes = options.refreshMinutes;
    this.refreshMs =
      (typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0
        ? minutes
        : DEFAULT_HOME_REFRESH_MINUTES) * 60_000;
    this.retryMs = options.retryMs ?? DEFAULT_HOME_RETRY_MS;
    this.minGapMs = options.minRefreshGapMs ?? MIN_HOME_REFRESH_GAP_MS;
    this.feed = new DeviceFeed({
      pushes: options.pushes,
      reads: options.api,
      refused: () => this.refreshSoon(),
      missing: () => this.refreshSoon(),
    });
    this.feed.observe((update) => this.onDeviceUpdate(update));
  }

  /** True once the home has been read in full at least once. */
  get loaded(): boolean {
    return this.loadedAt !== null;
  }

  /** True while reads or a schedule are pending (none after close). */
  get busy(): boolean {
    return this.flight !== undefined || this.timer !== undefined;
  }

  private get closed(): boolean {
    return this.controller.signal.aborted;
  }

  /**
   * The home: read first if it never was (one read, whoever asks), read again first with
   * `refresh`. A failed refresh returns the last complete home marked stale; with none, it throws
   * IOTX_HOME_UNAVAILABLE naming why (or the API's own error, as its cause).
   */
  async snapshot(options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<HomeSnapshot> {
    if (this.closed) throw closedError();
    if (options.refresh || this.loadedAt === null) {
      if (this.loadedAt === null && !this.flight && Date.now() < this.notBefore && this.lastError) {
        // Failing, and its back-off not over: say so without asking the service again.
        throw this.unavailable(this.lastError);
      }
      try {
        await abortable(this.refresh(), options.signal);
      } catch (err) {
        if (this.closed || options.signal?.aborted) throw closedError();
        if (this.loadedAt === null) throw this.unavailable(asError(err));
      }
    }
    return this.view();
  }

  /** The home as last read, without waiting; undefined before the first complete read. */
  current(): HomeSnapshot | undefined {
    return this.loadedAt === null ? undefined : this.view();
  }

  /** The record of a device the home knows, without waiting. */
  known(deviceId: string): DeviceRecord | undefined {
    return this.records.get(deviceId);
  }

  /**
   * The device's record if the home knows it, else one with its ids only: never waits. With
   * `readForNames`, the first such record starts the home's first read in the background (once
   * per account), so that later messages have names; without it the names come once something
   * else reads the home (a home node, a selection, the panel, a watch's device feed).
   */
  recordFor(productId: string, deviceName: string): DeviceRecord {
    const known = this.records.get(DeviceId.format({ productId, deviceName }));
    if (known) return known;
    if (this.options.readForNames) this.ensureLoaded();
    return bareRecord(productId, deviceName);
  }

  /** The devices a filter matches now (the home read first if it never was). */
  async select(
    filter: HomeFilter,
    options: { signal?: AbortSignal } = {},
  ): Promise<DeviceRecord[]> {
    const snapshot = await this.snapshot({ signal: options.signal });
    return filterDevices(snapshot.devices, filter);
  }

  /**
   * The device's property values as the feed knows them (devices someone subscribes to), else
   * one read through the feed (joined with any read of it in flight).
   */
  async values(
    deviceId: string,
    options: CallOptions = {},
  ): Promise<Record<string, PropertyReading>> {
    const kept = this.feed.values(deviceId);
    if (kept) return kept;
    const device = DeviceId.parse(deviceId);
    if (!device) return {};
    return (await this.feed.getDeviceData(device, options)).properties;
  }

  /** Hears the changes of each complete refresh (none for the first read). */
  onChange(listener: (changes: HomeChange[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Hears how each refresh ended. */
  onRefresh(listener: (refresh: HomeRefresh) => void): () => void {
    this.refreshListeners.add(listener);
    return () => this.refreshListeners.delete(listener);
  }

  /** Starts the first read in the background, unless it was made, is under way or backs off. */
  ensureLoaded(): void {
    if (this.closed || this.loadedAt !== null || this.flight || this.timer) return;
    this.background();
  }

  /**
   * A refresh soon: now, or once {@link MIN_HOME_REFRESH_GAP_MS} has passed since the last read
   * ended (whichever is later), unless one is under way or due sooner.
   */
  refreshSoon(): void {
    if (this.closed || this.flight) return;
    const at = Math.max(Date.now(), this.lastReadEnd + this.minGapMs, this.notBefore);
    if (this.timer && this.timerAt <= at) return;
    this.schedule(at - Date.now());
  }

  /** Ends the schedule, the read under way and the feed at once; later calls fail as closed. */
  close(): void {
    if (this.closed) return;
    this.controller.abort();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.feed.close();
    this.changeListeners.clear();
    this.refreshListeners.clear();
    this.records = new Map();
    this.families = [];
    this.productNames = new Map();
  }

  private view(): HomeSnapshot {
    return {
      families: [...this.families],
      devices: [...this.records.values()],
      loadedAt: this.loadedAt,
      stale: this.stale,
    };
  }

  private background(): void {
    this.refresh(this.backgroundLane).catch(() => undefined);
  }

  /**
   * One read in flight at a time: whoever asks meanwhile waits for it. `lane`: where its calls
   * wait for their turn (the account's flow control when absent).
   */
  private refresh(lane?: CallLane): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    this.flight ??= this.readOnce(lane).finally(() => {
      this.flight = undefined;
    });
    return this.flight;
  }

  private async readOnce(lane: CallLane | undefined): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stats.reads += 1;
    try {
      const read = await readHome(this.options.api, {
        signal: this.controller.signal,
        knownProductNames: this.productNames,
        lane,
      });
      if (this.closed) throw closedError();
      this.lastReadEnd = Date.now();
      this.failures = 0;
      this.lastError = undefined;
      this.notBefore = 0;
      this.apply(read.families, read.devices, read.productNames);
      this.schedule(this.refreshMs);
      this.tellRefresh({ ok: true, stale: false, nextMs: this.refreshMs });
    } catch (caught) {
      if (this.closed) throw closedError();
      const err = asError(caught);
      this.stats.failedReads += 1;
      this.lastReadEnd = Date.now();
      this.failures += 1;
      this.lastError = err;
      this.stale = this.loadedAt !== null;
      const wait = Math.min(
        this.retryMs * 2 ** Math.min(this.failures - 1, 20),
        Math.max(this.refreshMs, this.retryMs),
      );
      this.notBefore = Date.now() + wait;
      this.schedule(wait);
      this.options.onRefreshFailed?.(err, this.stale);
      this.tellRefresh({ ok: false, stale: this.stale, error: err, nextMs: wait });
      throw err;
    }
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timerAt = Date.now() + Math.max(0, ms);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.background();
      },
      Math.max(0, ms),
    );
  }

  private apply(
    families: HomeFamily[],
    devices: DeviceRecord[],
    productNames: Map<string, string>,
  ): void {
    const first = this.loadedAt === null;
    const previous = this.records;
    const changes = first ? [] : diffHomes([...previous.values()], devices);
    this.families = families.map(freezeFamily);
    this.records = new Map(devices.map((d) => [d.deviceId, Object.freeze(d)]));
    this.productNames = productNames;
    this.loadedAt = Date.now();
    this.stale = false;
    // Subscribers of a device the home does not hold (any more) are told, once.
    for (const id of this.feed.wanted) {
      if (!this.records.has(id)) this.feed.gone([id], goneError(id, previous.get(id)?.shared));
    }
    const back = changes.filter((c) => c.kind === 'added' || c.kind === 'shared');
    if (back.length > 0) this.feed.back(back.map((c) => c.device.deviceId));
    if (changes.length === 0) return;
    for (const listener of this.changeListeners) {
      try {
        listener(changes);
      } catch {
        // A listener's fault (a node's send) must not stop the others or the model.
      }
    }
  }

  private tellRefresh(refresh: HomeRefresh): void {
    for (const listener of this.refreshListeners) {
      try {
        listener(refresh);
      } catch {
        // as above
      }
    }
  }

  /** Push (or a read) told a device's online state: its record follows. */
  private onDeviceUpdate(update: DeviceUpdate): void {
    if (update.online === undefined) return;
    const record = this.records.get(update.deviceId);
    if (!record || record.online === update.online) return;
    this.records.set(update.deviceId, Object.freeze({ ...record, online: update.online }));
  }

  private unavailable(cause: IotExplorerError): IotExplorerError {
    if (cause.code === LocalErrorCode.Closed) return cause;
    return new IotExplorerError({
      code: cause.code,
      key: 'home.notLoaded',
      params: { account: this.options.accountName ?? '', reason: cause.message },
      requestId: cause.requestId,
      apiMessage: cause.apiMessage,
    });
  }
}

function freezeFamily(family: HomeFamily): HomeFamily {
  return Object.freeze({
    ...family,
    rooms: Object.freeze(
      family.rooms.map((room) => Object.freeze({ ...room })),
    ) as HomeFamily['rooms'],
  });
}

/** The reason a subscriber of a device that is not (or no longer) in the home is told. */
function goneError(deviceId: string, wasShared: boolean | undefined): IotExplorerError {
  const unshared = wasShared === true;
  return new IotExplorerError({
    code: LocalErrorCode.DeviceGone,
    key: unshared ? 'home.deviceUnshared' : 'home.deviceRemoved',
    params: {
      device: deviceId,
      action: unshared ? 'AppListUserShareDevices' : 'AppGetFamilyDeviceList',
    },
  });
}

function closedError(): IotExplorerError {
  return new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed', notSent: true });
}

function asError(err: unknown): IotExplorerError {
  return err instanceof IotExplorerError
    ? err
    : new IotExplorerError({
        code: LocalErrorCode.Unexpected,
        key: 'unexpected',
        params: { reason: err instanceof Error ? err.message : String(err) },
      });
}
