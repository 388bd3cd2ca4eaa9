import assert from 'node:assert/strict';
import type { Simulator } from '../../simulator';
import {
  NODES,
  coreNode,
  credentials,
  helper,
  FAST_WATCH_SETTINGS,
  useRuntimeAndSimulator,
} from '../support/runtime';
import { exampleFlow, exampleNodes, named, nextOn, type Msg } from '../support/examples';
import { FAST_PUSH_SETTINGS, until } from '../support/push';

const CORE = [
  'common/20-inject.js',
  'common/25-catch.js',
  'function/10-switch.js',
  'function/15-change.js',
  'function/89-delay.js',
].map(coreNode);

describe('the example flows, run against the simulator', function () {
  let sim: Simulator;

  useRuntimeAndSimulator(
    (started) => (sim = started),
    {},
    { ...FAST_WATCH_SETTINGS, ...FAST_PUSH_SETTINGS },
  );

  it('05: switches the lamp on and reads it back; refuses a brightness out of range', async function () {
    sim.setDeviceProperty('LIGHT0A1B2', 'living_lamp', 'power_switch', 0);
    const flow = exampleFlow('05 - Switch the lamp on at sunset.json', sim.tokenapiUrl);
    await helper.load([...NODES, ...CORE], flow, credentials());
    const lampNow = nextOn(named(flow, 'helper', 'lamp now'));
    helper.getNode(named(flow, 'inject', '19:00 (and at deploy)')).receive({});
    const msg = await lampNow;
    assert.deepEqual(msg.payload, { power_switch: 1, brightness: 70 });
    const refused = nextOn(named(flow, 'helper', 'error code'));
    helper.getNode(named(flow, 'inject', 'brightness 150 (refused)')).receive({});
    assert.equal((await refused).error.code, 'IOTX_INVALID_DATA');
  });

  it('06: alerts when the door is unlocked at night', async function () {
    const flow = exampleFlow('06 - Read the lock at night.json', sim.tokenapiUrl);
    await helper.load([...NODES, ...CORE], flow, credentials());
    const locked = nextOn(named(flow, 'helper', 'door locked'));
    helper.getNode(named(flow, 'inject', 'check now')).receive({});
    assert.equal((await locked).payload.lock_state, 0);
    sim.setDeviceProperty('LOCK0C3D4E', 'front_door', 'lock_state', 1);
    const alert = nextOn(named(flow, 'helper', 'ALERT: door unlocked'));
    helper.getNode(named(flow, 'inject', 'check now')).receive({});
    assert.equal((await alert).payload.lock_state, 1);
  });

  it('07: the watch shows, by push, a lamp switched by the flow and a lamp coming online', async function () {
    const stored = exampleNodes('07 - Watch devices.json');
    assert.equal(stored.find((n) => n.type === 'iot-explorer-watch')?.mode, 'push');
    // The sensor's readings go to the debug node's status only, not to the sidebar.
    const sensor = stored.find((n) => n.type === 'debug' && n.name === 'sensor reading');
    assert.equal(sensor?.tosidebar, false);
    assert.equal(sensor?.tostatus, true);
    const flow = exampleFlow('07 - Watch devices.json', sim.tokenapiUrl);
    await helper.load([...NODES, ...CORE], flow, credentials());
    // Subscribed on the push socket, and the baseline read of each device made.
    await until(
      () =>
        sim.push.connections().some((c) => c.deviceIds.includes('THSNS7J8K9/living_sensor')) &&
        (sim.httpCallsByAction.AppGetDeviceData ?? 0) >= 3,
      'the three devices subscribed and read once',
    );
    const lampChanged = nextOn(named(flow, 'helper', 'lamp changed'));
    helper.getNode(named(flow, 'inject', 'lamp off')).receive({});
    const change = await lampChanged;
    assert.equal(change.topic, 'LIGHT0A1B2/living_lamp/power_switch');
    assert.deepEqual(change.payload, { property: 'power_switch', oldValue: 1, newValue: 0 });
    assert.equal(change.iotexplorer.source, 'push');
    const online = nextOn(named(flow, 'helper', 'online / offline'));
    sim.setDeviceOnline('LIGHT0A1B2', 'bedroom_lamp', true);
    assert.deepEqual((await online).payload, { online: true, was: false });
  });

  it("08: tells who is online, for the node's list of devices and for one", async function () {
    // Saved as the dialog shows it: the node's own list ("Ask about: a list of devices").
    const stored = exampleNodes('08 - Who is online.json');
    const many = stored.find((n) => n.type === 'iot-explorer-status' && n.name === 'who is online');
    assert.equal((many?.devices as unknown[]).length, 4);
    const flow = exampleFlow('08 - Who is online.json', sim.tokenapiUrl);
    await helper.load([...NODES, ...CORE], flow, credentials());
    const map = nextOn(named(flow, 'helper', 'online map'));
    helper.getNode(named(flow, 'inject', 'every 5 min')).receive({});
    assert.deepEqual((await map).payload, {
      'LIGHT0A1B2/living_lamp': true,
      'LIGHT0A1B2/bedroom_lamp': false,
      'LOCK0C3D4E/front_door': true,
      'THSNS7J8K9/living_sensor': true,
    });
    const one = nextOn(named(flow, 'helper', 'door online?'));
    helper.getNode(named(flow, 'inject', 'front door?')).receive({});
    assert.equal((await one).payload, true);
  });

  it('09: a pushed doorbell ring makes the lamp blink; a low-battery alert does not', async function () {
    const stored = exampleNodes('09 - React to the doorbell at once.json');
    const watch = stored.find((n) => n.type === 'iot-explorer-watch');
    assert.equal(watch?.mode, 'push');
    assert.equal(watch?.watchEvents, true);
    const flow = exampleFlow('09 - React to the doorbell at once.json', sim.tokenapiUrl);
    await helper.load([...NODES, ...CORE], flow, credentials());
    await until(
      () => sim.push.connections().some((c) => c.deviceIds.includes('DOORBL1M2N/front_bell')),
      'the doorbell subscribed on the push socket',
    );
    const event = nextOn(named(flow, 'helper', 'doorbell event'));
    const blinked = nextOn(named(flow, 'helper', 'lamp blinked'));
    const calls = sim.actionCalls.length;
    sim.fireEvent('DOORBL1M2N', 'front_bell', 'ring', { button: 1 });
    const ring = await event;
    assert.equal(ring.topic, 'DOORBL1M2N/front_bell/event/ring');
    assert.deepEqual(ring.payload, { eventId: 'ring', type: 'info', params: { button: 1 } });
    assert.equal(ring.iotexplorer.source, 'push');
    const answer = await blinked;
    assert.equal(answer.iotexplorer.status, 'succ');
    const made = sim.actionCalls.slice(calls);
    assert.deepEqual(
      made.map((c) => [c.productId, c.deviceName, c.actionId]),
      [['LIGHT0A1B2', 'living_lamp', 'light_blink']],
    );
    assert.deepEqual(made[0].params, { time: 3, color: 1, total_time: 3 });
    // Another event reaches the sidebar, but blinks nothing.
    const low = nextOn(named(flow, 'helper', 'doorbell event'));
    sim.fireEvent('DOORBL1M2N', 'front_bell', 'low_battery');
    assert.equal((await low).payload.eventId, 'low_battery');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(sim.actionCalls.length, calls + 1);
    // No device read is needed for events: push alone carried them.
    assert.equal(sim.httpCallsByAction.AppGetDeviceData ?? 0, 0);
  });

  it('10: runs the good night scene, reads the lamp back, and routes a scene still running apart', async function () {
    sim.setDeviceProperty('LIGHT0A1B2', 'living_lamp', 'power_switch', 1);
    const flow = exampleFlow('10 - Good night from a button.json', sim.tokenapiUrl);
    await helper.load([...NODES, ...CORE], flow, credentials());
    const started = nextOn(named(flow, 'helper', 'scene started'));
    const lamp = nextOn(named(flow, 'helper', 'lamp after the scene'));
    const running = nextOn(named(flow, 'helper', 'scene still running'));
    const button = helper.getNode(named(flow, 'inject', 'Good night (22:30, or click)'));
    button.receive({});
    const info = (await started).iotexplorer;
    assert.equal(info.action, 'AppRunScene');
    assert.equal(info.sceneId, 'scene_good_night');
    // The scene pauses 2 s: a second click meanwhile finds it running.
    button.receive({});
    assert.match((await running).error.message, /still running/);
    assert.deepEqual((await lamp).payload, { power_switch: 0 });
    const movie = nextOn(named(flow, 'helper', 'scene started'));
    helper.getNode(named(flow, 'inject', 'Movie time (msg.sceneId)')).receive({});
    assert.equal((await movie).iotexplorer.sceneId, 'scene_movie');
  });

  it('11: switches both automations off during the holiday and on after it, and lists them', async function () {
    const flow = exampleFlow('11 - Holiday mode.json', sim.tokenapiUrl);
    await helper.load([...NODES, ...CORE], flow, credentials());
    const holiday = helper.getNode(named(flow, 'switch', 'during the holiday?'));
    const enabled = (id: string) => sim.model.automations.get(id)?.enabled;
    const collect = async (count: number): Promise<Msg[]> => {
      const got: Msg[] = [];
      const node = helper.getNode(named(flow, 'helper', 'automation now'));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${got.length} of ${count}`)), 8000);
        const on = (msg: Msg): void => {
          got.push(msg);
          if (got.length < count) return;
          clearTimeout(timer);
          node.removeListener('input', on);
          resolve(got);
        };
        node.on('input', on);
      });
    };
    let switched = collect(2);
    holiday.receive({ payload: Date.parse('2026-07-15T20:00:00+08:00') });
    assert.deepEqual(
      (await switched).map((m): unknown => m.payload),
      [false, false],
    );
    assert.equal(enabled('auto_hall_sunset'), false);
    assert.equal(enabled('auto_door_hall_light'), false);
    switched = collect(2);
    holiday.receive({ payload: Date.parse('2026-07-16T08:00:00+08:00') });
    assert.deepEqual(
      (await switched).map((m): unknown => m.payload),
      [true, true],
    );
    assert.equal(enabled('auto_hall_sunset'), true);
    const listed = nextOn(named(flow, 'helper', 'automations'));
    helper.getNode(named(flow, 'inject', 'list automations')).receive({});
    const list = (await listed).payload as Msg[];
    assert.deepEqual(
      list.map((a): unknown[] => [a.automationId, a.enabled]),
      [
        ['auto_hall_sunset', true],
        ['auto_away_mode', false],
        ['auto_door_hall_light', true],
      ],
    );
  });

  it("15: the last day's temperature as low, high and average; the lock's battery alerts of the week", async function () {
    const flow = exampleFlow('15 - Yesterday in numbers.json', sim.tokenapiUrl);
    await helper.load([...NODES, ...CORE], flow, credentials());
    // What the simulator holds for the last 24 hours, read from its model.
    const since = Date.now() - 24 * 3600 * 1000;
    const values = sim.model.history
      .propertyPoints('THSNS7J8K9/living_sensor', 'temperature')
      .filter((p) => p.time >= since)
      .map((p) => Number(p.value));
    assert.ok(values.length > 100, `${values.length} points in the simulator's last day`);
    const day = nextOn(named(flow, 'helper', 'the last day'));
    helper.getNode(named(flow, 'inject', 'at deploy and 07:00')).receive({});
    const numbers = (await day).payload as Record<string, number>;
    assert.equal(numbers.points, values.length);
    assert.equal(numbers.low, Math.min(...values));
    assert.equal(numbers.high, Math.max(...values));
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    assert.ok(Math.abs(numbers.average - mean) <= 0.05, `average ${numbers.average}, mean ${mean}`);

    const alerts = nextOn(named(flow, 'helper', 'alerts'));
    helper.getNode(named(flow, 'inject', 'battery alerts this week')).receive({});
    const events = (await alerts).payload as { eventId: string; data: { battery: number } }[];
    // The fixture's two low_battery events, 2 days and 1 day ago, oldest first.
    assert.deepEqual(
      events.map((e) => [e.eventId, e.data.battery]),
      [
        ['low_battery', 19],
        ['low_battery', 18],
      ],
    );
  });
});
