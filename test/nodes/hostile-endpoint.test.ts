import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Node } from 'node-red';
import type sinon from 'sinon';
import type { Simulator } from '../../simulator';
import {
  LIGHT,
  NODES,
  OFFLINE_LAMP,
  actionFlow,
  call,
  coreNode,
  credentials,
  helper,
  load,
  useRuntimeAndSimulator,
  type Outcome,
} from '../support/runtime';
import { apiErrorReply, startHostileServer, type HostileServer } from '../support/hostile';
import { exampleFlow, type Msg } from '../support/examples';
import { replacer, visibleText } from '../support/visible';

type SpiedNode = Node & Record<string, sinon.SinonSpy>;

const TOKEN = 'echoed-secret-token-5d0c3b7a91e4';

/** Everything a user could see of the flow: the outcome, the nodes' status, logs and warnings. */
function seen(outcomes: Outcome[]): string {
  const nodes = ['act', 'acc'].map((id) => helper.getNode(id) as SpiedNode);
  return JSON.stringify(outcomes, replacer) + visibleText(nodes);
}

describe('an endpoint that echoes secrets or misbehaves', function () {
  let server: HostileServer | undefined;

  before(async function () {
    await new Promise<void>((resolve) => helper.startServer(resolve));
  });
  after(async function () {
    await new Promise<void>((resolve) => helper.stopServer(resolve));
  });
  afterEach(async function () {
    await helper.unload();
    await server?.close();
    server = undefined;
  });

  describe("a token echoed in an action reply's Status", function () {
    it('is redacted from msg.iotexplorer.status on success', async function () {
      server = await startHostileServer(() => ({
        Response: { RequestId: 'r1', Status: `succ for ${TOKEN}`, OutputParams: '{}' },
      }));
      await load(actionFlow(server.tokenapiUrl, { ...LIGHT }), credentials(TOKEN));
      const outcome = await call({ payload: {} });
      assert.equal(server.requests[0]?.body.AccessToken, TOKEN, 'the token was sent');
      assert.equal(outcome.error, undefined);
      assert.match(String(outcome.output?.iotexplorer.status), /^succ for \*\*\*$/);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the throttled status repaint
      assert.equal(seen([outcome]).includes(TOKEN), false, 'the token reached the user');
    });

    it('is redacted from msg.error.message, msg.iotexplorer.status, the status and the log on failure', async function () {
      server = await startHostileServer(() => ({
        Response: {
          RequestId: 'r1',
          Status: `FailedOperation.ActionUnreachable|token ${TOKEN} is not welcome`,
        },
      }));
      await load(actionFlow(server.tokenapiUrl, { ...LIGHT }), credentials(TOKEN));
      const outcome = await call({ payload: {} });
      assert.equal(outcome.error?.error.code, 'FailedOperation.ActionUnreachable');
      assert.match(String(outcome.error?.iotexplorer.status), /\*\*\*/);
      assert.match(String(outcome.error?.error.message), /\*\*\*/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(seen([outcome]).includes(TOKEN), false, 'the token reached the user');
    });

    it("is not in example 02's HTTP answer", async function () {
      const SECRET = 'unlock-secret-for-the-test-91ab';
      const saved = process.env.UNLOCK_SECRET;
      process.env.UNLOCK_SECRET = SECRET;
      server = await startHostileServer(() => ({
        Response: { RequestId: 'r1', Status: `FailedOperation.Timeout|late, ${TOKEN}` },
      }));
      let httpNode: http.RequestListener | undefined;
      const capture = (red: { httpNode: http.RequestListener }): void => {
        httpNode = red.httpNode;
      };
      const core = [
        'common/25-catch.js',
        'function/10-function.js',
        'function/10-switch.js',
        'function/15-change.js',
        'network/21-httpin.js',
      ].map(coreNode);
      const front = http.createServer((req, res) => httpNode?.(req, res));
      try {
        await helper.load(
          [...NODES, ...core, capture],
          exampleFlow('02 - Unlock the door from an HTTP endpoint.json', server.tokenapiUrl),
          credentials(TOKEN),
        );
        await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
        const { port } = front.address() as AddressInfo;
        const res = await fetch(`http://127.0.0.1:${port}/unlock`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Unlock-Secret': SECRET },
          body: JSON.stringify({ user: 'alice' }),
        });
        const text = await res.text();
        assert.equal(res.status, 502, text);
        assert.equal((JSON.parse(text) as Msg).code, 'FailedOperation.Timeout');
        // The action once (the example's account also reads the home once, for device names).
        const calls = server.requests.filter((r) => r.action.startsWith('AppCallDeviceAction'));
        assert.equal(calls.length, 1, 'the call reached the endpoint');
        assert.equal(text.includes(TOKEN), false, `the token is in the answer: ${text}`);
      } finally {
        front.closeAllConnections();
        await new Promise<void>((resolve) => front.close(() => resolve()));
        if (saved === undefined) delete process.env.UNLOCK_SECRET;
        else process.env.UNLOCK_SECRET = saved;
      }
    });
  });

  describe('a refused sign-in', function () {
    const EMAIL = 'someone.private@example.com';
    const PHONE = '13912345678';
    const PASSWORD = 'the-password-3c9e';

    for (const [label, account, creds] of [
      [
        'by e-mail',
        { loginType: 'email' },
        { appSecret: 'app-secret-77aa', email: EMAIL, password: PASSWORD },
      ],
      [
        'by phone',
        { loginType: 'phone', countryCode: '86' },
        { appSecret: 'app-secret-77aa', phoneNumber: PHONE, password: PASSWORD },
      ],
    ] as const) {
      it(`carries no login in its error, status or log (${label})`, async function () {
        server = await startHostileServer((request) =>
          request.action === 'AppGetToken'
            ? apiErrorReply(
                'InvalidParameterValue.UserLoginFailed',
                `no user ${String(request.body.Email ?? request.body.PhoneNumber)} with password ${String(request.body.Password)}`,
              )
            : apiErrorReply('InternalError', 'unexpected'),
        );
        const flow = actionFlow(
          server.tokenapiUrl,
          { ...LIGHT },
          {
            authMode: 'signin',
            appKey: 'app-key-1',
            appapiEndpoint: server.appapiUrl,
            ...account,
          },
        );
        await load(flow, { acc: creds });
        const outcome = await call({ payload: {} });
        assert.equal(outcome.error?.error.code, 'InvalidParameterValue.UserLoginFailed');
        assert.ok(
          server.requests.some((r) => r.action === 'AppGetToken'),
          'the sign-in reached the endpoint',
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        const text = seen([outcome]);
        assert.match(text, /\*\*\*/, 'the refusal text is there, redacted');
        for (const secret of [EMAIL, PHONE, PASSWORD]) {
          assert.equal(text.includes(secret), false, `${secret} reached the user`);
        }
      });
    }
  });
});

describe('every failure reaches a catch node with its message', function () {
  let sim: Simulator;
  useRuntimeAndSimulator((started) => (sim = started));

  /** A message nested `depth` levels deep under msg.deep. */
  function deepMessage(depth: number): Msg {
    const root: Msg = {};
    let level = root;
    for (let i = 0; i < depth; i++) {
      level.next = {};
      level = level.next as Msg;
    }
    return { topic: 'deep', deep: root, payload: {} };
  }

  it('a message 4000 levels deep: the device failure is caught with the message', async function () {
    await load(actionFlow(sim.tokenapiUrl, { ...OFFLINE_LAMP }));
    const msg = deepMessage(4000);
    const outcome = await call(msg);
    assert.equal(outcome.error?.error.code, 'FailedOperation.ActionUnreachable');
    assert.equal(outcome.error?.topic, 'deep');
    assert.equal(outcome.error?._msgid, msg._msgid);
    assert.equal(outcome.error?.iotexplorer.action, 'AppCallDeviceActionSync');
    assert.equal(sim.actionCalls.length, 0, 'the device was offline: nothing ran');
  });

  it('a message with a getter that throws: the failure is caught with the message', async function () {
    await load(actionFlow(sim.tokenapiUrl, { ...OFFLINE_LAMP }));
    const msg: Msg = { topic: 'trap', payload: {} };
    Object.defineProperty(msg, 'trap', {
      enumerable: true,
      get(): never {
        throw new Error('no reading this');
      },
    });
    const outcome = await call(msg);
    assert.equal(outcome.error?.error.code, 'FailedOperation.ActionUnreachable');
    assert.equal(outcome.error?.topic, 'trap');
    assert.equal(
      'trap' in (outcome.error ?? {}),
      false,
      'the part that cannot be copied is left out',
    );
  });

  it('a fault that is not the input is IOTX_UNEXPECTED, never a user-input code', async function () {
    await load(actionFlow(sim.tokenapiUrl, { ...LIGHT }));
    const msg: Msg = { topic: 'getter' };
    // Not enumerable: the runtime's copy for the catch node does not read it.
    Object.defineProperty(msg, 'payload', {
      enumerable: false,
      get(): never {
        throw new TypeError('a context store failed');
      },
    });
    const outcome = await call(msg);
    assert.equal(outcome.error?.error.code, 'IOTX_UNEXPECTED');
    assert.match(String(outcome.error?.error.message), /a context store failed/);
    assert.equal(sim.requests.length, 0, 'nothing was sent');
  });
});
