// The home node's settings: what it stores, what a property it lacks means, and how a node saved
// by any version reads. Free of Node.js APIs: the editor imports ABSENT from here too.
import type { HomeFilter } from '../../lib/shared/home';
import {
  choice,
  flag,
  trimmed,
  upgrade,
  type AbsentMeans,
  type StoredVersion,
} from '../../lib/shared/node-settings';

/** The version this node saves (its `.html` default; lib/shared/node-settings.ts). */
export const VERSION = 1;

/** What the node takes for a property its saved configuration lacks: the whole home, no values. */
export const ABSENT = {
  familyId: '',
  roomId: '',
  productId: '',
  shared: '',
  online: '',
  withValues: false,
  sendChanges: false,
} as const satisfies AbsentMeans;

/** A yes/no filter as the dialog's select stores it: '' = either. */
type Tristate = '' | 'true' | 'false';

export interface StoredHome extends StoredVersion {
  /** The filter; blank fields match every device. */
  familyId?: string;
  roomId?: string;
  productId?: string;
  shared?: string;
  online?: string;
  /** The devices' current property values in each record (`values`). */
  withValues?: boolean;
  /** A message on every change of the home (`home/added` …). */
  sendChanges?: boolean;
}

export interface HomeSettings {
  filter: HomeFilter;
  withValues: boolean;
  sendChanges: boolean;
}

function tristate(value: string | undefined): boolean | undefined {
  const picked = choice<Tristate>(value, ['', 'true', 'false'], '');
  return picked === '' ? undefined : picked === 'true';
}

export function migrateHome(stored: StoredHome): HomeSettings {
  const saved = upgrade(stored, VERSION);
  const filter: HomeFilter = {};
  const familyId = trimmed(saved.familyId);
  const roomId = trimmed(saved.roomId);
  const productId = trimmed(saved.productId);
  if (familyId) filter.familyId = familyId;
  if (roomId) filter.roomId = roomId;
  if (productId) filter.productId = productId;
  const shared = tristate(saved.shared);
  const online = tristate(saved.online);
  if (shared !== undefined) filter.shared = shared;
  if (online !== undefined) filter.online = online;
  return {
    filter,
    withValues: flag(saved.withValues, ABSENT.withValues),
    sendChanges: flag(saved.sendChanges, ABSENT.sendChanges),
  };
}
