// Example 15 ("All the lamps off at midnight") against the simulator's home fixture in a
// Node-RED runtime: nothing fires on deploy; at midnight (its inject node) every lamp of the
// product is switched off in one message, and the offline lamp is one partial failure to the
// catch node, with each lamp's result.
import assert from 'node:assert/strict';
import type { DeviceResult } from '../../lib/node/selection';
import type { Simulator } from '../../simulator';
import { exampleFlow, exampleNodes, named, nextOn } from '../support/examples';
import { FAST_PUSH_SETTINGS } from '../support/push';
import { NODES, coreNode, credentials, helper, useRuntimeAndSimulator } from '../support/runtime';

const CORE = ['common/20-inject.js', 'common/25-catch.js'].map(coreNode);

describe('example 15, all the lamps off at midnight, against the simulator', function () {
  this.timeout(30_000);
  let sim: Simulator;
  useRuntimeAndSimulator((started) => (sim = started), { fixture: 'home' }, FAST_PUSH_SETTINGS);

  it('does nothing on deploy; at midnight switches every lamp off in one message', async function () {
    const file = '14 - All the lamps off at midnight.json';
    const inject = exampleNodes(file).find((n) => n.type === 'inject')!;
    assert.equal(inject.crontab, '00 00 * * *');
    assert.equal(inject.once, false);
    const flow = exampleFlow(file, sim.tokenapiUrl);
    await helper.load([...NODES, ...CORE], flow, credentials());
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(sim.httpCallsByAction.AppControlDeviceData ?? 0, 0, 'nothing on deploy');

    const caught = nextOn(named(flow, 'helper', 'error code'));
    helper.getNode(named(flow, 'inject', 'midnight')).receive({});
    const msg = await caught;
    // The bedroom's offline lamp fails; the others are off.
    assert.equal(msg.error.code, 'IOTX_PARTIAL_FAILURE');
    const results = msg.payload as DeviceResult[];
    assert.ok(results.length >= 5);
    const failed = results.filter((r) => !r.ok).map((r) => r.deviceId);
    assert.deepEqual(failed, ['LIGHT0A1B2/bedroom_lamp']);
    assert.ok(results.some((r) => r.device.shared));
    const res = await fetch(`${sim.url}/_sim/devices/LIGHT0A1B2/bedroom_ceiling`);
    const lamp = (await res.json()) as { properties: Record<string, { Value: unknown }> };
    assert.equal(lamp.properties.power_switch.Value, 0);
  });
});
