// The scene node's settings: what it stores, what a property it lacks means, and how a node
// saved by any version reads. Free of Node.js APIs: the editor imports ABSENT from here too.
import {
  storedTypedField,
  upgrade,
  type AbsentMeans,
  type StoredVersion,
  type TypedField,
} from '../../lib/shared/node-settings';

/** The version this node saves (its `.html` default; lib/shared/node-settings.ts). */
export const VERSION = 1;

/** What the node takes for a property its saved configuration lacks. */
export const ABSENT = { sceneIdType: 'str' } as const satisfies AbsentMeans;

export interface StoredScene extends StoredVersion {
  /** TypedInput; blank: msg.sceneId. */
  sceneId?: string;
  sceneIdType?: string;
  /** The picked scene's name and family, kept for the label and the editor's picker. */
  sceneName?: string;
  familyId?: string;
}

export interface SceneSettings {
  sceneId: TypedField;
  /** '' when none was picked. */
  sceneName: string;
}

export function migrateScene(stored: StoredScene): SceneSettings {
  const saved = upgrade(stored, VERSION);
  return {
    sceneId: storedTypedField(saved.sceneId, saved.sceneIdType, ABSENT.sceneIdType),
    sceneName: saved.sceneName ?? '',
  };
}
