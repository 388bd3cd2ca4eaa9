/**
 * How each node reads its saved configuration, whichever version saved it: one function per
 * node type, from the stored properties (any older shape, an example, a flow written by hand) to
 * the complete settings the node runs with. A property the saved node lacks takes its value from
 * ABSENT_MEANS (lib/shared/node-defaults.ts), which the editor shows for it too, so the two
 * readings cannot drift. The nodes read only these settings.
 *
 * Values are checked here only where the old code took a bad one as absent; a value that fails
 * per message (a range, a point limit, a device list entry) is still refused per message.
 */
import { EVENT_TYPES, type EventType } from '../api/history';
import type { SignInConfig } from '../auth/sign-in';
import { parseExpireAt } from '../shared/expire-at';
import { ABSENT_MEANS, absentProperties, type NodeType } from '../shared/node-defaults';
import { parsePropertyList } from '../shared/property-list';
import type { StoredDevice } from './device-node';
import type { TypedField } from './typed-fields';

// --- Reading stored values -------------------------------------------------------------------

/** The stored value when it is one of `allowed`; anything else (absent, misspelt) is `absent`. */
function choice<T extends string>(value: unknown, allowed: readonly T[], absent: T): T {
  return (allowed as readonly unknown[]).includes(value) ? (value as T) : absent;
}

/** A checkbox: its stored boolean, else what an absent one means. */
function flag(value: unknown, absent: boolean): boolean {
  return typeof value === 'boolean' ? value : absent;
}

/** A stored text, trimmed; '' when absent. */
function trimmed(value: string | undefined): string {
  return (value ?? '').trim();
}

/** A TypedInput: its value ('' when absent) and its type (the absent type when blank). */
function typedField(
  value: string | undefined,
  type: string | undefined,
  absentType: string,
): TypedField {
  return { value: value ?? '', type: type || absentType };
}

/**
 * A payload-like TypedInput (InputParams, control data). Saved without its type (before the
 * field existed, or by hand) it reads `msg.payload` whatever the value: the rule of
 * {@link absentProperties}, which the editor shows, applied here rather than written again.
 */
function payloadField(
  type: 'iot-explorer-action' | 'iot-explorer-control',
  stored: object,
  name: 'inputParams' | 'data',
): TypedField {
  const saved = stored as Readonly<Record<string, unknown>>;
  const absent = absentProperties(type, saved);
  const read = (property: string): string => String(absent[property] ?? saved[property] ?? '');
  return { value: read(name), type: read(`${name}Type`) };
}

/** The ProductId and DeviceName TypedInputs most device nodes store. */
export interface StoredDeviceTarget {
  productId?: string;
  productIdType?: string;
  deviceName?: string;
  deviceNameType?: string;
}

export interface DeviceTarget {
  productId: TypedField;
  deviceName: TypedField;
}

function deviceTarget(
  stored: StoredDeviceTarget,
  absent: { productIdType: string; deviceNameType: string },
): DeviceTarget {
  return {
    productId: typedField(stored.productId, stored.productIdType, absent.productIdType),
    deviceName: typedField(stored.deviceName, stored.deviceNameType, absent.deviceNameType),
  };
}

// --- Account ---------------------------------------------------------------------------------

/** The account's stored properties (its secrets are credentials, not here). */
export interface StoredAccount extends SignInConfig {
  id?: string;
  name?: string;
  endpoint?: string;
  timeout?: string | number;
  /** Calls in flight at once; absent in flows saved before flow control. */
  maxInFlight?: string | number;
  /** Calls waiting for a slot before messages are refused. */
  maxQueue?: string | number;
  /** Calls per second, 0 = no limit. */
  rateLimit?: string | number;
  /** 'token' (a pasted AccessToken; all accounts saved before sign-in) or 'signin'. */
  authMode?: string;
  /** Pasted mode: the token's ExpireAt, UNIX seconds or a date; blank if unknown. */
  tokenExpireAt?: string | number;
  /** The push WebSocket's URL; blank (and absent before push): derived from the endpoint. */
  pushUrl?: string;
}

export type AuthMode = 'token' | 'signin';

export interface AccountSettings {
  /** For messages: the account's name, else its node id. */
  name: string;
  endpoint: string;
  timeoutMs: number;
  flowControl: { maxInFlight: number; maxQueue: number; ratePerSecond: number };
  authMode: AuthMode;
  /** Pasted mode: UNIX seconds, undefined when unknown (and always in sign-in mode). */
  tokenExpireAt: number | undefined;
  /** '' derives the push URL from the endpoint. */
  pushUrl: string;
  /** The sign-in settings, blanks as the sign-in reads them ('' appapi: from the endpoint). */
  signIn: {
    appKey: string;
    loginType: 'phone' | 'email';
    countryCode: string;
    appapiEndpoint: string;
  };
}

/** A number field of the dialog: a number, or a text holding one; NaN otherwise. */
function storedNumber(raw: string | number | undefined): number {
  return typeof raw === 'number' ? raw : Number(String(raw ?? '').trim() || Number.NaN);
}

/** A whole number of at least `min`, else `absent` (old flows lack the field). */
function count(raw: string | number | undefined, min: number, absent: number): number {
  const value = storedNumber(raw);
  return Number.isInteger(value) && value >= min ? value : absent;
}

export function migrateAccount(stored: StoredAccount): AccountSettings {
  const absent = ABSENT_MEANS['iot-explorer-account'];
  const timeout =
    typeof stored.timeout === 'number'
      ? stored.timeout
      : Number.parseInt(String(stored.timeout ?? ''), 10);
  const rate = storedNumber(stored.rateLimit);
  const authMode = choice<AuthMode>(stored.authMode, ['token', 'signin'], absent.authMode);
  return {
    name: stored.name || stored.id || '',
    endpoint: trimmed(stored.endpoint) || absent.endpoint,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : absent.timeout,
    flowControl: {
      maxInFlight: count(stored.maxInFlight, 1, absent.maxInFlight),
      maxQueue: count(stored.maxQueue, 0, absent.maxQueue),
      ratePerSecond: Number.isFinite(rate) && rate > 0 ? rate : absent.rateLimit,
    },
    authMode,
    tokenExpireAt: authMode === 'token' ? parseExpireAt(stored.tokenExpireAt) : undefined,
    pushUrl: trimmed(stored.pushUrl) || absent.pushUrl,
    signIn: {
      appKey: trimmed(stored.appKey),
      loginType: choice(stored.loginType, ['phone', 'email'], absent.loginType),
      countryCode: trimmed(stored.countryCode).replace(/^\+/, '') || absent.countryCode,
      appapiEndpoint: trimmed(stored.appapiEndpoint),
    },
  };
}

// --- Call action -----------------------------------------------------------------------------

/** `sync` waits for the device's answer; `async` only hands the call to the cloud. */
export type ActionMode = 'sync' | 'async';

export interface StoredAction extends StoredDeviceTarget {
  /** Absent in flows saved before it existed: those stay synchronous. */
  mode?: string;
  actionId?: string;
  actionIdType?: string;
  inputParams?: string;
  inputParamsType?: string;
}

export interface ActionSettings extends DeviceTarget {
  mode: ActionMode;
  actionId: TypedField;
  inputParams: TypedField;
}

export function migrateAction(stored: StoredAction): ActionSettings {
  const absent = ABSENT_MEANS['iot-explorer-action'];
  return {
    mode: choice<ActionMode>(stored.mode, ['sync', 'async'], absent.mode),
    ...deviceTarget(stored, absent),
    actionId: typedField(stored.actionId, stored.actionIdType, absent.actionIdType),
    inputParams: payloadField('iot-explorer-action', stored, 'inputParams'),
  };
}

// --- Control ---------------------------------------------------------------------------------

export interface StoredControl extends StoredDeviceTarget {
  data?: string;
  dataType?: string;
}

export interface ControlSettings extends DeviceTarget {
  /** An object of property id → value, or a string holding one. */
  data: TypedField;
}

export function migrateControl(stored: StoredControl): ControlSettings {
  const absent = ABSENT_MEANS['iot-explorer-control'];
  return {
    ...deviceTarget(stored, absent),
    data: payloadField('iot-explorer-control', stored, 'data'),
  };
}

// --- Device state ----------------------------------------------------------------------------

export interface StoredState extends StoredDeviceTarget {
  /** Property ids to keep, separated by commas or spaces; blank: all. */
  properties?: string;
}

export interface StateSettings extends DeviceTarget {
  /** Empty: all the device reports. */
  properties: string[];
}

export function migrateState(stored: StoredState): StateSettings {
  const absent = ABSENT_MEANS['iot-explorer-state'];
  return {
    ...deviceTarget(stored, absent),
    properties: parsePropertyList(stored.properties ?? absent.properties),
  };
}

// --- Online status ---------------------------------------------------------------------------

/** A device list as stored: editor rows, or 'PID/DN' texts in hand-written flows. */
export type StoredDeviceList = StoredDevice[] | string[];

export interface StoredStatus extends StoredDeviceTarget {
  /** Absent in flows saved before the list: those name one device, or take msg's. */
  devices?: StoredDeviceList;
}

export interface StatusSettings extends DeviceTarget {
  /** Checked when read (an entry naming no device is refused per message). */
  devices: StoredDeviceList;
}

export function migrateStatus(stored: StoredStatus): StatusSettings {
  const absent = ABSENT_MEANS['iot-explorer-status'];
  return { ...deviceTarget(stored, absent), devices: stored.devices ?? [...absent.devices] };
}

// --- Watch -----------------------------------------------------------------------------------

export type WatchMode = 'push' | 'poll';

export interface StoredWatch {
  devices?: StoredDeviceList;
  properties?: string;
  /** Seconds between polls. */
  interval?: string | number;
  watchState?: unknown;
  watchOnline?: unknown;
  emitInitial?: unknown;
  /** 'push' (new nodes) or 'poll'; absent in nodes saved before push, which keep polling. */
  mode?: unknown;
  /** Push mode only: device events, action replies. Absent before push: off. */
  watchEvents?: unknown;
  watchActions?: unknown;
}

export interface WatchSettings {
  mode: WatchMode;
  devices: StoredDeviceList;
  /** Empty: all. */
  properties: string[];
  /** Seconds between polls, before the runtime's minimum is applied. */
  intervalSeconds: number;
  watchState: boolean;
  watchOnline: boolean;
  watchEvents: boolean;
  watchActions: boolean;
  emitInitial: boolean;
}

export function migrateWatch(stored: StoredWatch): WatchSettings {
  const absent = ABSENT_MEANS['iot-explorer-watch'];
  const seconds =
    typeof stored.interval === 'number'
      ? stored.interval
      : Number.parseFloat(String(stored.interval ?? ''));
  return {
    mode: choice<WatchMode>(stored.mode, ['push', 'poll'], absent.mode),
    devices: stored.devices ?? [...absent.devices],
    properties: parsePropertyList(stored.properties ?? absent.properties),
    intervalSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : absent.interval,
    watchState: flag(stored.watchState, absent.watchState),
    watchOnline: flag(stored.watchOnline, absent.watchOnline),
    watchEvents: flag(stored.watchEvents, absent.watchEvents),
    watchActions: flag(stored.watchActions, absent.watchActions),
    emitInitial: flag(stored.emitInitial, absent.emitInitial),
  };
}

// --- Scene -----------------------------------------------------------------------------------

export interface StoredScene {
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
  const absent = ABSENT_MEANS['iot-explorer-scene'];
  return {
    sceneId: typedField(stored.sceneId, stored.sceneIdType, absent.sceneIdType),
    sceneName: stored.sceneName ?? '',
  };
}

// --- Automation ------------------------------------------------------------------------------

/** What the node does: switch one automation, or list the family's. */
export type AutomationOperation = 'set' | 'list';
/** Where the new state comes from: the editor's choice, or msg.payload. */
export type AutomationState = 'on' | 'off' | 'payload';

export interface StoredAutomation {
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
  const absent = ABSENT_MEANS['iot-explorer-automation'];
  return {
    operation: choice<AutomationOperation>(stored.operation, ['set', 'list'], absent.operation),
    automationId: typedField(stored.automationId, stored.automationIdType, absent.automationIdType),
    automationName: stored.automationName ?? '',
    familyId: typedField(stored.familyId, stored.familyIdType, absent.familyIdType),
    state: choice<AutomationState>(stored.state, ['on', 'off', 'payload'], absent.state),
  };
}

// --- History ---------------------------------------------------------------------------------

/** What the node reads: a property's values or the device's events. */
export type HistoryKind = 'property' | 'event';
/** `chart`: [{x, y}] as FlowFuse Dashboard 2's chart takes it; `list`: [{time, value}]. */
export type HistoryOutput = 'chart' | 'list';

export interface StoredHistory extends StoredDeviceTarget {
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

export interface HistorySettings extends DeviceTarget {
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
  const absent = ABSENT_MEANS['iot-explorer-history'];
  return {
    ...deviceTarget(stored, absent),
    kind: choice<HistoryKind>(stored.kind, ['property', 'event'], absent.kind),
    property: typedField(stored.property, stored.propertyType, absent.propertyType),
    eventId: stored.eventId ?? '',
    eventType: choice<EventType>(stored.eventType, EVENT_TYPES, absent.eventType),
    // A node saved without a range (an imported flow) reads it as a new node does; an
    // explicit blank means msg.start / msg.end.
    range: String(stored.range ?? absent.range),
    rangeUnit: stored.rangeUnit || absent.rangeUnit,
    maxPoints: stored.maxPoints ?? absent.maxPoints,
    output: choice<HistoryOutput>(stored.output, ['chart', 'list'], absent.output),
  };
}

// --- All -------------------------------------------------------------------------------------

/** Each node type's migration, for the tests that hold them all to ABSENT_MEANS. */
export const MIGRATIONS = {
  'iot-explorer-account': migrateAccount,
  'iot-explorer-action': migrateAction,
  'iot-explorer-control': migrateControl,
  'iot-explorer-state': migrateState,
  'iot-explorer-status': migrateStatus,
  'iot-explorer-watch': migrateWatch,
  'iot-explorer-scene': migrateScene,
  'iot-explorer-automation': migrateAutomation,
  'iot-explorer-history': migrateHistory,
} as const satisfies Record<NodeType, (stored: never) => unknown>;

export type NodeSettings = { [T in NodeType]: ReturnType<(typeof MIGRATIONS)[T]> };
