// The history node's settings: what it stores, what a property it lacks means, and how a node
// saved by any version reads. Free of Node.js APIs: the editor imports ABSENT from here too.
import { DEFAULT_MAX_POINTS, EVENT_TYPES, type EventType } from '../../lib/shared/history';
import {
  DEVICE_TARGET_ABSENT,
  choice,
  deviceTarget,
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
  kind: 'property',
  propertyType: 'str',
  eventType: '',
  /** The last day; saved blank, the range comes from msg.start / msg.end. */
  range: '24',
  rangeUnit: 'hours',
  maxPoints: String(DEFAULT_MAX_POINTS),
  output: 'chart',
} as const satisfies AbsentMeans;

/** What the node reads: a property's values or the device's events. */
export type HistoryKind = 'property' | 'event';
/** `chart`: [{x, y}] as FlowFuse Dashboard 2's chart takes it; `list`: [{time, value}]. */
export type HistoryOutput = 'chart' | 'list';

export interface StoredHistory extends StoredDeviceTarget, StoredVersion {
  kind?: string;
  /** property: TypedInput; blank: msg.property. */
  property?: string;
  propertyType?: string;
  /** event: only this event id; blank: all. */
  eventId?: string;
  /** event: alert, fault, info; blank: all. */
  eventType?: string;
  /** The last `range` `rangeUnit`; saved blank: msg.start / msg.end. */
  range?: string | number;
  rangeUnit?: string;
  maxPoints?: string | number;
  output?: string;
}

export interface HistorySettings extends DeviceTargetFields {
  kind: HistoryKind;
  property: TypedField;
  /** '' for all. */
  eventId: string;
  eventType: EventType;
  /** Checked per message with `rangeUnit`; blank: msg.start / msg.end. */
  range: string;
  rangeUnit: string;
  /** Checked per message (a whole number up to the limit; blank: the default). */
  maxPoints: string | number;
  output: HistoryOutput;
}

export function migrateHistory(stored: StoredHistory): HistorySettings {
  const saved = upgrade(stored, VERSION);
  return {
    ...deviceTarget(saved, ABSENT),
    kind: choice<HistoryKind>(saved.kind, ['property', 'event'], ABSENT.kind),
    property: storedTypedField(saved.property, saved.propertyType, ABSENT.propertyType),
    eventId: saved.eventId ?? '',
    eventType: choice<EventType>(saved.eventType, EVENT_TYPES, ABSENT.eventType),
    // A node saved without a range (an imported flow) reads it as a new node does; an
    // explicit blank means msg.start / msg.end.
    range: String(saved.range ?? ABSENT.range),
    rangeUnit: saved.rangeUnit || ABSENT.rangeUnit,
    maxPoints: saved.maxPoints ?? ABSENT.maxPoints,
    output: choice<HistoryOutput>(saved.output, ['chart', 'list'], ABSENT.output),
  };
}
