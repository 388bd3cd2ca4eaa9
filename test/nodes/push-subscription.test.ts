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
  SENSOR_ID,
  collect,
  deployWatches,
  failOnUnhandledRejection,
  loadEnglish,
  statusText,
  subscribed,
  untilLive,
  untilRead,
  type Msg,
} from '../support/push-run';
import { DEMO_SIGN_IN, credentials, helper, useRuntimeAndSimulator } from '../support/runtime';

const LAMP = { productId: 'LIGHT0A1B2', deviceName: 'living_lamp' };
const SENSOR = { productId: 'THSNS7J8K9', deviceName: 'living_sensor' };
const SIGN_IN_CREDENTIALS = {
  acc: { appSecret: 'demoAppSecret', email: 'demo@example.com', password: 'demo-password' },
};
const SIGN_IN_ACCOUNT = {
  authMode: 'signin',
  appKey: DEMO_SIGN_IN.appKey,
  loginType: DEMO_SIGN_IN.loginType,
};

describe('push: the account subscription', function () {
  let sim: Simulator;
  useRuntimeAndSimulator((started) => (sim = started), {}, FAST_PUSH_SETTINGS);
  failOnUnhandledRejection();

  const activePushes = () => sim.push.stats.framesByAction.ActivePush ?? 0;
  const heartbeats = () => sim.push.stats.yunApiByAction.AppDeviceTraceHeartBeat ?? 0;

  it('subscribes the full device set of all watch nodes on one socket per account', async function () {
    const run = await deployWatches(sim, [
      { devices: [LAMP, DOORBELL], watchOnline: false },
      { devices: [DOORBELL, SENSOR], watchOnline: false },
    ]);
    await until(() => subscribed(sim, LAMP_ID, BELL_ID, SENSOR_ID), 'all three devices subscribed');
    await untilLive(run.node('w1'), 2, 2);
    await untilLive(run.node('w2'), 2, 2);
    assert.equal(sim.push.stats.connectionsOpened, 1, 'one socket for both nodes');
    const [conn] = sim.push.connections();
    assert.deepEqual([...conn.deviceIds].sort(), [BELL_ID, SENSOR_ID, LAMP_ID].sort());
    // Both nodes started within the debounce: one ActivePush, not one per node.
    assert.equal(activePushes(), 1);
    // The doorbell is watched by both nodes: the account's device feed reads it once.
    await untilRead(sim, 3);
    assert.equal(sim.httpCallsByAction.AppGetDeviceData, 3, 'one baseline read per device');
    // A report of the lamp reaches w1, which watches it, and not w2.
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 33 });
    await until(() => run.out[1].length === 1, 'the lamp change on w1');
    await sleep(100);
    assert.equal(run.out[2].length, 0, 'w2 does not watch the lamp');
  });

  it('sends ActivePush again with the grown set when a redeploy adds a node, on the same socket', async function () {
    const first = watchFlow(sim.tokenapiUrl, [{ devices: [LAMP], watchOnline: false }]);
    await loadEnglish(first);
    await until(() => subscribed(sim, LAMP_ID), 'the lamp subscribed');
    assert.deepEqual(sim.push.connections()[0].deviceIds, [LAMP_ID]);
    const before = activePushes();
    // A "modified nodes" deploy adds a second watch node; the account node keeps running.
    const grown = watchFlow(sim.tokenapiUrl, [
      { devices: [LAMP], watchOnline: false },
      { devices: [SENSOR], watchOnline: false },
    ]);
    await helper.setFlows(grown, 'nodes', credentials());
    await until(() => subscribed(sim, LAMP_ID, SENSOR_ID), 'lamp and sensor subscribed');
    assert.equal(activePushes(), before + 1, 'one more ActivePush');
    assert.equal(sim.push.stats.connectionsOpened, 1, 'the same socket');
    // Removing the node shrinks the set again.
    await helper.setFlows(first, 'nodes', credentials());
    await until(
      () => sim.push.connections()[0]?.deviceIds.join() === LAMP_ID,
      'the set back to the lamp',
    );
    assert.equal(sim.push.stats.connectionsOpened, 1);
  });

  it('resubscribes the full set after every reconnect', async function () {
    const run = await deployWatches(sim, [
      { devices: [LAMP], watchOnline: false },
      { devices: [SENSOR], watchOnline: false },
    ]);
    await until(() => subscribed(sim, LAMP_ID, SENSOR_ID), 'subscribed');
    for (let drop = 1; drop <= 3; drop++) {
      const pushesBefore = activePushes();
      sim.push.dropAll(drop === 2 ? 'close' : 'terminate');
      await until(
        () => sim.push.stats.connectionsOpened === drop + 1 && subscribed(sim, LAMP_ID, SENSOR_ID),
        `resubscribed after drop ${drop}`,
      );
      assert.ok(activePushes() > pushesBefore);
    }
    await untilLive(run.node('w2'), 1, 1);
    sim.reportProperties(SENSOR.productId, SENSOR.deviceName, { humidity: 61 });
    await until(() => run.out[2].length === 1, 'a pushed sensor change after the reconnects');
    assert.equal(run.out[2][0].topic, `${SENSOR_ID}/humidity`);
  });

  it('keeps the subscription alive with periodic AppDeviceTraceHeartBeat naming every device', async function () {
    // Subscriptions the server has not heard of for 500 ms lapse: only heartbeats keep them.
    sim.push.options.subscriptionTtlMs = 500;
    const run = await deployWatches(sim, [{ devices: [LAMP, SENSOR], watchOnline: false }]);
    await untilLive(run.node('w1'), 2, 2);
    const start = heartbeats();
    await sleep(FAST_PUSH_TIMINGS.heartbeatMs * 5);
    const sent = heartbeats() - start;
    assert.ok(sent >= 3 && sent <= 7, `${sent} heartbeats in five periods`);
    assert.equal(sim.push.stats.connectionsOpened, 1);
    assert.ok(subscribed(sim, LAMP_ID, SENSOR_ID), 'both devices still subscribed');
    sim.reportProperties(SENSOR.productId, SENSOR.deviceName, { humidity: 62 });
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 61 });
    await until(() => run.out[1].length === 2, 'both changes pushed');
  });

  it('renews a refused sign-in token and subscribes again with the new one', async function () {
    const run = await deployWatches(
      sim,
      [{ devices: [LAMP], watchOnline: false }],
      SIGN_IN_ACCOUNT,
      SIGN_IN_CREDENTIALS,
    );
    await untilLive(run.node('w1'), 1, 1);
    const signIns = () => sim.httpCallsByAction.AppGetToken ?? 0;
    await untilRead(sim, 1);
    const firstToken = String(
      (sim.requests.find((r) => r.action === 'AppGetDeviceData')?.body as Msg).AccessToken,
    );
    const signInsBefore = signIns();
    const pushesBefore = activePushes();
    sim.revokeToken(firstToken);
    // The next heartbeat is refused; the account signs in again and resubscribes.
    await until(() => signIns() > signInsBefore && activePushes() > pushesBefore, 'renewed');
    await untilLive(run.node('w1'), 1, 1);
    assert.equal(sim.push.stats.connectionsOpened, 1, 'the socket stays open');
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 44 });
    await until(() => run.out[1].length === 1, 'a change pushed under the new token');
    assert.equal(run.out[1][0].payload.newValue, 44);
    assert.deepEqual(run.caught, [], 'a renewal is not an error');
  });

  it('opens the socket only while a push-mode node needs it, and closes it when none does', async function () {
    const pollOnly = watchFlow(sim.tokenapiUrl, [
      { devices: [LAMP], mode: 'poll', interval: 0.1, watchOnline: false },
    ]);
    await loadEnglish(pollOnly);
    await until(() => (sim.httpCallsByAction.AppGetDeviceData ?? 0) >= 3, 'three polls');
    assert.equal(sim.push.stats.connectionsOpened, 0, 'a poll-mode node opens no socket');

    const withPush = watchFlow(sim.tokenapiUrl, [
      { devices: [LAMP], mode: 'poll', interval: 0.1, watchOnline: false },
      { devices: [SENSOR], watchOnline: false },
    ]);
    await helper.setFlows(withPush, 'nodes', credentials());
    await until(() => subscribed(sim, SENSOR_ID), 'the push node subscribed');
    assert.deepEqual(sim.push.connections()[0].deviceIds, [SENSOR_ID], 'not the polled lamp');

    await helper.setFlows(pollOnly, 'nodes', credentials());
    await until(() => sim.push.connections().length === 0, 'the socket closed');
    await sleep(FAST_PUSH_TIMINGS.backoffMaxMs * 2);
    assert.equal(sim.push.stats.connectionsOpened, 1, 'not reopened');
    assert.equal(sim.push.connections().length, 0);
  });

  it('a watch node saved before push (no mode) polls and opens no socket', async function () {
    const flow = watchFlow(sim.tokenapiUrl, [
      { devices: [LAMP], interval: 0.1, watchOnline: false },
    ]);
    delete (flow.find((n) => n.id === 'w1') as Record<string, unknown>).mode;
    await loadEnglish(flow);
    const run = collect(1);
    await until(() => (sim.httpCallsByAction.AppGetDeviceData ?? 0) >= 2, 'polls');
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 5 });
    await until(() => run.out[1].length === 1, 'the polled change');
    assert.equal(run.out[1][0].iotexplorer.source, 'poll');
    assert.equal(run.out[1][0].iotexplorer.action, 'AppGetDeviceData');
    assert.match(statusText(run.node('w1')), /^polling 1 device · /);
    assert.equal(sim.push.stats.connectionsOpened, 0);
  });

  it('a push node with nothing to watch opens no socket', async function () {
    const run = await deployWatches(sim, [
      { devices: [LAMP], watchState: false, watchOnline: false },
    ]);
    await sleep(300);
    assert.equal(sim.push.stats.connectionsOpened, 0);
    assert.equal(statusText(run.node('w1')), 'nothing to watch');
  });

  it('backs off from 2 s toward 60 s (scaled) while refused, never spins, and recovers', async function () {
    sim.push.setFault({ kind: 'refuse' });
    const run = await deployWatches(sim, [{ devices: [LAMP], watchOnline: false }]);
    const times: number[] = [];
    let seen = 0;
    const start = Date.now();
    while (Date.now() - start < 2500) {
      const now = sim.push.stats.upgradesRefused;
      for (; seen < now; seen++) times.push(Date.now());
      await sleep(5);
    }
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    const { backoffMinMs: min, backoffMaxMs: max } = FAST_PUSH_TIMINGS;
    // 2.5 s at 50, 100, 200, 400, 400 … ms (less up to a fifth): about 9 attempts.
    assert.ok(times.length >= 5 && times.length <= 14, `${times.length} attempts in 2.5 s`);
    assert.ok(gaps[0] < min * 2 + 60, `the first retry comes soon (${gaps[0]} ms)`);
    for (const gap of gaps.slice(3)) {
      // (Timers may fire late on a loaded machine, never early.)
      assert.ok(
        gap >= max * 0.8 - 20 && gap <= max * 1.75,
        `later gaps near the ceiling: ${gaps.join()}`,
      );
    }
    assert.match(statusText(run.node('w1')), /^reconnecting in 1 s$/);
    sim.push.clearFaults();
    await untilLive(run.node('w1'), 1, 1);
    assert.deepEqual(run.caught, [], 'a refused upgrade is retried silently');
  });
});

describe('push: sign-in renewals and several accounts', function () {
  let sim: Simulator;
  // Sign-in tokens live 2 s: the account renews them ahead of time, over and over.
  useRuntimeAndSimulator((started) => (sim = started), { tokenTtlSeconds: 2 }, FAST_PUSH_SETTINGS);
  failOnUnhandledRejection();

  const activePushes = () => sim.push.stats.framesByAction.ActivePush ?? 0;
  const signIns = () => sim.httpCallsByAction.AppGetToken ?? 0;

  it('subscribes again after every renewal ahead of time, and no pushed change is lost', async function () {
    this.timeout(15000);
    const run = await deployWatches(
      sim,
      [{ devices: [LAMP], watchOnline: false }],
      SIGN_IN_ACCOUNT,
      SIGN_IN_CREDENTIALS,
    );
    await untilLive(run.node('w1'), 1, 1);
    await untilRead(sim, 1);
    const firstSignIns = signIns();
    const sent: number[] = [];
    const start = Date.now();
    for (let value = 1; Date.now() - start < 4500; value++) {
      sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: value });
      sent.push(value);
      await sleep(100);
    }
    await until(() => run.out[1].at(-1)?.payload.newValue === sent.at(-1), 'the last change');
    await sleep(100);
    const renewals = signIns() - firstSignIns;
    assert.ok(renewals >= 2, `${renewals} renewals in 4.5 s of 2-second tokens`);
    assert.ok(
      activePushes() >= renewals + 1,
      `${activePushes()} ActivePush for ${renewals} renewals`,
    );
    assert.equal(sim.push.stats.connectionsOpened, 1, 'the socket stays open');
    // Every change arrives once and in order. The simulator ends a subscription when its token
    // expires; a 2-second token is renewed only ~0.1–0.2 s ahead (a tenth of its life), which a
    // sign-in on a loaded machine can overrun, so a report in that instant may be missed.
    const got = run.out[1].map((m: Msg) => m.payload.newValue as number);
    const missed = sent.filter((v) => !got.includes(v));
    assert.deepEqual(
      got,
      sent.filter((v) => got.includes(v)),
      'in order, no duplicates',
    );
    assert.ok(missed.length <= renewals, `missed ${missed.join()} over ${renewals} renewals`);
    assert.equal(got.at(-1), sent.at(-1), 'the last change arrived');
    assert.deepEqual(run.caught, []);
  });

  it('renews a token refused by the ActivePush of a new socket', async function () {
    const run = await deployWatches(
      sim,
      [{ devices: [LAMP], watchOnline: false }],
      SIGN_IN_ACCOUNT,
      SIGN_IN_CREDENTIALS,
    );
    await untilLive(run.node('w1'), 1, 1);
    await untilRead(sim, 1);
    const before = signIns();
    // Logged out while the socket is down: the reconnect's ActivePush is refused.
    sim.push.setFault({ kind: 'refuse', count: 1 });
    sim.push.dropAll();
    for (const r of sim.requests) {
      const token = (r.body as Msg | undefined)?.AccessToken;
      if (typeof token === 'string') sim.revokeToken(token);
    }
    await until(() => signIns() > before && subscribed(sim, LAMP_ID), 'renewed and resubscribed');
    await untilLive(run.node('w1'), 1, 1);
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 9 });
    await until(() => run.out[1].some((m) => m.payload.newValue === 9), 'the pushed change');
    assert.deepEqual(run.caught, []);
  });

  it('opens one socket per account', async function () {
    const flow = watchFlow(sim.tokenapiUrl, [{ devices: [LAMP], watchOnline: false }]);
    flow.push(
      {
        id: 'acc2',
        type: 'iot-explorer-account',
        z: 'tab',
        name: 'second account',
        endpoint: sim.tokenapiUrl,
      },
      {
        id: 'w9',
        type: 'iot-explorer-watch',
        z: 'tab',
        account: 'acc2',
        mode: 'push',
        devices: [SENSOR],
        watchOnline: false,
        wires: [],
      },
    );
    await loadEnglish(flow, { ...credentials(), acc2: { accessToken: 'demo-access-token' } });
    await until(() => subscribed(sim, LAMP_ID) && subscribed(sim, SENSOR_ID), 'both subscribed');
    assert.equal(sim.push.stats.connectionsOpened, 2);
    assert.deepEqual(
      sim.push
        .connections()
        .map((c) => c.deviceIds.join())
        .sort(),
      [LAMP_ID, SENSOR_ID],
    );
  });
});
