import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import util from 'node:util';
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
import { MqttBroker } from '../support/mqtt-broker';
import { until } from '../support/push';

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

/** What a debug node added to the unlock example sent to the editor's sidebar. */
interface Observer {
  sidebar: string[];
}

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
    async function deploy(secret: string | undefined, observe?: Observer): Promise<void> {
      if (secret === undefined) delete process.env.UNLOCK_SECRET;
      else process.env.UNLOCK_SECRET = secret;
      let httpNode: http.RequestListener | undefined;
      const captureHttpNode = (red: { httpNode: http.RequestListener }): void => {
        httpNode = red.httpNode;
      };
      const flow = exampleFlow(UNLOCK_EXAMPLE, sim.tokenapiUrl);
      const loaders: unknown[] = [...NODES, ...CORE, captureHttpNode];
      if (observe) {
        // A debug node a user adds after the check, writing the whole message to the sidebar
        // and to the log, and a helper beside it that hands the test the message itself.
        const check = flow.find((n) => n.type === 'function' && n.name === 'who asks?')!;
        (check.wires as string[][])[0].push('spy', 'seen');
        flow.push(
          {
            id: 'spy',
            type: 'debug',
            z: check.z,
            name: 'added later',
            active: true,
            tosidebar: true,
            console: 'true',
            tostatus: false,
            complete: 'true',
            targetType: 'full',
            wires: [],
          },
          { id: 'seen', type: 'helper', z: check.z },
        );
        const captureSidebar = (red: {
          comms: { publish(topic: string, data: unknown, retain?: boolean): void };
        }): void => {
          const publish = red.comms.publish.bind(red.comms);
          red.comms.publish = (topic, data, retain) => {
            if (topic === 'debug') observe.sidebar.push(JSON.stringify(data));
            publish(topic, data, retain);
          };
        };
        loaders.push(coreNode('common/21-debug.js'), captureSidebar);
      }
      await helper.load(loaders as never, flow, credentials());
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

    it('keeps no copy of the secret in the message: a debug node added after the check shows none', async function () {
      const observe: Observer = { sidebar: [] };
      await deploy(SECRET, observe);
      const seen = nextOn('seen');
      const answer = await unlock({ 'X-Unlock-Secret': SECRET });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const msg = await seen;
      // Where Node.js keeps the request's headers: parsed, and as received.
      const req = msg.req as http.IncomingMessage;
      assert.equal(req.headers['x-unlock-secret'], undefined);
      assert.equal(req.headersDistinct['x-unlock-secret'], undefined);
      assert.ok(
        !req.rawHeaders.some((h) => h.includes(SECRET)),
        'the secret in msg.req.rawHeaders',
      );
      // The whole message as the debug node writes it to the log, deep, and nothing else.
      const whole = { depth: 12, maxArrayLength: Infinity, maxStringLength: Infinity };
      assert.ok(!util.inspect(msg, whole).includes(SECRET), 'the secret in the message');
      const logged = helper
        .log()
        .args.map((args: unknown[]) => util.inspect(args, whole))
        .join('\n');
      assert.match(logged, /added later/, "the debug node's log line");
      assert.ok(!logged.includes(SECRET), 'the secret in the log');
      assert.ok(observe.sidebar.length > 0, 'the debug node wrote to the sidebar');
      assert.ok(!observe.sidebar.join('\n').includes(SECRET), 'the secret in the sidebar');
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

  describe('04: retained messages, with a real broker', function () {
    const BLINK = 'home/LIGHT0A1B2/living_lamp/light_blink';
    let broker: MqttBroker;

    beforeEach(function () {
      broker = new MqttBroker();
    });

    afterEach(async function () {
      await helper.unload();
      await broker.close();
    });

    /**
     * Example 04 as stored, its mqtt in and mqtt out nodes included, its broker node pointed at
     * the test's broker; debug nodes become helpers.
     */
    function flowWithBroker(port: number): FlowNode[] {
      return exampleNodes(MQTT_EXAMPLE).map((node) => {
        if (node.type === 'iot-explorer-account')
          return { ...node, id: 'acc', endpoint: sim.tokenapiUrl };
        if (node.type === 'mqtt-broker')
          return { ...node, broker: '127.0.0.1', port: String(port) };
        if (node.type === 'debug') return { id: node.id, z: node.z, type: 'helper' };
        return node.account ? { ...node, account: 'acc' } : node;
      });
    }

    const blinks = (): number =>
      sim.actionCalls.filter((c) => c.deviceName === 'living_lamp' && c.actionId === 'light_blink')
        .length;
    const replies = (): number =>
      broker.published.filter((m) => m.topic === `${BLINK}/reply`).length;
    const retainedWarnings = (): number =>
      helper
        .log()
        .args.filter((args: unknown[]) =>
          /ignored .*a retained message/.test(String((args[0] as Msg)?.msg)),
        ).length;

    it('calls a retained command once, when it is published, and never again at a redeploy', async function () {
      const port = await broker.listen();
      const flow = flowWithBroker(port);
      const MQTT = coreNode('network/10-mqtt.js');
      await helper.load([...NODES, ...CORE, MQTT], flow, credentials());
      await until(() => broker.subscribers(BLINK) === 1, 'the example subscribed to home/+/+/+');

      // Published with retain while the flow listens: a live command, called once.
      broker.publish({ topic: BLINK, payload: '{"time":1}', retain: true });
      await until(() => replies() === 1, 'the answer on …/reply');
      assert.equal(blinks(), 1);

      // Each redeploy subscribes again, and the broker hands over its retained copy.
      for (let redeploy = 1; redeploy <= 3; redeploy++) {
        const seen = replies() + retainedWarnings();
        await helper.setFlows(flow, 'full', credentials());
        await until(
          () => replies() + retainedWarnings() > seen,
          `the retained copy handled after redeploy ${redeploy}`,
        );
      }
      assert.equal(blinks(), 1, 'the lamp blinked once, not at every redeploy');
      assert.equal(retainedWarnings(), 3, 'one warning per retained copy');
      assert.equal(replies(), 1);
    });
  });
});

/** The id of the example's mqtt out node, a helper in the test: what the broker would get. */
function mqttOut(): string {
  const stored = exampleNodes(MQTT_EXAMPLE).filter((n) => n.type === 'mqtt out');
  assert.equal(stored.length, 1, 'one mqtt out node in the example');
  return stored[0].id;
}
