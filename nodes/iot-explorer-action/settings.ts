// The call action node's settings: what it stores, what a property it lacks means, and how a
// node saved by any version reads. Free of Node.js APIs: the editor imports ABSENT from here too.
import {
  DEVICE_TARGET_ABSENT,
  PAYLOAD_ABSENT,
  choice,
  deviceTarget,
  payloadField,
  storedTypedField,
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
  actionIdType: 'str',
  /** `async` only when saved so: absent means the synchronous call. */
  mode: 'sync',
  inputParams: PAYLOAD_ABSENT.value,
  inputParamsType: PAYLOAD_ABSENT.type,
  ...SELECTION_ABSENT,
} as const satisfies AbsentMeans;

/** `sync` waits for the device's answer; `async` only hands the call to the cloud. */
export type ActionMode = 'sync' | 'async';

export interface StoredAction extends StoredSelection, StoredDeviceTarget, StoredVersion {
  /** Absent in flows saved before it existed: those stay synchronous. */
  mode?: string;
  actionId?: string;
  actionIdType?: string;
  inputParams?: string;
  inputParamsType?: string;
}

export interface ActionSettings extends DeviceTargetFields {
  /** Which devices: the listed one, or those of the home a filter matches (lib/shared/home.ts). */
  selection: StoredSelectionRead;
  mode: ActionMode;
  actionId: TypedField;
  inputParams: TypedField;
}

export function migrateAction(stored: StoredAction): ActionSettings {
  const saved = upgrade(stored, VERSION);
  return {
    mode: choice<ActionMode>(saved.mode, ['sync', 'async'], ABSENT.mode),
    ...deviceTarget(saved, ABSENT),
    actionId: storedTypedField(saved.actionId, saved.actionIdType, ABSENT.actionIdType),
    inputParams: payloadField(ABSENT, saved, 'inputParams'),
    selection: storedSelection(saved),
  };
}
