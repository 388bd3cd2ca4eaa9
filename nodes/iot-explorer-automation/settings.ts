// The automation node's settings: what it stores, what a property it lacks means, and how a node
// saved by any version reads. Free of Node.js APIs: the editor imports ABSENT from here too.
import {
  choice,
  storedTypedField,
  upgrade,
  type AbsentMeans,
  type StoredVersion,
  type TypedField,
} from '../../lib/shared/node-settings';

/** The version this node saves (its `.html` default; lib/shared/node-settings.ts). */
export const VERSION = 1;

/** What the node takes for a property its saved configuration lacks. */
export const ABSENT = {
  operation: 'set',
  automationIdType: 'str',
  familyIdType: 'str',
  state: 'payload',
} as const satisfies AbsentMeans;

/** What the node does: switch one automation, or list the family's. */
export type AutomationOperation = 'set' | 'list';
/** Where the new state comes from: the editor's choice, or msg.payload. */
export type AutomationState = 'on' | 'off' | 'payload';

export interface StoredAutomation extends StoredVersion {
  operation?: string;
  /** set: TypedInput; blank: msg.automationId. */
  automationId?: string;
  automationIdType?: string;
  /** The picked automation's name, for the label. */
  automationName?: string;
  /** list (and the editor's picker): TypedInput; blank: msg.familyId. */
  familyId?: string;
  familyIdType?: string;
  state?: string;
}

export interface AutomationSettings {
  operation: AutomationOperation;
  automationId: TypedField;
  /** '' when none was picked. */
  automationName: string;
  familyId: TypedField;
  state: AutomationState;
}

export function migrateAutomation(stored: StoredAutomation): AutomationSettings {
  const saved = upgrade(stored, VERSION);
  return {
    operation: choice<AutomationOperation>(saved.operation, ['set', 'list'], ABSENT.operation),
    automationId: storedTypedField(
      saved.automationId,
      saved.automationIdType,
      ABSENT.automationIdType,
    ),
    automationName: saved.automationName ?? '',
    familyId: storedTypedField(saved.familyId, saved.familyIdType, ABSENT.familyIdType),
    state: choice<AutomationState>(saved.state, ['on', 'off', 'payload'], ABSENT.state),
  };
}
