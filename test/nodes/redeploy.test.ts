import assert from 'node:assert/strict';
import type { Simulator } from '../../simulator';
import {
  LOCK,
  actionFlow,
  call,
  credentials,
  helper,
  load,
  useRuntimeAndSimulator,
} from '../support/runtime';
import { trackDone, waitForDone } from '../support/done-tracker';

describe('redeploy under load', function () {
  let sim: Simulator;

  useRuntimeAndSimulator((started) => (sim = started));

  it('ends 100 in-flight and queued messages with one done each, and the new flow works', async function () {
    sim.setFault({ kind: 'latency', latencyMs: 3000 });
    const flow = actionFlow(sim.tokenapiUrl, { ...LOCK });
    await load(flow);
    const oldNode = helper.getNode('act');
    const done = trackDone(oldNode);
    for (let i = 0; i < 100; i++) oldNode.receive({ payload: { userid: `u${i}`, duration: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const sentBefore = sim.stats.requests;
    assert.equal(sentBefore, 10, 'the default in-flight limit: 10 on the wire, 90 queued');

    // Deploy a changed flow: the account and the action node restart.
    const changed = flow.map((n) => (n.id === 'acc' ? { ...n, name: 'renamed' } : n));
    await helper.setFlows(changed, 'full', credentials());
    await waitForDone(done, 100, 3000);
    for (const [id, record] of done) assert.equal(record.count, 1, `one done for ${id}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(sim.stats.requests, sentBefore, 'nothing queued was sent after the redeploy');

    sim.clearFaults();
    const newNode = helper.getNode('act');
    assert.notEqual(newNode, oldNode);
    const outcome = await call({ payload: { userid: 'after', duration: 1 } });
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.output?.iotexplorer.status, 'succ');
  });
});
