import type { ApiClient, DeviceTarget } from '../api/client';
import { IotExplorerError, LocalErrorCode, deviceNotReported } from '../errors/errors';
import { DeviceId } from '../shared/device-id';

/** After failing rounds the period doubles, up to this (or the interval, if longer). */
export const MAX_BACKOFF_MS = 10 * 60 * 1000;

export interface WatchOptions {
  client: ApiClient;
  /** 'PID/DN' ids, without repeats. */
  deviceIds: readonly string[];
  /** Property ids to watch; empty: all. */
  properties: readonly string[];
  watchState: boolean;
  watchOnline: boolean;
  intervalMs: number;
  /** Report the first poll's values as changes (oldValue/was null) instead of silently. */
  emitInitial: boolean;
}

interface ChangeBase extends DeviceTarget {
  deviceId: string;
  requestId: string;
  /** True for the first poll's values when `emitInitial` is set. */
  initial: boolean;
}

export interface PropertyChange extends ChangeBase {
  kind: 'property';
  property: string;
  /** null when the property had no value before (first poll, or newly reported). */
  oldValue: unknown;
  newValue: unknown;
  lastUpdate: number | null;
}

export interface OnlineChange extends ChangeBase {
  kind: 'online';
  online: boolean;
  was: boolean | null;
}

export type WatchChange = PropertyChange | OnlineChange;

/** What the watcher tells its owner; the owner turns it into messages and status. */
export interface WatchListener {
  change(change: WatchChange): void;
  /**
   * A poll failed. Called once per distinct error code per target until that target recovers,
   * so a device that stays offline for a day does not report every poll.
   */
  failure(err: IotExplorerError, target: { action: string; deviceId?: string }): void;
  /** A round of polls ended: `failed` is its first error, `nextMs` when the next round starts. */
  round(outcome: { failed?: IotExplorerError; nextMs: number }): void;
}

type Poll = () => Promise<IotExplorerError | undefined>;

/** The ids were checked when the node read its list (parseDeviceIds), so each one parses. */
function splitId(deviceId: string): DeviceTarget {
  return DeviceId.parse(deviceId) ?? { productId: deviceId, deviceName: '' };
}

/** Values compare by their JSON: a struct or array that reads the same has not changed. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Polls the online status (one AppGetDeviceStatuses for all devices) and the properties (one
 * AppGetDeviceData per device) of a set of devices, spreading the calls over the interval, and
 * reports what changed since the last poll. The first poll sets the baseline. Failing rounds
 * double the period up to {@link MAX_BACKOFF_MS}; stop() ends everything at once.
 */
export class DeviceWatcher {
  private readonly online = new Map<string, boolean>();
  private readonly values = new Map<string, Map<string, unknown>>();
  /** target → code of the error last reported for it. */
  private readonly reported = new Map<string, string>();
  private readonly controller = new AbortController();
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failedRounds = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly options: WatchOptions,
    private readonly listener: WatchListener,
  ) {}

  /** The calls of one round. Zero when there is nothing to watch. */
  get callsPerRound(): number {
    const { deviceIds, watchOnline, watchState } = this.options;
    if (deviceIds.length === 0) return 0;
    return (watchOnline ? 1 : 0) + (watchState ? deviceIds.length : 0);
  }

  start(): void {
    if (this.running || this.callsPerRound === 0) return;
    this.running = this.loop();
  }

  /** Stops polling and aborts calls in flight; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.controller.abort();
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.running;
  }

  private get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  private period(): number {
    const { intervalMs } = this.options;
    const backedOff = intervalMs * 2 ** Math.min(this.failedRounds, 20);
    return Math.min(backedOff, Math.max(intervalMs, MAX_BACKOFF_MS));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  private polls(): Poll[] {
    const polls: Poll[] = [];
    if (this.options.watchOnline) polls.push(() => this.pollOnline());
    if (this.options.watchState) {
      for (const id of this.options.deviceIds) polls.push(() => this.pollState(id));
    }
    return polls;
  }

  private async loop(): Promise<void> {
    const polls = this.polls();
    while (!this.stopped) {
      // Spread the round's calls evenly over the period, so a large set is not a burst.
      const spacing = this.period() / polls.length;
      let failed: IotExplorerError | undefined;
      for (let i = 0; i < polls.length && !this.stopped; i++) {
        const started = Date.now();
        const err = await polls[i]();
        if (this.stopped) return;
        failed ??= err;
        let wait = spacing;
        if (i === polls.length - 1) {
          this.failedRounds = failed ? this.failedRounds + 1 : 0;
          if (failed) wait = this.period();
          this.listener.round({ failed, nextMs: wait });
        }
        await this.sleep(wait - (Date.now() - started));
      }
    }
  }

  /** Runs one call; returns its error (also reported once), or undefined. */
  private async attempt(
    target: { action: string; deviceId?: string },
    call: () => Promise<void>,
  ): Promise<IotExplorerError | undefined> {
    const key = `${target.action} ${target.deviceId ?? ''}`;
    try {
      await call();
      this.reported.delete(key);
      return undefined;
    } catch (caught) {
      if (this.stopped) return undefined;
      const err =
        caught instanceof IotExplorerError
          ? caught
          : new IotExplorerError({
              code: LocalErrorCode.BadResponse,
              key: 'unexpected',
              params: { reason: caught instanceof Error ? caught.message : String(caught) },
            });
      this.report(key, err, target);
      return err;
    }
  }

  private report(
    key: string,
    err: IotExplorerError,
    target: { action: string; deviceId?: string },
  ): void {
    if (this.reported.get(key) === err.code) return;
    this.reported.set(key, err.code);
    this.listener.failure(err, target);
  }

  private pollOnline(): Promise<IotExplorerError | undefined> {
    const action = 'AppGetDeviceStatuses';
    return this.attempt({ action }, async () => {
      const { deviceIds, emitInitial } = this.options;
      const result = await this.options.client.getDeviceStatuses(deviceIds, {
        signal: this.controller.signal,
      });
      const requestId = result.requestIds[result.requestIds.length - 1] ?? '';
      const byId = new Map(result.statuses.map((s) => [s.deviceId, s]));
      for (const deviceId of deviceIds) {
        const status = byId.get(deviceId);
        const key = `${action} ${deviceId}`;
        if (!status) {
          // Unknown or not bound to this user: a setup problem, reported once, no back-off.
          this.report(key, deviceNotReported(requestId, deviceId), { action, deviceId });
          continue;
        }
        this.reported.delete(key);
        const was = this.online.get(deviceId);
        this.online.set(deviceId, status.online);
        const initial = was === undefined;
        if ((initial && emitInitial) || (!initial && was !== status.online)) {
          this.listener.change({
            kind: 'online',
            ...splitId(deviceId),
            deviceId,
            requestId,
            initial,
            online: status.online,
            was: was ?? null,
          });
        }
      }
    });
  }

  private pollState(deviceId: string): Promise<IotExplorerError | undefined> {
    return this.attempt({ action: 'AppGetDeviceData', deviceId }, async () => {
      const target = splitId(deviceId);
      const { requestId, properties } = await this.options.client.getDeviceData(target, {
        signal: this.controller.signal,
      });
      const known = this.values.get(deviceId);
      const initial = known === undefined;
      const current = known ?? new Map<string, unknown>();
      const wanted = this.options.properties;
      for (const [property, reading] of Object.entries(properties)) {
        if (wanted.length > 0 && !wanted.includes(property)) continue;
        const had = current.has(property);
        const oldValue = current.get(property);
        current.set(property, reading.value);
        const changed = initial ? this.options.emitInitial : !had || !same(oldValue, reading.value);
        if (!changed) continue;
        this.listener.change({
          kind: 'property',
          ...target,
          deviceId,
          requestId,
          initial,
          property,
          oldValue: had ? oldValue : null,
          newValue: reading.value,
          lastUpdate: reading.lastUpdate,
        });
      }
      this.values.set(deviceId, current);
    });
  }
}
