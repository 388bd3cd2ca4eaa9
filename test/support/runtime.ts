import helper from 'node-red-node-test-helper';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';
import accountNode from '../../nodes/iot-explorer-account/iot-explorer-account';
import actionNode from '../../nodes/iot-explorer-action/iot-explorer-action';
import controlNode from '../../nodes/iot-explorer-control/iot-explorer-control';
import stateNode from '../../nodes/iot-explorer-state/iot-explorer-state';
import statusNode from '../../nodes/iot-explorer-status/iot-explorer-status';
import watchNode from '../../nodes/iot-explorer-watch/iot-explorer-watch';
import sceneNode from '../../nodes/iot-explorer-scene/iot-explorer-scene';
import automationNode from '../../nodes/iot-explorer-automation/iot-explorer-automation';
import historyNode from '../../nodes/iot-explorer-history/iot-explorer-history';
import homeNode from '../../nodes/iot-explorer-home/iot-explorer-home';
import { NODE_RED_DIR, resolveFromNodeRed } from '../../demo/launch';

// The runtime under test: our devDependency, or the Node-RED that NODE_RED_PATH names.
helper.init(require.resolve(NODE_RED_DIR));

/** One of that Node-RED's core nodes, e.g. `common/25-catch.js`, as `helper.load` takes it. */
export function coreNode(file: string): (red: unknown) => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolveFromNodeRed(`@node-red/nodes/core/${file}`)) as (red: unknown) => void;
}

export { helper };
export const NODES = [
  accountNode,
  actionNode,
  controlNode,
  stateNode,
  statusNode,
  watchNode,
  sceneNode,
  automationNode,
  historyNode,
  homeNode,
];

/** The ids of the default simulator fixture that the tests use. */
export const DEMO_TOKEN = 'demo-access-token';
export const LIGHT = {
  productId: 'LIGHT0A1B2',
  deviceName: 'living_lamp',
  actionId: 'light_blink',
};
export const LOCK = { productId: 'LOCK0C3D4E', deviceName: 'front_door', actionId: 'unlock' };
export const OFFLINE_LAMP = {
  productId: 'LIGHT0A1B2',
  deviceName: 'bedroom_lamp',
  actionId: 'light_blink',
};

/** A device that answers after the service's sync limit. */
export const SLOW = {
  productId: 'AIRC0F5G6H',
  deviceName: 'attic_aircon',
  actionId: 'set_schedule',
};

export type FlowNode = Record<string, unknown> & { id: string; type: string };

/** An account node, a call-action node wired to a helper, and a catch node wired to another helper. */
export function actionFlow(
  endpoint: string,
  action: Record<string, unknown> = {},
  account: Record<string, unknown> = {},
): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    {
      id: 'acc',
      type: 'iot-explorer-account',
      z: 'tab',
      name: 'test account',
      endpoint,
      timeout: '5000',
      // These flows count and order the requests their calls make: no home read for names
      // beside them (the names tests ask for 'home', the default).
      deviceNames: 'ids',
      ...account,
    },
    {
      id: 'act',
      type: 'iot-explorer-action',
      z: 'tab',
      account: 'acc',
      wires: [['out']],
      ...action,
    },
    { id: 'out', type: 'helper', z: 'tab' },
    { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['err']] },
    { id: 'err', type: 'helper', z: 'tab' },
  ];
}

/**
 * Like {@link actionFlow}, for any device node type: the node under test is still `act`, wired
 * to `out`. A node without inputs (the watch node) works the same way.
 */
export function deviceFlow(
  endpoint: string,
  type: string,
  props: Record<string, unknown> = {},
  account: Record<string, unknown> = {},
): FlowNode[] {
  return actionFlow(endpoint, { type, ...props }, account);
}

/**
 * What the editor sends for a sign-in account typed into its dialog: the simulator's demo app
 * and user, signing in by e-mail.
 */
export const DEMO_SIGN_IN = {
  authMode: 'signin',
  appKey: 'demoAppKey',
  appSecret: 'demoAppSecret',
  loginType: 'email',
  email: 'demo@example.com',
  password: 'demo-password',
};

export const credentials = (token: string = DEMO_TOKEN) => ({ acc: { accessToken: token } });

export async function load(
  flow: FlowNode[],
  creds: Record<string, unknown> = credentials(),
): Promise<void> {
  // The catch node is Node-RED's own: load it from the runtime's core nodes.
  await helper.load([...NODES, coreNode('common/25-catch.js')], flow, creds);
}

export interface Outcome {
  output?: Record<string, any>;
  error?: Record<string, any>;
}

/** Waits for the next message on the output helper or on the catch helper, whichever comes first. */
export async function nextOutcome(timeoutMs = 8000): Promise<Outcome> {
  const [outcome] = await collectOutcomes(1, timeoutMs);
  return outcome;
}

/** Collects `count` outcomes (outputs and caught errors together). */
export function collectOutcomes(count: number, timeoutMs = 15000): Promise<Outcome[]> {
  const out = helper.getNode('out');
  const err = helper.getNode('err');
  const outcomes: Outcome[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`only ${outcomes.length} of ${count} outcomes within ${timeoutMs} ms`));
    }, timeoutMs);
    const push = (o: Outcome): void => {
      outcomes.push(o);
      if (outcomes.length === count) {
        cleanup();
        resolve(outcomes);
      }
    };
    const onOut = (msg: Record<string, any>): void => push({ output: msg });
    const onErr = (msg: Record<string, any>): void => push({ error: msg });
    function cleanup(): void {
      clearTimeout(timer);
      out.removeListener('input', onOut);
      err.removeListener('input', onErr);
    }
    out.on('input', onOut);
    err.on('input', onErr);
  });
}

/** Sends a message into the action node and waits for its outcome. */
export async function call(msg: Record<string, unknown>): Promise<Outcome> {
  const outcome = nextOutcome();
  helper.getNode('act').receive(msg);
  return outcome;
}

/**
 * Mocha hooks for a suite of runtime tests: the helper's HTTP server for the whole suite (with
 * extra runtime `settings`, if any), and a fresh simulator for each test, handed to `onStart`;
 * the flow and the simulator end after each.
 */
export function useRuntimeAndSimulator(
  onStart: (sim: Simulator) => void,
  options: SimulatorOptions = {},
  settings?: Record<string, unknown>,
): void {
  let sim: Simulator | undefined;
  before(async function () {
    if (settings) helper.settings(settings);
    await new Promise<void>((resolve) => helper.startServer(resolve));
  });
  after(async function () {
    await new Promise<void>((resolve) => helper.stopServer(resolve));
    if (settings) helper.settings({});
  });
  beforeEach(async function () {
    sim = await startSimulator(options);
    onStart(sim);
  });
  afterEach(async function () {
    await helper.unload();
    await sim?.close();
  });
}

/** Tests only: lets the watch node poll far faster than users may. */
export const FAST_WATCH_SETTINGS = { iotExplorerWatchMinInterval: 0.05 };
