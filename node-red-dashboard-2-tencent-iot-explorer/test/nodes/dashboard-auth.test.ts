// The dashboard login of the README (require('<package>/auth')) in a real Node-RED: pages and
// the socket need it, and Dashboard 2's own refusal of cross-origin sockets is kept.

import assert from 'node:assert/strict';
import path from 'node:path';
import { io } from 'socket.io-client';
import {
  COMPANION_ROOT,
  connectDashboard,
  panelFlow,
  startPanelRig,
  LAMP,
  type PanelRig,
} from '../support/dashboard';

const AUTH = `Basic ${Buffer.from('home:s3cret-dashboard').toString('base64')}`;

/** Opens a socket and says how it ended: connected (and configured), refused, or dropped. */
function trySocket(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const socket = io(url, {
      path: '/dashboard/socket.io',
      reconnection: false,
      forceNew: true,
      extraHeaders: headers,
    });
    let ended = false;
    const done = (how: string): void => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      resolve(how);
      socket.close();
    };
    const timer = setTimeout(
      () => done(socket.connected ? 'connected, no config' : 'no answer'),
      5000,
    );
    socket.on('ui-config', () => done('configured'));
    socket.on('connect_error', (err: Error) => done(`refused: ${err.message}`));
    socket.on('disconnect', () => done('dropped'));
  });
}

describe('device panel: the dashboard login for settings.js', function () {
  this.timeout(90000);
  let rig: PanelRig | undefined;

  before(async function () {
    const helper = path.join(COMPANION_ROOT, 'dist', 'auth.js');
    rig = await startPanelRig((endpoint) => panelFlow(endpoint, { devices: [LAMP] }), {
      settingsTail:
        `module.exports.dashboard = require(${JSON.stringify(helper)})` +
        `.dashboardBasicAuth({ username: 'home', password: 's3cret-dashboard' });`,
    });
  });

  after(async function () {
    await rig?.stop();
  });

  it('asks for the login on the pages', async function () {
    const page = `${rig!.red.url}/dashboard/home`;
    const anonymous = await fetch(page);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic realm="Dashboard"/);
    assert.equal(
      (await fetch(page, { headers: { authorization: 'Basic d3Jvbmc6bG9naW4=' } })).status,
      401,
    );
    assert.equal((await fetch(page, { headers: { authorization: AUTH } })).status, 200);
  });

  it('refuses the socket without the login, and from another origin even with it', async function () {
    const url = rig!.red.url;
    assert.equal(await trySocket(url, {}), 'refused: unauthorized');
    assert.equal(
      await trySocket(url, { authorization: 'Basic d3Jvbmc6bG9naW4=' }),
      'refused: unauthorized',
    );
    assert.notEqual(
      await trySocket(url, { authorization: AUTH, origin: 'http://evil.example' }),
      'configured',
    );
    assert.equal(await trySocket(url, { authorization: AUTH }), 'configured');
    const client = await connectDashboard(url, 3, { authorization: AUTH });
    client.close();
  });

  it('refuses an empty login when settings.js is read', function () {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const auth = require(path.join(COMPANION_ROOT, 'dist', 'auth.js')) as {
      dashboardBasicAuth: (login: { username: string; password: string }) => unknown;
    };
    assert.throws(() => auth.dashboardBasicAuth({ username: 'home', password: '' }), /password/);
  });
});
