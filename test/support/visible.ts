import type { Node } from 'node-red';
import type sinon from 'sinon';
import { resolveFromNodeRed } from '../../demo/launch';
import { helper } from './runtime';

export type SpiedNode = Node & Record<string, sinon.SinonSpy>;

/** A node's spied methods, as the test helper sets them up. */
export type Spies = Record<'status' | 'warn' | 'error' | 'log', sinon.SinonSpy>;

export function spiesOf(id: string): Spies {
  return helper.getNode(id) as unknown as Spies;
}

/** Errors stringify to {} by default; keep their message, code and stack in the text we search. */
export function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error)
    return { ...value, message: value.message, stack: value.stack, text: String(value) };
  return value;
}

/** Everything a user can see of some nodes: status, log lines, warnings, errors, the runtime log. */
export function visibleText(nodes: SpiedNode[]): string {
  const parts: string[] = [];
  for (const node of nodes) {
    for (const method of ['status', 'warn', 'error', 'log', 'debug', 'trace']) {
      for (const c of node[method]?.getCalls() ?? []) parts.push(JSON.stringify(c.args, replacer));
    }
  }
  for (const c of helper.log().getCalls()) parts.push(JSON.stringify(c.args, replacer));
  return parts.join('\n');
}

interface RuntimeNodes {
  getCredentials(id: string): unknown;
  getCredentialDefinition(type: string): unknown;
}
interface FlowsApi {
  init(runtime: unknown): void;
  getNodeCredentials(opts: { type: string; id: string }): Promise<Record<string, unknown>>;
}

/**
 * What the editor's admin API (`GET /credentials/:type/:id`) answers for a node: the runtime's
 * own code, run against the test runtime (the helper's admin app does not mount that route).
 */
export async function adminCredentials(type: string, id: string): Promise<Record<string, unknown>> {
  const nodes = (helper as unknown as { _redNodes: RuntimeNodes })._redNodes;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const flowsApi = require(resolveFromNodeRed('@node-red/runtime/lib/api/flows')) as FlowsApi;
  flowsApi.init({
    log: { audit: () => undefined },
    nodes: {
      getCredentials: (nodeId: string) => nodes.getCredentials(nodeId),
      getCredentialDefinition: (nodeType: string) => nodes.getCredentialDefinition(nodeType),
    },
  });
  return flowsApi.getNodeCredentials({ type, id });
}
