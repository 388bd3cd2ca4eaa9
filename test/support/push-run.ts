// What the push runtime tests (test/nodes/push-*.test.ts) share: a deployed flow of watch
// nodes whose outputs are collected, and a guard that fails a test on an unhandled rejection.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'node-red';
import type sinon from 'sinon';
import type { Simulator } from '../../simulator';
import { watchFlow, until } from './push';
import { resolveFromNodeRed } from '../../demo/launch';
import { NODES, coreNode, helper, credentials, type FlowNode } from './runtime';

export type Msg = Record<string, any>;

export const LAMP_ID = 'LIGHT0A1B2/living_lamp';
export const BELL_ID = 'DOORBL1M2N/front_bell';
export const SENSOR_ID = 'THSNS7J8K9/living_sensor';
/** Exists, but is bound to another user. */
export const NEIGHBOR_ID = 'LIGHT0A1B2/neighbor_lamp';

export type SpiedNode = Node &
  Record<'status' | 'warn' | 'error' | 'log' | 'trace', sinon.SinonSpy>;

/** The messages of a deployed flow: each watch node's output (`out[1]` for `w1`) and the catch node's. */
export interface Deployed {
  out: Record<number, Msg[]>;
  caught: Msg[];
  node(id: string): SpiedNode;
}

/** Listens to `out1…outN` and `err` of the flow now deployed. */
export function collect(watchCount: number): Deployed {
  const out: Record<number, Msg[]> = {};
  for (let n = 1; n <= watchCount; n++) {
    const msgs: Msg[] = [];
    out[n] = msgs;
    helper.getNode(`out${n}`).on('input', (msg: Msg) => msgs.push(msg));
  }
  const caught: Msg[] = [];
  helper.getNode('err').on('input', (msg: Msg) => caught.push(msg));
  return { out, caught, node: (id) => helper.getNode(id) as unknown as SpiedNode };
}

type Catalog = Record<string, unknown>;
let catalogs: Map<string, Catalog> | undefined;

function readCatalog(file: string): Catalog {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Catalog;
}

/**
 * The built en-US catalogues (dist/nodes/locales/en-US), by node type, and Node-RED's own
 * (`node-red`: the common texts such as `common.status.connecting`).
 */
function englishCatalogs(): Map<string, Catalog> {
  if (catalogs) return catalogs;
  const dir = path.resolve(__dirname, '../../nodes/locales/en-US');
  catalogs = new Map();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    catalogs.set(file.slice(0, -5), readCatalog(path.join(dir, file)));
  }
  catalogs.set(
    'node-red',
    readCatalog(resolveFromNodeRed('@node-red/nodes/locales/en-US/messages.json')),
  );
  return catalogs;
}

function lookup(catalog: Catalog, dotted: string): string | undefined {
  let at: unknown = catalog;
  for (const part of dotted.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Catalog)[part];
  }
  return typeof at === 'string' ? at : undefined;
}

/**
 * RED._ as the runtime's i18n answers it in English (the test helper's RED._ returns the key):
 * `ns:key` looks in the catalogue of the namespace's node type, a bare key in every catalogue;
 * a numeric `count` picks the plural form (`key_one`, `key_other`) as i18next does in English;
 * `__name__` takes its parameter.
 */
export function englishText(key: string, params: Record<string, unknown> = {}): string {
  const colon = key.indexOf(':');
  const type = colon >= 0 ? key.slice(0, colon).split('/').pop() : undefined;
  const dotted = colon >= 0 ? key.slice(colon + 1) : key;
  const all = englishCatalogs();
  const candidates = type !== undefined ? [all.get(type)] : [...all.values()];
  const count = params.count;
  const forms =
    typeof count === 'number' ? [`${dotted}_${count === 1 ? 'one' : 'other'}`, dotted] : [dotted];
  for (const catalog of candidates) {
    for (const form of forms) {
      const text = catalog && lookup(catalog, form);
      if (text !== undefined) {
        return text.replace(/__(\w+)__/g, (whole, name: string) =>
          name in params ? String(params[name]) : whole,
        );
      }
    }
  }
  return key;
}

/** Like runtime.ts `load`, with RED._ answering English texts, so status and warnings can be read. */
export async function loadEnglish(
  flow: FlowNode[],
  creds: Record<string, unknown> = credentials(),
  extraCore: string[] = [],
): Promise<void> {
  const english = NODES.map((register) => (red: unknown) => {
    (red as { _: typeof englishText })._ = englishText;
    return register(red as Parameters<typeof register>[0]);
  });
  // Core nodes the flow uses beside the catch node (e.g. `common/21-debug.js`).
  const core = ['common/25-catch.js', ...extraCore].map((file) => coreNode(file));
  await helper.load([...english, ...core], flow, creds);
}

/** Deploys `watchFlow` (account `acc`, watch nodes `w1…`) and collects its messages. */
export async function deployWatches(
  sim: Simulator,
  watches: Record<string, unknown>[],
  account: Record<string, unknown> = {},
  creds: Record<string, unknown> = credentials(),
  extra: FlowNode[] = [],
  extraCore: string[] = [],
): Promise<Deployed> {
  await loadEnglish([...watchFlow(sim.tokenapiUrl, watches, account), ...extra], creds, extraCore);
  return collect(watches.length);
}

/**
 * The calls of one node's method. The helper spies on Node.prototype, so a spy's calls are every
 * node's: keep those made on this one.
 */
export function callsOf(
  node: SpiedNode,
  method: 'status' | 'warn' | 'error' | 'log' | 'trace',
): sinon.SinonSpyCall[] {
  return node[method].getCalls().filter((c) => c.thisValue === node);
}

/** A node's last status ({} before any). */
export function lastStatus(node: SpiedNode): Record<string, unknown> {
  return (callsOf(node, 'status').at(-1)?.args[0] as Record<string, unknown> | undefined) ?? {};
}

/** The text of a node's last status. */
export function statusText(node: SpiedNode): string {
  const text = lastStatus(node).text;
  return typeof text === 'string' ? text : '';
}

/** Waits until the node's status says it is live with `live` of its `count` devices. */
export async function untilLive(node: SpiedNode, live: number, count: number): Promise<void> {
  const want = `live · ${live} of ${count} ${count === 1 ? 'device' : 'devices'}`;
  await until(() => statusText(node) === want, `status "${want}"`).catch((err: Error) => {
    const seen = callsOf(node, 'status').map((c) => JSON.stringify(c.args[0]));
    throw new Error(`${err.message}; statuses: ${seen.slice(-6).join(', ')}`);
  });
}

/** Whether the simulator has a socket subscribed to all of `ids`. */
export function subscribed(sim: Simulator, ...ids: string[]): boolean {
  return sim.push.connections().some((c) => ids.every((id) => c.deviceIds.includes(id)));
}

/**
 * Fails the running test if a promise rejection goes unhandled while the suite runs: Node-RED
 * would log it (or exit, with --unhandled-rejections=strict), so it counts as a crash.
 */
export function failOnUnhandledRejection(): { seen: unknown[] } {
  const record = { seen: [] as unknown[] };
  const onRejection = (reason: unknown): void => {
    record.seen.push(reason);
  };
  before(function () {
    process.on('unhandledRejection', onRejection);
  });
  after(function () {
    process.removeListener('unhandledRejection', onRejection);
  });
  afterEach(function () {
    const seen = record.seen.splice(0);
    if (seen.length > 0) {
      throw new Error(`unhandled rejection(s): ${seen.map((r) => String(r)).join('; ')}`);
    }
  });
  return record;
}

/**
 * Waits until `reads` AppGetDeviceData calls have been answered, and a little more so that their
 * values are applied: a change made while the baseline is read may become part of the baseline.
 */
export async function untilRead(sim: Simulator, reads: number): Promise<void> {
  await until(() => (sim.httpCallsByAction.AppGetDeviceData ?? 0) >= reads, `${reads} reads`);
  await new Promise((r) => setTimeout(r, 60));
}
