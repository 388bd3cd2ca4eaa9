// The iot-explorer-home node in a Node-RED runtime against the simulator on 127.0.0.1 (the home
// fixture: three families, shared devices): the listing, its filters from the editor and from
// msg.filter, current values, change messages after run-time changes through /_sim, a bad filter
// as a coded error, and the editor's home route (with a cross-site post refused).
import assert from 'node:assert/strict';
import type { DeviceRecord, HomeFamily, HomeRoom, HomeSnapshot } from '../../lib/shared/home';
import type { Simulator } from '../../simulator';
import { FAST_PUSH_SETTINGS, until } from '../support/push';
import {
  call,
  collectOutcomes,
  deviceFlow,
  helper,
  load,
  useRuntimeAndSimulator,
} from '../support/runtime';

const BASE = '/iot-explorer/accounts';

async function simHome(sim: Simulator, path: string, body: unknown, method = 'POST') {
  const res = await fetch(`${sim.url}/_sim/home${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: method === 'DELETE' ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
}

describe('iot-explorer-home in a Node-RED runtime', function () {
  this.timeout(30_000);
  let sim: Simulator;
  useRuntimeAndSimulator((started) => (sim = started), { fixture: 'home' }, FAST_PUSH_SETTINGS);

  const homeFlow = (props: Record<string, unknown> = {}, account: Record<string, unknown> = {}) =>
    deviceFlow(sim.tokenapiUrl, 'iot-explorer-home', props, {
      homeRefreshMinutes: 60,
      ...account,
    });

  it('sends the whole home: families with rooms, and every device record, shared ones included', async function () {
    await load(homeFlow());
    const { output, error } = await call({ topic: 'list' });
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    const { families, devices, stale, loadedAt } = output!.payload as HomeSnapshot;
    assert.equal(stale, false);
    assert.equal(typeof loadedAt, 'number');
    assert.equal(families.length, 3);
    const home = families.find((f: HomeFamily) => f.familyId === 'f_demo_home')!;
    assert.deepEqual(
      home.rooms.map((r: HomeRoom) => r.roomId),
      ['0', 'r_living', 'r_bedroom', 'r_hall', 'r_study'],
    );
    const lamp = devices.find((d: DeviceRecord) => d.deviceId === 'LIGHT0A1B2/living_lamp')!;
    assert.deepEqual(Object.keys(lamp).sort(), [
      'alias',
      'deviceId',
      'deviceName',
      'familyId',
      'familyName',
      'online',
      'productId',
      'productName',
      'roomId',
      'roomName',
      'shared',
      'sharedBy',
    ]);
    assert.equal(lamp.roomName, '客厅');
    const shared = devices
      .filter((d: DeviceRecord) => d.shared)
      .map((d: DeviceRecord) => d.deviceId);
    assert.deepEqual(shared.sort(), ['LIGHT0A1B2/shared_lamp', 'THSNS7J8K9/shared_sensor']);
    assert.equal(output?.iotexplorer.action, 'home');
    assert.equal(output?.topic, 'list');
  });

  it('filters as the editor says, and msg.filter replaces it', async function () {
    await load(homeFlow({ familyId: 'f_demo_home', roomId: 'r_bedroom', productId: 'LIGHT0A1B2' }));
    const first = await call({});
    assert.deepEqual(first.output?.payload.devices.map((d: DeviceRecord) => d.deviceName).sort(), [
      'bedroom_ceiling',
      'bedroom_lamp',
    ]);
    assert.deepEqual(
      first.output?.payload.families.map((f: HomeFamily) => f.familyId),
      ['f_demo_home'],
    );
    const second = await call({ filter: { shared: true } });
    assert.deepEqual(second.output?.payload.devices.map((d: DeviceRecord) => d.deviceName).sort(), [
      'shared_lamp',
      'shared_sensor',
    ]);
    const offline = await call({ filter: { online: false, familyId: 'f_demo_home' } });
    assert.deepEqual(
      offline.output?.payload.devices.map((d: DeviceRecord) => d.deviceName),
      ['bedroom_lamp'],
    );
  });

  it('refuses a bad msg.filter with a code naming the field, and keeps working', async function () {
    await load(homeFlow());
    const bad = await call({ filter: { online: 'yes' } });
    assert.equal(bad.error?.error.code, 'IOTX_INVALID_FIELD');
    assert.match(bad.error?.error.message, /msg\.filter\.online/);
    const unknown = await call({ filter: { colour: 'red' } });
    assert.match(unknown.error?.error.message, /msg\.filter\.colour/);
    const notObject = await call({ filter: 'bedroom' });
    assert.match(notObject.error?.error.message, /msg\.filter/);
    const good = await call({ filter: {} });
    assert.ok(good.output?.payload.devices.length > 10);
  });

  it('adds each device’s current values when asked', async function () {
    await load(homeFlow({ withValues: true, productId: 'LOCK0C3D4E' }));
    const { output } = await call({});
    const door = (output?.payload.devices as Array<DeviceRecord & { values: any }>).find(
      (d) => d.deviceName === 'front_door',
    )!;
    assert.equal(typeof door.values.battery, 'number');
    assert.equal(door.values.lock_state, 0);
  });

  it('reads the home once for several nodes and messages, and again on msg.refresh', async function () {
    const flow = homeFlow();
    flow.push({ ...flow.find((n) => n.id === 'act')!, id: 'act2', wires: [['out']] });
    await load(flow);
    await call({});
    await call({});
    const two = collectOutcomes(1);
    helper.getNode('act2').receive({});
    await two;
    assert.equal(sim.httpCallsByAction.AppGetFamilyList, 1);
    await simHome(sim, '/devices/LIGHT0A1B2/study_lamp', { AliasName: 'Desk' });
    const fresh = await call({ refresh: true });
    assert.equal(sim.httpCallsByAction.AppGetFamilyList, 2);
    const desk = fresh.output?.payload.devices.find(
      (d: DeviceRecord) => d.deviceName === 'study_lamp',
    );
    assert.equal(desk.alias, 'Desk');
  });

  it('sends a message on each change of the home: added, renamed, moved, removed, shared, unshared', async function () {
    await load(homeFlow({ sendChanges: true }));
    await until(() => (sim.httpCallsByAction.AppGetFamilyList ?? 0) >= 1, 'the first read');
    await until(() => (sim.httpCallsByAction.AppGetDeviceStatuses ?? 0) >= 1, 'its end');
    await simHome(sim, '/devices', {
      DeviceId: 'LIGHT0A1B2/desk_lamp',
      FamilyId: 'f_demo_home',
      RoomId: 'r_bedroom',
      AliasName: '床头灯',
    });
    await simHome(sim, '/devices/LIGHT0A1B2/living_lamp', { AliasName: 'Reading lamp' });
    await simHome(sim, '/devices/LIGHT0A1B2/study_lamp', { RoomId: 'r_living' });
    await simHome(sim, '/devices/LIGHT0A1B2/hall_lamp', {}, 'DELETE');
    await simHome(sim, '/devices/LIGHT0A1B2/owner_lamp/share', {});
    await simHome(sim, '/devices/THSNS7J8K9/shared_sensor/unshare', {});
    const changes = collectOutcomes(7);
    // The refresh this message asks for tells the changes, then the message gets its reply.
    helper.getNode('act').receive({ topic: 'list', refresh: true });
    const got = await changes;
    assert.equal(got[6].output?.topic, 'list');
    const topics = got
      .slice(0, 6)
      .map((o) => `${o.output?.topic} ${o.output?.payload.deviceId}`)
      .sort();
    assert.deepEqual(topics, [
      'home/added LIGHT0A1B2/desk_lamp',
      'home/moved LIGHT0A1B2/study_lamp',
      'home/removed LIGHT0A1B2/hall_lamp',
      'home/renamed LIGHT0A1B2/living_lamp',
      'home/shared LIGHT0A1B2/owner_lamp',
      'home/unshared THSNS7J8K9/shared_sensor',
    ]);
    const moved = got.find((o) => o.output?.topic === 'home/moved')!.output!;
    assert.equal(moved.before.roomId, 'r_study');
    assert.equal(moved.payload.roomId, 'r_living');
  });

  it('answers the editor’s home route, and refuses a cross-site post', async function () {
    await load(homeFlow());
    const res = await helper.request().post(`${BASE}/acc/home`).send({}).expect(200);
    assert.equal(res.body.success, true);
    assert.equal(res.body.data.families.length, 3);
    assert.ok(res.body.data.devices.some((d: DeviceRecord) => d.shared && d.sharedBy === null));
    const before = sim.requests.length;
    const refused = await helper
      .request()
      .post(`${BASE}/acc/home`)
      .set('Origin', 'https://evil.example')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({})
      .expect(403);
    assert.equal(refused.body.code, 'IOTX_CROSS_SITE');
    assert.equal(sim.requests.length, before, 'nothing reached the API');
  });

  it('without an account, every message fails with IOTX_NO_ACCOUNT', async function () {
    await load(homeFlow({ account: '' }));
    const { error } = await call({});
    assert.equal(error?.error.code, 'IOTX_NO_ACCOUNT');
  });
});
