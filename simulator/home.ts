// Fills a new model's scenes, automations and history from the fixture.

import type { ModelAutomation } from './automations';
import type { Fixture } from './fixture';
import { generateHistory } from './history';
import type { SimulatorModel } from './model';
import type { SmartAction } from './scenes';

/** `start` is the model's clock at construction (ms). */
export function seedHome(model: SimulatorModel, fixture: Fixture, start: number): void {
  for (const s of fixture.scenes ?? []) {
    const family = model.families.get(s.FamilyId)!;
    const admin = [...family.members].find(([, role]) => role === 1)?.[0];
    model.scenes.scenes.set(s.SceneId, {
      SceneId: s.SceneId,
      FamilyId: s.FamilyId,
      SceneName: s.SceneName,
      SceneIcon: s.SceneIcon ?? '',
      UserId: s.UserId ?? admin ?? '',
      CreateTime: s.CreateTime ?? Math.floor(start / 1000),
      UpdateTime: s.UpdateTime ?? s.CreateTime ?? Math.floor(start / 1000),
      // validateScenes has turned every action into the API's shape.
      Actions: s.Actions as SmartAction[],
      running: undefined,
    });
  }
  for (const a of fixture.automations ?? []) {
    const automation: ModelAutomation = {
      AutomationId: a.AutomationId,
      FamilyId: a.FamilyId,
      Name: a.Name,
      Icon: a.Icon ?? '',
      enabled: a.enabled,
      MatchType: a.MatchType ?? 0,
      EffectiveBeginTime: a.EffectiveBeginTime ?? '00:00',
      EffectiveEndTime: a.EffectiveEndTime ?? '23:59',
      EffectiveDays: a.EffectiveDays ?? '1111111',
      Conditions: structuredClone(a.Conditions),
      Actions: a.Actions as SmartAction[],
      statusChangedAt: start,
    };
    model.automations.set(a.AutomationId, automation);
  }
  // The generated past first, then every property's value at start.
  for (const spec of fixture.generatedHistory ?? []) {
    const device = model.devices.get(spec.device)!;
    const define = model.propertyDefinition(device, spec.property)!.define;
    for (const p of generateHistory(spec, define, start)) {
      model.history.recordProperty(device.deviceId, spec.property, p.value, p.time);
    }
  }
  for (const device of model.devices.values()) {
    for (const [id, state] of Object.entries(device.properties)) {
      model.history.recordProperty(device.deviceId, id, state.Value, state.LastUpdate);
    }
  }
  for (const e of fixture.pastEvents ?? []) {
    const device = model.devices.get(e.device)!;
    const event = device.product.template.events.find((x) => x.id === e.eventId)!;
    model.history.recordEvent({
      time: start - Math.round(e.agoSeconds * 1000),
      productId: device.productId,
      deviceName: device.deviceName,
      eventId: event.id,
      type: event.type,
      params: e.params ?? {},
    });
  }
}
