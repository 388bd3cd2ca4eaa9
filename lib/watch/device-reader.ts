import type { CallOptions, DeviceDataResult, DeviceStatusesResult } from '../api/client';
import type { DeviceId } from '../shared/device-id';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';
import { splitId, type ChangeTracker, type Origin } from './changes';

/**
 * The two reads a watcher makes: the account's ApiClient answers them over HTTP; a feed shared by
 * several nodes, or a test's fake, can answer them too. Both reject with an IotExplorerError.
 */
export interface DeviceReads {
  /** `AppGetDeviceStatuses`: the online state of any number of 'PID/DN' ids. */
  getDeviceStatuses(
    deviceIds: readonly string[],
    options: CallOptions,
  ): Promise<DeviceStatusesResult>;
  /** `AppGetDeviceData`: one device's property values. */
  getDeviceData(target: DeviceId, options: CallOptions): Promise<DeviceDataResult>;
}

/** Where a read failed: the Action, and the device for a per-device read. */
export interface ReadTarget {
  action: string;
  deviceId?: string;
}

/**
 * Reads devices with the API and hands what it finds to a {@link ChangeTracker}: one
 * AppGetDeviceStatuses for the online state of many devices, one AppGetDeviceData per device for
 * its properties. A failure is reported once per distinct error code per target until that target
 * recovers, so a device that stays offline for a day is not reported on every read.
 */
export class DeviceReader {
  /** target → code of the error last reported for it. */
  private readonly reported = new Map<string, string>();

  constructor(
    private readonly reads: DeviceReads,
    private readonly tracker: ChangeTracker,
    private readonly signal: AbortSignal,
    private readonly onFailure: (err: IotExplorerError, target: ReadTarget) => void,
  ) {}

  /** The online state of `deviceIds`; returns the call's error (also reported once), or undefined. */
  readOnline(
    deviceIds: readonly string[],
    origin: Omit<Origin, 'action' | 'requestId'>,
  ): Promise<IotExplorerError | undefined> {
    const action = 'AppGetDeviceStatuses';
    return this.attempt({ action }, async () => {
      const result = await this.reads.getDeviceStatuses(deviceIds, { signal: this.signal });
      if (this.signal.aborted) return;
      const requestId = result.requestIds[result.requestIds.length - 1] ?? '';
      const byId = new Map(result.statuses.map((s) => [s.deviceId, s]));
      for (const deviceId of deviceIds) {
        const status = byId.get(deviceId);
        const key = `${action} ${deviceId}`;
        if (!status) {
          // Unknown or not bound to this user: a setup problem, reported once, no back-off.
          this.report(
            key,
            new IotExplorerError({
              code: 'ResourceNotFound.DeviceNotExist',
              key: 'api.deviceNotExist',
              apiMessage: deviceId,
              requestId,
            }),
            { action, deviceId },
          );
          continue;
        }
        this.reported.delete(key);
        this.tracker.setOnline(deviceId, status.online, { ...origin, action, requestId });
      }
    });
  }

  /** The property values of one device; returns the call's error, or undefined. */
  readValues(
    deviceId: string,
    origin: Omit<Origin, 'action' | 'requestId'>,
  ): Promise<IotExplorerError | undefined> {
    const action = 'AppGetDeviceData';
    return this.attempt({ action, deviceId }, async () => {
      const { requestId, properties } = await this.reads.getDeviceData(splitId(deviceId), {
        signal: this.signal,
      });
      if (this.signal.aborted) return;
      this.tracker.setProperties(deviceId, properties, { ...origin, action, requestId });
    });
  }

  /** Runs one call; returns its error (also reported once), or undefined. */
  private async attempt(
    target: ReadTarget,
    call: () => Promise<void>,
  ): Promise<IotExplorerError | undefined> {
    const key = `${target.action} ${target.deviceId ?? ''}`;
    try {
      await call();
      this.reported.delete(key);
      return undefined;
    } catch (caught) {
      if (this.signal.aborted) return undefined;
      const err =
        caught instanceof IotExplorerError
          ? caught
          : new IotExplorerError({
              code: LocalErrorCode.Unexpected,
              key: 'unexpected',
              params: { reason: caught instanceof Error ? caught.message : String(caught) },
            });
      this.report(key, err, target);
      return err;
    }
  }

  private report(key: string, err: IotExplorerError, target: ReadTarget): void {
    if (this.reported.get(key) === err.code) return;
    this.reported.set(key, err.code);
    this.onFailure(err, target);
  }
}
