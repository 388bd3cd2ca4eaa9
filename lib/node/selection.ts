// A node's selection at run time: the devices of the account's home a filter matches, resolved
// for each message (control, call action) or each change of the home (watch), so a device added
// later is included without a redeploy; and one message's work on each of them, gathered into
// one result per device.
import type { NodeAPI } from 'node-red';
import type { IotExplorerAccount } from '../account/account';
import type { CallOptions } from '../api/contracts';
import { IotExplorerError, LocalErrorCode, unexpectedError } from '../errors/errors';
import {
  DEFAULT_MAX_SELECTION,
  filterDevices,
  type DeviceRecord,
  type HomeFilter,
} from '../shared/home';
import type { StoredSelectionRead } from '../shared/node-settings';
import { localizeError } from './i18n';

/**
 * Devices worked on at once for one message. The account's flow control bounds what is in flight
 * across all nodes; this keeps one large selection from filling the account's queue by itself.
 */
export const SELECTION_CONCURRENCY = 8;

/** One device's outcome in a selection message's `msg.payload` (an array, in the home's order). */
export interface DeviceResult {
  deviceId: string;
  /** The device record, as in the home node's list. */
  device: DeviceRecord;
  ok: boolean;
  /** What the call gave (ok only): the action's OutputParams, or the control data sent. */
  payload?: unknown;
  /** Why it failed (not ok only): the code a catch node would see, and the text. */
  error?: { code: string; message: string };
  requestId?: string;
  [key: string]: unknown;
}

/** A device a selection matched and the node left out: it lacks the property or action. */
export interface SkippedDevice {
  deviceId: string;
  device: DeviceRecord;
  reason: { code: string; message: string };
}

/** What one device's step says: done (its result's extra fields), or skipped (and why). */
export type DeviceStep =
  | { done: { payload?: unknown; requestId?: string; [key: string]: unknown } }
  | { skip: IotExplorerError };

/** What `msg.iotexplorer` holds for a selection message, besides the node's own fields. */
export interface SelectionInfo {
  selection: { mode: 'filter'; filter: HomeFilter };
  /** Devices acted on (matched and not skipped). */
  count: number;
  /** Of those, how many failed. */
  failed: number;
  skipped: SkippedDevice[];
}

/** The account's largest selection: its setting maxSelection, else {@link DEFAULT_MAX_SELECTION}. */
export function maxSelection(account: IotExplorerAccount): number {
  const max = account.settings.maxSelection;
  return typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_SELECTION;
}

/** The filter as texts in messages: `{"roomId":"r_bedroom"}`. */
export function describeFilter(filter: HomeFilter): string {
  return JSON.stringify(filter);
}

/**
 * A stored filter selection that cannot run: its filter is not one, or sets no field. Nodes
 * report it at deploy (status) and on every message (done(err)).
 */
export function selectionConfigError(read: StoredSelectionRead): IotExplorerError | undefined {
  if (read.selection.mode !== 'filter') return undefined;
  if (read.wrong !== undefined) {
    return new IotExplorerError({
      code: LocalErrorCode.InvalidField,
      key: 'home.invalidFilter',
      params: { field: `selectionFilter${read.wrong.slice('filter'.length)}`, got: '' },
      notSent: true,
    });
  }
  if (read.empty) {
    return new IotExplorerError({
      code: LocalErrorCode.InvalidField,
      key: 'selection.emptyFilter',
      notSent: true,
    });
  }
  return undefined;
}

/**
 * The devices a filter matches now: from the home as last read, else read first (a selection
 * cannot run without the home). None is IOTX_NO_MATCH, more than the account's maximum is
 * IOTX_SELECTION_TOO_LARGE naming it: never silence, never a quiet cut.
 */
export async function resolveSelection(
  account: IotExplorerAccount,
  filter: HomeFilter,
  signal?: AbortSignal,
): Promise<DeviceRecord[]> {
  const devices = await account.home.select(filter, { signal });
  checkSelectionSize(account, filter, devices.length);
  return devices;
}

/** Throws when `count` matched devices are none, or more than the account's maximum. */
export function checkSelectionSize(
  account: IotExplorerAccount,
  filter: HomeFilter,
  count: number,
): void {
  const params = { filter: describeFilter(filter), count, max: maxSelection(account) };
  if (count === 0) {
    throw new IotExplorerError({
      code: LocalErrorCode.NoMatch,
      key: 'selection.noMatch',
      params,
      notSent: true,
    });
  }
  if (count > params.max) {
    throw new IotExplorerError({
      code: LocalErrorCode.SelectionTooLarge,
      key: 'selection.tooLarge',
      params,
      notSent: true,
    });
  }
}

/** The devices matched by the filter among `devices` (a snapshot's list). */
export function selectFrom(devices: readonly DeviceRecord[], filter: HomeFilter): DeviceRecord[] {
  return filterDevices(devices, filter);
}

/**
 * One message's work on every device of a selection: `step` for each (a few at a time), each
 * failure kept as that device's result. Sets `msg.payload` to the results and returns what
 * `msg.iotexplorer` adds; throws IOTX_PARTIAL_FAILURE (after setting them) when any failed, and
 * IOTX_NO_MATCH when every device was skipped. A node closing meanwhile ends the work: the
 * devices not begun are not called, and the life cycle ends the message quietly.
 */
export async function runOnSelection(
  RED: NodeAPI,
  options: {
    account: IotExplorerAccount;
    filter: HomeFilter;
    callOptions: CallOptions;
    msg: { payload?: unknown };
    /** The message's `msg.iotexplorer`: gets the {@link SelectionInfo} fields, also on errors. */
    info: object;
    /** What a skipped device lacks, for the error when every one was skipped. */
    lacking: string;
    step(record: DeviceRecord): Promise<DeviceStep>;
  },
): Promise<SelectionInfo> {
  const { account, filter, callOptions, msg } = options;
  (options.info as Partial<SelectionInfo>).selection = { mode: 'filter', filter: { ...filter } };
  const signal = callOptions.signal;
  const devices = await resolveSelection(account, filter, signal);
  const outcomes = new Array<DeviceResult | SkippedDevice | undefined>(devices.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let at = next++; at < devices.length; at = next++) {
      if (signal?.aborted) return;
      const device = devices[at];
      const base = { deviceId: device.deviceId, device };
      try {
        const step = await options.step(device);
        outcomes[at] =
          'skip' in step
            ? { ...base, reason: described(RED, step.skip) }
            : { ...base, ok: true, ...step.done };
      } catch (caught) {
        const err = unexpectedError(caught);
        outcomes[at] = {
          ...base,
          ok: false,
          error: described(RED, err),
          ...(err.requestId === undefined ? {} : { requestId: err.requestId }),
        };
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(SELECTION_CONCURRENCY, devices.length) }, worker),
  );
  if (signal?.aborted) {
    throw new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed', notSent: true });
  }
  const results: DeviceResult[] = [];
  const skipped: SkippedDevice[] = [];
  for (const outcome of outcomes) {
    if (!outcome) continue;
    if ('ok' in outcome) results.push(outcome);
    else skipped.push(outcome);
  }
  const failures = results.filter((result) => !result.ok);
  const info: SelectionInfo = {
    selection: { mode: 'filter', filter: { ...filter } },
    count: results.length,
    failed: failures.length,
    skipped,
  };
  msg.payload = results;
  Object.assign(options.info, info);
  if (results.length === 0) {
    throw new IotExplorerError({
      code: LocalErrorCode.NoMatch,
      key: 'selection.allSkipped',
      params: { filter: describeFilter(filter), count: skipped.length, what: options.lacking },
      notSent: true,
    });
  }
  if (failures.length > 0) {
    const first = failures[0];
    throw new IotExplorerError({
      code: LocalErrorCode.PartialFailure,
      key: 'selection.partialFailure',
      params: {
        failed: failures.length,
        count: results.length,
        device: first.deviceId,
        reason: first.error?.code ?? '',
      },
    });
  }
  return info;
}

function described(RED: NodeAPI, err: IotExplorerError): { code: string; message: string } {
  return { code: err.code, message: localizeError(RED, err).message };
}
