import assert from 'node:assert/strict';
import type { Simulator } from '../../simulator';
import {
  LIGHT,
  call,
  collectOutcomes,
  deviceFlow,
  helper,
  load,
  useRuntimeAndSimulator,
} from '../support/runtime';

const lampOf = (sim: Simulator) =>
  sim.model.requireDevice(LIGHT.productId, LIGHT.deviceName).properties;

describe('iot-explorer-scene in a Node-RED runtime', function () {
  let sim: Simulator;

  // Scene delays at 1/100 of real time, so "good night" (a 2 s pause) takes 20 ms.
  useRuntimeAndSimulator((started) => (sim = started), { sceneDelayScale: 0.01 });

  const runs = () =>
    sim.requests
      .filter((r) => r.action === 'AppRunScene')
      .map((r) => r.body as Record<string, unknown>);

  it('runs the picked scene: the devices change, and the message goes on with action, sceneId and requestId', async function () {
    sim.setDeviceProperty(LIGHT.productId, LIGHT.deviceName, 'power_switch', 0);
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-scene', {
        sceneId: 'scene_movie',
        sceneName: '观影 Movie time',
      }),
    );
    const { output, error } = await call({ topic: 'evening', payload: 42 });
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    assert.equal(output?.topic, 'evening');
    assert.equal(output?.payload, 42);
    assert.deepEqual(Object.keys(output?.iotexplorer).sort(), ['action', 'requestId', 'sceneId']);
    assert.equal(output?.iotexplorer.action, 'AppRunScene');
    assert.equal(output?.iotexplorer.sceneId, 'scene_movie');
    const [sent] = runs();
    assert.equal(sent.SceneId, 'scene_movie');
    assert.equal(output?.iotexplorer.requestId, sent.RequestId);
    // The scene's one step: the living lamp on, dimmed to 20, blue.
    assert.equal(lampOf(sim).power_switch.Value, 1);
    assert.equal(lampOf(sim).brightness.Value, 20);
    assert.equal(lampOf(sim).color.Value, 2);
  });

  it('takes msg.sceneId when the node names no scene', async function () {
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-scene'));
    const { output } = await call({ sceneId: 'scene_movie' });
    assert.equal(output?.iotexplorer.sceneId, 'scene_movie');
    assert.equal(runs()[0].SceneId, 'scene_movie');
  });

  it('reports a scene that is still running with the API code, as a catch node sees it', async function () {
    // Real-time delays: "good night" pauses 2 s, so a second start finds it running.
    sim.model.scenes.delayScale = 1;
    await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-scene', { sceneId: 'scene_good_night' }));
    const outcomes = collectOutcomes(2);
    helper.getNode('act').receive({ payload: 'first' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    helper.getNode('act').receive({ payload: 'second' });
    const [first, second] = await outcomes;
    assert.equal(first.output?.payload, 'first');
    assert.equal(second.error?.error.code, 'UnsupportedOperation.SceneRunInProgress');
    assert.equal(second.error?.payload, 'second');
    assert.equal(second.error?.iotexplorer.sceneId, 'scene_good_night');
    assert.match(second.error?.iotexplorer.requestId, /\S/);
    assert.match(second.error?.error.message, /still running/);
  });

  it("refuses a scene of another user's family with the API code", async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-scene', { sceneId: 'scene_neighbor_evening' }),
    );
    const { error } = await call({});
    assert.equal(error?.error.code, 'InvalidParameterValue.NoPermission');
  });

  for (const [label, msg, code, named] of [
    ['no scene at all', {}, 'IOTX_MISSING_FIELD', /SceneId.*msg\.sceneId/],
    ['an empty msg.sceneId', { sceneId: '  ' }, 'IOTX_MISSING_FIELD', /SceneId/],
    [
      'a number',
      { sceneId: 12 },
      'IOTX_INVALID_FIELD',
      /SceneId must be a non-empty string, got a number/,
    ],
    ['an object', { sceneId: { id: 'scene_movie' } }, 'IOTX_INVALID_FIELD', /SceneId .*an object/],
  ] as const) {
    it(`refuses ${label} with ${code} before sending anything`, async function () {
      await load(deviceFlow(sim.tokenapiUrl, 'iot-explorer-scene'));
      const { error } = await call(msg);
      assert.equal(error?.error.code, code);
      assert.match(error?.error.message, named);
      assert.equal(runs().length, 0);
      // The node keeps working.
      const again = await call({ sceneId: 'scene_movie' });
      assert.equal(again.output?.iotexplorer.sceneId, 'scene_movie');
    });
  }
});
