// The user's homes: families (AppGetFamilyList), the devices of a family
// (AppGetFamilyDeviceList), its rooms (AppGetRoomList) and the devices other users share with the
// user (AppListUserShareDevices), each list read whole within the list budget (lib/api/paging.ts).

import type { ApiRequester, CallOptions } from './contracts';
import { asText } from './envelope';
import { LIST_BUDGET, SHARE_PAGE_LIMIT, readList } from './paging';
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

/** One device another user shares with this one (`AppListUserShareDevices`). */
export interface SharedDevice extends DeviceId {
  /** 'ProductId/DeviceName' */
  deviceId: string;
  aliasName: string;
  /** Who shared it (`FromUserID`), where the reply says so; else null. */
  sharedBy: string | null;
}

/**
 * The room list's key: the documentation's example says `FamilyList`, the iOS app reads
 * `RoomList`, Android's model `Roomlist`. Any of them is read.
 */
const ROOM_LIST_KEYS = ['RoomList', 'Roomlist', 'FamilyList'] as const;

/** The sharer's id: the Android app's model reads `FromUserID`; other casings are tolerated. */
const SHARED_BY_KEYS = ['FromUserID', 'FromUserId', 'ShareUserID', 'ShareUserId'] as const;

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
    ROOM_LIST_KEYS,
    options,
  );
  return items.map((r) => ({ roomId: asText(r.RoomId), roomName: asText(r.RoomName) }));
}

/**
 * `AppListUserShareDevices`, every page (of up to 100, its documented maximum): the devices other
 * users share with this one. They are in no family of the user's, and no family list has them.
 */
export async function getSharedDevices(
  api: ApiRequester,
  options: CallOptions = {},
): Promise<SharedDevice[]> {
  const { items } = await readList(
    api,
    'AppListUserShareDevices',
    {},
    'ShareDevices',
    options,
    LIST_BUDGET,
    SHARE_PAGE_LIMIT,
  );
  return items.map((d) => {
    const named = { productId: asText(d.ProductId), deviceName: asText(d.DeviceName) };
    const deviceId = asText(d.DeviceId) || DeviceId.format(named);
    const device =
      named.productId !== '' && named.deviceName !== ''
        ? named
        : (DeviceId.parse(deviceId) ?? named);
    const sharer = SHARED_BY_KEYS.map((key) => asText(d[key])).find((id) => id !== '');
    return {
      ...device,
      deviceId,
      aliasName: asText(d.AliasName),
      sharedBy: sharer ?? null,
    };
  });
}
