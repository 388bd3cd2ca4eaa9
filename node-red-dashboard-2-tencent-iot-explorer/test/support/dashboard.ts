// What the device panel's tests share: a Node-RED user directory with both packages installed
// as a palette install leaves them (linked to this checkout) and Dashboard 2 finding the widget,
// the flows of a dashboard page with a panel, and a socket.io client that talks to the dashboard
// as a browser's page does (or as anything else on the network could).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import {
  COMPANION_PACKAGE,
  COMPANION_ROOT,
  PACKAGE_NAME,
  prepareUserDir,
  startNodeRed,
  type NodeRedInstance,
} from '../../../demo/launch';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../simulator';
import type { DeviceView, PanelView } from '../../lib/panel/panel-hub';
import { applyMessage, panelMessageOf } from '../../lib/panel/protocol';

export { COMPANION_PACKAGE, COMPANION_ROOT };
export const MAIN_PACKAGE = PACKAGE_NAME;
export const WIDGET = 'ui-iot-explorer-device';
export const DEMO_TOKEN = 'demo-access-token';

export const LAMP = 'LIGHT0A1B2/living_lamp';
export const OFFLINE_LAMP = 'LIGHT0A1B2/bedroom_lamp';
export const LOCK = 'LOCK0C3D4E/front_door';
export const SENSOR = 'THSNS7J8K9/living_sensor';
export const DOORBELL = 'DOORBL1M2N/front_bell';

export type FlowNode = Record<string, unknown> & { id: string; type: string };

/** The id of the panel node in {@link panelFlow}. */
export const PANEL_ID = 'panel';

/**
 * A dashboard at /dashboard with one page (`/dashboard/home`) and one group holding a device
 * panel, the account it uses, and (wired to the panel) a debug-free sink: the flow's own
 * messages are read through the test's catch/complete hooks, not here.
 */
export function panelFlow(
  endpoint: string,
  panel: Record<string, unknown> = {},
  extra: FlowNode[] = [],
): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label: 'Panel' },
    {
      id: 'base',
      type: 'ui-base',
      name: 'Home',
      path: '/dashboard',
      includeClientData: true,
      acceptsClientConfig: ['ui-notification', 'ui-control'],
      showPathInSidebar: false,
      navigationStyle: 'default',
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
      sizes: { pagePadding: '12px', groupGap: '12px', groupBorderRadius: '4px', widgetGap: '12px' },
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
      visible: true,
      disabled: false,
    },
    {
      id: 'group',
      type: 'ui-group',
      name: 'Devices',
      page: 'page',
      width: '12',
      height: '1',
      order: 1,
      showTitle: true,
      visible: true,
      disabled: false,
    },
    {
      id: 'acc',
      type: 'iot-explorer-account',
      z: 'tab',
      name: 'Demo home (simulator)',
      endpoint,
      timeout: '5000',
    },
    {
      id: PANEL_ID,
      type: WIDGET,
      z: 'tab',
      group: 'group',
      order: 1,
      width: 0,
      height: 0,
      account: 'acc',
      selection: 'devices',
      devices: [LAMP],
      x: 300,
      y: 100,
      wires: [['out']],
      ...panel,
    },
    {
      id: 'out',
      type: 'function',
      z: 'tab',
      name: 'record',
      func:
        'const kept = { topic: msg.topic, payload: msg.payload, iotexplorer: msg.iotexplorer, client: !!msg._client };\n' +
        "global.set('panelOut', (global.get('panelOut') || []).concat([kept]));\nreturn msg;",
      outputs: 1,
      x: 500,
      y: 100,
      wires: [],
    },
    {
      id: 'catch',
      type: 'catch',
      z: 'tab',
      scope: null,
      uncaught: false,
      x: 300,
      y: 200,
      wires: [['caught']],
    },
    {
      id: 'caught',
      type: 'function',
      z: 'tab',
      name: 'record errors',
      func: "global.set('panelErrors', (global.get('panelErrors') || []).concat([msg.error])); return null;",
      outputs: 1,
      x: 500,
      y: 200,
      wires: [],
    },
    // What the flow saw, for the test to read: GET /panel-record.
    {
      id: 'record-in',
      type: 'http in',
      z: 'tab',
      url: '/panel-record',
      method: 'get',
      x: 120,
      y: 300,
      wires: [['record-read']],
    },
    {
      id: 'record-read',
      type: 'function',
      z: 'tab',
      func: "msg.payload = { out: global.get('panelOut') || [], errors: global.get('panelErrors') || [] };\nreturn msg;",
      outputs: 1,
      x: 300,
      y: 300,
      wires: [['record-out']],
    },
    { id: 'record-out', type: 'http response', z: 'tab', x: 480, y: 300, wires: [] },
    {
      id: 'record-clear',
      type: 'http in',
      z: 'tab',
      url: '/panel-record',
      method: 'delete',
      x: 120,
      y: 340,
      wires: [['record-empty']],
    },
    {
      id: 'record-empty',
      type: 'function',
      z: 'tab',
      func: "global.set('panelOut', []);\nglobal.set('panelErrors', []);\nmsg.payload = {};\nreturn msg;",
      outputs: 1,
      x: 300,
      y: 340,
      wires: [['record-out']],
    },
    ...extra,
  ];
}

/** What the flow's record nodes kept: the panel's output messages and the errors caught. */
export interface FlowRecord {
  out: { topic: string; payload: unknown; iotexplorer: Record<string, any>; client: boolean }[];
  errors: { message: string; code?: string; source?: { id: string } }[];
}

/** Forgets what the flow's record nodes kept (global context outlives a deploy). */
export async function clearFlowRecord(red: NodeRedInstance): Promise<void> {
  const res = await fetch(`${red.url}/panel-record`, { method: 'DELETE' });
  if (res.status !== 200) throw new Error(`DELETE /panel-record answered ${res.status}`);
}

export async function flowRecord(red: NodeRedInstance): Promise<FlowRecord> {
  const res = await fetch(`${red.url}/panel-record`);
  if (res.status !== 200) throw new Error(`GET /panel-record answered ${res.status}`);
  return (await res.json()) as FlowRecord;
}

/**
 * A user directory where Node-RED finds both packages as a palette install leaves them (each a
 * direct dependency in its package.json, linked into its node_modules: Dashboard 2 looks for
 * widgets only there; demo/launch.ts lays that out), with `flows` and the account's token.
 */
export function preparePanelUserDir(
  userDir: string,
  flows: FlowNode[],
  lang?: string,
  settingsTail = '',
): void {
  prepareUserDir({ userDir, endpoint: '', accessToken: DEMO_TOKEN, examples: [], lang });
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
  if (settingsTail) fs.appendFileSync(path.join(userDir, 'settings.js'), `\n${settingsTail}\n`);
  const accounts = flows.filter((n) => n.type === 'iot-explorer-account');
  fs.writeFileSync(
    path.join(userDir, 'flows_cred.json'),
    JSON.stringify(Object.fromEntries(accounts.map((n) => [n.id, { accessToken: DEMO_TOKEN }]))),
  );
}

/** A simulator and a Node-RED running `flows(endpoint)` with both packages, for one test. */
export interface PanelRig {
  sim: Simulator;
  red: NodeRedInstance;
  userDir: string;
  /** Stops Node-RED, then the simulator, and removes the user directory. */
  stop(): Promise<void>;
}

export async function startPanelRig(
  flows: (endpoint: string) => FlowNode[],
  options: {
    lang?: string;
    env?: Record<string, string>;
    simulator?: SimulatorOptions;
    /** JavaScript appended to settings.js (after `module.exports = {…}`). */
    settingsTail?: string;
  } = {},
): Promise<PanelRig> {
  const sim = await startSimulator({ port: 0, ...options.simulator });
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-panel-red-'));
  let red: NodeRedInstance;
  try {
    preparePanelUserDir(userDir, flows(sim.tokenapiUrl), options.lang, options.settingsTail);
    red = await startNodeRed(userDir, 0, { env: options.env });
  } catch (err) {
    await sim.close();
    fs.rmSync(userDir, { recursive: true, force: true });
    throw err;
  }
  return {
    sim,
    red,
    userDir,
    async stop() {
      await red.stop();
      await sim.close();
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}

/** Replaces the running flows (a full deploy, as the editor's Deploy button does). */
export async function deploy(red: NodeRedInstance, flows: FlowNode[]): Promise<void> {
  const res = await fetch(`${red.url}/flows`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'Node-RED-API-Version': 'v1',
      'Node-RED-Deployment-Type': 'full',
    },
    body: JSON.stringify(flows),
  });
  if (res.status !== 204 && res.status !== 200) {
    throw new Error(`deploy answered ${res.status}: ${await res.text()}`);
  }
}

/** A dashboard socket.io connection, as the page (or any other client) opens it. */
export interface DashboardClient {
  socket: Socket;
  /** The `ui-config` messages Dashboard 2 sent this client (the first comes on connecting). */
  configs: unknown[];
  /** The next `event` message that `accept` takes, within `timeoutMs`. */
  next<T = unknown>(event: string, accept?: (msg: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): void;
}

/**
 * Connects and waits for Dashboard 2's `ui-config`, the proof that the dashboard took the
 * connection: one opened while a deploy restarts the dashboard is never taken (Dashboard 2
 * attaches its handlers on `connection`), so it is dropped and opened again.
 */
export async function connectDashboard(
  url: string,
  attempts = 5,
  headers?: Record<string, string>,
): Promise<DashboardClient> {
  for (let attempt = 1; ; attempt++) {
    const client = await connectOnce(url, headers);
    try {
      await until('ui-config', () => client.configs.length > 0, 2500);
      return client;
    } catch (err) {
      client.close();
      if (attempt >= attempts) throw err;
    }
  }
}

async function connectOnce(
  url: string,
  headers?: Record<string, string>,
): Promise<DashboardClient> {
  // Reconnects as the page does, e.g. while a deploy restarts the dashboard.
  const socket = io(url, {
    path: '/dashboard/socket.io',
    reconnectionDelay: 200,
    forceNew: true,
    extraHeaders: headers,
  });
  const configs: unknown[] = [];
  socket.on('ui-config', (_baseId: unknown, config: unknown) => configs.push(config));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('dashboard socket did not connect')), 15000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  return {
    socket,
    configs,
    next<T>(event: string, accept: (msg: T) => boolean = () => true, timeoutMs = 15000) {
      return new Promise<T>((resolve, reject) => {
        const onMessage = (msg: T): void => {
          if (!accept(msg)) return;
          clearTimeout(timer);
          socket.off(event, onMessage);
          resolve(msg);
        };
        const timer = setTimeout(() => {
          socket.off(event, onMessage);
          reject(new Error(`no ${event} within ${timeoutMs} ms`));
        }, timeoutMs);
        socket.on(event, onMessage);
      });
    },
    close: () => socket.close(),
  };
}

/** Waits until `check` returns something other than undefined or false, polling every 50 ms. */
export async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A page's view of the panel: loaded once, then kept current from the node's messages. */
export class PanelWatcher {
  view: PanelView | null = null;
  constructor(
    readonly client: DashboardClient,
    readonly id: string = PANEL_ID,
  ) {
    client.socket.on(`msg-input:${id}`, (msg: unknown) => this.apply(msg));
    client.socket.on(`widget-load:${id}`, (msg: unknown) => this.apply(msg));
    // As Dashboard 2's data tracker does: load on connecting, and again after a reconnect.
    client.socket.on('connect', () => client.socket.emit('widget-load', id));
    client.socket.emit('widget-load', id);
  }
  private apply(msg: unknown): void {
    const message = panelMessageOf(msg);
    if (message) this.view = applyMessage(this.view, message);
  }
  device(id: string): DeviceView | undefined {
    return this.view?.devices.find((d) => d.deviceId === id);
  }
  /** Waits until the device's card satisfies `check`. */
  until(what: string, id: string, check: (d: DeviceView) => boolean): Promise<DeviceView> {
    return until(what, () => {
      const device = this.device(id);
      return device && check(device) ? device : undefined;
    });
  }
  command(command: Record<string, unknown>): void {
    this.client.socket.emit('widget-action', this.id, { iotxCommand: command });
  }
}
