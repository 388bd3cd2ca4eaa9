import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { PushConnection } from '../../lib/push/push-connection';
import { createPastedTokenSource } from '../../lib/auth/token-source';
import { FAST_PUSH_TIMINGS, sleep, until } from '../support/push';

/**
 * A server that answers ActivePush and keeps the socket busy with other frames, but never answers Hello
 * or the heartbeat: the client must not remember every unanswered request for the socket's life.
 */
describe('push connection: a server that never answers Hello or the heartbeat', function () {
  let server: WebSocketServer;
  let url: string;
  const sockets = new Set<WebSocket>();
  let hellos = 0;

  before(async function () {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/explorer`;
    server.on('connection', (socket) => {
      sockets.add(socket);
      // Anything heard counts as alive: an unrelated reply every 50 ms keeps the liveness check quiet.
      const busy = setInterval(
        () => socket.send(JSON.stringify({ reqId: 'unrelated', error: '', data: {} })),
        50,
      );
      socket.on('close', () => {
        clearInterval(busy);
        sockets.delete(socket);
      });
      socket.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString('utf8')) as { action?: string; reqId?: string };
        if (frame.action === 'ActivePush') {
          socket.send(
            JSON.stringify({
              reqId: frame.reqId,
              error: '',
              error_message: '',
              data: { deviceIds: ['LIGHT0A1B2/living_lamp'] },
            }),
          );
        } else if (frame.action === 'Hello') hellos += 1;
      });
    });
  });

  after(async function () {
    for (const socket of sockets) socket.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('keeps a bounded number of unanswered requests while the socket stays up', async function () {
    const connection = new PushConnection({
      url,
      tokenSource: createPastedTokenSource({ token: 'never-answered-token', account: 'test' }),
      timings: { ...FAST_PUSH_TIMINGS, helloMs: 20, heartbeatMs: 40, livenessMs: 5000 },
      warnUnbound: () => undefined,
      trace: () => undefined,
    });
    const unsubscribe = connection.subscribe({
      deviceIds: ['LIGHT0A1B2/living_lamp'],
      push: () => undefined,
      state: () => undefined,
    });
    try {
      await until(() => connection.state.phase === 'live', 'the connection to go live');
      const opened = connection.stats.socketsOpened;
      await until(() => hellos >= 100, '100 unanswered Hellos', 15000);
      await sleep(50);
      assert.equal(connection.stats.socketsOpened, opened, 'the socket stayed up');
      assert.ok(
        connection.pendingReplies <= 32,
        `at most 32 requests remembered, not ${connection.pendingReplies}`,
      );
    } finally {
      unsubscribe();
      connection.close();
    }
  });
});

/** What a test server does with one connection's frames. */
interface ServerBehaviour {
  /** The deviceIds the ActivePush reply accepts (default: all asked for). */
  accept?(asked: string[]): string[];
  /** After answering the first ActivePush, stop reading the socket (it still sends). */
  stopReading?: boolean;
}

/** A small push server on 127.0.0.1:0 that records how each socket was closed. */
async function pushServer(behaviour: ServerBehaviour = {}) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/explorer`;
  const sockets = new Set<WebSocket>();
  const closes: Array<{ code: number; reason: string }> = [];
  const timers = new Set<NodeJS.Timeout>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', (code: number, reason: Buffer) => {
      sockets.delete(socket);
      closes.push({ code, reason: reason.toString('utf8') });
    });
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as {
        action?: string;
        reqId?: string;
        params?: { DeviceIds?: string[] };
      };
      if (frame.action === 'ActivePush') {
        const asked = frame.params?.DeviceIds ?? [];
        const deviceIds = behaviour.accept ? behaviour.accept(asked) : asked;
        socket.send(JSON.stringify({ reqId: frame.reqId, error: '', data: { deviceIds } }));
        if (behaviour.stopReading) {
          // Still talking (so the client's liveness check stays quiet), never reading again.
          (socket as unknown as { _socket: { pause(): void } })._socket.pause();
          const talk = setInterval(() => socket.send('{"reqId":"chatter","data":{}}'), 20);
          timers.add(talk);
        }
      } else if (frame.action === 'YunApi') {
        socket.send(JSON.stringify({ reqId: frame.reqId, error: '', data: { Response: {} } }));
      }
    });
  });
  return {
    url,
    closes,
    sockets,
    async close(): Promise<void> {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const LAMP_ID = 'LIGHT0A1B2/living_lamp';

function connect(
  url: string,
  extra: Partial<ConstructorParameters<typeof PushConnection>[0]> = {},
) {
  const traces: string[] = [];
  const connection = new PushConnection({
    url,
    tokenSource: createPastedTokenSource({ token: 'a-good-pasted-token', account: 'test' }),
    timings: FAST_PUSH_TIMINGS,
    warnUnbound: () => undefined,
    trace: (line) => traces.push(line),
    ...extra,
  });
  return { connection, traces };
}

const quiet = (deviceIds: string[]) => ({
  deviceIds,
  push: () => undefined,
  state: () => undefined,
});

describe('push connection: closing', function () {
  it('closes with code 1000 and a reason on close() (a stop or a redeploy)', async function () {
    const server = await pushServer();
    const { connection } = connect(server.url);
    try {
      connection.subscribe(quiet([LAMP_ID]));
      await until(() => connection.state.phase === 'live', 'live');
      connection.close();
      await until(() => server.closes.length === 1, 'the server to see the close');
      assert.equal(server.closes[0].code, 1000, 'a normal close, not 1006');
      assert.match(server.closes[0].reason, /closed by Node-RED/);
    } finally {
      connection.close();
      await server.close();
    }
  });

  it('closes with code 1000 when no device is wanted any more', async function () {
    const server = await pushServer();
    const { connection } = connect(server.url);
    try {
      const unsubscribe = connection.subscribe(quiet([LAMP_ID]));
      await until(() => connection.state.phase === 'live', 'live');
      unsubscribe();
      await until(() => server.closes.length === 1, 'the server to see the close');
      assert.deepEqual(server.closes[0], { code: 1000, reason: 'no device watched any more' });
    } finally {
      connection.close();
      await server.close();
    }
  });

  it('cuts the socket when the server does not answer the close within the grace', async function () {
    const server = await pushServer({ stopReading: true });
    const { connection, traces } = connect(server.url, {
      timings: { ...FAST_PUSH_TIMINGS, closeGraceMs: 100, livenessMs: 5000 },
    });
    try {
      connection.subscribe(quiet([LAMP_ID]));
      await until(() => connection.state.phase === 'live', 'live');
      connection.close();
      await until(
        () => traces.some((t) => /no close from the server within 100 ms: cut/.test(t)),
        'the cut',
      );
    } finally {
      connection.close();
      await server.close();
    }
  });

  it('does not cut a socket whose server answers the close', async function () {
    const server = await pushServer();
    const { connection, traces } = connect(server.url, {
      timings: { ...FAST_PUSH_TIMINGS, closeGraceMs: 300 },
    });
    try {
      connection.subscribe(quiet([LAMP_ID]));
      await until(() => connection.state.phase === 'live', 'live');
      connection.close();
      await until(() => server.closes.length === 1, 'the close');
      await sleep(400);
      assert.equal(traces.filter((t) => /: cut$/.test(t)).length, 0);
    } finally {
      await server.close();
    }
  });
});

describe('push connection: bounded memory against a hostile server', function () {
  it('remembers at most 16 tokens for redaction however often the token changes', async function () {
    const server = await pushServer();
    let issued = 0;
    const { connection } = connect(server.url, {
      tokenSource: { getToken: () => `token-number-${++issued}` },
      timings: { ...FAST_PUSH_TIMINGS, heartbeatMs: 5 },
    });
    try {
      connection.subscribe(quiet([LAMP_ID]));
      await until(() => issued >= 60, '60 tokens sent', 15000);
      assert.ok(connection.remembered.tokens <= 16, `${connection.remembered.tokens} remembered`);
    } finally {
      connection.close();
      await server.close();
    }
  });

  it('remembers at most 1,000 devices already warned about', async function () {
    const server = await pushServer({ accept: () => [] });
    const warned: string[] = [];
    const ids = Array.from({ length: 1500 }, (_, n) => `LIGHT0A1B2/lamp_${n}`);
    const { connection } = connect(server.url, {
      warnUnbound: (unbound) => warned.push(...unbound),
    });
    try {
      connection.subscribe(quiet(ids));
      await until(() => warned.length >= 1500, 'the warning');
      assert.equal(warned.length, 1500, 'each named once');
      assert.ok(connection.remembered.warnedDevices <= 1000);
    } finally {
      connection.close();
      await server.close();
    }
  });

  it('drops a socket whose server stops reading before the unsent bytes pass the bound, and reconnects', async function () {
    this.timeout(30000);
    const server = await pushServer({ stopReading: true });
    // Heartbeats of ~80 KB every 5 ms fill the socket's buffers fast.
    const ids = Array.from({ length: 3000 }, (_, n) => `LIGHT0A1B2/lamp_${n}`);
    const { connection, traces } = connect(server.url, {
      timings: { ...FAST_PUSH_TIMINGS, heartbeatMs: 5, livenessMs: 60000 },
      maxBufferedBytes: 256 * 1024,
    });
    try {
      connection.subscribe(quiet(ids));
      await until(
        () => traces.some((t) => /the server reads nothing: \d+ bytes unsent/.test(t)),
        'the socket dropped',
        25000,
      );
      await until(() => connection.stats.socketsOpened >= 2, 'a new socket');
    } finally {
      connection.close();
      await server.close();
    }
  });
});
