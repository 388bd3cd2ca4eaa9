// The watch node's settings: what it stores, what a property it lacks means (and where a new
// node starts elsewhere), how a node saved by any version reads, and the poll interval's floor.
// Free of Node.js APIs: the editor imports ABSENT and NEW_NODE from here too.
import {
  choice,
  flag,
  upgrade,
  type AbsentMeans,
  type StoredDeviceList,
  type StoredSelection,
  type StoredSelectionRead,
  type StoredVersion,
  SELECTION_ABSENT,
  storedSelection,
} from '../../lib/shared/node-settings';
import { parsePropertyList } from '../../lib/shared/property-list';

/**
 * The version this node saves (its `.html` default; lib/shared/node-settings.ts). 2 added the
 * selection (`selection`, `selectionFilter`); a node saved by 1 or earlier lacks them and keeps
 * its listed device.
 */
export const VERSION = 2;

/** What the node takes for a property its saved configuration lacks. */
export const ABSENT = {
  devices: [],
  properties: '',
  watchState: true,
  watchOnline: true,
  interval: 30,
  emitInitial: false,
  /** Saved before push existed: the node keeps polling. */
  mode: 'poll',
  watchEvents: false,
  watchActions: false,
  ...SELECTION_ABSENT,
} as const satisfies AbsentMeans;

/**
 * Where a node added from now on starts from another value than the one an absent property
 * means: a new watch node listens to the push socket, while one saved before push existed keeps
 * polling, so that no saved flow changes meaning.
 */
export const NEW_NODE = { mode: 'push' } as const satisfies Partial<
  Record<keyof typeof ABSENT, string>
>;

export type WatchMode = 'push' | 'poll';

export interface StoredWatch extends StoredSelection, StoredVersion {
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
  /** Which devices: the listed ones, or those of the home a filter matches (lib/shared/home.ts). */
  selection: StoredSelectionRead;
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
  const saved = upgrade(stored, VERSION);
  const seconds =
    typeof saved.interval === 'number'
      ? saved.interval
      : Number.parseFloat(String(saved.interval ?? ''));
  return {
    mode: choice<WatchMode>(saved.mode, ['push', 'poll'], ABSENT.mode),
    devices: saved.devices ?? [...ABSENT.devices],
    properties: parsePropertyList(saved.properties ?? ABSENT.properties),
    intervalSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : ABSENT.interval,
    watchState: flag(saved.watchState, ABSENT.watchState),
    watchOnline: flag(saved.watchOnline, ABSENT.watchOnline),
    watchEvents: flag(saved.watchEvents, ABSENT.watchEvents),
    watchActions: flag(saved.watchActions, ABSENT.watchActions),
    emitInitial: flag(saved.emitInitial, ABSENT.emitInitial),
    selection: storedSelection(saved),
  };
}

/** The lowest poll interval a node may set, seconds (the cloud's quotas are not for faster). */
export const MIN_INTERVAL_S = 5;

/**
 * The poll interval in ms. Below the minimum it is raised to it; the minimum itself can be
 * lowered only through the runtime setting `iotExplorerWatchMinInterval` (seconds), which exists
 * for tests: the cloud's quotas are not meant for faster polling.
 */
export function watchIntervalMs(seconds: number, minSeconds: number): number {
  return Math.round(Math.max(seconds, minSeconds) * 1000);
}
