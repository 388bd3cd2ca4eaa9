import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator } from '../../simulator';
import {
  NODES,
  coreNode,
  credentials,
  helper,
  useRuntimeAndSimulator,
  type FlowNode,
} from '../support/runtime';
import { exampleFlow, exampleNodes, named, nextOn, type Msg } from '../support/examples';

/**
 * The examples that make a device act on a request from outside refuse strangers: the checks
 * run in the example's own nodes, as stored, in a real Node-RED runtime; requests come over a
 * real socket; the simulator's request log says whether anything reached the service.
 */
const CORE = [
  'common/25-catch.js',
  'function/10-function.js',
  'function/10-switch.js',
  'function/15-change.js',
  'network/21-httpin.js',
].map(coreNode);

const UNLOCK_EXAMPLE = '02 - Unlock the door from an HTTP endpoint.json';
const MQTT_EXAMPLE = '04 - Call actions from MQTT.json';
const SECRET = 'test-unlock-secret-4f1c9a2e';

interface Answer {
  status: number;
  body: Msg | string;
}

describe('the examples refuse strangers', function () {
  let sim: Simulator;
  useRuntimeAndSimulator((started) => (sim = started));

  describe('02: POST /unlock', function () {
    const savedSecret = process.env.UNLOCK_SECRET;
    let server: http.Server | undefined;
    let base = '';

    /**
     * Deploys example 02 with UNLOCK_SECRET as given (undefined: unset), and serves Node-RED's
     * http in routes (the helper's runtime keeps them in an app of their own) on 127.0.0.1.
     */
    async function deploy(secret: string | undefined): Promise<void> {
      if (secret === undefined) delete process.env.UNLOCK_SECRET;
      else process.env.UNLOCK_SECRET = secret;
      let httpNode: http.RequestListener | undefined;
      const captureHttpNode = (red: { httpNode: http.RequestListener }): void => {
        httpNode = red.httpNode;
      };
      await helper.load(
        [...NODES, ...CORE, captureHttpNode],
        exampleFlow(UNLOCK_EXAMPLE, sim.tokenapiUrl),
        credentials(),
      );
      assert.ok(httpNode, "the runtime's httpNode app");
      server = http.createServer(httpNode);
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    afterEach(async function () {
      if (savedSecret === undefined) delete process.env.UNLOCK_SECRET;
      else process.env.UNLOCK_SECRET = savedSecret;
      const closing = server;
      server = undefined;
      if (closing) {
        closing.closeAllConnections();
        await new Promise<void>((resolve) => closing.close(() => resolve()));
      }
    });

    async function unlock(
      headers: Record<string, string>,
      method = 'POST',
      user = 'alice',
    ): Promise<Answer> {
      const res = await fetch(base + '/unlock', {
        method,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: method === 'GET' ? undefined : JSON.stringify({ user }),
      });
      const text = await res.text();
      let body: Msg | string = text;
      try {
        body = JSON.parse(text) as Msg;
      } catch {
        // Not JSON (Express's own 404 page): kept as text.
      }
      return { status: res.status, body };
    }

    /** Nothing reached the service: no request at all, and no device acted. */
    function assertNothingSent(): void {
      assert.deepEqual(
        sim.requests.map((r) => r.action),
        [],
        'requests reached the simulator',
      );
      assert.deepEqual(sim.actionCalls, []);
    }

    it('refuses a POST without the secret with 401, before anything is sent', async function () {
      await deploy(SECRET);
      const answer = await unlock({});
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, {
        unlocked: false,
        error: 'send the secret in the X-Unlock-Secret header',
      });
      assertNothingSent();
    });

    it('refuses a wrong secret with 401: another one, one of the same length, a prefix, empty, or in Authorization', async function () {
      await deploy(SECRET);
      const attempts: Array<Record<string, string>> = [
        { 'X-Unlock-Secret': 'guess' },
        { 'X-Unlock-Secret': SECRET.replace(/.$/, 'x') },
        { 'X-Unlock-Secret': SECRET.slice(0, -1) },
        { 'X-Unlock-Secret': SECRET + 'x' },
        { 'X-Unlock-Secret': '' },
        { Authorization: `Bearer ${SECRET}` },
      ];
      for (const headers of attempts) {
        const answer = await unlock(headers);
        assert.equal(answer.status, 401, JSON.stringify(headers));
        assert.equal((answer.body as Msg).unlocked, false);
      }
      assertNothingSent();
    });

    it('serves no GET: a link preview or a prefetch gets 404 even with the secret', async function () {
      await deploy(SECRET);
      const answer = await unlock({ 'X-Unlock-Secret': SECRET }, 'GET');
      assert.equal(answer.status, 404);
      assertNothingSent();
    });

    it('refuses everything with 503 while UNLOCK_SECRET is unset or empty', async function () {
      for (const secret of [undefined, '']) {
        await deploy(secret);
        const attempts: Array<Record<string, string>> = [
          {},
          { 'X-Unlock-Secret': '' },
          { 'X-Unlock-Secret': 'anything' },
        ];
        for (const headers of attempts) {
          const answer = await unlock(headers);
          assert.equal(answer.status, 503, `${JSON.stringify(secret)} ${JSON.stringify(headers)}`);
          assert.equal((answer.body as Msg).unlocked, false);
          assert.match((answer.body as Msg).error as string, /UNLOCK_SECRET is not set/);
        }
        await helper.unload();
        server?.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
        server = undefined;
      }
      assertNothingSent();
    });

    it('unlocks for the right secret, with exactly one call to the lock', async function () {
      await deploy(SECRET);
      const answer = await unlock({ 'X-Unlock-Secret': SECRET }, 'POST', 'alice');
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(answer.body, {
        unlocked: true,
        battery: sim.model.device('LOCK0C3D4E', 'front_door')?.properties.battery.Value,
      });
      assert.deepEqual(
        sim.actionCalls.map((c) => [c.productId, c.deviceName, c.actionId, c.params]),
        [['LOCK0C3D4E', 'front_door', 'unlock', { userid: 'alice', duration: 30 }]],
      );
    });

    it('answers 502 with the error code when the call fails', async function () {
      await deploy(SECRET);
      sim.setDeviceOnline('LOCK0C3D4E', 'front_door', false);
      const answer = await unlock({ 'X-Unlock-Secret': SECRET });
      assert.equal(answer.status, 502);
      assert.equal((answer.body as Msg).code, 'FailedOperation.ActionUnreachable');
      assert.equal((answer.body as Msg).unlocked, false);
    });
  });

  describe('04: actions from MQTT', function () {
    let flow: FlowNode[];

    beforeEach(async function () {
      flow = exampleFlow(MQTT_EXAMPLE, sim.tokenapiUrl);
      await helper.load([...NODES, ...CORE], flow, credentials());
    });

    /** What the mqtt in node would send for a message published on `topic`. */
    function publish(topic: string, payload: Msg): void {
      helper.getNode(named(flow, 'change', 'topic → device')).receive({ topic, payload });
    }

    /** The warning the allow-list node gives for the next refused message. */
    function nextWarning(timeoutMs = 8000): Promise<string> {
      const allowList = helper.getNode(named(flow, 'function', 'allow-list'));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no warning')), timeoutMs);
        allowList.once('call:warn', (call: { args: unknown[] }) => {
          clearTimeout(timer);
          resolve(String(call.args[0]));
        });
      });
    }

    it('drops a device or an action off the list with a warning naming the topic, and sends nothing', async function () {
      for (const topic of [
        'home/LOCK0C3D4E/front_door/unlock',
        'home/LIGHT0A1B2/neighbor_lamp/light_blink',
        'home/AIRC0F5G6H/study_aircon/set_schedule',
      ]) {
        const warned = nextWarning();
        publish(topic, { userid: 'mallory', duration: 300 });
        assert.equal(await warned, `refused ${topic}: not on the allow-list`);
      }
      // A message on the list, sent after them, comes back on the reply topic; by then the
      // refused ones would have reached the simulator had they been sent.
      const replied = nextOn(mqttOut());
      publish('home/LIGHT0A1B2/living_lamp/light_blink', { time: 1 });
      assert.equal((await replied).topic, 'home/LIGHT0A1B2/living_lamp/light_blink/reply');
      assert.deepEqual(
        sim.actionCalls.map((c) => `${c.productId}/${c.deviceName}/${c.actionId}`),
        ['LIGHT0A1B2/living_lamp/light_blink'],
      );
      assert.equal(sim.requests.filter((r) => r.action === 'AppCallDeviceActionSync').length, 1);
    });

    it('calls an action on the list and publishes the answer on …/reply', async function () {
      const replied = nextOn(mqttOut());
      publish('home/LOCK0C3D4E/front_door/lock', {});
      const msg = await replied;
      assert.equal(msg.topic, 'home/LOCK0C3D4E/front_door/lock/reply');
      assert.deepEqual(msg.payload, { result: 0 });
      assert.deepEqual(
        sim.actionCalls.map((c) => `${c.productId}/${c.deviceName}/${c.actionId}`),
        ['LOCK0C3D4E/front_door/lock'],
      );
    });
  });
});

/** The id of the example's mqtt out node, a helper in the test: what the broker would get. */
function mqttOut(): string {
  const stored = exampleNodes(MQTT_EXAMPLE).filter((n) => n.type === 'mqtt out');
  assert.equal(stored.length, 1, 'one mqtt out node in the example');
  return stored[0].id;
}
