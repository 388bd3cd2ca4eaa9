// The editor's lane (SideLane in lib/api/flow-control.ts) beside an account's flow control:
// its own limits, its own refusal, never a place in the flows' queue. The same in a running
// Node-RED: test/e2e/admin-auth.test.ts.
import assert from 'node:assert/strict';
import { FlowControl, SideLane } from '../../lib/api/flow-control';
import { ApiClient } from '../../lib/api/client';
import { startSimulator } from '../../simulator';

const busy = (): Error => Object.assign(new Error('editor busy'), { code: 'IOTX_EDITOR_BUSY' });

describe("the editor's lane", function () {
  it('holds its own calls: 2 at once, 3 waiting, then its own refusal', async function () {
    const lane = new SideLane({ maxInFlight: 2, maxQueue: 3, full: busy });
    await lane.acquire();
    await lane.acquire();
    const waiting = [lane.acquire(), lane.acquire(), lane.acquire()];
    assert.equal(lane.inFlight, 2);
    assert.equal(lane.queued, 3);
    await assert.rejects(lane.acquire(), { code: 'IOTX_EDITOR_BUSY' });
    for (let i = 0; i < 5; i++) lane.release();
    await Promise.all(waiting);
    for (let i = 0; i < 3; i++) lane.release();
    assert.equal(lane.idle, true);
  });

  it('frees the place of a call whose signal aborts', async function () {
    const lane = new SideLane({ maxInFlight: 1, maxQueue: 1, full: busy });
    await lane.acquire();
    const gone = new AbortController();
    const waiting = lane.acquire(gone.signal);
    gone.abort();
    await assert.rejects(waiting, { code: 'IOTX_CLOSED' });
    assert.equal(lane.queued, 0);
    lane.release();
    assert.equal(lane.idle, true);
  });

  it("takes no place in the client's flow control and sends nothing once the client is closed", async function () {
    const sim = await startSimulator();
    const client = new ApiClient({
      endpoint: sim.tokenapiUrl,
      tokenSource: { getToken: () => 'demo-access-token' },
      flowControl: { maxInFlight: 1, maxQueue: 0 },
    });
    try {
      const flows: FlowControl = client.flowControl;
      // The flows' only slot taken, no queue: a call in the flows' lane would be refused.
      await flows.acquire();
      const lane = new SideLane({ maxInFlight: 2, maxQueue: 2, full: busy });
      const user = await client.getUser({ lane });
      assert.equal(user.userId, 'u-demo');
      assert.equal(flows.inFlight, 1);
      assert.equal(flows.queued, 0);
      await assert.rejects(client.getUser(), { code: 'IOTX_QUEUE_FULL' });
      client.close();
      await assert.rejects(client.getUser({ lane }), { code: 'IOTX_CLOSED' });
      assert.equal(sim.requests.length, 1);
      assert.equal(lane.idle, true);
    } finally {
      client.close();
      await sim.close();
    }
  });
});
