import assert from 'node:assert/strict';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';
import {
  DEMO_TOKEN,
  LIGHT,
  actionFlow,
  call,
  collectOutcomes,
  helper,
  load,
  type Outcome,
} from '../support/runtime';
import {
  adminCredentials,
  replacer,
  spiesOf,
  visibleText,
  type SpiedNode,
} from '../support/visible';

const DAY_S = 86400;
const APP_SECRET = 'demoAppSecret';
const PASSWORD = 'demo-password';

/** The account settings of sign-in mode for the fixture's demo user. */
const SIGN_IN = {
  authMode: 'signin',
  appKey: 'demoAppKey',
  loginType: 'email',
};
const signInCredentials = (overrides: Record<string, string> = {}) => ({
  acc: { appSecret: APP_SECRET, email: 'demo@example.com', password: PASSWORD, ...overrides },
});

function bodies(sim: Simulator, action: string): Array<Record<string, unknown>> {
  return sim.requests
    .filter((r) => r.action === action)
    .map((r) => r.body as Record<string, unknown>);
}

function failures(outcomes: Outcome[]): Outcome[] {
  return outcomes.filter((o) => o.error !== undefined);
}

/** Sends `count` messages at once and waits for all their outcomes. */
async function burst(count: number): Promise<Outcome[]> {
  const outcomes = collectOutcomes(count, 20000);
  const act = helper.getNode('act');
  for (let i = 0; i < count; i++) act.receive({ payload: { time: 1 } });
  return outcomes;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('iot-explorer-account: tokens that do not silently expire', function () {
  let sim: Simulator;
  /** Added to the simulator's clock: a test moves it to expire tokens. */
  let offsetMs: number;

  async function start(options: SimulatorOptions = {}): Promise<void> {
    sim = await startSimulator({ now: () => Date.now() + offsetMs, ...options });
  }
  const flow = (account: Record<string, unknown> = SIGN_IN) =>
    actionFlow(sim.tokenapiUrl, { ...LIGHT }, account);

  before(async function () {
    await new Promise<void>((resolve) => helper.startServer(resolve));
  });
  after(async function () {
    await new Promise<void>((resolve) => helper.stopServer(resolve));
  });
  beforeEach(function () {
    offsetMs = 0;
  });
  afterEach(async function () {
    await helper.unload();
    await sim?.close();
  });

  describe('sign-in mode', function () {
    it('runs across a token expiry (the clock jumps 41 days) without a failed message', async function () {
      // Our Timestamp follows the real clock, the simulator's has jumped: widen its window.
      await start({ timestampWindowSeconds: 100 * DAY_S });
      await load(flow(), signInCredentials());
      const before = await burst(5);
      offsetMs = 41 * DAY_S * 1000;
      const afterExpiry = await burst(5);
      const sequential: Outcome[] = [];
      for (let i = 0; i < 5; i++) sequential.push(await call({ payload: { time: 1 } }));

      const all = [...before, ...afterExpiry, ...sequential];
      assert.deepEqual(failures(all), [], JSON.stringify(failures(all)[0]?.error));
      assert.equal(sim.actionCalls.length, 15, 'each message ran its action exactly once');
      assert.equal(bodies(sim, 'AppGetToken').length, 2, 'one sign-in at start, one renewal');
    });

    it('renews short-lived tokens ahead of time while messages keep flowing', async function () {
      await start({ tokenTtlSeconds: 2 });
      await load(flow(), signInCredentials());
      const outcomes: Outcome[] = [];
      const until = Date.now() + 4500;
      while (Date.now() < until) {
        outcomes.push(await call({ payload: { time: 1 } }));
        await delay(100);
      }
      assert.ok(outcomes.length >= 10);
      assert.deepEqual(failures(outcomes), [], JSON.stringify(failures(outcomes)[0]?.error));
      const signIns = bodies(sim, 'AppGetToken').length;
      assert.ok(signIns >= 3, `${signIns} sign-ins in 4.5 s of 2-second tokens`);
      assert.equal(sim.actionCalls.length, outcomes.length);
    });

    it('retries a refused call once, with a new token, and the device acts exactly once', async function () {
      await start();
      await load(flow(), signInCredentials());
      assert.equal((await call({ payload: { time: 1 } })).error, undefined);
      const [first] = bodies(sim, 'AppCallDeviceActionSync');
      sim.revokeToken(String(first.AccessToken));
      sim.resetRecords();

      const { output, error } = await call({ payload: { time: 2 } });
      assert.equal(error, undefined, JSON.stringify(error));
      assert.equal(output?.payload.err_code, 0);
      const calls = bodies(sim, 'AppCallDeviceActionSync');
      assert.equal(calls.length, 2, 'the refused call and its one retry');
      assert.equal(calls[0].AccessToken, first.AccessToken);
      assert.notEqual(calls[1].AccessToken, first.AccessToken);
      assert.equal(bodies(sim, 'AppGetToken').length, 1);
      assert.equal(sim.actionCalls.length, 1, 'the device ran the action once');
      assert.deepEqual(sim.actionCalls[0].params, { time: 2 });
    });

    it('signs in once for 50 concurrent calls, at start and after a refusal', async function () {
      await start();
      await load(flow(), signInCredentials());
      const first = await burst(50);
      assert.deepEqual(failures(first), []);
      assert.equal(bodies(sim, 'AppGetToken').length, 1);

      sim.revokeToken(String(bodies(sim, 'AppCallDeviceActionSync')[0].AccessToken));
      const second = await burst(50);
      assert.deepEqual(failures(second), [], JSON.stringify(failures(second)[0]?.error));
      assert.equal(bodies(sim, 'AppGetToken').length, 2, 'one renewal for 50 refused calls');
      assert.equal(sim.actionCalls.length, 100);
    });

    it('logs the token out when the flow stops', async function () {
      await start();
      await load(flow(), signInCredentials());
      await call({ payload: { time: 1 } });
      const token = String(bodies(sim, 'AppCallDeviceActionSync')[0].AccessToken);
      await helper.unload();
      const logout = bodies(sim, 'AppLogoutUser');
      assert.equal(logout.length, 1);
      assert.equal(logout[0].AccessToken, token);
      assert.equal(sim.model.userForToken(token), undefined);
    });

    for (const [label, account, creds, code] of [
      [
        'a wrong password',
        SIGN_IN,
        signInCredentials({ password: 'not-the-password' }),
        'InvalidParameterValue.UserLoginFailed',
      ],
      [
        'a locked user',
        SIGN_IN,
        signInCredentials({ email: 'locked@example.com', password: 'locked-password' }),
        'InvalidParameterValue.UserLoginForbidden',
      ],
      [
        'a wrong AppSecret',
        SIGN_IN,
        signInCredentials({ appSecret: 'not-the-app-secret' }),
        'AuthFailure.SignatureFailure',
      ],
      [
        'an unknown phone number',
        { ...SIGN_IN, loginType: 'phone', countryCode: '+86' },
        { acc: { appSecret: APP_SECRET, phoneNumber: '13999999999', password: PASSWORD } },
        'InvalidParameterValue.UserLoginFailed',
      ],
    ] as const) {
      it(`reports ${label} with the API's code and does not sign in again at once`, async function () {
        await start();
        await load(flow(account), creds);
        const outcomes = [...(await burst(10))];
        for (let i = 0; i < 10; i++) outcomes.push(await call({ payload: { time: 1 } }));
        assert.equal(failures(outcomes).length, 20);
        for (const o of outcomes) assert.equal(o.error?.error.code, code);
        assert.match(String(outcomes[0].error?.error.message), /test account/);
        assert.equal(bodies(sim, 'AppGetToken').length, 1, 'no sign-in storm');
        assert.equal(bodies(sim, 'AppCallDeviceActionSync').length, 0);
        const acc = spiesOf('acc');
        assert.ok(acc.warn.called, 'the failed sign-in is in the log');
        const act = spiesOf('act');
        await delay(400);
        assert.equal(act.status.lastCall.args[0].fill, 'red');
      });
    }

    it('names the empty fields when the sign-in settings are incomplete', async function () {
      await start();
      await load(flow(), { acc: { email: 'demo@example.com' } });
      const { error } = await call({ payload: {} });
      assert.equal(error?.error.code, 'IOTX_NO_TOKEN');
      assert.match(String(error?.error.message), /AppSecret, Password/);
      assert.equal(bodies(sim, 'AppGetToken').length, 0);
    });

    it('uses an explicit sign-in endpoint when one is set', async function () {
      await start();
      // The tokenapi endpoint leads nowhere, so the derived appapi one would too.
      await load(
        actionFlow(
          'http://127.0.0.1:1/api/exploreropen/tokenapi',
          { ...LIGHT },
          {
            ...SIGN_IN,
            appapiEndpoint: sim.appapiUrl,
          },
        ),
        signInCredentials(),
      );
      const { error } = await call({ payload: {} });
      assert.equal(error?.error.code, 'IOTX_NETWORK');
      assert.equal(bodies(sim, 'AppGetToken').length, 1, 'signed in at the explicit endpoint');
    });
  });

  describe('pasted mode', function () {
    it('warns in the log and on the nodes days before ExpireAt', async function () {
      await start();
      const expireAt = Math.floor(Date.now() / 1000) + 3 * DAY_S - 60;
      await load(flow({ authMode: 'token', tokenExpireAt: String(expireAt) }), {
        acc: { accessToken: DEMO_TOKEN },
      });
      const acc = spiesOf('acc');
      const act = spiesOf('act');
      assert.equal(acc.warn.callCount, 1);
      assert.match(String(acc.warn.firstCall.args[0]), /warn\.tokenExpiresSoon/);
      await delay(300);
      assert.deepEqual(
        { fill: act.status.lastCall.args[0].fill, shape: act.status.lastCall.args[0].shape },
        { fill: 'yellow', shape: 'ring' },
      );
      // The token still works; after a call the warning stays on the idle node.
      const { error } = await call({ payload: { time: 1 } });
      assert.equal(error, undefined);
      await delay(400);
      assert.equal(act.status.lastCall.args[0].fill, 'yellow');
      assert.equal(acc.warn.callCount, 1, 'once a day, not once a call');
    });

    it('stays quiet while ExpireAt is far, and for old flows without the new settings', async function () {
      await start();
      const far = Math.floor(Date.now() / 1000) + 30 * DAY_S;
      await load(flow({ tokenExpireAt: new Date(far * 1000).toISOString() }), {
        acc: { accessToken: DEMO_TOKEN },
      });
      assert.equal(spiesOf('acc').warn.callCount, 0);
      await helper.unload();
      await load(flow({}), { acc: { accessToken: DEMO_TOKEN } });
      assert.equal((await call({ payload: { time: 1 } })).error, undefined);
      assert.equal(spiesOf('acc').warn.callCount, 0);
    });

    it('after expiry says plainly that a new token is needed and where to get it', async function () {
      await start();
      await load(flow({ authMode: 'token', tokenExpireAt: '1600000000' }), {
        acc: { accessToken: 'expired-access-token' },
      });
      const acc = spiesOf('acc');
      assert.match(String(acc.warn.firstCall.args[0]), /warn\.tokenExpired/);
      const { error } = await call({ payload: {} });
      assert.equal(error?.error.code, 'InvalidParameterValue.InvalidAccessToken');
      assert.match(String(error?.error.message), /new token/);
      assert.match(String(error?.error.message), /sign-in mode/);
      assert.equal(
        bodies(sim, 'AppCallDeviceActionSync').length,
        1,
        'a pasted token is not retried',
      );
      assert.equal(bodies(sim, 'AppGetToken').length, 0);
    });
  });

  describe('secrets', function () {
    it('never shows the token, AppSecret or password in logs, status, errors, outputs or the flow', async function () {
      await start();
      await load(flow(), signInCredentials());
      const outcomes = [...(await burst(3))];
      outcomes.push(await call({ ...LIGHT, actionId: 'nope', payload: {} }));
      const token = String(bodies(sim, 'AppCallDeviceActionSync')[0].AccessToken);
      sim.revokeToken(token);
      outcomes.push(await call({ payload: { time: 1 } }));
      const acc = spiesOf('acc');
      const act = spiesOf('act');
      await delay(300);

      // And a refused sign-in, whose request carried another password.
      const wrong = 'wrong-password-5d1c8e';
      await helper.unload();
      await load(flow(), signInCredentials({ password: wrong }));
      outcomes.push(await call({ payload: {} }));
      const acc2 = spiesOf('acc');
      const act2 = spiesOf('act');

      const flows = (
        helper as unknown as { _redNodes: { getFlows(): unknown } }
      )._redNodes.getFlows();
      const admin = await adminCredentials('iot-explorer-account', 'acc');
      assert.equal(admin.has_password, true);
      assert.equal(admin.has_appSecret, true);

      const seen =
        JSON.stringify(outcomes, replacer) +
        visibleText([acc, act, acc2, act2] as unknown as SpiedNode[]) +
        JSON.stringify(flows) +
        JSON.stringify(admin) +
        JSON.stringify(
          Object.entries(acc2).filter(([key]) => key !== 'credentials'),
          replacer,
        );
      assert.ok(seen.length > 500);
      assert.ok(seen.includes('InvalidParameterValue.UserLoginFailed'));
      for (const secret of [token, APP_SECRET, PASSWORD, wrong]) {
        assert.equal(seen.includes(secret), false, `a secret leaked: ${secret.slice(0, 3)}…`);
      }
      // The sign-in really carried them: the check above could have found them.
      const signIn = bodies(sim, 'AppGetToken').at(-1) ?? {};
      assert.equal(signIn.Password, wrong);
      // Personal data stays out of the exported flow too.
      assert.equal(JSON.stringify(flows).includes('demo@example.com'), false);
    });
  });
});
