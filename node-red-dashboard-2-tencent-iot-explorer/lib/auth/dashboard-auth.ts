/**
 * A login for the dashboard, for Node-RED's settings.js: HTTP Basic authentication on Dashboard
 * 2's pages (`dashboard.middleware`) and on its socket.io connection (`dashboard.ioMiddleware`),
 * which Node-RED's own `httpNodeAuth` does not cover (socket.io answers before Express).
 *
 *   const { dashboardBasicAuth } = require('@homeflow/node-red-dashboard-2-tencent-iot-explorer/auth');
 *   module.exports = {
 *     dashboard: dashboardBasicAuth({ username: 'home', password: process.env.DASHBOARD_PASSWORD }),
 *   };
 *
 * Setting `ioMiddleware` replaces Dashboard 2's own socket check, so this one keeps it: a
 * connection that starts as a WebSocket, or whose handshake came from another origin, is refused
 * before the login is looked at. Use it over HTTPS (Node-RED's `https` setting or a proxy):
 * Basic authentication sends the password with every request.
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface DashboardLogin {
  username: string;
  password: string;
  /** Shown by the browser's login prompt. */
  realm?: string;
}

/** The parts of a socket.io server socket the check reads. */
interface HandshakeSocket {
  handshake: { xdomain: boolean; headers: Record<string, string | string[] | undefined> };
  client: { conn: { request: { url?: string }; close(): void } };
  disconnect(close: boolean): void;
}

type HttpMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
type IoMiddleware = (socket: HandshakeSocket, next: (err?: Error) => void) => void;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The Authorization header's check, in constant time whatever was sent. */
function checker(login: DashboardLogin): (header: unknown) => boolean {
  const expected = digest(
    `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`,
  );
  return (header) => typeof header === 'string' && timingSafeEqual(digest(header), expected);
}

/**
 * `{middleware, ioMiddleware}` for Node-RED's `dashboard` setting. Throws when the username or
 * password is empty: a login anyone passes would protect nothing.
 */
export function dashboardBasicAuth(login: DashboardLogin): {
  middleware: HttpMiddleware[];
  ioMiddleware: IoMiddleware[];
} {
  if (!login || !login.username || !login.password) {
    throw new Error('dashboardBasicAuth: set a username and a password');
  }
  const authorized = checker(login);
  const realm = (login.realm ?? 'Dashboard').replace(/"/g, '');
  const middleware: HttpMiddleware = (req, res, next) => {
    if (authorized(req.headers.authorization)) return next();
    res.statusCode = 401;
    res.setHeader('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
    res.end();
  };
  const ioMiddleware: IoMiddleware = (socket, next) => {
    // Dashboard 2's own refusals, which setting ioMiddleware would otherwise drop.
    if ((socket.client.conn.request.url ?? '').includes('transport=websocket')) {
      socket.client.conn.close();
      return;
    }
    if (socket.handshake.xdomain !== false) {
      socket.disconnect(true);
      return;
    }
    if (!authorized(socket.handshake.headers.authorization)) {
      next(new Error('unauthorized'));
      return;
    }
    next();
  };
  return { middleware: [middleware], ioMiddleware: [ioMiddleware] };
}
