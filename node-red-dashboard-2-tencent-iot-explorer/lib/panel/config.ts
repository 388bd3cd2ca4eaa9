/**
 * The device panel node's stored configuration, read the one way the runtime and the tests
 * agree on: what a property the flow lacks means, and what each selection needs. Flows store
 * these names; they are this node's public interface.
 */

import type { DeviceSelection } from '../source/panel-source';
import { parseGuardList, type PanelPolicy } from './policy';
import { DEFAULT_EVENTS_SHOWN } from './panel-hub';

/** The node's own stored properties (beside Dashboard 2's `group`, `order`, `width`, `height`). */
export interface StoredPanelConfig {
  account?: string;
  /** `devices` (default), `room`, `family` or `product`. */
  selection?: string;
  /** `devices`: `ProductId/DeviceName` of each device, in the order shown. */
  devices?: unknown;
  familyId?: string;
  /** `room`: the room's id; `0` for the family's default room. */
  roomId?: string;
  productId?: string;
  /** The panel may set writable properties (default true). */
  allowProperties?: boolean;
  /** The panel may call actions (default true). */
  allowActions?: boolean;
  /** Properties and actions that open or unlock may be used, each confirmed (default false). */
  allowGuarded?: boolean;
  /** More words that mark an id as opening or unlocking, separated by commas or spaces. */
  guardWords?: string;
  /** Events shown per device (default 5, 0 for none). */
  events?: number | string;
}

/** What the stored properties mean when a flow lacks them (the editor shows the same). */
export const PANEL_DEFAULTS = {
  selection: 'devices',
  devices: [] as string[],
  allowProperties: true,
  allowActions: true,
  allowGuarded: false,
  guardWords: '',
  events: DEFAULT_EVENTS_SHOWN,
} as const;

/** The largest number of events a card keeps. */
export const MAX_EVENTS_SHOWN = 20;

export interface PanelSettings {
  account: string;
  selection: DeviceSelection;
  policy: PanelPolicy;
  eventsShown: number;
}

/** A selection that cannot be used; `key` names the problem in the node's catalogue. */
export class PanelConfigError extends Error {
  readonly code = 'IOTX_PANEL_BAD_CONFIG';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

const DEVICE_ID = /^[^/\s]+\/[^/\s]+$/;

/** `PID/DN` strings from a list, or from text separated by commas, spaces or new lines. */
export function readDeviceIds(raw: unknown): string[] | undefined {
  const items =
    typeof raw === 'string'
      ? raw.split(/[\s,;]+/)
      : Array.isArray(raw)
        ? (raw as unknown[])
        : undefined;
  if (!items) return undefined;
  const ids: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') return undefined;
    const id = item.trim();
    if (id === '') continue;
    if (!DEVICE_ID.test(id)) return undefined;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * A selection from stored (or message) fields. Throws {@link PanelConfigError} when the fields
 * do not make one.
 */
export function readSelection(fields: {
  selection?: unknown;
  devices?: unknown;
  familyId?: unknown;
  roomId?: unknown;
  productId?: unknown;
}): DeviceSelection {
  const type = fields.selection ?? PANEL_DEFAULTS.selection;
  const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
  switch (type) {
    case 'devices': {
      const deviceIds = readDeviceIds(fields.devices ?? PANEL_DEFAULTS.devices);
      if (!deviceIds) {
        throw new PanelConfigError('badDevices', 'devices must be ProductId/DeviceName texts');
      }
      return { type: 'devices', deviceIds };
    }
    case 'room': {
      const familyId = text(fields.familyId);
      const roomId = text(fields.roomId);
      if (!familyId || !roomId) {
        throw new PanelConfigError('noRoom', 'a room selection needs familyId and roomId');
      }
      return { type: 'room', familyId, roomId };
    }
    case 'family': {
      const familyId = text(fields.familyId);
      if (!familyId) throw new PanelConfigError('noFamily', 'a family selection needs familyId');
      return { type: 'family', familyId };
    }
    case 'product': {
      const productId = text(fields.productId);
      if (!productId)
        throw new PanelConfigError('noProduct', 'a product selection needs productId');
      return { type: 'product', productId };
    }
    default:
      throw new PanelConfigError(
        'badSelection',
        `selection must be devices, room, family or product, not ${JSON.stringify(type)}`,
      );
  }
}

function flag(value: unknown, absent: boolean): boolean {
  return typeof value === 'boolean'
    ? value
    : value === 'true'
      ? true
      : value === 'false'
        ? false
        : absent;
}

/** The settings a stored node means. Throws {@link PanelConfigError} for an unusable selection. */
export function readPanelConfig(stored: StoredPanelConfig): PanelSettings {
  const events = Number(stored.events ?? PANEL_DEFAULTS.events);
  return {
    account: typeof stored.account === 'string' ? stored.account : '',
    selection: readSelection(stored),
    policy: {
      allowProperties: flag(stored.allowProperties, PANEL_DEFAULTS.allowProperties),
      allowActions: flag(stored.allowActions, PANEL_DEFAULTS.allowActions),
      allowGuarded: flag(stored.allowGuarded, PANEL_DEFAULTS.allowGuarded),
      extraGuards: parseGuardList(stored.guardWords ?? PANEL_DEFAULTS.guardWords),
    },
    eventsShown: Number.isFinite(events)
      ? Math.min(MAX_EVENTS_SHOWN, Math.max(0, Math.round(events)))
      : PANEL_DEFAULTS.events,
  };
}

/** `msg.hide`: a list (or one text) of ids to hide; an empty list shows everything again. */
export function readHidden(raw: unknown): string[] | undefined {
  if (typeof raw === 'string') return raw.trim() === '' ? [] : [raw.trim()];
  if (!Array.isArray(raw)) return undefined;
  const ids: string[] = [];
  for (const item of raw as unknown[]) {
    if (typeof item !== 'string') return undefined;
    if (item.trim() !== '') ids.push(item.trim());
  }
  return ids;
}
