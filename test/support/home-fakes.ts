// The home model's seam (lib/home/home-reader.ts HomeApi): a small home in memory that answers
// the home's lists, counts every call and fails the calls a test names, so the model's refresh,
// staleness and back-off are tested in milliseconds. Device reads come from FakeReads.

import type {
  CallOptions,
  FamilyDevice,
  FamilyInfo,
  ProductInfo,
  RoomInfo,
  SharedDevice,
} from '../../lib/api/client';
import { IotExplorerError, LocalErrorCode } from '../../lib/errors/errors';
import type { HomeApi } from '../../lib/home/home-reader';
import { DeviceId } from '../../lib/shared/device-id';
import { FakeReads } from './watch-fakes';

export interface FakeDevice {
  deviceId: string;
  alias: string;
  /** Undefined for a device shared with the user. */
  familyId?: string;
  roomId?: string;
  online?: boolean;
}

type HomeAction =
  | 'AppGetFamilyList'
  | 'AppGetRoomList'
  | 'AppGetFamilyDeviceList'
  | 'AppListUserShareDevices'
  | 'AppGetProducts';

/** A home the test edits; every call answers from it as it is then. */
export class FakeHomeApi extends FakeReads implements HomeApi {
  families = new Map<string, { name: string; rooms: Map<string, string> }>();
  devices = new Map<string, FakeDevice>();
  productNames = new Map<string, string>([['LIGHT0A1B2', 'Smart Lamp']]);
  readonly homeCalls: HomeAction[] = [];
  /** Calls of these Actions fail with IOTX_READ_LIMIT (a list cut short) or the error given. */
  readonly failing = new Map<HomeAction, IotExplorerError>();
  /** While set, every home call waits for it before answering. */
  gate: Promise<void> | undefined;

  constructor() {
    super();
    this.families.set('f_home', {
      name: 'Home',
      rooms: new Map([
        ['r_living', 'Living'],
        ['r_bedroom', 'Bedroom'],
      ]),
    });
    this.addDevice({
      deviceId: 'LIGHT0A1B2/lamp',
      alias: 'Lamp',
      familyId: 'f_home',
      roomId: 'r_living',
    });
    this.addDevice({
      deviceId: 'LIGHT0A1B2/bed',
      alias: 'Bed lamp',
      familyId: 'f_home',
      roomId: 'r_bedroom',
    });
    this.addDevice({ deviceId: 'LIGHT0A1B2/shared', alias: 'Owner lamp' });
  }

  addDevice(device: FakeDevice): void {
    this.devices.set(device.deviceId, { online: true, ...device });
    this.online.set(device.deviceId, device.online ?? true);
  }

  /** Calls of one of the home's list Actions (device reads: {@link FakeReads.count}). */
  homeCount(action: HomeAction): number {
    return this.homeCalls.filter((a) => a === action).length;
  }

  /** The lane each home list call came with (undefined: the account's flow control). */
  readonly homeLanes: (CallOptions['lane'] | undefined)[] = [];

  private async step(action: HomeAction, options: CallOptions): Promise<void> {
    this.homeCalls.push(action);
    this.homeLanes.push(options.lane);
    if (this.gate) await this.gate;
    if (options.signal?.aborted) {
      throw new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed' });
    }
    const err = this.failing.get(action);
    if (err) throw err;
  }

  async getFamilies(options: CallOptions): Promise<FamilyInfo[]> {
    await this.step('AppGetFamilyList', options);
    return [...this.families].map(([familyId, f]) => ({ familyId, name: f.name, role: 1 }));
  }

  async getRooms(familyId: string, options: CallOptions): Promise<RoomInfo[]> {
    await this.step('AppGetRoomList', options);
    return [...(this.families.get(familyId)?.rooms ?? [])].map(([roomId, roomName]) => ({
      roomId,
      roomName,
    }));
  }

  async getFamilyDevices(familyId: string, options: CallOptions): Promise<FamilyDevice[]> {
    await this.step('AppGetFamilyDeviceList', options);
    return [...this.devices.values()]
      .filter((d) => d.familyId === familyId)
      .map((d) => ({
        ...DeviceId.parse(d.deviceId)!,
        deviceId: d.deviceId,
        aliasName: d.alias,
        roomId: d.roomId ?? '0',
      }));
  }

  async getSharedDevices(options: CallOptions): Promise<SharedDevice[]> {
    await this.step('AppListUserShareDevices', options);
    return [...this.devices.values()]
      .filter((d) => d.familyId === undefined)
      .map((d) => ({
        ...DeviceId.parse(d.deviceId)!,
        deviceId: d.deviceId,
        aliasName: d.alias,
        sharedBy: 'u-owner',
      }));
  }

  async getProducts(productIds: readonly string[], options: CallOptions): Promise<ProductInfo[]> {
    await this.step('AppGetProducts', options);
    return productIds
      .filter((id) => this.productNames.has(id))
      .map((id) => ({ productId: id, name: this.productNames.get(id)!, dataTemplate: '{}' }));
  }
}

/** A list cut short by its read budget, as lib/api/paging.ts reports it. */
export function readLimit(action: string): IotExplorerError {
  return new IotExplorerError({
    code: LocalErrorCode.ReadLimit,
    key: 'readLimit',
    params: { action, items: 5000, bytes: 16 * 1024 * 1024 },
  });
}
