// Every node type's settings module (nodes/<type>/settings.ts), by type: for the code that looks
// a node up by its type (the editor's showAbsentAsRuntime) and for the tests that hold every node
// to one rule. A node's own rules live in its folder; this file only lists the folders, and
// changes only when a node type is added.
import * as account from './iot-explorer-account/settings';
import * as action from './iot-explorer-action/settings';
import * as automation from './iot-explorer-automation/settings';
import * as control from './iot-explorer-control/settings';
import * as history from './iot-explorer-history/settings';
import * as home from './iot-explorer-home/settings';
import * as scene from './iot-explorer-scene/settings';
import * as state from './iot-explorer-state/settings';
import * as status from './iot-explorer-status/settings';
import * as watch from './iot-explorer-watch/settings';
import { absentFrom, type StoredValue } from '../lib/shared/node-settings';

/** For each node type, what a property its saved configuration lacks means. */
export const ABSENT_MEANS = {
  'iot-explorer-account': account.ABSENT,
  'iot-explorer-action': action.ABSENT,
  'iot-explorer-control': control.ABSENT,
  'iot-explorer-state': state.ABSENT,
  'iot-explorer-status': status.ABSENT,
  'iot-explorer-watch': watch.ABSENT,
  'iot-explorer-scene': scene.ABSENT,
  'iot-explorer-automation': automation.ABSENT,
  'iot-explorer-history': history.ABSENT,
  'iot-explorer-home': home.ABSENT,
} as const;

export type NodeType = keyof typeof ABSENT_MEANS;

/** The version each node type saves from now on (its `.html` default). */
export const VERSIONS = {
  'iot-explorer-account': account.VERSION,
  'iot-explorer-action': action.VERSION,
  'iot-explorer-control': control.VERSION,
  'iot-explorer-state': state.VERSION,
  'iot-explorer-status': status.VERSION,
  'iot-explorer-watch': watch.VERSION,
  'iot-explorer-scene': scene.VERSION,
  'iot-explorer-automation': automation.VERSION,
  'iot-explorer-history': history.VERSION,
  'iot-explorer-home': home.VERSION,
} as const satisfies Record<NodeType, number>;

/** Where a new node starts from another value than an absent property means (the watch's mode). */
export const NEW_NODE_DEFAULTS = {
  'iot-explorer-watch': watch.NEW_NODE,
} as const satisfies Partial<Record<NodeType, Record<string, StoredValue>>>;

/** Each node type's migration: its stored properties, saved by any version → its settings. */
export const MIGRATIONS = {
  'iot-explorer-account': account.migrateAccount,
  'iot-explorer-action': action.migrateAction,
  'iot-explorer-control': control.migrateControl,
  'iot-explorer-state': state.migrateState,
  'iot-explorer-status': status.migrateStatus,
  'iot-explorer-watch': watch.migrateWatch,
  'iot-explorer-scene': scene.migrateScene,
  'iot-explorer-automation': automation.migrateAutomation,
  'iot-explorer-history': history.migrateHistory,
  'iot-explorer-home': home.migrateHome,
} as const satisfies Record<NodeType, (stored: never) => unknown>;

export type NodeSettings = { [T in NodeType]: ReturnType<(typeof MIGRATIONS)[T]> };

/** The value a new node of `type` starts with for `property` (of those in ABSENT_MEANS). */
export function newNodeDefault(type: NodeType, property: string): StoredValue | undefined {
  const differs: Readonly<Record<string, Readonly<Record<string, StoredValue>>>> =
    NEW_NODE_DEFAULTS;
  const means: Readonly<Record<string, StoredValue>> = ABSENT_MEANS[type];
  return differs[type]?.[property] ?? means[property];
}

/**
 * The properties of a saved node of `type` that are absent, each with what the runtime takes
 * instead (lib/shared/node-settings.ts, `absentFrom`).
 */
export function absentProperties(
  type: NodeType,
  saved: Readonly<Record<string, unknown>>,
): Record<string, StoredValue> {
  return absentFrom(ABSENT_MEANS[type], saved);
}
