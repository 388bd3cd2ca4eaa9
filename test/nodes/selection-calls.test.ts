// Control and call action on a selection, in a Node-RED runtime against the simulator on
// 127.0.0.1 (the home fixture: three families, a bedroom with two lamps, one offline, devices
// shared from another user): one message with each device's result, a partial failure as one
// coded done(err), a selection matching nothing or too much as a coded error, devices lacking
// the property or action skipped and listed, a device added to the room included without a
// redeploy, and a redeploy during a selection call.
import assert from 'node:assert/strict';
import { getAccount } from '../../lib/account/account';
import type { DeviceResult, SkippedDevice } from '../../lib/node/selection';
import type { DeviceRecord } from '../../lib/shared/home';
import type { Simulator } from '../../simulator';
import { trackDone } from '../support/done-tracker';
import { FAST_PUSH_SETTINGS, until } from '../support/push';
import {
  call,
  collectOutcomes,
  deviceFlow,
  helper,
  load,
  useRuntimeAndSimulator,
} from '../support/runtime';

async function simHome(sim: Simulator, path: string, body: unknown, method = 'POST') {
  const res = await fetch(`${sim.url}/_sim/home${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: method === 'DELETE' ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
}

async function powerOf(sim: Simulator, productId: string, deviceName: string): Promise<unknown> {
  const res = await fetch(`${sim.url}/_sim/devices/${productId}/${deviceName}`);
  assert.ok(res.ok, `device ${productId}/${deviceName}: ${res.status}`);
  const device = (await res.json()) as { properties?: Record<string, { Value?: unknown }> };
  return device.properties?.power_switch?.Value;
}

function countDone(node: Parameters<typeof trackDone>[0]): () => number {
  const records = trackDone(node);
  return () => [...records.values()].reduce((sum, record) => sum + record.count, 0);
}

const ids = (results: { deviceId: string }[]) => results.map((r) => r.deviceId).sort();

describe('control and call action on a selection, in a Node-RED runtime', function () {
  this.timeout(30_000);
  let sim: Simulator;
  useRuntimeAndSimulator((started) => (sim = started), { fixture: 'home' }, FAST_PUSH_SETTINGS);

  const selectionFlow = (
    type: 'iot-explorer-control' | 'iot-explorer-action',
    selectionFilter: Record<string, unknown>,
    props: Record<string, unknown> = {},
    account: Record<string, unknown> = {},
  ) =>
    deviceFlow(
      sim.tokenapiUrl,
      type,
      { version: 2, selection: 'filter', selectionFilter, ...props },
      { homeRefreshMinutes: 60, ...account },
    );

  it('"all the lamps in the bedroom off" is one message through control with a room filter', async function () {
    await load(
      selectionFlow(
        'iot-explorer-control',
        { familyId: 'f_demo_home', roomId: 'r_bedroom', productId: 'LIGHT0A1B2', online: true },
        { data: '{"power_switch":0}', dataType: 'json' },
      ),
    );
    assert.equal(await powerOf(sim, 'LIGHT0A1B2', 'bedroom_ceiling'), 1);
    const outcomes = collectOutcomes(1);
    helper.getNode('act').receive({ payload: 'midnight' });
    const [{ output, error }] = await outcomes;
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    const results = output!.payload as DeviceResult[];
    assert.deepEqual(ids(results), ['LIGHT0A1B2/bedroom_ceiling']);
    assert.equal(results[0].ok, true);
    assert.deepEqual(results[0].payload, { power_switch: 0 });
    assert.equal(typeof results[0].requestId, 'string');
    assert.equal(results[0].device.alias, '卧室吸顶灯');
    assert.equal(results[0].device.roomId, 'r_bedroom');
    assert.deepEqual(output!.iotexplorer.selection, {
      mode: 'filter',
      filter: {
        familyId: 'f_demo_home',
        roomId: 'r_bedroom',
        productId: 'LIGHT0A1B2',
        online: true,
      },
    });
    assert.equal(output!.iotexplorer.count, 1);
    assert.equal(output!.iotexplorer.failed, 0);
    assert.deepEqual(output!.iotexplorer.skipped, []);
    assert.equal(await powerOf(sim, 'LIGHT0A1B2', 'bedroom_ceiling'), 0);
  });

  it('call action on a product filter with an offline device: IOTX_PARTIAL_FAILURE once, each device’s result on the message', async function () {
    await load(
      selectionFlow(
        'iot-explorer-action',
        { familyId: 'f_demo_home', productId: 'LIGHT0A1B2' },
        { actionId: 'light_blink', inputParams: '{}', inputParamsType: 'json' },
      ),
    );
    const node = helper.getNode('act');
    const dones = countDone(node);
    const outcomes = collectOutcomes(1);
    node.receive({ payload: null });
    const [{ output, error }] = await outcomes;
    assert.equal(output, undefined);
    assert.equal(error!.error.code, 'IOTX_PARTIAL_FAILURE');
    assert.match(error!.error.message, /1 of 5 devices failed/);
    const results = error!.payload as DeviceResult[];
    assert.deepEqual(ids(results), [
      'LIGHT0A1B2/bedroom_ceiling',
      'LIGHT0A1B2/bedroom_lamp',
      'LIGHT0A1B2/hall_lamp',
      'LIGHT0A1B2/living_lamp',
      'LIGHT0A1B2/study_lamp',
    ]);
    const offline = results.find((r) => r.deviceId === 'LIGHT0A1B2/bedroom_lamp')!;
    assert.equal(offline.ok, false);
    assert.equal(typeof offline.error?.code, 'string');
    assert.notEqual(offline.error?.code, 'IOTX_PARTIAL_FAILURE');
    assert.ok(offline.error!.message.length > 0);
    for (const result of results.filter((r) => r.deviceId !== offline.deviceId)) {
      assert.equal(result.ok, true, result.deviceId);
      assert.equal(result.error, undefined);
      assert.equal(typeof result.requestId, 'string');
    }
    assert.equal(error!.iotexplorer.failed, 1);
    assert.equal(error!.iotexplorer.count, 5);
    // done(err) once, and no second outcome
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(dones(), 1);
  });

  it('a selection matching nothing is IOTX_NO_MATCH, and nothing is sent', async function () {
    await load(
      selectionFlow(
        'iot-explorer-control',
        { familyId: 'f_demo_home', roomId: 'r_no_such_room' },
        { data: '{"power_switch":0}', dataType: 'json' },
      ),
    );
    const { output, error } = await call({});
    assert.equal(output, undefined);
    assert.equal(error!.error.code, 'IOTX_NO_MATCH');
    assert.match(error!.error.message, /r_no_such_room/);
    assert.equal(sim.httpCallsByAction.AppControlDeviceData ?? 0, 0, 'nothing was sent');
  });

  it('a selection over the account’s maxSelection is IOTX_SELECTION_TOO_LARGE naming the max, nothing sent', async function () {
    await load(
      selectionFlow(
        'iot-explorer-control',
        { productId: 'LIGHT0A1B2' },
        { data: '{"power_switch":1}', dataType: 'json' },
        { maxSelection: 3 },
      ),
    );
    const before = await powerOf(sim, 'LIGHT0A1B2', 'hall_lamp');
    const { output, error } = await call({});
    assert.equal(output, undefined);
    assert.equal(error!.error.code, 'IOTX_SELECTION_TOO_LARGE');
    assert.match(error!.error.message, /more than the 3 /);
    assert.equal(await powerOf(sim, 'LIGHT0A1B2', 'hall_lamp'), before);
  });

  it('skips and lists the devices lacking the property, and acts on the rest', async function () {
    await load(
      selectionFlow(
        'iot-explorer-control',
        { familyId: 'f_demo_home', roomId: 'r_living' },
        { data: '{"power_switch":0}', dataType: 'json' },
      ),
    );
    const { output, error } = await call({});
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    assert.deepEqual(ids(output!.payload as DeviceResult[]), ['LIGHT0A1B2/living_lamp']);
    const skipped = output!.iotexplorer.skipped as SkippedDevice[];
    assert.deepEqual(ids(skipped), ['THSNS7J8K9/living_sensor']);
    assert.match(skipped[0].reason.message, /power_switch/);
    assert.equal(skipped[0].device.roomId, 'r_living');
  });

  it('skips and lists the devices lacking the action; all skipped is IOTX_NO_MATCH', async function () {
    await load(
      selectionFlow(
        'iot-explorer-action',
        { familyId: 'f_demo_home', roomId: 'r_hall' },
        { actionId: 'light_blink', inputParams: '{}', inputParamsType: 'json' },
      ),
    );
    const first = await call({});
    assert.equal(first.error, undefined, first.error && JSON.stringify(first.error.error));
    assert.deepEqual(ids(first.output!.payload as DeviceResult[]), ['LIGHT0A1B2/hall_lamp']);
    assert.deepEqual(ids(first.output!.iotexplorer.skipped as SkippedDevice[]), [
      'DOORBL1M2N/front_bell',
      'LOCK0C3D4E/front_door',
    ]);
  });

  it('a selection whose every device lacks the action is IOTX_NO_MATCH, the skipped listed', async function () {
    await load(
      selectionFlow(
        'iot-explorer-action',
        { familyId: 'f_demo_home', roomId: 'r_hall' },
        { actionId: 'no_such_action', inputParams: '{}', inputParamsType: 'json' },
      ),
    );
    const { output, error } = await call({});
    assert.equal(output, undefined);
    assert.equal(error!.error.code, 'IOTX_NO_MATCH');
    assert.equal((error!.iotexplorer.skipped as SkippedDevice[]).length, 3);
    assert.deepEqual(error!.payload, []);
  });

  it('includes a device added to the room later, without a redeploy', async function () {
    await load([
      ...selectionFlow(
        'iot-explorer-control',
        { familyId: 'f_demo_home', roomId: 'r_study', productId: 'LIGHT0A1B2' },
        { data: '{"power_switch":1}', dataType: 'json' },
      ),
      { id: 'home', type: 'iot-explorer-home', z: 'tab', account: 'acc', wires: [[]] },
    ]);
    const first = await call({});
    assert.deepEqual(ids(first.output!.payload as DeviceResult[]), ['LIGHT0A1B2/study_lamp']);
    await simHome(sim, '/devices/LIGHT0A1B2/hall_lamp', { RoomId: 'r_study' });
    // The account's home is read again (the schedule, or as here a home node asking).
    const refreshed = new Promise<void>((resolve) => {
      helper.getNode('home').once('input', () => setTimeout(resolve, 300));
    });
    helper.getNode('home').receive({ refresh: true });
    await refreshed;
    const second = await call({});
    assert.deepEqual(ids(second.output!.payload as DeviceResult[]), [
      'LIGHT0A1B2/hall_lamp',
      'LIGHT0A1B2/study_lamp',
    ]);
    assert.equal(await powerOf(sim, 'LIGHT0A1B2', 'hall_lamp'), 1);
  });

  it('controls and calls a device shared with the user like an owned one', async function () {
    await load(
      selectionFlow(
        'iot-explorer-action',
        { shared: true, productId: 'LIGHT0A1B2' },
        { actionId: 'light_blink', inputParams: '{}', inputParamsType: 'json' },
      ),
    );
    const { output, error } = await call({});
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    const [result] = output!.payload as DeviceResult[];
    assert.equal(result.deviceId, 'LIGHT0A1B2/shared_lamp');
    assert.equal(result.ok, true);
    assert.equal(result.device.shared, true);
  });

  it('a filter selection with an empty filter is a configuration error on the status and through done(err)', async function () {
    await load(
      selectionFlow('iot-explorer-control', {}, { data: '{"power_switch":0}', dataType: 'json' }),
    );
    const { output, error } = await call({});
    assert.equal(output, undefined);
    assert.equal(error!.error.code, 'IOTX_INVALID_FIELD');
    assert.match(error!.error.message, /sets no field/);
  });

  it('a redeploy during a selection call ends it: no done twice, nothing sent after', async function () {
    await load(
      selectionFlow(
        'iot-explorer-action',
        { productId: 'LIGHT0A1B2' },
        { actionId: 'light_blink', inputParams: '{}', inputParamsType: 'json' },
      ),
    );
    const node = helper.getNode('act');
    const dones = countDone(node);
    const out = helper.getNode('out');
    const err = helper.getNode('err');
    let after = 0;
    out.on('input', () => (after += 1));
    err.on('input', () => (after += 1));
    node.receive({});
    await helper.unload();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(dones() <= 1, `done ${dones()} times`);
    assert.equal(after, 0);
  });

  describe('msg.iotexplorer.device on every device node’s messages', function () {
    const lamp = { productId: 'LIGHT0A1B2', deviceName: 'living_lamp' };
    const nodes: [string, Record<string, unknown>][] = [
      ['iot-explorer-state', { ...lamp }],
      ['iot-explorer-status', { ...lamp }],
      ['iot-explorer-control', { ...lamp, data: '{"power_switch":1}', dataType: 'json' }],
      [
        'iot-explorer-action',
        { ...lamp, actionId: 'light_blink', inputParams: '{}', inputParamsType: 'json' },
      ],
      [
        'iot-explorer-history',
        { productId: 'THSNS7J8K9', deviceName: 'living_sensor', property: 'temperature' },
      ],
    ];
    for (const [type, props] of nodes) {
      it(`${type}: ids at once (the call never waits for the home), then alias and room (Device names: read the home once)`, async function () {
        // The account's default: its home is read once, in the background, for the names.
        const flow = deviceFlow(sim.tokenapiUrl, type, props, {
          homeRefreshMinutes: 60,
          deviceNames: undefined,
        });
        await load(flow);
        const id = `${String(props.productId)}/${String(props.deviceName)}`;
        const first = await call({});
        assert.equal(first.error, undefined, first.error && JSON.stringify(first.error.error));
        assert.equal(first.output!.iotexplorer.device.deviceId, id);
        // The first call started the home's read in the background: once, for the account.
        await until(() => (sim.httpCallsByAction.AppGetDeviceStatuses ?? 0) >= 1, 'the home read');
        await new Promise((resolve) => setTimeout(resolve, 200));
        const second = await call({});
        const device = second.output!.iotexplorer.device as DeviceRecord;
        assert.equal(device.deviceId, id);
        assert.equal(typeof device.alias, 'string');
        assert.equal(device.roomId, 'r_living');
        assert.equal(device.familyId, 'f_demo_home');
        await call({});
        assert.equal(
          sim.httpCallsByAction.AppGetFamilyList,
          1,
          'the home read once for three calls',
        );
      });
    }

    it('iot-explorer-action: with Device names "ids only", a call never reads the home; names once something does', async function () {
      const [type, props] = nodes[3];
      await load(deviceFlow(sim.tokenapiUrl, type, props, { deviceNames: 'ids' }));
      const id = `${String(props.productId)}/${String(props.deviceName)}`;
      const first = await call({});
      assert.equal(first.error, undefined, first.error && JSON.stringify(first.error.error));
      assert.equal(first.output!.iotexplorer.device.deviceId, id);
      assert.equal(first.output!.iotexplorer.device.alias, null);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(sim.httpCallsByAction.AppGetFamilyList ?? 0, 0);
      // Something else reads the home (as a home node, a selection or the panel would).
      const account = getAccount({ nodes: { getNode: (nodeId) => helper.getNode(nodeId) } }, 'acc');
      assert.ok(account?.home, 'the account has its home');
      await account.home.snapshot();
      const second = await call({});
      const device = second.output!.iotexplorer.device as DeviceRecord;
      assert.equal(device.deviceId, id);
      assert.equal(typeof device.alias, 'string');
      assert.equal(device.roomId, 'r_living');
      assert.equal(sim.httpCallsByAction.AppGetFamilyList, 1);
    });
  });
});
