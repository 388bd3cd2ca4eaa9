/**
 * What each node does with a property its saved configuration lacks (a flow saved before the
 * property existed, an example, a flow written by hand). The editor shows these values for an
 * absent property, so that an old node opens showing what the runtime does with it; the
 * runtime's readers (and their tests) hold to the same values.
 */
import {
  CHINA_TOKENAPI,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_QUEUE,
  DEFAULT_TIMEOUT_MS,
} from './account';
import { DEFAULT_MAX_POINTS } from './history';

/** A value a node property may hold in a saved flow. */
export type StoredValue = string | number | boolean | readonly unknown[];

/** The TypedInput a device field falls back to: a literal text. */
const DEVICE_TARGET = { productIdType: 'str', deviceNameType: 'str' } as const;
/** A payload-like TypedInput without a saved type: `msg.payload`. */
const PAYLOAD = { value: 'payload', type: 'msg' } as const;

export const ABSENT_MEANS = {
  'iot-explorer-account': {
    endpoint: CHINA_TOKENAPI,
    timeout: DEFAULT_TIMEOUT_MS,
    maxInFlight: DEFAULT_MAX_IN_FLIGHT,
    maxQueue: DEFAULT_MAX_QUEUE,
    rateLimit: 0,
    authMode: 'token',
    loginType: 'phone',
    countryCode: '86',
    /** Blank: the push URL is derived from the endpoint (lib/shared/push-url.ts). */
    pushUrl: '',
  },
  'iot-explorer-action': {
    ...DEVICE_TARGET,
    actionIdType: 'str',
    /** `async` only when saved so: absent means the synchronous call. */
    mode: 'sync',
    inputParams: PAYLOAD.value,
    inputParamsType: PAYLOAD.type,
  },
  'iot-explorer-control': { ...DEVICE_TARGET, data: PAYLOAD.value, dataType: PAYLOAD.type },
  'iot-explorer-state': { ...DEVICE_TARGET, properties: '' },
  'iot-explorer-status': { ...DEVICE_TARGET, devices: [] },
  'iot-explorer-watch': {
    devices: [],
    properties: '',
    watchState: true,
    watchOnline: true,
    interval: 30,
    emitInitial: false,
    /** Saved before push existed: the node keeps polling (migrateWatch, lib/node/migrations.ts). */
    mode: 'poll',
    watchEvents: false,
    watchActions: false,
  },
  'iot-explorer-scene': { sceneIdType: 'str' },
  'iot-explorer-automation': {
    operation: 'set',
    automationIdType: 'str',
    familyIdType: 'str',
    state: 'payload',
  },
  'iot-explorer-history': {
    ...DEVICE_TARGET,
    kind: 'property',
    propertyType: 'str',
    eventType: '',
    /** The last day; saved blank, the range comes from msg.start / msg.end. */
    range: '24',
    rangeUnit: 'hours',
    maxPoints: String(DEFAULT_MAX_POINTS),
    output: 'chart',
  },
} as const satisfies Record<string, Record<string, StoredValue>>;

export type NodeType = keyof typeof ABSENT_MEANS;

/**
 * Where a node added from now on starts from another value than the one an absent property
 * means: a new watch node listens to the push socket, while one saved before push existed keeps
 * polling, so that no saved flow changes meaning.
 */
export const NEW_NODE_DEFAULTS = {
  'iot-explorer-watch': { mode: 'push' },
} as const satisfies Partial<Record<NodeType, Record<string, StoredValue>>>;

/** The value a new node of `type` starts with for `property` (of those in ABSENT_MEANS). */
export function newNodeDefault(type: NodeType, property: string): StoredValue | undefined {
  const differs: Readonly<Record<string, Readonly<Record<string, StoredValue>>>> =
    NEW_NODE_DEFAULTS;
  const means: Readonly<Record<string, StoredValue>> = ABSENT_MEANS[type];
  return differs[type]?.[property] ?? means[property];
}

/** Payload-like fields: without a saved type, the runtime reads `msg.payload`, whatever the value. */
const PAYLOAD_FIELDS: Readonly<Record<string, string>> = {
  inputParams: 'inputParamsType',
  data: 'dataType',
};

/**
 * The properties of a saved node that are absent, each with what the runtime takes instead.
 * A payload-like field without its type is read as `msg.payload`, and so shown.
 */
export function absentProperties(
  type: NodeType,
  saved: Readonly<Record<string, unknown>>,
): Record<string, StoredValue> {
  const means: Readonly<Record<string, StoredValue>> = ABSENT_MEANS[type];
  const out: Record<string, StoredValue> = {};
  const typeProperties = new Set(Object.values(PAYLOAD_FIELDS));
  for (const [property, value] of Object.entries(means)) {
    const typeProperty = PAYLOAD_FIELDS[property] ?? (typeProperties.has(property) ? property : '');
    const absent = typeProperty ? !saved[typeProperty] : saved[property] === undefined;
    if (absent) out[property] = value;
  }
  return out;
}
