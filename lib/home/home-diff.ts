// What changed in the home between two complete reads, device by device: the one rule behind
// the home node's `home/*` messages and every listener of the model.

import type { DeviceRecord, HomeChange } from '../shared/home';

/**
 * The changes from `before` to `after` (both complete reads), in `after`'s order, then the
 * devices that left in `before`'s order:
 * - a device new to the home is `added` (owned) or `shared` (shared with the user);
 * - a device gone is `removed` (it was owned) or `unshared` (it was shared);
 * - a device that went from owned to shared is `shared`, from shared to owned `added`;
 * - a device in another family or room is `moved`; one with another alias `renamed` (both when
 *   both changed). Product names, room names and online states are not changes of the home.
 */
export function diffHomes(
  before: readonly DeviceRecord[],
  after: readonly DeviceRecord[],
): HomeChange[] {
  const old = new Map(before.map((record) => [record.deviceId, record]));
  const changes: HomeChange[] = [];
  for (const device of after) {
    const was = old.get(device.deviceId);
    old.delete(device.deviceId);
    if (!was) {
      changes.push({ kind: device.shared ? 'shared' : 'added', device });
      continue;
    }
    if (was.shared !== device.shared) {
      changes.push({ kind: device.shared ? 'shared' : 'added', device, before: was });
      continue;
    }
    if (was.familyId !== device.familyId || was.roomId !== device.roomId) {
      changes.push({ kind: 'moved', device, before: was });
    }
    if (was.alias !== device.alias) changes.push({ kind: 'renamed', device, before: was });
  }
  for (const gone of old.values()) {
    changes.push({ kind: gone.shared ? 'unshared' : 'removed', device: gone });
  }
  return changes;
}
