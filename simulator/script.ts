// Fixture scripts: devices that change by themselves (a sensor's temperature drifts, a device
// drops offline), so that polling can be demonstrated and tested.

import type { ScriptEntry } from './fixture';
import type { ModelDevice, SimulatorModel } from './model';
import type { Scheduler } from './scheduler';
import { toggleValue, walkValue } from './template';

/** Applies one run of a script entry to its device. */
export function applyScriptEntry(
  model: SimulatorModel,
  device: ModelDevice,
  entry: ScriptEntry,
): void {
  if (entry.online !== undefined) model.setOnline(device, entry.online);
  if (entry.toggleOnline) model.setOnline(device, !device.online);
  // An offline device reports nothing: its properties stay as the cloud last saw them.
  if (!device.online) return;
  // One run is one report message from the device (one push), whatever it changes.
  const values: Record<string, unknown> = { ...(entry.set ?? {}) };
  for (const id of entry.toggle ?? []) {
    const def = model.propertyDefinition(device, id)!;
    values[id] = toggleValue(def.define, device.properties[id]?.Value);
  }
  for (const [id, step] of Object.entries(entry.walk ?? {})) {
    const def = model.propertyDefinition(device, id)!;
    const current = device.properties[id]?.Value;
    values[id] = walkValue(def.define, typeof current === 'number' ? current : 0, step);
  }
  model.reportProperties(device, values);
  if (entry.event) model.postEvent(device, entry.event.id, entry.event.params);
}

/** Schedules every entry; the scheduler cancels them all when the simulator closes. */
export function startScripts(
  model: SimulatorModel,
  scheduler: Scheduler,
  entries: readonly ScriptEntry[],
  log: (line: string) => void,
): void {
  for (const entry of entries) {
    const device = model.devices.get(entry.device);
    if (!device) continue;
    let runs = 0;
    const run = (): void => {
      try {
        applyScriptEntry(model, device, entry);
      } catch (err) {
        log(`script ${entry.device}: ${(err as Error).message}`);
      }
      runs += 1;
      if (entry.everyMs !== undefined && (entry.times === undefined || runs < entry.times)) {
        scheduler.after(entry.everyMs, run);
      }
    };
    scheduler.after(entry.afterMs ?? 0, run);
  }
}
