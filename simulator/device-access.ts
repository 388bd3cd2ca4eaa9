// What several Actions share about a device: which device a request may use, and the effect of
// a property control (AppControlDeviceData, and the control actions of scenes and automations,
// so that state, history and pushes see the same change whichever way it came).

import { randomBytes } from 'node:crypto';
import { errors } from './envelope';
import type { ModelDevice, ModelUser } from './model';
import { namedDevice, type ApiContext, type Params } from './params';
import { checkValue } from './template';

/** The device a request names, if the user may use it (theirs through a family, or shared). */
export function visibleDevice(params: Params, ctx: ApiContext, user: ModelUser): ModelDevice {
  const { productId, deviceName } = namedDevice(params);
  if (!ctx.model.products.has(productId)) throw errors.productNotExist(productId);
  const device = ctx.model.device(productId, deviceName);
  if (!device) throw errors.deviceNotExist(`${productId}/${deviceName}`);
  if (!ctx.model.canSee(user.UserID, device)) {
    // A share that has ended answers differently from a device that was never the user's.
    if (device.formerlySharedWith.has(user.UserID)) throw errors.shareEnded(device.deviceId);
    throw errors.deviceNotBind(device.deviceId);
  }
  return device;
}

/**
 * Checks every value of a control (id → value) against the template, then sets them all; a
 * rejected control changes nothing. Throws the ApiError AppControlDeviceData answers.
 */
export function controlDevice(
  ctx: ApiContext,
  device: ModelDevice,
  data: Record<string, unknown>,
): void {
  const ids = Object.keys(data);
  if (ids.length === 0) throw errors.badParam('Data must name at least one property');
  for (const id of ids) {
    const def = ctx.model.propertyDefinition(device, id);
    if (!def) throw errors.propertyNotExist(id);
    if (def.mode === 'r') throw errors.badParam(`${id} is read-only (mode "r")`);
    const problem = checkValue(def.define, data[id], id);
    if (problem) throw errors.badParam(problem);
  }
  if (!device.online) throw errors.deviceOffline();
  // The cloud sends the control down; the device reports the values back (one push each).
  ctx.model.control(device, data, randomBytes(8).toString('hex'));
}
