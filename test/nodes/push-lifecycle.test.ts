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
  loadEnglish,
  statusText,
  subscribed,
  untilLive,
  untilRead,
  type Msg,
} from '../support/push-run';
import { LIGHT, credentials, helper, useRuntimeAndSimulator } from '../support/runtime';

const LAMP = { productId: LIGHT.productId, deviceName: LIGHT.deviceName };

/** Active handles and requests by kind (Timeout, TCPSocketWrap, …). */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('push: reconnects, redeploys and a flapping server', function () {
  let sim: Simulator;
  useRuntimeAndSimulator((started) => (sim = started), {}, FAST_PUSH_SETTINGS);
  failOnUnhandledRejection();

  const reads = () => sim.httpCallsByAction.AppGetDeviceData ?? 0;
  const statusReads = () => sim.httpCallsByAction.AppGetDeviceStatuses ?? 0;

  it('fills the gap after a reconnect with one read, sending what changed once, marked gapFill', async function () {
    const run = await deployWatches(sim, [{ devices: [LAMP] }]);
    await untilLive(run.node('w1'), 1, 1);
    await untilRead(sim, 1);
    await until(() => statusReads() === 1, 'the online baseline');
    // Disconnected (and kept so) while the lamp changes twice and goes offline.
    sim.push.setFault({ kind: 'refuse' });
    sim.push.dropAll();
    await until(() => sim.push.connections().length === 0, 'the socket gone');
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 10 });
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 20 });
    sim.setDeviceOnline(LAMP.productId, LAMP.deviceName, false);
    await sleep(200);
    assert.equal(run.out[1].length, 0, 'nothing while disconnected');
    assert.equal(reads(), 1, 'no polling while disconnected');
    sim.push.clearFaults();
    await until(() => run.out[1].length === 2, 'the gap filled');
    await sleep(FAST_PUSH_TIMINGS.heartbeatMs);
    assert.equal(reads(), 2, 'one value read of the one device');
    assert.equal(statusReads(), 2, 'one status read');
    const byTopic = Object.fromEntries(run.out[1].map((m) => [m.topic, m]));
    const brightness = byTopic[`${LAMP_ID}/brightness`];
    assert.deepEqual(brightness.payload, { property: 'brightness', oldValue: 80, newValue: 20 });
    assert.equal(brightness.iotexplorer.gapFill, true);
    assert.equal(brightness.iotexplorer.source, 'poll');
    assert.equal(brightness.iotexplorer.action, 'AppGetDeviceData');
    assert.equal(brightness.iotexplorer.initial, false);
    const online = byTopic[`${LAMP_ID}/online`];
    assert.deepEqual(online.payload, { online: false, was: true });
    assert.equal(online.iotexplorer.gapFill, true);
    // Connected again: pushes, no reads; a push is not marked as gap-fill.
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 30 });
    await until(() => run.out[1].length === 3, 'a pushed change');
    assert.equal(run.out[1][2].iotexplorer.source, 'push');
    assert.equal('gapFill' in run.out[1][2].iotexplorer, false);
    await sleep(FAST_PUSH_TIMINGS.heartbeatMs * 3);
    assert.equal(reads(), 2);
    assert.equal(statusReads(), 2);
    assert.equal(run.out[1].length, 3);
  });

  it('after a failed baseline read, the next read sets the baseline instead of reporting every property', async function () {
    // The baseline read fails once (a passing 503); the device then reports one property by push.
    sim.setFault({ kind: 'http5xx', status: 503, action: 'AppGetDeviceData', count: 1 });
    const run = await deployWatches(sim, [{ devices: [LAMP], watchOnline: false }]);
    await until(() => subscribed(sim, LAMP_ID), 'subscribed');
    await until(() => run.caught.length === 1, 'the failed read reported');
    // The node says so (live, but without a baseline) until the next read.
    assert.equal(statusText(run.node('w1')), 'IOTX_HTTP_STATUS');
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 42 });
    await until(() => run.out[1].length === 1, 'the pushed change');
    assert.deepEqual(run.out[1][0].payload, {
      property: 'brightness',
      oldValue: null,
      newValue: 42,
    });
    // A reconnect reads the device: nothing changed since, so nothing is sent.
    sim.push.dropAll();
    await until(() => reads() === 2, 'the gap-fill read');
    await untilLive(run.node('w1'), 1, 1);
    await sleep(150);
    assert.deepEqual(
      run.out[1].map((m): unknown => m.topic),
      [`${LAMP_ID}/brightness`],
      'unchanged properties are not changes',
    );
    // And a change made while disconnected is still found.
    sim.push.setFault({ kind: 'refuse', count: 1 });
    sim.push.dropAll();
    await until(() => sim.push.connections().length === 0, 'the socket gone');
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { color: 2 });
    await until(() => run.out[1].length === 2, 'the gap filled');
    assert.deepEqual(run.out[1][1].payload, { property: 'color', oldValue: 0, newValue: 2 });
    assert.equal(run.out[1][1].iotexplorer.gapFill, true);
  });

  it('reconnects with no change: the gap-fill read sends nothing', async function () {
    const run = await deployWatches(sim, [{ devices: [LAMP] }]);
    await untilLive(run.node('w1'), 1, 1);
    await untilRead(sim, 1);
    for (let i = 1; i <= 3; i++) {
      sim.push.dropAll();
      await until(() => reads() === i + 1 && statusReads() === i + 1, `gap-fill read ${i}`);
    }
    await sleep(100);
    assert.deepEqual(run.out[1], []);
  });

  it('a redeploy during a slow baseline read ends the read and the socket at once', async function () {
    sim.setFault({ kind: 'latency', latencyMs: 5000, action: 'AppGetDeviceData' });
    const run = await deployWatches(sim, [{ devices: [LAMP], watchOnline: false }]);
    await until(() => reads() === 1 && subscribed(sim, LAMP_ID), 'the read in flight');
    const start = Date.now();
    await helper.unload();
    const took = Date.now() - start;
    // Far less than the read's 5 s: the close does not wait for the answer.
    assert.ok(took < 2500, `unloaded in ${took} ms`);
    await until(() => sim.push.connections().length === 0, 'the socket closed');
    assert.deepEqual(run.out[1], []);
  });

  it('leaves no socket or timer behind over 50 redeploys', async function () {
    this.timeout(40000);
    // The first deploy warms up what stays for the whole run (the runtime, sockets of the helper).
    const flowFor = (n: number) =>
      watchFlow(
        sim.tokenapiUrl,
        [
          { devices: [LAMP], watchOnline: false },
          {
            devices: [LAMP],
            watchState: false,
            watchEvents: true,
            mode: n % 3 === 0 ? 'poll' : 'push',
            interval: 0.1,
          },
        ],
        { name: `deploy ${n}` },
      );
    await loadEnglish(flowFor(0), credentials());
    await until(() => subscribed(sim, LAMP_ID), 'subscribed');
    await helper.unload();
    await sleep(100);
    const before = resources();
    const opened0 = sim.push.stats.connectionsOpened;
    await loadEnglish(flowFor(1), credentials());
    for (let n = 2; n <= 51; n++) {
      // Half the deploys wait for the subscription, half replace the flow while it connects.
      if (n % 2 === 0) await until(() => subscribed(sim, LAMP_ID), `subscribed (deploy ${n})`);
      await helper.setFlows(flowFor(n), 'full', credentials());
      assert.ok(sim.push.connections().length <= 2, 'old sockets end at once');
    }
    await until(() => subscribed(sim, LAMP_ID), 'the last flow subscribed');
    await helper.unload();
    await until(() => sim.push.connections().length === 0, 'every socket closed at the server');
    await sleep(200);
    const after = resources();
    assert.ok(sim.push.stats.connectionsOpened - opened0 >= 26, 'the deploys did connect');
    for (const kind of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const grew = (after[kind] ?? 0) - (before[kind] ?? 0);
      assert.ok(grew <= 2, `${kind}: ${before[kind] ?? 0} before, ${after[kind] ?? 0} after`);
    }
  });

  it('ends a flapping server live again, with every change once and the last value right', async function () {
    this.timeout(30000);
    // w2 takes the doorbell's presses: events are not read back, so only pushed ones count.
    const run = await deployWatches(sim, [
      { devices: [LAMP], watchOnline: false },
      { devices: [DOORBELL], watchEvents: true, watchState: false, watchOnline: false },
    ]);
    await untilLive(run.node('w1'), 1, 1);
    await untilRead(sim, 1);
    const live = () =>
      sim.push
        .connections()
        .some((c) => !c.halfOpen && c.deviceIds.includes(LAMP_ID) && c.deviceIds.includes(BELL_ID));
    let rings = 0;
    let value = 0;
    const expected: number[] = [];
    const reportNext = (): number => {
      value = (value % 100) + 1;
      sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: value });
      return value;
    };
    const start = Date.now();
    let cycles = 0;
    while (Date.now() - start < 8000 && cycles < 15) {
      cycles += 1;
      // Connected: each report is pushed, and must arrive.
      // (A stalled socket stays listed at the server: it no longer reads, so never sees the close.)
      await until(live, `resubscribed (cycle ${cycles})`, 5000);
      // One read per reconnect; once it is applied, what follows can only come by push.
      await until(() => reads() === cycles, `gap-fill read ${cycles}`);
      await sleep(40);
      for (let i = 0; i < 3; i++) {
        expected.push(reportNext());
        await sleep(15);
      }
      sim.fireEvent(DOORBELL.productId, DOORBELL.deviceName, 'ring', { button: 1 });
      rings += 1;
      await sleep(30);
      // The server drops the socket (and refuses the first retry) while the device reports on:
      // only the last of these values can be known, by the gap-fill read.
      // Every third time the socket goes half-open instead: silent until the liveness check.
      if (cycles % 3 === 0) sim.push.stallAll();
      else {
        sim.push.setFault({ kind: 'refuse', count: 1 });
        sim.push.dropAll(cycles % 2 === 0 ? 'close' : 'terminate');
      }
      reportNext();
      // A press while disconnected is lost: the server keeps no history of pushes.
      sim.fireEvent(DOORBELL.productId, DOORBELL.deviceName, 'ring', { button: 0 });
      reportNext();
      expected.push(reportNext());
      await sleep(10);
    }
    await until(() => live() && reads() === cycles + 1, 'live at the end');
    await sleep(40);
    expected.push(reportNext());
    await untilLive(run.node('w1'), 1, 1);
    await until(() => run.out[1].at(-1)?.payload.newValue === value, 'the last value');
    await sleep(100);
    const got = run.out[1].map((m: Msg) => m.payload.newValue as number);
    assert.ok(cycles >= 5, `${cycles} drops`);
    assert.deepEqual(got, expected, 'every knowable change once, in order');
    // Each message starts where the previous ended: nothing duplicated or skipped in between.
    run.out[1].forEach((m: Msg, i: number) => {
      assert.equal(m.payload.oldValue, i === 0 ? 80 : got[i - 1]);
    });
    // Every press made while connected, once; none of those made while disconnected.
    assert.deepEqual(
      run.out[2].map((m: Msg): unknown => m.payload.params),
      Array.from({ length: rings }, () => ({ button: 1 })),
    );
    assert.deepEqual(run.caught, []);
  });
});

describe('push: a failed baseline read is tried again', function () {
  let sim: Simulator;
  useRuntimeAndSimulator(
    (started) => (sim = started),
    {},
    {
      ...FAST_PUSH_SETTINGS,
      iotExplorerPushTimings: { ...FAST_PUSH_TIMINGS, readRetryMs: 200 },
    },
  );
  failOnUnhandledRejection();

  const reads = () => sim.httpCallsByAction.AppGetDeviceData ?? 0;

  it('reads again with back-off, without a reconnect, and shows live once it succeeds', async function () {
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'brightness', 10);
    // The baseline read fails twice (503), then the service recovers.
    sim.setFault({ kind: 'http5xx', status: 503, action: 'AppGetDeviceData', count: 2 });
    const run = await deployWatches(sim, [{ devices: [LAMP], watchOnline: false }]);
    await until(() => run.caught.length === 1, 'the failed read reported');
    assert.equal(statusText(run.node('w1')), 'IOTX_HTTP_STATUS');
    await until(() => reads() === 3, 'two reads tried again', 10000);
    await untilLive(run.node('w1'), 1, 1);
    assert.equal(sim.push.stats.connectionsOpened, 1, 'no reconnect was needed');
    // The failure is reported once per code, not at every attempt.
    assert.equal(run.caught.length, 1);
    // The baseline is now known: a report gives the true old value, and nothing else is sent.
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 42 });
    await until(() => run.out[1].length === 1, 'the pushed change');
    assert.deepEqual(run.out[1][0].payload, {
      property: 'brightness',
      oldValue: 10,
      newValue: 42,
    });
    await sleep(500);
    assert.equal(reads(), 3, 'no read after the one that succeeded');
  });
});
