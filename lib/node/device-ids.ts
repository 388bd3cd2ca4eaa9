// A list of devices as a node reads it: `msg.deviceIds`, or the node's own stored list.
import { IotExplorerError, LocalErrorCode } from '../errors/errors';
import { DeviceId } from '../shared/device-id';
import type { StoredDeviceEntry } from '../shared/node-settings';
import { describeValue } from './typed-fields';

/**
 * Reads a list of devices (`msg.deviceIds`, a node's stored list): 'PID/DN' strings or
 * {productId, deviceName} objects. Returns the ids in 'PID/DN' form, without repeats.
 */
export function parseDeviceIds(value: unknown, field = 'msg.deviceIds'): string[] {
  const items = Array.isArray(value) ? (value as unknown[]) : [value];
  const ids = items.map((item, index) => {
    let id: string | undefined;
    if (typeof item === 'string') id = item.trim();
    else if (typeof item === 'object' && item !== null) {
      const { productId, deviceName } = item as Record<string, unknown>;
      if (typeof productId === 'string' && typeof deviceName === 'string')
        id = DeviceId.format({ productId, deviceName });
    }
    if (id === undefined || !DeviceId.isValid(id)) {
      throw new IotExplorerError({
        code: LocalErrorCode.InvalidField,
        key: 'invalidDeviceIds',
        params: {
          field,
          index,
          got: typeof item === 'string' ? JSON.stringify(item) : describeValue(item),
        },
      });
    }
    return id;
  });
  return [...new Set(ids)];
}

/**
 * A node's own device list (its migrated `devices`) as 'PID/DN' ids. A hand-edited entry that
 * names no device throws IOTX_INVALID_FIELD naming `devices` and the entry.
 */
export function storedDeviceIds(devices: readonly StoredDeviceEntry[]): string[] {
  return parseDeviceIds(devices, 'devices');
}
