// What the selection's pickers offer and what its preview says, from the account's home (the
// `home` route's answer): pure, so that it can be tested without a browser. Which devices a
// filter matches is the runtime's rule, imported from lib/shared/home.ts, never restated here.

import type { HomeSummary } from '../lib/shared/admin-api';
import {
  DEFAULT_ROOM_ID,
  deviceLabel,
  filterDevices,
  isEmptyFilter,
  readHomeFilter,
  type DeviceRecord,
  type HomeFilter,
  type SelectionMode,
} from '../lib/shared/home';
import { sharedProductId } from './lists';

/** A node's stored `selection`: `filter`, else `devices` (what an absent one means). */
export function storedMode(value: unknown): SelectionMode {
  return value === 'filter' ? 'filter' : 'devices';
}

/** A node's stored `selectionFilter` read by the runtime's rule (absent: no field set). */
export function storedFilter(value: unknown): { filter: HomeFilter } | { wrong: string } {
  return readHomeFilter(value ?? {});
}

/** Why a selection cannot run (an `editor.*` key and its parameters), or undefined. */
export function selectionProblem(
  mode: SelectionMode,
  read: { filter: HomeFilter } | { wrong: string },
): { key: string; params?: Record<string, string> } | undefined {
  if (mode !== 'filter') return undefined;
  if ('wrong' in read) return { key: 'filterWrong', params: { field: read.wrong } };
  return isEmptyFilter(read.filter) ? { key: 'filterEmpty' } : undefined;
}

/** One choice of a select: its value, and its text (null: the caller's word for it). */
export interface Choice {
  value: string;
  text: string | null;
  /** The family a room belongs to (rooms only; none for the default room of every family). */
  familyId?: string;
}

/**
 * The rooms to offer: those of the family chosen, or, with no family chosen, every family's
 * rooms, each with its family's name, and the default room (`0` in every family) once. A null
 * text is the default room's: the caller names it in the editor's language.
 */
export function roomChoices(home: HomeSummary, familyId: string): Choice[] {
  const choices: Choice[] = [];
  let defaultRoom = false;
  for (const family of home.families) {
    if (familyId !== '' && family.familyId !== familyId) continue;
    for (const room of family.rooms) {
      if (room.roomId === DEFAULT_ROOM_ID) {
        defaultRoom = true;
        continue;
      }
      choices.push({
        value: room.roomId,
        text:
          familyId === ''
            ? `${room.roomName ?? room.roomId} · ${family.familyName}`
            : room.roomName,
        familyId: family.familyId,
      });
    }
  }
  return defaultRoom ? [{ value: DEFAULT_ROOM_ID, text: null }, ...choices] : choices;
}

/**
 * The products of the home's devices, each once, by name: the id when it has none, and beside
 * the name when two products share it.
 */
export function productChoices(devices: readonly DeviceRecord[]): Choice[] {
  const names = new Map<string, string>();
  for (const d of devices) {
    if (!names.has(d.productId) || names.get(d.productId) === d.productId) {
      names.set(d.productId, d.productName ?? d.productId);
    }
  }
  const uses = new Map<string, number>();
  for (const name of names.values()) uses.set(name, (uses.get(name) ?? 0) + 1);
  return [...names].map(([value, name]) => ({
    value,
    text: name === value || uses.get(name) === 1 ? name : `${name} (${value})`,
  }));
}

/** What a filter matches in the home now, as the preview says it. */
export type Preview =
  | { kind: 'empty' }
  | { kind: 'none' }
  | { kind: 'tooMany'; count: number; max: number }
  | { kind: 'some'; count: number; names: string[]; more: boolean; devices: DeviceRecord[] };

/** How many names the preview shows before "…". */
export const PREVIEW_NAMES = 3;

/**
 * The preview of `filter` over the home's devices (the runtime's rule, `filterDevices`): none,
 * more than the account's `max` (both errors the node reports when it runs), or the devices,
 * the first few by name.
 */
export function previewOf(
  devices: readonly DeviceRecord[],
  filter: HomeFilter,
  max: number,
): Preview {
  if (isEmptyFilter(filter)) return { kind: 'empty' };
  const matched = filterDevices(devices, filter);
  if (matched.length === 0) return { kind: 'none' };
  if (matched.length > max) return { kind: 'tooMany', count: matched.length, max };
  return {
    kind: 'some',
    count: matched.length,
    names: matched.slice(0, PREVIEW_NAMES).map(deviceLabel),
    more: matched.length > PREVIEW_NAMES,
    devices: matched,
  };
}

/**
 * The product whose template the dialog's pickers (properties, actions) and checks use: the
 * filter's product, else the one every matched device has; '' when the devices mix products.
 */
export function selectionProductId(filter: HomeFilter, matched: readonly DeviceRecord[]): string {
  return filter.productId ?? sharedProductId(matched);
}

/**
 * A short name for what a filter selects, for a node's canvas label: the room (or family), the
 * product, then "shared" / "online" marks, by the names the home gives them. `words` names what
 * the home has no name for, in the editor's language.
 */
export function filterName(
  filter: HomeFilter,
  home: HomeSummary | undefined,
  words: { defaultRoom: string; shared: string; own: string; online: string; offline: string },
): string {
  const parts: string[] = [];
  const family = home?.families.find((f) => f.familyId === filter.familyId);
  if (filter.roomId !== undefined) {
    const room = home?.families
      .filter((f) => filter.familyId === undefined || f.familyId === filter.familyId)
      .flatMap((f) => f.rooms)
      .find((r) => r.roomId === filter.roomId);
    parts.push(
      filter.roomId === DEFAULT_ROOM_ID ? words.defaultRoom : (room?.roomName ?? filter.roomId),
    );
  } else if (filter.familyId !== undefined) {
    parts.push(family?.familyName ?? filter.familyId);
  }
  if (filter.productId !== undefined) {
    const product = home?.devices.find((d) => d.productId === filter.productId);
    parts.push(product?.productName ?? filter.productId);
  }
  if (filter.shared !== undefined) parts.push(filter.shared ? words.shared : words.own);
  if (filter.online !== undefined) parts.push(filter.online ? words.online : words.offline);
  return parts.join(' · ');
}
