import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../simulator';
import {
  DEMO_UNLOCK_SECRET,
  prepareUserDir,
  startNodeRed,
  type NodeRedInstance,
} from '../../demo/launch';

/** The HTTP example's call: a POST with the shared secret Node-RED was started with. */
function unlock(base: string, user: string, secret = DEMO_UNLOCK_SECRET): Promise<Response> {
  return fetch(base + '/unlock', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Unlock-Secret': secret },
    body: JSON.stringify({ user }),
  });
}

/**
 * A real Node-RED process with our package installed the way a palette install links it,
 * the example flows deployed against the simulator: what the editor and its admin API can
 * see must never hold the AccessToken.
 */
describe('in a real Node-RED process', function () {
  this.timeout(90000);
  const TOKEN = 'demo-access-token';
  let sim: Simulator;
  let red: NodeRedInstance;
  let userDir: string;

  before(async function () {
    sim = await startSimulator({ port: 0 });
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-nr-'));
    prepareUserDir({
      userDir,
      endpoint: sim.tokenapiUrl,
      accessToken: TOKEN,
      examples: [
        '01 - Blink a lamp every minute.json',
        '02 - Unlock the door from an HTTP endpoint.json',
        '03 - Route errors by code.json',
      ],
    });
    red = await startNodeRed(userDir, 0, { env: { UNLOCK_SECRET: DEMO_UNLOCK_SECRET } });
  });

  after(async function () {
    await red?.stop();
    await sim?.close();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  async function get(pathname: string): Promise<{ status: number; text: string }> {
    const res = await fetch(red.url + pathname, { headers: { 'Node-RED-API-Version': 'v2' } });
    return { status: res.status, text: await res.text() };
  }

  it('loads our node types and their example flows', async function () {
    const nodes = await get('/nodes');
    assert.equal(nodes.status, 200);
    assert.match(nodes.text, /iot-explorer-action/);
    const examples = await get(
      '/library/examples/flows/@homeflow/node-red-tencent-iot-explorer/01%20-%20Blink%20a%20lamp%20every%20minute',
    );
    assert.equal(examples.status, 200, examples.text);
    assert.match(examples.text, /light_blink/);
  });

  it('serves the shared editor resource and the help in both languages', async function () {
    const resource = await get(
      '/resources/@homeflow/node-red-tencent-iot-explorer/iot-explorer-editor.js',
    );
    assert.equal(resource.status, 200);
    assert.match(resource.text, /IotExplorerEditor/);
    const en = await get('/nodes?lng=en-US');
    assert.match(en.text, /Calls an action on a device/);
    const zh = await fetch(red.url + '/nodes', {
      headers: { Accept: 'text/html', 'Accept-Language': 'zh-CN' },
    });
    assert.match(await zh.text(), /调用用户账号下已绑定设备的行为/);
  });

  it('refuses a stranger at the HTTP example before anything reaches the service', async function () {
    // Example 01 blinks the lamp meanwhile: only the lock's requests count here.
    const lockRequests = (): number =>
      sim.requests.filter((r) => (r.body as { DeviceName?: string }).DeviceName === 'front_door')
        .length;
    const noSecret = await fetch(red.url + '/unlock', { method: 'POST' });
    assert.equal(noSecret.status, 401);
    assert.equal((await unlock(red.url, 'mallory', 'wrong-secret')).status, 401);
    const get = await fetch(red.url + '/unlock', {
      headers: { 'X-Unlock-Secret': DEMO_UNLOCK_SECRET },
    });
    assert.equal(get.status, 404);
    assert.equal(lockRequests(), 0, 'a refused request reached the simulator');
    assert.equal(
      sim.actionCalls.some((c) => c.actionId === 'unlock'),
      false,
    );
  });

  it('answers the HTTP example by unlocking the simulated door', async function () {
    const res = await unlock(red.url, 'alice');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      unlocked: true,
      battery: sim.model.device('LOCK0C3D4E', 'front_door')?.properties.battery.Value ?? 87,
    });
    assert.ok(sim.actionCalls.some((c) => c.actionId === 'unlock'));
  });

  it('reports a failure to the catch node with its code and an English text', async function () {
    sim.setFault({ kind: 'http5xx', status: 503, count: 1 });
    const res = await unlock(red.url, 'carol');
    assert.equal(res.status, 502);
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(body.code, 'IOTX_HTTP_STATUS');
    assert.match(body.message, /answered HTTP 503/);
  });

  it('never shows the token in the flows, the credentials, the node list or the log', async function () {
    await unlock(red.url, 'bob');
    const flows = await get('/flows');
    assert.equal(flows.status, 200);
    assert.match(flows.text, /iot-explorer-account/);
    const accountId = (
      JSON.parse(flows.text) as { flows: Array<{ id: string; type: string }> }
    ).flows.find((n) => n.type === 'iot-explorer-account')!.id;
    const credentials = await get(`/credentials/iot-explorer-account/${accountId}`);
    assert.equal(credentials.status, 200);
    // Every credential is password-type: it comes back only as a has_<name> flag.
    assert.deepEqual(JSON.parse(credentials.text), {
      has_accessToken: true,
      has_appSecret: false,
      has_password: false,
      has_phoneNumber: false,
      has_email: false,
    });
    const nodes = await get('/nodes');
    for (const [what, text] of [
      ['flows', flows.text],
      ['credentials', credentials.text],
      ['nodes', nodes.text],
      ['log', red.output()],
    ]) {
      assert.equal(text.includes(TOKEN), false, `the token appears in ${what}`);
      // The unlock secret lives in Node-RED's environment only.
      assert.equal(
        text.includes(DEMO_UNLOCK_SECRET),
        false,
        `the unlock secret appears in ${what}`,
      );
    }
    assert.ok(
      sim.requests.some((r) => (r.body as { AccessToken?: string }).AccessToken === TOKEN),
      'the token was used',
    );
  });
});

describe('in a real Node-RED process set to Chinese', function () {
  this.timeout(90000);
  let sim: Simulator;
  let red: NodeRedInstance;
  let userDir: string;

  before(async function () {
    sim = await startSimulator({ port: 0 });
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-nr-zh-'));
    prepareUserDir({
      userDir,
      endpoint: sim.tokenapiUrl,
      accessToken: 'demo-access-token',
      examples: ['02 - Unlock the door from an HTTP endpoint.json'],
      lang: 'zh-CN',
    });
    red = await startNodeRed(userDir, 0, { env: { UNLOCK_SECRET: DEMO_UNLOCK_SECRET } });
  });

  after(async function () {
    await red?.stop();
    await sim?.close();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('gives the catch node a Chinese error text with the same code', async function () {
    sim.setDeviceOnline('LOCK0C3D4E', 'front_door', false);
    const res = await unlock(red.url, 'dan');
    assert.equal(res.status, 502);
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(body.code, 'FailedOperation.ActionUnreachable');
    assert.match(body.message, /设备无法送达/);
  });
});
