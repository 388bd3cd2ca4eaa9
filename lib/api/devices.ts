// A device's calls: its actions (AppCallDeviceActionSync/Async), setting its properties
// (AppControlDeviceData), reading them (AppGetDeviceData) and whether devices are online
// (AppGetDeviceStatuses).

import type { ApiRequester, CallOptions } from './contracts';
import { asText, isRecord, splitPackedCode } from './envelope';
import { ActionStatusError, IotExplorerError, LocalErrorCode, apiErrorKey } from '../errors/errors';
import { DeviceId } from '../shared/device-id';

/**
 * AppGetDeviceStatuses takes at most this many DeviceIds per call. The tokenapi page gives no
 * limit; the cloud API's own AppGetDeviceStatuses allows 1000 (docs/http-api.md, "Device state and control"), and
 * the simulator enforces the same. Every caller (nodes, watcher, editor) batches by this one.
 */
export const MAX_STATUS_DEVICE_IDS = 1000;

export interface DeviceActionRequest extends DeviceId {
  actionId: string;
  /** Already a JSON string; left out of the request when undefined. */
  inputParams?: string;
}

export interface DeviceActionResult {
  requestId: string;
  clientToken: string;
  status: string;
  /** The raw OutputParams string, or null when the API had none. */
  outputParams: string | null;
}

export interface ControlDataRequest extends DeviceId {
  /** Property id → value, already a JSON string. */
  data: string;
}

/** One property as `AppGetDeviceData` reports it. */
export interface PropertyReading {
  value: unknown;
  /** ms since the epoch; null when the reply gives none. */
  lastUpdate: number | null;
}

export interface DeviceDataResult {
  requestId: string;
  properties: Record<string, PropertyReading>;
}

export interface DeviceStatus extends DeviceId {
  /** 'ProductId/DeviceName' */
  deviceId: string;
  online: boolean;
}

export interface DeviceStatusesResult {
  /** One per batch of {@link MAX_STATUS_DEVICE_IDS} ids, in order. */
  requestIds: string[];
  /** The devices the API reported, in its order; ids it does not know are left out. */
  statuses: DeviceStatus[];
}

/** The two Actions that call a device's action. */
export type ActionCall = 'AppCallDeviceActionSync' | 'AppCallDeviceActionAsync';

/**
 * `AppCallDeviceActionSync` (the device answers within the call) or `…Async` (the reply says
 * `Sent`). A Status of `FailedOperation…` (device offline) is thrown as an {@link ActionStatusError}.
 */
export async function callDeviceAction(
  api: ApiRequester,
  action: ActionCall,
  call: DeviceActionRequest,
  options: CallOptions = {},
): Promise<DeviceActionResult> {
  const params: Record<string, unknown> = {
    ProductId: call.productId,
    DeviceName: call.deviceName,
    ActionId: call.actionId,
  };
  if (call.inputParams !== undefined) params.InputParams = call.inputParams;
  const { requestId, data } = await api.request(action, params, options);
  return toActionResult(requestId, data);
}

/** `AppControlDeviceData`: sets properties of a device. */
export async function controlDeviceData(
  api: ApiRequester,
  call: ControlDataRequest,
  options: CallOptions = {},
): Promise<{ requestId: string }> {
  const { requestId } = await api.request(
    'AppControlDeviceData',
    { ProductId: call.productId, DeviceName: call.deviceName, Data: call.data },
    options,
  );
  return { requestId };
}

/** `AppGetDeviceData`: the device's last reported property values with their times. */
export async function getDeviceData(
  api: ApiRequester,
  device: DeviceId,
  options: CallOptions = {},
): Promise<DeviceDataResult> {
  const { requestId, data } = await api.request(
    'AppGetDeviceData',
    { ProductId: device.productId, DeviceName: device.deviceName },
    options,
  );
  return { requestId, properties: toPropertyReadings(data.Data, requestId) };
}

/**
 * `AppGetDeviceStatuses` for any number of 'ProductId/DeviceName' ids: sent in batches of
 * {@link MAX_STATUS_DEVICE_IDS}, one after another, so a long list never trips the limit. A
 * reply never holds more devices than its batch asked for: any beyond that are not read.
 */
export async function getDeviceStatuses(
  api: ApiRequester,
  deviceIds: readonly string[],
  options: CallOptions = {},
): Promise<DeviceStatusesResult> {
  const result: DeviceStatusesResult = { requestIds: [], statuses: [] };
  for (let start = 0; start < deviceIds.length; start += MAX_STATUS_DEVICE_IDS) {
    const batch = deviceIds.slice(start, start + MAX_STATUS_DEVICE_IDS);
    const { requestId, data } = await api.request(
      'AppGetDeviceStatuses',
      { DeviceIds: batch },
      options,
    );
    result.requestIds.push(requestId);
    // The doc's table says Devices, its example DeviceStatuses: read both.
    const list = data.DeviceStatuses ?? data.Devices;
    if (!Array.isArray(list)) continue;
    for (const entry of (list as unknown[]).slice(0, batch.length)) {
      const status = toDeviceStatus(entry);
      if (status) result.statuses.push(status);
    }
  }
  return result;
}

/**
 * Reads AppGetDeviceData's `Data`: a JSON string of `{id: {Value, LastUpdate}}` (an object is
 * tolerated). Anything else is a reply we cannot read.
 */
export function toPropertyReadings(
  raw: unknown,
  requestId: string,
): Record<string, PropertyReading> {
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
  }
  if (!isRecord(parsed)) {
    throw new IotExplorerError({
      code: LocalErrorCode.BadResponse,
      key: 'badResponse',
      params: { reason: 'Data is not a JSON object of properties' },
      requestId,
    });
  }
  const readings: Record<string, PropertyReading> = {};
  for (const [id, entry] of Object.entries(parsed)) {
    const lastUpdate = isRecord(entry) ? Number(entry.LastUpdate) : NaN;
    readings[id] = {
      value: isRecord(entry) && 'Value' in entry ? entry.Value : entry,
      lastUpdate: Number.isFinite(lastUpdate) ? lastUpdate : null,
    };
  }
  return readings;
}

/**
 * One entry of AppGetDeviceStatuses. The doc's comment says 0 = online, but the official app
 * and SDK treat `Online: 1` as online (docs/http-api.md, "Device state and control"): so do we.
 */
function toDeviceStatus(entry: unknown): DeviceStatus | undefined {
  if (!isRecord(entry)) return undefined;
  const named = { productId: asText(entry.ProductId), deviceName: asText(entry.DeviceName) };
  const deviceId = asText(entry.DeviceId) || DeviceId.format(named);
  const device =
    named.productId !== '' && named.deviceName !== '' ? named : DeviceId.parse(deviceId);
  if (!device) return undefined;
  return { deviceId, ...device, online: Number(entry.Online) === 1 };
}

/** Reads an action reply; the doc's table misspells OutputParams as OutputParqams, so accept both. */
export function toActionResult(
  requestId: string,
  data: Record<string, unknown>,
): DeviceActionResult {
  const status = asText(data.Status);
  const rawOutput = data.OutputParams ?? data.OutputParqams;
  const result: DeviceActionResult = {
    requestId,
    clientToken: asText(data.ClientToken),
    status,
    outputParams: rawOutput === undefined || rawOutput === null ? null : asText(rawOutput),
  };
  if (status.startsWith('FailedOperation')) {
    const packed = splitPackedCode(status);
    const code = packed.code ?? status;
    throw new ActionStatusError(
      { code, key: apiErrorKey(code), apiMessage: packed.code ? packed.text : '', requestId },
      { status, clientToken: result.clientToken, raw: data },
    );
  }
  return result;
}
