// Scenes (手动智能): a family's named lists of actions, run on demand by AppRunScene. A run applies
// its device controls through the same path as AppControlDeviceData (so state, history and
// pushes see them), waits out its delays (scaled by `delayScale`, so tests need not wait whole
// seconds), runs other scenes and records notifications. Every run is logged for /_sim.

import { controlDevice } from './device-access';
import { ApiError, errors } from './envelope';
import type { ModelDevice, ModelUser, SimulatorModel } from './model';
import { paging, requiredString, type ApiContext } from './params';
import { checkValue, type DataTemplate } from './template';
import type { TokenHandler } from './tokenapi';

/** Action types of scenes and automations alike [S AND]. */
export const ACTION_TYPE = { control: 0, delay: 1, runScene: 2, notify: 3 } as const;

/** An item of `Actions[]` as the API returns it; `Data` is always a string. */
export interface SmartAction {
  readonly ActionType: 0 | 1 | 2 | 3;
  /** ActionType 0 only ("" otherwise). */
  readonly ProductId: string;
  readonly DeviceName: string;
  /** 0: JSON of property → value; 1: seconds; 2: a SceneId; 3: the notification kind (0 = message centre). */
  readonly Data: string;
  readonly AliasName: string;
  readonly IconUrl: string;
}

export interface ModelScene {
  readonly SceneId: string;
  readonly FamilyId: string;
  readonly SceneName: string;
  readonly SceneIcon: string;
  readonly UserId: string;
  readonly CreateTime: number;
  readonly UpdateTime: number;
  readonly Actions: readonly SmartAction[];
  /** The run in progress, if any (Status 1). */
  running: SceneRun | undefined;
}

export interface RunStep {
  readonly index: number;
  readonly actionType: number;
  /** ms */
  readonly at: number;
  readonly outcome: 'ok' | 'skipped' | 'failed';
  /** What happened, e.g. "LIGHT0A1B2/living_lamp {"power_switch":0}" or "waited 2 s". */
  readonly detail: string;
  /** The API error code of a failed step. */
  readonly code?: string;
}

export interface SceneRun {
  readonly runId: number;
  readonly sceneId: string;
  readonly sceneName: string;
  /** Who ran it ("" when an automation did). */
  readonly userId: string;
  /** The run of the scene (ActionType 2) or the automation that started this one. */
  readonly startedBy: string;
  /** ms */
  readonly startedAt: number;
  endedAt: number | undefined;
  state: 'running' | 'done';
  readonly steps: RunStep[];
}

export interface Notification {
  /** ms */
  readonly at: number;
  /** The scene or automation that sent it. */
  readonly source: string;
  readonly name: string;
  readonly familyId: string;
  /** ActionType 3's Data: 0 = the message centre. */
  readonly kind: string;
}

/** Runs and notifications kept for /_sim (the oldest go first). */
export const RUN_LOG_LIMIT = 500;

export class SceneBook {
  readonly scenes = new Map<string, ModelScene>();
  readonly runs: SceneRun[] = [];
  readonly notifications: Notification[] = [];
  /** Multiplies every delay action (1 = real seconds; tests use e.g. 0.01). */
  delayScale = 1;
  private nextRunId = 1;

  /** 1 when a device of one of its control actions has left the family (or no longer exists). */
  flagOf(model: SimulatorModel, scene: ModelScene): 0 | 1 {
    return scene.Actions.some((a) => departed(model, scene.FamilyId, a) !== undefined) ? 1 : 0;
  }

  /** Starts a run; throws SceneRunInProgress if the scene is still running. */
  startRun(scene: ModelScene, userId: string, startedBy: string, now: number): SceneRun {
    if (scene.running) throw errors.sceneRunInProgress(scene.SceneId);
    const run: SceneRun = {
      runId: this.nextRunId++,
      sceneId: scene.SceneId,
      sceneName: scene.SceneName,
      userId,
      startedBy,
      startedAt: now,
      endedAt: undefined,
      state: 'running',
      steps: [],
    };
    scene.running = run;
    push(this.runs, run);
    return run;
  }

  notify(notification: Notification): void {
    push(this.notifications, notification);
  }
}

function push<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > RUN_LOG_LIMIT) list.splice(0, list.length - RUN_LOG_LIMIT);
}

/** Why a control action's device is gone ("" = fine, undefined for other action types). */
function departed(
  model: SimulatorModel,
  familyId: string,
  action: SmartAction,
): string | undefined {
  if (action.ActionType !== ACTION_TYPE.control) return undefined;
  const device = model.device(action.ProductId, action.DeviceName);
  if (!device) return `${action.ProductId}/${action.DeviceName} no longer exists`;
  if (device.familyId !== familyId) return `${device.deviceId} has left the family`;
  return undefined;
}

/**
 * Runs `actions` from `index` on: synchronously up to the first delay, then on the simulator's
 * timers (cancelled by close()). Calls `onDone` once every step has been taken.
 */
export function runActions(
  ctx: ApiContext,
  run: SceneRun,
  familyId: string,
  actions: readonly SmartAction[],
  index: number,
  onDone: () => void,
): void {
  const book = ctx.model.scenes;
  const step = (i: number, outcome: RunStep['outcome'], detail: string, code?: string): void => {
    run.steps.push({
      index: i,
      actionType: actions[i].ActionType,
      at: ctx.now(),
      outcome,
      detail,
      code,
    });
  };
  for (let i = index; i < actions.length; i++) {
    const action = actions[i];
    switch (action.ActionType) {
      case ACTION_TYPE.control: {
        const gone = departed(ctx.model, familyId, action);
        const target = `${action.ProductId}/${action.DeviceName} ${action.Data}`;
        if (gone !== undefined) {
          step(i, 'skipped', `${target}: ${gone}`);
          break;
        }
        const device = ctx.model.device(action.ProductId, action.DeviceName) as ModelDevice;
        try {
          controlDevice(ctx, device, JSON.parse(action.Data) as Record<string, unknown>);
          step(i, 'ok', target);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          step(i, 'failed', `${target}: ${err.message}`, err.code);
        }
        break;
      }
      case ACTION_TYPE.delay: {
        const seconds = Number(action.Data);
        const ms = Math.round(seconds * 1000 * book.delayScale);
        step(i, 'ok', `waits ${seconds} s (${ms} ms)`);
        if (ms > 0) {
          ctx.after(ms, () =>
            guarded(ctx, run, () => runActions(ctx, run, familyId, actions, i + 1, onDone)),
          );
          return;
        }
        break;
      }
      case ACTION_TYPE.runScene: {
        const child = book.scenes.get(action.Data);
        if (!child || child.FamilyId !== familyId) {
          step(
            i,
            'failed',
            `scene ${action.Data} is not a scene of the family`,
            'InvalidParameterValue.NoPermission',
          );
          break;
        }
        if (child.running) {
          step(
            i,
            'failed',
            `scene ${child.SceneId} is still running`,
            'UnsupportedOperation.SceneRunInProgress',
          );
          break;
        }
        step(i, 'ok', `runs scene ${child.SceneId} ${child.SceneName}`);
        const childRun = book.startRun(
          child,
          run.userId,
          `scene ${run.sceneId} run ${run.runId}`,
          ctx.now(),
        );
        // The parent goes on once the child has finished (its delays included).
        runActions(ctx, childRun, child.FamilyId, child.Actions, 0, () => {
          finishRun(ctx, child, childRun);
          runActions(ctx, run, familyId, actions, i + 1, onDone);
        });
        return;
      }
      case ACTION_TYPE.notify:
        book.notify({
          at: ctx.now(),
          source: run.startedBy.startsWith('automation') ? run.startedBy : `scene ${run.sceneId}`,
          name: run.sceneName,
          familyId,
          kind: action.Data,
        });
        step(i, 'ok', `notification (kind ${action.Data})`);
        break;
    }
  }
  onDone();
}

/** A timer callback must never throw into the event loop: a bug ends the run instead. */
function guarded(ctx: ApiContext, run: SceneRun, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    run.steps.push({
      index: -1,
      actionType: -1,
      at: ctx.now(),
      outcome: 'failed',
      detail: `simulator error: ${(err as Error).message}`,
      code: 'InternalError',
    });
    run.state = 'done';
    run.endedAt = ctx.now();
    for (const scene of ctx.model.scenes.scenes.values()) {
      if (scene.running === run) scene.running = undefined;
    }
  }
}

function finishRun(ctx: ApiContext, scene: ModelScene, run: SceneRun): void {
  run.state = 'done';
  run.endedAt = ctx.now();
  if (scene.running === run) scene.running = undefined;
}

/** Starts a whole scene run (AppRunScene, or an automation's ActionType 2). */
export function startScene(
  ctx: ApiContext,
  scene: ModelScene,
  userId: string,
  startedBy: string,
): SceneRun {
  const run = ctx.model.scenes.startRun(scene, userId, startedBy, ctx.now());
  guarded(ctx, run, () =>
    runActions(ctx, run, scene.FamilyId, scene.Actions, 0, () => finishRun(ctx, scene, run)),
  );
  return run;
}

// ---- Actions ----

/** The scene a request names, if the user is a member of its family. */
function memberScene(sceneId: string, ctx: ApiContext, user: ModelUser): ModelScene {
  const scene = ctx.model.scenes.scenes.get(sceneId);
  // An unknown scene answers like another family's, so ids are not leaked.
  if (!scene || !ctx.model.isMember(user.UserID, scene.FamilyId)) {
    throw errors.noPermission(`scene ${sceneId}`);
  }
  return scene;
}

export function sceneListItem(model: SimulatorModel, scene: ModelScene): Record<string, unknown> {
  return {
    SceneId: scene.SceneId,
    FamilyId: scene.FamilyId,
    SceneName: scene.SceneName,
    SceneIcon: scene.SceneIcon,
    Actions: scene.Actions.map((a) => ({ ...a })),
    UserId: scene.UserId,
    CreateTime: scene.CreateTime,
    UpdateTime: scene.UpdateTime,
    Flag: model.scenes.flagOf(model, scene),
    Status: scene.running ? 1 : 0,
  };
}

const getSceneList: TokenHandler = (params, ctx, user) => {
  const familyId = requiredString(params, 'FamilyId');
  if (!ctx.model.isMember(user.UserID, familyId)) throw errors.noPermissionToFamily(familyId);
  const { offset, limit } = paging(params);
  const all = [...ctx.model.scenes.scenes.values()].filter((s) => s.FamilyId === familyId);
  return {
    SceneList: all.slice(offset, offset + limit).map((s) => sceneListItem(ctx.model, s)),
    Total: all.length,
  };
};

const runScene: TokenHandler = (params, ctx, user) => {
  const scene = memberScene(requiredString(params, 'SceneId'), ctx, user);
  startScene(ctx, scene, user.UserID, `user ${user.UserID}`);
  return {};
};

export const sceneActions: Readonly<Record<string, TokenHandler>> = {
  AppGetSceneList: getSceneList,
  AppRunScene: runScene,
};

// ---- fixture ----

export interface FixtureSmartAction {
  ActionType: 0 | 1 | 2 | 3;
  ProductId?: string;
  DeviceName?: string;
  /** 0: an object of property → value (or its JSON text); 1: seconds; 2: a SceneId; 3: kind. */
  Data: unknown;
  AliasName?: string;
  IconUrl?: string;
}

export interface FixtureScene {
  SceneId: string;
  FamilyId: string;
  SceneName: string;
  SceneIcon?: string;
  /** Who created it; default the family's first admin. */
  UserId?: string;
  CreateTime?: number;
  UpdateTime?: number;
  Actions: FixtureSmartAction[];
}

export type FixtureFail = (where: string, message: string) => never;

/** What validation needs to know of the rest of the fixture. */
export interface FixtureLookup {
  familyIds: ReadonlySet<string>;
  userIds: ReadonlySet<string>;
  templateOfProduct(productId: string): DataTemplate | undefined;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkFields(
  raw: unknown,
  where: string,
  allowed: readonly string[],
  fail: FixtureFail,
): Record<string, unknown> {
  if (!isObj(raw)) fail(where, 'must be an object');
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key) && !key.startsWith('_')) {
      fail(where, `unknown field ${key} (expected ${allowed.join(', ')})`);
    }
  }
  return raw;
}

export function fixtureString(
  o: Record<string, unknown>,
  key: string,
  where: string,
  fail: FixtureFail,
  optional = false,
): string {
  const v = o[key];
  if (v === undefined && optional) return '';
  if (typeof v !== 'string' || (v === '' && !optional)) {
    fail(`${where}.${key}`, optional ? 'must be a string' : 'must be a non-empty string');
  }
  return v;
}

/**
 * Checks one fixture action and returns it in the API's shape. A control names a known product
 * and writable properties with fitting values, as the app only offers those; its device may be
 * missing or in another family (the scene's Flag is then 1).
 */
export function toSmartAction(
  raw: unknown,
  where: string,
  lookup: FixtureLookup,
  fail: FixtureFail,
): SmartAction {
  const o = checkFields(
    raw,
    where,
    ['ActionType', 'ProductId', 'DeviceName', 'Data', 'AliasName', 'IconUrl'],
    fail,
  );
  const type = o.ActionType;
  const aliasName = fixtureString(o, 'AliasName', where, fail, true);
  const iconUrl = fixtureString(o, 'IconUrl', where, fail, true);
  if (type === ACTION_TYPE.control) {
    const productId = fixtureString(o, 'ProductId', where, fail);
    const deviceName = fixtureString(o, 'DeviceName', where, fail);
    const template = lookup.templateOfProduct(productId);
    if (!template) fail(`${where}.ProductId`, `no product ${productId}`);
    let data = o.Data;
    if (typeof data === 'string') {
      try {
        data = JSON.parse(data);
      } catch {
        fail(`${where}.Data`, 'is not JSON');
      }
    }
    if (!isObj(data) || Object.keys(data).length === 0) {
      fail(`${where}.Data`, 'must be an object of property id → value');
    }
    for (const [id, value] of Object.entries(data)) {
      const prop = template.properties.find((p) => p.id === id);
      if (!prop) fail(`${where}.Data.${id}`, `no property ${id} in product ${productId}`);
      if (prop.mode !== 'rw') fail(`${where}.Data.${id}`, `${id} is read-only (mode "r")`);
      const problem = checkValue(prop.define, value, id);
      if (problem) fail(`${where}.Data.${id}`, problem);
    }
    return {
      ActionType: 0,
      ProductId: productId,
      DeviceName: deviceName,
      Data: JSON.stringify(data),
      AliasName: aliasName,
      IconUrl: iconUrl,
    };
  }
  // A normalized action (a fixture validated twice) carries "" here.
  if ((o.ProductId ?? '') !== '' || (o.DeviceName ?? '') !== '') {
    fail(where, 'only a control (ActionType 0) names a device');
  }
  const plain = (ActionType: 1 | 2 | 3, Data: string): SmartAction => ({
    ActionType,
    ProductId: '',
    DeviceName: '',
    Data,
    AliasName: aliasName,
    IconUrl: iconUrl,
  });
  if (type === ACTION_TYPE.delay) {
    const seconds = typeof o.Data === 'string' ? Number(o.Data) : o.Data;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      fail(`${where}.Data`, 'a delay is a number of seconds');
    }
    return plain(1, String(seconds));
  }
  if (type === ACTION_TYPE.runScene) {
    if (typeof o.Data !== 'string' || o.Data === '') fail(`${where}.Data`, 'must be a SceneId');
    return plain(2, o.Data);
  }
  if (type === ACTION_TYPE.notify) {
    if (typeof o.Data !== 'string' && typeof o.Data !== 'number') {
      fail(`${where}.Data`, 'must be the notification kind (0 = the message centre)');
    }
    return plain(3, String(o.Data));
  }
  return fail(`${where}.ActionType`, 'must be 0 (control), 1 (delay), 2 (scene) or 3 (notify)');
}

/** Checks the fixture's scenes (ids unique, families and scenes they run known). */
export function validateScenes(
  raw: unknown,
  lookup: FixtureLookup,
  fail: FixtureFail,
): FixtureScene[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail('scenes', 'must be an array');
  const normalized: FixtureScene[] = [];
  const ids = new Set<string>();
  raw.forEach((item, i) => {
    const where = `scenes[${i}]`;
    const o = checkFields(
      item,
      where,
      [
        'SceneId',
        'FamilyId',
        'SceneName',
        'SceneIcon',
        'UserId',
        'CreateTime',
        'UpdateTime',
        'Actions',
      ],
      fail,
    );
    const id = fixtureString(o, 'SceneId', where, fail);
    const here = `${where} (${id})`;
    if (ids.has(id)) fail(where, `duplicate SceneId ${id}`);
    ids.add(id);
    const familyId = fixtureString(o, 'FamilyId', here, fail);
    if (!lookup.familyIds.has(familyId)) fail(`${here}.FamilyId`, `no family ${familyId}`);
    const userId = fixtureString(o, 'UserId', here, fail, true);
    if (userId !== '' && !lookup.userIds.has(userId)) fail(`${here}.UserId`, `no user ${userId}`);
    const time = (key: string): number | undefined => {
      const v = o[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !(v >= 0)) fail(`${here}.${key}`, 'must be UNIX seconds');
      return v;
    };
    if (!Array.isArray(o.Actions)) fail(`${here}.Actions`, 'must be an array');
    const actions = o.Actions.map((a, j) =>
      toSmartAction(a, `${here}.Actions[${j}]`, lookup, fail),
    );
    const createTime = time('CreateTime');
    normalized.push({
      SceneId: id,
      FamilyId: familyId,
      SceneName: fixtureString(o, 'SceneName', here, fail),
      SceneIcon: fixtureString(o, 'SceneIcon', here, fail, true),
      UserId: userId === '' ? undefined : userId,
      CreateTime: createTime,
      UpdateTime: time('UpdateTime') ?? createTime,
      Actions: actions,
    });
  });
  // A scene runs only scenes of its own family.
  for (const scene of normalized) {
    scene.Actions.forEach((a, j) => {
      if (a.ActionType !== ACTION_TYPE.runScene || typeof a.Data !== 'string') return;
      const target = normalized.find((s) => s.SceneId === a.Data);
      if (!target || target.FamilyId !== scene.FamilyId) {
        fail(
          `scene ${scene.SceneId}.Actions[${j}].Data`,
          `no scene ${a.Data} in family ${scene.FamilyId}`,
        );
      }
    });
  }
  return normalized;
}
