// Devices another user shares with the demo user, over real HTTP and the push socket: listed by
// AppListUserShareDevices (never in the family lists), read, controlled, called and pushed like
// owned ones; a share that ends answers the assumed no-permission code and stops the pushes.

import assert from 'node:assert/strict';
import {
  startSimulator,
  UNSHARED_DEVICE_CODE,
  type FixtureExtension,
  type Simulator,
} from '../../simulator';
import {
  DEMO_TOKEN,
  OWNER_LAMP,
  OWNER_TOKEN,
  pluck,
  pluckAll,
  readAllPages,
  SHARED_LAMP,
  SHARED_SENSOR,
  tokenApiCode,
  tokenApiOk,
} from './helpers';
import { PushClient, pushFrom } from './push-client';

const SHARED_LAMP_ID = 'LIGHT0A1B2/shared_lamp';
const SHARED_SENSOR_ID = 'THSNS7J8K9/shared_sensor';
const RFC3339_CN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;

const from = pushFrom;

describe('simulator home: devices shared with the user', function () {
  let sim: Simulator;
  let client: PushClient | undefined;

  beforeEach(async function () {
    sim = await startSimulator();
  });

  afterEach(async function () {
    client?.close();
    client = undefined;
    await sim.close();
  });

  describe('AppListUserShareDevices', function () {
    it('lists the owner’s shared lamp and sensor: documented fields, RFC 3339 CreateTime, no family or room', async function () {
      const out = await tokenApiOk(sim, 'AppListUserShareDevices', { Offset: 0, Limit: 10 });
      assert.equal(out.Total, 2);
      assert.deepEqual(out.ShareDevices[0], {
        ProductId: 'LIGHT0A1B2',
        DeviceName: 'shared_lamp',
        DeviceId: SHARED_LAMP_ID,
        AliasName: '房主的落地灯',
        IconUrl: '',
        // 1700003000 s = 2023-11-14T23:03:20Z
        CreateTime: '2023-11-15T07:03:20+08:00',
      });
      assert.equal(out.ShareDevices[1].DeviceId, SHARED_SENSOR_ID);
      assert.match(out.ShareDevices[1].CreateTime, RFC3339_CN);
      for (const item of out.ShareDevices) {
        assert.equal('FamilyId' in item || 'RoomId' in item || 'FromUserID' in item, false);
      }
    });

    it('needs Offset and Limit, takes at most 100 (reject policy), and has nothing for the owner', async function () {
      for (const params of [{ Limit: 10 }, { Offset: 0 }, {}]) {
        const err = await tokenApiCode(sim, 'AppListUserShareDevices', params);
        assert.equal(err.Code, 'ErrorRequiredParamNotFound', JSON.stringify(params));
      }
      await tokenApiOk(sim, 'AppListUserShareDevices', { Offset: 0, Limit: 100 });
      const over = await tokenApiCode(sim, 'AppListUserShareDevices', { Offset: 0, Limit: 101 });
      assert.equal(over.Code, 'InvalidParameterValue');
      assert.match(over.Message, /from 1 to 100/);
      const owner = await tokenApiOk(
        sim,
        'AppListUserShareDevices',
        { Offset: 0, Limit: 10 },
        OWNER_TOKEN,
      );
      assert.deepEqual([owner.Total, owner.ShareDevices], [0, []]);
    });

    it('pages a long list with Offset/Limit, Total counting all', async function () {
      await sim.close();
      sim = await startSimulator({ fixture: manyShared(230) });
      const { items, pages, total } = await readAllPages(
        sim,
        'AppListUserShareDevices',
        'ShareDevices',
        {},
        100,
      );
      assert.equal(total, 232);
      assert.equal(pages, 3);
      assert.equal(new Set(pluck(items, 'DeviceId')).size, 232);
      const last = await tokenApiOk(sim, 'AppListUserShareDevices', { Offset: 230, Limit: 100 });
      assert.deepEqual(pluck(last.ShareDevices, 'DeviceName'), ['many_lamp_228', 'many_lamp_229']);
    });

    it('adds FromUserID (the owner) when shareFromUserId is on', async function () {
      sim.model.homeOptions.shareFromUserId = true;
      const out = await tokenApiOk(sim, 'AppListUserShareDevices', { Offset: 0, Limit: 10 });
      assert.deepEqual(pluck(out.ShareDevices, 'FromUserID'), ['u-owner', 'u-owner']);
    });
  });

  it('never lists a shared device in the user’s family lists or room counts', async function () {
    const list = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
      FamilyId: 'f_demo_home',
      Limit: 50,
    });
    const ids: string[] = pluck(list.DeviceList, 'DeviceId');
    assert.equal(ids.includes(SHARED_LAMP_ID) || ids.includes(SHARED_SENSOR_ID), false);
    const families = await tokenApiOk(sim, 'AppGetFamilyList', {});
    assert.deepEqual(pluck(families.FamilyList, 'FamilyId'), ['f_demo_home']);
    assert.equal(
      (await tokenApiCode(sim, 'AppGetFamilyDeviceList', { FamilyId: 'f_owner_home' })).Code,
      'UnauthorizedOperation.NoPermissionToFamily',
    );
  });

  it('reads, controls and calls a shared device like an owned one', async function () {
    const data = JSON.parse((await tokenApiOk(sim, 'AppGetDeviceData', SHARED_LAMP)).Data);
    assert.equal(data.brightness.Value, 60);
    const statuses = await tokenApiOk(sim, 'AppGetDeviceStatuses', {
      DeviceIds: [SHARED_LAMP_ID, SHARED_SENSOR_ID, 'LIGHT0A1B2/owner_lamp'],
    });
    assert.deepEqual(pluckAll(statuses.DeviceStatuses, 'DeviceId', 'Online'), [
      [SHARED_LAMP_ID, 1],
      [SHARED_SENSOR_ID, 1],
    ]);
    await tokenApiOk(sim, 'AppControlDeviceData', {
      ...SHARED_LAMP,
      Data: JSON.stringify({ power_switch: 1, brightness: 25 }),
    });
    assert.equal(sim.model.device('LIGHT0A1B2', 'shared_lamp')?.properties.brightness.Value, 25);
    const blink = await tokenApiOk(sim, 'AppCallDeviceActionSync', {
      ...SHARED_LAMP,
      ActionId: 'light_blink',
      InputParams: '{"time":1}',
    });
    assert.deepEqual([blink.Status, blink.OutputParams], ['succ', '{"err_code":0}']);
    const products = await tokenApiOk(sim, 'AppGetProducts', { DeviceIds: [SHARED_SENSOR_ID] });
    assert.deepEqual(pluck(products.Products, 'ProductId'), ['THSNS7J8K9']);
    // The owner's lamp that is shared with nobody stays out of reach.
    assert.equal(
      (await tokenApiCode(sim, 'AppGetDeviceData', OWNER_LAMP)).Code,
      'ResourceNotFound.DeviceNotBind',
    );
  });

  it('pushes a shared device’s changes to the user’s socket, exactly like an owned one', async function () {
    client = await PushClient.open(sim.pushUrl);
    const reply = await client.subscribe(
      [SHARED_LAMP_ID, SHARED_SENSOR_ID, 'LIGHT0A1B2/owner_lamp', 'LIGHT0A1B2/living_lamp'],
      DEMO_TOKEN,
    );
    assert.deepEqual(reply.data.deviceIds, [
      SHARED_LAMP_ID,
      SHARED_SENSOR_ID,
      'LIGHT0A1B2/living_lamp',
    ]);
    sim.reportProperties('THSNS7J8K9', 'shared_sensor', { temperature: 26.5 });
    const report = await client.waitPush(from(SHARED_SENSOR_ID, 'Property', 'Report'));
    assert.deepEqual(report.payload.params, { temperature: 26.5 });
    // A control the owner makes reaches the receiver's socket too.
    await tokenApiOk(
      sim,
      'AppControlDeviceData',
      { ...SHARED_LAMP, Data: '{"color":0}' },
      OWNER_TOKEN,
    );
    const control = await client.waitPush(from(SHARED_LAMP_ID, 'Property', 'Push'));
    assert.deepEqual(control.payload.params, { color: 0 });
    await tokenApiOk(sim, 'AppCallDeviceActionAsync', {
      ...SHARED_LAMP,
      ActionId: 'light_blink',
      InputParams: '{}',
    });
    const answer = await client.waitPush(from(SHARED_LAMP_ID, 'Action', 'Report'));
    assert.equal(answer.payload.method, 'action_reply');
    sim.setDeviceOnline('LIGHT0A1B2', 'shared_lamp', false);
    await client.waitPush(from(SHARED_LAMP_ID, 'StatusChange', 'Offline'));
    // Calls over the socket (YunApi) work on it too.
    const yun = await client.yunApi('AppGetDeviceData', SHARED_SENSOR, DEMO_TOKEN);
    assert.equal(JSON.parse(yun.data.Response.Data).temperature.Value, 26.5);
  });

  it('once unshared: calls fail with the assumed code, pushes stop, ActivePush leaves it out', async function () {
    client = await PushClient.open(sim.pushUrl);
    await client.subscribe([SHARED_LAMP_ID, SHARED_SENSOR_ID], DEMO_TOKEN);
    assert.equal(sim.model.home.unshareDevice(SHARED_LAMP_ID, 'u-demo'), true);
    assert.equal(UNSHARED_DEVICE_CODE, 'InvalidParameterValue.NoPermission');
    for (const [action, extra] of [
      ['AppGetDeviceData', {}],
      ['AppControlDeviceData', { Data: '{"power_switch":1}' }],
      ['AppCallDeviceActionSync', { ActionId: 'light_blink' }],
      ['AppCallDeviceActionAsync', { ActionId: 'light_blink' }],
      ['AppGetDeviceInFamily', {}],
    ] as const) {
      const err = await tokenApiCode(sim, action, { ...SHARED_LAMP, ...extra });
      assert.equal(err.Code, UNSHARED_DEVICE_CODE, action);
      assert.match(err.Message, /no longer shared/, action);
    }
    const statuses = await tokenApiOk(sim, 'AppGetDeviceStatuses', {
      DeviceIds: [SHARED_LAMP_ID],
    });
    assert.deepEqual(statuses.DeviceStatuses, []);
    const list = await tokenApiOk(sim, 'AppListUserShareDevices', { Offset: 0, Limit: 10 });
    assert.deepEqual(pluck(list.ShareDevices, 'DeviceId'), [SHARED_SENSOR_ID]);
    // The owner's changes no longer reach the former receiver; the sensor's still do.
    sim.reportProperties('LIGHT0A1B2', 'shared_lamp', { brightness: 5 });
    sim.reportProperties('THSNS7J8K9', 'shared_sensor', { humidity: 30 });
    await client.waitPush(from(SHARED_SENSOR_ID, 'Property', 'Report'));
    assert.equal(
      client.pushes().some((p) => p.params.DeviceId === SHARED_LAMP_ID),
      false,
    );
    const again = await client.subscribe([SHARED_LAMP_ID, SHARED_SENSOR_ID], DEMO_TOKEN);
    assert.deepEqual(again.data.deviceIds, [SHARED_SENSOR_ID]);
    // The owner still uses it; a user it was never shared with still gets DeviceNotBind.
    await tokenApiOk(sim, 'AppGetDeviceData', SHARED_LAMP, OWNER_TOKEN);
    assert.equal(
      (await tokenApiCode(sim, 'AppGetDeviceData', SHARED_LAMP, 'neighbor-access-token')).Code,
      'ResourceNotFound.DeviceNotBind',
    );
  });

  it('shared again: the calls work again, and a new ActivePush subscribes it', async function () {
    client = await PushClient.open(sim.pushUrl);
    await client.subscribe([SHARED_LAMP_ID], DEMO_TOKEN);
    sim.model.home.unshareDevice(SHARED_LAMP_ID, 'u-demo');
    assert.deepEqual(sim.push.connections()[0].deviceIds, []);
    assert.equal(sim.model.home.shareDevice(SHARED_LAMP_ID, 'u-demo'), true);
    await tokenApiOk(sim, 'AppGetDeviceData', SHARED_LAMP);
    const reply = await client.subscribe([SHARED_LAMP_ID], DEMO_TOKEN);
    assert.deepEqual(reply.data.deviceIds, [SHARED_LAMP_ID]);
    sim.reportProperties('LIGHT0A1B2', 'shared_lamp', { brightness: 7 });
    const report = await client.waitPush(from(SHARED_LAMP_ID, 'Property', 'Report'));
    assert.deepEqual(report.payload.params, { brightness: 7 });
  });
});

/** The default fixture plus `extra` more lamps of the owner's, all shared with the demo user. */
function manyShared(extra: number): FixtureExtension {
  return {
    extends: 'default',
    devices: Array.from({ length: extra }, (_, i) => ({
      ProductId: 'LIGHT0A1B2',
      DeviceName: `many_lamp_${i}`,
      FamilyId: 'f_owner_home',
      sharedWith: [{ UserID: 'u-demo' }],
    })),
  };
}
