// The home as the API shows it, over real HTTP: families, rooms, the devices of a family and of
// a room, one family's and one device's details, the paging and Limit policies of the lists.

import assert from 'node:assert/strict';
import { startSimulator, type FixtureExtension, type Simulator } from '../../simulator';
import {
  type Json,
  NEIGHBOR_TOKEN,
  pluck,
  pluckAll,
  readAllPages,
  SHARED_LAMP,
  tokenApi,
  tokenApiCode,
  tokenApiOk,
} from './helpers';

const names = (list: Json[], key = 'DeviceName'): string[] => pluck(list, key);

describe('simulator home: families, rooms and devices', function () {
  let sim: Simulator;

  afterEach(async function () {
    await sim?.close();
  });

  describe('the "home" fixture (several families, rooms and lamps)', function () {
    beforeEach(async function () {
      sim = await startSimulator({ fixture: 'home' });
    });

    it('lists the demo user’s three families with their role, and pages them', async function () {
      const all = await tokenApiOk(sim, 'AppGetFamilyList', { Offset: 0, Limit: 50 });
      assert.equal(all.Total, 3);
      assert.deepEqual(pluckAll(all.FamilyList, 'FamilyId', 'Name', 'Role'), [
        ['f_demo_home', '我的家', 1],
        ['f_demo_cottage', '乡间小屋', 1],
        ['f_parents_home', '父母家', 0],
      ]);
      const second = await tokenApiOk(sim, 'AppGetFamilyList', { Offset: 1, Limit: 1 });
      assert.deepEqual(
        [second.Total, names(second.FamilyList, 'FamilyId')],
        [3, ['f_demo_cottage']],
      );
      const neighbour = await tokenApiOk(sim, 'AppGetFamilyList', {}, NEIGHBOR_TOKEN);
      assert.deepEqual(names(neighbour.FamilyList, 'FamilyId'), [
        'f_neighbor_home',
        'f_parents_home',
      ]);
      assert.deepEqual(pluck(neighbour.FamilyList, 'Role'), [1, 1]);
    });

    it('AppGetRoomList answers RoomList with each room’s device count; the default room is not listed', async function () {
      const home = await tokenApiOk(sim, 'AppGetRoomList', { FamilyId: 'f_demo_home' });
      assert.equal(home.Total, 4);
      assert.equal('FamilyList' in home || 'Roomlist' in home, false);
      assert.deepEqual(pluckAll(home.RoomList, 'RoomId', 'RoomName', 'DeviceNum'), [
        ['r_living', '客厅', 2],
        ['r_bedroom', '卧室', 2],
        ['r_hall', '门厅', 3],
        ['r_study', '书房', 1],
      ]);
      const cottage = await tokenApiOk(sim, 'AppGetRoomList', {
        FamilyId: 'f_demo_cottage',
        Offset: 2,
        Limit: 5,
      });
      assert.deepEqual(
        [cottage.Total, names(cottage.RoomList, 'RoomId')],
        [3, ['r_cottage_garage']],
      );
    });

    it('AppGetFamilyDeviceList: "" = every room, "0" = the default room, else one room', async function () {
      const every = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_demo_home',
        RoomId: '',
        Offset: 0,
        Limit: 50,
      });
      assert.equal(every.Total, 10);
      const bedroom = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_demo_home',
        RoomId: 'r_bedroom',
      });
      assert.deepEqual(names(bedroom.DeviceList), ['bedroom_lamp', 'bedroom_ceiling']);
      assert.deepEqual(pluckAll(bedroom.DeviceList, 'ProductId', 'RoomId', 'UserID'), [
        ['LIGHT0A1B2', 'r_bedroom', 'u-demo'],
        ['LIGHT0A1B2', 'r_bedroom', 'u-demo'],
      ]);
      const defaultRoom = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_demo_home',
        RoomId: '0',
      });
      assert.deepEqual(names(defaultRoom.DeviceList), ['study_aircon', 'attic_aircon']);
      assert.ok(defaultRoom.DeviceList.every((d: Json) => d.RoomId === '0'));
      const cottage = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_demo_cottage',
      });
      assert.deepEqual(names(cottage.DeviceList), [
        'cottage_living_lamp',
        'cottage_bedroom_lamp',
        'cottage_sensor',
        'garage_door',
      ]);
      // A member (Role 0) sees the family's devices too; who bound them is the admin.
      const parents = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_parents_home',
      });
      assert.deepEqual(pluckAll(parents.DeviceList, 'DeviceId', 'UserID'), [
        ['LIGHT0A1B2/parents_lamp', 'u-neighbor'],
      ]);
    });

    it('"all the lamps": the same product in several rooms and families', async function () {
      const lamps: string[] = [];
      for (const familyId of ['f_demo_home', 'f_demo_cottage', 'f_parents_home']) {
        const { items } = await readAllPages(
          sim,
          'AppGetFamilyDeviceList',
          'DeviceList',
          { FamilyId: familyId },
          3,
        );
        for (const d of items)
          if (d.ProductId === 'LIGHT0A1B2') lamps.push(`${d.RoomId} ${d.DeviceName}`);
      }
      assert.deepEqual(lamps, [
        'r_living living_lamp',
        'r_bedroom bedroom_lamp',
        'r_bedroom bedroom_ceiling',
        'r_hall hall_lamp',
        'r_study study_lamp',
        'r_cottage_living cottage_living_lamp',
        'r_cottage_bedroom cottage_bedroom_lamp',
        'r_parents_living parents_lamp',
      ]);
    });

    it('AppDescribeFamily answers the family under Data (FamilyName, Address)', async function () {
      const out = await tokenApiOk(sim, 'AppDescribeFamily', { FamilyId: 'f_demo_cottage' });
      assert.deepEqual(out.Data, {
        FamilyId: 'f_demo_cottage',
        FamilyName: '乡间小屋',
        Address: '浙江省安吉县 Cottage Lane 8',
        CreateTime: 1700000400,
        UpdateTime: 1700000400,
      });
      assert.equal(out.FamilyName, undefined, 'nested, not at the top level');
      assert.equal(
        (await tokenApiCode(sim, 'AppDescribeFamily', { FamilyId: 'f_owner_home' })).Code,
        'UnauthorizedOperation.NoPermissionToFamily',
      );
      assert.equal(
        (await tokenApiCode(sim, 'AppDescribeFamily', {})).Code,
        'ErrorRequiredParamNotFound',
      );
    });

    it('AppGetDeviceInFamily answers one device’s place under Data', async function () {
      const out = await tokenApiOk(sim, 'AppGetDeviceInFamily', {
        ProductId: 'LOCK0C3D4E',
        DeviceName: 'garage_door',
        FamilyId: 'f_demo_cottage',
      });
      assert.deepEqual(out.Data, {
        DeviceId: 'LOCK0C3D4E/garage_door',
        ProductId: 'LOCK0C3D4E',
        DeviceName: 'garage_door',
        AliasName: '车库门锁',
        IconUrl: '',
        FamilyId: 'f_demo_cottage',
        RoomId: 'r_cottage_garage',
        CreateTime: 1700003100,
        UpdateTime: 1700003100,
      });
      // FamilyId may be left out; it must be the device's own when given.
      const byId = await tokenApiOk(sim, 'AppGetDeviceInFamily', {
        DeviceId: 'AIRC0F5G6H/study_aircon',
      });
      assert.deepEqual([byId.Data.FamilyId, byId.Data.RoomId], ['f_demo_home', '0']);
      const wrongFamily = await tokenApiCode(sim, 'AppGetDeviceInFamily', {
        ProductId: 'LOCK0C3D4E',
        DeviceName: 'garage_door',
        FamilyId: 'f_demo_home',
      });
      assert.equal(wrongFamily.Code, 'ResourceNotFound.DeviceNotBind');
      const notMine = await tokenApiCode(sim, 'AppGetDeviceInFamily', {
        ProductId: 'LIGHT0A1B2',
        DeviceName: 'neighbor_lamp',
      });
      assert.equal(notMine.Code, 'ResourceNotFound.DeviceNotBind');
    });
  });

  describe('a shared device’s details and the Limit policies (default fixture)', function () {
    beforeEach(async function () {
      sim = await startSimulator();
    });

    it('AppGetDeviceInFamily gives a shared device no family of the user’s: FamilyId "" and RoomId "0"', async function () {
      const out = await tokenApiOk(sim, 'AppGetDeviceInFamily', {
        ...SHARED_LAMP,
        FamilyId: 'f_demo_home',
      });
      assert.deepEqual(
        [out.Data.DeviceId, out.Data.AliasName, out.Data.FamilyId, out.Data.RoomId],
        ['LIGHT0A1B2/shared_lamp', '房主的落地灯', '', '0'],
      );
    });

    it('reject (default): a Limit above 50 is InvalidParameterValue naming Limit', async function () {
      for (const [action, params] of [
        ['AppGetFamilyList', {}],
        ['AppGetRoomList', { FamilyId: 'f_demo_home' }],
        ['AppGetFamilyDeviceList', { FamilyId: 'f_demo_home' }],
      ] as const) {
        const err = await tokenApiCode(sim, action, { ...params, Offset: 0, Limit: 999 });
        assert.equal(err.Code, 'InvalidParameterValue', action);
        assert.match(err.Message, /Limit must be an integer from 1 to 50/, action);
      }
    });

    it('clamp: a Limit above 50 gives a page of at most 50; all: the whole list in one page', async function () {
      await sim.close();
      sim = await startSimulator({ fixture: crowded(70), home: { listLimit: 'clamp' } });
      const clamped = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_demo_home',
        Offset: 0,
        Limit: 999,
      });
      assert.deepEqual([clamped.DeviceList.length, clamped.Total], [50, 77]);
      // The same simulator, switched at run time.
      sim.model.homeOptions.listLimit = 'all';
      const everything = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_demo_home',
        Limit: 1000000,
      });
      assert.deepEqual([everything.DeviceList.length, everything.Total], [77, 77]);
      // Limit 0 and a Limit sent as text stay errors whatever the policy.
      for (const Limit of [0, '50']) {
        assert.equal(
          (await tokenApiCode(sim, 'AppGetFamilyDeviceList', { FamilyId: 'f_demo_home', Limit }))
            .Code,
          'InvalidParameterValue',
        );
      }
    });

    it('refuses an unknown home option when starting', async function () {
      await assert.rejects(
        startSimulator({ home: { listLimit: 'sometimes' as 'all' } }),
        /listLimit must be one of reject, clamp, all/,
      );
    });
  });

  it('answers a wrapper envelope with the same nesting', async function () {
    sim = await startSimulator({ envelope: 'wrapper' });
    const inner = await tokenApi(sim, 'AppDescribeFamily', { FamilyId: 'f_demo_home' });
    assert.equal(inner.Data.FamilyName, '我的家');
    assert.equal(typeof inner.RequestId, 'string');
  });
});

/** The default fixture with `extra` more lamps in the demo user's living room. */
function crowded(extra: number): FixtureExtension {
  return {
    extends: 'default',
    devices: Array.from({ length: extra }, (_, i) => ({
      ProductId: 'LIGHT0A1B2',
      DeviceName: `crowd_lamp_${i}`,
      FamilyId: 'f_demo_home',
      RoomId: 'r_living',
    })),
  };
}
