import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../simulator';

async function callAction(sim: Simulator, productId: string, deviceName: string, actionId: string) {
  const response = await fetch(sim.tokenapiUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      Action: 'AppCallDeviceActionSync',
      RequestId: 'r1',
      AccessToken: 'demo-access-token',
      ProductId: productId,
      DeviceName: deviceName,
      ActionId: actionId,
      InputParams: '{}',
    }),
  });
  return (await response.json()) as { Response: { Status?: string; Error?: { Code: string } } };
}

describe('simulator: a device delay for every device', function () {
  let sim: Simulator;
  afterEach(async function () {
    await sim.close();
  });

  it('overrides the fixture delays from the options and from the control endpoint', async function () {
    // attic_aircon takes 8000 ms in the fixture: longer than the 300 ms sync limit here.
    sim = await startSimulator({ syncActionTimeoutMs: 300, deviceDelayMs: 0 });
    const fast = await callAction(sim, 'AIRC0F5G6H', 'attic_aircon', 'set_schedule');
    assert.equal(fast.Response.Error, undefined);

    const set = await fetch(`${sim.url}/_sim/device-delay`, {
      method: 'POST',
      body: JSON.stringify({ ms: 400 }),
    });
    assert.deepEqual(await set.json(), { ok: true, ms: 400 });
    const slow = await callAction(sim, 'LOCK0C3D4E', 'front_door', 'lock');
    assert.equal(slow.Response.Error?.Code, 'FailedOperation.Timeout');

    const bad = await fetch(`${sim.url}/_sim/device-delay`, {
      method: 'POST',
      body: JSON.stringify({ ms: -1 }),
    });
    assert.equal(bad.status, 400);
    await fetch(`${sim.url}/_sim/device-delay`, { method: 'POST', body: '{"ms":null}' });
    const reset = await fetch(`${sim.url}/_sim/device-delay`);
    assert.deepEqual(await reset.json(), { ms: null });
  });
});
