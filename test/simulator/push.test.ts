import assert from 'node:assert/strict';
import {
  loadFixture,
  startSimulator,
  type Fixture,
  type ScriptEntry,
  type Simulator,
} from '../../simulator';
import { DEMO_TOKEN, EXPIRED_TOKEN, NEIGHBOR_TOKEN, delay, rawRequest } from './helpers';
import { PushClient, type PushFrame } from './push-client';

const LAMP_ID = 'LIGHT0A1B2/living_lamp';
const BELL_ID = 'DOORBL1M2N/front_bell';
const SENSOR_ID = 'THSNS7J8K9/living_sensor';
const NEIGHBOR_LAMP_ID = 'LIGHT0A1B2/neighbor_lamp';
const SPARE_LAMP_ID = 'LIGHT0A1B2/spare_lamp';

const isFrom =
  (deviceId: string, type: string, subType: string) =>
  (p: PushFrame): boolean =>
    p.params.DeviceId === deviceId && p.params.Type === type && p.params.SubType === subType;

describe('simulator push socket', function () {
  let sim: Simulator;
  const clients: PushClient[] = [];
  const open = async (url = sim.pushUrl): Promise<PushClient> => {
    const client = await PushClient.open(url);
    clients.push(client);
    return client;
  };

  beforeEach(async function () {
    sim = await startSimulator();
  });
  afterEach(async function () {
    for (const c of clients.splice(0)) c.close();
    await sim.close();
  });

  describe('connection and request frames', function () {
    it('serves both paths on the HTTP port, and refuses other paths', async function () {
      assert.equal(sim.pushUrl, `ws://127.0.0.1:${sim.port}/ws/explorer`);
      assert.equal(sim.pushUrlAlt, `ws://127.0.0.1:${sim.port}/iotstudio_v2_weapp_1`);
      for (const url of [sim.pushUrl, sim.pushUrlAlt, `${sim.pushUrl}?uin=anything`]) {
        const client = await open(url);
        const reply = await client.request('Hello', undefined, 7);
        assert.deepEqual(reply, {
          reqId: 7,
          error: '',
          error_message: '',
          data: { result: 'hello world' },
        });
      }
      await assert.rejects(PushClient.open(sim.url.replace('http', 'ws') + '/ws/other'), /404/);
      assert.equal(sim.push.stats.connectionsOpened, 3);
      // The HTTP API still answers on the same port.
      const http = await rawRequest(sim.tokenapiUrl, {
        body: JSON.stringify({ Action: 'AppGetUser', RequestId: 'h', AccessToken: DEMO_TOKEN }),
      });
      assert.equal(JSON.parse(http.text).Response.Data.UserID, 'u-demo');
    });

    it('echoes reqId as sent, a string or an integer', async function () {
      const client = await open();
      assert.equal((await client.request('Hello', undefined, 'abc')).reqId, 'abc');
      assert.equal((await client.request('Hello', undefined, 42)).reqId, 42);
    });

    it('ActivePush answers only the devices bound to the user, and subscribes them', async function () {
      const client = await open();
      const reply = await client.subscribe(
        [LAMP_ID, NEIGHBOR_LAMP_ID, SPARE_LAMP_ID, 'NOPRODUCT/none', BELL_ID, LAMP_ID],
        DEMO_TOKEN,
      );
      assert.equal(reply.error, '');
      assert.deepEqual(reply.data.deviceIds, [LAMP_ID, BELL_ID]);
      assert.deepEqual(sim.push.connections()[0].deviceIds, [LAMP_ID, BELL_ID]);
      assert.equal(sim.push.connections()[0].userId, 'u-demo');

      const neighbor = await open();
      const theirs = await neighbor.subscribe([LAMP_ID, NEIGHBOR_LAMP_ID], NEIGHBOR_TOKEN);
      assert.deepEqual(theirs.data.deviceIds, [NEIGHBOR_LAMP_ID]);
    });

    it('ActivePush with a bad or expired token answers deviceIds [] and the token error', async function () {
      const client = await open();
      for (const token of [EXPIRED_TOKEN, 'no-such-token', '']) {
        const reply = await client.subscribe([LAMP_ID], token);
        assert.deepEqual(reply.data, { deviceIds: [] });
        assert.equal(reply.error, 'InvalidParameterValue.InvalidAccessToken');
        assert.equal(reply.error_message, 'Token无效');
      }
      const missing = await client.request('ActivePush', { AccessToken: DEMO_TOKEN });
      assert.equal(missing.error, 'InvalidParameterValue');
      assert.match(missing.error_message, /DeviceIds/);
      assert.deepEqual(missing.data, { deviceIds: [] });
    });

    it('YunApi runs any tokenapi Action, with AccessToken inside ActionParams or beside Action', async function () {
      const client = await open();
      const inside = await client.request('YunApi', {
        Action: 'AppGetDeviceData',
        ActionParams: { AccessToken: DEMO_TOKEN, RequestId: 'in-1', DeviceId: LAMP_ID },
      });
      assert.equal(inside.error, '');
      assert.equal(inside.data.Response.RequestId, 'in-1');
      assert.equal(JSON.parse(inside.data.Response.Data).brightness.Value, 80);

      const beside = await client.request('YunApi', {
        Action: 'AppGetUser',
        AccessToken: DEMO_TOKEN,
        RequestId: 'be-1',
        ActionParams: {},
      });
      assert.equal(beside.data.Response.RequestId, 'be-1');
      assert.equal(beside.data.Response.Data.UserID, 'u-demo');

      const heartbeat = await client.request('YunApi', {
        Action: 'AppDeviceTraceHeartBeat',
        AccessToken: DEMO_TOKEN,
        RequestId: 'hb-1',
        ActionParams: { DeviceIds: [LAMP_ID] },
      });
      assert.deepEqual(heartbeat.data, { Response: { RequestId: 'hb-1' } });
      assert.deepEqual(sim.push.stats.yunApiByAction, {
        AppGetDeviceData: 1,
        AppGetUser: 1,
        AppDeviceTraceHeartBeat: 1,
      });
      // Socket calls are not HTTP calls.
      assert.deepEqual(sim.httpCallsByAction, {});
    });

    it('YunApi answers data.Response.Error as HTTP would (bad token, DeviceNotBind, missing param)', async function () {
      const client = await open();
      const badToken = await client.yunApi('AppGetUser', {}, EXPIRED_TOKEN);
      assert.deepEqual(badToken.data.Response, {
        Error: { Code: 'InvalidParameterValue.InvalidAccessToken', Message: 'Token无效' },
        RequestId: '',
      });
      const notBound = await client.yunApi(
        'AppGetDeviceData',
        { DeviceId: NEIGHBOR_LAMP_ID },
        DEMO_TOKEN,
      );
      assert.equal(notBound.data.Response.Error.Code, 'ResourceNotFound.DeviceNotBind');
      const noRequestId = await client.request('YunApi', {
        Action: 'AppGetUser',
        ActionParams: { AccessToken: DEMO_TOKEN },
      });
      assert.equal(noRequestId.data.Response.Error.Code, 'ErrorRequiredParamNotFound');
      assert.match(noRequestId.data.Response.Error.Message, /RequestId/);
      const appapi = await client.yunApi('AppGetToken', {}, DEMO_TOKEN);
      assert.equal(appapi.data.Response.Error.Code, 'InvalidAction');
    });

    it('answers an unknown action and a frame that is not a JSON object with an error', async function () {
      const client = await open();
      const unknown = await client.request('Subscribe', {}, 'u1');
      assert.equal(unknown.error, 'InvalidAction');
      assert.deepEqual(unknown.data, {});
      client.sendFrame('not json');
      const invalid = await client.waitFor(() =>
        client.frames.find((f) => f.error === 'InvalidFrame'),
      );
      assert.equal(invalid.reqId, '');
      assert.equal(sim.push.stats.framesByAction['(invalid)'], 1);
      // The socket keeps working.
      assert.equal((await client.request('Hello')).data.result, 'hello world');
    });
  });

  describe('DeviceChange pushes from the model', function () {
    async function subscribed(ids: string[], token = DEMO_TOKEN): Promise<PushClient> {
      const client = await open();
      await client.subscribe(ids, token);
      return client;
    }

    it('a property report: Property/Report with the base64 JSON payload and all fields', async function () {
      const client = await subscribed([LAMP_ID]);
      const before = Date.now();
      sim.reportProperties('LIGHT0A1B2', 'living_lamp', { brightness: 59, color: 2 });
      const push = await client.waitPush(isFrom(LAMP_ID, 'Property', 'Report'));
      const frame = client.frames.find((f) => f.push)!;
      assert.deepEqual(Object.keys(frame), ['push', 'action', 'params']);
      assert.equal(frame.action, 'DeviceChange');
      assert.equal('reqId' in frame, false);
      assert.equal(push.params.Topic, `$thing/up/property/${LAMP_ID}`);
      assert.match(push.params.Time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      assert.ok(push.params.Seq >= before, 'Seq is a ms timestamp');
      assert.deepEqual(Object.keys(push.payload), ['method', 'params', 'timestamp', 'clientToken']);
      assert.equal(push.payload.method, 'report');
      assert.deepEqual(push.payload.params, { brightness: 59, color: 2 });
      assert.equal(typeof push.payload.clientToken, 'string');
      // The model changed too: a read sees the reported values.
      assert.equal(sim.model.device('LIGHT0A1B2', 'living_lamp')?.properties.brightness.Value, 59);
    });

    it('an event: Event/Report event_post with eventId, type and params (defaults filled)', async function () {
      const client = await subscribed([BELL_ID]);
      sim.fireEvent('DOORBL1M2N', 'front_bell', 'ring', { button: 1 });
      sim.fireEvent('DOORBL1M2N', 'front_bell', 'low_battery');
      const ring = await client.waitPush(
        (p) => isFrom(BELL_ID, 'Event', 'Report')(p) && p.payload.eventId === 'ring',
      );
      assert.equal(ring.params.Topic, `$thing/up/event/${BELL_ID}`);
      assert.equal(ring.payload.method, 'event_post');
      assert.equal(ring.payload.version, '1.0');
      assert.equal(ring.payload.type, 'info');
      assert.deepEqual(ring.payload.params, { button: 1 });
      const low = await client.waitPush((p) => p.payload.eventId === 'low_battery');
      assert.equal(low.payload.type, 'alert');
      assert.deepEqual(low.payload.params, { voltage: 2.2 });
      assert.ok(low.params.Seq > ring.params.Seq, 'Seq grows');
      assert.throws(
        () => sim.fireEvent('DOORBL1M2N', 'front_bell', 'ring', { button: 7 }),
        /button must be/,
      );
      assert.throws(() => sim.fireEvent('DOORBL1M2N', 'front_bell', 'explode'), /no event explode/);
    });

    it('only subscribed sockets of a user who may see the device get pushes', async function () {
      const mine = await subscribed([LAMP_ID]);
      const other = await subscribed([BELL_ID]);
      const neighbor = await subscribed([NEIGHBOR_LAMP_ID], NEIGHBOR_TOKEN);
      const unsubscribed = await open();
      sim.reportProperties('LIGHT0A1B2', 'living_lamp', { brightness: 10 });
      sim.reportProperties('LIGHT0A1B2', 'neighbor_lamp', { brightness: 11 });
      await mine.waitPush(isFrom(LAMP_ID, 'Property', 'Report'));
      await neighbor.waitPush(isFrom(NEIGHBOR_LAMP_ID, 'Property', 'Report'));
      await delay(100);
      assert.deepEqual(
        mine.pushes().map((p) => p.params.DeviceId),
        [LAMP_ID],
      );
      assert.equal(other.pushes().length, 0);
      assert.equal(unsubscribed.pushes().length, 0);
      assert.equal(neighbor.pushes().length, 1);
      assert.equal(sim.push.stats.pushesSent, 2);
    });

    it('scripted property walks and scripted events push', async function () {
      await sim.close();
      sim = await startSimulator({
        fixture: scriptedFixture([
          { device: SENSOR_ID, afterMs: 50, everyMs: 50, times: 2, walk: { temperature: 0.5 } },
          { device: BELL_ID, afterMs: 80, event: { id: 'ring', params: { button: 0 } } },
        ]),
      });
      const client = await subscribed([SENSOR_ID, BELL_ID]);
      const walk = await client.waitPush(isFrom(SENSOR_ID, 'Property', 'Report'));
      assert.deepEqual(Object.keys(walk.payload.params), ['temperature']);
      const ring = await client.waitPush(isFrom(BELL_ID, 'Event', 'Report'));
      assert.deepEqual(ring.payload.params, { button: 0 });
    });
  });
});

/** The default fixture with its script replaced. */
function scriptedFixture(script: ScriptEntry[]): Fixture {
  return { ...loadFixture(), script };
}
