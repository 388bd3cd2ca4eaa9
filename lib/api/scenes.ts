// The family's scenes (手动智能, run on demand) and automations (自动智能, run by conditions):
// the tokenapi calls that list, run and switch them (docs/scenes-history-api.md).

import type { ApiRequester, CallOptions } from './contracts';
import { asText, records } from './envelope';
import { LIST_BUDGET, readLimitError, readList } from './paging';
import type { AutomationSummary, SceneSummary } from '../shared/admin-api';

export type { AutomationSummary, SceneSummary };

/**
 * How `Status` of an automation reads, in the one place that knows it. The doc (1081/50220)
 * says 0 = off, 1 = on; a comment in the official Android app says the opposite. We follow the
 * doc; if the real service disagrees, swap the two numbers here and nowhere else.
 */
export const AUTOMATION_STATUS = { off: 0, on: 1 } as const;

/** The `Status` number that switches an automation on (true) or off (false). */
export function automationStatusFor(enabled: boolean): number {
  return enabled ? AUTOMATION_STATUS.on : AUTOMATION_STATUS.off;
}

/** Whether an automation's `Status` says it is on; a value we cannot read is off. */
export function isAutomationEnabled(status: unknown): boolean {
  return Number(status) === AUTOMATION_STATUS.on && asText(status).trim() !== '';
}

export interface SceneListResult {
  /** One per page asked. */
  requestIds: string[];
  scenes: SceneSummary[];
}

export interface AutomationListResult {
  requestId: string;
  automations: AutomationSummary[];
}

export interface AutomationDetail extends AutomationSummary {
  /** 0: all conditions must hold; 1: any of them. */
  matchType?: number;
  /** "00:00" … "23:59", when the automation may run. */
  effectiveBeginTime?: string;
  effectiveEndTime?: string;
  /** Seven 0/1 digits, Sunday first. */
  effectiveDays?: string;
  conditions: Record<string, unknown>[];
  actions: Record<string, unknown>[];
}

function toScene(raw: Record<string, unknown>, familyId: string): SceneSummary {
  return {
    sceneId: asText(raw.SceneId),
    familyId: asText(raw.FamilyId) || familyId,
    name: asText(raw.SceneName),
    icon: asText(raw.SceneIcon),
    devicesLeft: Number(raw.Flag) === 1,
    running: Number(raw.Status) === 1,
    actionCount: records(raw.Actions).length,
  };
}

function toAutomation(raw: Record<string, unknown>): AutomationSummary {
  return {
    automationId: asText(raw.AutomationId),
    name: asText(raw.Name),
    icon: asText(raw.Icon),
    enabled: isAutomationEnabled(raw.Status),
  };
}

/** `AppGetSceneList`, every page (50 a page, the documented limit), within the list budget. */
export async function listScenes(
  client: ApiRequester,
  familyId: string,
  options: CallOptions = {},
): Promise<SceneListResult> {
  const { items, requestIds } = await readList(
    client,
    'AppGetSceneList',
    { FamilyId: familyId },
    'SceneList',
    options,
  );
  return {
    requestIds,
    scenes: items.map((s) => toScene(s, familyId)).filter((s) => s.sceneId !== ''),
  };
}

/** `AppRunScene`: starts the scene; the reply says only that it was accepted. */
export async function runScene(
  client: ApiRequester,
  sceneId: string,
  options: CallOptions = {},
): Promise<{ requestId: string }> {
  const { requestId } = await client.request('AppRunScene', { SceneId: sceneId }, options);
  return { requestId };
}

/**
 * `AppGetAutomationList`: the family's automations (the API does not page it). A list longer than
 * a list's budget fails with IOTX_READ_LIMIT, as a paged one does.
 */
export async function listAutomations(
  client: ApiRequester,
  familyId: string,
  options: CallOptions = {},
): Promise<AutomationListResult> {
  const { requestId, data } = await client.request(
    'AppGetAutomationList',
    { FamilyId: familyId },
    options,
  );
  const list = records(data.List);
  if (list.length > LIST_BUDGET.maxItems) {
    throw readLimitError('AppGetAutomationList', LIST_BUDGET, requestId);
  }
  return {
    requestId,
    automations: list.map(toAutomation).filter((a) => a.automationId !== ''),
  };
}

/** `AppDescribeAutomation`: one automation with its conditions and actions. */
export async function describeAutomation(
  client: ApiRequester,
  automationId: string,
  options: CallOptions = {},
): Promise<{ requestId: string; automation: AutomationDetail }> {
  const { requestId, data } = await client.request(
    'AppDescribeAutomation',
    { AutomationId: automationId },
    options,
  );
  const raw = (typeof data.Data === 'object' && data.Data !== null ? data.Data : {}) as Record<
    string,
    unknown
  >;
  const matchType = Number(raw.MatchType);
  return {
    requestId,
    automation: {
      ...toAutomation({ AutomationId: automationId, ...raw }),
      matchType: Number.isFinite(matchType) ? matchType : undefined,
      effectiveBeginTime: asText(raw.EffectiveBeginTime) || undefined,
      effectiveEndTime: asText(raw.EffectiveEndTime) || undefined,
      effectiveDays: asText(raw.EffectiveDays) || undefined,
      conditions: records(raw.Conditions),
      actions: records(raw.Actions),
    },
  };
}

/** `AppModifyAutomationStatus`: switches the automation on (true) or off (false). */
export async function setAutomationEnabled(
  client: ApiRequester,
  automationId: string,
  enabled: boolean,
  options: CallOptions = {},
): Promise<{ requestId: string }> {
  const { requestId } = await client.request(
    'AppModifyAutomationStatus',
    { AutomationId: automationId, Status: automationStatusFor(enabled) },
    options,
  );
  return { requestId };
}
