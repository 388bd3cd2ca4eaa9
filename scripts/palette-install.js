'use strict';
// `node scripts/palette-install.js` (a CI stage, after `npm test` built dist/): installs both
// packages into a fresh Node-RED user directory the way the palette manager does (npm's install
// with Node-RED's own options), Dashboard 2 first from the registry, then this package's packed
// tarball, then the companion's; starts Node-RED there against the simulator, and checks that
// Node-RED loaded both from that directory, that Dashboard 2 found the widget (its UMD served,
// the widget's source named in the dashboard's config) and that the panel draws the lamp.
// Prints each step; exits non-zero on the first failure.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const companionDir = path.join(root, 'node-red-dashboard-2-tencent-iot-explorer');
const MAIN = '@homeflow/node-red-tencent-iot-explorer';
const COMPANION = '@homeflow/node-red-dashboard-2-tencent-iot-explorer';
const DASHBOARD = '@flowfuse/node-red-dashboard';
const WIDGET = 'ui-iot-explorer-device';
/** What Node-RED's palette manager passes to `npm install` (@node-red/registry installer.js). */
const PALETTE_NPM_ARGS = [
  'install',
  '--no-audit',
  '--no-update-notifier',
  '--no-fund',
  '--save',
  '--save-prefix=~',
  '--omit=dev',
  '--engine-strict',
];

function step(text) {
  console.log(`palette-install: ${text}`);
}

function pack(dir, extra = []) {
  const out = execFileSync('npm', ['pack', '--json', ...extra, '--pack-destination', work], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const packed = JSON.parse(out)[0];
  return { file: path.join(work, packed.filename), files: packed.files.map((f) => f.path) };
}

function paletteInstall(userDir, spec) {
  const started = Date.now();
  execFileSync('npm', [...PALETTE_NPM_ARGS, spec], { cwd: userDir, stdio: 'inherit' });
  step(`installed ${path.basename(spec)} in ${Math.round((Date.now() - started) / 1000)} s`);
}

function check(condition, text) {
  if (!condition) throw new Error(text);
  step(`ok: ${text}`);
}

async function until(what, test, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await test();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-palette-'));

async function main() {
  for (const built of [
    path.join(root, 'dist', 'nodes', 'iot-explorer-account.js'),
    path.join(root, 'dist', 'simulator', 'index.js'),
  ]) {
    if (!fs.existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
  }
  const { startSimulator } = require(path.join(root, 'dist', 'simulator'));
  const { startNodeRed } = require(path.join(root, 'dist', 'demo', 'launch'));
  const { io } = require('socket.io-client');

  // The main package as CI just built it (its prepare would rebuild it); the companion builds
  // itself when packed (prepack), as on publishing.
  const main = pack(root, ['--ignore-scripts']);
  const companion = pack(companionDir);
  step(
    `packed ${path.basename(main.file)} (${main.files.length} files), ${path.basename(companion.file)} (${companion.files.length} files)`,
  );
  check(
    companion.files.includes(`resources/${WIDGET}.umd.js`) &&
      companion.files.includes(`dist/nodes/${WIDGET}.js`) &&
      companion.files.includes(`dist/nodes/${WIDGET}.html`),
    'the companion tarball holds the built node, its editor and the widget UMD',
  );
  check(
    !companion.files.some((f) => /\.(ts|vue)$/.test(f) && !f.endsWith('.d.ts')),
    'the companion tarball ships no TypeScript or Vue sources (no build tools needed)',
  );

  const userDir = path.join(work, 'user');
  fs.mkdirSync(userDir);
  fs.writeFileSync(
    path.join(userDir, 'package.json'),
    JSON.stringify({
      name: 'node-red-project',
      description: 'A Node-RED project',
      version: '0.0.1',
      private: true,
    }),
  );
  const dashboardVersion = require(
    path.join(root, 'node_modules', DASHBOARD, 'package.json'),
  ).version;
  paletteInstall(userDir, `${DASHBOARD}@${dashboardVersion}`);
  paletteInstall(userDir, main.file);
  paletteInstall(userDir, companion.file);
  const deps = JSON.parse(fs.readFileSync(path.join(userDir, 'package.json'), 'utf8')).dependencies;
  check(
    MAIN in deps && COMPANION in deps && DASHBOARD in deps,
    'the user directory lists all three',
  );

  const sim = await startSimulator({ port: 0 });
  let red;
  let socket;
  try {
    const flows = [
      { id: 'tab', type: 'tab', label: 'Panel' },
      {
        id: 'base',
        type: 'ui-base',
        name: 'Home',
        path: '/dashboard',
        includeClientData: true,
        acceptsClientConfig: ['ui-notification', 'ui-control'],
      },
      {
        id: 'theme',
        type: 'ui-theme',
        name: 'Theme',
        colors: {
          surface: '#ffffff',
          primary: '#0094ce',
          bgPage: '#eeeeee',
          groupBg: '#ffffff',
          groupOutline: '#cccccc',
        },
      },
      {
        id: 'page',
        type: 'ui-page',
        name: 'Home',
        ui: 'base',
        path: '/home',
        layout: 'grid',
        theme: 'theme',
        order: 1,
      },
      {
        id: 'group',
        type: 'ui-group',
        name: 'Devices',
        page: 'page',
        width: '12',
        height: '1',
        order: 1,
      },
      {
        id: 'acc',
        type: 'iot-explorer-account',
        z: 'tab',
        name: 'sim',
        endpoint: sim.tokenapiUrl,
        timeout: '5000',
      },
      {
        id: 'panel',
        type: WIDGET,
        z: 'tab',
        group: 'group',
        order: 1,
        width: 0,
        height: 0,
        account: 'acc',
        selection: 'devices',
        devices: ['LIGHT0A1B2/living_lamp'],
        wires: [[]],
      },
    ];
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows));
    fs.writeFileSync(
      path.join(userDir, 'flows_cred.json'),
      JSON.stringify({ acc: { accessToken: 'demo-access-token' } }),
    );
    fs.writeFileSync(
      path.join(userDir, 'settings.js'),
      `module.exports = ${JSON.stringify({
        uiHost: '127.0.0.1',
        flowFile: 'flows.json',
        credentialSecret: false,
        diagnostics: { enabled: false },
        telemetry: { enabled: false },
        externalModules: { autoInstall: false },
        editorTheme: { tours: false, projects: { enabled: false } },
      })};\n`,
    );
    red = await startNodeRed(userDir, 0);
    step(`Node-RED ${red.version} at ${red.url}`);

    const nodes = await (
      await fetch(`${red.url}/nodes`, { headers: { accept: 'application/json' } })
    ).json();
    for (const name of [MAIN, COMPANION, DASHBOARD]) {
      const sets = nodes.filter((s) => s.module === name);
      check(sets.length > 0 && sets.every((s) => s.enabled && !s.err), `Node-RED loaded ${name}`);
    }
    for (const name of [MAIN, COMPANION]) {
      const info = await (
        await fetch(`${red.url}/nodes/${name}`, { headers: { accept: 'application/json' } })
      ).json();
      check(
        info.user === true && fs.realpathSync(info.path).startsWith(fs.realpathSync(userDir)),
        `${name} is a user-installed module, loaded from the user directory`,
      );
    }
    check(
      nodes.some((s) => s.module === COMPANION && s.types.includes(WIDGET)),
      `${WIDGET} is registered`,
    );

    const umd = await fetch(`${red.url}/resources/${COMPANION}/${WIDGET}.umd.js`);
    const body = await umd.text();
    check(
      umd.status === 200 && body.includes('UIIotExplorerDevice'),
      'the widget UMD is served from the module',
    );

    socket = io(red.url, { path: '/dashboard/socket.io', reconnectionDelay: 200, forceNew: true });
    const config = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ui-config from the dashboard')), 30000);
      socket.on('ui-config', (_id, value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
    const widget = Object.values(config.widgets ?? {}).find((w) => w.type === WIDGET);
    check(
      widget && widget.src && widget.src.package === COMPANION,
      'Dashboard 2 found the widget (its source is the companion)',
    );
    check(
      fs.realpathSync(widget.src.path).startsWith(fs.realpathSync(userDir)),
      'Dashboard 2 found it in the user directory',
    );
    let view;
    socket.on('msg-input:panel', (msg) => (view = msg?.iotxPanel?.view ?? view));
    socket.on('widget-load:panel', (msg) => (view = msg?.iotxPanel?.view ?? view));
    socket.emit('widget-load', 'panel');
    const lamp = await until('the lamp on the panel', () => {
      const device = view?.devices?.[0];
      return device && 'power_switch' in device.values ? device : undefined;
    });
    check(lamp.deviceId === 'LIGHT0A1B2/living_lamp', 'the panel draws the lamp with its values');
  } finally {
    socket?.close();
    await red?.stop();
    await sim.close();
  }
}

main()
  .then(() => step('all checks pass'))
  .catch((err) => {
    console.error(`palette-install: FAILED: ${err.stack ?? err}`);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(work, { recursive: true, force: true }));
