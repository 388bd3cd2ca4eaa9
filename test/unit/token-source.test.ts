import assert from 'node:assert/strict';
import type { IssuedToken } from '../../lib/api/client';
import { IotExplorerError } from '../../lib/errors/errors';
import {
  TokenHealth,
  parseExpireAt,
  pastedTokenNotice,
  watchPastedExpiry,
  type TokenNotice,
} from '../../lib/auth/token-health';
import {
  DAY_MS,
  createPastedTokenSource,
  createSignInTokenSource,
  renewalMargin,
  type SignInEvent,
  type SignInTokenSource,
} from '../../lib/auth/token-source';
import { ManualClock } from '../support/clock';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<IotExplorerError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof IotExplorerError, String(err));
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected ${code}`);
}

/** A sign-in that issues numbered tokens, or fails as told; counts its calls. */
function fakeSignIn(clock: ManualClock, lifetimeMs = 40 * DAY_MS) {
  const state = {
    calls: 0,
    failWith: undefined as IotExplorerError | undefined,
    /** When set, sign-ins wait for this before answering. */
    gate: undefined as Promise<void> | undefined,
    async signIn(): Promise<IssuedToken> {
      state.calls += 1;
      const n = state.calls;
      if (state.gate) await state.gate;
      if (state.failWith) throw state.failWith;
      return { token: `token-${n}`, expireAt: Math.floor((clock.now() + lifetimeMs) / 1000) };
    },
  };
  return state;
}

const LOGIN_FAILED = () =>
  new IotExplorerError({
    code: 'InvalidParameterValue.UserLoginFailed',
    key: 'signIn.loginFailed',
    apiMessage: '用户登录失败',
  });
const NETWORK = () =>
  new IotExplorerError({ code: 'IOTX_NETWORK', key: 'network', params: { reason: 'x' } });

describe('token sources', function () {
  let clock: ManualClock;
  let source: SignInTokenSource | undefined;
  let events: SignInEvent[];

  beforeEach(function () {
    clock = new ManualClock();
    events = [];
  });
  afterEach(function () {
    source?.close();
    source = undefined;
  });

  function signInSource(fake: ReturnType<typeof fakeSignIn>): SignInTokenSource {
    source = createSignInTokenSource({
      signIn: () => fake.signIn(),
      clock,
      onEvent: (e) => events.push(e),
    });
    return source;
  }

  describe('renewal margin', function () {
    it('is a tenth of the lifetime, at most one day', function () {
      assert.equal(renewalMargin(40 * DAY_MS), DAY_MS);
      assert.equal(renewalMargin(5 * DAY_MS), DAY_MS / 2);
      assert.equal(renewalMargin(3000), 300);
      assert.equal(renewalMargin(-5), 0);
    });
  });

  describe('sign-in', function () {
    it('signs in once and reuses the token while it is fresh', async function () {
      const fake = fakeSignIn(clock);
      const s = signInSource(fake);
      assert.equal(await s.getToken(), 'token-1');
      clock.advance(30 * DAY_MS);
      assert.equal(await s.getToken(), 'token-1');
      assert.equal(fake.calls, 1);
      assert.deepEqual(
        events.map((e) => e.type),
        ['signedIn'],
      );
    });

    it('renews by timer before ExpireAt, a day early for a 40-day token', async function () {
      const fake = fakeSignIn(clock);
      const s = signInSource(fake);
      s.start();
      await settle();
      assert.equal(fake.calls, 1);
      clock.advance(39 * DAY_MS - 60_000); // a minute before the margin begins
      await settle();
      assert.equal(fake.calls, 1);
      clock.advance(2 * 60_000);
      await settle();
      assert.equal(fake.calls, 2, 'the timer renewed the token');
      assert.equal(await s.getToken(), 'token-2');
      // And again for the new token, 39 days after it was issued.
      clock.advance(39 * DAY_MS + 60_000);
      await settle();
      assert.equal(fake.calls, 3);
    });

    it('renews a short-lived token when a tenth of its life is left', async function () {
      const fake = fakeSignIn(clock, 10_000);
      const s = signInSource(fake);
      assert.equal(await s.getToken(), 'token-1');
      clock.advance(8900);
      await settle();
      assert.equal(fake.calls, 1);
      clock.advance(200);
      await settle();
      assert.equal(fake.calls, 2);
      assert.equal(await s.getToken(), 'token-2');
    });

    it('within the margin, hands out the current token while renewing in the background', async function () {
      const fake = fakeSignIn(clock, 10_000);
      const s = signInSource(fake);
      assert.equal(await s.getToken(), 'token-1');
      let open!: () => void;
      fake.gate = new Promise((resolve) => (open = resolve));
      clock.advance(9500);
      assert.equal(await s.getToken(), 'token-1', 'no call waits for a renewal it does not need');
      open();
      await settle();
      assert.equal(await s.getToken(), 'token-2');
    });

    it('shares one sign-in among 50 concurrent callers', async function () {
      const fake = fakeSignIn(clock);
      const s = signInSource(fake);
      const tokens = await Promise.all(Array.from({ length: 50 }, () => s.getToken()));
      assert.equal(fake.calls, 1);
      assert.deepEqual(new Set(tokens), new Set(['token-1']));
    });

    it('renews a refused token once for 50 concurrent rejections', async function () {
      const fake = fakeSignIn(clock);
      const s = signInSource(fake);
      const first = await s.getToken();
      clock.advance(60_000);
      const renewed = await Promise.all(
        Array.from({ length: 50 }, () => s.renewAfterRejection(first)),
      );
      assert.equal(fake.calls, 2);
      assert.deepEqual(new Set(renewed), new Set(['token-2']));
      // A late rejection of the old token gets the new one without another sign-in.
      assert.equal(await s.renewAfterRejection(first), 'token-2');
      assert.equal(fake.calls, 2);
    });

    it('stops when a token from a fresh sign-in is refused at once', async function () {
      const fake = fakeSignIn(clock);
      const s = signInSource(fake);
      const first = await s.getToken();
      clock.advance(60_000);
      const second = await s.renewAfterRejection(first);
      const err = await rejectsWith(
        s.renewAfterRejection(second),
        'InvalidParameterValue.InvalidAccessToken',
      );
      assert.equal(err.key, 'signIn.freshTokenRefused');
      await rejectsWith(s.getToken(), 'InvalidParameterValue.InvalidAccessToken');
      assert.equal(fake.calls, 2, 'no sign-in during the back-off');
    });

    it('reports a refused sign-in with the API code and backs off instead of retrying', async function () {
      const fake = fakeSignIn(clock);
      fake.failWith = LOGIN_FAILED();
      const s = signInSource(fake);
      await rejectsWith(s.getToken(), 'InvalidParameterValue.UserLoginFailed');
      // 100 calls during the back-off fail at once, without signing in.
      for (let i = 0; i < 100; i++) {
        await rejectsWith(s.getToken(), 'InvalidParameterValue.UserLoginFailed');
      }
      assert.equal(fake.calls, 1);
      // No attempt unasked: repeating a wrong password could lock the account.
      clock.advance(60 * 60_000);
      await settle();
      assert.equal(fake.calls, 1);
      await rejectsWith(s.getToken(), 'InvalidParameterValue.UserLoginFailed');
      assert.equal(fake.calls, 2);
      // The wait doubles: 60 s now.
      clock.advance(45_000);
      await rejectsWith(s.getToken(), 'InvalidParameterValue.UserLoginFailed');
      assert.equal(fake.calls, 2);
      clock.advance(20_000);
      fake.failWith = undefined;
      assert.equal(await s.getToken(), 'token-3');
      const failures = events.filter((e) => e.type === 'failed');
      assert.equal(failures.length, 2);
      assert.equal(
        failures[0].type === 'failed' && failures[0].retryAt,
        Date.UTC(2025, 0, 1) + 30_000,
      );
    });

    it('retries a sign-in that got no answer by itself, soon and then less often', async function () {
      const fake = fakeSignIn(clock);
      fake.failWith = NETWORK();
      const s = signInSource(fake);
      s.start();
      await settle();
      assert.equal(fake.calls, 1);
      clock.advance(2000);
      await settle();
      assert.equal(fake.calls, 2);
      clock.advance(4000);
      await settle();
      assert.equal(fake.calls, 3);
      fake.failWith = undefined;
      clock.advance(8000);
      await settle();
      assert.equal(fake.calls, 4);
      assert.equal(await s.getToken(), 'token-4');
      // Bounded: at most ten minutes apart however long it fails.
      fake.failWith = NETWORK();
      const failing = createSignInTokenSource({ signIn: () => fake.signIn(), clock });
      failing.start();
      const before = fake.calls;
      clock.advance(60 * 60_000);
      await settle();
      failing.close();
      assert.ok(fake.calls - before <= 15, `${fake.calls - before} attempts in an hour`);
    });

    it('close() stops the timer and refuses later calls', async function () {
      const fake = fakeSignIn(clock);
      const s = signInSource(fake);
      await s.getToken();
      assert.equal(clock.pending, 1);
      s.close();
      assert.equal(clock.pending, 0);
      assert.equal(s.heldToken(), 'token-1');
      clock.advance(41 * DAY_MS);
      await rejectsWith(s.getToken(), 'IOTX_CLOSED');
      assert.equal(fake.calls, 1);
    });

    it('keeps using a token whose ExpireAt is already past by the local clock until refused', async function () {
      const s = createSignInTokenSource({
        signIn: () => Promise.resolve({ token: 'skewed', expireAt: 1 }),
        clock,
      });
      source = s;
      assert.equal(await s.getToken(), 'skewed');
      assert.equal(await s.getToken(), 'skewed');
      assert.equal(clock.pending, 0, 'no renewal loop');
    });
  });

  describe('pasted token', function () {
    it('hands out the pasted token and cannot renew it', async function () {
      const s = createPastedTokenSource({ token: ' abc ', account: 'home' });
      assert.equal(await s.getToken(), 'abc');
      assert.equal('renewAfterRejection' in s, false);
    });

    it('reports a missing token as IOTX_NO_TOKEN naming the account', function () {
      const s = createPastedTokenSource({ token: '', account: 'home' });
      assert.throws(
        () => s.getToken(),
        (err: IotExplorerError) => err.code === 'IOTX_NO_TOKEN' && err.message.includes('"home"'),
      );
    });

    it('reads ExpireAt as seconds, milliseconds or a date', function () {
      assert.equal(parseExpireAt('1556076201'), 1556076201);
      assert.equal(parseExpireAt(1556076201000), 1556076201);
      assert.equal(parseExpireAt('2019-04-24T03:23:21Z'), 1556076201);
      assert.equal(parseExpireAt(''), undefined);
      assert.equal(parseExpireAt('next week'), undefined);
    });

    it('gives a notice a week before ExpireAt and after it', function () {
      const expireAt = Math.floor(clock.now() / 1000) + 10 * 86400;
      assert.equal(pastedTokenNotice(expireAt, clock.now()), undefined);
      assert.deepEqual(pastedTokenNotice(expireAt, clock.now() + 3.5 * DAY_MS), {
        kind: 'expiresSoon',
        days: 7,
        expireAt,
      });
      assert.deepEqual(pastedTokenNotice(expireAt, clock.now() + 9.5 * DAY_MS), {
        kind: 'expiresSoon',
        days: 1,
        expireAt,
      });
      assert.deepEqual(pastedTokenNotice(expireAt, clock.now() + 10 * DAY_MS), {
        kind: 'expired',
        expireAt,
      });
    });

    it('warns at most once a day and keeps the notice current', function () {
      const expireAt = Math.floor(clock.now() / 1000) + 10 * 86400;
      const health = new TokenHealth();
      const warnings: TokenNotice[] = [];
      let changes = 0;
      health.subscribe(() => changes++);
      const stop = watchPastedExpiry({ expireAt, health, clock, warn: (n) => warnings.push(n) });
      assert.equal(health.current(), undefined);
      clock.advance(3 * DAY_MS + 3600_000);
      assert.deepEqual(warnings, [{ kind: 'expiresSoon', days: 7, expireAt }]);
      clock.advance(12 * 3600_000);
      assert.equal(warnings.length, 1, 'not twice in a day');
      clock.advance(12 * 3600_000);
      assert.equal(warnings.length, 2);
      clock.advance(6 * DAY_MS);
      assert.deepEqual(health.current(), { kind: 'expired', expireAt });
      assert.equal(warnings.at(-1)?.kind, 'expired');
      assert.ok(warnings.length <= 9);
      assert.ok(changes >= 8, 'subscribers heard each new day count');
      stop();
      assert.equal(clock.pending, 0);
    });
  });
});
