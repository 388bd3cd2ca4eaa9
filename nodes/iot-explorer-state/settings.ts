// The device state node's settings: what it stores, what a property it lacks means, and how a
// node saved by any version reads. Free of Node.js APIs: the editor imports ABSENT from here too.
import {
  DEVICE_TARGET_ABSENT,
  deviceTarget,
  upgrade,
  type AbsentMeans,
  type DeviceTargetFields,
  type StoredDeviceTarget,
  type StoredVersion,
} from '../../lib/shared/node-settings';
import { parsePropertyList } from '../../lib/shared/property-list';

/** The version this node saves (its `.html` default; lib/shared/node-settings.ts). */
export const VERSION = 1;

/** What the node takes for a property its saved configuration lacks. */
export const ABSENT = { ...DEVICE_TARGET_ABSENT, properties: '' } as const satisfies AbsentMeans;

export interface StoredState extends StoredDeviceTarget, StoredVersion {
  /** Property ids to keep, separated by commas or spaces; blank: all. */
  properties?: string;
}

export interface StateSettings extends DeviceTargetFields {
  /** Empty: all the device reports. */
  properties: string[];
}

export function migrateState(stored: StoredState): StateSettings {
  const saved = upgrade(stored, VERSION);
  return {
    ...deviceTarget(saved, ABSENT),
    properties: parsePropertyList(saved.properties ?? ABSENT.properties),
  };
}
