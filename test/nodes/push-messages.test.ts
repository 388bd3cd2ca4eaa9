import assert from 'node:assert/strict';
import type { Simulator } from '../../simulator';
import {
  DOORBELL,
  FAST_PUSH_SETTINGS,
  FAST_PUSH_TIMINGS,
  sleep,
  until,
  watchFlow,
} from '../support/push';
import {
  BELL_ID,
  LAMP_ID,
  deployWatches,
  failOnUnhandledRejection,
  lastStatus,
  statusText,
  untilLive,
  untilRead,
  type Msg,
} from '../support/push-run';
import { LIGHT, credentials, helper, useRuntimeAndSimulator } from '../support/runtime';

const LAMP = { productId: LIGHT.productId, deviceName: LIGHT.deviceName };

/** The message minus what legitimately differs between a pushed and a polled change. */
function contract(msg: Msg): Msg {
  const info: Msg = { ...(msg.iotexplorer as Msg) };
  for (const key of ['action', 'source', 'lastUpdate', 'requestId']) delete info[key];
  return { topic: msg.topic, payload: msg.payload, iotexplorer: info };
}

describe('push: the messages of a push-mode watch node', function () {
  let sim: Simulator;
  useRuntimeAndSimulator((started) => (sim = started), {}, FAST_PUSH_SETTINGS);
  failOnUnhandledRejection();

  it('sends a property change as poll mode does, marked source "push", and reads nothing while connected', async function () {
    const run = await deployWatches(sim, [
      { devices: [LAMP], watchOnline: false },
      { devices: [LAMP], watchOnline: false, mode: 'poll', interval: 0.1 },
    ]);
    await untilLive(run.node('w1'), 1, 1);
    await untilRead(sim, 3);
    assert.equal(run.out[1].length + run.out[2].length, 0, 'the baseline is silent');
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 59, color: 2 });
    await until(() => run.out[1].length === 2 && run.out[2].length === 2, 'both nodes report');
    const pushed = run.out[1];
    const polled = run.out[2];
    const byTopic = (msgs: Msg[]): Record<string, Msg> =>
      Object.fromEntries(msgs.map((m): [string, Msg] => [String(m.topic), m]));
    const p = byTopic(pushed)[`${LAMP_ID}/brightness`];
    assert.deepEqual(p.payload, { property: 'brightness', oldValue: 80, newValue: 59 });
    assert.equal(p.iotexplorer.source, 'push');
    assert.equal(p.iotexplorer.action, 'DeviceChange');
    assert.equal(p.iotexplorer.initial, false);
    assert.equal('gapFill' in p.iotexplorer, false);
    assert.equal(p.iotexplorer.productId, LAMP.productId);
    assert.equal(p.iotexplorer.deviceName, LAMP.deviceName);
    assert.equal(p.iotexplorer.property, 'brightness');
    assert.equal(typeof p.iotexplorer.lastUpdate, 'number');
    assert.equal(byTopic(polled)[`${LAMP_ID}/brightness`].iotexplorer.source, 'poll');
    // Same topics, payloads and fields in both modes.
    for (const topic of [`${LAMP_ID}/brightness`, `${LAMP_ID}/color`]) {
      assert.deepEqual(contract(byTopic(pushed)[topic]), contract(byTopic(polled)[topic]));
    }
    // Remove the polling node: from now on only the push node's calls count.
    await helper.setFlows(
      watchFlow(sim.tokenapiUrl, [{ devices: [LAMP], watchOnline: false }]),
      'nodes',
      credentials(),
    );
    await sleep(50);
    const reads = sim.httpCallsByAction.AppGetDeviceData ?? 0;
    const beats = sim.push.stats.yunApiByAction.AppDeviceTraceHeartBeat ?? 0;
    await sleep(FAST_PUSH_TIMINGS.heartbeatMs * 4);
    assert.equal(sim.httpCallsByAction.AppGetDeviceData ?? 0, reads, 'no read while connected');
    assert.equal(sim.httpCallsByAction.AppGetDeviceStatuses ?? 0, 0);
    assert.ok((sim.push.stats.yunApiByAction.AppDeviceTraceHeartBeat ?? 0) >= beats + 3);
  });

  it('sends online changes as PID/DN/online {online, was}', async function () {
    const run = await deployWatches(sim, [{ devices: [LAMP], watchState: false }]);
    await untilLive(run.node('w1'), 1, 1);
    await until(() => (sim.httpCallsByAction.AppGetDeviceStatuses ?? 0) >= 1, 'the baseline');
    await sleep(60);
    sim.setDeviceOnline(LAMP.productId, LAMP.deviceName, false);
    sim.setDeviceOnline(LAMP.productId, LAMP.deviceName, true);
    await until(() => run.out[1].length === 2, 'two online changes');
    assert.deepEqual(
      run.out[1].map((m): unknown[] => [m.topic, m.payload, m.iotexplorer.source]),
      [
        [`${LAMP_ID}/online`, { online: false, was: true }, 'push'],
        [`${LAMP_ID}/online`, { online: true, was: false }, 'push'],
      ],
    );
    assert.equal(sim.httpCallsByAction.AppGetDeviceStatuses, 1, 'read once, for the baseline');
  });

  it('reads the status when a StatusChange push does not name its device (doc example shape)', async function () {
    sim.push.options.omitStatusDeviceId = true;
    const run = await deployWatches(sim, [{ devices: [LAMP], watchState: false }]);
    await untilLive(run.node('w1'), 1, 1);
    await until(() => (sim.httpCallsByAction.AppGetDeviceStatuses ?? 0) >= 1, 'the baseline');
    await sleep(60);
    sim.setDeviceOnline(LAMP.productId, LAMP.deviceName, false);
    await until(() => run.out[1].length === 1, 'the offline change');
    assert.deepEqual(run.out[1][0].payload, { online: false, was: true });
    assert.equal(run.out[1][0].iotexplorer.source, 'poll');
    assert.equal(run.out[1][0].iotexplorer.action, 'AppGetDeviceStatuses');
    assert.equal(sim.httpCallsByAction.AppGetDeviceStatuses, 2);
  });

  it('sends the values found at start with emitInitial, then pushed changes', async function () {
    const run = await deployWatches(sim, [
      { devices: [LAMP], properties: 'brightness', emitInitial: true },
    ]);
    await until(() => run.out[1].length === 2, 'the initial values');
    const byTopic = Object.fromEntries(run.out[1].map((m) => [m.topic, m]));
    assert.deepEqual(byTopic[`${LAMP_ID}/online`].payload, { online: true, was: null });
    assert.deepEqual(byTopic[`${LAMP_ID}/brightness`].payload, {
      property: 'brightness',
      oldValue: null,
      newValue: 80,
    });
    assert.equal(byTopic[`${LAMP_ID}/brightness`].iotexplorer.initial, true);
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 7, color: 1 });
    await until(() => run.out[1].length === 3, 'the pushed change');
    await sleep(100);
    assert.equal(run.out[1].length, 3, 'only the listed property');
    assert.deepEqual(run.out[1][2].payload, { property: 'brightness', oldValue: 80, newValue: 7 });
    assert.equal(run.out[1][2].iotexplorer.initial, false);
    assert.equal(run.out[1][2].iotexplorer.source, 'push');
  });

  for (const paramsAsString of [false, true]) {
    it(`sends device events as PID/DN/event/<id> {eventId, type, params} (params as ${paramsAsString ? 'a JSON string' : 'an object'})`, async function () {
      sim.push.options.paramsAsString = paramsAsString;
      const run = await deployWatches(sim, [
        { devices: [DOORBELL], watchEvents: true, watchState: true, watchOnline: false },
        { devices: [DOORBELL], watchOnline: false },
      ]);
      await untilLive(run.node('w1'), 1, 1);
      // Both nodes watch the doorbell: the account's device feed reads it once for both.
      await untilRead(sim, 1);
      sim.fireEvent(DOORBELL.productId, DOORBELL.deviceName, 'ring', { button: 1 });
      sim.fireEvent(DOORBELL.productId, DOORBELL.deviceName, 'low_battery');
      await until(() => run.out[1].length === 2, 'two events');
      const [ring, low] = run.out[1];
      assert.equal(ring.topic, `${BELL_ID}/event/ring`);
      assert.deepEqual(ring.payload, { eventId: 'ring', type: 'info', params: { button: 1 } });
      assert.equal(ring.iotexplorer.source, 'push');
      assert.equal(ring.iotexplorer.eventId, 'ring');
      assert.equal(typeof ring.iotexplorer.time, 'number');
      assert.equal(low.topic, `${BELL_ID}/event/low_battery`);
      assert.deepEqual(low.payload, {
        eventId: 'low_battery',
        type: 'alert',
        params: { voltage: 2.2 },
      });
      await sleep(100);
      assert.equal(run.out[2].length, 0, 'w2 does not watch events');
    });
  }

  it('sends property changes when the server sends params as a JSON string', async function () {
    sim.push.options.paramsAsString = true;
    const run = await deployWatches(sim, [{ devices: [LAMP], watchOnline: false }]);
    await untilLive(run.node('w1'), 1, 1);
    await untilRead(sim, 1);
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 21 });
    await until(() => run.out[1].length === 1, 'the change');
    assert.deepEqual(run.out[1][0].payload, {
      property: 'brightness',
      oldValue: 80,
      newValue: 21,
    });
    assert.equal(run.out[1][0].iotexplorer.source, 'push');
  });

  it('sends the reply to an asynchronous action call, joinable by its clientToken', async function () {
    const run = await deployWatches(
      sim,
      [{ devices: [LAMP], watchActions: true, watchState: false, watchOnline: false }],
      {},
      undefined,
      [
        {
          id: 'act',
          type: 'iot-explorer-action',
          z: 'tab',
          account: 'acc',
          ...LIGHT,
          mode: 'async',
          wires: [['actout']],
        },
        { id: 'actout', type: 'helper', z: 'tab' },
      ],
    );
    await untilLive(run.node('w1'), 1, 1);
    const calls: Msg[] = [];
    helper.getNode('actout').on('input', (msg: Msg) => calls.push(msg));
    helper.getNode('act').receive({ payload: { time: 2 } });
    helper.getNode('act').receive({ payload: { time: 3 } });
    await until(() => calls.length === 2 && run.out[1].length === 2, 'two calls and two replies');
    const tokens = calls.map((m) => m.iotexplorer.clientToken as string);
    assert.equal(new Set(tokens).size, 2);
    for (const token of tokens) {
      const reply = run.out[1].find((m) => m.payload.clientToken === token);
      assert.ok(reply, `a reply for ${token}`);
      assert.equal(reply.topic, `${LAMP_ID}/action/light_blink`);
      assert.deepEqual(reply.payload, {
        actionId: 'light_blink',
        clientToken: token,
        code: 0,
        status: 'succ',
        response: { err_code: 0 },
      });
      assert.equal(reply.iotexplorer.source, 'push');
      assert.equal(reply.iotexplorer.actionId, 'light_blink');
    }
    assert.deepEqual(run.caught, []);
  });

  it('says in its status how many devices are live, and when it reconnects', async function () {
    const run = await deployWatches(sim, [
      { devices: [LAMP, 'LIGHT0A1B2/neighbor_lamp'], watchOnline: false },
    ]);
    await untilLive(run.node('w1'), 1, 2);
    const live = lastStatus(run.node('w1'));
    assert.equal(live.fill, 'green');
    sim.push.setFault({ kind: 'refuse' });
    sim.push.dropAll();
    await until(
      () => /^reconnecting in \d+ s$/.test(statusText(run.node('w1'))),
      'a reconnecting status',
    );
    assert.equal(lastStatus(run.node('w1')).fill, 'yellow');
    sim.push.clearFaults();
    await untilLive(run.node('w1'), 1, 2);
  });
});
