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
