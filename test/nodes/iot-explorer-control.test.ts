import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Node } from 'node-red';
import type { Simulator } from '../../simulator';
import {
  LIGHT,
  LOCK,
  OFFLINE_LAMP,
  call,
  deviceFlow,
  helper,
  load,
  useRuntimeAndSimulator,
} from '../support/runtime';

const LAMP = { productId: LIGHT.productId, deviceName: LIGHT.deviceName };

describe('iot-explorer-control in a Node-RED runtime', function () {
  let sim: Simulator;

  useRuntimeAndSimulator((started) => (sim = started));

  const controls = () =>
    sim.requests
      .filter((r) => r.action === 'AppControlDeviceData')
      .map((r) => r.body as Record<string, unknown>);
  const lamp = () => sim.model.requireDevice(LAMP.productId, LAMP.deviceName).properties;

  it('sets the properties in msg.payload on the device, sending Data as a JSON string', async function () {
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'power_switch', 0);
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-control', LAMP));
    const { output, error } = await call({
      topic: 'sunset',
      payload: { power_switch: 1, brightness: 70 },
    });
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    assert.equal(output?.topic, 'sunset');
    assert.deepEqual(output?.payload, { power_switch: 1, brightness: 70 });
    const info = output?.iotexplorer;
    assert.equal(info.action, 'AppControlDeviceData');
    assert.equal(info.productId, LAMP.productId);
    assert.equal(info.deviceName, LAMP.deviceName);
    assert.equal(info.templateChecked, true);
    assert.equal(info.data, '{"power_switch":1,"brightness":70}');
    const [sent] = controls();
    assert.equal(sent.Data, '{"power_switch":1,"brightness":70}');
    assert.equal(info.requestId, sent.RequestId);
    assert.equal(lamp().power_switch.Value, 1);
    assert.equal(lamp().brightness.Value, 70);
  });

  it('takes the device from msg and accepts a JSON string', async function () {
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-control'));
    const { output } = await call({ ...LAMP, payload: '{"color":2}' });
    assert.equal(output?.iotexplorer.deviceName, LAMP.deviceName);
    assert.equal(lamp().color.Value, 2);
  });

  it('reads the data from a configured JSON literal', async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-control', {
        ...LAMP,
        data: '{"name":"书房"}',
        dataType: 'json',
      }),
    );
    const { error } = await call({ payload: 'ignored' });
    assert.equal(error, undefined);
    assert.equal(lamp().name.Value, '书房');
  });

  const rejected: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a value out of range', { brightness: 150 }, /brightness.*\[0, 100\].*150/],
    ['a bool given as true', { power_switch: true }, /power_switch.*0 or 1/],
    ['an enum value not in the template', { color: 7 }, /color.*0, 1, 2/],
    ['a string too long', { name: 'x'.repeat(65) }, /name.*\[0, 64\]/],
    ['an unknown property', { colour: 1 }, /colour.*power_switch, brightness, color, name/],
  ];
  for (const [label, payload, text] of rejected) {
    it(`refuses ${label} before sending, naming the property`, async function () {
      await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-control', LAMP));
      const { output, error } = await call({ payload });
      assert.equal(output, undefined);
      assert.equal(error?.error.code, 'IOTX_INVALID_DATA');
      assert.match(error?.error.message, text);
      assert.equal(controls().length, 0, 'nothing may be sent');
    });
  }

  it('refuses a read-only property', async function () {
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-control', LOCK));
    const { error } = await call({ payload: { lock_state: 1 } });
    assert.equal(error?.error.code, 'IOTX_INVALID_DATA');
    assert.match(error?.error.message, /lock_state/);
  });

  it('fetches the template once for many messages', async function () {
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-control', LAMP));
    await call({ payload: { brightness: 10 } });
    await call({ payload: { brightness: 20 } });
    assert.equal(sim.requests.filter((r) => r.action === 'AppGetProducts').length, 1);
    assert.equal(controls().length, 2);
  });

  it('sends unchecked, with one warning, when the template cannot be fetched; the API still checks', async function () {
    sim.setFault({ kind: 'http5xx', action: 'AppGetProducts' });
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-control', LAMP));
    const node = helper.getNode('act') as Node & { warn: sinon.SinonSpy };
    const ok = await call({ payload: { brightness: 33 } });
    assert.equal(ok.output?.iotexplorer.templateChecked, false);
    assert.equal(lamp().brightness.Value, 33);
    const bad = await call({ payload: { brightness: 150 } });
    assert.equal(bad.error?.error.code, 'InvalidParameterValue');
    assert.equal(controls().length, 2);
    assert.equal(node.warn.callCount, 1);
  });

  it('reports an offline device with the API code', async function () {
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-control', OFFLINE_LAMP));
    const { error } = await call({ payload: { power_switch: 1 } });
    assert.match(String(error?.error.code), /Offline|Unreachable/);
    assert.equal(error?.iotexplorer.action, 'AppControlDeviceData');
  });

  for (const [label, payload, code] of [
    ['no data', undefined, 'IOTX_MISSING_FIELD'],
    ['an empty object', {}, 'IOTX_MISSING_FIELD'],
    ['an array', [1], 'IOTX_INVALID_DATA'],
    ['text that is not JSON', 'on', 'IOTX_INVALID_DATA'],
  ] as const) {
    it(`refuses ${label} with ${code}`, async function () {
      await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-control', LAMP));
      const { error } = await call({ payload });
      assert.equal(error?.error.code, code);
      assert.equal(controls().length, 0);
    });
  }
});
