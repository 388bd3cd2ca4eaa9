// Automations (自动智能): a family's condition → actions rules, each on or off. The simulator
// keeps their definitions and their on/off state; AppModifyAutomationStatus switches them.
// Conditions are described, not evaluated (see README).

import { errors } from './envelope';
import type { ModelUser } from './model';
import { optionalInt, requiredString, type ApiContext } from './params';
import {
  checkFields,
  fixtureString,
  toSmartAction,
  type FixtureFail,
  type FixtureLookup,
  type FixtureSmartAction,
  type SmartAction,
} from './scenes';
import type { TokenHandler } from './tokenapi';

/**
 * The wire value of an automation's `Status`, in AppGetAutomationList, AppDescribeAutomation and
 * AppModifyAutomationStatus. The doc (1081/50220) says 0 = off, 1 = on; a comment in the Android
 * app says 0 = on, 1 = off. The simulator follows the doc. This is the only place that reading
 * lives: swap the two numbers to model the other one.
 */
export const AUTOMATION_STATUS = { off: 0, on: 1 } as const;

export function automationStatus(enabled: boolean): number {
  return enabled ? AUTOMATION_STATUS.on : AUTOMATION_STATUS.off;
}

/** A condition as AppDescribeAutomation returns it [S; the nesting keys are an inference]. */
export type AutomationCondition =
  | {
      CondId: string;
      CondType: 0;
      Property: {
        ProductId: string;
        DeviceName: string;
        AliasName: string;
        IconUrl: string;
        PropertyId: string;
        Op: string;
        Value: unknown;
      };
    }
  | { CondId: string; CondType: 1; Timer: { TimerName: string; Days: string; TimePoint: string } };

export interface ModelAutomation {
  readonly AutomationId: string;
  readonly FamilyId: string;
  readonly Name: string;
  readonly Icon: string;
  enabled: boolean;
  /** 0 = all conditions, 1 = any. */
  readonly MatchType: 0 | 1;
  readonly EffectiveBeginTime: string;
  readonly EffectiveEndTime: string;
  /** Seven 0/1 digits, Sunday first. */
  readonly EffectiveDays: string;
  readonly Conditions: readonly AutomationCondition[];
  readonly Actions: readonly SmartAction[];
  /** ms of the last status change (for /_sim). */
  statusChangedAt: number;
}

// ---- Actions ----

/** The automation a request names, if the user is a member of its family. */
function memberAutomation(ctx: ApiContext, user: ModelUser, id: string): ModelAutomation {
  const automation = ctx.model.automations.get(id);
  // An unknown automation answers like another family's, so ids are not leaked.
  if (!automation || !ctx.model.isMember(user.UserID, automation.FamilyId)) {
    throw errors.noPermission(`automation ${id}`);
  }
  return automation;
}

const getAutomationList: TokenHandler = (params, ctx, user) => {
  const familyId = requiredString(params, 'FamilyId');
  if (!ctx.model.isMember(user.UserID, familyId)) throw errors.noPermissionToFamily(familyId);
  const list = [...ctx.model.automations.values()].filter((a) => a.FamilyId === familyId);
  return {
    List: list.map((a) => ({
      AutomationId: a.AutomationId,
      Icon: a.Icon,
      Name: a.Name,
      Status: automationStatus(a.enabled),
    })),
  };
};

const describeAutomation: TokenHandler = (params, ctx, user) => {
  const a = memberAutomation(ctx, user, requiredString(params, 'AutomationId'));
  return {
    Data: {
      AutomationId: a.AutomationId,
      Icon: a.Icon,
      Name: a.Name,
      Status: automationStatus(a.enabled),
      MatchType: a.MatchType,
      EffectiveBeginTime: a.EffectiveBeginTime,
      EffectiveEndTime: a.EffectiveEndTime,
      EffectiveDays: a.EffectiveDays,
      Conditions: structuredClone(a.Conditions),
      Actions: a.Actions.map((x) => ({ ...x })),
    },
  };
};

const modifyAutomationStatus: TokenHandler = (params, ctx, user) => {
  const a = memberAutomation(ctx, user, requiredString(params, 'AutomationId'));
  if (params.Status === undefined || params.Status === null) throw errors.requiredParam('Status');
  const status = optionalInt(params, 'Status', 0, 1)!;
  a.enabled = status === AUTOMATION_STATUS.on;
  a.statusChangedAt = ctx.now();
  return {};
};

export const automationActions: Readonly<Record<string, TokenHandler>> = {
  AppGetAutomationList: getAutomationList,
  AppDescribeAutomation: describeAutomation,
  AppModifyAutomationStatus: modifyAutomationStatus,
};

// ---- fixture ----

export interface FixtureAutomation {
  AutomationId: string;
  FamilyId: string;
  Name: string;
  Icon?: string;
  /** On or off at start (a boolean, so the fixture does not depend on the Status reading). */
  enabled: boolean;
  MatchType?: 0 | 1;
  EffectiveBeginTime?: string;
  EffectiveEndTime?: string;
  EffectiveDays?: string;
  Conditions: AutomationCondition[];
  Actions: FixtureSmartAction[];
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAYS = /^[01]{7}$/;

function condition(
  raw: unknown,
  where: string,
  lookup: FixtureLookup,
  fail: FixtureFail,
): AutomationCondition {
  const o = checkFields(raw, where, ['CondId', 'CondType', 'Property', 'Timer'], fail);
  const condId = fixtureString(o, 'CondId', where, fail, true);
  if (o.CondType === 0) {
    const p = checkFields(
      o.Property,
      `${where}.Property`,
      ['ProductId', 'DeviceName', 'AliasName', 'IconUrl', 'PropertyId', 'Op', 'Value'],
      fail,
    );
    const here = `${where}.Property`;
    const productId = fixtureString(p, 'ProductId', here, fail);
    const template = lookup.templateOfProduct(productId);
    if (!template) fail(`${here}.ProductId`, `no product ${productId}`);
    const propertyId = fixtureString(p, 'PropertyId', here, fail);
    if (!template.properties.some((x) => x.id === propertyId)) {
      fail(`${here}.PropertyId`, `no property ${propertyId} in product ${productId}`);
    }
    return {
      CondId: condId,
      CondType: 0,
      Property: {
        ProductId: productId,
        DeviceName: fixtureString(p, 'DeviceName', here, fail),
        AliasName: fixtureString(p, 'AliasName', here, fail, true),
        IconUrl: fixtureString(p, 'IconUrl', here, fail, true),
        PropertyId: propertyId,
        Op: p.Op === undefined ? 'eq' : fixtureString(p, 'Op', here, fail),
        Value: p.Value,
      },
    };
  }
  if (o.CondType === 1) {
    const t = checkFields(o.Timer, `${where}.Timer`, ['TimerName', 'Days', 'TimePoint'], fail);
    const here = `${where}.Timer`;
    const days = fixtureString(t, 'Days', here, fail);
    if (!DAYS.test(days)) fail(`${here}.Days`, 'must be seven 0/1 digits, Sunday first');
    const timePoint = fixtureString(t, 'TimePoint', here, fail);
    if (!HH_MM.test(timePoint)) fail(`${here}.TimePoint`, 'must be HH:MM');
    return {
      CondId: condId,
      CondType: 1,
      Timer: {
        TimerName: fixtureString(t, 'TimerName', here, fail, true),
        Days: days,
        TimePoint: timePoint,
      },
    };
  }
  return fail(`${where}.CondType`, 'must be 0 (property) or 1 (timer)');
}

/** Checks the fixture's automations and returns them with their defaults filled in. */
export function validateAutomations(
  raw: unknown,
  lookup: FixtureLookup & { sceneFamilies: ReadonlyMap<string, string> },
  fail: FixtureFail,
): FixtureAutomation[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail('automations', 'must be an array');
  const ids = new Set<string>();
  return raw.map((item, i) => {
    const where = `automations[${i}]`;
    const o = checkFields(
      item,
      where,
      [
        'AutomationId',
        'FamilyId',
        'Name',
        'Icon',
        'enabled',
        'MatchType',
        'EffectiveBeginTime',
        'EffectiveEndTime',
        'EffectiveDays',
        'Conditions',
        'Actions',
      ],
      fail,
    );
    const id = fixtureString(o, 'AutomationId', where, fail);
    const here = `${where} (${id})`;
    if (ids.has(id)) fail(where, `duplicate AutomationId ${id}`);
    ids.add(id);
    const familyId = fixtureString(o, 'FamilyId', here, fail);
    if (!lookup.familyIds.has(familyId)) fail(`${here}.FamilyId`, `no family ${familyId}`);
    if (typeof o.enabled !== 'boolean') fail(`${here}.enabled`, 'must be true or false');
    if (o.MatchType !== undefined && o.MatchType !== 0 && o.MatchType !== 1) {
      fail(`${here}.MatchType`, 'must be 0 (all conditions) or 1 (any)');
    }
    const hhmm = (key: string, fallback: string): string => {
      const v = o[key] === undefined ? fallback : fixtureString(o, key, here, fail);
      if (!HH_MM.test(v)) fail(`${here}.${key}`, 'must be HH:MM');
      return v;
    };
    const days =
      o.EffectiveDays === undefined ? '1111111' : fixtureString(o, 'EffectiveDays', here, fail);
    if (!DAYS.test(days)) fail(`${here}.EffectiveDays`, 'must be seven 0/1 digits, Sunday first');
    if (!Array.isArray(o.Conditions) || o.Conditions.length === 0) {
      fail(`${here}.Conditions`, 'must be an array of at least one condition');
    }
    if (!Array.isArray(o.Actions) || o.Actions.length === 0) {
      fail(`${here}.Actions`, 'must be an array of at least one action');
    }
    const actions = o.Actions.map((a, j) =>
      toSmartAction(a, `${here}.Actions[${j}]`, lookup, fail),
    );
    actions.forEach((a, j) => {
      if (a.ActionType === 2 && lookup.sceneFamilies.get(a.Data) !== familyId) {
        fail(`${here}.Actions[${j}].Data`, `no scene ${a.Data} in family ${familyId}`);
      }
    });
    return {
      AutomationId: id,
      FamilyId: familyId,
      Name: fixtureString(o, 'Name', here, fail),
      Icon: fixtureString(o, 'Icon', here, fail, true),
      enabled: o.enabled,
      MatchType: o.MatchType ?? 0,
      EffectiveBeginTime: hhmm('EffectiveBeginTime', '00:00'),
      EffectiveEndTime: hhmm('EffectiveEndTime', '23:59'),
      EffectiveDays: days,
      Conditions: o.Conditions.map((c, j) =>
        condition(c, `${here}.Conditions[${j}]`, lookup, fail),
      ),
      Actions: actions,
    };
  });
}
