// The tokenapi Actions (called with a user's AccessToken). A user sees the devices bound to
// families they belong to, and the devices other users share with them.

import { randomBytes } from 'node:crypto';
import { ACTION_UNREACHABLE, errors } from './envelope';
import { automationActions } from './automations';
import { controlDevice, visibleDevice } from './device-access';
import { historyActions } from './history';
import { homeActions } from './home-api';
import type { ModelDevice, ModelUser } from './model';
import { getProductsConfig } from './panel-config';
import {
  optionalStringArray,
  requiredString,
  splitDeviceId,
  type ApiContext,
  type Fields,
  type Params,
} from './params';
import { sceneActions } from './scenes';
import { checkValue, type TemplateAction } from './template';

export type TokenHandler = (
  params: Params,
  ctx: ApiContext,
  user: ModelUser,
  token: string,
) => Fields | Promise<Fields>;

/** AppGetDeviceStatuses accepts at most this many DeviceIds. */
export const MAX_STATUS_DEVICE_IDS = 1000;

function clientToken(): string {
  return randomBytes(16).toString('hex');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a param that carries a JSON object as a string ("" or absent: {} when optional). */
function jsonObjectParam(params: Params, name: string, optional: boolean): Record<string, unknown> {
  const raw = params[name];
  if ((raw === undefined || raw === null || raw === '') && optional) return {};
  if (raw === undefined || raw === null || raw === '') throw errors.requiredParam(name);
  if (typeof raw !== 'string') throw errors.badParam(`${name} must be a JSON string`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw errors.invalidJson(`${name} is not valid JSON`);
  }
  if (!isPlainObject(parsed)) throw errors.invalidJson(`${name} must be a JSON object`);
  return parsed;
}

function checkActionInput(action: TemplateAction, input: Record<string, unknown>): void {
  for (const [id, value] of Object.entries(input)) {
    const param = action.input.find((p) => p.id === id);
    if (!param) throw errors.actionInputInvalid(`${id} is not an input of ${action.id}`);
    const problem = checkValue(param.define, value, id);
    if (problem) throw errors.actionInputInvalid(problem);
  }
  for (const param of action.input) {
    if (param.required && !Object.hasOwn(input, param.id)) {
      throw errors.actionInputInvalid(`${param.id} is required`);
    }
  }
}

/** Validates an action call; returns the device, action and input. */
function prepareAction(
  params: Params,
  ctx: ApiContext,
  user: ModelUser,
): { device: ModelDevice; action: TemplateAction; input: Record<string, unknown> } {
  const device = visibleDevice(params, ctx, user);
  if (params.ActionId === undefined || params.ActionId === null)
    throw errors.requiredParam('ActionId');
  if (typeof params.ActionId !== 'string') throw errors.badParam('ActionId must be a string');
  const actionId = params.ActionId;
  const action = device.product.template.actions.find((a) => a.id === actionId);
  if (!action) throw errors.actionNotExist(actionId);
  const input = jsonObjectParam(params, 'InputParams', true);
  checkActionInput(action, input);
  return { device, action, input };
}

function execute(
  ctx: ApiContext,
  device: ModelDevice,
  actionId: string,
  input: Record<string, unknown>,
  mode: 'sync' | 'async',
  token: string,
): ReturnType<ApiContext['model']['runAction']> {
  const outcome = ctx.model.runAction(device, actionId, token);
  ctx.recordAction({
    productId: device.productId,
    deviceName: device.deviceName,
    actionId,
    params: structuredClone(input),
    mode,
    at: ctx.now(),
  });
  return outcome;
}

const callActionSync: TokenHandler = async (params, ctx, user) => {
  const { device, action, input } = prepareAction(params, ctx, user);
  if (!device.online) return { ClientToken: '', OutputParams: '', Status: ACTION_UNREACHABLE };
  const token = clientToken();
  ctx.model.sendAction(device, action.id, input, token);
  const { delayMs } = ctx.model.behaviour(device, action.id);
  const timeout = ctx.syncActionTimeoutMs;
  if (delayMs > timeout) {
    // The device got the message but answers too late: the call times out, the action happens.
    await ctx.sleep(timeout);
    execute(ctx, device, action.id, input, 'sync', token);
    throw errors.timeout();
  }
  await ctx.sleep(delayMs);
  if (!device.online) {
    // Went offline before answering: the reply never comes.
    await ctx.sleep(timeout - delayMs);
    throw errors.timeout();
  }
  const outcome = execute(ctx, device, action.id, input, 'sync', token);
  return {
    ClientToken: token,
    OutputParams: outcome.output === undefined ? '' : JSON.stringify(outcome.output),
    Status: outcome.status,
  };
};

const callActionAsync: TokenHandler = (params, ctx, user) => {
  const { device, action, input } = prepareAction(params, ctx, user);
  if (!device.online) return { ClientToken: '', Status: ACTION_UNREACHABLE };
  const token = clientToken();
  ctx.model.sendAction(device, action.id, input, token);
  const { delayMs } = ctx.model.behaviour(device, action.id);
  ctx.after(delayMs, () => {
    // A device that went offline meanwhile never gets it.
    if (device.online) execute(ctx, device, action.id, input, 'async', token);
  });
  return { ClientToken: token, Status: 'Sent' };
};

const controlDeviceData: TokenHandler = (params, ctx, user) => {
  const device = visibleDevice(params, ctx, user);
  controlDevice(ctx, device, jsonObjectParam(params, 'Data', false));
  return { Data: '' };
};

const getDeviceData: TokenHandler = (params, ctx, user) => {
  const device = visibleDevice(params, ctx, user);
  return { Data: JSON.stringify(ctx.model.snapshot(device)) };
};

function statusEntry(device: ModelDevice): Fields {
  return {
    DeviceId: device.deviceId,
    ProductId: device.productId,
    DeviceName: device.deviceName,
    Online: device.online ? 1 : 0,
  };
}

const getDeviceStatuses: TokenHandler = (params, ctx, user) => {
  let ids = optionalStringArray(params, 'DeviceIds', MAX_STATUS_DEVICE_IDS);
  if (ids === undefined) {
    // The older form: ProductId + ListDeviceName.
    if (params.ListDeviceName === undefined) throw errors.requiredParam('DeviceIds');
    const productId = requiredString(params, 'ProductId');
    const names = optionalStringArray(params, 'ListDeviceName', MAX_STATUS_DEVICE_IDS) ?? [];
    ids = names.map((name) => `${productId}/${name}`);
  }
  const statuses: Fields[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const parts = splitDeviceId(id);
    if (!parts) throw errors.badParam(`DeviceIds item "${id}" must be "ProductId/DeviceName"`);
    const device = ctx.model.device(parts.productId, parts.deviceName);
    if (!device || !ctx.model.canSee(user.UserID, device) || seen.has(device.deviceId)) continue;
    seen.add(device.deviceId);
    statuses.push(statusEntry(device));
  }
  return { DeviceStatuses: statuses };
};

const getProducts: TokenHandler = (params, ctx, user) => {
  const productIds = optionalStringArray(params, 'ProductIds', 100);
  const deviceIds = optionalStringArray(params, 'DeviceIds', 100);
  if (productIds === undefined && deviceIds === undefined) throw errors.requiredParam('ProductIds');
  const wanted: string[] = [...(productIds ?? [])];
  for (const id of deviceIds ?? []) {
    const parts = splitDeviceId(id);
    const device = parts && ctx.model.device(parts.productId, parts.deviceName);
    if (device && ctx.model.canSee(user.UserID, device)) wanted.push(device.productId);
  }
  const products: Fields[] = [];
  for (const id of new Set(wanted)) {
    const p = ctx.model.products.get(id);
    if (!p) continue;
    products.push({
      ProductId: p.ProductId,
      Name: p.Name,
      Description: p.Description,
      State: p.State,
      NetType: p.NetType,
      CategoryId: p.CategoryId,
      DataTemplate: JSON.stringify(p.template),
    });
  }
  return { Products: products };
};

const getUser: TokenHandler = (_params, _ctx, user) => ({
  Data: {
    UserID: user.UserID,
    UserName: user.UserName,
    NickName: user.NickName,
    PhoneNumber: user.PhoneNumber,
    CountryCode: user.CountryCode,
    Email: user.Email,
    Avatar: user.Avatar,
    CreateTime: user.CreateTime,
  },
});

const logoutUser: TokenHandler = (_params, ctx, _user, token) => {
  ctx.model.revokeToken(token);
  return { Data: 'OK' };
};

/**
 * The push subscription's keep-alive. Over HTTP it only checks its params; over the socket the
 * push server also renews the subscription of the devices it names (push.ts).
 */
const traceHeartBeat: TokenHandler = (params) => {
  optionalStringArray(params, 'DeviceIds', MAX_STATUS_DEVICE_IDS);
  return {};
};

export const tokenApiActions: Readonly<Record<string, TokenHandler>> = {
  AppDeviceTraceHeartBeat: traceHeartBeat,
  AppCallDeviceActionSync: callActionSync,
  AppCallDeviceActionAsync: callActionAsync,
  AppControlDeviceData: controlDeviceData,
  AppGetDeviceData: getDeviceData,
  AppGetDeviceStatuses: getDeviceStatuses,
  ...homeActions,
  AppGetProducts: getProducts,
  AppGetProductsConfig: getProductsConfig,
  AppGetUser: getUser,
  AppLogoutUser: logoutUser,
  ...sceneActions,
  ...automationActions,
  ...historyActions,
};

/** Runs a tokenapi Action after the common params were checked. */
export async function handleTokenApi(
  action: string,
  params: Params,
  ctx: ApiContext,
): Promise<Fields> {
  const handler = Object.hasOwn(tokenApiActions, action) ? tokenApiActions[action] : undefined;
  if (!handler) throw errors.invalidAction(action, 'tokenapi');
  const token = params.AccessToken;
  if (typeof token !== 'string' || token === '') throw errors.invalidToken();
  const user = ctx.model.userForToken(token);
  if (!user) throw errors.invalidToken();
  return handler(params, ctx, user, token);
}
