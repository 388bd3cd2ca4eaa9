import assert from 'node:assert/strict';
import { closedPort } from '../support/net';
import sinon from 'sinon';
import type { Node } from 'node-red';
import type { Simulator } from '../../simulator';
import {
  DEMO_TOKEN,
  LIGHT,
  LOCK,
  OFFLINE_LAMP,
  SLOW,
  actionFlow,
  call,
  collectOutcomes,
  credentials,
  helper,
  load,
  useRuntimeAndSimulator,
} from '../support/runtime';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function actionRequests(sim: Simulator): Array<Record<string, unknown>> {
  return sim.requests
    .filter((r) => r.path.startsWith('/api/exploreropen/tokenapi'))
    .map((r) => r.body as Record<string, unknown>);
}

describe('iot-explorer-action in a Node-RED runtime', function () {
  let sim: Simulator;

  useRuntimeAndSimulator((started) => (sim = started), { syncActionTimeoutMs: 1500 });

  describe('a successful call', function () {
    for (const envelope of ['response', 'wrapper'] as const) {
      it(`passes the device's answer on in msg.payload and msg.iotexplorer (${envelope} envelope)`, async function () {
        sim.envelope = envelope;
        await load(
          actionFlow(sim.tokenapiUrl, {
            productId: LOCK.productId,
            deviceName: LOCK.deviceName,
            actionId: LOCK.actionId,
          }),
        );
        const { output, error } = await call({
          topic: 'door',
          payload: { userid: 'alice', duration: 5 },
          mine: 42,
        });
        assert.equal(error, undefined, error && JSON.stringify(error.error));
        assert.ok(output);
        assert.equal(output.topic, 'door');
        assert.equal(output.mine, 42);
        assert.equal(typeof output.payload, 'object');
        assert.equal(output.payload.result, 0);
        const info = output.iotexplorer;
        assert.equal(info.action, 'AppCallDeviceActionSync');
        assert.equal(info.productId, LOCK.productId);
        assert.equal(info.deviceName, LOCK.deviceName);
        assert.equal(info.actionId, LOCK.actionId);
        assert.equal(info.status, 'succ');
        assert.match(info.clientToken, /^[0-9a-f]{32}$/);
        assert.equal(typeof info.outputParams, 'string');
        assert.deepEqual(JSON.parse(info.outputParams), output.payload);
        const [sent] = actionRequests(sim);
        assert.equal(info.requestId, sent.RequestId);
        assert.equal(sim.actionCalls.length, 1);
      });
    }

    it('sends a flat POST body with a fresh UUID v4 RequestId and InputParams as a JSON string', async function () {
      await load(actionFlow(sim.tokenapiUrl, { ...LIGHT }));
      await call({ payload: { time: 2, color: 1, total_time: 4 } });
      await call({ payload: { time: 3, color: 0, total_time: 6 } });
      const recorded = sim.requests.filter((r) => r.action === 'AppCallDeviceActionSync');
      assert.equal(recorded.length, 2);
      const [first, second] = recorded.map((r) => r.body as Record<string, unknown>);
      assert.deepEqual(Object.keys(first).sort(), [
        'AccessToken',
        'Action',
        'ActionId',
        'DeviceName',
        'InputParams',
        'ProductId',
        'RequestId',
      ]);
      assert.equal(first.Action, 'AppCallDeviceActionSync');
      assert.equal(first.AccessToken, DEMO_TOKEN);
      assert.equal(first.InputParams, JSON.stringify({ time: 2, color: 1, total_time: 4 }));
      assert.match(String(first.RequestId), UUID_V4);
      assert.notEqual(first.RequestId, second.RequestId);
      assert.match(String(recorded[0].headers['content-type']), /^application\/json/);
    });

    it('takes ProductId, DeviceName and ActionId from msg when the fields are blank, and msg.payload by default', async function () {
      await load(actionFlow(sim.tokenapiUrl));
      const { output, error } = await call({ ...LIGHT, payload: { time: 1 } });
      assert.equal(error, undefined);
      assert.equal(output?.iotexplorer.deviceName, LIGHT.deviceName);
      assert.equal(actionRequests(sim)[0].InputParams, '{"time":1}');
    });

    it('lets the editor win over msg and warns once', async function () {
      await load(actionFlow(sim.tokenapiUrl, { ...LIGHT }));
      const act = helper.getNode('act') as Node & { warn: sinon.SinonSpy };
      const { output } = await call({ deviceName: 'elsewhere', payload: {} });
      await call({ deviceName: 'elsewhere', payload: {} });
      assert.equal(output?.iotexplorer.deviceName, LIGHT.deviceName);
      const warnings = act.warn.getCalls().map((c) => String(c.args[0]));
      assert.equal(warnings.length, 1);
    });

    it('reads fields from flow context, env and a json InputParams', async function () {
      process.env.IOTX_TEST_DEVICE = LIGHT.deviceName;
      await load(
        actionFlow(sim.tokenapiUrl, {
          productId: 'lightProduct',
          productIdType: 'flow',
          deviceName: 'IOTX_TEST_DEVICE',
          deviceNameType: 'env',
          actionId: LIGHT.actionId,
          inputParams: '{"time":7}',
          inputParamsType: 'json',
        }),
      );
      helper.getNode('act').context().flow.set('lightProduct', LIGHT.productId);
      const { output, error } = await call({ payload: 'ignored' });
      assert.equal(error, undefined, error && error.error.message);
      assert.equal(output?.iotexplorer.productId, LIGHT.productId);
      assert.equal(actionRequests(sim)[0].InputParams, '{"time":7}');
      delete process.env.IOTX_TEST_DEVICE;
    });

    it('leaves InputParams out when there is none, and sends a JSON string as it is', async function () {
      await load(actionFlow(sim.tokenapiUrl, { ...LIGHT }));
      await call({});
      await call({ payload: '{"time":5}' });
      const [absent, text] = actionRequests(sim);
      assert.equal('InputParams' in absent, false);
      assert.equal(text.InputParams, '{"time":5}');
    });

    it('answers 50 concurrent messages, each with its own result', async function () {
      await load(actionFlow(sim.tokenapiUrl, { ...LOCK }));
      const act = helper.getNode('act');
      const outcomes = collectOutcomes(50);
      for (let i = 0; i < 50; i += 1)
        act.receive({ topic: `m${i}`, payload: { userid: `user${i}`, duration: 1 + i } });
      const results = await outcomes;
      const sentByRequestId = new Map(
        actionRequests(sim).map((b) => [String(b.RequestId), JSON.parse(String(b.InputParams))]),
      );
      assert.equal(results.filter((o) => o.output).length, 50);
      const topics = new Set<string>();
      for (const { output } of results) {
        const sent = sentByRequestId.get(output!.iotexplorer.requestId);
        assert.equal(
          sent.userid,
          `user${output!.topic.slice(1)}`,
          'each reply belongs to its own message',
        );
        topics.add(output!.topic);
      }
      assert.equal(topics.size, 50);
    });
  });

  describe('failures reach a catch node with msg.error.code', function () {
    const cases: Array<{
      name: string;
      action: Record<string, unknown>;
      payload?: unknown;
      token?: string;
      code: string;
      setup?: (sim: Simulator) => void;
    }> = [
      {
        name: 'an invalid token',
        action: { ...LIGHT },
        token: 'not-a-token',
        code: 'InvalidParameterValue.InvalidAccessToken',
      },
      {
        name: 'an expired token',
        action: { ...LIGHT },
        token: 'expired-access-token',
        code: 'InvalidParameterValue.InvalidAccessToken',
      },
      {
        name: 'an offline device',
        action: { ...OFFLINE_LAMP },
        code: 'FailedOperation.ActionUnreachable',
      },
      {
        name: 'an unknown action',
        action: { ...LIGHT, actionId: 'fly' },
        code: 'InvalidParameterValue.ActionNilOrNotExist',
      },
      {
        name: 'InputParams out of range',
        action: { ...LIGHT },
        payload: { time: 99 },
        code: 'InvalidParameter.ActionInputParamsInvalid',
      },
      {
        name: 'an unknown device',
        action: { ...LIGHT, deviceName: 'no_such_device' },
        code: 'ResourceNotFound.DeviceNotExist',
      },
      {
        name: 'a gateway error',
        action: { ...LIGHT },
        code: 'IOTX_HTTP_STATUS',
        setup: (s) => s.setFault({ kind: 'http5xx', status: 502 }),
      },
      {
        name: 'a reply that is not JSON',
        action: { ...LIGHT },
        code: 'IOTX_BAD_RESPONSE',
        setup: (s) => s.setFault({ kind: 'nonJson' }),
      },
      {
        name: 'a reply cut short',
        action: { ...LIGHT },
        code: 'IOTX_BAD_RESPONSE',
        setup: (s) => s.setFault({ kind: 'truncated' }),
      },
      {
        name: 'a connection reset',
        action: { ...LIGHT },
        code: 'IOTX_BAD_RESPONSE',
        setup: (s) => s.setFault({ kind: 'reset' }),
      },
    ];
    for (const envelope of ['response', 'wrapper'] as const) {
      for (const c of cases) {
        it(`${c.name} → ${c.code} (${envelope} envelope)`, async function () {
          sim.envelope = envelope;
          c.setup?.(sim);
          await load(actionFlow(sim.tokenapiUrl, c.action), credentials(c.token));
          const { output, error } = await call({ topic: 't', payload: c.payload ?? { time: 1 } });
          assert.equal(output, undefined, 'nothing leaves on the wire');
          assert.equal(error?.error.code, c.code);
          assert.equal(error?.topic, 't');
          assert.equal(error?.iotexplorer.action, 'AppCallDeviceActionSync');
          assert.ok(String(error?.error.message).length > 20);
          assert.doesNotMatch(String(error?.error.message), /^(Error|IotExplorerError):/);
          if (!c.code.startsWith('IOTX_')) assert.match(String(error?.iotexplorer.requestId), /.+/);
        });
      }
    }

    it('reports the offline Status and the request id on the error message', async function () {
      await load(actionFlow(sim.tokenapiUrl, { ...OFFLINE_LAMP }));
      const { error } = await call({ payload: {} });
      assert.equal(error?.iotexplorer.status, 'FailedOperation.ActionUnreachable|动作消息不可达');
      assert.equal(error?.iotexplorer.requestId, actionRequests(sim)[0].RequestId);
      assert.match(String(error?.error.message), /offline/);
    });

    it('a device slower than the service allows → FailedOperation.Timeout', async function () {
      await load(actionFlow(sim.tokenapiUrl, { ...SLOW }));
      const { error } = await call({ payload: {} });
      assert.equal(error?.error.code, 'FailedOperation.Timeout');
    });

    it('no answer within the account timeout → IOTX_TIMEOUT', async function () {
      sim.setFault({ kind: 'noAnswer' });
      await load(actionFlow(sim.tokenapiUrl, { ...LIGHT }, { timeout: '300' }));
      const started = Date.now();
      const { error } = await call({ payload: {} });
      assert.equal(error?.error.code, 'IOTX_TIMEOUT');
      assert.ok(Date.now() - started < 3000);
    });

    it('an endpoint where nothing listens → IOTX_NETWORK', async function () {
      const port = await closedPort();
      await load(actionFlow(`http://127.0.0.1:${port}/api/exploreropen/tokenapi`, { ...LIGHT }));
      const { error } = await call({ payload: {} });
      assert.equal(error?.error.code, 'IOTX_NETWORK');
      assert.match(String(error?.error.message), /ECONNREFUSED/);
    });

    it('an endpoint that is not a URL → IOTX_INVALID_ENDPOINT', async function () {
      await load(actionFlow('not a url', { ...LIGHT }));
      const { error } = await call({ payload: {} });
      assert.equal(error?.error.code, 'IOTX_INVALID_ENDPOINT');
    });

    it('keeps working after failures: the next message succeeds', async function () {
      sim.setFault({ kind: 'http5xx', count: 1 });
      await load(actionFlow(sim.tokenapiUrl, { ...LIGHT }));
      const first = await call({ payload: {} });
      const second = await call({ payload: { time: 1 } });
      assert.equal(first.error?.error.code, 'IOTX_HTTP_STATUS');
      assert.equal(second.output?.iotexplorer.status, 'succ');
    });
  });

  describe('validation before any request', function () {
    const cases: Array<{
      name: string;
      action?: Record<string, unknown>;
      msg: Record<string, unknown>;
      code: string;
      names: RegExp;
    }> = [
      {
        name: 'no ProductId',
        msg: { deviceName: 'd', actionId: 'a' },
        code: 'IOTX_MISSING_FIELD',
        names: /ProductId/,
      },
      {
        name: 'no DeviceName',
        msg: { productId: 'p', actionId: 'a' },
        code: 'IOTX_MISSING_FIELD',
        names: /DeviceName/,
      },
      {
        name: 'a blank ActionId',
        msg: { productId: 'p', deviceName: 'd', actionId: '  ' },
        code: 'IOTX_MISSING_FIELD',
        names: /ActionId/,
      },
      {
        name: 'an object as DeviceName',
        msg: { productId: 'p', deviceName: { a: 1 }, actionId: 'a' },
        code: 'IOTX_INVALID_FIELD',
        names: /DeviceName/,
      },
      {
        name: 'a number as InputParams',
        action: LIGHT,
        msg: { payload: 1700000000 },
        code: 'IOTX_INVALID_INPUT_PARAMS',
        names: /InputParams/,
      },
      {
        name: 'an array as InputParams',
        action: LIGHT,
        msg: { payload: [1, 2] },
        code: 'IOTX_INVALID_INPUT_PARAMS',
        names: /InputParams/,
      },
      {
        name: 'a non-JSON string as InputParams',
        action: LIGHT,
        msg: { payload: 'time=3' },
        code: 'IOTX_INVALID_INPUT_PARAMS',
        names: /InputParams/,
      },
      {
        name: 'a JSON string of an array',
        action: LIGHT,
        msg: { payload: '[1]' },
        code: 'IOTX_INVALID_INPUT_PARAMS',
        names: /InputParams/,
      },
    ];
    for (const c of cases) {
      it(`${c.name} → ${c.code}, naming the field, and no HTTP request`, async function () {
        await load(actionFlow(sim.tokenapiUrl, c.action ?? {}));
        const { output, error } = await call(c.msg);
        assert.equal(output, undefined);
        assert.equal(error?.error.code, c.code);
        assert.match(String(error?.error.message), c.names);
        assert.equal(sim.requests.length, 0);
      });
    }

    it('a cyclic object as InputParams → IOTX_INVALID_INPUT_PARAMS', async function () {
      await load(actionFlow(sim.tokenapiUrl, { ...LIGHT }));
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = cyclic;
      const act = helper.getNode('act');
      const errors = collectOutcomes(1);
      // Node-RED clones messages between nodes; calling the input handler directly keeps the cycle.
      act.emit(
        'input',
        { _msgid: 'x', payload: cyclic },
        () => undefined,
        (err?: Error) => {
          if (err)
            helper.getNode('err').receive({
              error: { code: (err as Error & { code: string }).code },
            });
        },
      );
      const [outcome] = await errors;
      assert.equal(outcome.error?.error.code, 'IOTX_INVALID_INPUT_PARAMS');
      assert.equal(sim.requests.length, 0);
    });

    it('an account without a token → IOTX_NO_TOKEN and no request', async function () {
      await load(actionFlow(sim.tokenapiUrl, { ...LIGHT }), {});
      const { error } = await call({ payload: {} });
      assert.equal(error?.error.code, 'IOTX_NO_TOKEN');
      assert.match(String(error?.error.message), /test account/);
      assert.equal(sim.requests.length, 0);
    });

    it('no account at all → IOTX_NO_ACCOUNT', async function () {
      const flow = actionFlow(sim.tokenapiUrl, { ...LIGHT, account: '' }).filter(
        (n) => n.id !== 'acc',
      );
      await load(flow, {});
      const { error } = await call({ payload: {} });
      assert.equal(error?.error.code, 'IOTX_NO_ACCOUNT');
    });
  });

  describe('message life cycle', function () {
    it('calls done() exactly once per message, on success and on failure', async function () {
      await load(actionFlow(sim.tokenapiUrl));
      const act = helper.getNode('act') as Node & { _complete: (...args: unknown[]) => void };
      const complete = sinon.spy(act, '_complete');
      const outcomes = collectOutcomes(6);
      act.receive({ ...LIGHT, payload: {} });
      act.receive({ ...OFFLINE_LAMP, payload: {} });
      act.receive({ ...LIGHT, payload: 5 });
      act.receive({ ...LIGHT, actionId: 'fly', payload: {} });
      act.receive({ ...LOCK, payload: { userid: 'a', duration: 3 } });
      act.receive({ payload: {} });
      const results = await outcomes;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(results.length, 6);
      assert.equal(complete.callCount, 6);
      const ids = complete.getCalls().map((c) => (c.args[0] as { _msgid: string })._msgid);
      assert.equal(new Set(ids).size, 6);
    });

    it('ends in-flight calls promptly and cleanly when the flow stops', async function () {
      sim.setFault({ kind: 'noAnswer' });
      await load(actionFlow(sim.tokenapiUrl, { ...LIGHT }));
      const act = helper.getNode('act') as Node & { _complete: (...args: unknown[]) => void };
      const complete = sinon.spy(act, '_complete');
      const err = helper.getNode('err');
      let caught = 0;
      err.on('input', () => (caught += 1));
      for (let i = 0; i < 5; i += 1) act.receive({ payload: { time: i } });
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(sim.requests.length, 5);
      const started = Date.now();
      await helper.unload();
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(Date.now() - started < 1000, 'a redeploy never waits on a slow device');
      assert.equal(complete.callCount, 5, 'each message gets its one done');
      assert.equal(caught, 0, 'nothing is reported into the stopping flow');
    });

    it('shows calls in flight, then the last status or error code', async function () {
      await load(actionFlow(sim.tokenapiUrl));
      const act = helper.getNode('act') as Node & { status: sinon.SinonSpy };
      await call({ ...LIGHT, payload: {} });
      await new Promise((r) => setTimeout(r, 300));
      await call({ ...OFFLINE_LAMP, payload: {} });
      await new Promise((r) => setTimeout(r, 300));
      const painted = act.status
        .getCalls()
        .map((c) => c.args[0] as { fill?: string; text?: string });
      assert.ok(
        painted.some((s) => s.fill === 'blue'),
        'busy shown',
      );
      assert.ok(
        painted.some((s) => s.fill === 'green' && s.text === 'succ'),
        'last result shown',
      );
      assert.deepEqual(painted.at(-1), {
        fill: 'red',
        shape: 'ring',
        text: 'FailedOperation.ActionUnreachable',
      });
    });
  });
  describe('asynchronous calls (mode "async")', function () {
    it('hands the call to the cloud: payload null, status Sent, and the device acts afterwards', async function () {
      await load(actionFlow(sim.tokenapiUrl, { ...LOCK, mode: 'async' }));
      const { output, error } = await call({ topic: 'door', payload: { userid: 'alice' } });
      assert.equal(error, undefined, error && JSON.stringify(error.error));
      assert.equal(output?.topic, 'door');
      assert.equal(output?.payload, null);
      const info = output?.iotexplorer;
      assert.equal(info.action, 'AppCallDeviceActionAsync');
      assert.equal(info.status, 'Sent');
      assert.match(info.clientToken, /^[0-9a-f]{32}$/);
      assert.equal(info.outputParams, null);
      const [sent] = sim.requests.filter((r) => r.action === 'AppCallDeviceActionAsync');
      assert.equal((sent.body as Record<string, unknown>).InputParams, '{"userid":"alice"}');
      assert.equal(sim.requests.filter((r) => r.action === 'AppCallDeviceActionSync').length, 0);
      for (let i = 0; i < 100 && sim.actionCalls.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(sim.actionCalls[0]?.mode, 'async');
    });

    it('reports an offline device as ActionUnreachable', async function () {
      await load(actionFlow(sim.tokenapiUrl, { ...OFFLINE_LAMP, mode: 'async' }));
      const { error } = await call({ payload: { time: 1 } });
      assert.equal(error?.error.code, 'FailedOperation.ActionUnreachable');
      assert.equal(error?.iotexplorer.action, 'AppCallDeviceActionAsync');
    });

    it('keeps a node saved before the choice existed synchronous', async function () {
      await load(actionFlow(sim.tokenapiUrl, { ...LOCK }));
      const { output } = await call({ payload: { userid: 'alice' } });
      assert.equal(output?.iotexplorer.action, 'AppCallDeviceActionSync');
      assert.equal(output?.payload.result, 0);
    });
  });
});
