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
  type StoredVersion,
  type TypedField,
} from '../../lib/shared/node-settings';

/** The version this node saves (its `.html` default; lib/shared/node-settings.ts). */
export const VERSION = 1;

/** What the node takes for a property its saved configuration lacks. */
export const ABSENT = {
  ...DEVICE_TARGET_ABSENT,
  actionIdType: 'str',
  /** `async` only when saved so: absent means the synchronous call. */
  mode: 'sync',
  inputParams: PAYLOAD_ABSENT.value,
  inputParamsType: PAYLOAD_ABSENT.type,
} as const satisfies AbsentMeans;

/** `sync` waits for the device's answer; `async` only hands the call to the cloud. */
export type ActionMode = 'sync' | 'async';

export interface StoredAction extends StoredDeviceTarget, StoredVersion {
  /** Absent in flows saved before it existed: those stay synchronous. */
  mode?: string;
  actionId?: string;
  actionIdType?: string;
  inputParams?: string;
  inputParamsType?: string;
}

export interface ActionSettings extends DeviceTargetFields {
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
  };
}
