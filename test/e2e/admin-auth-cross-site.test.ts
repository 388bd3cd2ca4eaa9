// What a page of another site can make the user's browser send to a Node-RED on this machine,
// sent to a real Node-RED (4.1: its admin API answers CORS preflights with `*`; 5.0: it does
// not) with Node-RED's own body parsers: first to the package's routes alone, then, with the
// demo's settings, to Node-RED's own admin API and to an `http in` endpoint.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../simulator';
import { ADMIN_QUESTIONS } from '../../lib/shared/admin-api';
import {
  DEMO_UNLOCK_SECRET,
  PROJECT_ROOT,
  prepareUserDir,
  startNodeRed,
  type NodeRedInstance,
} from '../../demo/launch';

const EXAMPLE = '02 - Unlock the door from an HTTP endpoint.json';
const TOKEN = 'demo-access-token';
const EVIL = 'https://evil.example';
const BODY = { familyId: 'f_demo_home', productId: 'LIGHT0A1B2' };

function exampleAccountId(): string {
  const flow = JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'examples', EXAMPLE), 'utf8'),
  ) as Array<{ id: string; type: string }>;
  return flow.find((n) => n.type === 'iot-explorer-account')!.id;
}

interface Started {
  sim: Simulator;
  red: NodeRedInstance;
  userDir: string;
}

async function start(guardNodeRed: boolean): Promise<Started> {
  const sim = await startSimulator({ port: 0 });
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-nr-xsite-'));
  prepareUserDir({
    userDir,
    endpoint: sim.tokenapiUrl,
    accessToken: TOKEN,
    examples: [EXAMPLE],
    guardNodeRed,
  });
  const red = await startNodeRed(userDir, 0, { env: { UNLOCK_SECRET: DEMO_UNLOCK_SECRET } });
  return { sim, red, userDir };
}

async function stop(started: Started | undefined): Promise<void> {
  await started?.red.stop();
  await started?.sim.close();
  if (started) fs.rmSync(started.userDir, { recursive: true, force: true });
}

/**
 * A request with exactly the headers given, as a browser or a program sends it (node:http:
 * fetch would add a Sec-Fetch-Mode of its own); the answer's status, code and text.
 */
function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; code?: string; text: string; allowOrigin: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: init.method ?? 'POST', headers: init.headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let code: string | undefined;
          try {
            code = (JSON.parse(text) as { code?: string }).code;
          } catch {
            code = undefined;
          }
          const allow = res.headers['access-control-allow-origin'];
          resolve({ status: res.statusCode ?? 0, code, text, allowOrigin: allow });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe("the package's routes in a real Node-RED, cross-site", function () {
  this.timeout(90000);
  let started: Started;
  let accountId: string;

  before(async function () {
    // Node-RED's own admin API left as it is: only the package's guard stands in the way.
    started = await start(false);
    accountId = exampleAccountId();
  });
  after(async function () {
    await stop(started);
  });

  const routeUrl = (question: string): string =>
    `${started.red.url}/iot-explorer/accounts/${accountId}/${question}`;

  it('refuses a cross-origin JSON post after the preflight Node-RED answers, on every route', async function () {
    for (const question of ADMIN_QUESTIONS) {
      // What the browser asks first; Node-RED 4.1 answers it for the whole admin API.
      await send(routeUrl(question), {
        method: 'OPTIONS',
        headers: {
          Origin: EVIL,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
      const res = await send(routeUrl(question), {
        headers: {
          Origin: EVIL,
          'Sec-Fetch-Site': 'cross-site',
          'Sec-Fetch-Mode': 'cors',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(BODY),
      });
      assert.equal(res.status, 403, `${question}: ${res.text}`);
      assert.equal(res.code, 'IOTX_CROSS_SITE');
      assert.equal(res.allowOrigin, undefined, `${question}: no CORS header on a refusal`);
    }
    assert.equal(started.sim.requests.length, 0, 'nothing reached the API');
  });

  it('refuses the form and text/plain posts a plain HTML form sends, on every route', async function () {
    for (const question of ADMIN_QUESTIONS) {
      const form = await send(routeUrl(question), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'endpoint=http%3A%2F%2F127.0.0.1%3A9%2Fsteal&familyId=f_demo_home',
      });
      assert.equal(form.status, 415, `${question}: ${form.text}`);
      assert.equal(form.code, 'IOTX_NOT_JSON');
      const plain = await send(routeUrl(question), {
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify(BODY),
      });
      assert.equal(plain.status, 415, `${question}: ${plain.text}`);
    }
    assert.equal(started.sim.requests.length, 0, 'nothing reached the API');
  });

  it('refuses another port of the same host, a null origin and same-site', async function () {
    const port = Number(new URL(started.red.url).port);
    const tries: Record<string, string>[] = [
      { Origin: `http://127.0.0.1:${port + 1}` },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'same-site' },
    ];
    for (const headers of tries) {
      const res = await send(routeUrl('families'), {
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(BODY),
      });
      assert.equal(res.status, 403, JSON.stringify(headers));
    }
    assert.equal(started.sim.requests.length, 0, 'nothing reached the API');
  });

  it("answers the editor's own request: same origin, JSON", async function () {
    const res = await send(routeUrl('families'), {
      headers: {
        Origin: started.red.url,
        'Sec-Fetch-Site': 'same-origin',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(BODY),
    });
    assert.equal(res.status, 200, res.text);
    assert.equal((JSON.parse(res.text) as { success: boolean }).success, true, res.text);
    assert.equal(res.text.includes(TOKEN), false);
  });
});

describe("the demo's settings: Node-RED's admin API and endpoints behind the same guard", function () {
  this.timeout(90000);
  let started: Started;

  before(async function () {
    started = await start(true);
  });
  after(async function () {
    await stop(started);
  });

  const unlockBody = JSON.stringify({ user: 'mallory' });

  it("refuses another site's reads and writes of the admin API; programs and links pass", async function () {
    const { url } = started.red;
    const read = await send(`${url}/flows`, {
      method: 'GET',
      headers: { Origin: EVIL, 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'cors' },
    });
    assert.equal(read.status, 403, read.text);
    assert.equal(read.code, 'IOTX_CROSS_SITE');
    const write = await send(`${url}/nodes`, {
      headers: { Origin: EVIL, 'Content-Type': 'application/json' },
      body: JSON.stringify({ module: 'node-red-contrib-something' }),
    });
    assert.equal(write.status, 403, write.text);
    // curl and Node-RED's tools send no Origin.
    const tool = await send(`${url}/flows`, { method: 'GET' });
    assert.equal(tool.status, 200, tool.text);
    // A link from another site opens the editor.
    const link = await send(`${url}/`, {
      method: 'GET',
      headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' },
    });
    assert.equal(link.status, 200);
    assert.match(link.text, /Node-RED/);
  });

  it('refuses cross-site posts to an http in endpoint before the flow sees them; curl works', async function () {
    const { url } = started.red;
    const form = await send(`${url}/unlock`, {
      headers: {
        Origin: EVIL,
        'Sec-Fetch-Site': 'cross-site',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'user=mallory',
    });
    assert.equal(form.status, 403, form.text);
    const withSecret = await send(`${url}/unlock`, {
      headers: {
        Origin: EVIL,
        'Content-Type': 'application/json',
        'X-Unlock-Secret': DEMO_UNLOCK_SECRET,
      },
      body: unlockBody,
    });
    assert.equal(withSecret.status, 403, withSecret.text);
    assert.equal(started.sim.requests.length, 0, 'the door was not asked');
    // The demo's own curl line: no Origin, JSON, the secret.
    const curl = await send(`${url}/unlock`, {
      headers: { 'Content-Type': 'application/json', 'X-Unlock-Secret': DEMO_UNLOCK_SECRET },
      body: unlockBody,
    });
    assert.equal(curl.status, 200, curl.text);
    assert.equal(
      started.sim.requests.filter((r) => r.action === 'AppCallDeviceActionSync').length,
      1,
    );
  });
});
