// The simulated world: users and their tokens, app keys, families and rooms, products with
// their data templates, and devices with their online state, property state and behaviour.
// The API handlers read and change it; tests inspect it through `Simulator.model`.

import { randomBytes } from 'node:crypto';
import { ChangeListeners, ModelChanges, type HomeChange } from './changes';
import {
  isPropertyRef,
  type DeviceActionBehaviour,
  type Fixture,
  type FixtureDevice,
  type FixtureRoom,
  type FixtureUser,
} from './fixture';
import type { ModelAutomation } from './automations';
import { HistoryStore } from './history';
import { seedHome } from './home';
import { DEFAULT_HOME_OPTIONS, type HomeOptions } from './home-options';
import { HomeEditor } from './home-edit';
import { panelConfigText } from './panel-config';
import { SceneBook } from './scenes';
import { checkValue, defaultValue, type DataTemplate, type TemplateProperty } from './template';

/** 40 days, the lifetime suggested by the AppGetToken doc example. */
export const DEFAULT_TOKEN_TTL_SECONDS = 40 * 24 * 3600;

/** CreateTime/UpdateTime for fixture entries that give none (UNIX seconds). */
const DEFAULT_TIME = 1700000000;

export interface ModelUser {
  readonly UserID: string;
  readonly UserName: string;
  readonly NickName: string;
  readonly CountryCode: string;
  readonly PhoneNumber: string;
  readonly Email: string;
  readonly Avatar: string;
  readonly CreateTime: number;
  readonly password: string;
  locked: boolean;
}

export interface ModelToken {
  readonly Token: string;
  readonly UserID: string;
  /** UNIX seconds. */
  readonly ExpireAt: number;
  revoked: boolean;
}

export interface ModelFamily {
  readonly FamilyId: string;
  readonly Name: string;
  readonly Address: string;
  readonly CreateTime: number;
  readonly UpdateTime: number;
  /** UserID → Role (1 admin, 0 member). */
  readonly members: Map<string, 0 | 1>;
  /** The named rooms, in order; the default room "0" is not one of them. */
  readonly rooms: Required<FixtureRoom>[];
}

export interface ModelProduct {
  readonly ProductId: string;
  readonly Name: string;
  readonly Description: string;
  readonly State: string;
  readonly NetType: string;
  readonly CategoryId: number;
  readonly template: DataTemplate;
  /** AppGetProductsConfig's `Config` (a JSON text); undefined = the product has no panel config. */
  panelConfig: string | undefined;
}

export interface PropertyState {
  Value: unknown;
  /** ms */
  LastUpdate: number;
}

export interface ModelDevice {
  readonly product: ModelProduct;
  readonly productId: string;
  readonly deviceName: string;
  /** 'PID/DN' */
  readonly deviceId: string;
  aliasName: string;
  /** undefined: bound to no family. */
  familyId: string | undefined;
  /** "0" = the default room. */
  roomId: string;
  /** Who bound it (the owner); "" when unbound. */
  userId: string;
  readonly iconUrl: string;
  createTime: number;
  updateTime: number;
  /** The users the owner shares it with → since when (UNIX s). Never members of its family. */
  readonly sharedWith: Map<string, number>;
  /** Users it was shared with and is no longer: their calls get the unshared error. */
  readonly formerlySharedWith: Set<string>;
  online: boolean;
  /** ms of the last online/offline change. */
  onlineSince: number;
  readonly properties: Record<string, PropertyState>;
  readonly actions: Record<string, DeviceActionBehaviour>;
}

export interface ActionOutcome {
  status: string;
  /** The action_reply response; undefined = none (OutputParams ""). */
  output: Record<string, unknown> | undefined;
}

export type LoginLookup =
  { type: 'phone'; countryCode: string; phoneNumber: string } | { type: 'email'; email: string };

export class SimulatorModel {
  readonly appKeys = new Map<string, string>();
  readonly users = new Map<string, ModelUser>();
  readonly tokens = new Map<string, ModelToken>();
  readonly families = new Map<string, ModelFamily>();
  readonly products = new Map<string, ModelProduct>();
  /** Keyed by 'PID/DN'. */
  readonly devices = new Map<string, ModelDevice>();
  /** Scenes, automations and history (scenes.ts, automations.ts, history.ts). */
  readonly scenes = new SceneBook();
  readonly automations = new Map<string, ModelAutomation>();
  readonly history = new HistoryStore();
  tokenTtlSeconds: number;
  /** Every device change, as it happens (the push server listens; see changes.ts). */
  readonly changes = new ModelChanges();
  /** Every change to the home: devices added, removed, moved, shared… (changes.ts). */
  readonly homeChanges = new ChangeListeners<HomeChange>();
  /** Run-time changes to the home (families, rooms, devices, shares): see home-edit.ts. */
  readonly home: HomeEditor;
  /** Where the sources disagree or are silent about the home's calls (settable at any time). */
  homeOptions: HomeOptions = { ...DEFAULT_HOME_OPTIONS };
  private deviceTokenSeq = 0;

  constructor(
    fixture: Fixture,
    /** The clock, in ms. */
    readonly now: () => number = Date.now,
    tokenTtlSeconds?: number,
  ) {
    this.tokenTtlSeconds = tokenTtlSeconds ?? fixture.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    for (const { AppKey, AppSecret } of fixture.appKeys) this.appKeys.set(AppKey, AppSecret);
    for (const u of fixture.users) this.users.set(u.UserID, toModelUser(u));
    for (const t of fixture.tokens ?? []) this.tokens.set(t.Token, { ...t, revoked: false });
    for (const f of fixture.families) {
      this.families.set(f.FamilyId, {
        FamilyId: f.FamilyId,
        Name: f.Name,
        Address: f.Address ?? '',
        CreateTime: f.CreateTime ?? DEFAULT_TIME,
        UpdateTime: f.UpdateTime ?? f.CreateTime ?? DEFAULT_TIME,
        members: new Map(f.members.map((m) => [m.UserID, m.Role])),
        rooms: (f.rooms ?? []).map((r) => ({
          RoomId: r.RoomId,
          RoomName: r.RoomName,
          CreateTime: r.CreateTime ?? DEFAULT_TIME,
          UpdateTime: r.UpdateTime ?? r.CreateTime ?? DEFAULT_TIME,
        })),
      });
    }
    for (const p of fixture.products) {
      this.products.set(p.ProductId, {
        ProductId: p.ProductId,
        Name: p.Name,
        Description: p.Description ?? '',
        State: p.State ?? 'Release',
        NetType: p.NetType ?? 'wifi',
        CategoryId: p.CategoryId ?? 1,
        template: p.DataTemplate,
        panelConfig: panelConfigText(p.PanelConfig),
      });
    }
    const start = this.now();
    for (const d of fixture.devices) this.createDevice(d, start);
    this.home = new HomeEditor(this);
    seedHome(this, fixture, start);
  }

  /**
   * Adds a device as the fixture (or a run-time add) describes it; the caller has checked the
   * product, family, room and values. `start` is its LastUpdate and online-since time (ms).
   */
  createDevice(d: FixtureDevice, start: number): ModelDevice {
    const product = this.products.get(d.ProductId)!;
    const family = d.FamilyId === undefined ? undefined : this.families.get(d.FamilyId);
    const properties: Record<string, PropertyState> = {};
    for (const prop of product.template.properties) {
      const given = d.properties?.[prop.id];
      properties[prop.id] = {
        Value: structuredClone(given === undefined ? defaultValue(prop.define) : given),
        LastUpdate: start,
      };
    }
    const deviceId = `${d.ProductId}/${d.DeviceName}`;
    const device: ModelDevice = {
      product,
      productId: d.ProductId,
      deviceName: d.DeviceName,
      deviceId,
      aliasName: d.AliasName ?? d.DeviceName,
      familyId: family?.FamilyId,
      roomId: d.RoomId === undefined || d.RoomId === '' ? '0' : d.RoomId,
      userId: d.UserID ?? (family ? ownerOf(family) : ''),
      iconUrl: d.IconUrl ?? '',
      createTime: d.CreateTime ?? DEFAULT_TIME,
      updateTime: d.UpdateTime ?? d.CreateTime ?? DEFAULT_TIME,
      sharedWith: new Map(
        (d.sharedWith ?? []).map((s) => [s.UserID, s.CreateTime ?? d.CreateTime ?? DEFAULT_TIME]),
      ),
      formerlySharedWith: new Set(),
      online: d.online ?? true,
      onlineSince: start,
      properties,
      actions: d.actions ?? {},
    };
    this.devices.set(deviceId, device);
    return device;
  }

  // ---- users and tokens ----

  /** The user a token belongs to, if the token is known, not revoked and not expired. */
  userForToken(token: string): ModelUser | undefined {
    const entry = this.tokens.get(token);
    if (!entry || entry.revoked) return undefined;
    if (this.now() > entry.ExpireAt * 1000) return undefined;
    return this.users.get(entry.UserID);
  }

  /** Issues a fresh random token for a user. */
  issueToken(
    userId: string,
    ttlSeconds = this.tokenTtlSeconds,
  ): { Token: string; ExpireAt: number } {
    if (!this.users.has(userId)) throw new Error(`simulator: no user ${userId}`);
    const Token = randomBytes(16).toString('hex');
    const ExpireAt = Math.floor(this.now() / 1000) + Math.floor(ttlSeconds);
    this.tokens.set(Token, { Token, UserID: userId, ExpireAt, revoked: false });
    return { Token, ExpireAt };
  }

  /** Revokes a token (as AppLogoutUser does). Unknown tokens are ignored. */
  revokeToken(token: string): void {
    const entry = this.tokens.get(token);
    if (entry) entry.revoked = true;
  }

  /** The user an AppGetToken login names, whatever the password. */
  findLoginUser(lookup: LoginLookup): ModelUser | undefined {
    for (const user of this.users.values()) {
      if (lookup.type === 'email') {
        if (user.Email !== '' && user.Email.toLowerCase() === lookup.email.toLowerCase())
          return user;
      } else if (
        user.PhoneNumber !== '' &&
        user.PhoneNumber === lookup.phoneNumber &&
        user.CountryCode === lookup.countryCode.replace(/^\+/, '')
      ) {
        return user;
      }
    }
    return undefined;
  }

  // ---- families ----

  /** The families a user belongs to, in fixture order, with the user's role. */
  familiesOf(userId: string): { family: ModelFamily; role: 0 | 1 }[] {
    const out: { family: ModelFamily; role: 0 | 1 }[] = [];
    for (const family of this.families.values()) {
      const role = family.members.get(userId);
      if (role !== undefined) out.push({ family, role });
    }
    return out;
  }

  isMember(userId: string, familyId: string): boolean {
    return this.families.get(familyId)?.members.has(userId) ?? false;
  }

  /** Whether the device is bound to a family the user belongs to, or shared with the user. */
  canSee(userId: string, device: ModelDevice): boolean {
    return this.ownsThrough(userId, device) || this.isSharedWith(userId, device);
  }

  /** Whether the user sees the device through one of their families. */
  ownsThrough(userId: string, device: ModelDevice): boolean {
    return device.familyId !== undefined && this.isMember(userId, device.familyId);
  }

  /**
   * Whether the device is shared with the user (and not theirs through a family: a shared
   * device never shows in its receiver's family lists, nor is it listed as shared to a member).
   */
  isSharedWith(userId: string, device: ModelDevice): boolean {
    return (
      device.familyId !== undefined &&
      device.sharedWith.has(userId) &&
      !this.isMember(userId, device.familyId)
    );
  }

  /** The devices shared with a user, in the model's device order. */
  sharedWithUser(userId: string): ModelDevice[] {
    return [...this.devices.values()].filter((d) => this.isSharedWith(userId, d));
  }

  /** Devices of a family; roomId undefined or "" = every room, "0" = the default room. */
  devicesInFamily(familyId: string, roomId?: string): ModelDevice[] {
    return [...this.devices.values()].filter(
      (d) =>
        d.familyId === familyId && (roomId === undefined || roomId === '' || d.roomId === roomId),
    );
  }

  // ---- devices ----

  device(productId: string, deviceName: string): ModelDevice | undefined {
    return this.devices.get(`${productId}/${deviceName}`);
  }

  /** Like device(), but throws a clear Error for a device the fixture does not have. */
  requireDevice(productId: string, deviceName: string): ModelDevice {
    const device = this.device(productId, deviceName);
    if (!device) throw new Error(`simulator: no device ${productId}/${deviceName}`);
    return device;
  }

  propertyDefinition(device: ModelDevice, propertyId: string): TemplateProperty | undefined {
    return device.product.template.properties.find((p) => p.id === propertyId);
  }

  /**
   * Sets one property (a device report, a control, a script or a test). Throws an Error if the
   * property does not exist or the value does not fit its define. Read-only properties are
   * allowed here: the device itself changes them.
   */
  setProperty(device: ModelDevice, propertyId: string, value: unknown): void {
    const def = this.propertyDefinition(device, propertyId);
    if (!def) throw new Error(`simulator: ${device.deviceId} has no property ${propertyId}`);
    const problem = checkValue(def.define, value, propertyId);
    if (problem) throw new Error(`simulator: ${device.deviceId}: ${problem}`);
    const time = this.now();
    device.properties[propertyId] = { Value: structuredClone(value), LastUpdate: time };
    this.history.recordProperty(device.deviceId, propertyId, value, time);
    this.announceReport(device, { [propertyId]: value });
  }

  /**
   * The device reports several properties in one message (one push). Every value is checked
   * before any changes; throws an Error naming the first that does not fit.
   */
  reportProperties(device: ModelDevice, values: Record<string, unknown>): void {
    for (const [id, value] of Object.entries(values)) {
      const def = this.propertyDefinition(device, id);
      if (!def) throw new Error(`simulator: ${device.deviceId} has no property ${id}`);
      const problem = checkValue(def.define, value, id);
      if (problem) throw new Error(`simulator: ${device.deviceId}: ${problem}`);
    }
    if (Object.keys(values).length === 0) return;
    const now = this.now();
    for (const [id, value] of Object.entries(values)) {
      device.properties[id] = { Value: structuredClone(value), LastUpdate: now };
      this.history.recordProperty(device.deviceId, id, value, now);
    }
    this.announceReport(device, values);
  }

  setOnline(device: ModelDevice, online: boolean): void {
    const changed = device.online !== online;
    if (changed) device.onlineSince = this.now();
    device.online = online;
    if (changed) this.changes.emit({ kind: 'online', device, online });
  }

  // ---- messages between the cloud and a device (announced to the push server) ----

  /** A clientToken as a device makes one for its own reports and events. */
  private deviceClientToken(device: ModelDevice): string {
    this.deviceTokenSeq += 1;
    return `${device.deviceName}-${this.deviceTokenSeq}`;
  }

  private announceReport(device: ModelDevice, values: Record<string, unknown>): void {
    this.changes.emit({
      kind: 'report',
      device,
      params: structuredClone(values),
      clientToken: this.deviceClientToken(device),
    });
  }

  /** The cloud sends a control down; the device applies it and reports the new values back. */
  control(device: ModelDevice, values: Record<string, unknown>, clientToken: string): void {
    this.changes.emit({ kind: 'control', device, params: structuredClone(values), clientToken });
    this.reportProperties(device, values);
  }

  /** The cloud sends an action down to the device (it runs later: see runAction). */
  sendAction(
    device: ModelDevice,
    actionId: string,
    input: Record<string, unknown>,
    clientToken: string,
  ): void {
    this.changes.emit({
      kind: 'action',
      device,
      actionId,
      params: structuredClone(input),
      clientToken,
    });
  }

  /**
   * The device posts an event. Params left out get the template's default; throws an Error
   * for an event or a param the template does not have, or a value that does not fit.
   */
  postEvent(device: ModelDevice, eventId: string, params: Record<string, unknown> = {}): void {
    const event = device.product.template.events.find((e) => e.id === eventId);
    if (!event) throw new Error(`simulator: ${device.deviceId} has no event ${eventId}`);
    const full: Record<string, unknown> = {};
    for (const [id, value] of Object.entries(params)) {
      const def = event.params.find((p) => p.id === id);
      if (!def) throw new Error(`simulator: event ${eventId} has no param ${id}`);
      const problem = checkValue(def.define, value, id);
      if (problem) throw new Error(`simulator: ${device.deviceId}: ${problem}`);
    }
    for (const def of event.params)
      full[def.id] = structuredClone(params[def.id] ?? defaultValue(def.define));
    this.history.recordEvent({
      time: this.now(),
      productId: device.productId,
      deviceName: device.deviceName,
      eventId,
      type: event.type,
      params: full,
    });
    this.changes.emit({
      kind: 'event',
      device,
      eventId,
      eventType: event.type,
      params: full,
      clientToken: this.deviceClientToken(device),
    });
  }

  /**
   * When set, every device takes this long for every action instead of its fixture's delay
   * (benchmarks compare clients at a fixed device delay, e.g. 0 and 20 ms).
   */
  deviceDelayMs: number | undefined;

  /** The device's behaviour for an action (defaults: no delay, status "succ", no output). */
  behaviour(
    device: ModelDevice,
    actionId: string,
  ): Required<Pick<DeviceActionBehaviour, 'delayMs' | 'status'>> & DeviceActionBehaviour {
    const b = device.actions[actionId] ?? {};
    return {
      ...b,
      delayMs: this.deviceDelayMs ?? b.delayMs ?? 0,
      status: b.status ?? 'succ',
    };
  }

  /**
   * The device carries out an action: its properties change (and it reports them), then it
   * builds its reply, which it sends as an action_reply carrying the action's clientToken.
   */
  runAction(device: ModelDevice, actionId: string, clientToken = ''): ActionOutcome {
    const b = this.behaviour(device, actionId);
    if (b.setProperties) this.reportProperties(device, b.setProperties);
    let output: Record<string, unknown> | undefined;
    if (b.output !== undefined) {
      output = {};
      for (const [id, value] of Object.entries(b.output)) {
        output[id] = isPropertyRef(value)
          ? structuredClone(device.properties[value.$property]?.Value)
          : structuredClone(value);
      }
    }
    this.changes.emit({
      kind: 'actionReply',
      device,
      actionId,
      clientToken,
      code: b.status === 'succ' ? 0 : 1,
      status: b.status,
      response: structuredClone(output ?? {}),
    });
    return { status: b.status, output };
  }

  /** A copy of the device's property state ({id: {Value, LastUpdate}}). */
  snapshot(device: ModelDevice): Record<string, PropertyState> {
    return structuredClone(device.properties);
  }
}

function toModelUser(u: FixtureUser): ModelUser {
  return {
    UserID: u.UserID,
    UserName: u.UserName ?? u.PhoneNumber ?? u.Email ?? u.UserID,
    NickName: u.NickName ?? '',
    CountryCode: u.CountryCode ?? '',
    PhoneNumber: u.PhoneNumber ?? '',
    Email: u.Email ?? '',
    Avatar: u.Avatar ?? '',
    CreateTime: u.CreateTime ?? DEFAULT_TIME,
    password: u.Password,
    locked: u.locked ?? false,
  };
}

/** The family's first admin (else its first member): who binds a device nobody named. */
export function ownerOf(family: ModelFamily): string {
  for (const [userId, role] of family.members) if (role === 1) return userId;
  return family.members.keys().next().value ?? '';
}
