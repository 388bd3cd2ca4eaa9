// Run-time changes to the home (sim.model.home, /_sim/home and the command line), each seen by
// the next API call over real HTTP, with the push socket following: a device added, removed,
// renamed, moved, shared and unshared; rooms and families added and removed.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import {
  HomeEditError,
  startSimulator,
  UNSHARED_DEVICE_CODE,
  type HomeChange,
  type Simulator,
} from '../../simulator';
import { pokeRequest } from '../../simulator/poke';
import {
  DEMO_TOKEN,
  type Json,
  pluck,
  pluckAll,
  simControl,
  tokenApiCode,
  tokenApiOk,
} from './helpers';
import { PushClient } from './push-client';

const CLI = path.join(__dirname, '..', '..', 'simulator', 'cli.js');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 15000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function deviceIds(sim: Simulator, familyId: string, roomId = ''): Promise<string[]> {
  const out = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
    FamilyId: familyId,
    RoomId: roomId,
    Limit: 50,
  });
  return pluck(out.DeviceList, 'DeviceId');
}

async function roomsOf(sim: Simulator, familyId: string): Promise<unknown[][]> {
  const out = await tokenApiOk(sim, 'AppGetRoomList', { FamilyId: familyId, Limit: 50 });
  return pluckAll(out.RoomList, 'RoomId', 'RoomName', 'DeviceNum');
}

async function familyIds(sim: Simulator): Promise<string[]> {
  const out = await tokenApiOk(sim, 'AppGetFamilyList', {});
  return pluck(out.FamilyList, 'FamilyId');
}

describe('simulator home: run-time changes', function () {
  let sim: Simulator;
  let client: PushClient | undefined;
  let changes: HomeChange[];

  beforeEach(async function () {
    sim = await startSimulator();
    changes = [];
    sim.model.homeChanges.on((c) => changes.push(c));
  });

  afterEach(async function () {
    client?.close();
    client = undefined;
    await sim.close();
  });

  describe('through the model (sim.model.home)', function () {
    it('adds a new device to a room: listed, counted, readable, online, and pushed once subscribed', async function () {
      const device = sim.model.home.addDevice({
        ProductId: 'LIGHT0A1B2',
        DeviceName: 'kitchen_lamp',
        FamilyId: 'f_demo_home',
        RoomId: 'r_living',
        AliasName: '厨房灯',
        properties: { brightness: 35 },
      });
      assert.equal(device.deviceId, 'LIGHT0A1B2/kitchen_lamp');
      assert.deepEqual(await deviceIds(sim, 'f_demo_home', 'r_living'), [
        'LIGHT0A1B2/living_lamp',
        'THSNS7J8K9/living_sensor',
        'LIGHT0A1B2/kitchen_lamp',
      ]);
      assert.deepEqual((await roomsOf(sim, 'f_demo_home'))[0], ['r_living', '客厅', 3]);
      const data = JSON.parse(
        (await tokenApiOk(sim, 'AppGetDeviceData', { DeviceId: device.deviceId })).Data,
      );
      assert.deepEqual([data.brightness.Value, data.power_switch.Value], [35, 0]);
      const statuses = await tokenApiOk(sim, 'AppGetDeviceStatuses', {
        DeviceIds: [device.deviceId],
      });
      assert.equal(statuses.DeviceStatuses[0].Online, 1);
      client = await PushClient.open(sim.pushUrl);
      const reply = await client.subscribe([device.deviceId], DEMO_TOKEN);
      assert.deepEqual(reply.data.deviceIds, [device.deviceId]);
      await tokenApiOk(sim, 'AppControlDeviceData', {
        DeviceId: device.deviceId,
        ProductId: 'LIGHT0A1B2',
        DeviceName: 'kitchen_lamp',
        Data: '{"power_switch":1}',
      });
      const report = await client.waitPush(
        (p) => p.params.DeviceId === device.deviceId && p.params.Type === 'Property',
      );
      assert.ok(report);
      assert.deepEqual(
        changes.map((c) => c.kind),
        ['deviceAdded'],
      );
    });

    it('binds an unbound device as it is, and refuses one that is bound (409)', async function () {
      const spare = sim.model.home.addDevice({
        ProductId: 'LIGHT0A1B2',
        DeviceName: 'spare_lamp',
        FamilyId: 'f_demo_home',
        online: false,
      });
      assert.equal(spare.roomId, '0');
      assert.equal(spare.aliasName, 'spare_lamp');
      assert.ok((await deviceIds(sim, 'f_demo_home', '0')).includes('LIGHT0A1B2/spare_lamp'));
      const statuses = await tokenApiOk(sim, 'AppGetDeviceStatuses', {
        DeviceIds: ['LIGHT0A1B2/spare_lamp'],
      });
      assert.equal(statuses.DeviceStatuses[0].Online, 0);
      assert.throws(
        () =>
          sim.model.home.addDevice({
            ProductId: 'LIGHT0A1B2',
            DeviceName: 'neighbor_lamp',
            FamilyId: 'f_demo_home',
          }),
        (err: unknown) => err instanceof HomeEditError && err.status === 409,
      );
    });

    it('removes a device: gone from the list, DeviceNotBind, its pushes stop, its shares end', async function () {
      client = await PushClient.open(sim.pushUrl);
      await client.subscribe(['LIGHT0A1B2/living_lamp', 'THSNS7J8K9/living_sensor'], DEMO_TOKEN);
      sim.model.home.removeDevice('LIGHT0A1B2/living_lamp');
      assert.equal((await deviceIds(sim, 'f_demo_home')).includes('LIGHT0A1B2/living_lamp'), false);
      assert.equal(
        (await tokenApiCode(sim, 'AppGetDeviceData', { DeviceId: 'LIGHT0A1B2/living_lamp' })).Code,
        'ResourceNotFound.DeviceNotBind',
      );
      sim.reportProperties('LIGHT0A1B2', 'living_lamp', { brightness: 3 });
      sim.reportProperties('THSNS7J8K9', 'living_sensor', { humidity: 33 });
      await client.waitPush((p) => p.params.DeviceId === 'THSNS7J8K9/living_sensor');
      assert.equal(
        client.pushes().some((p) => p.params.DeviceId === 'LIGHT0A1B2/living_lamp'),
        false,
      );
      // The owner removes a device that was shared: the receiver's share ends with it.
      sim.model.home.removeDevice('LIGHT0A1B2/shared_lamp');
      assert.equal(
        (await tokenApiCode(sim, 'AppGetDeviceData', { DeviceId: 'LIGHT0A1B2/shared_lamp' })).Code,
        UNSHARED_DEVICE_CODE,
      );
      // Bound again by its owner, it is not shared again by itself.
      sim.model.home.addDevice({
        ProductId: 'LIGHT0A1B2',
        DeviceName: 'shared_lamp',
        FamilyId: 'f_owner_home',
      });
      assert.equal(
        (await tokenApiCode(sim, 'AppGetDeviceData', { DeviceId: 'LIGHT0A1B2/shared_lamp' })).Code,
        UNSHARED_DEVICE_CODE,
      );
      const stillShared = await tokenApiOk(sim, 'AppListUserShareDevices', { Offset: 0, Limit: 9 });
      assert.deepEqual(pluck(stillShared.ShareDevices, 'DeviceId'), ['THSNS7J8K9/shared_sensor']);
      const removed = changes.filter((c) => c.kind === 'deviceRemoved');
      assert.deepEqual(
        removed.map((c) => (c.kind === 'deviceRemoved' ? [c.familyId, c.unsharedFrom] : [])),
        [
          ['f_demo_home', []],
          ['f_owner_home', ['u-demo']],
        ],
      );
    });

    it('renames and moves a device (the default room too); a bad room changes nothing', async function () {
      sim.model.home.renameDevice('LOCK0C3D4E/front_door', '大门');
      sim.model.home.moveDevice('LOCK0C3D4E/front_door', 'r_living');
      const info = await tokenApiOk(sim, 'AppGetDeviceInFamily', {
        DeviceId: 'LOCK0C3D4E/front_door',
      });
      assert.deepEqual([info.Data.AliasName, info.Data.RoomId], ['大门', 'r_living']);
      assert.ok(info.Data.UpdateTime > 1700001200);
      sim.model.home.moveDevice('LOCK0C3D4E/front_door', '0');
      assert.ok((await deviceIds(sim, 'f_demo_home', '0')).includes('LOCK0C3D4E/front_door'));
      assert.throws(
        () => sim.model.home.moveDevice('LOCK0C3D4E/front_door', 'r_cellar'),
        (err: unknown) => err instanceof HomeEditError && err.status === 404,
      );
      assert.equal(sim.model.device('LOCK0C3D4E', 'front_door')?.roomId, '0');
      assert.deepEqual(
        changes.map((c) => c.kind),
        ['deviceRenamed', 'deviceMoved', 'deviceMoved'],
      );
    });

    it('shares an owned device with another user, and refuses to share with a member (409)', async function () {
      assert.equal(sim.model.home.shareDevice('LIGHT0A1B2/living_lamp', 'u-neighbor'), true);
      assert.equal(sim.model.home.shareDevice('LIGHT0A1B2/living_lamp', 'u-neighbor'), false);
      const list = await tokenApiOk(
        sim,
        'AppListUserShareDevices',
        { Offset: 0, Limit: 10 },
        'neighbor-access-token',
      );
      assert.deepEqual(pluck(list.ShareDevices, 'DeviceId'), ['LIGHT0A1B2/living_lamp']);
      assert.throws(
        () => sim.model.home.shareDevice('LIGHT0A1B2/living_lamp', 'u-demo'),
        (err: unknown) => err instanceof HomeEditError && err.status === 409,
      );
      assert.throws(
        () => sim.model.home.shareDevice('LIGHT0A1B2/spare_lamp', 'u-neighbor'),
        /bound to no family/,
      );
    });

    it('adds and removes rooms: a removed room’s devices go to the default room', async function () {
      const room = sim.model.home.addRoom('f_demo_home', '厨房', 'r_kitchen');
      assert.equal(room.RoomId, 'r_kitchen');
      assert.deepEqual((await roomsOf(sim, 'f_demo_home')).at(-1), ['r_kitchen', '厨房', 0]);
      const generated = sim.model.home.addRoom('f_demo_home', '阳台');
      assert.match(generated.RoomId, /^r_[0-9a-f]{12}$/);
      const moved = sim.model.home.removeRoom('f_demo_home', 'r_hall');
      assert.deepEqual(
        moved.map((d) => d.deviceId),
        ['LOCK0C3D4E/front_door', 'DOORBL1M2N/front_bell'],
      );
      assert.deepEqual(
        (await roomsOf(sim, 'f_demo_home')).map((r) => r[0]),
        ['r_living', 'r_bedroom', 'r_kitchen', generated.RoomId],
      );
      assert.deepEqual(await deviceIds(sim, 'f_demo_home', '0'), [
        'LOCK0C3D4E/front_door',
        'AIRC0F5G6H/study_aircon',
        'AIRC0F5G6H/attic_aircon',
        'DOORBL1M2N/front_bell',
      ]);
      assert.throws(() => sim.model.home.addRoom('f_demo_home', 'x', 'r_living'), /already has/);
      assert.throws(() => sim.model.home.addRoom('f_demo_home', 'x', '0'), /other than "0"/);
    });

    it('adds a family (listed, described) and removes one: its devices are unbound, its scenes go', async function () {
      sim.model.home.addFamily({ FamilyId: 'f_office', Name: '办公室', Address: 'Floor 3' });
      assert.deepEqual(await familyIds(sim), ['f_demo_home', 'f_office']);
      const described = await tokenApiOk(sim, 'AppDescribeFamily', { FamilyId: 'f_office' });
      assert.deepEqual([described.Data.FamilyName, described.Data.Address], ['办公室', 'Floor 3']);
      sim.model.home.addRoom('f_office', '会议室', 'r_meeting');
      sim.model.home.addDevice({
        ProductId: 'THSNS7J8K9',
        DeviceName: 'office_sensor',
        FamilyId: 'f_office',
        RoomId: 'r_meeting',
      });
      const unbound = sim.model.home.removeFamily('f_demo_home');
      assert.equal(unbound.length, 7);
      assert.deepEqual(await familyIds(sim), ['f_office']);
      assert.equal(
        (await tokenApiCode(sim, 'AppGetFamilyDeviceList', { FamilyId: 'f_demo_home' })).Code,
        'UnauthorizedOperation.NoPermissionToFamily',
      );
      assert.equal(
        (await tokenApiCode(sim, 'AppGetDeviceData', { DeviceId: 'LIGHT0A1B2/living_lamp' })).Code,
        'ResourceNotFound.DeviceNotBind',
      );
      assert.equal(
        [...sim.model.scenes.scenes.values()].some((s) => s.FamilyId === 'f_demo_home'),
        false,
      );
      // The shared devices are another family's: still there.
      const shared = await tokenApiOk(sim, 'AppListUserShareDevices', { Offset: 0, Limit: 10 });
      assert.equal(shared.Total, 2);
    });
  });

  describe('over HTTP (/_sim/home)', function () {
    it('shows the home, and makes each change with its answer', async function () {
      const home = await simControl(sim, 'GET', '/_sim/home');
      assert.equal(home.status, 200);
      const demo = home.json.families.find((f: Json) => f.FamilyId === 'f_demo_home');
      assert.equal(demo.devices.length, 7);
      const lamp = home.json.devices.find((d: Json) => d.DeviceId === 'LIGHT0A1B2/shared_lamp');
      assert.deepEqual([lamp.owner, lamp.sharedWith], ['u-owner', ['u-demo']]);

      const family = await simControl(sim, 'POST', '/_sim/home/families', {
        Name: '小屋',
        FamilyId: 'f_hut',
      });
      assert.deepEqual(
        [family.status, family.json.FamilyId, family.json.members],
        [200, 'f_hut', [{ UserID: 'u-demo', Role: 1 }]],
      );
      const room = await simControl(sim, 'POST', '/_sim/home/families/f_hut/rooms', {
        RoomName: '客厅',
        RoomId: 'r_hut',
      });
      assert.equal(room.json.RoomId, 'r_hut');
      const added = await simControl(sim, 'POST', '/_sim/home/devices', {
        DeviceId: 'LIGHT0A1B2/hut_lamp',
        FamilyId: 'f_hut',
        RoomId: 'r_hut',
        AliasName: '小屋灯',
      });
      assert.deepEqual(
        [added.status, added.json.FamilyId, added.json.RoomId, added.json.online],
        [200, 'f_hut', 'r_hut', true],
      );
      assert.deepEqual(await deviceIds(sim, 'f_hut'), ['LIGHT0A1B2/hut_lamp']);
      const renamed = await simControl(sim, 'POST', '/_sim/home/devices/LIGHT0A1B2/hut_lamp', {
        AliasName: '小屋台灯',
        RoomId: '0',
      });
      assert.deepEqual([renamed.json.AliasName, renamed.json.RoomId], ['小屋台灯', '0']);
      const shared = await simControl(sim, 'POST', '/_sim/home/devices/LIGHT0A1B2/hut_lamp/share', {
        UserID: 'u-neighbor',
      });
      assert.deepEqual(
        [shared.json.changed, shared.json.device.sharedWith],
        [true, ['u-neighbor']],
      );
      const unshared = await simControl(
        sim,
        'POST',
        '/_sim/home/devices/LIGHT0A1B2/hut_lamp/unshare',
        { UserID: 'u-neighbor' },
      );
      assert.deepEqual([unshared.json.changed, unshared.json.device.sharedWith], [true, []]);
      const roomGone = await simControl(sim, 'DELETE', '/_sim/home/families/f_hut/rooms/r_hut');
      assert.deepEqual(roomGone.json, { ok: true, moved: [] });
      const removed = await simControl(sim, 'DELETE', '/_sim/home/devices/LIGHT0A1B2/hut_lamp');
      assert.deepEqual([removed.json.FamilyId, removed.json.RoomId], [null, null]);
      const gone = await simControl(sim, 'DELETE', '/_sim/home/families/f_hut');
      assert.deepEqual(gone.json, { ok: true, unbound: [] });
      assert.deepEqual(await familyIds(sim), ['f_demo_home']);
      // /_sim requests are not API calls.
      assert.equal(sim.httpCallsByAction.AppGetFamilyList, 1);
    });

    it('answers 400 for a bad body, 404 for what does not exist, 409 for a change that does not fit', async function () {
      const cases: [string, string, unknown, number, RegExp][] = [
        ['POST', '/_sim/home/devices', { DeviceId: 'LIGHT0A1B2/x' }, 400, /FamilyId/],
        [
          'POST',
          '/_sim/home/devices',
          { DeviceId: 'nope', FamilyId: 'f_demo_home' },
          400,
          /DeviceId/,
        ],
        [
          'POST',
          '/_sim/home/devices',
          { DeviceId: 'LIGHT0A1B2/x', FamilyId: 'f_demo_home', colour: 1 },
          400,
          /unknown field colour/,
        ],
        [
          'POST',
          '/_sim/home/devices',
          { DeviceId: 'LIGHT0A1B2/x', FamilyId: 'f_demo_home', properties: { brightness: 500 } },
          400,
          /brightness/,
        ],
        [
          'POST',
          '/_sim/home/devices',
          { DeviceId: 'NOPE000000/x', FamilyId: 'f_demo_home' },
          404,
          /no product/,
        ],
        [
          'POST',
          '/_sim/home/devices',
          { DeviceId: 'LIGHT0A1B2/x', FamilyId: 'f_nowhere' },
          404,
          /no family/,
        ],
        [
          'POST',
          '/_sim/home/devices',
          { DeviceId: 'LIGHT0A1B2/living_lamp', FamilyId: 'f_demo_home' },
          409,
          /already bound/,
        ],
        ['POST', '/_sim/home/devices/LIGHT0A1B2/living_lamp', {}, 400, /AliasName/],
        [
          'POST',
          '/_sim/home/devices/LIGHT0A1B2/living_lamp',
          { AliasName: 'x'.repeat(65) },
          400,
          /at most 64/,
        ],
        ['DELETE', '/_sim/home/devices/LIGHT0A1B2/ghost', undefined, 404, /no device/],
        [
          'DELETE',
          '/_sim/home/devices/LIGHT0A1B2/spare_lamp',
          undefined,
          409,
          /bound to no family/,
        ],
        [
          'POST',
          '/_sim/home/devices/LIGHT0A1B2/living_lamp/share',
          { UserID: 'u-demo' },
          409,
          /member/,
        ],
        [
          'POST',
          '/_sim/home/devices/LIGHT0A1B2/living_lamp/share',
          { UserID: 'u-ghost' },
          404,
          /no user/,
        ],
        ['POST', '/_sim/home/families', { FamilyId: 'f_demo_home', Name: 'x' }, 409, /exists/],
        ['POST', '/_sim/home/families', { Name: '' }, 400, /Name/],
        ['DELETE', '/_sim/home/families/f_nowhere', undefined, 404, /no family/],
        ['DELETE', '/_sim/home/families/f_demo_home/rooms/r_nowhere', undefined, 404, /no room/],
        ['POST', '/_sim/home/options', { listLimit: 'x' }, 400, /listLimit/],
        ['POST', '/_sim/home/options', { colour: 1 }, 400, /unknown home option/],
      ];
      for (const [method, pathname, body, status, message] of cases) {
        const answer = await simControl(sim, method, pathname, body);
        assert.equal(answer.status, status, `${method} ${pathname} ${JSON.stringify(body)}`);
        assert.match(answer.json.error, message, `${method} ${pathname}`);
      }
      // A refused rename-and-move changed nothing.
      const refused = await simControl(sim, 'POST', '/_sim/home/devices/LIGHT0A1B2/living_lamp', {
        AliasName: 'y'.repeat(65),
        RoomId: 'r_bedroom',
      });
      assert.equal(refused.status, 400);
      assert.equal(sim.model.device('LIGHT0A1B2', 'living_lamp')?.roomId, 'r_living');
      assert.deepEqual(changes, []);
    });
  });

  describe('from the command line', function () {
    it('turns each command into its /_sim request', function () {
      assert.deepEqual(
        pokeRequest('device-add', [
          'LIGHT0A1B2/x',
          'f_demo_home',
          'r_living',
          'alias=123',
          'online=false',
        ]),
        {
          method: 'POST',
          path: '/_sim/home/devices',
          body: JSON.stringify({
            ProductId: 'LIGHT0A1B2',
            DeviceName: 'x',
            FamilyId: 'f_demo_home',
            RoomId: 'r_living',
            AliasName: '123',
            online: false,
          }),
        },
      );
      assert.deepEqual(pokeRequest('device-remove', ['LIGHT0A1B2/x']), {
        method: 'DELETE',
        path: '/_sim/home/devices/LIGHT0A1B2/x',
      });
      assert.deepEqual(pokeRequest('share', ['LIGHT0A1B2/x']).body, '{}');
      assert.deepEqual(
        pokeRequest('unshare', ['LIGHT0A1B2/x', 'u-neighbor']).body,
        '{"UserID":"u-neighbor"}',
      );
      assert.deepEqual(pokeRequest('room-remove', ['f_demo_home', 'r_hall']), {
        method: 'DELETE',
        path: '/_sim/home/families/f_demo_home/rooms/r_hall',
      });
      assert.deepEqual(pokeRequest('home-options', []), {
        method: 'GET',
        path: '/_sim/home/options',
      });
      assert.equal(pokeRequest('panel-config', ['LOCK0C3D4E', 'none']).body, '{"Config":null}');
      assert.throws(() => pokeRequest('device-add', ['LIGHT0A1B2/x']), /FAMILY_ID/);
      assert.throws(() => pokeRequest('device-add', ['x', 'f_demo_home']), /ProductId\/DeviceName/);
      assert.throws(
        () => pokeRequest('device-add', ['LIGHT0A1B2/x', 'f', 'colour=1']),
        /takes alias=, user=, online=, properties=/,
      );
      assert.throws(() => pokeRequest('device-rename', ['LIGHT0A1B2/x']), /PID\/DN ALIAS/);
      assert.throws(() => pokeRequest('family-remove', []), /FAMILY_ID/);
    });

    it('adds, moves, shares and removes against a running simulator; exit 1 when refused, 2 on a bad command', async function () {
      // A dozen node processes, one after another, on a shared machine.
      this.timeout(120000);
      const url = sim.url;
      const add = await cli([
        'device-add',
        'LIGHT0A1B2/porch_lamp',
        'f_demo_home',
        'r_hall',
        'alias=门廊灯',
        '--url',
        url,
      ]);
      assert.equal(add.code, 0, add.stderr);
      assert.equal(JSON.parse(add.stdout).DeviceId, 'LIGHT0A1B2/porch_lamp');
      assert.ok((await deviceIds(sim, 'f_demo_home', 'r_hall')).includes('LIGHT0A1B2/porch_lamp'));
      assert.equal(
        (await cli(['room-add', 'f_demo_home', '车库', 'r_garage', '--url', url])).code,
        0,
      );
      assert.equal(
        (await cli(['device-move', 'LIGHT0A1B2/porch_lamp', 'r_garage', '--url', url])).code,
        0,
      );
      assert.equal(
        (await cli(['device-rename', 'LIGHT0A1B2/porch_lamp', '车库灯', '--url', url])).code,
        0,
      );
      assert.deepEqual(await deviceIds(sim, 'f_demo_home', 'r_garage'), ['LIGHT0A1B2/porch_lamp']);
      assert.equal(sim.model.device('LIGHT0A1B2', 'porch_lamp')?.aliasName, '车库灯');
      assert.equal((await cli(['unshare', 'THSNS7J8K9/shared_sensor', '--url', url])).code, 0);
      assert.equal(
        (await tokenApiCode(sim, 'AppGetDeviceData', { DeviceId: 'THSNS7J8K9/shared_sensor' }))
          .Code,
        UNSHARED_DEVICE_CODE,
      );
      assert.equal(
        (await cli(['share', 'THSNS7J8K9/shared_sensor', 'u-demo', '--url', url])).code,
        0,
      );
      await tokenApiOk(sim, 'AppGetDeviceData', { DeviceId: 'THSNS7J8K9/shared_sensor' });
      assert.equal((await cli(['family-add', '工作室', 'f_studio', '--url', url])).code, 0);
      assert.deepEqual(await familyIds(sim), ['f_demo_home', 'f_studio']);
      assert.equal((await cli(['family-remove', 'f_studio', '--url', url])).code, 0);
      assert.equal((await cli(['device-remove', 'LIGHT0A1B2/porch_lamp', '--url', url])).code, 0);
      assert.equal((await deviceIds(sim, 'f_demo_home')).includes('LIGHT0A1B2/porch_lamp'), false);
      const shown = await cli(['home', '--url', url]);
      assert.equal(shown.code, 0);
      assert.ok(JSON.parse(shown.stdout).families.length >= 3);
      const options = await cli(['home-options', 'listLimit=clamp', '--url', url]);
      assert.equal(JSON.parse(options.stdout).listLimit, 'clamp');
      assert.equal(sim.model.homeOptions.listLimit, 'clamp');
      const refused = await cli([
        'device-move',
        'LIGHT0A1B2/living_lamp',
        'r_nowhere',
        '--url',
        url,
      ]);
      assert.equal(refused.code, 1);
      assert.match(refused.stdout, /no room r_nowhere/);
      const bad = await cli(['device-move', 'LIGHT0A1B2/living_lamp', '--url', url]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /device-move takes PID\/DN ROOM_ID/);
    });
  });
});
