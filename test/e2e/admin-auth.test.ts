import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { defaultFixturePath, startSimulator, type Fixture, type Simulator } from '../../simulator';
import { DEMO_SIGN_IN } from '../support/runtime';
import {
  PROJECT_ROOT,
  prepareUserDir,
  resolveFromNodeRed,
  startNodeRed,
  type NodeRedInstance,
} from '../../demo/launch';
import { encryptCredentials } from '../../demo/credentials';

/** bcryptjs as Node-RED's editor API uses it to check adminAuth passwords. */
interface Bcrypt {
  hashSync(this: void, password: string, rounds: number): string;
}

function bcrypt(): Bcrypt {
  const editorApi = path.dirname(resolveFromNodeRed('@node-red/editor-api/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve('bcryptjs', { paths: [editorApi] })) as Bcrypt;
}

const EXAMPLE = '02 - Unlock the door from an HTTP endpoint.json';

/**
 * A bearer token from Node-RED's own login, as the editor gets one. A token's scope must lie
 * within the user's permissions, or Node-RED refuses the login.
 */
async function loginTo(
  url: string,
  username: string,
  password: string,
  scope: string,
): Promise<string> {
  const res = await fetch(`${url}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_id: 'node-red-admin',
      grant_type: 'password',
      scope,
      username,
      password,
    }),
  });
  assert.equal(res.status, 200, `login of ${username}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

function exampleAccountId(): string {
  const flow = JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'examples', EXAMPLE), 'utf8'),
  ) as Array<{ id: string; type: string }>;
  return flow.find((n) => n.type === 'iot-explorer-account')!.id;
}

/**
 * A real Node-RED with `adminAuth`: the account's admin endpoints follow Node-RED's own
 * permissions. A read-only user may use the deployed account as it is; a typed token, typed
 * sign-in settings or another endpoint need write permission.
 */
describe('admin endpoints in a real Node-RED with adminAuth', function () {
  this.timeout(60000);
  const TOKEN = 'demo-access-token';
  const USERS = { viewer: 'viewer-pass-1', admin: 'admin-pass-1' };
  /** A token's scope must lie within the user's permissions, or Node-RED refuses the login. */
  const SCOPES = { viewer: 'read', admin: '*' };
  let sim: Simulator;
  let red: NodeRedInstance;
  let userDir: string;
  let accountId: string;
  /** Every response body: none may carry the token. */
  const bodies: string[] = [];

  before(async function () {
    sim = await startSimulator({ port: 0 });
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-nr-auth-'));
    const { hashSync } = bcrypt();
    prepareUserDir({
      userDir,
      endpoint: sim.tokenapiUrl,
      accessToken: TOKEN,
      examples: [EXAMPLE],
      adminAuth: [
        { username: 'viewer', password: hashSync(USERS.viewer, 8), permissions: SCOPES.viewer },
        { username: 'admin', password: hashSync(USERS.admin, 8), permissions: SCOPES.admin },
      ],
    });
    accountId = exampleAccountId();
    red = await startNodeRed(userDir, 0);
  });

  after(async function () {
    await red?.stop();
    await sim?.close();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
    for (const text of bodies) {
      assert.equal(text.includes(TOKEN), false, `the token in a response: ${text}`);
      assert.equal(text.includes('demo-password'), false, `the password in a response: ${text}`);
    }
  });

  const login = (username: keyof typeof USERS): Promise<string> =>
    loginTo(red.url, username, USERS[username], SCOPES[username]);

  async function ask(
    what: string,
    body: Record<string, unknown>,
    bearer?: string,
    id = accountId,
  ): Promise<{ status: number; answer: Record<string, unknown> | undefined }> {
    const res = await fetch(`${red.url}/iot-explorer/accounts/${id}/${what}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    bodies.push(text);
    const answer = res.status === 200 ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    return { status: res.status, answer };
  }

  it('refuses every request without a login', async function () {
    for (const what of ['families', 'user', 'devices', 'product']) {
      const { status } = await ask(what, { familyId: 'f_demo_home', productId: 'LIGHT0A1B2' });
      assert.equal(status, 401, what);
    }
  });

  it('lets a read-only user use the deployed account as it is', async function () {
    const viewer = await login('viewer');
    const { status, answer } = await ask(
      'families',
      { endpoint: sim.tokenapiUrl, authMode: 'token', accessToken: '__PWRD__' },
      viewer,
    );
    assert.equal(status, 200);
    assert.equal(answer?.success, true, JSON.stringify(answer));
    assert.deepEqual(answer?.data, [{ familyId: 'f_demo_home', name: '我的家', role: 1 }]);
  });

  it('refuses a read-only user a typed token, sign-in settings or another endpoint', async function () {
    const viewer = await login('viewer');
    const before = sim.requests.length;
    const refused = [
      { endpoint: sim.tokenapiUrl, accessToken: TOKEN },
      { endpoint: sim.tokenapiUrl.replace('127.0.0.1', 'localhost') },
      {
        endpoint: sim.tokenapiUrl,
        ...DEMO_SIGN_IN,
      },
    ];
    for (const body of refused) {
      const { status } = await ask('families', body, viewer);
      assert.ok(status === 401 || status === 403, `${status} for ${JSON.stringify(body)}`);
    }
    assert.equal(sim.requests.length, before, 'nothing reached the API');
  });

  it('lets an admin use a typed token, another endpoint and an undeployed sign-in', async function () {
    const admin = await login('admin');
    const typed = await ask('families', { endpoint: sim.tokenapiUrl, accessToken: TOKEN }, admin);
    assert.equal(typed.answer?.success, true, JSON.stringify(typed.answer));
    const elsewhere = await ask(
      'user',
      { endpoint: sim.tokenapiUrl.replace('127.0.0.1', 'localhost') },
      admin,
    );
    assert.equal(elsewhere.answer?.success, true, JSON.stringify(elsewhere.answer));
    const signIn = await ask(
      'user',
      {
        endpoint: sim.tokenapiUrl,
        name: 'New home',
        ...DEMO_SIGN_IN,
      },
      admin,
      'not-deployed-yet',
    );
    assert.equal(signIn.answer?.success, true, JSON.stringify(signIn.answer));
    assert.equal((signIn.answer?.data as { userId: string }).userId, 'u-demo');
  });
});

/** The default fixture, its demo user without a UserName: AppGetUser then names the phone. */
function userNamedByPhone(): Fixture {
  const fixture = JSON.parse(fs.readFileSync(defaultFixturePath(), 'utf8')) as Fixture;
  for (const user of fixture.users) if (user.UserID === 'u-demo') delete user.UserName;
  return fixture;
}

/**
 * A server that takes requests and never answers: it says when one arrives, and when the caller
 * hangs up on it.
 */
async function silentServer(): Promise<{
  url: string;
  arrived: Promise<void>;
  hungUp: Promise<void>;
  close(): Promise<void>;
}> {
  let onArrive = (): void => undefined;
  let onHangUp = (): void => undefined;
  const arrived = new Promise<void>((resolve) => (onArrive = resolve));
  const hungUp = new Promise<void>((resolve) => (onHangUp = resolve));
  const server = http.createServer((req, res) => {
    req.resume();
    onArrive();
    res.on('close', () => {
      if (!res.writableFinished) onHangUp();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/api/exploreropen/tokenapi`,
    arrived,
    hungUp,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolves with `value`, or with `fallback` after `ms`: a bound on waiting, not a timing check. */
function within<T>(ms: number, promise: Promise<T>, fallback: T): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms)),
  ]);
}

/**
 * A real Node-RED with a `credentialSecret` and `adminAuth` (a read-only viewer and an admin):
 * a sign-in account whose phone number and e-mail 0.1.0 stored as text credentials, an account
 * whose flows' queue is small (a flow calls it over HTTP), and one whose API never answers.
 */
describe('a read-only user in a real Node-RED with a credential secret', function () {
  this.timeout(90000);
  const SECRET = 'a-credential-secret-for-the-test';
  const PHONE = '13800000000';
  const EMAIL = 'demo@example.com';
  const USERS = { viewer: 'viewer-pass-2', admin: 'admin-pass-2' };
  const SCOPES = { viewer: 'read', admin: '*' };
  const TAB = 'e2e-tab';
  let sim: Simulator;
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let red: NodeRedInstance;
  let userDir: string;
  /** Every body a read-only user received. */
  const seenByViewer: string[] = [];

  before(async function () {
    sim = await startSimulator({ port: 0, fixture: userNamedByPhone() });
    silent = await silentServer();
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-nr-reader-'));
    const { hashSync } = bcrypt();
    prepareUserDir({
      userDir,
      endpoint: sim.tokenapiUrl,
      accessToken: 'unused',
      examples: [],
      credentialSecret: SECRET,
      adminAuth: [
        { username: 'viewer', password: hashSync(USERS.viewer, 8), permissions: SCOPES.viewer },
        { username: 'admin', password: hashSync(USERS.admin, 8), permissions: SCOPES.admin },
      ],
    });
    const flows = [
      { id: TAB, type: 'tab', label: 'reader' },
      {
        id: 'home-signin',
        type: 'iot-explorer-account',
        name: 'Signed in',
        endpoint: sim.tokenapiUrl,
        timeout: '10000',
        authMode: 'signin',
        appKey: 'demoAppKey',
        loginType: 'phone',
        countryCode: '86',
        appapiEndpoint: '',
      },
      {
        id: 'tight',
        type: 'iot-explorer-account',
        name: 'Tight queue',
        endpoint: sim.tokenapiUrl,
        timeout: '20000',
        maxInFlight: '1',
        maxQueue: '2',
      },
      {
        id: 'void',
        type: 'iot-explorer-account',
        name: 'Never answers',
        endpoint: silent.url,
        timeout: '60000',
      },
      // POST /unlock-now → unlock (account "tight") → 200, or the error's code with 502.
      { id: 'in', type: 'http in', z: TAB, url: '/unlock-now', method: 'post', wires: [['act']] },
      {
        id: 'act',
        type: 'iot-explorer-action',
        z: TAB,
        account: 'tight',
        productId: 'LOCK0C3D4E',
        deviceName: 'front_door',
        actionId: 'unlock',
        inputParams: 'payload',
        inputParamsType: 'msg',
        wires: [['ok']],
      },
      { id: 'ok', type: 'http response', z: TAB, statusCode: '200', wires: [] },
      { id: 'catcher', type: 'catch', z: TAB, scope: ['act'], uncaught: false, wires: [['why']] },
      {
        id: 'why',
        type: 'change',
        z: TAB,
        rules: [
          { t: 'set', p: 'payload', pt: 'msg', to: 'error.code', tot: 'msg' },
          { t: 'set', p: 'statusCode', pt: 'msg', to: '502', tot: 'num' },
        ],
        wires: [['failed']],
      },
      { id: 'failed', type: 'http response', z: TAB, wires: [] },
    ];
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
    // What 0.1.0 wrote: the phone number and e-mail were `text` credentials, stored the same way.
    const stored = {
      'home-signin': {
        appSecret: 'demoAppSecret',
        password: 'demo-password',
        phoneNumber: PHONE,
        email: EMAIL,
      },
      tight: { accessToken: 'demo-access-token' },
      void: { accessToken: 'demo-access-token' },
    };
    fs.writeFileSync(
      path.join(userDir, 'flows_cred.json'),
      JSON.stringify(encryptCredentials(SECRET, stored)),
    );
    red = await startNodeRed(userDir, 0);
  });

  after(async function () {
    await red?.stop();
    await silent?.close();
    await sim?.close();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  const login = (username: keyof typeof USERS): Promise<string> =>
    loginTo(red.url, username, USERS[username], SCOPES[username]);

  /** A request as the viewer's editor makes it; the body is kept for the final check. */
  async function asViewer(
    bearer: string,
    pathname: string,
    body?: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<{ status: number; text: string }> {
    const res = await fetch(red.url + pathname, {
      method: body ? 'POST' : 'GET',
      headers: {
        Authorization: `Bearer ${bearer}`,
        'Node-RED-API-Version': 'v2',
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal,
    });
    const text = await res.text();
    seenByViewer.push(text);
    return { status: res.status, text };
  }

  /** Waits (bounded) until the simulator has seen a request that `match` accepts. */
  async function seen(match: (body: Record<string, unknown>) => boolean): Promise<boolean> {
    for (let i = 0; i < 400; i++) {
      if (sim.requests.some((r) => match(r.body as Record<string, unknown>))) return true;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return false;
  }

  /** What the account dialog sends for the deployed sign-in account, its secrets unchanged. */
  const DIALOG_AS_DEPLOYED = {
    endpoint: '',
    authMode: 'signin',
    appKey: 'demoAppKey',
    loginType: 'phone',
    countryCode: '86',
    appapiEndpoint: '',
    appSecret: '__PWRD__',
    password: '__PWRD__',
    phoneNumber: '__PWRD__',
    email: '__PWRD__',
  };

  it('signs in with the phone number 0.1.0 stored as a text credential', async function () {
    assert.ok(
      await seen((b) => b.Action === 'AppGetToken' && b.PhoneNumber === PHONE),
      'AppGetToken with the stored phone number',
    );
    const viewer = await login('viewer');
    const { status, text } = await asViewer(viewer, '/iot-explorer/accounts/home-signin/user', {
      ...DIALOG_AS_DEPLOYED,
      endpoint: sim.tokenapiUrl,
    });
    assert.equal(status, 200, text);
    const answer = JSON.parse(text) as { success: boolean; data: { userId: string } };
    assert.equal(answer.success, true, text);
    assert.equal(answer.data.userId, 'u-demo');
  });

  it('shows a read-only user no phone number or e-mail: flows, credentials, routes', async function () {
    const viewer = await login('viewer');
    const credentials = await asViewer(viewer, '/credentials/iot-explorer-account/home-signin');
    assert.equal(credentials.status, 200);
    const flags = JSON.parse(credentials.text) as Record<string, unknown>;
    assert.equal(flags.has_phoneNumber, true, credentials.text);
    assert.equal(flags.has_email, true, credentials.text);
    assert.equal('phoneNumber' in flags || 'email' in flags, false, credentials.text);
    assert.equal((await asViewer(viewer, '/flows')).status, 200);
    // AppGetUser names the user by the phone number here (no UserName): the answer must not.
    for (const question of ['user', 'families']) {
      const { status } = await asViewer(viewer, `/iot-explorer/accounts/home-signin/${question}`, {
        ...DIALOG_AS_DEPLOYED,
        endpoint: sim.tokenapiUrl,
      });
      assert.equal(status, 200, question);
    }
    const user = sim.requests.filter((r) => r.action === 'AppGetUser');
    assert.ok(user.length > 0, 'the user route asked the service');
    for (const text of seenByViewer) {
      assert.equal(text.includes(PHONE), false, `the phone number reached the viewer: ${text}`);
      assert.equal(text.includes(EMAIL), false, `the e-mail reached the viewer: ${text}`);
      assert.equal(text.includes('demo-password'), false, text);
      assert.equal(text.includes('demoAppSecret'), false, text);
      assert.equal(text.includes('demo-access-token'), false, text);
    }
    assert.equal(red.output().includes(PHONE), false, "the phone number in Node-RED's log");
  });

  it("keeps the flows' queue for the flows while a read-only user hammers the pickers", async function () {
    const viewer = await login('viewer');
    sim.setFault({ kind: 'latency', latencyMs: 1500, action: 'AppGetFamilyList' });
    sim.setFault({ kind: 'latency', latencyMs: 300, action: 'AppCallDeviceActionSync' });
    const listsBefore = sim.requests.filter((r) => r.action === 'AppGetFamilyList').length;
    const picker = Array.from({ length: 40 }, () =>
      asViewer(viewer, '/iot-explorer/accounts/tight/families', {}),
    );
    assert.ok(
      await seen(
        () => sim.requests.filter((r) => r.action === 'AppGetFamilyList').length > listsBefore,
      ),
      "the editor's first call reached the API",
    );
    // The flow's queue holds 1 call on the wire and 2 waiting: exactly these three.
    const flowCalls = await Promise.all(
      ['ann', 'ben', 'cy'].map(async (userid) => {
        const res = await fetch(`${red.url}/unlock-now`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ userid, duration: 1 }),
        });
        return `${res.status} ${await res.text()}`;
      }),
    );
    const answers = (await Promise.all(picker)).map(
      ({ text }) => JSON.parse(text) as { success: boolean; code?: string },
    );
    sim.clearFaults();
    for (const outcome of flowCalls) assert.match(outcome, /^200 /, `a flow call: ${outcome}`);
    const codes = answers.map((a) => (a.success ? 'ok' : a.code));
    assert.ok(codes.includes('ok'), codes.join());
    assert.ok(codes.includes('IOTX_EDITOR_BUSY'), codes.join());
    assert.deepEqual(
      codes.filter((c) => c !== 'ok' && c !== 'IOTX_EDITOR_BUSY'),
      [],
      'no other failure, no IOTX_QUEUE_FULL',
    );
  });

  it("stops a request's call when the browser goes away", async function () {
    const viewer = await login('viewer');
    const browser = new AbortController();
    const asked = asViewer(viewer, '/iot-explorer/accounts/void/user', {}, browser.signal).catch(
      (err: unknown) => err,
    );
    await within(20000, silent.arrived, undefined);
    browser.abort();
    await asked;
    // The account's timeout is 60 s: only the browser leaving can end the call this soon.
    const hungUp = await within(
      15000,
      silent.hungUp.then(() => true),
      false,
    );
    assert.equal(hungUp, true, 'the call to the API was not cancelled');
  });
});
