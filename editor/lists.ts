// Device and property lists: pure, so that they can be tested without a browser. The runtime's
// reading of a property filter is shared (lib/shared/property-list.ts).

import { parsePropertyList } from '../lib/shared/property-list';

/** A device as the lists hold it. */
export interface DeviceRef {
  productId: string;
  deviceName: string;
}

/** The ids a property filter names, split as the runtime splits them. */
export function propertyIds(text: string | undefined): string[] {
  return parsePropertyList(text);
}

/** The filter text with `id` added (at the end) or removed; other ids stay as typed. */
export function withProperty(text: string | undefined, id: string, included: boolean): string {
  const ids = propertyIds(text).filter((other) => other !== id);
  if (included) ids.push(id);
  return ids.join(', ');
}

/** The ProductId every listed device has, or '' when the list is empty or mixes products. */
export function sharedProductId(devices: readonly DeviceRef[] | undefined): string {
  const ids = [...new Set((devices ?? []).map((d) => d.productId).filter((id) => id))];
  return ids.length === 1 ? ids[0] : '';
}

/** Whether `devices` already holds `device`. */
export function listsDevice(devices: readonly DeviceRef[] | undefined, device: DeviceRef): boolean {
  return (devices ?? []).some(
    (d) => d.productId === device.productId && d.deviceName === device.deviceName,
  );
}
