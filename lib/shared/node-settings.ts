/**
 * How a saved node's properties are read: the readers every node's settings module
 * (`nodes/<type>/settings.ts`) uses, what an absent payload-like field means, the stored device
 * list, and the `version` every node stores. A flow may have been saved by any earlier version,
 * written by hand or imported from an example; each node's migration reads it with these.
 * Free of Node.js APIs: the editor bundle imports it too.
 */
import { isEmptyFilter, readHomeFilter, type Selection, type SelectionMode } from './home';

/** A value a node property may hold in a saved flow. */
export type StoredValue = string | number | boolean | readonly unknown[];

/** What a node takes for each property its saved configuration lacks. */
export type AbsentMeans = Readonly<Record<string, StoredValue>>;

/** A TypedInput as Node-RED stores it: `productId` and `productIdType`, say. */
export interface TypedField {
  value: string;
  type: string;
}

// --- The version -----------------------------------------------------------------------------

/**
 * The version of a node saved without one: every shape from before nodes stored a version
 * (those are told apart by the properties they lack). Version 1 is the first stored.
 */
export const EARLIEST_VERSION = 0;

/** The property every node stores its version in (a default in its `.html`). */
export interface StoredVersion {
  version?: unknown;
}

/** The version a node was saved with: a whole number, or a text holding one; else the earliest. */
export function storedVersion(stored: StoredVersion): number {
  const raw = stored.version;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
    ? value
    : EARLIEST_VERSION;
}

/**
 * The steps of a node's migration between stored versions: `steps[v]` turns the properties as
 * version v saved them into those version v + 1 saves. A version whose shape differs from the
 * one before only by new properties needs no step: their absent values say what older nodes do.
 */
export type Upgrades<S> = Readonly<Partial<Record<number, (stored: S) => S>>>;

/**
 * The stored properties in the shape version `current` saves: every step from the saved version
 * up to `current`, in order (a node's migration passes its steps once it has one). A node saved by a later version than `current` (a flow moved to an
 * older installation) is read as it is: properties this version does not know are ignored.
 */
export function upgrade<S extends StoredVersion>(
  stored: S,
  current: number,
  steps: Upgrades<S> = {},
): S {
  let shape = stored;
  for (let version = storedVersion(stored); version < current; version += 1) {
    const step = steps[version];
    if (step) shape = step(shape);
  }
  return shape;
}

// --- Absent properties -----------------------------------------------------------------------

/** The TypedInput a device field falls back to: a literal text. */
export const DEVICE_TARGET_ABSENT = { productIdType: 'str', deviceNameType: 'str' } as const;
/** A payload-like TypedInput without a saved type: `msg.payload`. */
export const PAYLOAD_ABSENT = { value: 'payload', type: 'msg' } as const;

/** Payload-like fields: without a saved type, the runtime reads `msg.payload`, whatever the value. */
const PAYLOAD_FIELDS: Readonly<Record<string, string>> = {
  inputParams: 'inputParamsType',
  data: 'dataType',
};

/**
 * The properties of a saved node that are absent, each with what the node takes instead
 * (`means`: the node's ABSENT). A payload-like field without its type is read as `msg.payload`,
 * and so shown.
 */
export function absentFrom(
  means: AbsentMeans,
  saved: Readonly<Record<string, unknown>>,
): Record<string, StoredValue> {
  const out: Record<string, StoredValue> = {};
  const typeProperties = new Set(Object.values(PAYLOAD_FIELDS));
  for (const [property, value] of Object.entries(means)) {
    const typeProperty = PAYLOAD_FIELDS[property] ?? (typeProperties.has(property) ? property : '');
    const absent = typeProperty ? !saved[typeProperty] : saved[property] === undefined;
    if (absent) out[property] = value;
  }
  return out;
}

// --- Readers ---------------------------------------------------------------------------------

/** The stored value when it is one of `allowed`; anything else (absent, misspelt) is `absent`. */
export function choice<T extends string>(value: unknown, allowed: readonly T[], absent: T): T {
  return (allowed as readonly unknown[]).includes(value) ? (value as T) : absent;
}

/** A checkbox: its stored boolean, else what an absent one means. */
export function flag(value: unknown, absent: boolean): boolean {
  return typeof value === 'boolean' ? value : absent;
}

/** A stored text, trimmed; '' when absent. */
export function trimmed(value: string | undefined): string {
  return (value ?? '').trim();
}

/** A number field of the dialog: a number, or a text holding one; NaN otherwise. */
export function storedNumber(raw: string | number | undefined): number {
  return typeof raw === 'number' ? raw : Number(String(raw ?? '').trim() || Number.NaN);
}

/** A whole number of at least `min`, else `absent` (old flows lack the field). */
export function count(raw: string | number | undefined, min: number, absent: number): number {
  const value = storedNumber(raw);
  return Number.isInteger(value) && value >= min ? value : absent;
}

/** A TypedInput: its value ('' when absent) and its type (the absent type when blank). */
export function storedTypedField(
  value: string | undefined,
  type: string | undefined,
  absentType: string,
): TypedField {
  return { value: value ?? '', type: type || absentType };
}

/**
 * A payload-like TypedInput (InputParams, control data). Saved without its type (before the
 * field existed, or by hand) it reads `msg.payload` whatever the value: the rule of
 * {@link absentFrom}, which the editor shows, applied here rather than written again.
 */
export function payloadField(means: AbsentMeans, stored: object, name: string): TypedField {
  const saved = stored as Readonly<Record<string, unknown>>;
  const absent = absentFrom(means, saved);
  const read = (property: string): string => String(absent[property] ?? saved[property] ?? '');
  return { value: read(name), type: read(`${name}Type`) };
}

// --- Devices ---------------------------------------------------------------------------------

/** The ProductId and DeviceName TypedInputs most device nodes store. */
export interface StoredDeviceTarget {
  productId?: string;
  productIdType?: string;
  deviceName?: string;
  deviceNameType?: string;
}

/** The ProductId and DeviceName fields a device node resolves per message. */
export interface DeviceTargetFields {
  productId: TypedField;
  deviceName: TypedField;
}

export function deviceTarget(
  stored: StoredDeviceTarget,
  absent: { productIdType: string; deviceNameType: string },
): DeviceTargetFields {
  return {
    productId: storedTypedField(stored.productId, stored.productIdType, absent.productIdType),
    deviceName: storedTypedField(stored.deviceName, stored.deviceNameType, absent.deviceNameType),
  };
}

/** One row of a node's device list (watch, status), as the editor stores it. */
export interface StoredDeviceRow {
  productId: string;
  deviceName: string;
}

/** An entry of a stored device list: an editor row, or a `PID/DN` text (older or hand-written). */
export type StoredDeviceEntry = StoredDeviceRow | string;

/** A device list as stored: editor rows, or 'PID/DN' texts in hand-written flows. */
export type StoredDeviceList = StoredDeviceRow[] | string[];

// --- Selections ------------------------------------------------------------------------------

/**
 * What the watch, control and call-action nodes take when their saved configuration lacks a
 * selection: the devices they list (every flow saved before selections existed), no filter.
 */
export const SELECTION_ABSENT = { selection: 'devices' } as const satisfies AbsentMeans;

/** The two stored properties of a selection (lib/shared/home.ts: Selection). */
export interface StoredSelection {
  /** `devices` (the listed devices; also what an absent one means) or `filter`. */
  selection?: unknown;
  /** A HomeFilter object: `{familyId?, roomId?, productId?, shared?, online?}`. */
  selectionFilter?: unknown;
}

/**
 * A node's selection as stored. `filter` with a filter that is not one (`wrong` names the field)
 * or sets no field (`empty`) is a configuration error the node reports: a filter matching the
 * whole home is never what an absent field was meant to say.
 */
export interface StoredSelectionRead {
  selection: Selection;
  /** The filter's wrong field (`filter.roomId`, …), when the stored filter is not one. */
  wrong?: string;
  /** True for a `filter` selection whose filter sets no field. */
  empty?: boolean;
}

export function storedSelection(stored: StoredSelection): StoredSelectionRead {
  const mode = choice<SelectionMode>(
    stored.selection,
    ['devices', 'filter'],
    SELECTION_ABSENT.selection,
  );
  if (mode === 'devices') return { selection: { mode } };
  const read = readHomeFilter(stored.selectionFilter ?? {});
  if ('wrong' in read) return { selection: { mode, filter: {} }, wrong: read.wrong };
  return isEmptyFilter(read.filter)
    ? { selection: { mode, filter: read.filter }, empty: true }
    : { selection: { mode, filter: read.filter } };
}
