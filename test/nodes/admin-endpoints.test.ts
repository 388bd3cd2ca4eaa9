import assert from 'node:assert/strict';
import fs from 'node:fs';
import { closedPort } from '../support/net';
import express from 'express';
import type { NodeAPI } from 'node-red';
import request from 'supertest';
import { ApiClient } from '../../lib/api/client';
import { registerAdminEndpoints } from '../../lib/admin/endpoints';
import { ACCOUNT_KEY, ACCOUNT_TYPE, ACCOUNT_VERSION } from '../../lib/account/account';
import { registeredRoutes } from '../../lib/admin/routes';
import { ADMIN_QUESTIONS } from '../../lib/shared/admin-api';
import { UNCHANGED_SECRET as UNCHANGED_PASSWORD } from '../../lib/shared/account';
import { defaultFixturePath, startSimulator, type Fixture, type Simulator } from '../../simulator';
import {
  DEMO_SIGN_IN,
  DEMO_TOKEN,
  NODES,
  actionFlow,
  coreNode,
  credentials,
  helper,
  load,
} from '../support/runtime';

const BASE = '/iot-explorer/accounts';
const WRONG = 'wrong-token-3f9a2c71';

/** The default fixture with `count` more lamps in the demo home, for paging past 50. */
function crowdedFixture(count: number): Fixture {
  const fixture = JSON.parse(fs.readFileSync(defaultFixturePath(), 'utf8')) as Fixture;
  for (let i = 0; i < count; i++) {
    fixture.devices.push({
      ProductId: 'LIGHT0A1B2',
      DeviceName: `extra_lamp_${String(i).padStart(3, '0')}`,
      AliasName: `灯 ${i}`,
      FamilyId: 'f_demo_home',
      RoomId: 'r_living',
      online: i % 2 === 0,
    });
  }
  return fixture;
}

/** The default fixture with `count` more scenes in the demo home, for paging past 50. */
function manyScenesFixture(count: number): Fixture {
  const fixture = JSON.parse(fs.readFileSync(defaultFixturePath(), 'utf8')) as Fixture;
  for (let i = 0; i < count; i++) {
    fixture.scenes!.push({
      SceneId: `scene_extra_${String(i).padStart(3, '0')}`,
      FamilyId: 'f_demo_home',
      SceneName: `场景 ${i}`,
      Actions: [
        {
          ActionType: 0,
          ProductId: 'LIGHT0A1B2',
          DeviceName: 'living_lamp',
          Data: { brightness: i % 100 },
        },
      ],
    });
  }
  return fixture;
}

/** Every answer, as text: no token may appear in any of them. */
const answers: string[] = [];

async function post(path: string, body: Record<string, unknown> = {}): Promise<any> {
  const res = await helper.request().post(path).send(body).expect(200);
  answers.push(res.text);
  return res.body;
}

describe('admin endpoints for the editor', function () {
  let sim: Simulator;

  before(async function () {
    await new Promise<void>((resolve) => helper.startServer(resolve));
  });
  after(async function () {
    await new Promise<void>((resolve) => helper.stopServer(resolve));
    for (const text of answers) {
      assert.equal(text.includes(DEMO_TOKEN), false, `token in an answer: ${text}`);
      assert.equal(text.includes(WRONG), false, `typed token in an answer: ${text}`);
    }
  });
  afterEach(async function () {
    await helper.unload();
    await sim?.close();
  });

  describe('with the deployed account and its stored token', function () {
    beforeEach(async function () {
      sim = await startSimulator();
      await load(actionFlow(sim.tokenapiUrl));
    });

    it('lists the families', async function () {
      const answer = await post(`${BASE}/acc/families`);
      assert.equal(answer.success, true);
      assert.deepEqual(answer.data, [{ familyId: 'f_demo_home', name: '我的家', role: 1 }]);
      const sent = sim.requests.find((r) => r.action === 'AppGetFamilyList');
      assert.equal((sent?.body as Record<string, unknown>).AccessToken, DEMO_TOKEN);
    });

    it('lists the devices of a family with room names and online state', async function () {
      const answer = await post(`${BASE}/acc/devices`, { familyId: 'f_demo_home' });
      assert.equal(answer.success, true);
      const byName = new Map<string, any>(
        answer.data.map((d: any): [string, any] => [d.deviceName as string, d]),
      );
      assert.deepEqual(byName.get('living_lamp'), {
        familyId: 'f_demo_home',
        productId: 'LIGHT0A1B2',
        deviceName: 'living_lamp',
        deviceId: 'LIGHT0A1B2/living_lamp',
        aliasName: '客厅台灯',
        roomId: 'r_living',
        roomName: '客厅',
        online: true,
        shared: false,
        sharedBy: null,
      });
      assert.equal(byName.get('bedroom_lamp').online, false);
      assert.equal(byName.has('neighbor_lamp'), false);
    });

    it("lists the devices shared with the user after the family's, marked shared", async function () {
      const answer = await post(`${BASE}/acc/devices`, { familyId: 'f_demo_home' });
      assert.equal(answer.success, true);
      const shared = sim.model.sharedWithUser('u-demo').map((d) => d.deviceId);
      assert.ok(shared.length >= 2, 'the demo user has devices shared with them');
      const listed = answer.data.map((d: any): [string, boolean] => [d.deviceId, d.shared]);
      const owned = sim.model.devicesInFamily('f_demo_home').map((d) => d.deviceId);
      // The family's own first, then the shared ones.
      assert.deepEqual(listed, [
        ...owned.map((id): [string, boolean] => [id, false]),
        ...shared.map((id): [string, boolean] => [id, true]),
      ]);
      const lamp = answer.data.find((d: any) => d.deviceName === 'shared_lamp');
      assert.deepEqual(lamp, {
        familyId: '',
        productId: 'LIGHT0A1B2',
        deviceName: 'shared_lamp',
        deviceId: 'LIGHT0A1B2/shared_lamp',
        aliasName: '房主的落地灯',
        roomId: '',
        roomName: '',
        online: true,
        shared: true,
        // The service's reply names no sharer unless it carries FromUserID.
        sharedBy: null,
      });
      sim.model.homeOptions.shareFromUserId = true;
      const named = await post(`${BASE}/acc/devices`, { familyId: 'f_demo_home' });
      assert.equal(named.data.find((d: any) => d.deviceName === 'shared_lamp').sharedBy, 'u-owner');
    });

    it('lists only the shared devices when asked about no family', async function () {
      const answer = await post(`${BASE}/acc/devices`, {});
      assert.equal(answer.success, true);
      assert.deepEqual(
        answer.data.map((d: any): string => String(d.deviceId)),
        sim.model.sharedWithUser('u-demo').map((d) => d.deviceId),
      );
      assert.ok(answer.data.every((d: any): boolean => d.shared === true));
      assert.equal(sim.requests.filter((r) => r.action === 'AppGetFamilyDeviceList').length, 0);
    });

    it("keeps the family's devices when the shared ones cannot be read, and fails without a family", async function () {
      sim.setFault({ kind: 'http5xx', action: 'AppListUserShareDevices' });
      const answer = await post(`${BASE}/acc/devices`, { familyId: 'f_demo_home' });
      assert.equal(answer.success, true);
      assert.equal(answer.data.length, sim.model.devicesInFamily('f_demo_home').length);
      assert.ok(answer.data.every((d: any): boolean => d.shared === false));
      const alone = await post(`${BASE}/acc/devices`, {});
      assert.equal(alone.success, false);
      assert.ok(alone.code, JSON.stringify(alone));
    });

    it('refuses a cross-site post to the devices route before asking the API', async function () {
      const before = sim.requests.length;
      for (const headers of [
        { 'Sec-Fetch-Site': 'cross-site' },
        { Origin: 'http://evil.example' },
      ]) {
        const res = await helper
          .request()
          .post(`${BASE}/acc/devices`)
          .set(headers)
          .send({ familyId: 'f_demo_home' });
        assert.equal(res.status, 403);
        assert.equal(res.body.code, 'IOTX_CROSS_SITE');
      }
      assert.equal(sim.requests.length, before, 'nothing reached the API');
    });

    it('gives a product with its data template parsed', async function () {
      const answer = await post(`${BASE}/acc/product`, { productId: 'LIGHT0A1B2' });
      assert.equal(answer.success, true);
      assert.equal(answer.data.productId, 'LIGHT0A1B2');
      const blink = answer.data.dataTemplate.actions.find((a: any) => a.id === 'light_blink');
      assert.deepEqual(
        blink.input.map((p: any): string[] => [p.id as string, p.define.type as string]),
        [
          ['time', 'int'],
          ['color', 'bool'],
          ['total_time', 'int'],
        ],
      );
    });

    it('says which user the token belongs to', async function () {
      const answer = await post(`${BASE}/acc/user`);
      assert.equal(answer.success, true);
      assert.equal(answer.data.userId, 'u-demo');
      assert.equal(answer.data.nickName, '演示用户 Demo');
      assert.equal(answer.data.expiresAt, undefined);
    });

    it('uses the stored token when the editor sends the unchanged-password marker', async function () {
      const answer = await post(`${BASE}/acc/user`, {
        endpoint: sim.tokenapiUrl,
        accessToken: UNCHANGED_PASSWORD,
      });
      assert.equal(answer.success, true);
      assert.equal(answer.data.userId, 'u-demo');
    });

    it('uses a token typed in the editor over the stored one', async function () {
      const answer = await post(`${BASE}/acc/user`, { accessToken: 'neighbor-access-token' });
      assert.equal(answer.data.userId, 'u-neighbor');
    });

    it('names a missing field', async function () {
      const answer = await post(`${BASE}/acc/scenes`, {});
      assert.equal(answer.success, false);
      assert.equal(answer.code, 'IOTX_MISSING_FIELD');
      assert.equal(answer.params.field, 'familyId');
    });

    it("lists a family's scenes, marking the one whose device has left the family", async function () {
      const answer = await post(`${BASE}/acc/scenes`, { familyId: 'f_demo_home' });
      assert.equal(answer.success, true);
      const byId = new Map<string, any>(
        answer.data.map((s: any): [string, any] => [s.sceneId as string, s]),
      );
      assert.deepEqual([...byId.keys()].sort(), [
        'scene_all_off',
        'scene_good_night',
        'scene_leave_home',
        'scene_movie',
        'scene_reading',
      ]);
      assert.deepEqual(byId.get('scene_movie'), {
        sceneId: 'scene_movie',
        familyId: 'f_demo_home',
        name: '观影 Movie time',
        icon: '',
        devicesLeft: false,
        running: false,
        actionCount: 1,
      });
      // scene_reading controls the spare lamp, which is bound to no family: Flag 1.
      assert.equal(byId.get('scene_reading').devicesLeft, true);
    });

    it("lists a family's automations as on or off, never the raw Status", async function () {
      const answer = await post(`${BASE}/acc/automations`, { familyId: 'f_demo_home' });
      assert.equal(answer.success, true);
      assert.deepEqual(
        answer.data.map((a: any): [string, boolean] => [
          String(a.automationId),
          a.enabled === true,
        ]),
        [
          ['auto_hall_sunset', true],
          ['auto_away_mode', false],
          ['auto_door_hall_light', true],
        ],
      );
      assert.ok(answer.data.every((a: any) => !('status' in a) && !('Status' in a)));
    });

    it('names the missing family of a scene or automation list', async function () {
      for (const what of ['scenes', 'automations']) {
        const answer = await post(`${BASE}/acc/${what}`, {});
        assert.equal(answer.code, 'IOTX_MISSING_FIELD');
        assert.equal(answer.params.field, 'familyId');
      }
    });

    it('reports an unknown product with the API code', async function () {
      const answer = await post(`${BASE}/acc/product`, { productId: 'NOPE000000' });
      assert.equal(answer.success, false);
      assert.equal(answer.code, 'ResourceNotFound.StudioProductNotExist');
    });
  });

  describe('for an account not yet deployed', function () {
    beforeEach(async function () {
      sim = await startSimulator();
      await load(actionFlow(sim.tokenapiUrl), {});
    });

    it('lists scenes and automations with the endpoint and token the editor sends', async function () {
      const body = { endpoint: sim.tokenapiUrl, accessToken: DEMO_TOKEN, familyId: 'f_demo_home' };
      const scenes = await post(`${BASE}/brand-new/scenes`, body);
      assert.equal(scenes.success, true);
      assert.equal(scenes.data.length, 5);
      const automations = await post(`${BASE}/brand-new/automations`, body);
      assert.equal(automations.data.length, 3);
    });

    it('uses the endpoint and token the editor sends', async function () {
      const answer = await post(`${BASE}/brand-new/families`, {
        endpoint: sim.tokenapiUrl,
        timeout: '3000',
        accessToken: DEMO_TOKEN,
      });
      assert.equal(answer.success, true);
      assert.equal(answer.data[0].familyId, 'f_demo_home');
    });

    it('gives the expiry typed in with a pasted token', async function () {
      const answer = await post(`${BASE}/brand-new/user`, {
        endpoint: sim.tokenapiUrl,
        accessToken: DEMO_TOKEN,
        tokenExpireAt: '4102444800',
      });
      assert.equal(answer.data.userId, 'u-demo');
      assert.equal(answer.data.expiresAt, 4102444800);
    });

    it('says there is no token when the editor has none and none is stored', async function () {
      const answer = await post(`${BASE}/brand-new/families`, {
        endpoint: sim.tokenapiUrl,
        name: 'Home',
        accessToken: UNCHANGED_PASSWORD,
      });
      assert.equal(answer.success, false);
      assert.equal(answer.code, 'IOTX_NO_TOKEN');
      assert.equal(sim.requests.length, 0);
    });

    it('gives the API code of a refused token, without the token', async function () {
      const answer = await post(`${BASE}/brand-new/user`, {
        endpoint: sim.tokenapiUrl,
        accessToken: WRONG,
      });
      assert.equal(answer.success, false);
      assert.equal(answer.code, 'InvalidParameterValue.InvalidAccessToken');
      assert.equal(answer.key, 'api.invalidToken');
      assert.ok(answer.message.length > 20);
    });

    it('reports an unreachable endpoint as IOTX_NETWORK', async function () {
      const port = await closedPort();
      const answer = await post(`${BASE}/brand-new/user`, {
        endpoint: `http://127.0.0.1:${port}/api/exploreropen/tokenapi`,
        accessToken: DEMO_TOKEN,
      });
      assert.equal(answer.success, false);
      assert.equal(answer.code, 'IOTX_NETWORK');
    });

    it('reports an endpoint that is not a URL as IOTX_INVALID_ENDPOINT', async function () {
      const answer = await post(`${BASE}/brand-new/user`, {
        endpoint: 'not a url',
        accessToken: DEMO_TOKEN,
      });
      assert.equal(answer.code, 'IOTX_INVALID_ENDPOINT');
    });
  });

  describe('with an account in sign-in mode', function () {
    const SIGN_IN = { authMode: 'signin', appKey: 'demoAppKey', loginType: 'email' };
    const SECRETS = {
      appSecret: 'demoAppSecret',
      email: 'demo@example.com',
      password: 'demo-password',
    };
    /** What the editor sends for an account typed in and not deployed: every sign-in field. */
    const TYPED = {
      ...SIGN_IN,
      countryCode: '86',
      appapiEndpoint: '',
      phoneNumber: '',
      ...SECRETS,
    };

    function bodiesOf(action: string): Record<string, unknown>[] {
      return sim.requests
        .filter((r) => r.action === action)
        .map((r) => r.body as Record<string, unknown>);
    }

    /** Waits (bounded) until the simulator has seen `count` requests of an Action. */
    async function seen(action: string, count: number): Promise<Record<string, unknown>[]> {
      for (let i = 0; i < 200 && bodiesOf(action).length < count; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(bodiesOf(action).length, count, `${count} × ${action}`);
      return bodiesOf(action);
    }

    /** No answer may carry a token the simulator issued or a sign-in secret. */
    function assertNothingSecretIn(text: string): void {
      const tokens = sim.requests
        .map((r) => (r.body as Record<string, unknown>).AccessToken)
        .filter((t): t is string => typeof t === 'string');
      for (const secret of [...tokens, ...Object.values(SECRETS)]) {
        assert.equal(text.includes(secret), false, `a token or secret in the answer: ${text}`);
      }
    }

    it('uses the deployed node, which signs in, and says when its token expires', async function () {
      sim = await startSimulator();
      await load(actionFlow(sim.tokenapiUrl, {}, SIGN_IN), { acc: SECRETS });
      const answer = await post(`${BASE}/acc/user`, {
        endpoint: sim.tokenapiUrl,
        authMode: 'signin',
      });
      assert.equal(answer.success, true, JSON.stringify(answer));
      assert.equal(answer.data.userId, 'u-demo');
      assert.equal(typeof answer.data.expiresAt, 'number');
      assert.ok(answer.data.expiresAt > Date.now() / 1000);
      assertNothingSecretIn(answers.at(-1) ?? '');
    });

    it('uses the deployed node when the editor sends its settings unchanged', async function () {
      sim = await startSimulator();
      await load(actionFlow(sim.tokenapiUrl, {}, SIGN_IN), { acc: SECRETS });
      await seen('AppGetToken', 1);
      const answer = await post(`${BASE}/acc/families`, {
        endpoint: sim.tokenapiUrl,
        ...SIGN_IN,
        countryCode: '86',
        appapiEndpoint: '',
        appSecret: UNCHANGED_PASSWORD,
        password: UNCHANGED_PASSWORD,
        email: SECRETS.email,
      });
      assert.equal(answer.success, true, JSON.stringify(answer));
      assert.equal(bodiesOf('AppGetToken').length, 1, 'no second sign-in');
      assert.equal(bodiesOf('AppLogoutUser').length, 0, 'the deployed token stays valid');
    });

    it('signs in for an account not deployed yet, lists its families and devices, logs out', async function () {
      sim = await startSimulator();
      await load(actionFlow(sim.tokenapiUrl), {});
      const families = await post(`${BASE}/brand-new/families`, {
        endpoint: sim.tokenapiUrl,
        name: 'Home',
        ...TYPED,
      });
      assert.equal(families.success, true, JSON.stringify(families));
      assert.deepEqual(families.data, [{ familyId: 'f_demo_home', name: '我的家', role: 1 }]);
      const [signIn] = await seen('AppGetToken', 1);
      assert.equal(signIn.Email, SECRETS.email);
      const [logout] = await seen('AppLogoutUser', 1);
      const token = String(bodiesOf('AppGetFamilyList')[0].AccessToken);
      assert.equal(logout.AccessToken, token);
      assert.equal(sim.model.userForToken(token), undefined, 'the short-lived token is ended');

      const devices = await post(`${BASE}/brand-new/devices`, {
        endpoint: sim.tokenapiUrl,
        ...TYPED,
        familyId: 'f_demo_home',
      });
      assert.equal(devices.success, true, JSON.stringify(devices));
      assert.ok(
        devices.data.some((d: any): boolean => d.deviceName === 'living_lamp' && d.online === true),
      );
      // One sign-in for the request, however many calls it made (list, rooms, statuses).
      await seen('AppGetToken', 2);
      await seen('AppLogoutUser', 2);
      for (const text of answers.slice(-2)) assertNothingSecretIn(text);
    });

    it('tests the connection of an undeployed account with the expiry of its sign-in', async function () {
      sim = await startSimulator();
      await load(actionFlow(sim.tokenapiUrl), {});
      const answer = await post(`${BASE}/brand-new/user`, { endpoint: sim.tokenapiUrl, ...TYPED });
      assert.equal(answer.success, true, JSON.stringify(answer));
      assert.equal(answer.data.userId, 'u-demo');
      assert.ok(answer.data.expiresAt > Date.now() / 1000);
      assertNothingSecretIn(answers.at(-1) ?? '');
    });

    it('signs in with the stored secrets when an edited account sends __PWRD__', async function () {
      sim = await startSimulator();
      // Deployed signing in by phone; the dialog now says e-mail, passwords left unchanged.
      await load(
        actionFlow(sim.tokenapiUrl, {}, { ...SIGN_IN, loginType: 'phone', countryCode: '86' }),
        { acc: { ...SECRETS, phoneNumber: '13800000000' } },
      );
      await seen('AppGetToken', 1);
      const answer = await post(`${BASE}/acc/families`, {
        endpoint: sim.tokenapiUrl,
        ...SIGN_IN,
        appSecret: UNCHANGED_PASSWORD,
        password: UNCHANGED_PASSWORD,
        email: SECRETS.email,
      });
      assert.equal(answer.success, true, JSON.stringify(answer));
      const signIns = await seen('AppGetToken', 2);
      assert.equal(signIns[0].Type, 'phone');
      assert.equal(signIns[1].Type, 'email');
      assert.equal(signIns[1].Email, SECRETS.email);
      assert.equal(signIns[1].Password, SECRETS.password, 'the stored password');
      assert.equal(signIns[1].AppKey, 'demoAppKey');
      await seen('AppLogoutUser', 1);
      assertNothingSecretIn(answers.at(-1) ?? '');
    });

    it('gives the API code of a wrong password, with a text about the sign-in', async function () {
      sim = await startSimulator();
      await load(actionFlow(sim.tokenapiUrl), {});
      const answer = await post(`${BASE}/brand-new/families`, {
        endpoint: sim.tokenapiUrl,
        name: 'Home',
        ...TYPED,
        password: 'not-the-password',
      });
      assert.equal(answer.success, false);
      assert.equal(answer.code, 'InvalidParameterValue.UserLoginFailed');
      assert.equal(answer.key, 'signIn.loginFailed');
      assert.match(answer.message, /Home/);
      assert.equal(answers.at(-1)?.includes('not-the-password'), false);
      await seen('AppGetToken', 1);
      assert.equal(bodiesOf('AppGetFamilyList').length, 0);
      assert.equal(bodiesOf('AppLogoutUser').length, 0, 'nothing to log out');
    });

    it('names the empty sign-in fields of an undeployed account, sending nothing', async function () {
      sim = await startSimulator();
      await load(actionFlow(sim.tokenapiUrl), {});
      const answer = await post(`${BASE}/brand-new/families`, {
        endpoint: sim.tokenapiUrl,
        name: 'Home',
        authMode: 'signin',
        appKey: 'demoAppKey',
        password: UNCHANGED_PASSWORD,
      });
      assert.equal(answer.success, false);
      assert.equal(answer.code, 'IOTX_NO_TOKEN');
      assert.equal(answer.key, 'signIn.incomplete');
      assert.equal(answer.params.missing, 'AppSecret, PhoneNumber, Password');
      assert.equal(sim.requests.length, 0);
    });
  });

  describe('with the id of a node that is not an account', function () {
    const MQTT_PASSWORD = 'mqtt-broker-password-7c1e';
    const HTTP_PASSWORD = 'http-request-password-9d4b';

    /**
     * The account flow plus an MQTT broker, an http request node and, on a disabled tab, another
     * http request node: each holds a password in its credentials.
     */
    async function loadWithOtherNodes(): Promise<void> {
      const flow = [
        ...actionFlow(sim.tokenapiUrl),
        {
          id: 'mqtt-conf',
          type: 'mqtt-broker',
          name: 'home broker',
          broker: '127.0.0.1',
          port: '1',
        },
        { id: 'fetcher', type: 'http request', z: 'tab', method: 'GET', url: '', wires: [[]] },
        { id: 'tab-off', type: 'tab', label: 'off', disabled: true },
        { id: 'parked', type: 'http request', z: 'tab-off', method: 'GET', url: '', wires: [[]] },
      ];
      await helper.load(
        [
          ...NODES,
          coreNode('common/25-catch.js'),
          coreNode('network/10-mqtt.js'),
          coreNode('network/21-httprequest.js'),
        ],
        flow,
        {
          ...credentials(),
          'mqtt-conf': { user: 'mqtt-user', password: MQTT_PASSWORD },
          fetcher: { user: 'http-user', password: HTTP_PASSWORD },
          parked: { user: 'http-user', password: HTTP_PASSWORD },
        },
      );
    }

    /** A sign-in typed in the editor whose password is "the stored one". */
    const borrowing = (endpoint: string) => ({
      endpoint,
      ...DEMO_SIGN_IN,
      password: UNCHANGED_PASSWORD,
    });

    it('refuses a deployed MQTT broker or http request node, reading none of its credentials', async function () {
      sim = await startSimulator();
      await loadWithOtherNodes();
      for (const id of ['mqtt-conf', 'fetcher']) {
        for (const question of ['user', 'families']) {
          const answer = await post(`${BASE}/${id}/${question}`, borrowing(sim.tokenapiUrl));
          assert.equal(answer.success, false, `${id}/${question}`);
          assert.equal(answer.code, 'IOTX_NOT_ACCOUNT', `${id}/${question}`);
          assert.equal(answer.key, 'admin.notAccount');
        }
        const pasted = await post(`${BASE}/${id}/families`, {
          endpoint: sim.tokenapiUrl,
          accessToken: UNCHANGED_PASSWORD,
        });
        assert.equal(pasted.code, 'IOTX_NOT_ACCOUNT');
      }
      assert.equal(sim.requests.length, 0, 'nothing went to the API');
      for (const text of answers.slice(-6)) {
        assert.equal(text.includes(MQTT_PASSWORD) || text.includes(HTTP_PASSWORD), false, text);
      }
    });

    it('reads no credentials of a node on a disabled tab', async function () {
      sim = await startSimulator();
      await loadWithOtherNodes();
      const answer = await post(`${BASE}/parked/families`, borrowing(sim.tokenapiUrl));
      assert.equal(answer.success, false);
      // Nothing stored for an id no account node has: the sign-in lacks its password.
      assert.equal(answer.code, 'IOTX_NO_TOKEN');
      assert.equal(answer.params.missing, 'Password');
      assert.equal(sim.requests.length, 0, 'nothing went to the API');
    });

    it('still uses the account node of the same flow', async function () {
      sim = await startSimulator();
      await loadWithOtherNodes();
      const answer = await post(`${BASE}/acc/families`);
      assert.equal(answer.success, true, JSON.stringify(answer));
    });
  });

  describe('paging', function () {
    it('reads every scene of a family past the API limit of 50', async function () {
      sim = await startSimulator({ fixture: manyScenesFixture(110) });
      await load(actionFlow(sim.tokenapiUrl), credentials());
      const answer = await post(`${BASE}/acc/scenes`, { familyId: 'f_demo_home' });
      assert.equal(answer.success, true);
      assert.equal(answer.data.length, 115);
      assert.equal(new Set(answer.data.map((s: any): string => s.sceneId as string)).size, 115);
      assert.ok(answer.data.some((s: any) => s.sceneId === 'scene_extra_109'));
      const pages = sim.requests
        .filter((r) => r.action === 'AppGetSceneList')
        .map((r) => {
          const body = r.body as Record<string, unknown>;
          return [body.Offset, body.Limit];
        });
      assert.deepEqual(pages, [
        [0, 50],
        [50, 50],
        [100, 50],
      ]);
    });

    it('reads every device of a family past the API limit of 50', async function () {
      sim = await startSimulator({ fixture: crowdedFixture(120) });
      await load(actionFlow(sim.tokenapiUrl), credentials());
      const answer = await post(`${BASE}/acc/devices`, { familyId: 'f_demo_home' });
      assert.equal(answer.success, true);
      // The fixture's own devices in the demo home, plus the 120 extra lamps.
      const inHome = sim.model.devicesInFamily('f_demo_home').length;
      assert.ok(inHome > 120 && inHome <= 150, `${inHome} devices: three pages of 50`);
      const owned = answer.data.filter((d: any): boolean => !d.shared);
      assert.equal(owned.length, inHome);
      assert.equal(new Set(owned.map((d: any): string => d.deviceId as string)).size, inHome);
      const pages = sim.requests
        .filter((r) => r.action === 'AppGetFamilyDeviceList')
        .map((r) => {
          const body = r.body as Record<string, unknown>;
          return [body.Offset, body.Limit];
        });
      assert.deepEqual(pages, [
        [0, 50],
        [50, 50],
        [100, 50],
      ]);
      const extra = answer.data.find((d: any) => d.deviceName === 'extra_lamp_119');
      assert.equal(extra.online, false);
      assert.equal(extra.roomName, '客厅');
    });
  });
});

describe('admin endpoint permissions', function () {
  let sim: Simulator;
  before(async function () {
    sim = await startSimulator();
  });
  after(async function () {
    await sim.close();
  });

  let deployedClient: ApiClient;
  beforeEach(function () {
    deployedClient = new ApiClient({
      endpoint: sim.tokenapiUrl,
      tokenSource: { getToken: () => DEMO_TOKEN },
    });
  });
  afterEach(function () {
    deployedClient.close();
  });

  /** A runtime stand-in whose needsPermission lets through only the granted permissions. */
  function app(granted: string[]): express.Express {
    const httpAdmin = express();
    httpAdmin.use(express.json());
    const red = {
      httpAdmin,
      auth: {
        // Like Node-RED's: one permission or a list, every one of which must be held.
        needsPermission: (permission: string | string[]) => {
          const needed = Array.isArray(permission) ? permission : [permission];
          return (_req: unknown, res: express.Response, next: () => void) => {
            if (needed.every((p) => granted.includes(p))) next();
            else res.status(401).end();
          };
        },
      },
      nodes: {
        getNode: (id: string) =>
          id === 'acc'
            ? {
                type: ACCOUNT_TYPE,
                [ACCOUNT_KEY]: {
                  version: ACCOUNT_VERSION,
                  settings: { name: 'Home', endpoint: sim.tokenapiUrl, timeoutMs: 5000 },
                  client: deployedClient,
                },
              }
            : null,
        getCredentials: (id: string) => (id === 'acc' ? { accessToken: DEMO_TOKEN } : undefined),
      },
      _: (key: string) => key,
    } as unknown as NodeAPI;
    registerAdminEndpoints(red);
    registerAdminEndpoints(red);
    assert.equal(registeredRoutes(httpAdmin).length, ADMIN_QUESTIONS.length, 'registered once');
    return httpAdmin;
  }

  it('refuses a user without read permission', async function () {
    await request(app([])).post(`${BASE}/acc/families`).send({}).expect(401);
  });

  it('lets a reader use the deployed account as it is', async function () {
    const res = await request(app(['iot-explorer-account.read']))
      .post(`${BASE}/acc/families`)
      .send({ endpoint: sim.tokenapiUrl, accessToken: UNCHANGED_PASSWORD })
      .expect(200);
    assert.equal(res.body.success, true);
  });

  it('needs write permission for a typed-in token', async function () {
    const reader = app(['iot-explorer-account.read']);
    await request(reader)
      .post(`${BASE}/acc/families`)
      .send({ accessToken: DEMO_TOKEN })
      .expect(401);
    const writer = app(['iot-explorer-account.read', 'iot-explorer-account.write']);
    const res = await request(writer)
      .post(`${BASE}/new/families`)
      .send({ endpoint: sim.tokenapiUrl, accessToken: DEMO_TOKEN })
      .expect(200);
    assert.equal(res.body.success, true);
  });

  it('needs write permission for sign-in settings typed in the editor', async function () {
    const typed = { endpoint: sim.tokenapiUrl, ...DEMO_SIGN_IN };
    const before = sim.requests.length;
    await request(app(['iot-explorer-account.read']))
      .post(`${BASE}/acc/families`)
      .send(typed)
      .expect(401);
    await request(app(['iot-explorer-account.read']))
      .post(`${BASE}/new/families`)
      .send({ ...typed, password: UNCHANGED_PASSWORD })
      .expect(401);
    assert.equal(sim.requests.length, before);
    const res = await request(app(['iot-explorer-account.read', 'iot-explorer-account.write']))
      .post(`${BASE}/new/families`)
      .send(typed)
      .expect(200);
    assert.equal(res.body.success, true, res.text);
  });

  it('needs write permission to send the stored token to another endpoint', async function () {
    const before = sim.requests.length;
    await request(app(['iot-explorer-account.read']))
      .post(`${BASE}/acc/user`)
      .send({ endpoint: 'http://127.0.0.1:9/elsewhere' })
      .expect(401);
    assert.equal(sim.requests.length, before);
  });
});
