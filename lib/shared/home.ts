/**
 * The home as every part of the package sees it: the device record (the same field names in the
 * home node's list, in `msg.iotexplorer.device` and on the Dashboard 2 panel), a filter and a
 * selection, and the one rule that says which devices a filter matches. Free of Node.js APIs:
 * the runtime, the editor bundle and the Dashboard 2 companion import it alike.
 */
import { DeviceId } from './device-id';

/** The room every family has and the API names `0`: it has no name of its own. */
export const DEFAULT_ROOM_ID = '0';

/** How often the account reads the whole home again, unless its settings say otherwise. */
export const DEFAULT_HOME_REFRESH_MINUTES = 10;

/** A selection acts on at most this many devices, unless the account's settings say otherwise. */
export const DEFAULT_MAX_SELECTION = 50;

/** One device as the home knows it. */
export interface DeviceRecord {
  /** `ProductId/DeviceName`. */
  deviceId: string;
  productId: string;
  deviceName: string;
  /** The name the user gave it in the app (AliasName), or null when it has none. */
  alias: string | null;
  /** The product's name, or null when the products were not read. */
  productName: string | null;
  /** The user's family holding it; null for a device shared with the user. */
  familyId: string | null;
  familyName: string | null;
  /** Its room; `0` is the family's default room. Null for a device shared with the user. */
  roomId: string | null;
  /** The room's name; null for the default room and for shared devices, never a translated word. */
  roomName: string | null;
  /** True for a device another user shared with this one. */
  shared: boolean;
  /** Who shared it, where the service says so; else null. */
  sharedBy: string | null;
  /** The online state last known; null when it is not known yet. */
  online: boolean | null;
}

/** A room of a family (the default room included, with a null name). */
export interface HomeRoom {
  roomId: string;
  roomName: string | null;
  /** Devices in the room, the user's own. */
  deviceCount: number;
}

/** A family (家庭) of the user, with its rooms. */
export interface HomeFamily {
  familyId: string;
  familyName: string;
  /** 1: the user administers it; 0: an ordinary member; null when not said. */
  role: number | null;
  rooms: HomeRoom[];
}

/** The home at one moment: what the home node sends as `msg.payload`. */
export interface HomeSnapshot {
  families: HomeFamily[];
  devices: DeviceRecord[];
  /** When the lists were last read in full (ms since the epoch); null before the first read. */
  loadedAt: number | null;
  /** True when the last refresh was cut short: the lists are the last complete ones. */
  stale: boolean;
}

/** What a selection or the home node's filter asks for; an absent field matches every device. */
export interface HomeFilter {
  familyId?: string;
  roomId?: string;
  productId?: string;
  shared?: boolean;
  online?: boolean;
}

/** The fields of {@link HomeFilter}, in the order the editor shows them. */
export const HOME_FILTER_FIELDS = ['familyId', 'roomId', 'productId', 'shared', 'online'] as const;

/**
 * Which devices a watch, control or call-action node works on: the devices it lists (what an
 * absent selection means in a flow saved before selections existed), or every device of the
 * home a filter matches, resolved at run time.
 */
export type SelectionMode = 'devices' | 'filter';

export interface Selection {
  mode: SelectionMode;
  /** For `filter`: what the devices must match; at least one field. */
  filter?: HomeFilter;
}

/** What the home noticed about a device between two complete reads. */
export type HomeChangeKind = 'added' | 'removed' | 'renamed' | 'moved' | 'shared' | 'unshared';

export const HOME_CHANGE_KINDS: readonly HomeChangeKind[] = [
  'added',
  'removed',
  'renamed',
  'moved',
  'shared',
  'unshared',
];

export interface HomeChange {
  kind: HomeChangeKind;
  /** The record as it is now (as it was last, for `removed` and `unshared`). */
  device: DeviceRecord;
  /** The record before the change, for `renamed` and `moved`. */
  before?: DeviceRecord;
}

/** The home node's topic for a change: `home/added`, `home/removed`, … */
export function homeChangeTopic(kind: HomeChangeKind): string {
  return `home/${kind}`;
}

/** True when the record satisfies every field the filter sets. */
export function matchesFilter(record: DeviceRecord, filter: HomeFilter): boolean {
  if (filter.familyId !== undefined && record.familyId !== filter.familyId) return false;
  if (filter.roomId !== undefined && record.roomId !== filter.roomId) return false;
  if (filter.productId !== undefined && record.productId !== filter.productId) return false;
  if (filter.shared !== undefined && record.shared !== filter.shared) return false;
  if (filter.online !== undefined && record.online !== filter.online) return false;
  return true;
}

/** The devices of the list that the filter matches, in the list's order. */
export function filterDevices(
  devices: readonly DeviceRecord[],
  filter: HomeFilter,
): DeviceRecord[] {
  return devices.filter((record) => matchesFilter(record, filter));
}

/** True when the filter sets no field (it would match every device of the home). */
export function isEmptyFilter(filter: HomeFilter): boolean {
  return HOME_FILTER_FIELDS.every((field) => filter[field] === undefined);
}

/**
 * Reads a filter from a message or a stored node (`msg.filter`): an object whose known fields
 * are a non-empty string (familyId, roomId, productId) or a boolean (shared, online). Returns
 * the filter, or the name of the first field that is wrong (`filter` itself when it is not an
 * object, `filter.<field>` for an unknown field), so the caller's error names it.
 */
export function readHomeFilter(value: unknown): { filter: HomeFilter } | { wrong: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { wrong: 'filter' };
  }
  const filter: HomeFilter = {};
  for (const [field, raw] of Object.entries(value as Record<string, unknown>)) {
    if (raw === undefined || raw === null || raw === '') continue;
    switch (field) {
      case 'familyId':
      case 'roomId':
      case 'productId':
        if (typeof raw === 'number' && field === 'roomId' && Number.isInteger(raw)) {
          filter.roomId = String(raw);
          break;
        }
        if (typeof raw !== 'string' || raw.trim() === '') return { wrong: `filter.${field}` };
        filter[field] = raw.trim();
        break;
      case 'shared':
      case 'online':
        if (typeof raw !== 'boolean') return { wrong: `filter.${field}` };
        filter[field] = raw;
        break;
      default:
        return { wrong: `filter.${field}` };
    }
  }
  return { filter };
}

/**
 * A record with only the ids, for a device the home does not know (yet): a call never waits for
 * the home's names, so its message carries this until the home is read.
 */
export function bareRecord(productId: string, deviceName: string): DeviceRecord {
  return {
    deviceId: DeviceId.format({ productId, deviceName }),
    productId,
    deviceName,
    alias: null,
    productName: null,
    familyId: null,
    familyName: null,
    roomId: null,
    roomName: null,
    shared: false,
    sharedBy: null,
    online: null,
  };
}

/** A label for people: the alias, else the DeviceName. */
export function deviceLabel(record: DeviceRecord): string {
  return record.alias ?? record.deviceName;
}
