import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../simulator';
import { DEMO_TOKEN, LAMP, postJson, rawRequest } from './helpers';

describe('simulator wire format', function () {
  let sim: Simulator;
  beforeEach(async function () {
    sim = await startSimulator();
  });
  afterEach(async function () {
    await sim.close();
  });

  it('listens on 127.0.0.1 with the documented paths', function () {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(sim.port > 0);
    assert.equal(sim.tokenapiUrl, `${sim.url}/api/exploreropen/tokenapi`);
    assert.equal(sim.appapiUrl, `${sim.url}/api/exploreropen/appapi`);
  });

  it('answers in the documented Response envelope by default, echoing RequestId', async function () {
    const reply = await rawRequest(sim.tokenapiUrl, {
      body: JSON.stringify({
        Action: 'AppGetUser',
        RequestId: 'req-env-1',
        AccessToken: DEMO_TOKEN,
      }),
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(Number(reply.headers['content-length']), Buffer.byteLength(reply.text));
    const json = JSON.parse(reply.text);
    assert.deepEqual(Object.keys(json), ['Response']);
    assert.equal(json.Response.RequestId, 'req-env-1');
    assert.equal(json.Response.Data.UserID, 'u-demo');
  });

  it('answers errors in the Response envelope with HTTP 200', async function () {
    const json = await postJson(sim.tokenapiUrl, {
      Action: 'AppFly',
      RequestId: 'req-env-2',
      AccessToken: DEMO_TOKEN,
    });
    assert.deepEqual(Object.keys(json.Response).sort(), ['Error', 'RequestId']);
    assert.equal(json.Response.Error.Code, 'InvalidAction');
    assert.match(json.Response.Error.Message, /AppFly/);
    assert.equal(json.Response.RequestId, 'req-env-2');
  });

  it('switches to the {code,msg,data} wrapper at any time', async function () {
    sim.envelope = 'wrapper';
    const ok = await postJson(sim.tokenapiUrl, {
      Action: 'AppGetUser',
      RequestId: 'w1',
      AccessToken: DEMO_TOKEN,
    });
    assert.equal(ok.code, 0);
    assert.equal(ok.msg, '');
    assert.equal(ok.data.RequestId, 'w1');
    assert.equal(ok.data.Data.UserID, 'u-demo');
    const err = await postJson(sim.tokenapiUrl, {
      Action: 'AppGetUser',
      RequestId: 'w2',
      AccessToken: 'nope',
    });
    assert.equal(err.code, -1000);
    assert.equal(err.msg, 'Token无效');
    assert.deepEqual(err.data.Error, {
      Code: 'InvalidParameterValue.InvalidAccessToken',
      Message: 'Token无效',
    });
    assert.equal(err.data.RequestId, '');
    sim.envelope = 'response';
    const back = await postJson(sim.tokenapiUrl, {
      Action: 'AppGetUser',
      RequestId: 'w3',
      AccessToken: DEMO_TOKEN,
    });
    assert.equal(back.Response.RequestId, 'w3');
  });

  it('starts in the wrapper envelope when asked', async function () {
    const other = await startSimulator({ envelope: 'wrapper' });
    try {
      const ok = await postJson(other.appapiUrl, { Action: 'AppGetToken' });
      assert.equal(ok.code, -1000);
      assert.equal(ok.data.Error.Code, 'ErrorRequiredParamNotFound');
    } finally {
      await other.close();
    }
  });

  it('refuses a body that is not JSON, or not a JSON object', async function () {
    for (const body of ['{"Action":', 'hello', '[1,2]', '"text"', 'null', '']) {
      const json = await postJson(sim.tokenapiUrl, body);
      assert.equal(json.Response.Error.Code, 'InvalidParameterValue.InvalidJSON', body);
      assert.equal(json.Response.RequestId, '');
    }
    assert.deepEqual(sim.requests[2].body, [1, 2], 'JSON that is not an object is recorded parsed');
    assert.equal(sim.requests[1].body, 'hello', 'a body that is not JSON is recorded as its text');
  });

  it('requires Action and RequestId, naming the missing one', async function () {
    const noAction = await postJson(sim.tokenapiUrl, { RequestId: 'r', AccessToken: DEMO_TOKEN });
    assert.equal(noAction.Response.Error.Code, 'ErrorRequiredParamNotFound');
    assert.match(noAction.Response.Error.Message, /Action/);
    assert.equal(noAction.Response.RequestId, 'r');
    const noRequestId = await postJson(sim.tokenapiUrl, {
      Action: 'AppGetUser',
      AccessToken: DEMO_TOKEN,
    });
    assert.equal(noRequestId.Response.Error.Code, 'ErrorRequiredParamNotFound');
    assert.match(noRequestId.Response.Error.Message, /RequestId/);
    const numericAction = await postJson(sim.tokenapiUrl, { Action: 5, RequestId: 'r' });
    assert.equal(numericAction.Response.Error.Code, 'InvalidParameterValue');
    assert.match(numericAction.Response.Error.Message, /Action must be a string/);
  });

  it('knows which Actions belong to which endpoint', async function () {
    const login = await postJson(sim.tokenapiUrl, {
      Action: 'AppGetToken',
      RequestId: 'r',
      AccessToken: DEMO_TOKEN,
    });
    assert.equal(login.Response.Error.Code, 'InvalidAction');
    const user = await postJson(sim.appapiUrl, { Action: 'AppGetUser', RequestId: 'r' });
    assert.equal(user.Response.Error.Code, 'InvalidAction');
  });

  it('ignores a query string such as ?uin=..&cmd=..', async function () {
    const json = await postJson(`${sim.tokenapiUrl}?uin=u-demo&cmd=AppGetUser`, {
      Action: 'AppGetUser',
      RequestId: 'q',
      AccessToken: DEMO_TOKEN,
    });
    assert.equal(json.Response.Data.UserID, 'u-demo');
    assert.equal(sim.requests[0].path, '/api/exploreropen/tokenapi');
  });

  it('answers 404 for other paths and 405 for other methods', async function () {
    const notFound = await rawRequest(`${sim.url}/api/exploreropen/other`, { body: '{}' });
    assert.equal(notFound.status, 404);
    const get = await rawRequest(sim.tokenapiUrl, { method: 'GET' });
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
    const put = await rawRequest(sim.appapiUrl, { method: 'PUT', body: '{}' });
    assert.equal(put.status, 405);
  });

  it('records every API request with its parsed body, headers and time', async function () {
    const before = Date.now();
    await postJson(sim.tokenapiUrl, {
      Action: 'AppGetDeviceData',
      RequestId: 'rec',
      AccessToken: DEMO_TOKEN,
      ...LAMP,
    });
    await rawRequest(sim.tokenapiUrl, { method: 'GET' });
    await rawRequest(`${sim.url}/elsewhere?x=1`, { body: 'hi' });
    await rawRequest(`${sim.url}/_sim/stats`, { method: 'GET' });
    assert.deepEqual(
      sim.requests.map((q) => [q.path, q.action, q.body]),
      [
        ['/api/exploreropen/tokenapi', 'AppGetDeviceData', sim.requests[0].body],
        ['/api/exploreropen/tokenapi', undefined, ''],
        ['/elsewhere', undefined, 'hi'],
      ],
      'every request but the control ones is recorded, 404 and 405 too',
    );
    const [r] = sim.requests;
    assert.equal(r.path, '/api/exploreropen/tokenapi');
    assert.equal(r.action, 'AppGetDeviceData');
    assert.deepEqual(r.body, {
      Action: 'AppGetDeviceData',
      RequestId: 'rec',
      AccessToken: DEMO_TOKEN,
      ...LAMP,
    });
    assert.equal(r.headers['content-type'], 'application/json');
    assert.ok(r.receivedAt >= before && r.receivedAt <= Date.now());
    assert.equal(sim.stats.requests, 3);
    sim.resetRecords();
    assert.equal(sim.requests.length, 0);
    assert.deepEqual(sim.stats, { socketsOpened: 0, requests: 0 });
  });

  it('keeps at most recordLimit records when asked', async function () {
    const small = await startSimulator({ recordLimit: 2 });
    try {
      for (const id of ['a', 'b', 'c']) {
        await postJson(small.tokenapiUrl, {
          Action: 'AppGetUser',
          RequestId: id,
          AccessToken: DEMO_TOKEN,
        });
      }
      assert.deepEqual(
        small.requests.map((r) => (r.body as { RequestId: string }).RequestId),
        ['b', 'c'],
      );
      assert.equal(small.stats.requests, 3);
    } finally {
      await small.close();
    }
  });

  it('answers 413 to a body over 1 MiB', async function () {
    const reply = await rawRequest(sim.tokenapiUrl, { body: `{"x":"${'a'.repeat(1024 * 1024)}"}` });
    assert.equal(reply.status, 413);
  });
});
