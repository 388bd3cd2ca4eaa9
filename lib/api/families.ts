// The user's homes: families (AppGetFamilyList), the devices of a family
// (AppGetFamilyDeviceList) and its rooms (AppGetRoomList), each list read whole within the list
// budget (lib/api/paging.ts).

import type { ApiRequester, CallOptions } from './contracts';
import { asText } from './envelope';
import { readList } from './paging';
import { DeviceId } from '../shared/device-id';

/** One family of the user (`AppGetFamilyList`). */
export interface FamilyInfo {
  familyId: string;
  name: string;
  /** 1 admin, 0 member. */
  role: number;
}

/** One device of a family (`AppGetFamilyDeviceList`). */
export interface FamilyDevice extends DeviceId {
  /** 'ProductId/DeviceName' */
  deviceId: string;
  aliasName: string;
  roomId: string;
}

/** One room of a family (`AppGetRoomList`). */
export interface RoomInfo {
  roomId: string;
  roomName: string;
}

/** `AppGetFamilyList`, every page: the user's families. */
export async function getFamilies(
  api: ApiRequester,
  options: CallOptions = {},
): Promise<FamilyInfo[]> {
  const { items } = await readList(api, 'AppGetFamilyList', {}, 'FamilyList', options);
  return items.map((f) => ({
    familyId: asText(f.FamilyId),
    name: asText(f.Name),
    role: Number(f.Role) || 0,
  }));
}

/** `AppGetFamilyDeviceList`, every page: the devices of one family, every room. */
export async function getFamilyDevices(
  api: ApiRequester,
  familyId: string,
  options: CallOptions = {},
): Promise<FamilyDevice[]> {
  const { items } = await readList(
    api,
    'AppGetFamilyDeviceList',
    { FamilyId: familyId, RoomId: '' },
    'DeviceList',
    options,
  );
  return items.map((d) => {
    const device = { productId: asText(d.ProductId), deviceName: asText(d.DeviceName) };
    return {
      ...device,
      deviceId: asText(d.DeviceId) || DeviceId.format(device),
      aliasName: asText(d.AliasName),
      roomId: asText(d.RoomId),
    };
  });
}

/** `AppGetRoomList`, every page: the rooms of one family. */
export async function getRooms(
  api: ApiRequester,
  familyId: string,
  options: CallOptions = {},
): Promise<RoomInfo[]> {
  const { items } = await readList(
    api,
    'AppGetRoomList',
    { FamilyId: familyId },
    'RoomList',
    options,
  );
  return items.map((r) => ({ roomId: asText(r.RoomId), roomName: asText(r.RoomName) }));
}
