// Every HTTP route the package registers, in a Node-RED runtime with the simulator: what a page
// of another site can make the browser send is refused, and reaches nothing. The routes are
// read from the one registration function (lib/admin/routes.ts), so a route added later is
// tested here without a line more.
import assert from 'node:assert/strict';
import type { NodeAPI } from 'node-red';
import type { Test } from 'supertest';
import { registeredRoutes, type RegisteredRoute } from '../../lib/admin/routes';
import { ADMIN_QUESTIONS } from '../../lib/shared/admin-api';
import { startSimulator, type Simulator } from '../../simulator';
import { DEMO_TOKEN, NODES, actionFlow, coreNode, credentials, helper } from '../support/runtime';

/** Node-RED as the browser reached it in these tests (the Host header they send). */
const HOST = 'nodered.test:1880';
const OWN_ORIGIN = `http://${HOST}`;
/** What every route's body may hold: enough for each question of the account routes. */
const BODY = { familyId: 'f_demo_home', productId: 'LIGHT0A1B2' };

interface Express4Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route on an express app whose path is under `/iot-explorer` (express 4 and 5). */
function routesUnderOurPath(app: object): RegisteredRoute[] {
  const router =
    (app as { _router?: { stack: Express4Layer[] }; router?: { stack: Express4Layer[] } })
      ._router ?? (app as { router?: { stack: Express4Layer[] } }).router;
  const found: RegisteredRoute[] = [];
  for (const layer of router?.stack ?? []) {
    if (!layer.route || !layer.route.path.startsWith('/iot-explorer')) continue;
    for (const method of Object.keys(layer.route.methods)) {
      found.push({ method: method as RegisteredRoute['method'], path: layer.route.path });
    }
  }
  return found;
}

describe('cross-site requests to every route of the package', function () {
  let sim: Simulator;
  let httpAdmin: object;
  let routes: readonly RegisteredRoute[];

  /** Loads our nodes (every module that may register a route) and catches the runtime's app. */
  async function start(settings: Record<string, unknown> = {}): Promise<void> {
    helper.settings(settings);
    sim = await startSimulator();
    const capture = (red: NodeAPI): void => {
      httpAdmin = red.httpAdmin;
    };
    await helper.load(
      [...NODES, coreNode('common/25-catch.js'), capture],
      actionFlow(sim.tokenapiUrl),
      credentials(),
    );
    routes = registeredRoutes(httpAdmin);
  }

  before(async function () {
    await new Promise<void>((resolve) => helper.startServer(resolve));
  });
  after(async function () {
    await new Promise<void>((resolve) => helper.stopServer(resolve));
  });
  afterEach(async function () {
    await helper.unload();
    await sim?.close();
    helper.settings({});
  });

  /** The route's request, with the account id of the flow in its path. */
  function send(route: RegisteredRoute): Test {
    const path = route.path.replace(':id', 'acc');
    const agent = helper.request();
    return route.method === 'get' ? agent.get(path) : agent[route.method](path);
  }

  /** Sends one request per route and checks its status; the simulator must have seen nothing. */
  async function refusedEverywhere(
    what: string,
    build: (route: RegisteredRoute) => Test,
    status: number,
    code: string,
  ): Promise<void> {
    for (const route of routes) {
      const res = await build(route);
      const where = `${what} to ${route.method.toUpperCase()} ${route.path}`;
      assert.equal(res.status, status, `${where}: ${res.status} ${res.text}`);
      assert.equal((res.body as { code?: string }).code, code, where);
      assert.equal(res.headers['access-control-allow-origin'], undefined, where);
      assert.equal(sim.requests.length, 0, `${where} reached the API`);
    }
  }

  /** A browser's request from Node-RED's own editor page. */
  const sameOrigin = (test: Test): Test =>
    test.set('Host', HOST).set('Origin', OWN_ORIGIN).set('Sec-Fetch-Site', 'same-origin');

  it('registers every route through the one function: the account routes and nothing beside it', async function () {
    await start();
    assert.deepEqual(
      routes.map((r) => `${r.method} ${r.path}`).sort(),
      routesUnderOurPath(httpAdmin)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
    for (const question of ADMIN_QUESTIONS) {
      assert.ok(
        routes.some(
          (r) => r.method === 'post' && r.path === `/iot-explorer/accounts/:id/${question}`,
        ),
        question,
      );
    }
  });

  it('refuses a form post with 415, even though Node-RED parsed it', async function () {
    await start();
    await refusedEverywhere(
      'a form post',
      (route) =>
        send(route)
          .type('form')
          .send({ endpoint: 'http://127.0.0.1:9/steal', familyId: 'f_demo_home', productId: 'X' }),
      415,
      'IOTX_NOT_JSON',
    );
  });

  it('refuses a text/plain post and a multipart post with 415', async function () {
    await start();
    await refusedEverywhere(
      'a text/plain post',
      (route) => send(route).set('Content-Type', 'text/plain').send(JSON.stringify(BODY)),
      415,
      'IOTX_NOT_JSON',
    );
    await refusedEverywhere(
      'a multipart post',
      (route) => send(route).field('familyId', 'f_demo_home'),
      415,
      'IOTX_NOT_JSON',
    );
  });

  it('refuses a JSON post from another origin with 403: another port, another host, null', async function () {
    await start();
    for (const origin of ['http://nodered.test:1881', 'https://evil.example', 'null']) {
      await refusedEverywhere(
        `a JSON post from ${origin}`,
        (route) => send(route).set('Host', HOST).set('Origin', origin).send(BODY),
        403,
        'IOTX_CROSS_SITE',
      );
    }
  });

  it('refuses what the browser marks same-site or cross-site with 403', async function () {
    await start();
    for (const site of ['same-site', 'cross-site']) {
      await refusedEverywhere(
        `a JSON post marked ${site}`,
        (route) => send(route).set('Host', HOST).set('Sec-Fetch-Site', site).send(BODY),
        403,
        'IOTX_CROSS_SITE',
      );
    }
  });

  it('answers in the runtime language through the account catalogue', async function () {
    await start();
    const res = await send(routes[0]).set('Host', HOST).set('Origin', 'null').send(BODY);
    assert.equal(res.status, 403);
    const answer = res.body as { success: boolean; key: string; message: string };
    assert.equal(answer.success, false);
    assert.equal(answer.key, 'admin.crossSite');
    assert.match(answer.message, /iotExplorerAllowedOrigins/);
  });

  it("answers the editor's own requests: same origin, JSON", async function () {
    await start();
    assert.ok(routes.length >= ADMIN_QUESTIONS.length);
    for (const route of routes) {
      const before = sim.requests.length;
      const res = await sameOrigin(send(route)).send(BODY);
      const where = `${route.method.toUpperCase()} ${route.path}`;
      assert.equal(res.status, 200, `${where}: ${res.text}`);
      assert.equal((res.body as { success?: boolean }).success, true, `${where}: ${res.text}`);
      assert.ok(sim.requests.length > before, `${where} asked the API`);
      assert.equal(res.headers['cache-control'], 'no-store', where);
      assert.equal(res.text.includes(DEMO_TOKEN), false, where);
    }
  });

  it('answers through a reverse proxy that sends X-Forwarded-Host and -Proto', async function () {
    await start();
    for (const route of routes) {
      const res = await send(route)
        .set('Host', '127.0.0.1:1880')
        .set('X-Forwarded-Host', 'home.example.com')
        .set('X-Forwarded-Proto', 'https')
        .set('Origin', 'https://home.example.com')
        .set('Sec-Fetch-Site', 'same-origin')
        .send(BODY);
      assert.equal(res.status, 200, `${route.path}: ${res.text}`);
    }
  });

  it('answers through a proxy whose origin iotExplorerAllowedOrigins lists, and warns of a bad entry', async function () {
    await start({
      iotExplorerAllowedOrigins: ['https://proxy.example.net', 'proxy.example.org'],
    });
    const proxied = (route: RegisteredRoute): Test =>
      send(route)
        .set('Host', '127.0.0.1:1880')
        .set('Origin', 'https://proxy.example.net')
        .set('Sec-Fetch-Site', 'same-origin');
    for (const route of routes) {
      const res = await proxied(route).send(BODY);
      assert.equal(res.status, 200, `${route.path}: ${res.text}`);
    }
    const other = await send(routes[0])
      .set('Host', '127.0.0.1:1880')
      .set('Origin', 'https://proxy.example.org')
      .send(BODY);
    assert.equal(other.status, 403, 'an entry that is not an origin allows nothing');
    const crossSite = await proxied(routes[0]).set('Sec-Fetch-Site', 'cross-site').send(BODY);
    assert.equal(crossSite.status, 403, 'a listed origin never lets another site in');
    const warnings = helper
      .log()
      .args.map((args: unknown[]) => JSON.stringify(args))
      .filter((text: string) => text.includes('proxy.example.org'));
    assert.equal(warnings.length, 1, 'one warning for the bad entry');
  });
});
