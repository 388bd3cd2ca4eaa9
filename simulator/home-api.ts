// The tokenapi Actions that describe the user's home: families, rooms, the devices of a family,
// one device's place, and the devices other users share with the user. Lists page with
// Offset/Limit; what a Limit above the documented maximum does is homeOptions.listLimit.

import { errors } from './envelope';
import type { ListLimitPolicy } from './home-options';
import type { ModelDevice, ModelUser } from './model';
import {
  optionalInt,
  optionalString,
  requiredString,
  type ApiContext,
  type Fields,
  type Params,
} from './params';
import { serviceTime } from './service-time';
import type { TokenHandler } from './tokenapi';
import { visibleDevice } from './device-access';

/** The documented Limit maxima. */
export const FAMILY_LIST_MAX = 50;
export const SHARE_LIST_MAX = 100;
/** Limit when a list call sends none (where it may send none). */
export const DEFAULT_LIMIT = 20;

/**
 * Offset/Limit of a list call. Both must be integers (numbers, not text); `required` lists
 * need both. A Limit over `max` follows `policy`.
 */
export function listPaging(
  params: Params,
  max: number,
  policy: ListLimitPolicy,
  required = false,
): { offset: number; limit: number } {
  if (required) {
    for (const name of ['Offset', 'Limit']) {
      if (params[name] === undefined || params[name] === null) throw errors.requiredParam(name);
    }
  }
  const offset = optionalInt(params, 'Offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const upper = policy === 'reject' ? max : Number.MAX_SAFE_INTEGER;
  const asked = optionalInt(params, 'Limit', 1, upper) ?? DEFAULT_LIMIT;
  return { offset, limit: policy === 'clamp' ? Math.min(asked, max) : asked };
}

function page<T>(all: readonly T[], paging: { offset: number; limit: number }): T[] {
  return all.slice(paging.offset, paging.offset + paging.limit);
}

function memberFamily(params: Params, ctx: ApiContext, user: ModelUser): string {
  const familyId = requiredString(params, 'FamilyId');
  if (!ctx.model.isMember(user.UserID, familyId)) throw errors.noPermissionToFamily(familyId);
  return familyId;
}

const getFamilyList: TokenHandler = (params, ctx, user) => {
  const paging = listPaging(params, FAMILY_LIST_MAX, ctx.model.homeOptions.listLimit);
  const all = ctx.model.familiesOf(user.UserID);
  return {
    FamilyList: page(all, paging).map(({ family, role }) => ({
      FamilyId: family.FamilyId,
      Name: family.Name,
      Role: role,
      CreateTime: family.CreateTime,
      UpdateTime: family.UpdateTime,
    })),
    Total: all.length,
  };
};

/** AppDescribeFamily: the family's details, nested under Data (as the example and the apps read). */
const describeFamily: TokenHandler = (params, ctx, user) => {
  const family = ctx.model.families.get(memberFamily(params, ctx, user))!;
  return {
    Data: {
      FamilyId: family.FamilyId,
      FamilyName: family.Name,
      Address: family.Address,
      CreateTime: family.CreateTime,
      UpdateTime: family.UpdateTime,
    },
  };
};

const getFamilyDeviceList: TokenHandler = (params, ctx, user) => {
  const familyId = memberFamily(params, ctx, user);
  const roomId = optionalString(params, 'RoomId') ?? '';
  const paging = listPaging(params, FAMILY_LIST_MAX, ctx.model.homeOptions.listLimit);
  const all = ctx.model.devicesInFamily(familyId, roomId);
  return {
    DeviceList: page(all, paging).map((d) => ({
      ProductId: d.productId,
      DeviceName: d.deviceName,
      DeviceId: d.deviceId,
      AliasName: d.aliasName,
      UserID: d.userId,
      RoomId: d.roomId,
      IconUrl: d.iconUrl,
      CreateTime: d.createTime,
      UpdateTime: d.updateTime,
    })),
    Total: all.length,
  };
};

/** Named rooms only: the default room "0" is not listed (see README). */
const getRoomList: TokenHandler = (params, ctx, user) => {
  const familyId = memberFamily(params, ctx, user);
  const paging = listPaging(params, FAMILY_LIST_MAX, ctx.model.homeOptions.listLimit);
  const family = ctx.model.families.get(familyId)!;
  const counts = new Map<string, number>();
  for (const d of ctx.model.devicesInFamily(familyId)) {
    counts.set(d.roomId, (counts.get(d.roomId) ?? 0) + 1);
  }
  return {
    RoomList: page(family.rooms, paging).map((r) => ({
      RoomId: r.RoomId,
      RoomName: r.RoomName,
      DeviceNum: counts.get(r.RoomId) ?? 0,
      CreateTime: r.CreateTime,
      UpdateTime: r.UpdateTime,
    })),
    Total: family.rooms.length,
  };
};

/**
 * AppGetDeviceInFamily: one device's place, under Data. A device shared with the user has no
 * family or room of the user's: FamilyId "" and RoomId "0" (the doc example's shape). A
 * FamilyId sent for an owned device must be the device's family.
 */
const getDeviceInFamily: TokenHandler = (params, ctx, user) => {
  const familyId = optionalString(params, 'FamilyId') ?? '';
  const device = visibleDevice(params, ctx, user);
  const shared = ctx.model.isSharedWith(user.UserID, device);
  if (!shared && familyId !== '' && familyId !== device.familyId) {
    if (!ctx.model.isMember(user.UserID, familyId)) throw errors.noPermissionToFamily(familyId);
    throw errors.deviceNotBind(device.deviceId);
  }
  return {
    Data: {
      DeviceId: device.deviceId,
      ProductId: device.productId,
      DeviceName: device.deviceName,
      AliasName: device.aliasName,
      IconUrl: device.iconUrl,
      FamilyId: shared ? '' : device.familyId,
      RoomId: shared ? '0' : device.roomId,
      CreateTime: device.createTime,
      UpdateTime: device.updateTime,
    },
  };
};

function shareItem(ctx: ApiContext, user: ModelUser, device: ModelDevice): Fields {
  const item: Fields = {
    ProductId: device.productId,
    DeviceName: device.deviceName,
    DeviceId: device.deviceId,
    AliasName: device.aliasName,
    IconUrl: device.iconUrl,
    CreateTime: serviceTime(device.sharedWith.get(user.UserID)! * 1000),
  };
  if (ctx.model.homeOptions.shareFromUserId) item.FromUserID = device.userId;
  return item;
}

/**
 * AppListUserShareDevices {Offset, Limit} (both required, Limit ≤ 100): the devices other users
 * share with the caller. CreateTime is RFC 3339 (+08:00), unlike every other time of the API.
 */
const listUserShareDevices: TokenHandler = (params, ctx, user) => {
  const paging = listPaging(params, SHARE_LIST_MAX, ctx.model.homeOptions.listLimit, true);
  const all = ctx.model.sharedWithUser(user.UserID);
  return {
    Total: all.length,
    ShareDevices: page(all, paging).map((d) => shareItem(ctx, user, d)),
  };
};

export const homeActions: Readonly<Record<string, TokenHandler>> = {
  AppGetFamilyList: getFamilyList,
  AppDescribeFamily: describeFamily,
  AppGetFamilyDeviceList: getFamilyDeviceList,
  AppGetRoomList: getRoomList,
  AppGetDeviceInFamily: getDeviceInFamily,
  AppListUserShareDevices: listUserShareDevices,
};
