import assert from 'node:assert/strict';
import { closedPort } from '../support/net';
import { startSimulator, type FaultSpec, type Simulator } from '../../simulator';
import { accountOf } from '../../lib/account/account';
import type { Transport } from '../../lib/api/transport';
import {
  LIGHT,
  LOCK,
  actionFlow,
  call,
  helper,
  load,
  type Outcome,
  useRuntimeAndSimulator,
} from '../support/runtime';

const unlock = (): Record<string, unknown> => ({ payload: { userid: 'alice', duration: 1 } });

function errorCode(outcome: Outcome): string | undefined {
  return outcome.error?.error?.code as string | undefined;
}

/** The account's transport, wrapped to count posts and to act after a failed one. */
function wrapTransport(onFailure?: (attempt: number) => Promise<void>): { posts: number } {
  const client = accountOf(helper.getNode('acc'))?.client;
  if (!client) throw new Error('no deployed account');
  // The transport belongs to the client's request pipeline (lib/api/pipeline.ts).
  const holder = (client as unknown as { pipeline: { transport: Transport } }).pipeline;
  const inner = holder.transport;
  const counter = { posts: 0 };
  holder.transport = {
    async post(request) {
      counter.posts += 1;
      const attempt = counter.posts;
      try {
        return await inner.post(request);
      } catch (err) {
        await onFailure?.(attempt);
        throw err;
      }
    },
    close: () => inner.close(),
  };
  return counter;
}

describe('faults: what the user sees and what the node does', function () {
  let sim: Simulator;

  useRuntimeAndSimulator((started) => (sim = started));

  /**
   * Runs one faulty call on the lock, then a clean one, and returns the faulty call's outcome with
   * the number of requests the simulator received and the number of times the device acted.
   */
  async function faultThenRecover(
    fault: FaultSpec,
    account: Record<string, unknown> = {},
  ): Promise<{ outcome: Outcome; requests: number; acted: number }> {
    await load(actionFlow(sim.tokenapiUrl, { ...LOCK }, account));
    sim.setFault(fault);
    const outcome = await call(unlock());
    const requests = sim.stats.requests;
    const acted = sim.actionCalls.length;
    sim.clearFaults();
    const next = await call(unlock());
    assert.equal(next.error, undefined, 'the next message succeeds once the fault stops');
    assert.equal(next.output?.iotexplorer.status, 'succ');
    return { outcome, requests, acted };
  }

  it('latency and jitter within the timeout: the call succeeds, later', async function () {
    const { outcome, requests } = await faultThenRecover({
      kind: 'latency',
      latencyMs: 300,
      jitterMs: 200,
      count: 1,
    });
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.output?.iotexplorer.status, 'succ');
    assert.equal(requests, 1);
  });

  it('latency beyond the timeout: IOTX_TIMEOUT, no retry (the device may have acted)', async function () {
    const { outcome, requests, acted } = await faultThenRecover(
      { kind: 'latency', latencyMs: 1500, count: 1 },
      { timeout: '600' },
    );
    assert.equal(errorCode(outcome), 'IOTX_TIMEOUT');
    assert.equal(requests, 1);
    assert.equal(acted, 1);
  });

  it('HTTP 5xx with an HTML body: IOTX_HTTP_STATUS with the status, no retry', async function () {
    const { outcome, requests } = await faultThenRecover({ kind: 'http5xx', status: 503 });
    assert.equal(errorCode(outcome), 'IOTX_HTTP_STATUS');
    assert.match(String(outcome.error?.error?.message), /503/);
    assert.equal(requests, 1);
  });

  it('a passing request limit: retried after a pause, the message succeeds', async function () {
    const { outcome, requests, acted } = await faultThenRecover({
      kind: 'requestLimit',
      count: 2,
    });
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.output?.iotexplorer.status, 'succ');
    assert.equal(requests, 3, 'two refusals, then the call');
    assert.equal(acted, 1, 'the device acted once');
  });

  it('a lasting request limit: RequestLimitExceeded after 3 attempts', async function () {
    const { outcome, requests, acted } = await faultThenRecover({ kind: 'requestLimit' });
    assert.equal(errorCode(outcome), 'RequestLimitExceeded');
    assert.match(String(outcome.error?.error?.message), /quota/);
    assert.equal(requests, 3);
    assert.equal(acted, 0);
  });

  it('a non-JSON body: IOTX_BAD_RESPONSE, no retry', async function () {
    const { outcome, requests, acted } = await faultThenRecover({ kind: 'nonJson', count: 1 });
    assert.equal(errorCode(outcome), 'IOTX_BAD_RESPONSE');
    assert.equal(requests, 1);
    assert.equal(acted, 1);
  });

  it('a truncated body: IOTX_BAD_RESPONSE, no retry', async function () {
    const { outcome, requests, acted } = await faultThenRecover({ kind: 'truncated', count: 1 });
    assert.equal(errorCode(outcome), 'IOTX_BAD_RESPONSE');
    assert.equal(requests, 1);
    assert.equal(acted, 1);
  });

  it('a connection reset mid-reply: IOTX_BAD_RESPONSE, no retry', async function () {
    const { outcome, requests, acted } = await faultThenRecover({ kind: 'reset', count: 1 });
    assert.equal(errorCode(outcome), 'IOTX_BAD_RESPONSE');
    assert.equal(requests, 1);
    assert.equal(acted, 1);
  });

  it('no answer at all: IOTX_TIMEOUT within the timeout, no retry', async function () {
    const { outcome, requests } = await faultThenRecover(
      { kind: 'noAnswer', count: 1 },
      { timeout: '500' },
    );
    assert.equal(errorCode(outcome), 'IOTX_TIMEOUT');
    assert.match(String(outcome.error?.error?.message), /500/);
    assert.equal(requests, 1);
  });

  it('a refused connection that recovers: retried, the message succeeds', async function () {
    await sim.close();
    const port = await closedPort();
    await load(actionFlow(`http://127.0.0.1:${port}/api/exploreropen/tokenapi`, { ...LIGHT }));
    // The first attempt is refused; the service comes up during the backoff.
    const counter = wrapTransport(async (attempt) => {
      if (attempt === 1) sim = await startSimulator({ port });
    });
    const outcome = await call({ payload: { time: 1 } });
    assert.equal(outcome.error, undefined, JSON.stringify(outcome.error?.error));
    assert.equal(counter.posts, 2);
    assert.equal(sim.actionCalls.length, 1);
  });

  it('a refused connection that lasts: IOTX_NETWORK after 3 attempts, the node keeps working', async function () {
    await sim.close();
    const port = await closedPort();
    await load(actionFlow(`http://127.0.0.1:${port}/api/exploreropen/tokenapi`, { ...LIGHT }));
    const counter = wrapTransport();
    const outcome = await call({ payload: { time: 1 } });
    assert.equal(errorCode(outcome), 'IOTX_NETWORK');
    assert.match(String(outcome.error?.error?.message), /ECONNREFUSED/);
    assert.equal(counter.posts, 3);
    sim = await startSimulator({ port });
    const next = await call({ payload: { time: 1 } });
    assert.equal(next.error, undefined);
  });
});
