// The online status node's settings: what it stores, what a property it lacks means, and how a
// node saved by any version reads. Free of Node.js APIs: the editor imports ABSENT from here too.
import {
  DEVICE_TARGET_ABSENT,
  deviceTarget,
  upgrade,
  type AbsentMeans,
  type DeviceTargetFields,
  type StoredDeviceList,
  type StoredDeviceTarget,
  type StoredVersion,
} from '../../lib/shared/node-settings';

/** The version this node saves (its `.html` default; lib/shared/node-settings.ts). */
export const VERSION = 1;

/** What the node takes for a property its saved configuration lacks. */
export const ABSENT = { ...DEVICE_TARGET_ABSENT, devices: [] } as const satisfies AbsentMeans;

export interface StoredStatus extends StoredDeviceTarget, StoredVersion {
  /** Absent in flows saved before the list: those name one device, or take msg's. */
  devices?: StoredDeviceList;
}

export interface StatusSettings extends DeviceTargetFields {
  /** Checked when read (an entry naming no device is refused per message). */
  devices: StoredDeviceList;
}

export function migrateStatus(stored: StoredStatus): StatusSettings {
  const saved = upgrade(stored, VERSION);
  return { ...deviceTarget(saved, ABSENT), devices: saved.devices ?? [...ABSENT.devices] };
}
