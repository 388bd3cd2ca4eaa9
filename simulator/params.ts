// What the Action handlers share: their context, and readers for request params that turn a
// missing param into ErrorRequiredParamNotFound and a mistyped one into InvalidParameterValue.

import { errors } from './envelope';
import type { SimulatorModel } from './model';
import type { ActionCall } from './types';

export type Params = Record<string, unknown>;
export type Fields = Record<string, unknown>;

export interface ApiContext {
  readonly model: SimulatorModel;
  /** The clock, ms. */
  now(): number;
  /** Waits (device delays); rejects when the simulator closes. */
  sleep(ms: number): Promise<void>;
  /** Runs later (async actions); cancelled when the simulator closes. */
  after(ms: number, fn: () => void): void;
  readonly syncActionTimeoutMs: number;
  readonly timestampWindowSeconds: number;
  /** Records an action the device executed. */
  recordAction(call: ActionCall): void;
}

/** A required string param; "" counts as missing. */
export function requiredString(params: Params, name: string): string {
  const v = params[name];
  if (v === undefined || v === null || v === '') throw errors.requiredParam(name);
  if (typeof v !== 'string') throw errors.badParam(`${name} must be a string`);
  return v;
}

export function optionalString(params: Params, name: string): string | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw errors.badParam(`${name} must be a string`);
  return v;
}

/** An optional integer param; numeric strings are refused (the API's Int params are numbers). */
export function optionalInt(
  params: Params,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw errors.badParam(`${name} must be an integer from ${min} to ${max}`);
  }
  return v;
}

export function optionalStringArray(
  params: Params,
  name: string,
  maxItems: number,
): string[] | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    throw errors.badParam(`${name} must be an array of strings`);
  }
  if (v.length > maxItems) throw errors.badParam(`${name} must have at most ${maxItems} items`);
  return v;
}

/** Offset/Limit paging. The API caps Limit at 50. */
export function paging(params: Params): { offset: number; limit: number } {
  const offset = optionalInt(params, 'Offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const limit = optionalInt(params, 'Limit', 1, 50) ?? 20;
  return { offset, limit };
}

/** Splits 'PID/DN'; undefined when malformed. */
export function splitDeviceId(
  deviceId: string,
): { productId: string; deviceName: string } | undefined {
  const slash = deviceId.indexOf('/');
  if (slash <= 0 || slash === deviceId.length - 1 || deviceId.indexOf('/', slash + 1) >= 0) {
    return undefined;
  }
  return { productId: deviceId.slice(0, slash), deviceName: deviceId.slice(slash + 1) };
}

/** The device a request names, by ProductId + DeviceName or by DeviceId 'PID/DN'. */
export function namedDevice(params: Params): { productId: string; deviceName: string } {
  const noPair =
    (params.ProductId === undefined || params.ProductId === '') &&
    (params.DeviceName === undefined || params.DeviceName === '');
  if (noPair && params.DeviceId !== undefined) {
    const deviceId = requiredString(params, 'DeviceId');
    const parts = splitDeviceId(deviceId);
    if (!parts) throw errors.badParam('DeviceId must be "ProductId/DeviceName"');
    return parts;
  }
  return {
    productId: requiredString(params, 'ProductId'),
    deviceName: requiredString(params, 'DeviceName'),
  };
}

/** The device a request names, for fault matching; never throws. */
export function deviceKeyOf(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const p = params as Params;
  if (typeof p.ProductId === 'string' && typeof p.DeviceName === 'string') {
    return `${p.ProductId}/${p.DeviceName}`;
  }
  return typeof p.DeviceId === 'string' ? p.DeviceId : undefined;
}
