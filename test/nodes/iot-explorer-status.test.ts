import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import type sinon from 'sinon';
import type { Simulator } from '../../simulator';
import {
  helper,
  LIGHT,
  LOCK,
  OFFLINE_LAMP,
  call,
  deviceFlow,
  load,
  useRuntimeAndSimulator,
} from '../support/runtime';

const LAMP_ID = `${LIGHT.productId}/${LIGHT.deviceName}`;
const OFFLINE_ID = `${OFFLINE_LAMP.productId}/${OFFLINE_LAMP.deviceName}`;
const LOCK_ID = `${LOCK.productId}/${LOCK.deviceName}`;

describe('iot-explorer-status in a Node-RED runtime', function () {
  let sim: Simulator;

  useRuntimeAndSimulator((started) => (sim = started));

  const statusBodies = () =>
    sim.requests
      .filter((r) => r.action === 'AppGetDeviceStatuses')
      .map((r) => r.body as Record<string, unknown>);

  it('gives true for an online device and false once it goes offline', async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-status', {
        productId: LIGHT.productId,
        deviceName: LIGHT.deviceName,
      }),
    );
    const first = await call({ topic: 'lamp' });
    assert.equal(first.error, undefined, first.error && JSON.stringify(first.error.error));
    assert.equal(first.output?.payload, true);
    assert.equal(first.output?.topic, 'lamp');
    assert.equal(first.output?.iotexplorer.action, 'AppGetDeviceStatuses');
    assert.equal(first.output?.iotexplorer.requestId, statusBodies()[0].RequestId);
    assert.deepEqual(statusBodies()[0].DeviceIds, [LAMP_ID]);
    sim.setDeviceOnline(LIGHT.productId, LIGHT.deviceName, false);
    const second = await call({});
    assert.equal(second.output?.payload, false);
  });

  it('answers for many devices from msg.deviceIds, listing the ones the API left out', async function () {
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-status'));
    const { output, error } = await call({
      deviceIds: [
        LAMP_ID,
        { productId: OFFLINE_LAMP.productId, deviceName: OFFLINE_LAMP.deviceName },
        LOCK_ID,
        'LIGHT0A1B2/neighbor_lamp',
        LAMP_ID,
      ],
    });
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    assert.deepEqual(output?.payload, { [LAMP_ID]: true, [OFFLINE_ID]: false, [LOCK_ID]: true });
    assert.deepEqual(output?.iotexplorer.missing, ['LIGHT0A1B2/neighbor_lamp']);
    assert.equal(output?.iotexplorer.devices.length, 3);
    // Repeats are sent once.
    assert.equal((statusBodies()[0].DeviceIds as string[]).length, 4);
  });

  it('batches more than 1000 devices into several calls', async function () {
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-status'));
    const ids = Array.from({ length: 1001 }, (_, i) => `NOPRODUCT1/d${i}`);
    ids[1000] = LOCK_ID;
    const { output } = await call({ deviceIds: ids });
    assert.deepEqual(output?.payload, { [LOCK_ID]: true });
    assert.equal(output?.iotexplorer.requestIds.length, 2);
    assert.deepEqual(
      statusBodies().map((b) => (b.DeviceIds as string[]).length),
      [1000, 1],
    );
  });

  it('refuses a malformed device list, naming the bad item', async function () {
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-status'));
    const { error } = await call({ deviceIds: [LAMP_ID, 'no-slash'] });
    assert.equal(error?.error.code, 'IOTX_INVALID_FIELD');
    assert.match(error?.error.message, /msg\.deviceIds.*1/);
    assert.equal(statusBodies().length, 0);
  });

  describe("the node's own device list", function () {
    const LIST = [
      { productId: LIGHT.productId, deviceName: LIGHT.deviceName },
      { productId: OFFLINE_LAMP.productId, deviceName: OFFLINE_LAMP.deviceName },
      { productId: LOCK.productId, deviceName: LOCK.deviceName },
    ];

    it('asks about the listed devices when the fields are blank', async function () {
      await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-status', { devices: LIST }));
      const { output, error } = await call({ topic: 'check' });
      assert.equal(error, undefined, error && JSON.stringify(error.error));
      assert.deepEqual(output?.payload, { [LAMP_ID]: true, [OFFLINE_ID]: false, [LOCK_ID]: true });
      assert.deepEqual(output?.iotexplorer.missing, []);
      assert.deepEqual(statusBodies()[0].DeviceIds, [LAMP_ID, OFFLINE_ID, LOCK_ID]);
    });

    it('takes precedence over msg.deviceIds, with one warning per node', async function () {
      await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-status', { devices: LIST }));
      const act = helper.getNode('act') as Node & { warn: sinon.SinonSpy };
      const first = await call({ deviceIds: [LAMP_ID] });
      await call({ deviceIds: [LAMP_ID] });
      assert.equal(Object.keys(first.output?.payload as object).length, 3);
      const warnings = act.warn.getCalls().map((c) => String(c.args[0]));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /overridden/);
    });

    it('gives way to the ProductId and DeviceName fields', async function () {
      await load(
        deviceFlow(sim.tokenapiUrl, 'iot-explorer-status', {
          productId: LOCK.productId,
          deviceName: LOCK.deviceName,
          devices: LIST,
        }),
      );
      const { output } = await call({});
      assert.equal(output?.payload, true);
      assert.deepEqual(statusBodies()[0].DeviceIds, [LOCK_ID]);
    });

    it('refuses a hand-edited entry that names no device, naming the list', async function () {
      await load(
        deviceFlow(sim.tokenapiUrl, 'iot-explorer-status', { devices: [LAMP_ID, 'lamp'] }),
      );
      const { error } = await call({});
      assert.equal(error?.error.code, 'IOTX_INVALID_FIELD');
      assert.match(error?.error.message, /devices.*1/);
      assert.equal(statusBodies().length, 0);
    });
  });

  it('reports one device the API does not know as not found', async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-status', {
        productId: 'LIGHT0A1B2',
        deviceName: 'neighbor_lamp',
      }),
    );
    const { error } = await call({});
    assert.equal(error?.error.code, 'ResourceNotFound.DeviceNotExist');
  });
});
