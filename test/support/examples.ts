import assert from 'node:assert/strict';
import fs from 'node:fs';
import { examplePath } from '../../demo/launch';
import { helper, type FlowNode } from './runtime';

export type Msg = Record<string, any>;

/** FlowFuse Dashboard 2's config nodes: the browser test runs them in a real Node-RED. */
const DASHBOARD_CONFIG = ['ui-base', 'ui-theme', 'ui-page', 'ui-group'];

/** The module hint Node-RED's import reads and leaves out of the flows. */
const MODULE_HINT = 'global-config';

/** Node types that reach outside the test (a broker): stood in for by helper nodes. */
const OUTSIDE = ['mqtt in', 'mqtt out'];
const OUTSIDE_CONFIG = ['mqtt-broker'];

/** An example file's nodes, as stored (in examples/, or the Dashboard 2 companion's examples/). */
export function exampleNodes(file: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(examplePath(file), 'utf8')) as FlowNode[];
}

/**
 * An example flow as the demo deploys it, against the simulator: every debug node, dashboard
 * widget and MQTT node becomes a helper node of the same id (so the test sees what the sidebar,
 * the widget or the broker would get, and sends what the broker would), no inject fires by
 * itself, and the account is the test's. Everything else (http in, function, change...) is the
 * example's own node, unchanged.
 */
export function exampleFlow(file: string, endpoint: string, watchInterval?: number): FlowNode[] {
  const nodes = exampleNodes(file).filter(
    (node) =>
      !DASHBOARD_CONFIG.includes(node.type) &&
      !OUTSIDE_CONFIG.includes(node.type) &&
      node.type !== MODULE_HINT,
  );
  return nodes.map((node) => {
    if (node.type === 'debug' || node.type.startsWith('ui-') || OUTSIDE.includes(node.type))
      return { id: node.id, z: node.z, type: 'helper', name: node.name };
    if (node.type === 'inject') return { ...node, once: false, repeat: '', crontab: '' };
    if (node.type === 'iot-explorer-account') return { ...node, id: 'acc', endpoint };
    const withAccount = node.account ? { ...node, account: 'acc' } : node;
    if (node.type === 'iot-explorer-watch' && watchInterval)
      return { ...withAccount, interval: watchInterval };
    return withAccount;
  });
}

/** The id of the example's node of that type and name. */
export function named(flow: FlowNode[], type: string, name: string): string {
  const node = flow.find((n) => n.type === type && n.name === name);
  assert.ok(node, `${type} "${name}" in the example`);
  return node.id;
}

/** The next message that reaches node `id`. */
export function nextOn(id: string, timeoutMs = 8000): Promise<Msg> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing on ${id}`)), timeoutMs);
    helper.getNode(id).once('input', (msg: Msg) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}
