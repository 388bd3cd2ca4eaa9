import assert from 'node:assert/strict';
import * as net from 'node:net';
import type { Simulator } from '../../simulator';
import type { PushFaultSpec } from '../../simulator/push-faults';
import { FAST_PUSH_SETTINGS, FAST_PUSH_TIMINGS, sleep, until } from '../support/push';
import {
  LAMP_ID,
  NEIGHBOR_ID,
  deployWatches,
  callsOf,
  failOnUnhandledRejection,
  lastStatus,
  statusText,
  untilLive,
  untilRead,
  type Deployed,
  type Msg,
} from '../support/push-run';
import { LIGHT, credentials, helper, useRuntimeAndSimulator } from '../support/runtime';
import { replacer } from '../support/visible';

const LAMP = { productId: LIGHT.productId, deviceName: LIGHT.deviceName };

describe('push: faults of the socket', function () {
  let sim: Simulator;
  useRuntimeAndSimulator((started) => (sim = started), {}, FAST_PUSH_SETTINGS);
  failOnUnhandledRejection();

  let brightness = 10;
  /** Reports a new brightness and waits for exactly that change to reach the flow. */
  async function reportsReachTheFlow(run: Deployed): Promise<void> {
    brightness += 1;
    const value = brightness;
    const before = run.out[1].length;
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: value });
    await until(
      () => run.out[1].some((m) => m.payload.newValue === value),
      `brightness ${value} reaching the flow`,
    );
    await sleep(50);
    assert.equal(
      run.out[1].filter((m) => m.payload.newValue === value).length,
      1,
      `brightness ${value} once`,
    );
    assert.ok(run.out[1].length - before <= 1);
  }

  async function liveLamp(): Promise<Deployed> {
    const run = await deployWatches(sim, [{ devices: [LAMP], watchOnline: false }]);
    await untilLive(run.node('w1'), 1, 1);
    await untilRead(sim, 1);
    return run;
  }

  const opened = () => sim.push.stats.connectionsOpened;

  const socketFaults: { name: string; fault: PushFaultSpec; reopens: boolean }[] = [
    { name: 'a refused upgrade (HTTP 503)', fault: { kind: 'refuse' }, reopens: true },
    { name: 'a half-open socket', fault: { kind: 'halfOpen' }, reopens: true },
    { name: 'ActivePush never answered', fault: { kind: 'noActivePushReply' }, reopens: true },
    { name: 'the server fault reply', fault: { kind: 'serverError' }, reopens: true },
    { name: 'slow replies', fault: { kind: 'delay', delayMs: 100 }, reopens: false },
  ];
  for (const { name, fault, reopens } of socketFaults) {
    it(`survives ${name} on every connection, and recovers when it ends`, async function () {
      const run = await liveLamp();
      sim.push.setFault(fault);
      sim.push.dropAll();
      const start = opened();
      await sleep(FAST_PUSH_TIMINGS.livenessMs + FAST_PUSH_TIMINGS.requestTimeoutMs + 300);
      const attempts = opened() - start + sim.push.stats.upgradesRefused;
      // It keeps trying, at the backoff's pace: 1.7 s of 50…400 ms waits is under 12 tries.
      if (reopens) assert.ok(attempts >= 1 && attempts <= 12, `${attempts} attempts`);
      assert.notEqual(statusText(run.node('w1')), '');
      sim.push.clearFaults();
      await untilLive(run.node('w1'), 1, 1);
      await reportsReachTheFlow(run);
      assert.deepEqual(run.caught, [], 'a transport fault is retried, not reported per attempt');
    });
  }

  it('drops a socket that stalls (half-open) within the liveness time and opens another', async function () {
    const run = await liveLamp();
    const start = Date.now();
    sim.push.stallAll();
    await until(() => opened() === 2, 'a new socket');
    const took = Date.now() - start;
    // Liveness 600 ms checked every 100 ms, then the first backoff of at most 50 ms.
    assert.ok(took >= FAST_PUSH_TIMINGS.livenessMs - 150, `not before silence (${took} ms)`);
    assert.ok(took < FAST_PUSH_TIMINGS.livenessMs + 600, `dropped in time (${took} ms)`);
    await untilLive(run.node('w1'), 1, 1);
    await reportsReachTheFlow(run);
  });

  for (const mode of ['terminate', 'close'] as const) {
    it(`reconnects after the server ${mode === 'terminate' ? 'resets' : 'closes'} the socket`, async function () {
      const run = await liveLamp();
      for (let i = 1; i <= 3; i++) {
        sim.push.dropAll(mode, 1000);
        await until(() => opened() === i + 1, `reconnection ${i}`);
        await untilLive(run.node('w1'), 1, 1);
      }
      await reportsReachTheFlow(run);
    });
  }

  for (const kind of ['garbage', 'binary', 'badPayload', 'huge'] as const) {
    it(`ignores a malformed frame (${kind}) without crashing, and keeps delivering`, async function () {
      const run = await liveLamp();
      for (let i = 0; i < 3; i++) {
        assert.equal(sim.push.sendMalformed(kind), 1, 'one socket got it');
        // A 10 MB frame exceeds the client's limit: the socket is dropped and reopened.
        if (kind === 'huge') await until(() => opened() === i + 2, 'a new socket');
        await untilLive(run.node('w1'), 1, 1);
      }
      if (kind !== 'huge') assert.equal(opened(), 1, 'a bad frame does not cost the socket');
      await reportsReachTheFlow(run);
      assert.equal(run.out[1].length, 1, 'the bad frames made no message');
      assert.deepEqual(run.caught, []);
    });
  }

  for (const answer of ['nothing', 'garbage'] as const) {
    it(`gives up a handshake that gets ${answer} in time, retries with backoff, and leaves no socket`, async function () {
      // A server that accepts TCP and then never completes the WebSocket upgrade.
      const held = new Set<net.Socket>();
      const server = net.createServer((socket) => {
        held.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => held.delete(socket));
        // Read (and drop) what the client sends, so that its closing is seen here.
        socket.resume();
        if (answer === 'garbage')
          socket.write('HTTP/1.1 200 OK\r\nX: \u0000\r\n\r\nnot a websocket');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as net.AddressInfo;
      let accepted = 0;
      server.on('connection', () => (accepted += 1));
      try {
        const run = await deployWatches(sim, [{ devices: [LAMP], watchOnline: false }], {
          pushUrl: `ws://127.0.0.1:${port}/ws/explorer`,
        });
        await sleep(FAST_PUSH_TIMINGS.handshakeMs * 2 + 300);
        // At most one handshake at a time, each given up after handshakeMs (or at once on garbage).
        assert.ok(accepted >= 2, `${accepted} attempts`);
        assert.ok(accepted <= 12, `${accepted} attempts: no spinning`);
        assert.ok(held.size <= 1, `${held.size} sockets held open at once`);
        assert.notEqual(statusText(run.node('w1')), '');
        await helper.unload();
        await until(() => held.size === 0, 'the pending handshake closed by the redeploy');
      } finally {
        for (const socket of held) socket.destroy();
        await new Promise((r) => server.close(r));
      }
    });
  }

  it('reports an account push URL that is not a WebSocket URL on the push node, and opens nothing', async function () {
    const run = await deployWatches(
      sim,
      [
        { devices: [LAMP], watchOnline: false },
        { devices: [LAMP], watchOnline: false, mode: 'poll', interval: 0.1 },
      ],
      { pushUrl: 'http://127.0.0.1:1/not-a-socket' },
    );
    // Reported while the node is built, before catch nodes are wired: on the node's log and status.
    const node = run.node('w1');
    assert.equal(callsOf(node, 'error').length, 1);
    const [err] = callsOf(node, 'error')[0].args as [Msg];
    assert.equal(err.code, 'IOTX_INVALID_ENDPOINT');
    assert.match(err.message, /not a ws:\/\/ or wss:\/\/ URL/);
    assert.equal(statusText(node), 'IOTX_INVALID_ENDPOINT');
    // The poll-mode node on the same account is not affected.
    await untilRead(sim, 1);
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 77 });
    await until(() => run.out[2].length === 1, 'the polled change');
    assert.equal(sim.push.stats.connectionsOpened, 0);
  });

  it('reports a pasted token refused on the socket once, with the "new token needed" text', async function () {
    const token = 'stale-pasted-token-5c1f9e2a7b';
    const run = await deployWatches(
      sim,
      [{ devices: [LAMP], watchOnline: false }],
      {},
      credentials(token),
    );
    await until(() => run.caught.length >= 1, 'a caught error');
    // Refused again on every retry, reported once.
    await until(() => (sim.push.stats.framesByAction.ActivePush ?? 0) >= 3, 'three subscriptions');
    const activePushErrors = run.caught.filter((m) => m.iotexplorer.action === 'ActivePush');
    assert.equal(activePushErrors.length, 1);
    const [err] = activePushErrors;
    assert.equal(err.error.code, 'InvalidParameterValue.InvalidAccessToken');
    assert.match(err.error.message, /Get a new token for this user/);
    assert.match(err.error.message, /switch the account to sign-in mode/);
    const node = run.node('w1');
    assert.equal(statusText(node), 'InvalidParameterValue.InvalidAccessToken');
    assert.equal(lastStatus(node).fill, 'red');
    // Retries wait the longest backoff: a token does not heal by retrying sooner.
    const before = sim.push.stats.framesByAction.ActivePush ?? 0;
    await sleep(FAST_PUSH_TIMINGS.backoffMaxMs * 3);
    const during = (sim.push.stats.framesByAction.ActivePush ?? 0) - before;
    assert.ok(during >= 1 && during <= 4, `${during} subscriptions in three longest waits`);
  });

  it('reports an account without a token once, and never spins', async function () {
    const run = await deployWatches(sim, [{ devices: [LAMP], watchOnline: false }], {}, {});
    await until(() => run.caught.length >= 1, 'the error');
    assert.equal(run.caught[0].error.code, 'IOTX_NO_TOKEN');
    assert.equal(statusText(run.node('w1')), 'IOTX_NO_TOKEN');
    await sleep(FAST_PUSH_TIMINGS.backoffMaxMs * 3);
    // Each try opens a socket, finds no token and waits the longest backoff: about three.
    const opened = sim.push.stats.connectionsOpened;
    assert.ok(opened >= 2 && opened <= 6, `${opened} sockets in three longest waits`);
    assert.equal(sim.push.stats.framesByAction.ActivePush ?? 0, 0, 'nothing sent without a token');
    // Once for the socket, once for the baseline read it then tries anyway; not per retry.
    assert.deepEqual(run.caught.map((m): unknown => [m.iotexplorer.action, m.error.code]).sort(), [
      ['ActivePush', 'IOTX_NO_TOKEN'],
      ['AppGetDeviceData', 'IOTX_NO_TOKEN'],
    ]);
  });

  it('reports a renewal that fails after the socket refused the token, and recovers', async function () {
    const run = await deployWatches(
      sim,
      [{ devices: [LAMP], watchOnline: false }],
      { authMode: 'signin', appKey: 'demoAppKey', loginType: 'email' },
      { acc: { appSecret: 'demoAppSecret', email: 'demo@example.com', password: 'demo-password' } },
    );
    await untilLive(run.node('w1'), 1, 1);
    await untilRead(sim, 1);
    // The token is logged out and the sign-in service fails for a while.
    sim.setFault({ kind: 'http5xx', status: 503, action: 'AppGetToken' });
    const token = (sim.requests.find((r) => r.action === 'AppGetDeviceData')?.body as Msg)
      .AccessToken as string;
    sim.revokeToken(token);
    await until(
      () => run.caught.some((m) => m.iotexplorer.action === 'ActivePush'),
      'the failed renewal reported',
    );
    const [err] = run.caught.filter((m) => m.iotexplorer.action === 'ActivePush');
    assert.equal(err.error.code, 'IOTX_HTTP_STATUS');
    assert.equal(lastStatus(run.node('w1')).fill, 'red');
    sim.clearFaults();
    // The sign-in waits its own backoff (2 s) before trying again; then the socket subscribes.
    await untilLive(run.node('w1'), 1, 1);
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 66 });
    await until(() => run.out[1].some((m) => m.payload.newValue === 66), 'a pushed change');
    assert.equal(run.caught.filter((m) => m.iotexplorer.action === 'ActivePush').length, 1);
  });

  it('warns once by name about a device that is not the user’s, not on every reconnect', async function () {
    const run = await deployWatches(sim, [{ devices: [LAMP, NEIGHBOR_ID], watchOnline: false }]);
    await untilLive(run.node('w1'), 1, 2);
    const account = run.node('acc');
    await until(() => callsOf(account, 'warn').length >= 1, 'a warning');
    for (let i = 1; i <= 3; i++) {
      sim.push.dropAll();
      await until(() => opened() === i + 1, `reconnection ${i}`);
      await untilLive(run.node('w1'), 1, 2);
    }
    await sleep(FAST_PUSH_TIMINGS.heartbeatMs * 2);
    const warnings = callsOf(account, 'warn').map((c) => String(c.args[0]));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], new RegExp(NEIGHBOR_ID));
    assert.doesNotMatch(warnings[0], new RegExp(LAMP_ID));
    assert.match(warnings[0], /not bound to/);
  });

  it('keeps the AccessToken out of every log line, status, error and message, frames traced included', async function () {
    const { Token: token } = sim.issueToken('u-demo');
    const run = await deployWatches(
      sim,
      [
        // Its messages also go to a debug node.
        { devices: [LAMP, NEIGHBOR_ID], watchActions: true, wires: [['out1', 'dbg']] },
        // A polling node on the same account: the token travels over HTTP too.
        { devices: [LAMP], watchState: false, mode: 'poll', interval: 0.1 },
      ],
      {},
      credentials(token),
      [
        // A debug node printing whole messages to the log, as a user debugging a flow would.
        {
          id: 'dbg',
          type: 'debug',
          z: 'tab',
          active: true,
          tosidebar: false,
          console: true,
          complete: 'true',
        },
      ],
      ['common/21-debug.js'],
    );
    await untilLive(run.node('w1'), 1, 2);
    await untilRead(sim, 1);
    sim.reportProperties(LAMP.productId, LAMP.deviceName, { brightness: 3 });
    await until(() => run.out[1].length === 1, 'a pushed change');
    sim.push.sendMalformed('garbage');
    sim.push.setFault({ kind: 'serverError', count: 2 });
    sim.push.dropAll();
    await untilLive(run.node('w1'), 1, 2);
    // Then the token is logged out: the socket's refusal is reported.
    sim.revokeToken(token);
    await until(
      () => run.caught.some((m) => m.iotexplorer.action === 'ActivePush'),
      'the refusal on the socket',
    );
    const nodes = ['acc', 'w1', 'w2'].map((id) => helper.getNode(id) as unknown as Msg);
    const lines: string[] = [];
    for (const node of nodes) {
      for (const method of ['status', 'warn', 'error', 'log', 'debug', 'trace']) {
        for (const call of node[method]?.getCalls?.() ?? []) {
          lines.push(JSON.stringify(call.args, replacer));
        }
      }
    }
    for (const call of helper.log().getCalls()) lines.push(JSON.stringify(call.args, replacer));
    const text = [lines.join('\n'), JSON.stringify([run.out, run.caught], replacer)].join('\n');
    // The test sees the traced frames, so it would see a token in them.
    const traced = lines.filter((l) => l.includes('push ▶'));
    assert.ok(traced.some((l) => l.includes('ActivePush') && l.includes('AccessToken')));
    assert.ok(traced.some((l) => l.includes('AppDeviceTraceHeartBeat')));
    assert.ok(
      lines.some((l) => l.includes('push ◀')),
      'received frames are traced too',
    );
    assert.ok(
      lines.some((l) => l.includes('LIGHT0A1B2/living_lamp/brightness')),
      'the debug node logged the messages',
    );
    assert.equal(text.includes(token), false, 'the token appears somewhere');
  });
});
