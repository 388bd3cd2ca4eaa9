import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import sinon from 'sinon';
import type { Simulator } from '../../simulator';
import {
  LIGHT,
  OFFLINE_LAMP,
  credentials,
  deviceFlow,
  helper,
  load,
  FAST_WATCH_SETTINGS,
  useRuntimeAndSimulator,
} from '../support/runtime';

const LAMP = { productId: LIGHT.productId, deviceName: LIGHT.deviceName };
const BEDROOM = { productId: OFFLINE_LAMP.productId, deviceName: OFFLINE_LAMP.deviceName };
type Msg = Record<string, any>;

/** Waits until `predicate` holds, polling; fails after a generous timeout. */
async function until(predicate: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('iot-explorer-watch in a Node-RED runtime', function () {
  let sim: Simulator;
  let received: Msg[];
  let caught: Msg[];

  useRuntimeAndSimulator(
    (started) => {
      sim = started;
      received = [];
      caught = [];
    },
    {},
    FAST_WATCH_SETTINGS,
  );

  async function watch(props: Record<string, unknown>, token?: string): Promise<void> {
    const flow = deviceFlow(sim.tokenapiUrl, 'iot-explorer-watch', { interval: 0.2, ...props });
    await load(flow, token ? credentials(token) : undefined);
    helper.getNode('out').on('input', (msg: Msg) => received.push(msg));
    helper.getNode('err').on('input', (msg: Msg) => caught.push(msg));
  }
  const polls = (action: string) => sim.requests.filter((r) => r.action === action).length;

  it('records the first poll silently, then sends one message per property change', async function () {
    await watch({ devices: [LAMP], watchOnline: false });
    await until(() => polls('AppGetDeviceData') >= 2, 'two polls');
    assert.equal(received.length, 0, 'the baseline is silent');
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'brightness', 12);
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'power_switch', 0);
    await until(() => received.length >= 2, 'two changes');
    const byTopic = Object.fromEntries(received.map((m) => [m.topic, m]));
    assert.deepEqual(byTopic['LIGHT0A1B2/living_lamp/brightness'].payload, {
      property: 'brightness',
      oldValue: 80,
      newValue: 12,
    });
    assert.deepEqual(byTopic['LIGHT0A1B2/living_lamp/power_switch'].payload, {
      property: 'power_switch',
      oldValue: 1,
      newValue: 0,
    });
    const info = byTopic['LIGHT0A1B2/living_lamp/brightness'].iotexplorer;
    assert.equal(info.action, 'AppGetDeviceData');
    assert.equal(info.productId, LAMP.productId);
    assert.equal(info.deviceName, LAMP.deviceName);
    assert.equal(info.property, 'brightness');
    assert.equal(typeof info.lastUpdate, 'number');
    // Polling on without further changes sends nothing more.
    const count = polls('AppGetDeviceData');
    await until(() => polls('AppGetDeviceData') >= count + 3, 'three more polls');
    assert.equal(received.length, 2);
    assert.equal(polls('AppGetDeviceStatuses'), 0, 'online status not watched');
  });

  it('watches only the listed properties', async function () {
    await watch({ devices: [LAMP], watchOnline: false, properties: 'power_switch' });
    await until(() => polls('AppGetDeviceData') >= 2, 'two polls');
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'brightness', 12);
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'power_switch', 0);
    await until(() => received.length >= 1, 'a change');
    const count = polls('AppGetDeviceData');
    await until(() => polls('AppGetDeviceData') >= count + 2, 'two more polls');
    assert.deepEqual(
      received.map((m): unknown => m.topic),
      ['LIGHT0A1B2/living_lamp/power_switch'],
    );
  });

  it('reports online and offline changes from one status call for all devices', async function () {
    await watch({ devices: [LAMP, 'LIGHT0A1B2/bedroom_lamp'], watchState: false });
    await until(() => polls('AppGetDeviceStatuses') >= 2, 'two polls');
    const bodies = sim.requests
      .filter((r) => r.action === 'AppGetDeviceStatuses')
      .map((r): unknown => (r.body as Msg).DeviceIds);
    assert.deepEqual(bodies[0], ['LIGHT0A1B2/living_lamp', 'LIGHT0A1B2/bedroom_lamp']);
    sim.setDeviceOnline(BEDROOM.productId, BEDROOM.deviceName, true);
    sim.setDeviceOnline(LAMP.productId, LAMP.deviceName, false);
    await until(() => received.length >= 2, 'two changes');
    const byTopic = Object.fromEntries(received.map((m) => [m.topic, m.payload]));
    assert.deepEqual(byTopic, {
      'LIGHT0A1B2/bedroom_lamp/online': { online: true, was: false },
      'LIGHT0A1B2/living_lamp/online': { online: false, was: true },
    });
    assert.equal(received[0].iotexplorer.action, 'AppGetDeviceStatuses');
    assert.equal(polls('AppGetDeviceData'), 0, 'properties not watched');
  });

  it('can send the values found at start', async function () {
    await watch({ devices: [LAMP], properties: 'brightness', emitInitial: true });
    await until(() => received.length >= 2, 'the initial values');
    const byTopic = Object.fromEntries(received.map((m) => [m.topic, m]));
    assert.deepEqual(byTopic['LIGHT0A1B2/living_lamp/online'].payload, { online: true, was: null });
    assert.deepEqual(byTopic['LIGHT0A1B2/living_lamp/brightness'].payload, {
      property: 'brightness',
      oldValue: null,
      newValue: 80,
    });
    assert.equal(byTopic['LIGHT0A1B2/living_lamp/brightness'].iotexplorer.initial, true);
  });

  it('reports a failing poll once with its code, backs off, shows it, and recovers', async function () {
    sim.setFault({ kind: 'http5xx', status: 503 });
    await watch({ devices: [LAMP], interval: 0.1 });
    const node = helper.getNode('act') as Node & { status: sinon.SinonSpy };
    await until(() => caught.length >= 1, 'a caught error');
    await until(
      () => node.status.getCalls().some((c) => /IOTX_HTTP_STATUS/.test(String(c.args[0].text))),
      'the code in the status',
    );
    const red = node.status.getCalls().find((c) => c.args[0].fill === 'red');
    assert.equal(red?.args[0].shape, 'ring');
    // Back-off: with the interval at 0.1 s, failing rounds wait 0.2, 0.4, 0.8 s ...
    const start = sim.requests.length;
    await new Promise((r) => setTimeout(r, 1200));
    const during = sim.requests.length - start;
    assert.ok(during <= 10, `backed off: ${during} requests in 1.2 s`);
    // One catch per distinct error and target, however many polls failed.
    assert.deepEqual(caught.map((m): unknown[] => [m.error.code, m.iotexplorer.action]).sort(), [
      ['IOTX_HTTP_STATUS', 'AppGetDeviceData'],
      ['IOTX_HTTP_STATUS', 'AppGetDeviceStatuses'],
    ]);
    assert.equal(
      caught.find((m) => m.iotexplorer.action === 'AppGetDeviceData')?.topic,
      'LIGHT0A1B2/living_lamp',
    );
    sim.clearFaults();
    await until(
      () => node.status.lastCall.args[0].fill === 'green',
      'a green status after recovery',
      10000,
    );
    assert.equal(received.length, 0);
  });

  it('reports a device the user cannot see once, and keeps watching the others', async function () {
    await watch({ devices: [LAMP, 'LIGHT0A1B2/neighbor_lamp'], properties: 'power_switch' });
    await until(() => caught.length >= 2 && polls('AppGetDeviceStatuses') >= 3, 'errors');
    const codes = caught.map((m) => `${m.iotexplorer.action} ${m.error.code}`).sort();
    assert.deepEqual(codes, [
      'AppGetDeviceData ResourceNotFound.DeviceNotBind',
      'AppGetDeviceStatuses ResourceNotFound.DeviceNotExist',
    ]);
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'power_switch', 0);
    await until(() => received.length >= 1, 'a change of the visible lamp');
    assert.equal(caught.length, 2);
  });

  it('stops polling when the flow stops', async function () {
    await watch({ devices: [LAMP] });
    await until(() => polls('AppGetDeviceData') >= 2, 'polls');
    await helper.unload();
    const count = sim.requests.length;
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(sim.requests.length, count);
  });

  it('shows a red status and reports it when no account is chosen', async function () {
    const flow = deviceFlow(sim.tokenapiUrl, 'iot-explorer-watch', {
      devices: [LAMP],
      account: '',
    });
    await load(flow);
    const node = helper.getNode('act') as Node & { status: sinon.SinonSpy; error: sinon.SinonSpy };
    assert.equal(node.status.lastCall.args[0].text, 'IOTX_NO_ACCOUNT');
    assert.equal(node.error.callCount, 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(sim.requests.length, 0);
  });

  it('keeps the AccessToken out of its errors and status', async function () {
    const token = 'wrong-token-3b9e0c4d7a51';
    await watch({ devices: [LAMP] }, token);
    const node = helper.getNode('act') as Node & { status: sinon.SinonSpy; error: sinon.SinonSpy };
    await until(() => caught.length >= 2, 'errors');
    assert.equal(caught[0].error.code, 'InvalidParameterValue.InvalidAccessToken');
    assert.ok(sim.requests.some((r) => (r.body as Msg).AccessToken === token));
    const seen = JSON.stringify([
      caught,
      node.status.args,
      node.error.args.map((a) => String(a[0])),
    ]);
    assert.equal(seen.includes(token), false);
  });
});
