import assert from 'node:assert/strict';
import { ApiClient, MAX_STATUS_DEVICE_IDS } from '../../lib/api/client';
import { IotExplorerError } from '../../lib/errors/errors';
import { startSimulator, type Simulator } from '../../simulator';

describe('ApiClient device calls against the simulator', function () {
  let sim: Simulator;
  let client: ApiClient;

  beforeEach(async function () {
    sim = await startSimulator();
    client = new ApiClient({
      endpoint: sim.tokenapiUrl,
      timeoutMs: 5000,
      tokenSource: { getToken: () => 'demo-access-token' },
    });
  });
  afterEach(async function () {
    client.close();
    await sim.close();
  });

  const sent = (action: string) =>
    sim.requests.filter((r) => r.action === action).map((r) => r.body as Record<string, unknown>);

  it('asks for statuses in batches of at most 1000 ids and merges the answers', async function () {
    // 2500 ids: the fixture's devices at the start, middle and end, unknown ones between.
    const ids = Array.from({ length: 2500 }, (_, i) => `NOPRODUCT1/dev_${i}`);
    ids[0] = 'LIGHT0A1B2/living_lamp';
    ids[1500] = 'LIGHT0A1B2/bedroom_lamp';
    ids[2499] = 'LOCK0C3D4E/front_door';
    const result = await client.getDeviceStatuses(ids);
    const batches = sent('AppGetDeviceStatuses').map((b) => b.DeviceIds as string[]);
    assert.deepEqual(
      batches.map((b) => b.length),
      [1000, 1000, 500],
    );
    assert.ok(batches.every((b) => b.length <= MAX_STATUS_DEVICE_IDS));
    assert.deepEqual(batches.flat(), ids);
    assert.equal(result.requestIds.length, 3);
    assert.deepEqual(
      result.statuses.map((s) => [s.deviceId, s.online]),
      [
        ['LIGHT0A1B2/living_lamp', true],
        ['LIGHT0A1B2/bedroom_lamp', false],
        ['LOCK0C3D4E/front_door', true],
      ],
    );
  });

  it('reads Online 1 as online in both envelopes, and follows a device going offline', async function () {
    for (const envelope of ['response', 'wrapper'] as const) {
      sim.envelope = envelope;
      sim.setDeviceOnline('LIGHT0A1B2', 'living_lamp', true);
      let [status] = (await client.getDeviceStatuses(['LIGHT0A1B2/living_lamp'])).statuses;
      assert.equal(status.online, true);
      assert.equal(status.productId, 'LIGHT0A1B2');
      assert.equal(status.deviceName, 'living_lamp');
      sim.setDeviceOnline('LIGHT0A1B2', 'living_lamp', false);
      [status] = (await client.getDeviceStatuses(['LIGHT0A1B2/living_lamp'])).statuses;
      assert.equal(status.online, false);
    }
  });

  it('reads property values with their LastUpdate times', async function () {
    const before = Date.now();
    sim.setDeviceProperty('LIGHT0A1B2', 'living_lamp', 'brightness', 42);
    const { properties, requestId } = await client.getDeviceData({
      productId: 'LIGHT0A1B2',
      deviceName: 'living_lamp',
    });
    assert.equal(requestId, sent('AppGetDeviceData')[0].RequestId);
    assert.equal(properties.brightness.value, 42);
    assert.ok(properties.brightness.lastUpdate! >= before);
    assert.equal(properties.name.value, '客厅');
  });

  it('calls an action asynchronously: Sent, a ClientToken, no output; the device acts later', async function () {
    const result = await client.callDeviceActionAsync({
      productId: 'LOCK0C3D4E',
      deviceName: 'front_door',
      actionId: 'unlock',
      inputParams: '{"userid":"alice"}',
    });
    assert.equal(result.status, 'Sent');
    assert.match(result.clientToken, /^[0-9a-f]{32}$/);
    assert.equal(result.outputParams, null);
    for (let i = 0; i < 100 && sim.actionCalls.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(sim.actionCalls[0]?.mode, 'async');
  });

  it('reports an async call to an offline device as an error', async function () {
    await assert.rejects(
      client.callDeviceActionAsync({
        productId: 'LIGHT0A1B2',
        deviceName: 'bedroom_lamp',
        actionId: 'light_blink',
      }),
      (err: IotExplorerError) => err.code === 'FailedOperation.ActionUnreachable',
    );
  });

  it('fetches a data template once for concurrent callers and keeps it', async function () {
    const [a, b] = await Promise.all([
      client.templates.get('LIGHT0A1B2'),
      client.templates.get('LIGHT0A1B2'),
    ]);
    assert.ok(a);
    assert.equal(a, b);
    assert.ok(a.properties.some((p) => p.id === 'power_switch'));
    assert.equal(await client.templates.get('LIGHT0A1B2'), a);
    assert.equal(sent('AppGetProducts').length, 1);
    assert.deepEqual(sent('AppGetProducts')[0].ProductIds, ['LIGHT0A1B2']);
  });

  it('gives no template (rather than an error) when it cannot be fetched', async function () {
    sim.setFault({ kind: 'http5xx', action: 'AppGetProducts' });
    assert.equal(await client.templates.get('LIGHT0A1B2'), undefined);
    assert.equal(await client.templates.get('NOSUCHPROD'), undefined);
  });

  it('lets a caller stop waiting for a template', async function () {
    sim.setFault({ kind: 'latency', action: 'AppGetProducts', latencyMs: 2000 });
    const controller = new AbortController();
    const pending = client.templates.get('LIGHT0A1B2', { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, (err: IotExplorerError) => err.code === 'IOTX_CLOSED');
  });
});
