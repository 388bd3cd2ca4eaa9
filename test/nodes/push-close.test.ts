// How the push socket ends and comes back, as the simulator's push server sees it: a stop, a
// redeploy or the last push node leaving closes it with code 1000 (a normal close, not the 1006 of
// a dropped connection), and the first reconnection waits from 2 s on, as the docs say.
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../simulator';
import { createPastedTokenSource } from '../../lib/auth/token-source';
import { PushConnection, type PushState } from '../../lib/push/push-connection';
import { pushUrlFor } from '../../lib/shared/push-url';
import { FAST_PUSH_SETTINGS, until, watchFlow } from '../support/push';
import { LAMP_ID, failOnUnhandledRejection, loadEnglish, subscribed } from '../support/push-run';
import { DEMO_TOKEN, LIGHT, credentials, helper, useRuntimeAndSimulator } from '../support/runtime';

const LAMP = { productId: LIGHT.productId, deviceName: LIGHT.deviceName };

describe('push: how the socket closes, as the server sees it', function () {
  let sim: Simulator;
  /** The simulator's log lines; it logs each WebSocket's close code. */
  const log: string[] = [];
  useRuntimeAndSimulator(
    (started) => (sim = started),
    { log: (line) => log.push(line) },
    FAST_PUSH_SETTINGS,
  );
  failOnUnhandledRejection();
  beforeEach(function () {
    log.length = 0;
  });

  /** The close codes the server saw, in order. */
  const closeCodes = (): number[] =>
    log.flatMap((line) => {
      const match = /^WebSocket connection \d+ closed \((\d+)\)/.exec(line);
      return match ? [Number(match[1])] : [];
    });

  const pushWatch = { devices: [LAMP], watchOnline: false };

  it('closes with 1000 when the flows stop', async function () {
    await loadEnglish(watchFlow(sim.tokenapiUrl, [pushWatch]));
    await until(() => subscribed(sim, LAMP_ID), 'subscribed');
    await helper.unload();
    await until(() => closeCodes().length === 1, 'the server to see the close');
    assert.deepEqual(closeCodes(), [1000]);
  });

  it('closes the old socket with 1000 on a redeploy', async function () {
    await loadEnglish(watchFlow(sim.tokenapiUrl, [pushWatch], { name: 'first' }));
    await until(() => subscribed(sim, LAMP_ID), 'subscribed');
    // A full deploy: the account node is replaced, with its socket.
    await helper.setFlows(
      watchFlow(sim.tokenapiUrl, [pushWatch], { name: 'second' }),
      'full',
      credentials(),
    );
    await until(() => closeCodes().length === 1, 'the old socket closed');
    await until(() => subscribed(sim, LAMP_ID), 'the new socket subscribed');
    assert.deepEqual(closeCodes(), [1000]);
    assert.equal(sim.push.connections().length, 1);
  });

  it('closes with 1000 when the last push node leaves and the account stays', async function () {
    await loadEnglish(watchFlow(sim.tokenapiUrl, [pushWatch]));
    await until(() => subscribed(sim, LAMP_ID), 'subscribed');
    const pollOnly = watchFlow(sim.tokenapiUrl, [{ ...pushWatch, mode: 'poll', interval: 60 }]);
    await helper.setFlows(pollOnly, 'nodes', credentials());
    await until(() => closeCodes().length === 1, 'the socket closed');
    assert.deepEqual(closeCodes(), [1000]);
  });
});

describe('push: the first reconnection, against the simulator', function () {
  let sim: Simulator;
  beforeEach(async function () {
    sim = await startSimulator();
  });
  afterEach(async function () {
    await sim.close();
  });

  it('waits from 2 s (the documented figure) however the jitter falls, then comes back', async function () {
    this.timeout(15000);
    const choice = pushUrlFor(sim.tokenapiUrl);
    assert.ok('url' in choice);
    const states: PushState[] = [];
    for (const draw of [0.999999, 0]) {
      // The real clocks: the documented back-off, not the tests' shortened one.
      const connection = new PushConnection({
        url: choice.url,
        tokenSource: createPastedTokenSource({ token: DEMO_TOKEN, account: 'test' }),
        warnUnbound: () => undefined,
        trace: () => undefined,
        random: () => draw,
      });
      try {
        connection.subscribe({
          deviceIds: [LAMP_ID],
          push: () => undefined,
          state: (state) => states.push(state),
        });
        await until(() => connection.state.phase === 'live', 'live');
        const opened = sim.push.stats.connectionsOpened;
        sim.push.dropAll();
        await until(() => connection.state.phase === 'reconnecting', 'reconnecting');
        const wait = connection.state.retryInMs ?? 0;
        assert.ok(wait >= 2000 && wait <= 2400, `the first retry in ${wait} ms (draw ${draw})`);
        await until(() => sim.push.stats.connectionsOpened > opened, 'the retry', 5000);
        await until(() => connection.state.phase === 'live', 'live again');
      } finally {
        connection.close();
      }
    }
    assert.ok(states.some((s) => s.phase === 'reconnecting'));
  });
});
