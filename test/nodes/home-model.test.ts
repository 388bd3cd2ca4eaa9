// The home model against the simulator on 127.0.0.1: the real API client and push connection,
// the home fixture, shared devices read in pages, a refresh cut short by a failing list, and the
// home changed at run time through /_sim as its owner would change it in the app.
import assert from 'node:assert/strict';
import { ApiClient } from '../../lib/api/client';
import { createPastedTokenSource } from '../../lib/auth/token-source';
import { HomeModel } from '../../lib/home/home-model';
import { PushConnection } from '../../lib/push/push-connection';
import { PushWatcher } from '../../lib/watch/push-watcher';
import type { WatchChange } from '../../lib/watch/changes';
import type { HomeChange } from '../../lib/shared/home';
import { generateHome, startSimulator, type Simulator } from '../../simulator';
import { FAST_PUSH_TIMINGS, until } from '../support/push';
import { DEMO_TOKEN } from '../support/runtime';

interface Rig {
  sim: Simulator;
  client: ApiClient;
  push: PushConnection;
  model: HomeModel;
}

function rig(sim: Simulator, options: { retryMs?: number } = {}): Rig {
  const tokenSource = createPastedTokenSource({ token: DEMO_TOKEN, account: 'test' });
  const client = new ApiClient({ endpoint: sim.tokenapiUrl, tokenSource });
  const push = new PushConnection({
    url: sim.pushUrl,
    tokenSource,
    timings: FAST_PUSH_TIMINGS,
    warnUnbound: () => undefined,
    trace: () => undefined,
  });
  const model = new HomeModel({
    api: client,
    pushes: push,
    retryMs: options.retryMs ?? 60_000,
    minRefreshGapMs: 0,
    accountName: 'test',
  });
  return { sim, client, push, model };
}

function close(r: Rig | undefined): void {
  if (!r) return;
  r.model.close();
  r.push.close();
  r.client.close();
}

async function simPost(sim: Simulator, path: string, body: unknown, method = 'POST') {
  const res = await fetch(`${sim.url}/_sim/home${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: method === 'DELETE' ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.text()}`);
}

describe('home model against the simulator', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let r: Rig | undefined;

  afterEach(async function () {
    close(r);
    r = undefined;
    await sim?.close();
  });

  it('reads the home fixture: families, rooms, owned and shared devices with names and states', async function () {
    sim = await startSimulator({ fixture: 'home' });
    r = rig(sim);
    const home = await r.model.snapshot();
    assert.deepEqual(home.families.map((f) => f.familyId).sort(), [
      'f_demo_cottage',
      'f_demo_home',
      'f_parents_home',
    ]);
    const lamp = home.devices.find((d) => d.deviceId === 'LIGHT0A1B2/living_lamp')!;
    assert.equal(lamp.familyId, 'f_demo_home');
    assert.equal(lamp.roomId, 'r_living');
    assert.equal(lamp.roomName, '客厅');
    assert.equal(lamp.productName, '智能台灯 Smart Lamp');
    assert.equal(lamp.online, true);
    assert.equal(lamp.shared, false);
    const aircon = home.devices.find((d) => d.deviceId === 'AIRC0F5G6H/study_aircon')!;
    assert.equal(aircon.roomId, '0');
    assert.equal(aircon.roomName, null, 'the default room has no name, never a translated word');
    const shared = home.devices.filter((d) => d.shared).map((d) => d.deviceId);
    assert.deepEqual(shared.sort(), ['LIGHT0A1B2/shared_lamp', 'THSNS7J8K9/shared_sensor']);
    const sharedLamp = home.devices.find((d) => d.deviceId === 'LIGHT0A1B2/shared_lamp')!;
    assert.equal(sharedLamp.familyId, null);
    assert.equal(sharedLamp.roomId, null);
    assert.equal(sharedLamp.online, true);
    assert.equal(
      home.devices.some((d) => d.deviceId === 'LIGHT0A1B2/owner_lamp'),
      false,
      'a device shared with nobody is not in the home',
    );
    assert.equal(home.stale, false);
  });

  it('reads every page of the shared devices (230 of them, pages of 100)', async function () {
    sim = await startSimulator({
      fixture: generateHome({ devices: 260, families: 2, shared: 230 }),
    });
    r = rig(sim);
    const home = await r.model.snapshot();
    assert.equal(home.devices.filter((d) => d.shared).length, 230);
    assert.equal(home.devices.length, 260);
    assert.equal(sim.httpCallsByAction.AppListUserShareDevices, 3);
    const asked = sim.requests
      .filter((q) => q.action === 'AppListUserShareDevices')
      .map((q) => {
        const body = q.body as { Offset: number; Limit: number };
        return [body.Offset, body.Limit];
      });
    assert.deepEqual(asked, [
      [0, 100],
      [100, 100],
      [200, 100],
    ]);
  });

  it('a refresh cut short keeps the last complete home, stale, with no removal; then recovers', async function () {
    sim = await startSimulator({ fixture: 'home' });
    r = rig(sim, { retryMs: 200 });
    await r.model.snapshot();
    const seen: HomeChange[] = [];
    r.model.onChange((changes) => seen.push(...changes));
    await simPost(sim, '/devices/LIGHT0A1B2/hall_lamp', {}, 'DELETE');
    sim.setFault({ kind: 'requestLimit', action: 'AppListUserShareDevices' });
    const stale = await r.model.snapshot({ refresh: true });
    assert.equal(stale.stale, true);
    assert.ok(stale.devices.some((d) => d.deviceId === 'LIGHT0A1B2/hall_lamp'));
    assert.equal(seen.length, 0, 'no removal reported from a cut-short read');
    sim.clearFaults();
    await until(() => r!.model.current()?.stale === false, 'the retry with back-off');
    assert.deepEqual(
      seen.map((c) => `${c.kind} ${c.device.deviceId}`),
      ['removed LIGHT0A1B2/hall_lamp'],
    );
  });

  it('notices run-time changes through /_sim: add, rename, move, remove, share, unshare', async function () {
    sim = await startSimulator({ fixture: 'home' });
    r = rig(sim);
    await r.model.snapshot();
    const seen: HomeChange[] = [];
    r.model.onChange((changes) => seen.push(...changes));
    await simPost(sim, '/devices', {
      DeviceId: 'LIGHT0A1B2/desk_lamp',
      FamilyId: 'f_demo_home',
      RoomId: 'r_bedroom',
      AliasName: '床头灯',
    });
    await simPost(sim, '/devices/LIGHT0A1B2/living_lamp', { AliasName: 'Reading lamp' });
    await simPost(sim, '/devices/LIGHT0A1B2/study_lamp', { RoomId: 'r_living' });
    await simPost(sim, '/devices/LIGHT0A1B2/hall_lamp', {}, 'DELETE');
    await simPost(sim, '/devices/LIGHT0A1B2/owner_lamp/share', {});
    await simPost(sim, '/devices/THSNS7J8K9/shared_sensor/unshare', {});
    const home = await r.model.snapshot({ refresh: true });
    assert.deepEqual(seen.map((c) => `${c.kind} ${c.device.deviceId}`).sort(), [
      'added LIGHT0A1B2/desk_lamp',
      'moved LIGHT0A1B2/study_lamp',
      'removed LIGHT0A1B2/hall_lamp',
      'renamed LIGHT0A1B2/living_lamp',
      'shared LIGHT0A1B2/owner_lamp',
      'unshared THSNS7J8K9/shared_sensor',
    ]);
    const moved = seen.find((c) => c.kind === 'moved')!;
    assert.equal(moved.before?.roomId, 'r_study');
    assert.equal(moved.device.roomName, '客厅');
    const added = home.devices.find((d) => d.deviceId === 'LIGHT0A1B2/desk_lamp')!;
    assert.equal(added.alias, '床头灯');
    assert.equal(added.roomName, '卧室');
  });

  it('a shared device unshared while watched: the watch is told once and goes on with the rest', async function () {
    sim = await startSimulator({ fixture: 'home' });
    r = rig(sim);
    const failures: string[] = [];
    const changes: WatchChange[] = [];
    const ids = ['LIGHT0A1B2/shared_lamp', 'LIGHT0A1B2/living_lamp'];
    const watcher = new PushWatcher(
      {
        reads: r.model.feed,
        pushes: r.model.feed,
        deviceIds: ids,
        properties: [],
        watchState: true,
        watchOnline: true,
        watchEvents: false,
        watchActions: false,
        emitInitial: false,
        baselineWaitMs: 500,
        readRetryMs: 100,
      },
      {
        change: (c) => changes.push(c),
        failure: (err, target) => failures.push(`${err.code} ${target.deviceId ?? ''}`),
        connection: () => undefined,
      },
    );
    watcher.start();
    try {
      await until(() => r!.push.state.phase === 'live', 'live');
      await until(() => sim.httpCallsByAction.AppGetDeviceData === 2, 'the baseline reads');
      assert.equal(r.model.loaded, false, 'watching alone reads no home');
      await simPost(sim, '/devices/LIGHT0A1B2/shared_lamp/unshare', {});
      // After a reconnect the service subscribes the rest only: the home is read again.
      sim.push.dropAll();
      await until(() => failures.length > 0, 'the watch hears of it');
      await until(() => r!.model.known('LIGHT0A1B2/shared_lamp') === undefined, 'a refresh');
      sim.reportProperties('LIGHT0A1B2', 'living_lamp', { brightness: 71 });
      await until(
        () => changes.some((c) => c.kind === 'property' && c.newValue === 71),
        'the other device still watched',
      );
      sim.push.dropAll();
      await until(() => r!.push.state.phase === 'live', 'live again');
      sim.reportProperties('LIGHT0A1B2', 'living_lamp', { brightness: 72 });
      await until(
        () => changes.some((c) => c.kind === 'property' && c.newValue === 72),
        'still watched',
      );
      assert.equal(
        failures.filter((f) => f.endsWith('shared_lamp')).length,
        1,
        `said once: ${failures.join('; ')}`,
      );
    } finally {
      await watcher.stop();
    }
  });
});
