// Flows saved by older versions, loaded into a Node-RED runtime: each node behaves as the
// version that saved it did (nodes/<type>/settings.ts). Other old shapes are run in the node's own
// suite: an action without `mode` (iot-explorer-action), an account without the sign-in and
// expiry settings (account-signin), watch nodes without `mode` (iot-explorer-watch, all polling).
import assert from 'node:assert/strict';
import type { Simulator } from '../../simulator';
import { LIGHT, call, deviceFlow, helper, load, useRuntimeAndSimulator } from '../support/runtime';

const LAMP = { productId: LIGHT.productId, deviceName: LIGHT.deviceName };
const SENSOR = { productId: 'THSNS7J8K9', deviceName: 'living_sensor' };
const DAY = 24 * 3600 * 1000;

describe('flows saved by older versions, in a Node-RED runtime', function () {
  let sim: Simulator;

  useRuntimeAndSimulator((started) => (sim = started));

  it('a control node saved without dataType sends msg.payload, not its stored data', async function () {
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'brightness', 10);
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'color', 0);
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-control', {
        productId: LAMP.productId,
        deviceName: LAMP.deviceName,
        data: '{"color":2}',
      }),
    );
    const { output, error } = await call({ payload: { brightness: 33 } });
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    assert.equal(output?.iotexplorer.data, '{"brightness":33}');
    const lamp = sim.model.requireDevice(LAMP.productId, LAMP.deviceName).properties;
    assert.equal(lamp.brightness.Value, 33);
    assert.equal(lamp.color.Value, 0);
  });

  it('a history node saved without a range reads the last day; saved blank, it wants msg.start', async function () {
    const old = { ...SENSOR, property: 'temperature', rangeUnit: 'hours', output: 'chart' };
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-history', old));
    const { output, error } = await call({});
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    assert.equal(output?.iotexplorer.end - output?.iotexplorer.start, DAY);
    assert.ok((output?.payload as unknown[]).length > 0);

    await helper.unload();
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-history', { ...old, range: '' }));
    const blank = await call({});
    assert.equal(blank.error?.error.code, 'IOTX_MISSING_FIELD');
  });

  it('nodes saved with a version (a number, or the text the dialog saves) run as nodes saved before versions', async function () {
    for (const version of [1, '1']) {
      await load(
        deviceFlow(
          sim.tokenapiUrl,
          'iot-explorer-action',
          { ...LIGHT, version, inputParams: '{"time":7}', inputParamsType: 'json' },
          { version },
        ),
      );
      const { output, error } = await call({ payload: 'ignored' });
      assert.equal(error, undefined, error && JSON.stringify(error.error));
      assert.equal(output?.iotexplorer.action, 'AppCallDeviceActionSync');
      assert.equal(output?.iotexplorer.actionId, LIGHT.actionId);
      await helper.unload();
    }
  });
});
