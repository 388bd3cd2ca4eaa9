// The control node's settings: what it stores, what a property it lacks means, and how a node
// saved by any version reads. Free of Node.js APIs: the editor imports ABSENT from here too.
import {
  DEVICE_TARGET_ABSENT,
  PAYLOAD_ABSENT,
  deviceTarget,
  payloadField,
  upgrade,
  type AbsentMeans,
  type DeviceTargetFields,
  type StoredDeviceTarget,
  type StoredSelection,
  type StoredSelectionRead,
  type StoredVersion,
  type TypedField,
  SELECTION_ABSENT,
  storedSelection,
} from '../../lib/shared/node-settings';

/**
 * The version this node saves (its `.html` default; lib/shared/node-settings.ts). 2 added the
 * selection (`selection`, `selectionFilter`); a node saved by 1 or earlier lacks them and keeps
 * its listed device.
 */
export const VERSION = 2;

/** What the node takes for a property its saved configuration lacks. */
export const ABSENT = {
  ...DEVICE_TARGET_ABSENT,
  data: PAYLOAD_ABSENT.value,
  dataType: PAYLOAD_ABSENT.type,
  ...SELECTION_ABSENT,
} as const satisfies AbsentMeans;

export interface StoredControl extends StoredSelection, StoredDeviceTarget, StoredVersion {
  data?: string;
  dataType?: string;
}

export interface ControlSettings extends DeviceTargetFields {
  /** Which devices: the listed one, or those of the home a filter matches (lib/shared/home.ts). */
  selection: StoredSelectionRead;
  /** An object of property id → value, or a string holding one. */
  data: TypedField;
}

export function migrateControl(stored: StoredControl): ControlSettings {
  const saved = upgrade(stored, VERSION);
  return {
    ...deviceTarget(saved, ABSENT),
    data: payloadField(ABSENT, saved, 'data'),
    selection: storedSelection(saved),
  };
}
