import assert from 'node:assert/strict';
import type { NodeStatus } from 'node-red';
import type { Simulator } from '../../simulator';
import { MIN_REPAINT_MS } from '../../lib/node/call-status';
import { accountOf } from '../../lib/account/account';
import { FlowControl } from '../../lib/api/flow-control';
import { LIGHT, LOCK, actionFlow, helper, load, useRuntimeAndSimulator } from '../support/runtime';
import { trackDone, waitForDone } from '../support/done-tracker';

function lockRequests(sim: Simulator): Array<Record<string, unknown>> {
  return sim.requests
    .filter((r) => r.action === 'AppCallDeviceActionSync')
    .map((r) => r.body as Record<string, unknown>);
}

function userOf(body: Record<string, unknown>): string {
  return (JSON.parse(String(body.InputParams)) as { userid: string }).userid;
}

describe('flow control per account', function () {
  let sim: Simulator;

  useRuntimeAndSimulator((started) => (sim = started));

  it('keeps at most maxInFlight calls on the wire and sends the rest in arrival order', async function () {
    await load(actionFlow(sim.tokenapiUrl, { ...LOCK }, { maxInFlight: '2' }));
    const act = helper.getNode('act');
    const account = accountOf(helper.getNode('acc'));
    assert.ok(account);
    const done = trackDone(act);
    let highest = 0;
    const watch = setInterval(() => {
      highest = Math.max(highest, account.client.flowControl.inFlight);
    }, 5);
    sim.setFault({ kind: 'latency', latencyMs: 100 });
    for (let i = 0; i < 8; i++) act.receive({ payload: { userid: `u${i}`, duration: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(account.client.flowControl.inFlight, 2);
    assert.equal(account.client.flowControl.queued, 6);
    await waitForDone(done, 8);
    clearInterval(watch);
    assert.ok(highest <= 2, `at most 2 in flight, saw ${highest}`);
    assert.deepEqual(lockRequests(sim).map(userOf), [
      'u0',
      'u1',
      'u2',
      'u3',
      'u4',
      'u5',
      'u6',
      'u7',
    ]);
    for (const record of done.values()) assert.equal(record.error, undefined);
  });

  it('refuses a message beyond the queue at once with IOTX_QUEUE_FULL and keeps the others', async function () {
    sim.setFault({ kind: 'latency', latencyMs: 300 });
    await load(actionFlow(sim.tokenapiUrl, { ...LOCK }, { maxInFlight: '1', maxQueue: '2' }));
    const act = helper.getNode('act');
    const done = trackDone(act);
    for (let i = 0; i < 5; i++) act.receive({ payload: { userid: `u${i}`, duration: 1 } });
    // The two refused ones end before any call has answered.
    await waitForDone(done, 2, 250);
    const refused = [...done.values()].filter((r) => r.error?.code === 'IOTX_QUEUE_FULL');
    assert.equal(refused.length, 2);
    assert.match(String(refused[0]?.error?.message), /queue/i);
    await waitForDone(done, 5);
    assert.equal([...done.values()].filter((r) => r.error === undefined).length, 3);
    assert.deepEqual(lockRequests(sim).map(userOf), ['u0', 'u1', 'u2']);
    for (const record of done.values()) assert.equal(record.count, 1);
  });

  it('starts no more calls per second than the rate limit', async function () {
    await load(actionFlow(sim.tokenapiUrl, { ...LOCK }, { rateLimit: '4' }));
    const act = helper.getNode('act');
    const done = trackDone(act);
    for (let i = 0; i < 8; i++) act.receive({ payload: { userid: `u${i}`, duration: 1 } });
    await waitForDone(done, 8);
    const times = sim.requests.map((r) => r.receivedAt);
    // A bucket of 4 lets 4 go at once; the next 4 come one per 250 ms.
    assert.ok(times[7] - times[0] >= 900, `8 calls at 4/s spread over ${times[7] - times[0]} ms`);
    for (const record of done.values()) assert.equal(record.error, undefined);
  });

  it('shows calls in flight and queued in the node status', async function () {
    sim.setFault({ kind: 'latency', latencyMs: 400 });
    await load(actionFlow(sim.tokenapiUrl, { ...LOCK }, { maxInFlight: '2' }));
    const act = helper.getNode('act');
    const statuses: NodeStatus[] = [];
    const original = act.status.bind(act);
    act.status = (s: NodeStatus) => {
      statuses.push(s);
      original(s);
    };
    const done = trackDone(act);
    for (let i = 0; i < 5; i++) act.receive({ payload: { userid: `u${i}`, duration: 1 } });
    await waitForDone(done, 5);
    const texts = statuses.map((s) => String(s.text ?? ''));
    assert.ok(
      texts.some((t) => t.includes('status.callingQueued')),
      `a queued status among ${texts.join(' / ')}`,
    );
  });

  it('repaints the status at most four times a second under a burst', async function () {
    await load(actionFlow(sim.tokenapiUrl, { ...LIGHT }, { maxInFlight: '16' }));
    sim.clearFaults();
    const act = helper.getNode('act');
    let repaints = 0;
    const original = act.status.bind(act);
    act.status = (s: NodeStatus) => {
      repaints += 1;
      original(s);
    };
    const done = trackDone(act);
    const started = Date.now();
    for (let i = 0; i < 400; i++) act.receive({ payload: { time: i % 10 } });
    await waitForDone(done, 400, 30000);
    // Let the last scheduled repaint happen too.
    await new Promise((resolve) => setTimeout(resolve, MIN_REPAINT_MS + 50));
    const windows = Math.ceil((Date.now() - started) / MIN_REPAINT_MS) + 1;
    assert.ok(repaints <= windows, `${repaints} repaints for 400 messages in ${windows} windows`);
    assert.ok(repaints >= 2);
  });

  it('ends queued and in-flight messages with one done each on close, and sends nothing after', async function () {
    sim.setFault({ kind: 'latency', latencyMs: 2000 });
    await load(actionFlow(sim.tokenapiUrl, { ...LOCK }, { maxInFlight: '3' }));
    const act = helper.getNode('act');
    const done = trackDone(act);
    for (let i = 0; i < 20; i++) act.receive({ payload: { userid: `u${i}`, duration: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(sim.stats.requests, 3);
    await helper.unload();
    await waitForDone(done, 20, 2000);
    for (const record of done.values()) assert.equal(record.count, 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(sim.stats.requests, 3, 'nothing sent after close');
  });
});

describe('FlowControl', function () {
  it('hands slots out in arrival order and refuses beyond the bound', async function () {
    const flow = new FlowControl({ maxInFlight: 1, maxQueue: 2 });
    const order: number[] = [];
    await flow.acquire();
    const waits = [1, 2].map((n) => flow.acquire().then(() => order.push(n)));
    await assert.rejects(flow.acquire(), { code: 'IOTX_QUEUE_FULL' });
    assert.equal(flow.queued, 2);
    flow.release();
    await waits[0];
    flow.release();
    await waits[1];
    assert.deepEqual(order, [1, 2]);
    assert.equal(flow.inFlight, 1);
  });

  it('takes an aborted wait out of the queue and refuses all after close', async function () {
    const flow = new FlowControl({ maxInFlight: 1, maxQueue: 5 });
    await flow.acquire();
    const controller = new AbortController();
    const aborted = flow.acquire(controller.signal);
    const closed = flow.acquire();
    controller.abort();
    await assert.rejects(aborted, { code: 'IOTX_CLOSED' });
    assert.equal(flow.queued, 1);
    flow.close();
    await assert.rejects(closed, { code: 'IOTX_CLOSED' });
    await assert.rejects(flow.acquire(), { code: 'IOTX_CLOSED' });
    assert.equal(flow.queued, 0);
  });
});
