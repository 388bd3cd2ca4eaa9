import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../simulator';
import { DEMO_TOKEN, LAMP, postJson, rawRequest, tokenApiOk, type Json } from './helpers';

describe('simulator control endpoints', function () {
  let sim: Simulator;
  beforeEach(async function () {
    sim = await startSimulator();
  });
  afterEach(async function () {
    await sim.close();
  });

  const control = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Json }> => {
    const reply = await rawRequest(`${sim.url}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    return { status: reply.status, json: JSON.parse(reply.text) };
  };

  it('POST /_sim/faults adds a fault, DELETE clears them', async function () {
    const added = await control('POST', '/_sim/faults', { kind: 'http5xx', count: 1, status: 504 });
    assert.equal(added.status, 200);
    assert.deepEqual(added.json.faults, [{ kind: 'http5xx', count: 1, status: 504 }]);
    assert.equal((await rawRequest(sim.tokenapiUrl, { body: '{}' })).status, 504);
    assert.equal((await rawRequest(sim.tokenapiUrl, { body: '{}' })).status, 200);
    await control('POST', '/_sim/faults', { kind: 'requestLimit' });
    assert.equal((await control('GET', '/_sim/faults')).json.faults.length, 1);
    assert.equal((await control('DELETE', '/_sim/faults')).status, 200);
    const json = await postJson(sim.tokenapiUrl, {
      Action: 'AppGetUser',
      RequestId: 'r',
      AccessToken: DEMO_TOKEN,
    });
    assert.equal(json.Response.Data.UserID, 'u-demo');
  });

  it('POST /_sim/faults refuses a bad spec with 400', async function () {
    const bad = await control('POST', '/_sim/faults', { kind: 'nope' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /kind/);
    assert.equal((await rawRequest(`${sim.url}/_sim/faults`, { body: 'not json' })).status, 400);
  });

  it('GET /_sim/stats counts sockets, API requests and action calls; POST /_sim/reset clears them', async function () {
    await tokenApiOk(sim, 'AppCallDeviceActionSync', { ...LAMP, ActionId: 'light_blink' });
    await tokenApiOk(sim, 'AppGetUser');
    const stats = await control('GET', '/_sim/stats');
    assert.equal(stats.json.requests, 2, 'control requests are not counted');
    assert.equal(stats.json.actionCalls, 1);
    assert.ok(stats.json.socketsOpened >= 1);
    assert.equal(
      (await control('GET', '/_sim/action-calls')).json.actionCalls[0].actionId,
      'light_blink',
    );
    assert.deepEqual((await control('POST', '/_sim/reset')).json, { ok: true });
    assert.equal(sim.requests.length, 0);
    assert.equal(sim.actionCalls.length, 0);
    const after = await control('GET', '/_sim/stats');
    assert.deepEqual([after.json.requests, after.json.actionCalls], [0, 0]);
  });

  it('POST /_sim/devices/<PID>/<DN> sets online and properties; GET reads them', async function () {
    const set = await control('POST', '/_sim/devices/LIGHT0A1B2/living_lamp', {
      online: false,
      properties: { brightness: 5 },
    });
    assert.equal(set.status, 200);
    assert.equal(set.json.online, false);
    assert.equal(set.json.properties.brightness.Value, 5);
    const device = sim.model.device('LIGHT0A1B2', 'living_lamp');
    assert.equal(device?.online, false);
    assert.equal(device?.properties.brightness.Value, 5);
    const read = await control('GET', '/_sim/devices/LIGHT0A1B2/living_lamp');
    assert.equal(read.json.DeviceId, 'LIGHT0A1B2/living_lamp');
    const statuses = await tokenApiOk(sim, 'AppGetDeviceStatuses', {
      DeviceIds: ['LIGHT0A1B2/living_lamp'],
    });
    assert.equal(statuses.DeviceStatuses[0].Online, 0);
    // Read-only properties can be set here: this is the device itself reporting.
    await control('POST', '/_sim/devices/LOCK0C3D4E/front_door', { properties: { battery: 3 } });
    assert.equal(sim.model.device('LOCK0C3D4E', 'front_door')?.properties.battery.Value, 3);
  });

  it('POST /_sim/devices refuses unknown devices, properties and bad values, changing nothing', async function () {
    assert.equal(
      (await control('POST', '/_sim/devices/LIGHT0A1B2/ghost', { online: true })).status,
      404,
    );
    const unknown = await control('POST', '/_sim/devices/LIGHT0A1B2/living_lamp', {
      properties: { glow: 1 },
    });
    assert.equal(unknown.status, 400);
    assert.match(unknown.json.error, /glow/);
    const bad = await control('POST', '/_sim/devices/LIGHT0A1B2/living_lamp', {
      online: false,
      properties: { brightness: 50, color: 9 },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /color/);
    const device = sim.model.device('LIGHT0A1B2', 'living_lamp');
    assert.equal(device?.online, true);
    assert.equal(device?.properties.brightness.Value, 80);
    assert.equal(
      (await control('POST', '/_sim/devices/LIGHT0A1B2/living_lamp', { online: 'no' })).status,
      400,
    );
  });

  it('POST /_sim/tokens issues a token and /_sim/tokens/revoke revokes it', async function () {
    const issued = await control('POST', '/_sim/tokens', { UserID: 'u-neighbor', ttlSeconds: 60 });
    assert.equal(issued.status, 200);
    assert.ok(issued.json.ExpireAt > Date.now() / 1000);
    const user = await tokenApiOk(sim, 'AppGetUser', {}, issued.json.Token);
    assert.equal(user.Data.UserID, 'u-neighbor');
    await control('POST', '/_sim/tokens/revoke', { Token: issued.json.Token });
    const after = await postJson(sim.tokenapiUrl, {
      Action: 'AppGetUser',
      RequestId: 'r',
      AccessToken: issued.json.Token,
    });
    assert.equal(after.Response.Error.Code, 'InvalidParameterValue.InvalidAccessToken');
    assert.equal((await control('POST', '/_sim/tokens', { UserID: 'ghost' })).status, 400);
  });

  it('answers 404 for an unknown control endpoint', async function () {
    assert.equal((await control('GET', '/_sim/nothing')).status, 404);
    assert.equal((await control('PUT', '/_sim/stats')).status, 404);
  });
});
