import assert from 'node:assert/strict';
import type { Simulator } from '../../simulator';
import { LIGHT, call, deviceFlow, load, useRuntimeAndSimulator } from '../support/runtime';

const LAMP = { productId: LIGHT.productId, deviceName: LIGHT.deviceName };

describe('iot-explorer-state in a Node-RED runtime', function () {
  let sim: Simulator;

  useRuntimeAndSimulator((started) => (sim = started));

  it('puts the property values in msg.payload and their times in msg.iotexplorer.lastUpdate', async function () {
    const before = Date.now();
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'brightness', 55);
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-state', LAMP));
    const { output, error } = await call({ topic: 'read', payload: 'x' });
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    assert.equal(output?.topic, 'read');
    assert.deepEqual(output?.payload, { power_switch: 1, brightness: 55, color: 0, name: '客厅' });
    const info = output?.iotexplorer;
    assert.equal(info.action, 'AppGetDeviceData');
    assert.equal(info.productId, LAMP.productId);
    assert.deepEqual(Object.keys(info.lastUpdate).sort(), [
      'brightness',
      'color',
      'name',
      'power_switch',
    ]);
    assert.ok(info.lastUpdate.brightness >= before);
    assert.ok(info.lastUpdate.power_switch <= info.lastUpdate.brightness);
    const sent = sim.requests.find((r) => r.action === 'AppGetDeviceData')!.body as Record<
      string,
      unknown
    >;
    assert.equal(info.requestId, sent.RequestId);
    assert.equal(sent.ProductId, LAMP.productId);
  });

  it('keeps only the listed properties, skipping ones the device never reported', async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-state', {
        ...LAMP,
        properties: 'power_switch, brightness nothing_here',
      }),
    );
    const { output } = await call({});
    assert.deepEqual(output?.payload, { power_switch: 1, brightness: 80 });
    assert.deepEqual(Object.keys(output?.iotexplorer.lastUpdate).sort(), [
      'brightness',
      'power_switch',
    ]);
  });

  it('reads back what a control changed (the device from msg)', async function () {
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-state'));
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'power_switch', 0);
    const { output } = await call({ ...LAMP });
    assert.equal(output?.payload.power_switch, 0);
  });

  it('reports a device the user has not bound with the API code', async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-state', {
        productId: 'LIGHT0A1B2',
        deviceName: 'neighbor_lamp',
      }),
    );
    const { error } = await call({});
    assert.equal(error?.error.code, 'ResourceNotFound.DeviceNotBind');
    assert.equal(error?.iotexplorer.deviceName, 'neighbor_lamp');
  });

  it('refuses a message without a device', async function () {
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-state'));
    const { error } = await call({ productId: LAMP.productId });
    assert.equal(error?.error.code, 'IOTX_MISSING_FIELD');
    assert.match(error?.error.message, /DeviceName/);
  });
});
