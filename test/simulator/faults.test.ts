import assert from 'node:assert/strict';
import {
  loadFixture,
  parseFaultArg,
  startSimulator,
  type FaultSpec,
  type Simulator,
} from '../../simulator';
import { FaultSet } from '../../simulator/faults';
import { DEMO_TOKEN, LAMP, LOCK, postJson, rawRequest } from './helpers';

const blink = (requestId = 'fault-1'): string =>
  JSON.stringify({
    Action: 'AppCallDeviceActionSync',
    RequestId: requestId,
    AccessToken: DEMO_TOKEN,
    ...LAMP,
    ActionId: 'light_blink',
    InputParams: '{"time":1}',
  });

const getUser = (requestId = 'user-1'): string =>
  JSON.stringify({ Action: 'AppGetUser', RequestId: requestId, AccessToken: DEMO_TOKEN });

describe('simulator faults', function () {
  let sim: Simulator;
  beforeEach(async function () {
    sim = await startSimulator();
  });
  afterEach(async function () {
    await sim.close();
  });

  it('latency delays the reply by latencyMs plus up to jitterMs', async function () {
    sim.setFault({ kind: 'latency', latencyMs: 200, jitterMs: 50 });
    const started = Date.now();
    const json = await postJson(sim.tokenapiUrl, getUser());
    const took = Date.now() - started;
    assert.equal(json.Response.Data.UserID, 'u-demo');
    assert.ok(took >= 195 && took < 1000, `took ${took} ms`);
  });

  it('latency adds to the device delay', async function () {
    sim.setFault({ kind: 'latency', latencyMs: 150, device: 'LOCK0C3D4E/front_door' });
    const started = Date.now();
    const json = await postJson(
      sim.tokenapiUrl,
      JSON.stringify({
        Action: 'AppCallDeviceActionSync',
        RequestId: 'l',
        AccessToken: DEMO_TOKEN,
        ...LOCK,
        ActionId: 'lock',
      }),
    );
    assert.equal(json.Response.Status, 'succ');
    assert.ok(Date.now() - started >= 290, 'device 150 ms + latency 150 ms');
  });

  it('http5xx answers a gateway error page and the device does not act', async function () {
    sim.setFault({ kind: 'http5xx', status: 503 });
    const reply = await rawRequest(sim.tokenapiUrl, { body: blink() });
    assert.equal(reply.status, 503);
    assert.match(String(reply.headers['content-type']), /^text\/html/);
    assert.match(reply.text, /503 Service Unavailable/);
    assert.equal(sim.actionCalls.length, 0);
    const defaultStatus = await startSimulator();
    try {
      defaultStatus.setFault({ kind: 'http5xx' });
      assert.equal((await rawRequest(defaultStatus.tokenapiUrl, { body: getUser() })).status, 502);
    } finally {
      await defaultStatus.close();
    }
  });

  it('requestLimit answers RequestLimitExceeded in the envelope and the device does not act', async function () {
    sim.setFault({ kind: 'requestLimit' });
    const json = await postJson(sim.tokenapiUrl, blink('rl-1'));
    assert.deepEqual(json, {
      Response: {
        Error: { Code: 'RequestLimitExceeded', Message: '请求的次数超过了频率限制' },
        RequestId: 'rl-1',
      },
    });
    sim.envelope = 'wrapper';
    const wrapped = await postJson(sim.tokenapiUrl, blink('rl-2'));
    assert.equal(wrapped.code, -1000);
    assert.equal(wrapped.data.Error.Code, 'RequestLimitExceeded');
    assert.equal(sim.actionCalls.length, 0);
  });

  it('nonJson answers 200 with an HTML page, after the device acted', async function () {
    sim.setFault({ kind: 'nonJson' });
    const reply = await rawRequest(sim.tokenapiUrl, { body: blink() });
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /^text\/html/);
    assert.throws(() => JSON.parse(reply.text) as unknown);
    assert.equal(sim.actionCalls.length, 1);
  });

  it('truncated sends half of the promised body and ends the connection, after the device acted', async function () {
    sim.setFault({ kind: 'truncated' });
    await assert.rejects(rawRequest(sim.tokenapiUrl, { body: blink() }));
    await assert.rejects(
      fetch(sim.tokenapiUrl, { method: 'POST', body: blink() }).then((r) => r.text()),
    );
    assert.equal(sim.actionCalls.length, 2);
  });

  it('reset sends the headers and part of the body, then destroys the socket, after the device acted', async function () {
    sim.setFault({ kind: 'reset' });
    await assert.rejects(rawRequest(sim.tokenapiUrl, { body: blink() }));
    assert.equal(sim.actionCalls.length, 1);
  });

  it('noAnswer never answers and the device does not act', async function () {
    sim.setFault({ kind: 'noAnswer' });
    const started = Date.now();
    await assert.rejects(
      fetch(sim.tokenapiUrl, { method: 'POST', body: blink(), signal: AbortSignal.timeout(300) }),
      (err: Error) => err.name === 'TimeoutError',
    );
    assert.ok(Date.now() - started >= 290);
    assert.equal(sim.actionCalls.length, 0);
    assert.equal(sim.requests.length, 1, 'the request was received');
  });

  it('count applies a fault to the next N matching requests only', async function () {
    sim.setFault({ kind: 'http5xx', count: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await rawRequest(sim.tokenapiUrl, { body: getUser() })).status);
    assert.deepEqual(statuses, [502, 502, 200]);
  });

  it('device and action narrow which requests a fault hits', async function () {
    sim.setFault({ kind: 'requestLimit', device: 'LOCK0C3D4E/front_door' });
    sim.setFault({ kind: 'http5xx', action: 'AppGetDeviceData' });
    const lamp = await postJson(sim.tokenapiUrl, blink());
    assert.equal(lamp.Response.Status, 'succ');
    const lock = await postJson(
      sim.tokenapiUrl,
      JSON.stringify({
        Action: 'AppCallDeviceActionSync',
        RequestId: 'x',
        AccessToken: DEMO_TOKEN,
        DeviceId: 'LOCK0C3D4E/front_door',
        ActionId: 'lock',
      }),
    );
    assert.equal(lock.Response.Error.Code, 'RequestLimitExceeded', 'DeviceId form matches too');
    const data = await rawRequest(sim.tokenapiUrl, {
      body: JSON.stringify({
        Action: 'AppGetDeviceData',
        RequestId: 'y',
        AccessToken: DEMO_TOKEN,
        ...LAMP,
      }),
    });
    assert.equal(data.status, 502);
    sim.clearFaults();
    const after = await rawRequest(sim.tokenapiUrl, {
      body: JSON.stringify({
        Action: 'AppGetDeviceData',
        RequestId: 'z',
        AccessToken: DEMO_TOKEN,
        ...LAMP,
      }),
    });
    assert.equal(after.status, 200);
  });

  it('takes faults from the fixture', async function () {
    const fixture = loadFixture();
    fixture.faults = [{ kind: 'requestLimit', count: 1 }];
    const other = await startSimulator({ fixture });
    try {
      assert.equal(
        (await postJson(other.tokenapiUrl, getUser())).Response.Error.Code,
        'RequestLimitExceeded',
      );
      assert.equal((await postJson(other.tokenapiUrl, getUser())).Response.Data.UserID, 'u-demo');
    } finally {
      await other.close();
    }
  });

  it('refuses an invalid fault spec', function () {
    assert.throws(
      () => sim.setFault({ kind: 'meltdown' } as unknown as FaultSpec),
      /kind: must be one of/,
    );
    assert.throws(() => sim.setFault({ kind: 'http5xx', status: 404 }), /status/);
    assert.throws(() => sim.setFault({ kind: 'latency' }), /latencyMs/);
    assert.throws(() => sim.setFault({ kind: 'reset', device: 'nodevice' }), /device/);
    assert.throws(() => sim.setFault({ kind: 'reset', count: 0 }), /count/);
  });

  it('parses the CLI form kind[:device][:count]', function () {
    assert.deepEqual(parseFaultArg('http5xx'), { kind: 'http5xx' });
    assert.deepEqual(parseFaultArg('reset:LOCK0C3D4E/front_door'), {
      kind: 'reset',
      device: 'LOCK0C3D4E/front_door',
    });
    assert.deepEqual(parseFaultArg('noAnswer:LIGHT0A1B2/living_lamp:2'), {
      kind: 'noAnswer',
      device: 'LIGHT0A1B2/living_lamp',
      count: 2,
    });
    assert.deepEqual(parseFaultArg('requestLimit::3'), { kind: 'requestLimit', count: 3 });
    assert.deepEqual(parseFaultArg('latency', 250), { kind: 'latency', latencyMs: 250 });
    assert.throws(() => parseFaultArg('boom'), /--fault boom/);
  });

  it('adds the delays of all matching latency faults and uses the first replacing fault', function () {
    const set = new FaultSet();
    set.add({ kind: 'latency', latencyMs: 10 });
    set.add({ kind: 'latency', latencyMs: 5, jitterMs: 10, count: 1 });
    set.add({ kind: 'nonJson', count: 1 });
    set.add({ kind: 'reset' });
    const first = set.take(undefined, 'AppGetUser', () => 0.99);
    assert.equal(first.delayMs, 10 + 5 + 10);
    assert.equal(first.replace?.kind, 'nonJson');
    const second = set.take(undefined, 'AppGetUser');
    assert.equal(second.delayMs, 10);
    assert.equal(second.replace?.kind, 'reset');
    assert.deepEqual(set.list(), [{ kind: 'latency', latencyMs: 10 }, { kind: 'reset' }]);
  });
});
