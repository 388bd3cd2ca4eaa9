import assert from 'node:assert/strict';
import type { Simulator } from '../../simulator';
import { AUTOMATION_STATUS } from '../../lib/api/scenes';
import { call, deviceFlow, helper, load, useRuntimeAndSimulator } from '../support/runtime';

describe('iot-explorer-automation in a Node-RED runtime', function () {
  let sim: Simulator;

  useRuntimeAndSimulator((started) => (sim = started));

  const switches = () =>
    sim.requests
      .filter((r) => r.action === 'AppModifyAutomationStatus')
      .map((r) => r.body as Record<string, unknown>);
  const enabledInModel = (id: string) => sim.model.automations.get(id)?.enabled;

  it('switches an automation off and on as msg.payload says, sending the doc reading of Status', async function () {
    assert.equal(enabledInModel('auto_hall_sunset'), true);
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-automation', { automationId: 'auto_hall_sunset' }),
    );
    const off = await call({ topic: 'holiday', payload: false });
    assert.equal(off.error, undefined, off.error && JSON.stringify(off.error.error));
    assert.equal(off.output?.payload, false);
    assert.equal(off.output?.topic, 'holiday');
    assert.deepEqual(off.output?.iotexplorer, {
      action: 'AppModifyAutomationStatus',
      automationId: 'auto_hall_sunset',
      enabled: false,
      requestId: switches()[0].RequestId,
    });
    assert.equal(enabledInModel('auto_hall_sunset'), false);

    const on = await call({ payload: 'on' });
    assert.equal(on.output?.payload, true);
    assert.equal(enabledInModel('auto_hall_sunset'), true);
    // The doc (1081/50220): 0 = off, 1 = on; the simulator models the same reading.
    assert.deepEqual(
      switches().map((s) => s.Status),
      [0, 1],
    );
    assert.deepEqual(AUTOMATION_STATUS, { off: 0, on: 1 });
  });

  it("switches to the editor's choice whatever msg.payload holds", async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-automation', {
        automationId: 'auto_away_mode',
        state: 'on',
      }),
    );
    const { output } = await call({ payload: 1700000000000 });
    assert.equal(output?.payload, true);
    assert.equal(enabledInModel('auto_away_mode'), true);
  });

  it('lists the family with each automation on or off as a boolean, never the raw number', async function () {
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-automation', { operation: 'list' }));
    sim.model.automations.get('auto_door_hall_light')!.enabled = false;
    const { output, error } = await call({ familyId: 'f_demo_home' });
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    const listed = output?.payload as Array<Record<string, unknown>>;
    assert.deepEqual(
      listed.map((a) => [a.automationId, a.enabled]),
      [
        ['auto_hall_sunset', true],
        ['auto_away_mode', false],
        ['auto_door_hall_light', false],
      ],
    );
    for (const a of listed) {
      assert.deepEqual(Object.keys(a).sort(), ['automationId', 'enabled', 'icon', 'name']);
    }
    assert.equal(listed[0].name, '日落开灯 Hall light at sunset');
    assert.equal(output?.iotexplorer.action, 'AppGetAutomationList');
    assert.equal(output?.iotexplorer.familyId, 'f_demo_home');
  });

  it('reads back what it switched', async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-automation', {
        automationId: 'auto_hall_sunset',
        state: 'off',
      }),
    );
    await call({});
    await helper.unload();
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-automation', {
        operation: 'list',
        familyId: 'f_demo_home',
      }),
    );
    const { output } = await call({});
    const hall = (output?.payload as Array<Record<string, unknown>>).find(
      (a) => a.automationId === 'auto_hall_sunset',
    );
    assert.equal(hall?.enabled, false);
  });

  for (const [label, msg, code, named] of [
    ['a number in msg.payload', { payload: 1 }, 'IOTX_INVALID_FIELD', /true or false.*a number/],
    ['a word it does not know', { payload: 'maybe' }, 'IOTX_INVALID_FIELD', /"maybe"/],
    ['no payload', {}, 'IOTX_INVALID_FIELD', /undefined/],
  ] as const) {
    it(`refuses ${label} with ${code} before sending anything`, async function () {
      await load(
        deviceFlow(sim.tokenapiUrl, 'iot-explorer-automation', {
          automationId: 'auto_hall_sunset',
        }),
      );
      const { error } = await call(msg);
      assert.equal(error?.error.code, code);
      assert.match(error?.error.message, named);
      assert.equal(switches().length, 0);
      assert.equal(enabledInModel('auto_hall_sunset'), true);
    });
  }

  for (const [label, props, msg, code, named] of [
    [
      'no automation',
      {},
      { payload: true },
      'IOTX_MISSING_FIELD',
      /AutomationId.*msg\.automationId/,
    ],
    [
      'a number as the automation',
      {},
      { payload: true, automationId: 7 },
      'IOTX_INVALID_FIELD',
      /AutomationId must be a non-empty string, got a number/,
    ],
    [
      'no family to list',
      { operation: 'list' },
      {},
      'IOTX_MISSING_FIELD',
      /FamilyId.*msg\.familyId/,
    ],
  ] as const) {
    it(`refuses ${label} with ${code} before sending anything`, async function () {
      await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-automation', props));
      const { error } = await call(msg);
      assert.equal(error?.error.code, code);
      assert.match(error?.error.message, named);
      assert.equal(sim.requests.filter((r) => r.action?.includes('Automation')).length, 0);
    });
  }

  it("refuses an automation of another user's family with the API code", async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-automation', {
        automationId: 'auto_neighbor_morning',
        state: 'off',
      }),
    );
    const { error } = await call({});
    assert.match(String(error?.error.code), /NoPermission/);
    assert.equal(enabledInModel('auto_neighbor_morning'), true);
  });
});
