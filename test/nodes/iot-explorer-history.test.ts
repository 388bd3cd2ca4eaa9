import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import type sinon from 'sinon';
import type { Simulator } from '../../simulator';
import { call, deviceFlow, helper, load, useRuntimeAndSimulator } from '../support/runtime';

const SENSOR = { productId: 'THSNS7J8K9', deviceName: 'living_sensor' };
const LAMP = { productId: 'LIGHT0A1B2', deviceName: 'living_lamp' };
const DOOR = { productId: 'LOCK0C3D4E', deviceName: 'front_door' };
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

type Point = { x: number; y: unknown };

describe('iot-explorer-history in a Node-RED runtime', function () {
  let sim: Simulator;

  useRuntimeAndSimulator((started) => (sim = started));

  const historyCalls = () =>
    sim.requests
      .filter((r) => r.action === 'AppGetDeviceDataHistory' || r.action === 'AppListEventHistory')
      .map((r) => r.body as Record<string, unknown>);

  /** The points the simulator holds for a property in [from, to]: what a full read must return. */
  const held = (
    device: { productId: string; deviceName: string },
    property: string,
    from: number,
    to: number,
  ) =>
    sim.model.history
      .propertyPoints(`${device.productId}/${device.deviceName}`, property)
      .filter((p) => p.time >= from && p.time <= to);

  it("charts the sensor's last day: [{x, y}] oldest first, y a number, as FlowFuse Dashboard 2 takes it", async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-history', {
        ...SENSOR,
        property: 'temperature',
        range: '24',
        rangeUnit: 'hours',
      }),
    );
    const before = Date.now();
    const { output, error } = await call({ topic: 'temperature' });
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    assert.equal(output?.topic, 'temperature');
    const points = output?.payload as Point[];
    const info = output?.iotexplorer;
    // The fixture: a point every 10 minutes for 3 days before start, so about 144 in a day.
    assert.ok(points.length >= 140 && points.length <= 150, `${points.length} points`);
    assert.equal(points.length, held(SENSOR, 'temperature', info.start, info.end).length);
    for (let i = 0; i < points.length; i++) {
      assert.deepEqual(Object.keys(points[i]).sort(), ['x', 'y']);
      assert.equal(typeof points[i].y, 'number');
      assert.ok((points[i].y as number) > 10 && (points[i].y as number) < 35);
      if (i > 0) assert.ok(points[i].x >= points[i - 1].x, 'oldest first');
    }
    assert.ok(points[0].x >= info.start && points.at(-1)!.x <= info.end);
    assert.ok(info.end >= before && info.end - info.start === DAY);
    assert.equal(info.action, 'AppGetDeviceDataHistory');
    assert.equal(info.property, 'temperature');
    assert.equal(info.count, points.length);
    assert.equal(info.maxPoints, 5000);
    assert.equal(info.maxPointsReached, false);
    assert.equal(info.templateChecked, true);
    assert.equal(info.untypedValues, 0);
    const sent = historyCalls();
    assert.deepEqual(
      info.requestIds,
      sent.map((s) => s.RequestId),
    );
    assert.equal(info.requestId, sent.at(-1)!.RequestId);
    assert.equal(sent[0].FieldName, 'temperature');
    assert.equal(sent[0].MinTime, info.start);
    assert.equal(sent[0].MaxTime, info.end);
  });

  it('gives a plain list of {time, value} when asked', async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-history', {
        ...SENSOR,
        property: 'humidity',
        range: '2',
        rangeUnit: 'hours',
        output: 'list',
      }),
    );
    const { output } = await call({});
    const list = output?.payload as Array<Record<string, unknown>>;
    assert.ok(list.length >= 11, `${list.length} points`);
    assert.deepEqual(Object.keys(list[0]).sort(), ['time', 'value']);
    assert.equal(typeof list[0].value, 'number');
  });

  for (const reading of ['panels', 'doc'] as const) {
    it(`reads every page to the end with Listover in the ${reading}' reading, and no page more`, async function () {
      sim.model.history.listoverReading = reading;
      const start = Date.now() - 1000;
      // 1200 new readings: three pages of the node's 500.
      for (let i = 0; i < 1200; i++) {
        sim.setDeviceProperty(SENSOR.productId, SENSOR.deviceName, 'humidity', 40 + (i % 50) / 10);
      }
      await load(
        deviceFlow(sim.tokenapiUrl, 'iot-explorer-history', {
          ...SENSOR,
          property: 'humidity',
          range: '',
          output: 'list',
        }),
      );
      const { output, error } = await call({ start });
      assert.equal(error, undefined, error && JSON.stringify(error.error));
      const expected = held(SENSOR, 'humidity', start, output?.iotexplorer.end);
      assert.ok(expected.length >= 1200);
      assert.deepEqual(
        (output?.payload as Array<{ time: number; value: unknown }>).map((p) => [p.time, p.value]),
        expected.map((p) => [p.time, p.value]),
      );
      const sent = historyCalls();
      assert.equal(sent.length, 3, 'three pages, none past the last');
      assert.deepEqual(
        sent.map((s) => s.Limit),
        [500, 500, 500],
      );
      assert.equal(sent[0].Context, '');
      assert.notEqual(sent[1].Context, '');
      assert.equal(output?.iotexplorer.maxPointsReached, false);
    });
  }

  it('stops at Max points, says so in msg, status and one warning, and asks no more than that', async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-history', {
        ...SENSOR,
        property: 'temperature',
        range: '3',
        rangeUnit: 'days',
        maxPoints: '120',
      }),
    );
    const node = helper.getNode('act') as Node & { warn: sinon.SinonSpy; status: sinon.SinonSpy };
    const first = await call({});
    assert.equal((first.output?.payload as Point[]).length, 120);
    assert.equal(first.output?.iotexplorer.maxPointsReached, true);
    assert.equal(first.output?.iotexplorer.maxPoints, 120);
    assert.deepEqual(
      historyCalls().map((s) => s.Limit),
      [120],
    );
    await call({});
    // (The test runtime loads no node catalogues: a text reads as its key.)
    assert.equal(node.warn.callCount, 1);
    assert.match(String(node.warn.firstCall.args[0]), /warn\.maxPoints/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const texts = node.status.getCalls().map((c) => String((c.args[0] as { text?: string }).text));
    assert.ok(
      texts.some((t) => /status\.pointsLimit/.test(t)),
      texts.join(' | '),
    );
  });

  it("types each value by the data template and keeps the API's text for one that does not read", async function () {
    // Old history of a product whose template changed since: the lamp's `name` (text) read as int.
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'name', '12');
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'name', '书房');
    sim.setDeviceProperty(LAMP.productId, LAMP.deviceName, 'name', '7');
    const name = sim.model.products
      .get(LAMP.productId)!
      .template.properties.find((p) => p.id === 'name')!;
    (name.define as { type: string }).type = 'int';
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-history', {
        ...LAMP,
        property: 'name',
        range: '10',
        rangeUnit: 'minutes',
      }),
    );
    const { output, error } = await call({});
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    const values = (output?.payload as Point[]).map((p) => p.y);
    // The fixture's first value "客厅", then the three set here.
    assert.deepEqual(values, ['客厅', 12, '书房', 7]);
    assert.equal(output?.iotexplorer.untypedValues, 2);
  });

  it("reads a device's events: their ids, types, times and parameters", async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-history', {
        ...DOOR,
        kind: 'event',
        range: '3',
        rangeUnit: 'days',
        output: 'list',
      }),
    );
    const { output, error } = await call({});
    assert.equal(error, undefined, error && JSON.stringify(error.error));
    const events = output?.payload as Array<Record<string, any>>;
    assert.deepEqual(
      events.map((e): unknown[] => [e.eventId, e.data]),
      [
        ['low_battery', { battery: 19 }],
        ['low_battery', { battery: 18 }],
      ],
    );
    const now = Date.now();
    assert.ok(Math.abs(now - 2 * DAY - events[0].time) < 10 * 60 * 1000, 'two days ago, in ms');
    assert.ok(events[0].time < events[1].time);
    assert.equal(typeof events[0].type, 'string');
    assert.equal(output?.iotexplorer.action, 'AppListEventHistory');
    const [sent] = historyCalls();
    assert.equal(sent.EndTime, Math.ceil(output?.iotexplorer.end / 1000));
    assert.ok((sent.Size as number) <= 100);
  });

  it('takes the range from msg.start and msg.end as Dates, ISO texts or ms', async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-history', {
        ...SENSOR,
        property: 'temperature',
        range: '',
      }),
    );
    const end = Date.now() - HOUR;
    const start = end - 2 * HOUR;
    for (const [from, to] of [
      [new Date(start), new Date(end)],
      [new Date(start).toISOString(), new Date(end).toISOString()],
      [start, end],
      [String(start), String(end)],
    ]) {
      sim.resetRecords();
      const { output, error } = await call({ start: from, end: to });
      assert.equal(error, undefined, error && JSON.stringify(error.error));
      const [sent] = historyCalls();
      assert.equal(sent.MinTime, start);
      assert.equal(sent.MaxTime, end);
      assert.ok((output?.payload as Point[]).length >= 11);
    }
  });

  it("warns once that the node's range hides msg.start", async function () {
    await load(
      deviceFlow(sim.tokenapiUrl, 'iot-explorer-history', {
        ...SENSOR,
        property: 'temperature',
        range: '1',
      }),
    );
    const node = helper.getNode('act') as Node & { warn: sinon.SinonSpy };
    await call({ start: Date.now() - DAY });
    await call({ start: Date.now() - DAY });
    assert.equal(node.warn.callCount, 1);
    assert.match(String(node.warn.firstCall.args[0]), /warn\.overridden/);
    assert.equal(
      (historyCalls()[0].MaxTime as number) - (historyCalls()[0].MinTime as number),
      HOUR,
    );
  });

  const now = Date.now();
  for (const [label, props, msg, code, named] of [
    [
      'a start that is not a date',
      {},
      { start: 'yesterday' },
      'IOTX_INVALID_FIELD',
      /msg\.start must be a date.*"yesterday"/,
    ],
    [
      'an end that is not a date',
      {},
      { start: now - DAY, end: {} },
      'IOTX_INVALID_FIELD',
      /msg\.end must be a date.*an object/,
    ],
    [
      'a reversed range',
      {},
      { start: now - HOUR, end: now - DAY },
      'IOTX_INVALID_FIELD',
      /ends before it starts/,
    ],
    [
      'a range in the future',
      {},
      { start: now + DAY, end: now + 2 * DAY },
      'IOTX_INVALID_FIELD',
      /starts in the future/,
    ],
    ['no range at all', {}, {}, 'IOTX_MISSING_FIELD', /msg\.start/],
    [
      'a property not in the template',
      { property: 'pressure' },
      { start: now - DAY },
      'IOTX_INVALID_FIELD',
      /pressure is not a property.*temperature, humidity/,
    ],
    [
      'no property',
      { property: '' },
      { start: now - DAY },
      'IOTX_MISSING_FIELD',
      /property.*msg\.property/,
    ],
    [
      'a Max points of 0',
      { maxPoints: '0' },
      { start: now - DAY },
      'IOTX_INVALID_FIELD',
      /Max points.*1 to 100000.*"0"/,
    ],
    [
      'an absurd Max points',
      { maxPoints: '5000000' },
      { start: now - DAY },
      'IOTX_INVALID_FIELD',
      /Max points/,
    ],
    [
      'a Last that is not a number',
      { range: 'a day' },
      {},
      'IOTX_INVALID_FIELD',
      /"Last" must be a positive number/,
    ],
  ] as const) {
    it(`refuses ${label} with ${code} before asking for any history`, async function () {
      await load(
        deviceFlow(sim.tokenapiUrl, 'iot-explorer-history', {
          ...SENSOR,
          property: 'temperature',
          range: '',
          ...props,
        }),
      );
      const { error } = await call(msg);
      assert.equal(error?.error.code, code);
      assert.match(error?.error.message, named);
      assert.equal(historyCalls().length, 0);
      assert.equal(error?.iotexplorer.action, 'AppGetDeviceDataHistory');
    });
  }
});
