// The triggers a person or a test uses to make a running simulator's devices act, and to disturb
// its push socket: the /_sim endpoints over real HTTP, and the same through the command line
// (a real child process) against a simulator listening on 127.0.0.1.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../simulator';
import { pokeRequest, parseValues } from '../../simulator/poke';
import { DEMO_TOKEN, rawRequest, simControl } from './helpers';
import { PushClient, pushFrom } from './push-client';

const BELL_ID = 'DOORBL1M2N/front_bell';
const LAMP_ID = 'LIGHT0A1B2/living_lamp';
const SENSOR_ID = 'THSNS7J8K9/living_sensor';
const CLI = path.join(__dirname, '..', '..', 'simulator', 'cli.js');

const from = pushFrom;

/** Runs the simulator's command line; resolves with its exit code and output. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 15000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('simulator triggers (/_sim and the command line)', function () {
  let sim: Simulator;
  let client: PushClient | undefined;

  beforeEach(async function () {
    sim = await startSimulator();
  });

  afterEach(async function () {
    client?.close();
    client = undefined;
    await sim.close();
  });

  const control = (method: string, pathname: string, body?: unknown) =>
    simControl(sim, method, pathname, body);

  async function subscribed(ids: string[]): Promise<PushClient> {
    client = await PushClient.open(sim.pushUrl);
    await client.subscribe(ids, DEMO_TOKEN);
    return client;
  }

  describe('over HTTP', function () {
    it('fires an event: the subscribed socket gets Event/Report with the params, defaults filled', async function () {
      const socket = await subscribed([BELL_ID]);
      const answer = await control('POST', `/_sim/devices/${BELL_ID}/events/ring`, { button: 1 });
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.json, { ok: true, DeviceId: BELL_ID, eventId: 'ring' });
      const ring = await socket.waitPush(from(BELL_ID, 'Event', 'Report'));
      assert.equal(ring.payload.eventId, 'ring');
      assert.equal(ring.payload.type, 'info');
      assert.deepEqual(ring.payload.params, { button: 1 });
      // No body: the template's defaults.
      assert.equal(
        (await control('POST', `/_sim/devices/${BELL_ID}/events/low_battery`)).status,
        200,
      );
      const low = await socket.waitPush((p) => p.payload.eventId === 'low_battery');
      assert.deepEqual(low.payload.params, { voltage: 2.2 });
    });

    it('refuses an unknown event (404), a bad param (400) and an offline device (409), pushing nothing', async function () {
      const socket = await subscribed([BELL_ID]);
      const unknown = await control('POST', `/_sim/devices/${BELL_ID}/events/explode`);
      assert.equal(unknown.status, 404);
      assert.match(unknown.json.error, /no event explode/);
      const bad = await control('POST', `/_sim/devices/${BELL_ID}/events/ring`, { button: 7 });
      assert.equal(bad.status, 400);
      assert.match(bad.json.error, /button/);
      const extra = await control('POST', `/_sim/devices/${BELL_ID}/events/ring`, { volume: 3 });
      assert.equal(extra.status, 400);
      const notJson = await rawRequest(sim.url + `/_sim/devices/${BELL_ID}/events/ring`, {
        body: 'ring!',
      });
      assert.equal(notJson.status, 400);
      assert.equal((await control('POST', `/_sim/devices/${BELL_ID}/offline`)).status, 200);
      const offline = await control('POST', `/_sim/devices/${BELL_ID}/events/ring`);
      assert.equal(offline.status, 409);
      assert.match(offline.json.error, /offline/);
      const noDevice = await control('POST', '/_sim/devices/DOORBL1M2N/back_bell/events/ring');
      assert.equal(noDevice.status, 404);
      const pushes = await socket.pushesAfter(200);
      assert.deepEqual(
        pushes.map((p) => `${p.params.Type}/${p.params.SubType}`),
        ['StatusChange/Offline'],
      );
    });

    it('reports properties as the device: one Property/Report push, the model changed', async function () {
      const socket = await subscribed([SENSOR_ID]);
      const answer = await control('POST', `/_sim/devices/${SENSOR_ID}/report`, {
        temperature: 31.5,
        humidity: 40,
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.json.properties.temperature.Value, 31.5);
      const report = await socket.waitPush(from(SENSOR_ID, 'Property', 'Report'));
      assert.equal(report.payload.method, 'report');
      assert.deepEqual(report.payload.params, { temperature: 31.5, humidity: 40 });
      assert.equal(sim.model.device('THSNS7J8K9', 'living_sensor')?.properties.humidity.Value, 40);
      // A value that does not fit changes nothing.
      const bad = await control('POST', `/_sim/devices/${SENSOR_ID}/report`, {
        humidity: 41,
        temperature: 500,
      });
      assert.equal(bad.status, 400);
      assert.equal(sim.model.device('THSNS7J8K9', 'living_sensor')?.properties.humidity.Value, 40);
      assert.equal((await control('POST', `/_sim/devices/${SENSOR_ID}/report`, {})).status, 400);
      const unknown = await control('POST', `/_sim/devices/${SENSOR_ID}/report`, { colour: 1 });
      assert.equal(unknown.status, 400);
      assert.match(unknown.json.error, /no property colour/);
    });

    it('takes a device offline and online: StatusChange pushes, only on a change', async function () {
      const socket = await subscribed([LAMP_ID]);
      const off = await control('POST', `/_sim/devices/${LAMP_ID}/offline`);
      assert.equal(off.json.online, false);
      await socket.waitPush(from(LAMP_ID, 'StatusChange', 'Offline'));
      await control('POST', `/_sim/devices/${LAMP_ID}/offline`);
      const on = await control('POST', `/_sim/devices/${LAMP_ID}/online`);
      assert.equal(on.json.online, true);
      await socket.waitPush(from(LAMP_ID, 'StatusChange', 'Online'));
      assert.deepEqual(
        socket.pushes().map((p) => p.params.SubType),
        ['Offline', 'Online'],
      );
    });

    it('sets, lists and clears push faults; a refuse fault refuses the next upgrade', async function () {
      const bad = await control('POST', '/_sim/push/faults', { kind: 'explode' });
      assert.equal(bad.status, 400);
      assert.match(bad.json.error, /kind/);
      const set = await control('POST', '/_sim/push/faults', {
        kind: 'refuse',
        count: 1,
        status: 503,
      });
      assert.equal(set.status, 200);
      assert.deepEqual(set.json.faults, [{ kind: 'refuse', count: 1, status: 503 }]);
      await assert.rejects(PushClient.open(sim.pushUrl), /503/);
      // Used up: the next connection is accepted.
      client = await PushClient.open(sim.pushUrl);
      assert.equal((await control('GET', '/_sim/push/faults')).json.faults.length, 0);
      await control('POST', '/_sim/push/faults', { kind: 'delay', delayMs: 10 });
      assert.equal((await control('GET', '/_sim/push/faults')).json.faults.length, 1);
      const cleared = await control('DELETE', '/_sim/push/faults');
      assert.deepEqual(cleared.json, { ok: true, faults: [] });
      assert.deepEqual(sim.push.listFaults(), []);
    });

    it('shows the push counters and connections, and drops or stalls the open sockets', async function () {
      const socket = await subscribed([LAMP_ID]);
      const stats = await control('GET', '/_sim/push');
      assert.equal(stats.status, 200);
      assert.equal(stats.json.stats.connectionsOpened, 1);
      assert.deepEqual(stats.json.connections[0].deviceIds, [LAMP_ID]);
      assert.equal(stats.json.connections[0].userId, 'u-demo');
      assert.ok(!JSON.stringify(stats.json).includes(DEMO_TOKEN), 'no token in the answer');
      const dropped = await control('POST', '/_sim/push/drop', { mode: 'close', code: 4000 });
      assert.deepEqual(dropped.json, { ok: true, dropped: 1 });
      assert.equal(await socket.waitClosed(), 4000);
      assert.equal((await control('POST', '/_sim/push/drop', { mode: 'nicely' })).status, 400);
      const second = await subscribed([LAMP_ID]);
      const malformed = await control('POST', '/_sim/push/malformed', { kind: 'garbage' });
      assert.deepEqual(malformed.json, { ok: true, sent: 1 });
      await second.waitFor(() => second.rawTexts.find((t) => !t.startsWith('{')) ?? undefined);
      assert.equal((await control('POST', '/_sim/push/malformed', { kind: 'worse' })).status, 400);
      const stalled = await control('POST', '/_sim/push/stall');
      assert.deepEqual(stalled.json, { ok: true, stalled: 1 });
      assert.equal(sim.push.connections()[0].halfOpen, true);
    });
  });

  describe('the command line, against a running simulator', function () {
    this.timeout(30000);

    it('presses the doorbell: event PID/DN ring button=0 reaches a subscribed socket', async function () {
      const socket = await subscribed([BELL_ID]);
      const run = await cli(['event', BELL_ID, 'ring', 'button=0', '--url', sim.tokenapiUrl]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), { ok: true, DeviceId: BELL_ID, eventId: 'ring' });
      const ring = await socket.waitPush(from(BELL_ID, 'Event', 'Report'));
      assert.deepEqual(ring.payload.params, { button: 0 });
    });

    it('reports, goes offline, and sets a push fault; a refused trigger exits 1 with the reason', async function () {
      const socket = await subscribed([SENSOR_ID]);
      const report = await cli(['report', SENSOR_ID, '{"temperature":22.5}', '--url', sim.url]);
      assert.equal(report.code, 0, report.stderr);
      const pushed = await socket.waitPush(from(SENSOR_ID, 'Property', 'Report'));
      assert.deepEqual(pushed.payload.params, { temperature: 22.5 });
      assert.equal((await cli(['offline', SENSOR_ID, '--url', sim.url])).code, 0);
      await socket.waitPush(from(SENSOR_ID, 'StatusChange', 'Offline'));
      const refused = await cli(['report', SENSOR_ID, 'temperature=20', '--url', sim.url]);
      assert.equal(refused.code, 1);
      assert.match(refused.stdout, /offline/);
      const fault = await cli(['push-fault', 'refuse', 'count=2', '--url', sim.url]);
      assert.equal(fault.code, 0, fault.stderr);
      assert.deepEqual(sim.push.listFaults(), [{ kind: 'refuse', count: 2 }]);
      assert.equal((await cli(['push-clear', '--url', sim.url])).code, 0);
      assert.deepEqual(sim.push.listFaults(), []);
    });

    it('names what is wrong with a command, and a simulator that does not answer', async function () {
      const noDevice = await cli(['event', 'front_bell', 'ring', '--url', sim.url]);
      assert.equal(noDevice.code, 2);
      assert.match(noDevice.stderr, /ProductId\/DeviceName/);
      const port = sim.port;
      await sim.close();
      const gone = await cli(['online', LAMP_ID, '--url', `http://127.0.0.1:${port}`]);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /no answer from/);
      sim = await startSimulator();
    });
  });

  describe('reading the command line', function () {
    it('turns name=value pairs and JSON into a body', function () {
      assert.deepEqual(parseValues(['button=1', 'name="1"', 'note=front door']), {
        button: 1,
        name: '1',
        note: 'front door',
      });
      assert.deepEqual(parseValues(['{"button":1}']), { button: 1 });
      assert.throws(() => parseValues(['button']), /name=value/);
      assert.throws(() => parseValues(['{nope']), /not JSON/);
      assert.deepEqual(pokeRequest('event', [BELL_ID, 'ring']), {
        method: 'POST',
        path: '/_sim/devices/DOORBL1M2N/front_bell/events/ring',
        body: '{}',
      });
      assert.deepEqual(pokeRequest('push-drop', ['close']), {
        method: 'POST',
        path: '/_sim/push/drop',
        body: '{"mode":"close"}',
      });
      assert.throws(() => pokeRequest('report', [SENSOR_ID]), /prop=value/);
      assert.throws(() => pokeRequest('online', []), /one device/);
    });
  });
});
