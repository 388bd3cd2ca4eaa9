/**
 * A device's id as the API writes it in lists (`AppGetDeviceStatuses`' DeviceIds, family device
 * lists) and as flows store it: `ProductId/DeviceName`. The one place that builds or splits it;
 * free of Node.js APIs so that the browser editor imports it too.
 */

/** A device named by its product and its name. */
export interface DeviceId {
  productId: string;
  deviceName: string;
}

const SEPARATOR = '/';

/** Neither part may be empty, hold a space, or hold a second separator. */
const ID_TEXT = /^([^/\s]+)\/([^/\s]+)$/;

export const DeviceId = {
  /** `PID/DN` for a device. */
  format(device: DeviceId): string {
    return `${device.productId}${SEPARATOR}${device.deviceName}`;
  },

  /** The device an id text names, or undefined when it is not `ProductId/DeviceName`. */
  parse(text: string): DeviceId | undefined {
    const match = ID_TEXT.exec(text);
    return match ? { productId: match[1], deviceName: match[2] } : undefined;
  },

  /** True when the text names a device as {@link DeviceId.parse} reads it. */
  isValid(text: string): boolean {
    return ID_TEXT.test(text);
  },
};
