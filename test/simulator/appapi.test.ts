import assert from 'node:assert/strict';
import { signAppApiParams, startSimulator, type Simulator } from '../../simulator';
import { APP_SECRET, postJson, signedLogin, tokenApiOk, type Json } from './helpers';

const DEMO_EMAIL = { Type: 'email', Email: 'demo@example.com', Password: 'demo-password' };
const DEMO_PHONE = {
  Type: 'phone',
  CountryCode: '86',
  PhoneNumber: '13800000000',
  Password: 'demo-password',
};

describe('simulator appapi AppGetToken', function () {
  let sim: Simulator;
  let clock: number;
  beforeEach(async function () {
    clock = 1_800_000_000_000;
    sim = await startSimulator({ now: () => clock });
  });
  afterEach(async function () {
    await sim.close();
  });

  const login = async (params: Record<string, unknown>): Promise<Json> =>
    (await postJson(sim.appapiUrl, params)).Response;

  it('logs in by email and issues a token valid for 40 days by default', async function () {
    const params = signedLogin(sim, DEMO_EMAIL);
    const out = await login(params);
    assert.equal(out.Error, undefined, JSON.stringify(out.Error));
    assert.equal(out.RequestId, params.RequestId);
    const { Token, ExpireAt } = out.Data;
    assert.match(Token, /^[0-9a-f]{32}$/);
    assert.equal(ExpireAt, clock / 1000 + 40 * 24 * 3600);
    const user = await tokenApiOk(sim, 'AppGetUser', {}, Token);
    assert.equal(user.Data.UserID, 'u-demo');
    clock = ExpireAt * 1000 + 1;
    const expired = await postJson(sim.tokenapiUrl, {
      Action: 'AppGetUser',
      RequestId: 'x',
      AccessToken: Token,
    });
    assert.equal(expired.Response.Error.Code, 'InvalidParameterValue.InvalidAccessToken');
  });

  it('logs in by phone, with or without "+" in the country code, and gives a fresh token each time', async function () {
    const a = await login(signedLogin(sim, DEMO_PHONE));
    const b = await login(signedLogin(sim, { ...DEMO_PHONE, CountryCode: '+86' }));
    assert.ok(a.Data?.Token && b.Data?.Token);
    assert.notEqual(a.Data.Token, b.Data.Token);
  });

  it('uses tokenTtlSeconds from the options', async function () {
    const other = await startSimulator({ now: () => clock, tokenTtlSeconds: 120 });
    try {
      const out = (await postJson(other.appapiUrl, signedLogin(other, DEMO_EMAIL))).Response;
      assert.equal(out.Data.ExpireAt, clock / 1000 + 120);
    } finally {
      await other.close();
    }
  });

  it('answers a wrong password or an unknown user with InternalError and the packed code in Message', async function () {
    const expected = {
      Code: 'InternalError',
      Message: 'InvalidParameterValue.UserLoginFailed|用户登录失败',
    };
    assert.deepEqual(
      (await login(signedLogin(sim, { ...DEMO_EMAIL, Password: 'wrong' }))).Error,
      expected,
    );
    assert.deepEqual(
      (await login(signedLogin(sim, { ...DEMO_EMAIL, Email: 'ghost@example.com' }))).Error,
      expected,
    );
    assert.deepEqual(
      (await login(signedLogin(sim, { ...DEMO_PHONE, CountryCode: '1' }))).Error,
      expected,
    );
  });

  it('answers a locked account with UserLoginForbidden packed the same way', async function () {
    const out = await login(
      signedLogin(sim, { Type: 'email', Email: 'locked@example.com', Password: 'locked-password' }),
    );
    assert.deepEqual(out.Error, {
      Code: 'InternalError',
      Message: 'InvalidParameterValue.UserLoginForbidden|账号被锁定',
    });
  });

  it('refuses a bad signature with AuthFailure.SignatureFailure', async function () {
    const wrongSecret = signedLogin(sim, DEMO_EMAIL, {}, 'notTheSecret');
    assert.equal((await login(wrongSecret)).Error.Code, 'AuthFailure.SignatureFailure');
    const tampered = { ...signedLogin(sim, DEMO_EMAIL), Password: 'demo-password ' };
    assert.equal((await login(tampered)).Error.Code, 'AuthFailure.SignatureFailure');
    const good = signedLogin(sim, DEMO_EMAIL, {}, APP_SECRET);
    assert.ok((await login(good)).Data.Token);
  });

  it('refuses a Timestamp outside the window with InvalidParameterValue', async function () {
    const now = Math.floor(clock / 1000);
    for (const ts of [now - 301, now + 301]) {
      const out = await login(signedLogin(sim, DEMO_EMAIL, { Timestamp: ts }));
      assert.equal(out.Error.Code, 'InvalidParameterValue');
      assert.match(out.Error.Message, /Timestamp expired/);
    }
    for (const ts of [now - 300, now + 300, String(now)]) {
      assert.ok((await login(signedLogin(sim, DEMO_EMAIL, { Timestamp: ts }))).Data, String(ts));
    }
  });

  it('honours timestampWindowSeconds', async function () {
    const other = await startSimulator({ now: () => clock, timestampWindowSeconds: 5 });
    try {
      const out = (
        await postJson(
          other.appapiUrl,
          signedLogin(other, DEMO_EMAIL, { Timestamp: clock / 1000 - 6 }),
        )
      ).Response;
      assert.equal(out.Error.Code, 'InvalidParameterValue');
    } finally {
      await other.close();
    }
  });

  it('refuses an unknown AppKey with InvalidParameterValue', async function () {
    const out = await login(signedLogin(sim, DEMO_EMAIL, { AppKey: 'otherAppKey' }));
    assert.equal(out.Error.Code, 'InvalidParameterValue');
    assert.match(out.Error.Message, /AppKey does not exist/);
  });

  it('requires the common params and the login params, naming the missing one', async function () {
    const full = signedLogin(sim, DEMO_EMAIL);
    for (const name of ['AppKey', 'Signature', 'Timestamp', 'Nonce', 'Type', 'Email', 'Password']) {
      const params: Record<string, unknown> = { ...full };
      delete params[name];
      if (name !== 'Signature') params.Signature = signAppApiParams(params, APP_SECRET);
      const out = await login(params);
      assert.equal(out.Error?.Code, 'ErrorRequiredParamNotFound', name);
      assert.match(out.Error.Message, new RegExp(name));
    }
    const phoneOnly = signedLogin(sim, {
      Type: 'phone',
      PhoneNumber: '13800000000',
      Password: 'demo-password',
    });
    assert.match((await login(phoneOnly)).Error.Message, /CountryCode/);
  });

  it('refuses a bad Nonce or Type with InvalidParameterValue', async function () {
    assert.match((await login(signedLogin(sim, DEMO_EMAIL, { Nonce: 0 }))).Error.Message, /Nonce/);
    assert.match(
      (await login(signedLogin(sim, DEMO_EMAIL, { Nonce: 1.5 }))).Error.Message,
      /Nonce/,
    );
    const badType = await login(signedLogin(sim, { ...DEMO_EMAIL, Type: 'wechat' }));
    assert.equal(badType.Error.Code, 'InvalidParameterValue');
    assert.match(badType.Error.Message, /Type/);
  });

  it('refuses a tokenapi Action on appapi with InvalidAction', async function () {
    const out = await login(signedLogin(sim, DEMO_EMAIL, { Action: 'AppGetTokenByWeiXin' }));
    assert.equal(out.Error.Code, 'InvalidAction');
  });

  it('answers in the wrapper envelope too', async function () {
    sim.envelope = 'wrapper';
    const ok = await postJson(sim.appapiUrl, signedLogin(sim, DEMO_EMAIL));
    assert.equal(ok.code, 0);
    assert.ok(ok.data.Data.Token);
    const bad = await postJson(sim.appapiUrl, signedLogin(sim, { ...DEMO_EMAIL, Password: 'x' }));
    assert.equal(bad.code, -1000);
    assert.equal(bad.msg, 'InvalidParameterValue.UserLoginFailed|用户登录失败');
    assert.equal(bad.data.Error.Code, 'InternalError');
  });
});
