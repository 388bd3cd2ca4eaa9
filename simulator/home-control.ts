// /_sim/home: the home's run-time changes over HTTP (home-edit.ts), for the CLI, the demo and
// tests in another process. Each answers JSON; an error is {error} with 400, 404 or 409.
//
//   GET    /_sim/home                                   → the whole home (see homeView)
//   GET    /_sim/home/options                           → the home options
//   POST   /_sim/home/options       {listLimit?, missingPanelConfig?, shareFromUserId?} → the same
//   POST   /_sim/home/families      {Name, FamilyId?, Address?, members?|UserID?} → the family
//   DELETE /_sim/home/families/<FID>                    → {ok, unbound: [DeviceId]}
//   POST   /_sim/home/families/<FID>/rooms {RoomName, RoomId?} → the room
//   DELETE /_sim/home/families/<FID>/rooms/<RID>        → {ok, moved: [DeviceId]}
//   POST   /_sim/home/devices       {ProductId, DeviceName | DeviceId, FamilyId, RoomId?,
//                                    AliasName?, UserID?, online?, properties?} → the device
//   POST   /_sim/home/devices/<PID>/<DN> {AliasName?, RoomId?} → the device (renamed / moved)
//   DELETE /_sim/home/devices/<PID>/<DN>                → the device, now unbound
//   POST   /_sim/home/devices/<PID>/<DN>/share   {UserID?} → {ok, changed, device}
//   POST   /_sim/home/devices/<PID>/<DN>/unshare {UserID?} → {ok, changed, device}
//   POST   /_sim/products/<PID>/config {Config: object | string | null} → {ProductId, Config}
// UserID defaults to the model's first user (the demo user in the shipped fixtures).

import { parseHomeOptions } from './home-options';
import { checkName, HomeEditError, type NewDevice, type NewFamily } from './home-edit';
import type { ModelDevice, ModelFamily, SimulatorModel } from './model';
import { panelConfigProblem, panelConfigText } from './panel-config';

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A device as /_sim shows it: where it is, who shares it, its online state. */
export function deviceView(device: ModelDevice): Obj {
  return {
    DeviceId: device.deviceId,
    ProductId: device.productId,
    DeviceName: device.deviceName,
    AliasName: device.aliasName,
    FamilyId: device.familyId ?? null,
    RoomId: device.familyId === undefined ? null : device.roomId,
    owner: device.userId === '' ? null : device.userId,
    sharedWith: [...device.sharedWith.keys()],
    online: device.online,
  };
}

function familyView(model: SimulatorModel, family: ModelFamily): Obj {
  return {
    FamilyId: family.FamilyId,
    Name: family.Name,
    Address: family.Address,
    members: [...family.members].map(([UserID, Role]) => ({ UserID, Role })),
    rooms: family.rooms.map((r) => ({ RoomId: r.RoomId, RoomName: r.RoomName })),
    devices: model.devicesInFamily(family.FamilyId).map((d) => d.deviceId),
  };
}

/** The whole home: families with their rooms and device ids, and every device. */
export function homeView(model: SimulatorModel): Obj {
  return {
    families: [...model.families.values()].map((f) => familyView(model, f)),
    devices: [...model.devices.values()].map(deviceView),
  };
}

function str(body: Obj, key: string, optional: true): string | undefined;
function str(body: Obj, key: string, optional?: false): string;
function str(body: Obj, key: string, optional = false): string | undefined {
  const v = body[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') {
    throw new HomeEditError(400, `${key} must be a string${optional ? '' : ' (required)'}`);
  }
  return v;
}

function only(body: Obj, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw new HomeEditError(400, `unknown field ${key} (expected ${allowed.join(', ')})`);
    }
  }
}

function firstUser(model: SimulatorModel): string {
  const id = model.users.keys().next().value;
  if (id === undefined) throw new HomeEditError(404, 'the model has no user');
  return id;
}

function newDevice(body: Obj): NewDevice {
  only(body, [
    'ProductId',
    'DeviceName',
    'DeviceId',
    'FamilyId',
    'RoomId',
    'AliasName',
    'UserID',
    'online',
    'properties',
  ]);
  let productId = str(body, 'ProductId', true);
  let deviceName = str(body, 'DeviceName', true);
  const deviceId = str(body, 'DeviceId', true);
  if (deviceId !== undefined && productId === undefined && deviceName === undefined) {
    const match = /^([^/]+)\/([^/]+)$/.exec(deviceId);
    if (!match) throw new HomeEditError(400, 'DeviceId must be "ProductId/DeviceName"');
    [, productId, deviceName] = match;
  }
  if (productId === undefined || deviceName === undefined) {
    throw new HomeEditError(400, 'name the device: ProductId and DeviceName, or DeviceId');
  }
  if (body.properties !== undefined && !isObj(body.properties)) {
    throw new HomeEditError(400, 'properties must be an object of property id → value');
  }
  return {
    ProductId: productId,
    DeviceName: deviceName,
    FamilyId: str(body, 'FamilyId'),
    RoomId: str(body, 'RoomId', true),
    AliasName: str(body, 'AliasName', true),
    UserID: str(body, 'UserID', true),
    online: body.online as boolean | undefined,
    properties: body.properties,
  };
}

function newFamily(model: SimulatorModel, body: Obj): NewFamily {
  only(body, ['Name', 'FamilyId', 'Address', 'members', 'UserID']);
  let members: NewFamily['members'];
  if (body.members !== undefined) {
    if (!Array.isArray(body.members) || !body.members.every(isObj)) {
      throw new HomeEditError(400, 'members must be an array of {UserID, Role}');
    }
    members = body.members.map((m) => ({
      UserID: str(m, 'UserID'),
      Role: m.Role as 0 | 1,
    }));
  } else {
    members = [{ UserID: str(body, 'UserID', true) ?? firstUser(model), Role: 1 }];
  }
  return {
    Name: str(body, 'Name'),
    FamilyId: str(body, 'FamilyId', true),
    Address: str(body, 'Address', true),
    members,
  };
}

function userOf(model: SimulatorModel, body: Obj): string {
  only(body, ['UserID']);
  return str(body, 'UserID', true) ?? firstUser(model);
}

/** /_sim/home/devices/<PID>/<DN>[/share|/unshare] */
function deviceRoute(model: SimulatorModel, method: string, rest: string[], body: Obj): unknown {
  const [productId, deviceName, verb, ...more] = rest;
  if (deviceName === undefined || more.length > 0) return undefined;
  const id = `${productId}/${deviceName}`;
  const home = model.home;
  if (verb === undefined && method === 'DELETE') return deviceView(home.removeDevice(id));
  if (verb === undefined && method === 'POST') {
    only(body, ['AliasName', 'RoomId']);
    const alias = str(body, 'AliasName', true);
    const roomId = str(body, 'RoomId', true);
    if (alias === undefined && roomId === undefined) {
      throw new HomeEditError(400, 'give AliasName (rename) or RoomId (move)');
    }
    home.device(id);
    // The alias is checked first: a refused move then changes nothing.
    if (alias !== undefined) checkName(alias, 'AliasName', true);
    if (roomId !== undefined) home.moveDevice(id, roomId);
    if (alias !== undefined) home.renameDevice(id, alias);
    return deviceView(home.device(id));
  }
  if ((verb === 'share' || verb === 'unshare') && method === 'POST') {
    const userId = userOf(model, body);
    const changed =
      verb === 'share' ? home.shareDevice(id, userId) : home.unshareDevice(id, userId);
    return { ok: true, changed, device: deviceView(home.device(id)) };
  }
  return undefined;
}

/**
 * Answers a /_sim/home request (and /_sim/products/<PID>/config), or undefined when the path
 * is not one of them. Throws HomeEditError for a refused change.
 */
export function homeControl(
  model: SimulatorModel,
  method: string,
  parts: string[],
  body: () => Obj,
): unknown {
  const [section, ...rest] = parts;
  if (section === 'products' && rest.length === 2 && rest[1] === 'config' && method === 'POST') {
    return setPanelConfig(model, rest[0], body());
  }
  if (section !== 'home') return undefined;
  const [what, ...tail] = rest;
  const home = model.home;
  if (what === undefined && method === 'GET') return homeView(model);
  if (what === 'options' && tail.length === 0) {
    if (method === 'POST') {
      try {
        Object.assign(model.homeOptions, parseHomeOptions(body()));
      } catch (err) {
        throw new HomeEditError(400, (err as Error).message);
      }
    }
    if (method === 'GET' || method === 'POST') return { ...model.homeOptions };
  }
  if (what === 'families') {
    if (tail.length === 0 && method === 'POST') {
      return familyView(model, home.addFamily(newFamily(model, body())));
    }
    if (tail.length === 1 && method === 'DELETE') {
      const unbound = home.removeFamily(tail[0]);
      return { ok: true, unbound: unbound.map((d) => d.deviceId) };
    }
    if (tail.length === 2 && tail[1] === 'rooms' && method === 'POST') {
      const b = body();
      only(b, ['RoomName', 'RoomId']);
      return home.addRoom(tail[0], str(b, 'RoomName'), str(b, 'RoomId', true));
    }
    if (tail.length === 3 && tail[1] === 'rooms' && method === 'DELETE') {
      const moved = home.removeRoom(tail[0], tail[2]);
      return { ok: true, moved: moved.map((d) => d.deviceId) };
    }
  }
  if (what === 'devices') {
    if (tail.length === 0 && method === 'POST')
      return deviceView(home.addDevice(newDevice(body())));
    return deviceRoute(model, method, tail, method === 'POST' ? body() : {});
  }
  return undefined;
}

function setPanelConfig(model: SimulatorModel, productId: string, body: Obj): unknown {
  only(body, ['Config']);
  const product = model.products.get(productId);
  if (!product) throw new HomeEditError(404, `no product ${productId}`);
  const config = body.Config;
  if (config === null || config === undefined) {
    product.panelConfig = undefined;
  } else {
    const found = panelConfigProblem(config);
    if (found) throw new HomeEditError(400, `Config${found.where} ${found.problem}`);
    product.panelConfig = panelConfigText(config as Obj | string);
  }
  return { ProductId: productId, Config: product.panelConfig ?? null };
}
