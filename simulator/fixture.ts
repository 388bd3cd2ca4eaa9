// The fixture: the simulated world's starting state (app keys, users, tokens, families,
// products with data templates, devices and their behaviour, scripts and faults).
// `loadFixture` reads and validates one; every error names the entry that is wrong.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateAutomations, type FixtureAutomation } from './automations';
import { parseFaultSpec, type FaultSpec } from './faults';
import {
  validateHistoryFixture,
  type FixtureGeneratedHistory,
  type FixturePastEvent,
} from './history';
import { panelConfigProblem } from './panel-config';
import { validateScenes, type FixtureScene } from './scenes';
import {
  checkValue,
  defineProblem,
  type DataTemplate,
  type TemplateAction,
  type TemplateDefine,
  type TemplateEvent,
  type TemplateParam,
  type TemplateProperty,
} from './template';

export interface FixtureAppKey {
  AppKey: string;
  AppSecret: string;
}

export interface FixtureUser {
  UserID: string;
  /** Defaults to the phone number, else the email. */
  UserName?: string;
  NickName?: string;
  /** Without "+", e.g. "86". */
  CountryCode?: string;
  PhoneNumber?: string;
  Email?: string;
  Password: string;
  Avatar?: string;
  /** UNIX seconds. */
  CreateTime?: number;
  /** A locked account cannot log in (UserLoginForbidden). */
  locked?: boolean;
}

export interface FixtureToken {
  Token: string;
  UserID: string;
  /** UNIX seconds. */
  ExpireAt: number;
}

export interface FixtureFamilyMember {
  UserID: string;
  /** 1 = admin (owner), 0 = member. */
  Role: 0 | 1;
}

export interface FixtureRoom {
  RoomId: string;
  RoomName: string;
  CreateTime?: number;
  UpdateTime?: number;
}

export interface FixtureFamily {
  FamilyId: string;
  Name: string;
  /** AppDescribeFamily's Address. Default "". */
  Address?: string;
  CreateTime?: number;
  UpdateTime?: number;
  members: FixtureFamilyMember[];
  rooms?: FixtureRoom[];
}

export interface FixtureProduct {
  /** Real ids are 10 upper-case letters and digits, e.g. LIGHT0A1B2. */
  ProductId: string;
  Name: string;
  Description?: string;
  State?: string;
  NetType?: string;
  CategoryId?: number;
  DataTemplate: DataTemplate;
  /**
   * The product's panel configuration, AppGetProductsConfig's `Config`: an object (sent as its
   * JSON text) or a string (sent as it is). Omit for a product with none.
   */
  PanelConfig?: Record<string, unknown> | string;
}

/** An output value may read a property of the device after the action ran. */
export interface PropertyRef {
  $property: string;
}

export interface DeviceActionBehaviour {
  /** How long the device takes to reply. Default 0. */
  delayMs?: number;
  /** The action_reply status. Default "succ". */
  status?: string;
  /** The action_reply response (OutputParams); a value may be a PropertyRef. Omit for "". */
  output?: Record<string, unknown>;
  /** Properties the action changes. */
  setProperties?: Record<string, unknown>;
}

export interface FixtureDevice {
  ProductId: string;
  DeviceName: string;
  AliasName?: string;
  /** The family the device is bound to. Omit for a device nobody has bound. */
  FamilyId?: string;
  /** A room of that family; "0" (or omitted) = the default room. */
  RoomId?: string;
  /** Who bound it. Defaults to the family's first admin. */
  UserID?: string;
  IconUrl?: string;
  /** Default true. */
  online?: boolean;
  /** Initial property values; properties left out get a default that fits the template. */
  properties?: Record<string, unknown>;
  actions?: Record<string, DeviceActionBehaviour>;
  CreateTime?: number;
  UpdateTime?: number;
  /**
   * Users the owner shares the device with (AppListUserShareDevices), with the share's time
   * (UNIX s; default the device's CreateTime). Only a bound device can be shared, and never
   * with a member of its family.
   */
  sharedWith?: FixtureShare[];
}

export interface FixtureShare {
  UserID: string;
  CreateTime?: number;
}

export interface ScriptEntry {
  /** 'PID/DN' */
  device: string;
  /** First run after this many ms from start. Default 0. */
  afterMs?: number;
  /** Then repeat every this many ms. Omit to run once. */
  everyMs?: number;
  /** Stop after this many runs. */
  times?: number;
  /** Set these properties. */
  set?: Record<string, unknown>;
  /** Set the device online or offline. */
  online?: boolean;
  /** Flip the online state. */
  toggleOnline?: boolean;
  /** Flip these bool / enum / stringenum properties (enum: to the next mapping key). */
  toggle?: string[];
  /** Random-walk these int / float properties by at most the given step, inside their range. */
  walk?: Record<string, number>;
  /** Post this event (params left out get the template's default). */
  event?: { id: string; params?: Record<string, unknown> };
}

export interface Fixture {
  description?: string;
  /**
   * Another fixture (a shipped name such as "default", or a path relative to this file) that
   * this one adds to; loadFixture applies it (see mergeFixtures).
   */
  extends?: string;
  appKeys: FixtureAppKey[];
  /** Lifetime of tokens issued by AppGetToken. Default 40 days. */
  tokenTtlSeconds?: number;
  users: FixtureUser[];
  tokens?: FixtureToken[];
  families: FixtureFamily[];
  products: FixtureProduct[];
  devices: FixtureDevice[];
  script?: ScriptEntry[];
  faults?: FaultSpec[];
  /** Scenes, automations and history: see simulator/README.md. */
  scenes?: FixtureScene[];
  automations?: FixtureAutomation[];
  generatedHistory?: FixtureGeneratedHistory[];
  pastEvents?: FixturePastEvent[];
}

/**
 * A fixture that adds to another (`extends`): any section, each entry added to the base's; a
 * family the base has may give only what it adds (rooms, members).
 */
export type FixtureExtension = Omit<Partial<Fixture>, 'families' | 'extends'> & {
  extends: string;
  families?: (Partial<FixtureFamily> & { FamilyId: string })[];
};

export class FixtureError extends Error {
  override name = 'FixtureError';
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isPropertyRef(value: unknown): value is PropertyRef {
  return isObj(value) && Object.keys(value).length === 1 && typeof value.$property === 'string';
}

/** The path of a shipped fixture by its name (works from the sources and from dist/). */
export function shippedFixturePath(name: string): string {
  const candidates = [
    path.join(__dirname, 'fixtures', `${name}.json`),
    path.join(__dirname, '..', '..', 'simulator', 'fixtures', `${name}.json`),
  ];
  return candidates.find((p) => fs.existsSync(p)) ?? candidates[0];
}

/** The shipped default fixture's path. */
export function defaultFixturePath(): string {
  return shippedFixturePath('default');
}

/** A word without a dot or a slash names a shipped fixture ("default", "home"); else a path. */
const SHIPPED_NAME = /^[a-z0-9-]+$/;

function fixtureFile(source: string, relativeTo: string): string {
  if (SHIPPED_NAME.test(source)) return shippedFixturePath(source);
  return path.resolve(relativeTo, source);
}

function readRaw(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new FixtureError(`fixture ${file}: cannot read: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FixtureError(`fixture ${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (!isObj(raw)) throw new FixtureError(`fixture ${file}: top level: must be an object`);
  return raw;
}

/** How deep `extends` may chain. */
const MAX_EXTENDS = 8;

/**
 * A raw fixture with its `extends` chain applied: the base first, then this one's entries added
 * (see mergeFixtures). `file` names it in errors; `dir` resolves a relative `extends`.
 */
function resolveExtends(
  raw: Record<string, unknown>,
  name: string,
  dir: string,
  seen: string[],
): Record<string, unknown> {
  const base = raw.extends;
  if (base === undefined) return raw;
  if (typeof base !== 'string' || base === '') {
    throw new FixtureError(`${name}: extends: must be a fixture name or a path`);
  }
  const file = fixtureFile(base, dir);
  if (seen.includes(file)) throw new FixtureError(`${name}: extends: ${base} extends itself`);
  if (seen.length >= MAX_EXTENDS) throw new FixtureError(`${name}: extends: chain too long`);
  const baseRaw = resolveExtends(readRaw(file), `fixture ${file}`, path.dirname(file), [
    ...seen,
    file,
  ]);
  const rest = { ...raw };
  delete rest.extends;
  return mergeFixtures(baseRaw, rest, name);
}

/** The array sections of a fixture, which an extending fixture appends to. */
const LIST_SECTIONS = [
  'appKeys',
  'users',
  'tokens',
  'families',
  'products',
  'devices',
  'script',
  'faults',
  'scenes',
  'automations',
  'generatedHistory',
  'pastEvents',
];

/**
 * `extension` on top of `base`: list sections are appended; a family whose FamilyId the base
 * has is merged into it (its rooms and members appended, its other fields replacing the
 * base's); other top-level fields replace the base's.
 */
export function mergeFixtures(
  base: Record<string, unknown>,
  extension: Record<string, unknown>,
  name = 'fixture',
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(extension)) {
    if (!LIST_SECTIONS.includes(key)) {
      out[key] = structuredClone(value);
      continue;
    }
    if (!Array.isArray(value)) throw new FixtureError(`${name}: ${key}: must be an array`);
    const list = Array.isArray(out[key]) ? (out[key] as unknown[]) : [];
    out[key] = list;
    for (const item of value) {
      const same =
        key === 'families' && isObj(item)
          ? list.find((f) => isObj(f) && f.FamilyId === item.FamilyId)
          : undefined;
      if (isObj(same) && isObj(item)) {
        for (const [field, v] of Object.entries(item)) {
          if ((field === 'rooms' || field === 'members') && Array.isArray(v)) {
            const mine = Array.isArray(same[field]) ? (same[field] as unknown[]) : [];
            same[field] = [...mine, ...structuredClone(v as unknown[])];
          } else {
            same[field] = structuredClone(v);
          }
        }
      } else {
        list.push(structuredClone(item));
      }
    }
  }
  return out;
}

/**
 * Reads (a path, or the name of a shipped fixture such as "home") or copies (an object) and
 * validates a fixture, with its `extends` applied. Default: the shipped "default" fixture.
 */
export function loadFixture(source?: string | Fixture | FixtureExtension): Fixture {
  if (source === undefined || typeof source === 'string') {
    const file = fixtureFile(source ?? 'default', process.cwd());
    const name = `fixture ${file}`;
    const raw = resolveExtends(readRaw(file), name, path.dirname(file), [file]);
    return validateFixture(raw, name);
  }
  const raw = source as unknown as Record<string, unknown>;
  const resolved = isObj(raw)
    ? resolveExtends(raw, 'fixture', process.cwd(), [])
    : (raw as unknown);
  return validateFixture(structuredClone(resolved), 'fixture');
}

/** Checks an untrusted fixture and returns it typed, or throws a FixtureError naming the entry. */
export function validateFixture(raw: unknown, source = 'fixture'): Fixture {
  if (isObj(raw) && raw.extends !== undefined) {
    throw new FixtureError(`${source}: extends: only loadFixture applies extends`);
  }
  return new Validator(source).fixture(raw);
}

class Validator {
  constructor(private readonly source: string) {}

  private fail(where: string, message: string): never {
    throw new FixtureError(`${this.source}: ${where}: ${message}`);
  }

  private obj(raw: unknown, where: string, allowed: readonly string[]): Obj {
    if (!isObj(raw)) this.fail(where, 'must be an object');
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key) && !key.startsWith('_')) {
        this.fail(where, `unknown field ${key} (expected ${allowed.join(', ')})`);
      }
    }
    return raw;
  }

  private arr(raw: unknown, where: string, optional = false): unknown[] {
    if (raw === undefined && optional) return [];
    if (!Array.isArray(raw)) this.fail(where, 'must be an array');
    return raw;
  }

  private str(o: Obj, key: string, where: string): string {
    const v = o[key];
    if (typeof v !== 'string' || v === '')
      this.fail(`${where}.${key}`, 'must be a non-empty string');
    return v;
  }

  private optStr(o: Obj, key: string, where: string): string | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail(`${where}.${key}`, 'must be a string');
    return v;
  }

  private optNum(o: Obj, key: string, where: string, min = 0): number | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
      this.fail(`${where}.${key}`, `must be a number of at least ${min}`);
    }
    return v;
  }

  private optBool(o: Obj, key: string, where: string): boolean | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(`${where}.${key}`, 'must be true or false');
    return v;
  }

  fixture(raw: unknown): Fixture {
    const top = this.obj(raw, 'top level', ['description', 'tokenTtlSeconds', ...LIST_SECTIONS]);
    const fixture: Fixture = {
      description: this.optStr(top, 'description', 'top level'),
      appKeys: this.arr(top.appKeys, 'appKeys').map((a, i) => this.appKey(a, `appKeys[${i}]`)),
      tokenTtlSeconds: this.optNum(top, 'tokenTtlSeconds', 'top level', 1),
      users: this.arr(top.users, 'users').map((u, i) => this.user(u, `users[${i}]`)),
      tokens: [],
      families: [],
      products: [],
      devices: [],
      script: [],
      faults: [],
    };
    unique(
      fixture.appKeys.map((a) => a.AppKey),
      (i, id) => this.fail(`appKeys[${i}]`, `duplicate AppKey ${id}`),
    );
    const userIds = new Set<string>();
    fixture.users.forEach((u, i) => {
      if (userIds.has(u.UserID)) this.fail(`users[${i}]`, `duplicate UserID ${u.UserID}`);
      userIds.add(u.UserID);
    });
    fixture.tokens = this.arr(top.tokens, 'tokens', true).map((t, i) =>
      this.token(t, `tokens[${i}]`, userIds),
    );
    unique(
      fixture.tokens.map((t) => t.Token),
      (i, id) => this.fail(`tokens[${i}]`, `duplicate Token ${id}`),
    );
    fixture.families = this.arr(top.families, 'families').map((f, i) =>
      this.family(f, `families[${i}]`, userIds),
    );
    unique(
      fixture.families.map((f) => f.FamilyId),
      (i, id) => this.fail(`families[${i}]`, `duplicate FamilyId ${id}`),
    );
    fixture.products = this.arr(top.products, 'products').map((p, i) =>
      this.product(p, `products[${i}]`),
    );
    unique(
      fixture.products.map((p) => p.ProductId),
      (i, id) => this.fail(`products[${i}]`, `duplicate ProductId ${id}`),
    );
    fixture.devices = this.arr(top.devices, 'devices').map((d, i) =>
      this.device(d, `devices[${i}]`, fixture, userIds),
    );
    unique(
      fixture.devices.map((d) => `${d.ProductId}/${d.DeviceName}`),
      (i, id) => this.fail(`devices[${i}]`, `duplicate device ${id}`),
    );
    fixture.script = this.arr(top.script, 'script', true).map((s, i) =>
      this.scriptEntry(s, `script[${i}]`, fixture),
    );
    fixture.faults = this.arr(top.faults, 'faults', true).map((f, i) => {
      try {
        return parseFaultSpec(f, `faults[${i}]`);
      } catch (err) {
        throw new FixtureError(`${this.source}: ${(err as Error).message}`);
      }
    });
    this.home(top, fixture, userIds);
    return fixture;
  }

  /** Scenes, automations and history (their checks live beside their models). */
  private home(top: Obj, fixture: Fixture, userIds: Set<string>): void {
    const fail = (where: string, message: string): never => this.fail(where, message);
    const lookup = {
      familyIds: new Set(fixture.families.map((f) => f.FamilyId)),
      userIds,
      templateOfProduct: (id: string) =>
        fixture.products.find((p) => p.ProductId === id)?.DataTemplate,
    };
    fixture.scenes = validateScenes(top.scenes, lookup, fail);
    const sceneFamilies = new Map(fixture.scenes.map((s) => [s.SceneId, s.FamilyId]));
    fixture.automations = validateAutomations(top.automations, { ...lookup, sceneFamilies }, fail);
    const templateOfDevice = (deviceId: string): DataTemplate | undefined => {
      const d = fixture.devices.find((x) => `${x.ProductId}/${x.DeviceName}` === deviceId);
      return d && lookup.templateOfProduct(d.ProductId);
    };
    const history = validateHistoryFixture(
      top.generatedHistory,
      top.pastEvents,
      templateOfDevice,
      fail,
    );
    fixture.generatedHistory = history.generatedHistory;
    fixture.pastEvents = history.pastEvents;
  }

  private appKey(raw: unknown, where: string): FixtureAppKey {
    const o = this.obj(raw, where, ['AppKey', 'AppSecret']);
    return { AppKey: this.str(o, 'AppKey', where), AppSecret: this.str(o, 'AppSecret', where) };
  }

  private user(raw: unknown, where: string): FixtureUser {
    const o = this.obj(raw, where, [
      'UserID',
      'UserName',
      'NickName',
      'CountryCode',
      'PhoneNumber',
      'Email',
      'Password',
      'Avatar',
      'CreateTime',
      'locked',
    ]);
    const user: FixtureUser = {
      UserID: this.str(o, 'UserID', where),
      UserName: this.optStr(o, 'UserName', where),
      NickName: this.optStr(o, 'NickName', where),
      CountryCode: this.optStr(o, 'CountryCode', where)?.replace(/^\+/, ''),
      PhoneNumber: this.optStr(o, 'PhoneNumber', where),
      Email: this.optStr(o, 'Email', where),
      Password: this.str(o, 'Password', where),
      Avatar: this.optStr(o, 'Avatar', where),
      CreateTime: this.optNum(o, 'CreateTime', where),
      locked: this.optBool(o, 'locked', where),
    };
    if (user.PhoneNumber === undefined && user.Email === undefined) {
      this.fail(`${where} (${user.UserID})`, 'needs a PhoneNumber or an Email to log in with');
    }
    if (user.PhoneNumber !== undefined && user.CountryCode === undefined) {
      this.fail(`${where} (${user.UserID})`, 'a PhoneNumber needs a CountryCode');
    }
    return user;
  }

  private token(raw: unknown, where: string, userIds: Set<string>): FixtureToken {
    const o = this.obj(raw, where, ['Token', 'UserID', 'ExpireAt']);
    const token: FixtureToken = {
      Token: this.str(o, 'Token', where),
      UserID: this.str(o, 'UserID', where),
      ExpireAt: this.optNum(o, 'ExpireAt', where) ?? this.fail(`${where}.ExpireAt`, 'is required'),
    };
    if (!userIds.has(token.UserID)) this.fail(`${where}.UserID`, `no user ${token.UserID}`);
    return token;
  }

  private family(raw: unknown, where: string, userIds: Set<string>): FixtureFamily {
    const o = this.obj(raw, where, [
      'FamilyId',
      'Name',
      'Address',
      'CreateTime',
      'UpdateTime',
      'members',
      'rooms',
    ]);
    const id = this.str(o, 'FamilyId', where);
    const here = `${where} (${id})`;
    const family: FixtureFamily = {
      FamilyId: id,
      Name: this.str(o, 'Name', here),
      Address: this.optStr(o, 'Address', here),
      CreateTime: this.optNum(o, 'CreateTime', here),
      UpdateTime: this.optNum(o, 'UpdateTime', here),
      members: this.arr(o.members, `${here}.members`).map((m, i) => {
        const w = `${here}.members[${i}]`;
        const mo = this.obj(m, w, ['UserID', 'Role']);
        const userId = this.str(mo, 'UserID', w);
        if (!userIds.has(userId)) this.fail(`${w}.UserID`, `no user ${userId}`);
        if (mo.Role !== 0 && mo.Role !== 1)
          this.fail(`${w}.Role`, 'must be 1 (admin) or 0 (member)');
        return { UserID: userId, Role: mo.Role };
      }),
      rooms: this.arr(o.rooms, `${here}.rooms`, true).map((r, i) => {
        const w = `${here}.rooms[${i}]`;
        const ro = this.obj(r, w, ['RoomId', 'RoomName', 'CreateTime', 'UpdateTime']);
        const roomId = this.str(ro, 'RoomId', w);
        if (roomId === '0')
          this.fail(`${w}.RoomId`, '"0" is the default room and cannot be declared');
        return {
          RoomId: roomId,
          RoomName: this.str(ro, 'RoomName', w),
          CreateTime: this.optNum(ro, 'CreateTime', w),
          UpdateTime: this.optNum(ro, 'UpdateTime', w),
        };
      }),
    };
    if (family.members.length === 0) this.fail(`${here}.members`, 'needs at least one member');
    unique(
      family.members.map((m) => m.UserID),
      (i, uid) => this.fail(`${here}.members[${i}]`, `duplicate member ${uid}`),
    );
    unique(
      (family.rooms ?? []).map((r) => r.RoomId),
      (i, rid) => this.fail(`${here}.rooms[${i}]`, `duplicate RoomId ${rid}`),
    );
    return family;
  }

  private product(raw: unknown, where: string): FixtureProduct {
    const o = this.obj(raw, where, [
      'ProductId',
      'Name',
      'Description',
      'State',
      'NetType',
      'CategoryId',
      'DataTemplate',
      'PanelConfig',
    ]);
    const id = this.str(o, 'ProductId', where);
    if (id.includes('/')) this.fail(`${where}.ProductId`, 'must not contain "/"');
    const here = `${where} (${id})`;
    const categoryId = this.optNum(o, 'CategoryId', here);
    return {
      ProductId: id,
      Name: this.str(o, 'Name', here),
      Description: this.optStr(o, 'Description', here),
      State: this.optStr(o, 'State', here),
      NetType: this.optStr(o, 'NetType', here),
      CategoryId: categoryId,
      DataTemplate: this.template(o.DataTemplate, `${here}.DataTemplate`, id, categoryId),
      PanelConfig: this.panelConfig(o.PanelConfig, `${here}.PanelConfig`),
    };
  }

  private panelConfig(raw: unknown, where: string): Record<string, unknown> | string | undefined {
    if (raw === undefined) return undefined;
    const found = panelConfigProblem(raw);
    if (found) this.fail(`${where}${found.where}`, found.problem);
    return raw as Record<string, unknown> | string;
  }

  private template(
    raw: unknown,
    where: string,
    productId: string,
    categoryId?: number,
  ): DataTemplate {
    const o = this.obj(raw, where, ['version', 'profile', 'properties', 'events', 'actions']);
    const profile =
      o.profile === undefined
        ? {}
        : this.obj(o.profile, `${where}.profile`, ['ProductId', 'CategoryId']);
    const template: DataTemplate = {
      version: this.optStr(o, 'version', where) ?? '1.0',
      profile: {
        ProductId: this.optStr(profile, 'ProductId', `${where}.profile`) ?? productId,
        CategoryId:
          this.optStr(profile, 'CategoryId', `${where}.profile`) ?? String(categoryId ?? 1),
      },
      properties: this.arr(o.properties, `${where}.properties`, true).map((p, i) =>
        this.property(p, `${where}.properties[${i}]`),
      ),
      events: this.arr(o.events, `${where}.events`, true).map((e, i) =>
        this.event(e, `${where}.events[${i}]`),
      ),
      actions: this.arr(o.actions, `${where}.actions`, true).map((a, i) =>
        this.action(a, `${where}.actions[${i}]`),
      ),
    };
    for (const [kind, list] of [
      ['properties', template.properties],
      ['events', template.events],
      ['actions', template.actions],
    ] as const) {
      unique(
        list.map((x) => x.id),
        (i, id) => this.fail(`${where}.${kind}[${i}]`, `duplicate id ${id}`),
      );
    }
    return template;
  }

  private defineOf(raw: unknown, where: string): TemplateDefine {
    const problem = defineProblem(raw);
    if (problem) this.fail(`${where}.define`, problem);
    return raw as TemplateDefine;
  }

  private property(raw: unknown, where: string): TemplateProperty {
    const o = this.obj(raw, where, ['id', 'name', 'desc', 'mode', 'required', 'define']);
    const id = this.str(o, 'id', where);
    const here = `${where} (${id})`;
    if (o.mode !== 'r' && o.mode !== 'rw') this.fail(`${here}.mode`, 'must be "r" or "rw"');
    return {
      id,
      name: this.str(o, 'name', here),
      desc: this.optStr(o, 'desc', here),
      mode: o.mode,
      required: this.optBool(o, 'required', here),
      define: this.defineOf(o.define, here),
    };
  }

  private param(raw: unknown, where: string): TemplateParam {
    const o = this.obj(raw, where, ['id', 'name', 'desc', 'required', 'define']);
    const id = this.str(o, 'id', where);
    const here = `${where} (${id})`;
    return {
      id,
      name: this.str(o, 'name', here),
      desc: this.optStr(o, 'desc', here),
      required: this.optBool(o, 'required', here),
      define: this.defineOf(o.define, here),
    };
  }

  private params(raw: unknown, where: string): TemplateParam[] {
    const list = this.arr(raw, where, true).map((p, i) => this.param(p, `${where}[${i}]`));
    unique(
      list.map((p) => p.id),
      (i, id) => this.fail(`${where}[${i}]`, `duplicate id ${id}`),
    );
    return list;
  }

  private event(raw: unknown, where: string): TemplateEvent {
    const o = this.obj(raw, where, ['id', 'name', 'desc', 'type', 'required', 'params']);
    const id = this.str(o, 'id', where);
    const here = `${where} (${id})`;
    if (o.type !== 'info' && o.type !== 'alert' && o.type !== 'fault') {
      this.fail(`${here}.type`, 'must be info, alert or fault');
    }
    return {
      id,
      name: this.str(o, 'name', here),
      desc: this.optStr(o, 'desc', here),
      type: o.type,
      required: this.optBool(o, 'required', here),
      params: this.params(o.params, `${here}.params`),
    };
  }

  private action(raw: unknown, where: string): TemplateAction {
    const o = this.obj(raw, where, ['id', 'name', 'desc', 'required', 'input', 'output']);
    const id = this.str(o, 'id', where);
    const here = `${where} (${id})`;
    return {
      id,
      name: this.str(o, 'name', here),
      desc: this.optStr(o, 'desc', here),
      required: this.optBool(o, 'required', here),
      input: this.params(o.input, `${here}.input`),
      output: this.params(o.output, `${here}.output`),
    };
  }

  private propertyValues(
    raw: unknown,
    where: string,
    template: DataTemplate,
  ): Record<string, unknown> | undefined {
    if (raw === undefined) return undefined;
    if (!isObj(raw)) this.fail(where, 'must be an object of property id → value');
    for (const [id, value] of Object.entries(raw)) {
      const prop = template.properties.find((p) => p.id === id);
      if (!prop) this.fail(`${where}.${id}`, 'no such property in the product template');
      const problem = checkValue(prop.define, value, id);
      if (problem) this.fail(`${where}.${id}`, problem);
    }
    return raw;
  }

  private device(
    raw: unknown,
    where: string,
    fixture: Fixture,
    userIds: Set<string>,
  ): FixtureDevice {
    const o = this.obj(raw, where, [
      'ProductId',
      'DeviceName',
      'AliasName',
      'FamilyId',
      'RoomId',
      'UserID',
      'IconUrl',
      'online',
      'properties',
      'actions',
      'CreateTime',
      'UpdateTime',
      'sharedWith',
    ]);
    const productId = this.str(o, 'ProductId', where);
    const deviceName = this.str(o, 'DeviceName', where);
    const here = `${where} (${productId}/${deviceName})`;
    if (deviceName.includes('/')) this.fail(`${here}.DeviceName`, 'must not contain "/"');
    const product = fixture.products.find((p) => p.ProductId === productId);
    if (!product) this.fail(`${here}.ProductId`, `no product ${productId}`);
    const device: FixtureDevice = {
      ProductId: productId,
      DeviceName: deviceName,
      AliasName: this.optStr(o, 'AliasName', here),
      FamilyId: this.optStr(o, 'FamilyId', here),
      RoomId: this.optStr(o, 'RoomId', here),
      UserID: this.optStr(o, 'UserID', here),
      IconUrl: this.optStr(o, 'IconUrl', here),
      online: this.optBool(o, 'online', here),
      CreateTime: this.optNum(o, 'CreateTime', here),
      UpdateTime: this.optNum(o, 'UpdateTime', here),
      properties: this.propertyValues(o.properties, `${here}.properties`, product.DataTemplate),
    };
    if (device.FamilyId !== undefined) {
      const family = fixture.families.find((f) => f.FamilyId === device.FamilyId);
      if (!family) this.fail(`${here}.FamilyId`, `no family ${device.FamilyId}`);
      const roomId = device.RoomId ?? '0';
      if (
        roomId !== '0' &&
        roomId !== '' &&
        !(family.rooms ?? []).some((r) => r.RoomId === roomId)
      ) {
        this.fail(`${here}.RoomId`, `family ${family.FamilyId} has no room ${roomId}`);
      }
    } else if (device.RoomId !== undefined && device.RoomId !== '0' && device.RoomId !== '') {
      this.fail(`${here}.RoomId`, 'a device without a FamilyId cannot be in a room');
    }
    if (device.UserID !== undefined && !userIds.has(device.UserID)) {
      this.fail(`${here}.UserID`, `no user ${device.UserID}`);
    }
    if (o.sharedWith !== undefined)
      device.sharedWith = this.shares(o.sharedWith, here, device, fixture, userIds);
    if (o.actions !== undefined) {
      if (!isObj(o.actions))
        this.fail(`${here}.actions`, 'must be an object of action id → behaviour');
      device.actions = {};
      for (const [actionId, behaviour] of Object.entries(o.actions)) {
        const action = product.DataTemplate.actions.find((a) => a.id === actionId);
        if (!action)
          this.fail(`${here}.actions.${actionId}`, 'no such action in the product template');
        device.actions[actionId] = this.behaviour(
          behaviour,
          `${here}.actions.${actionId}`,
          product.DataTemplate,
          action,
        );
      }
    }
    return device;
  }

  private shares(
    raw: unknown,
    here: string,
    device: FixtureDevice,
    fixture: Fixture,
    userIds: Set<string>,
  ): FixtureShare[] {
    const where = `${here}.sharedWith`;
    const family = fixture.families.find((f) => f.FamilyId === device.FamilyId);
    if (!family) this.fail(where, 'only a device bound to a family can be shared');
    const shares = this.arr(raw, where).map((s, i): FixtureShare => {
      const w = `${where}[${i}]`;
      const so = this.obj(s, w, ['UserID', 'CreateTime']);
      const userId = this.str(so, 'UserID', w);
      if (!userIds.has(userId)) this.fail(`${w}.UserID`, `no user ${userId}`);
      if (family.members.some((m) => m.UserID === userId)) {
        this.fail(
          `${w}.UserID`,
          `${userId} is a member of ${family.FamilyId} and sees the device there`,
        );
      }
      return { UserID: userId, CreateTime: this.optNum(so, 'CreateTime', w) };
    });
    unique(
      shares.map((s) => s.UserID),
      (i, uid) => this.fail(`${where}[${i}]`, `duplicate share with ${uid}`),
    );
    return shares;
  }

  private behaviour(
    raw: unknown,
    where: string,
    template: DataTemplate,
    action: TemplateAction,
  ): DeviceActionBehaviour {
    const o = this.obj(raw, where, ['delayMs', 'status', 'output', 'setProperties']);
    const behaviour: DeviceActionBehaviour = {
      delayMs: this.optNum(o, 'delayMs', where),
      status: this.optStr(o, 'status', where),
      setProperties: this.propertyValues(o.setProperties, `${where}.setProperties`, template),
    };
    if (o.output !== undefined) {
      if (!isObj(o.output)) this.fail(`${where}.output`, 'must be an object of output id → value');
      for (const [id, value] of Object.entries(o.output)) {
        const param = action.output.find((p) => p.id === id);
        if (!param) this.fail(`${where}.output.${id}`, `action ${action.id} has no output ${id}`);
        if (isPropertyRef(value)) {
          const prop = template.properties.find((p) => p.id === value.$property);
          if (!prop) this.fail(`${where}.output.${id}`, `no property ${value.$property}`);
          if (prop.define.type !== param.define.type) {
            this.fail(
              `${where}.output.${id}`,
              `property ${prop.id} is a ${prop.define.type}, output ${id} a ${param.define.type}`,
            );
          }
          continue;
        }
        const problem = checkValue(param.define, value, id);
        if (problem) this.fail(`${where}.output.${id}`, problem);
      }
      behaviour.output = o.output;
    }
    return behaviour;
  }

  private scriptEntry(raw: unknown, where: string, fixture: Fixture): ScriptEntry {
    const o = this.obj(raw, where, [
      'device',
      'afterMs',
      'everyMs',
      'times',
      'set',
      'online',
      'toggleOnline',
      'toggle',
      'walk',
      'event',
    ]);
    const deviceId = this.str(o, 'device', where);
    const here = `${where} (${deviceId})`;
    const device = fixture.devices.find((d) => `${d.ProductId}/${d.DeviceName}` === deviceId);
    if (!device) this.fail(`${here}.device`, `no device ${deviceId}`);
    const template = fixture.products.find((p) => p.ProductId === device.ProductId)!.DataTemplate;
    const entry: ScriptEntry = {
      device: deviceId,
      afterMs: this.optNum(o, 'afterMs', here),
      everyMs: this.optNum(o, 'everyMs', here, 1),
      times: this.optNum(o, 'times', here, 1),
      set: this.propertyValues(o.set, `${here}.set`, template),
      online: this.optBool(o, 'online', here),
      toggleOnline: this.optBool(o, 'toggleOnline', here),
    };
    if (entry.online !== undefined && entry.toggleOnline) {
      this.fail(here, 'use either online or toggleOnline, not both');
    }
    if (o.toggle !== undefined) {
      entry.toggle = this.arr(o.toggle, `${here}.toggle`).map((id, i) => {
        const prop = template.properties.find((p) => p.id === id);
        if (!prop) this.fail(`${here}.toggle[${i}]`, `no property ${String(id)}`);
        if (!['bool', 'enum', 'stringenum'].includes(prop.define.type)) {
          this.fail(
            `${here}.toggle[${i}]`,
            `${prop.id} is a ${prop.define.type}; only bool, enum and stringenum toggle`,
          );
        }
        return prop.id;
      });
    }
    if (o.walk !== undefined) {
      if (!isObj(o.walk))
        this.fail(`${here}.walk`, 'must be an object of property id → largest step');
      entry.walk = {};
      for (const [id, step] of Object.entries(o.walk)) {
        const prop = template.properties.find((p) => p.id === id);
        if (!prop) this.fail(`${here}.walk.${id}`, 'no such property');
        if (prop.define.type !== 'int' && prop.define.type !== 'float') {
          this.fail(
            `${here}.walk.${id}`,
            `${id} is a ${prop.define.type}; only int and float walk`,
          );
        }
        if (typeof step !== 'number' || !(step > 0))
          this.fail(`${here}.walk.${id}`, 'must be a positive number');
        entry.walk[id] = step;
      }
    }
    if (o.event !== undefined) entry.event = this.scriptEvent(o.event, `${here}.event`, template);
    if (
      entry.set === undefined &&
      entry.online === undefined &&
      !entry.toggleOnline &&
      entry.toggle === undefined &&
      entry.walk === undefined &&
      entry.event === undefined
    ) {
      this.fail(here, 'does nothing: give set, online, toggleOnline, toggle, walk or event');
    }
    return entry;
  }

  private scriptEvent(
    raw: unknown,
    where: string,
    template: DataTemplate,
  ): { id: string; params?: Record<string, unknown> } {
    const o = this.obj(raw, where, ['id', 'params']);
    const id = this.str(o, 'id', where);
    const event = template.events.find((e) => e.id === id);
    if (!event) this.fail(`${where}.id`, `no event ${id} in the product template`);
    if (o.params === undefined) return { id };
    if (!isObj(o.params)) this.fail(`${where}.params`, 'must be an object of param id → value');
    for (const [pid, value] of Object.entries(o.params)) {
      const param = event.params.find((p) => p.id === pid);
      if (!param) this.fail(`${where}.params.${pid}`, `no param ${pid} in event ${id}`);
      const problem = checkValue(param.define, value, pid);
      if (problem) this.fail(`${where}.params.${pid}`, problem);
    }
    return { id, params: o.params };
  }
}

function unique(ids: string[], onDuplicate: (index: number, id: string) => never): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) onDuplicate(i, id);
    seen.add(id);
  });
}
