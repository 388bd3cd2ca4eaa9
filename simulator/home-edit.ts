// Run-time changes to the home, as its owner (or the simulator's operator) makes them: a device
// added to a family or removed from it, renamed, moved to another room, shared with a user or
// no longer; rooms and families added and removed. Each change is seen by the next API call,
// and announced on `model.homeChanges` (the push server ends subscriptions a user has lost).
// Reached as `sim.model.home`, over HTTP at /_sim/home (home-control.ts) and from the CLI.

import { randomBytes } from 'node:crypto';
import type { FixtureRoom } from './fixture';
import { ownerOf, type ModelDevice, type ModelFamily, type SimulatorModel } from './model';
import { checkValue } from './template';

/** A change the model refuses; `status` is the HTTP status /_sim answers with. */
export class HomeEditError extends Error {
  override name = 'HomeEditError';
  constructor(
    /** 400 a bad value, 404 something that does not exist, 409 a change that does not fit. */
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export interface NewDevice {
  ProductId: string;
  DeviceName: string;
  FamilyId: string;
  /** "0" or "" (or left out) = the default room. */
  RoomId?: string;
  /** Default: the DeviceName. */
  AliasName?: string;
  /** Who binds it; default: the family's first admin. Must be a member. */
  UserID?: string;
  /** Default true. A device that existed unbound keeps its state unless this is given. */
  online?: boolean;
  /** Initial values (a new device); others get the template's defaults. */
  properties?: Record<string, unknown>;
}

export interface NewFamily {
  /** Default: a fresh `f_` id. */
  FamilyId?: string;
  Name: string;
  Address?: string;
  /** Default: the first user of the model as its admin. */
  members?: { UserID: string; Role: 0 | 1 }[];
}

const NAME_MAX = 64;

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function freshId(prefix: string): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

/** A name (alias, room, family, address) as the model takes it; throws HomeEditError. */
export function checkName(value: unknown, what: string, allowEmpty = false): string {
  if (typeof value !== 'string') throw new HomeEditError(400, `${what} must be a string`);
  if (!allowEmpty && value.trim() === '') throw new HomeEditError(400, `${what} must not be empty`);
  if ([...value].length > NAME_MAX) {
    throw new HomeEditError(400, `${what} must be at most ${NAME_MAX} characters`);
  }
  return value;
}

export class HomeEditor {
  constructor(private readonly model: SimulatorModel) {}

  // ---- lookups that throw HomeEditError ----

  device(deviceId: string): ModelDevice {
    const device = this.model.devices.get(deviceId);
    if (!device) throw new HomeEditError(404, `no device ${deviceId}`);
    return device;
  }

  family(familyId: string): ModelFamily {
    const family = this.model.families.get(familyId);
    if (!family) throw new HomeEditError(404, `no family ${familyId}`);
    return family;
  }

  private boundDevice(deviceId: string): ModelDevice & { familyId: string } {
    const device = this.device(deviceId);
    if (device.familyId === undefined) {
      throw new HomeEditError(409, `${deviceId} is bound to no family`);
    }
    return device as ModelDevice & { familyId: string };
  }

  /** "0" for the default room; throws 404 for a room the family does not have. */
  private roomOf(family: ModelFamily, roomId: string | undefined): string {
    if (roomId === undefined || roomId === '' || roomId === '0') return '0';
    if (!family.rooms.some((r) => r.RoomId === roomId)) {
      throw new HomeEditError(404, `family ${family.FamilyId} has no room ${roomId}`);
    }
    return roomId;
  }

  // ---- devices ----

  /**
   * Binds a device to a family (a room of it, or the default room). A device the model does
   * not have yet is created with its product's template; one that exists must be unbound.
   */
  addDevice(spec: NewDevice): ModelDevice {
    const model = this.model;
    const product = model.products.get(spec.ProductId);
    if (!product) throw new HomeEditError(404, `no product ${spec.ProductId}`);
    if (
      typeof spec.DeviceName !== 'string' ||
      spec.DeviceName === '' ||
      spec.DeviceName.includes('/')
    ) {
      throw new HomeEditError(400, 'DeviceName must be a non-empty string without "/"');
    }
    const family = this.family(spec.FamilyId);
    const roomId = this.roomOf(family, spec.RoomId);
    const alias =
      spec.AliasName === undefined ? undefined : checkName(spec.AliasName, 'AliasName', true);
    if (spec.UserID !== undefined && !family.members.has(spec.UserID)) {
      throw new HomeEditError(400, `${spec.UserID} is not a member of ${family.FamilyId}`);
    }
    if (spec.online !== undefined && typeof spec.online !== 'boolean') {
      throw new HomeEditError(400, 'online must be true or false');
    }
    for (const [id, value] of Object.entries(spec.properties ?? {})) {
      const def = product.template.properties.find((p) => p.id === id);
      if (!def) throw new HomeEditError(400, `${product.ProductId} has no property ${id}`);
      const problem = checkValue(def.define, value, id);
      if (problem) throw new HomeEditError(400, problem);
    }
    const deviceId = `${spec.ProductId}/${spec.DeviceName}`;
    const now = model.now();
    let device = model.devices.get(deviceId);
    if (device?.familyId !== undefined) {
      throw new HomeEditError(409, `${deviceId} is already bound to ${device.familyId}`);
    }
    if (device) {
      // A device nobody had bound (removed earlier, or never bound): bind it as it is.
      device.familyId = family.FamilyId;
      device.roomId = roomId;
      device.userId = spec.UserID ?? ownerOf(family);
      device.aliasName = alias ?? device.deviceName;
      device.createTime = seconds(now);
      device.updateTime = seconds(now);
      if (spec.properties && Object.keys(spec.properties).length > 0) {
        model.reportProperties(device, spec.properties);
      }
      if (spec.online !== undefined) model.setOnline(device, spec.online);
    } else {
      device = model.createDevice(
        {
          ProductId: spec.ProductId,
          DeviceName: spec.DeviceName,
          AliasName: alias,
          FamilyId: family.FamilyId,
          RoomId: roomId,
          UserID: spec.UserID,
          online: spec.online,
          properties: spec.properties,
          CreateTime: seconds(now),
        },
        now,
      );
      for (const [id, state] of Object.entries(device.properties)) {
        model.history.recordProperty(deviceId, id, state.Value, state.LastUpdate);
      }
    }
    model.homeChanges.emit({ kind: 'deviceAdded', device });
    return device;
  }

  /**
   * Unbinds a device from its family, as its owner deleting it from the app does. It stays a
   * device of its product (unbound, like a new one in its box) and keeps running; nobody sees
   * it any more, and every share of it ends.
   */
  removeDevice(deviceId: string): ModelDevice {
    const device = this.boundDevice(deviceId);
    const familyId = device.familyId;
    const unsharedFrom = [...device.sharedWith.keys()];
    for (const userId of unsharedFrom) device.formerlySharedWith.add(userId);
    device.sharedWith.clear();
    (device as ModelDevice).familyId = undefined;
    device.roomId = '0';
    device.userId = '';
    device.updateTime = seconds(this.model.now());
    this.model.homeChanges.emit({ kind: 'deviceRemoved', device, familyId, unsharedFrom });
    return device;
  }

  /** Sets the device's alias (AliasName); "" is allowed, as in the API. */
  renameDevice(deviceId: string, alias: string): ModelDevice {
    const device = this.boundDevice(deviceId);
    const name = checkName(alias, 'AliasName', true);
    const from = device.aliasName;
    if (name === from) return device;
    device.aliasName = name;
    device.updateTime = seconds(this.model.now());
    this.model.homeChanges.emit({ kind: 'deviceRenamed', device, from });
    return device;
  }

  /** Moves the device to another room of its family ("0" = the default room). */
  moveDevice(deviceId: string, roomId: string): ModelDevice {
    const device = this.boundDevice(deviceId);
    const to = this.roomOf(this.family(device.familyId), roomId);
    const fromRoomId = device.roomId;
    if (to === fromRoomId) return device;
    device.roomId = to;
    device.updateTime = seconds(this.model.now());
    this.model.homeChanges.emit({ kind: 'deviceMoved', device, fromRoomId });
    return device;
  }

  /**
   * The owner shares the device with a user. Returns false when it already was. A member of the
   * device's family sees it already and cannot be given it as shared (409).
   */
  shareDevice(deviceId: string, userId: string): boolean {
    const device = this.boundDevice(deviceId);
    if (!this.model.users.has(userId)) throw new HomeEditError(404, `no user ${userId}`);
    if (this.model.isMember(userId, device.familyId)) {
      throw new HomeEditError(
        409,
        `${userId} is a member of ${device.familyId} and sees ${deviceId} there`,
      );
    }
    if (device.sharedWith.has(userId)) return false;
    device.sharedWith.set(userId, seconds(this.model.now()));
    device.formerlySharedWith.delete(userId);
    this.model.homeChanges.emit({ kind: 'deviceShared', device, userId });
    return true;
  }

  /** The share ends: the user's calls on the device fail from now on. False when it was not shared. */
  unshareDevice(deviceId: string, userId: string): boolean {
    const device = this.device(deviceId);
    if (!this.model.users.has(userId)) throw new HomeEditError(404, `no user ${userId}`);
    if (!device.sharedWith.delete(userId)) return false;
    device.formerlySharedWith.add(userId);
    this.model.homeChanges.emit({ kind: 'deviceUnshared', device, userId });
    return true;
  }

  // ---- rooms ----

  addRoom(familyId: string, roomName: string, roomId?: string): Required<FixtureRoom> {
    const family = this.family(familyId);
    const name = checkName(roomName, 'RoomName');
    const id = roomId ?? freshId('r_');
    if (typeof id !== 'string' || id === '' || id === '0' || id.includes('/')) {
      throw new HomeEditError(400, 'RoomId must be a non-empty string other than "0", without "/"');
    }
    if (family.rooms.some((r) => r.RoomId === id)) {
      throw new HomeEditError(409, `family ${familyId} already has a room ${id}`);
    }
    const now = seconds(this.model.now());
    const room = { RoomId: id, RoomName: name, CreateTime: now, UpdateTime: now };
    family.rooms.push(room);
    this.model.homeChanges.emit({ kind: 'roomAdded', familyId, roomId: id });
    return room;
  }

  /** Removes a room; its devices go to the default room. Returns the devices moved. */
  removeRoom(familyId: string, roomId: string): ModelDevice[] {
    const family = this.family(familyId);
    const index = family.rooms.findIndex((r) => r.RoomId === roomId);
    if (index < 0) throw new HomeEditError(404, `family ${familyId} has no room ${roomId}`);
    family.rooms.splice(index, 1);
    const moved = this.model.devicesInFamily(familyId, roomId);
    const now = seconds(this.model.now());
    for (const device of moved) {
      device.roomId = '0';
      device.updateTime = now;
      this.model.homeChanges.emit({ kind: 'deviceMoved', device, fromRoomId: roomId });
    }
    this.model.homeChanges.emit({ kind: 'roomRemoved', familyId, roomId });
    return moved;
  }

  // ---- families ----

  addFamily(spec: NewFamily): ModelFamily {
    const name = checkName(spec.Name, 'Name');
    const id = spec.FamilyId ?? freshId('f_');
    if (typeof id !== 'string' || id === '') {
      throw new HomeEditError(400, 'FamilyId must be a non-empty string');
    }
    if (this.model.families.has(id)) throw new HomeEditError(409, `family ${id} exists`);
    const address = spec.Address === undefined ? '' : checkName(spec.Address, 'Address', true);
    const firstUser = this.model.users.keys().next().value;
    const members = spec.members ?? (firstUser ? [{ UserID: firstUser, Role: 1 as const }] : []);
    if (members.length === 0) throw new HomeEditError(400, 'a family needs a member');
    const roles = new Map<string, 0 | 1>();
    for (const m of members) {
      if (!this.model.users.has(m.UserID)) throw new HomeEditError(404, `no user ${m.UserID}`);
      if (m.Role !== 0 && m.Role !== 1) throw new HomeEditError(400, 'Role must be 1 or 0');
      roles.set(m.UserID, m.Role);
    }
    // A member must not also receive one of the family's devices as shared: the family is new
    // and empty, so nothing to check.
    const now = seconds(this.model.now());
    const family: ModelFamily = {
      FamilyId: id,
      Name: name,
      Address: address,
      CreateTime: now,
      UpdateTime: now,
      members: roles,
      rooms: [],
    };
    this.model.families.set(id, family);
    this.model.homeChanges.emit({ kind: 'familyAdded', familyId: id });
    return family;
  }

  /**
   * Removes a family: its devices are unbound (and their shares end), its rooms, scenes and
   * automations go. Returns the devices that were in it.
   */
  removeFamily(familyId: string): ModelDevice[] {
    this.family(familyId);
    const devices = this.model.devicesInFamily(familyId);
    for (const device of devices) this.removeDevice(device.deviceId);
    for (const [id, scene] of this.model.scenes.scenes) {
      if (scene.FamilyId === familyId) this.model.scenes.scenes.delete(id);
    }
    for (const [id, automation] of this.model.automations) {
      if (automation.FamilyId === familyId) this.model.automations.delete(id);
    }
    this.model.families.delete(familyId);
    this.model.homeChanges.emit({ kind: 'familyRemoved', familyId });
    return devices;
  }
}
