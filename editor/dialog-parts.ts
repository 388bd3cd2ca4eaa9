// What several nodes' dialogs share: the canvas label of a one-device node, the device picker
// above the ProductId field, the stored device list (status, watch) and its placeholders, and
// the text of a saved literal field (scene, automation, history).

import type { DeviceRef } from './lists';
import type { StoredDeviceEntry } from '../lib/shared/node-settings';
import { input } from './fields';
import { devicePicker, type DevicePicker } from './pickers/device';

/** The canvas label of a one-device node: its name, the literal DeviceName, or the palette's. */
export function deviceLabel(node: RedEditorNode, type: string): string {
  if (node.name) return node.name;
  const device = (node.deviceNameType || 'str') === 'str' ? node.deviceName : '';
  return (typeof device === 'string' && device) || node._(`${type}.paletteLabel`);
}

export function devicePickerBeforeProduct(): DevicePicker {
  return devicePicker({ before: input('productId').closest('.form-row') });
}

export function storedDevices(node: RedEditorNode): StoredDeviceEntry[] {
  return Array.isArray(node.devices) ? (node.devices as StoredDeviceEntry[]) : [];
}

export function listPlaceholders(node: RedEditorNode, type: string): DeviceRef {
  return {
    productId: node._(`${type}.label.productId`),
    deviceName: node._(`${type}.label.deviceName`),
  };
}

/** The text a literal typed field holds, else '' (it comes from msg, flow, global or env). */
export function stored(node: RedEditorNode, name: string): string {
  const value = node[name];
  return (node[`${name}Type`] || 'str') === 'str' && typeof value === 'string' ? value : '';
}
