// The watch node on a selection, in a Node-RED runtime against the simulator on 127.0.0.1 (the
// home fixture): it watches the devices of a room through the account's feed, picks up a device
// added to that room after one refresh of the home (no redeploy), says once that a shared device
// it watched was unshared and goes on with the rest, and puts the device record on every message.
import assert from 'node:assert/strict';
import type { Simulator } from '../../simulator';
import { FAST_PUSH_SETTINGS, until } from '../support/push';
import { deviceFlow, helper, load, useRuntimeAndSimulator } from '../support/runtime';

async function simPost(sim: Simulator, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `POST ${path}: ${res.status}`);
}

type Msg = Record<string, any>;

/** The devices subscribed on the simulator's push sockets now. */
const subscribed = (sim: Simulator): string[] =>
  sim.push.connections().flatMap((connection) => connection.deviceIds);

describe('watch on a selection, in a Node-RED runtime', function () {
  this.timeout(30_000);
  let sim: Simulator;
  useRuntimeAndSimulator((started) => (sim = started), { fixture: 'home' }, FAST_PUSH_SETTINGS);

  /** A watch on `filter` (push), a home node to ask for a refresh, and what both send. */
  async function watchOn(filter: Record<string, unknown>) {
    await load([
      ...deviceFlow(
        sim.tokenapiUrl,
        'iot-explorer-watch',
        {
          version: 2,
          mode: 'push',
          selection: 'filter',
          selectionFilter: filter,
          watchOnline: false,
          properties: 'power_switch',
        },
        { homeRefreshMinutes: 60 },
      ),
      { id: 'home', type: 'iot-explorer-home', z: 'tab', account: 'acc', wires: [[]] },
    ]);
    const messages: Msg[] = [];
    const errors: Msg[] = [];
    helper.getNode('out').on('input', (msg: Msg) => messages.push(msg));
    helper.getNode('err').on('input', (msg: Msg) => errors.push(msg));
    return { messages, errors };
  }

  const report = (sim: Simulator, id: string, value: number) =>
    simPost(sim, `/_sim/devices/${id}/report`, { power_switch: value });

  /** Asks the account's home to read again, through the home node, and waits for the reply. */
  async function refreshHome(): Promise<void> {
    const replied = new Promise<void>((resolve) => {
      helper.getNode('home').once('input', () => setTimeout(resolve, 50));
    });
    helper.getNode('home').receive({ refresh: true });
    await replied;
  }

  it('watches the room’s devices, and a device added to the room after one refresh, without a redeploy', async function () {
    const { messages, errors } = await watchOn({ familyId: 'f_demo_home', roomId: 'r_study' });
    await until(() => subscribed(sim).includes('LIGHT0A1B2/study_lamp'), 'subscribed');
    await report(sim, 'LIGHT0A1B2/study_lamp', 1);
    await until(() => messages.length >= 1, 'the study lamp’s change');
    const first = messages[0];
    assert.equal(first.topic, 'LIGHT0A1B2/study_lamp/power_switch');
    assert.equal(first.iotexplorer.device.alias, '书房台灯');
    assert.equal(first.iotexplorer.device.roomId, 'r_study');

    await simPost(sim, '/_sim/home/devices', {
      DeviceId: 'LIGHT0A1B2/desk_lamp',
      FamilyId: 'f_demo_home',
      RoomId: 'r_study',
      AliasName: '台灯二',
    });
    await refreshHome();
    await until(() => subscribed(sim).includes('LIGHT0A1B2/desk_lamp'), 'the new lamp');
    // Its baseline is read first; a change after it is reported.
    await until(
      () => (sim.httpCallsByAction.AppGetDeviceData ?? 0) >= 2,
      'the new lamp’s baseline',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await report(sim, 'LIGHT0A1B2/desk_lamp', 1);
    await until(
      () => messages.some((m) => m.topic === 'LIGHT0A1B2/desk_lamp/power_switch'),
      'the added lamp’s change',
    );
    const added = messages.find((m) => m.topic === 'LIGHT0A1B2/desk_lamp/power_switch')!;
    assert.equal(added.iotexplorer.device.alias, '台灯二');
    assert.deepEqual(errors, []);
  });

  it('watches a shared device like an owned one; unshared while watched, it is said once and the rest go on', async function () {
    const { messages, errors } = await watchOn({ shared: true });
    await until(
      () =>
        subscribed(sim).includes('LIGHT0A1B2/shared_lamp') &&
        subscribed(sim).includes('THSNS7J8K9/shared_sensor'),
      'both shared devices subscribed',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    // One of the two is a change, whatever the lamp showed.
    await report(sim, 'LIGHT0A1B2/shared_lamp', 0);
    await report(sim, 'LIGHT0A1B2/shared_lamp', 1);
    await until(
      () => messages.some((m) => m.topic === 'LIGHT0A1B2/shared_lamp/power_switch'),
      'the shared lamp’s change',
    );
    const shared = messages.find((m) => m.topic === 'LIGHT0A1B2/shared_lamp/power_switch')!;
    assert.equal(shared.iotexplorer.device.shared, true);

    await simPost(sim, '/_sim/home/devices/THSNS7J8K9/shared_sensor/unshare', {});
    await refreshHome();
    await until(() => errors.length >= 1, 'the unshare said');
    await refreshHome();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const gone = errors.filter((e) => e.error.code === 'IOTX_DEVICE_GONE');
    assert.equal(errors.length, 1, JSON.stringify(errors.map((e): unknown => e.error)));
    assert.equal(gone.length, 1);
    assert.match(gone[0].error.message, /shared_sensor/);
    // The other goes on.
    const before = messages.length;
    await report(sim, 'LIGHT0A1B2/shared_lamp', 0);
    await until(() => messages.length > before, 'the other device’s change');
    assert.equal(messages[messages.length - 1].topic, 'LIGHT0A1B2/shared_lamp/power_switch');
  });

  it('a selection matching nothing is IOTX_NO_MATCH on the status and to catch nodes', async function () {
    const { errors } = await watchOn({ familyId: 'f_demo_home', roomId: 'r_nowhere' });
    await until(() => errors.length >= 1, 'the error');
    assert.equal(errors[0].error.code, 'IOTX_NO_MATCH');
  });
});
