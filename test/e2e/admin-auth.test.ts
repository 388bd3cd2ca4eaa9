import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../simulator';
import { DEMO_SIGN_IN } from '../support/runtime';
import {
  PROJECT_ROOT,
  prepareUserDir,
  resolveFromNodeRed,
  startNodeRed,
  type NodeRedInstance,
} from '../../demo/launch';

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

  /** A bearer token from Node-RED's own login, as the editor gets one. */
  async function login(username: keyof typeof USERS): Promise<string> {
    const res = await fetch(`${red.url}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_id: 'node-red-admin',
        grant_type: 'password',
        scope: SCOPES[username],
        username,
        password: USERS[username],
      }),
    });
    assert.equal(res.status, 200, `login of ${username}`);
    const { access_token } = (await res.json()) as { access_token: string };
    return access_token;
  }

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
