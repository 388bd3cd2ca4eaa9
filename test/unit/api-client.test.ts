import assert from 'node:assert/strict';
import { rejection } from '../support/rejection';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, type TokenSource } from '../../lib/api/client';
import { createHttpTransport } from '../../lib/api/transport';
import { redactError } from '../../lib/api/redact';
import { startSimulator, type Simulator } from '../../simulator';
import { closedPort } from '../support/net';

const LIGHT = { productId: 'LIGHT0A1B2', deviceName: 'living_lamp', actionId: 'light_blink' };

/** A one-route server for replies the simulator would never give. */
async function replyServer(
  handler: http.RequestListener,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/exploreropen/tokenapi`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('ApiClient against the simulator', function () {
  let sim: Simulator;
  let client: ApiClient | undefined;

  beforeEach(async function () {
    sim = await startSimulator();
  });
  afterEach(async function () {
    client?.close();
    client = undefined;
    await sim.close();
  });

  it('renews a refused token once and retries the call, executing the action once', async function () {
    const rejected: string[] = [];
    const tokens: TokenSource = {
      getToken: () => 'expired-access-token',
      renewAfterRejection: (token) => {
        rejected.push(token);
        return Promise.resolve('demo-access-token');
      },
    };
    client = new ApiClient({ endpoint: sim.tokenapiUrl, tokenSource: tokens });
    const result = await client.callDeviceActionSync(LIGHT);
    assert.equal(result.status, 'succ');
    assert.deepEqual(rejected, ['expired-access-token']);
    assert.equal(sim.requests.length, 2);
    assert.equal(sim.actionCalls.length, 1);
  });

  it('does not retry when the token source cannot renew', async function () {
    client = new ApiClient({
      endpoint: sim.tokenapiUrl,
      tokenSource: {
        getToken: () => 'expired-access-token',
        renewAfterRejection: () => Promise.resolve(undefined),
      },
    });
    const err = await rejection(client.callDeviceActionSync(LIGHT));
    assert.equal(err.code, 'InvalidParameterValue.InvalidAccessToken');
    assert.equal(sim.requests.length, 1);
  });

  it('keeps one socket alive across sequential calls', async function () {
    client = new ApiClient({
      endpoint: sim.tokenapiUrl,
      tokenSource: { getToken: () => 'demo-access-token' },
    });
    for (let i = 0; i < 20; i += 1) await client.callDeviceActionSync(LIGHT);
    assert.equal(sim.stats.socketsOpened, 1);
  });

  it('opens no more sockets than the transport allows under concurrency', async function () {
    client = new ApiClient({
      endpoint: sim.tokenapiUrl,
      tokenSource: { getToken: () => 'demo-access-token' },
      transport: createHttpTransport({ maxSockets: 8 }),
    });
    await Promise.all(Array.from({ length: 40 }, () => client!.callDeviceActionSync(LIGHT)));
    assert.ok(sim.stats.socketsOpened <= 8, `opened ${sim.stats.socketsOpened}`);
    assert.equal(sim.actionCalls.length, 40);
  });

  it('ends a call at once when its signal aborts', async function () {
    sim.setFault({ kind: 'noAnswer' });
    client = new ApiClient({
      endpoint: sim.tokenapiUrl,
      tokenSource: { getToken: () => 'demo-access-token' },
    });
    const controller = new AbortController();
    const pending = client.callDeviceActionSync(LIGHT, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const err = await rejection(pending);
    assert.equal(err.code, 'IOTX_CLOSED');
    assert.ok(Date.now() - started < 2000);
  });
});

describe('ApiClient against replies the simulator never gives', function () {
  it('redacts the token when a reply echoes it back', async function () {
    const token = 'secret-token-0123456789';
    const server = await replyServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          Response: {
            Error: { Code: 'InvalidParameterValue', Message: `bad ${token}` },
            RequestId: 'x',
          },
        }),
      );
    });
    const client = new ApiClient({ endpoint: server.url, tokenSource: { getToken: () => token } });
    try {
      const err = await rejection(client.callDeviceActionSync(LIGHT));
      assert.equal(err.code, 'InvalidParameterValue');
      assert.equal(
        `${err.message} ${err.apiMessage} ${JSON.stringify(err.params)}`.includes(token),
        false,
      );
      assert.match(String(err.apiMessage), /\*\*\*/);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('refuses a reply larger than the limit', async function () {
    const server = await replyServer((_req, res) => {
      res.end(JSON.stringify({ Response: { Status: 'succ', OutputParams: 'x'.repeat(100000) } }));
    });
    const client = new ApiClient({
      endpoint: server.url,
      tokenSource: { getToken: () => 'demo-access-token' },
      transport: createHttpTransport({ maxReplyBytes: 10000 }),
    });
    try {
      const err = await rejection(client.callDeviceActionSync(LIGHT));
      assert.equal(err.code, 'IOTX_BAD_RESPONSE');
      assert.match(err.message, /larger than 10000 bytes/);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('accepts numbers where strings are documented', async function () {
    const server = await replyServer((_req, res) => {
      res.end(
        JSON.stringify({
          code: 0,
          msg: '',
          data: { Status: 'succ', ClientToken: 12345, OutputParams: '{"a":1}', RequestId: 'r' },
        }),
      );
    });
    const client = new ApiClient({
      endpoint: server.url,
      tokenSource: { getToken: () => 'demo-access-token' },
    });
    try {
      const result = await client.callDeviceActionSync(LIGHT);
      assert.equal(result.clientToken, '12345');
      assert.equal(result.requestId, 'r');
    } finally {
      client.close();
      await server.close();
    }
  });
});

describe('a retry never starts past the call deadline', function () {
  const TOKEN = 'first-token-0a1b2c3d';
  const FRESH = 'fresh-token-4e5f6a7b';

  async function refusingFirstToken() {
    return replyServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        seen.push(String(body.AccessToken));
        res.end(
          JSON.stringify(
            body.AccessToken === FRESH
              ? { Response: { RequestId: 'ok', Status: 'succ' } }
              : {
                  Response: {
                    RequestId: 'no',
                    Error: { Code: 'InvalidParameterValue.InvalidAccessToken', Message: 'no' },
                  },
                },
          ),
        );
      });
    });
  }
  let seen: string[] = [];
  beforeEach(function () {
    seen = [];
  });

  it('a renewal that outlasts the deadline ends in IOTX_TIMEOUT, the retry unsent', async function () {
    const server = await refusingFirstToken();
    const client = new ApiClient({
      endpoint: server.url,
      timeoutMs: 200,
      tokenSource: {
        getToken: () => TOKEN,
        renewAfterRejection: () =>
          new Promise<string>((resolve) => setTimeout(() => resolve(FRESH), 600)),
      },
    });
    try {
      const err = await rejection(client.callDeviceActionSync(LIGHT));
      assert.equal(err.code, 'IOTX_TIMEOUT');
      assert.equal(err.notSent, true);
      // Let the renewal finish: a retry sent late would arrive now.
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.deepEqual(seen, [TOKEN], 'only the refused call reached the server');
    } finally {
      client.close();
      await server.close();
    }
  });

  it('a first token that comes after the deadline sends nothing', async function () {
    const server = await refusingFirstToken();
    const client = new ApiClient({
      endpoint: server.url,
      timeoutMs: 200,
      tokenSource: {
        getToken: () => new Promise<string>((resolve) => setTimeout(() => resolve(FRESH), 600)),
      },
    });
    try {
      const err = await rejection(client.callDeviceActionSync(LIGHT));
      assert.equal(err.code, 'IOTX_TIMEOUT');
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.deepEqual(seen, [], 'nothing was sent');
    } finally {
      client.close();
      await server.close();
    }
  });

  it('a renewal within the deadline is retried once and succeeds', async function () {
    const server = await refusingFirstToken();
    const client = new ApiClient({
      endpoint: server.url,
      timeoutMs: 2000,
      tokenSource: {
        getToken: () => TOKEN,
        renewAfterRejection: () => Promise.resolve(FRESH),
      },
    });
    try {
      assert.equal((await client.callDeviceActionSync(LIGHT)).status, 'succ');
      assert.deepEqual(seen, [TOKEN, FRESH]);
    } finally {
      client.close();
      await server.close();
    }
  });
});

describe('a fault that is not ours', function () {
  it('becomes IOTX_UNEXPECTED with every secret redacted', function () {
    const err = redactError(
      new TypeError('x is not a function near secret-token-1234'),
      ['secret-token-1234'],
      'r1',
    );
    assert.equal(err.code, 'IOTX_UNEXPECTED');
    assert.equal(err.requestId, 'r1');
    assert.equal(err.message.includes('secret-token-1234'), false);
    assert.match(err.message, /\*\*\*/);
  });
});

describe("the account's calls per Action", function () {
  let sim: Simulator;
  beforeEach(async function () {
    sim = await startSimulator();
  });
  afterEach(async function () {
    await sim.close();
  });

  it('counts the requests sent per Action, retries included, and the failed ones', async function () {
    let renewals = 0;
    const client = new ApiClient({
      endpoint: sim.tokenapiUrl,
      tokenSource: {
        getToken: () => (renewals === 0 ? 'expired-access-token' : 'demo-access-token'),
        renewAfterRejection: () => {
          renewals += 1;
          return Promise.resolve('demo-access-token');
        },
      },
    });
    try {
      const before = client.callCounts();
      assert.deepEqual(before.byAction, {});
      // Refused once (the old token), then sent again with the new one.
      await client.callDeviceActionSync(LIGHT);
      await client.callDeviceActionSync(LIGHT);
      await client.getDeviceStatuses(['LIGHT0A1B2/living_lamp']);
      sim.setFault({ kind: 'requestLimit', count: 1 });
      await client.getDeviceData(LIGHT);
      const counts = client.callCounts();
      assert.deepEqual(counts.byAction, {
        AppCallDeviceActionSync: { sent: 3, failed: 1 },
        AppGetDeviceStatuses: { sent: 1, failed: 0 },
        AppGetDeviceData: { sent: 2, failed: 1 },
      });
      assert.equal(sim.requests.length, 6, 'the simulator saw as many requests');
      assert.ok(counts.since <= Date.now());
      // A copy: what the caller holds does not change under it.
      await client.getDeviceStatuses(['LIGHT0A1B2/living_lamp']);
      assert.equal(counts.byAction.AppGetDeviceStatuses.sent, 1);
      assert.equal(client.callCounts().byAction.AppGetDeviceStatuses.sent, 2);
    } finally {
      client.close();
    }
  });

  it('does not count a request that never left (connection refused)', async function () {
    const port = await closedPort();
    const client = new ApiClient({
      endpoint: `http://127.0.0.1:${port}/api/exploreropen/tokenapi`,
      tokenSource: { getToken: () => 'demo-access-token' },
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    try {
      const err = await rejection(client.callDeviceActionSync(LIGHT));
      assert.equal(err.code, 'IOTX_NETWORK');
      assert.deepEqual(client.callCounts().byAction, {});
    } finally {
      client.close();
    }
  });
});

describe('the queue observer, an option of each call', function () {
  let sim: Simulator;
  beforeEach(async function () {
    sim = await startSimulator();
  });
  afterEach(async function () {
    await sim.close();
  });

  it('hears when its call waits in the queue and when it leaves it', async function () {
    sim.setFault({ kind: 'latency', latencyMs: 150, count: 1 });
    const client = new ApiClient({
      endpoint: sim.tokenapiUrl,
      tokenSource: { getToken: () => 'demo-access-token' },
      flowControl: { maxInFlight: 1 },
    });
    const heard: string[] = [];
    const observer = {
      queued: () => heard.push('queued'),
      dequeued: () => heard.push('dequeued'),
    };
    try {
      const first = client.callDeviceActionSync(LIGHT, { queue: observer });
      const second = client.callDeviceActionSync(LIGHT, { queue: observer });
      await Promise.all([first, second]);
      // The first took the free slot at once; the second waited for it.
      assert.deepEqual(heard, ['queued', 'dequeued']);
    } finally {
      client.close();
    }
  });
});
