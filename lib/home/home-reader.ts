// Reads the whole home of one account: every family with its rooms and devices, the devices other
// users share with the user, the products' names and every device's online state. Either every
// list is read in full, or the read fails: a home read in part would look like devices removed.

import type {
  CallOptions,
  DeviceStatusesResult,
  FamilyDevice,
  FamilyInfo,
  ProductInfo,
  RoomInfo,
  SharedDevice,
} from '../api/client';
import { DEFAULT_ROOM_ID, type DeviceRecord, type HomeFamily, type HomeRoom } from '../shared/home';

/** The calls a home read makes: the account's ApiClient has them all (a test's fake too). */
export interface HomeApi {
  getFamilies(options: CallOptions): Promise<FamilyInfo[]>;
  getRooms(familyId: string, options: CallOptions): Promise<RoomInfo[]>;
  getFamilyDevices(familyId: string, options: CallOptions): Promise<FamilyDevice[]>;
  getSharedDevices(options: CallOptions): Promise<SharedDevice[]>;
  getProducts(productIds: readonly string[], options: CallOptions): Promise<ProductInfo[]>;
  getDeviceStatuses(
    deviceIds: readonly string[],
    options: CallOptions,
  ): Promise<DeviceStatusesResult>;
}

/** AppGetProducts takes at most this many ProductIds per call. */
export const MAX_PRODUCT_IDS = 100;

/** One complete read of the home. */
export interface HomeRead {
  families: HomeFamily[];
  /** The user's own devices (family by family, in the API's order), then the shared ones. */
  devices: DeviceRecord[];
  /** The products' names read (or known before): ProductId → name. */
  productNames: Map<string, string>;
}

/**
 * The calls' options (a signal, the editor's lane), and what one read may reuse from the last:
 * product names do not change with the home.
 */
export interface HomeReadOptions extends CallOptions {
  /** Names already known: only products missing here are read. */
  knownProductNames?: ReadonlyMap<string, string>;
}

/** `""`, `0` and `"0"` all mean the default room: the record says `0`. */
export function roomIdOf(raw: string): string {
  return raw === '' || raw === '0' ? DEFAULT_ROOM_ID : raw;
}

/**
 * Reads the home: the families, then each family's rooms and devices and the shared devices at
 * once (the account's flow control paces them), then the names of products not known yet and the
 * online states. Throws the first failure (an API error, IOTX_READ_LIMIT for a list past its
 * budget, IOTX_CLOSED when `signal` aborts); nothing partial is returned.
 */
export async function readHome(api: HomeApi, options: HomeReadOptions = {}): Promise<HomeRead> {
  const { knownProductNames, ...callOptions } = options;
  const [families, shared] = await Promise.all([
    api.getFamilies(callOptions).then((list) =>
      Promise.all(
        list.map(async (family) => {
          const [rooms, devices] = await Promise.all([
            api.getRooms(family.familyId, callOptions),
            api.getFamilyDevices(family.familyId, callOptions),
          ]);
          return { family, rooms, devices };
        }),
      ),
    ),
    api.getSharedDevices(callOptions),
  ]);

  const homeFamilies: HomeFamily[] = [];
  const devices: DeviceRecord[] = [];
  const seen = new Set<string>();
  for (const { family, rooms, devices: owned } of families) {
    const roomNames = new Map<string, string>();
    const counts = new Map<string, number>();
    for (const device of owned) {
      const roomId = roomIdOf(device.roomId);
      counts.set(roomId, (counts.get(roomId) ?? 0) + 1);
    }
    const homeRooms: HomeRoom[] = [
      { roomId: DEFAULT_ROOM_ID, roomName: null, deviceCount: counts.get(DEFAULT_ROOM_ID) ?? 0 },
    ];
    for (const room of rooms) {
      const roomId = roomIdOf(room.roomId);
      if (roomId === DEFAULT_ROOM_ID || roomNames.has(roomId)) continue;
      roomNames.set(roomId, room.roomName);
      homeRooms.push({ roomId, roomName: room.roomName, deviceCount: counts.get(roomId) ?? 0 });
    }
    homeFamilies.push({
      familyId: family.familyId,
      familyName: family.name,
      role: family.role,
      rooms: homeRooms,
    });
    for (const device of owned) {
      // A device is in one family; a second listing of it (a server's paging slip) is dropped.
      if (seen.has(device.deviceId)) continue;
      seen.add(device.deviceId);
      const roomId = roomIdOf(device.roomId);
      devices.push({
        deviceId: device.deviceId,
        productId: device.productId,
        deviceName: device.deviceName,
        alias: device.aliasName === '' ? null : device.aliasName,
        productName: null,
        familyId: family.familyId,
        familyName: family.name,
        roomId,
        roomName: roomNames.get(roomId) ?? null,
        shared: false,
        sharedBy: null,
        online: null,
      });
    }
  }
  for (const device of shared) {
    if (seen.has(device.deviceId)) continue;
    seen.add(device.deviceId);
    devices.push({
      deviceId: device.deviceId,
      productId: device.productId,
      deviceName: device.deviceName,
      alias: device.aliasName === '' ? null : device.aliasName,
      productName: null,
      familyId: null,
      familyName: null,
      roomId: null,
      roomName: null,
      shared: true,
      sharedBy: device.sharedBy,
      online: null,
    });
  }

  const productNames = await readProductNames(
    api,
    [...new Set(devices.map((d) => d.productId))],
    knownProductNames,
    callOptions,
  );
  const { statuses } =
    devices.length === 0
      ? { statuses: [] }
      : await api.getDeviceStatuses(
          devices.map((d) => d.deviceId),
          callOptions,
        );
  const online = new Map(statuses.map((s) => [s.deviceId, s.online]));
  for (const device of devices) {
    device.productName = productNames.get(device.productId) || null;
    device.online = online.get(device.deviceId) ?? null;
  }
  return { families: homeFamilies, devices, productNames };
}

/**
 * The names of `productIds`: those known are kept, the others read with AppGetProducts in
 * batches of {@link MAX_PRODUCT_IDS}. A product the reply leaves out gets `''` (no name), so it
 * is not asked again on every refresh. Only the home's products are returned, so the names kept
 * shrink when products leave the home.
 */
async function readProductNames(
  api: HomeApi,
  productIds: readonly string[],
  known: ReadonlyMap<string, string> | undefined,
  options: CallOptions,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const missing: string[] = [];
  for (const id of productIds) {
    const name = known?.get(id);
    if (name === undefined) missing.push(id);
    else names.set(id, name);
  }
  for (let start = 0; start < missing.length; start += MAX_PRODUCT_IDS) {
    const products = await api.getProducts(missing.slice(start, start + MAX_PRODUCT_IDS), options);
    for (const product of products) {
      if (missing.includes(product.productId) && product.name !== '') {
        names.set(product.productId, product.name);
      }
    }
  }
  for (const id of missing) if (!names.has(id)) names.set(id, '');
  return names;
}
