import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  decryptCredentials,
  encryptCredentials,
  newCredentialSecret,
  type Credentials,
} from './credentials';

/**
 * The demo's Node-RED user directory across restarts. The first start (or `--reset`) seeds it
 * with the demo's tabs; later starts keep what the user made there — their tabs, a token or a
 * password typed into an account, all encrypted with a credential secret kept in the folder —
 * and only bring the demo's own tabs up to date: each carries a version (a digest of its
 * content, in the tab's environment variable DEMO_TAB_VERSION), and a tab whose version differs
 * from the demo's is replaced by id. A demo tab the user deleted stays deleted until a newer
 * version of it ships.
 */

export type FlowNode = Record<string, unknown> & { id: string; type: string };

/** The environment variable of each demo tab that holds its version. */
export const VERSION_VARIABLE = 'DEMO_TAB_VERSION';
const ACCOUNT_TYPE = 'iot-explorer-account';
/** An account endpoint that points at a simulator on this machine, on any port. */
const LOCAL_SIMULATOR = /^http:\/\/127\.0\.0\.1:\d+\/api\/exploreropen\/tokenapi$/;

/** What the demo remembers in its folder (demo-state.json, readable by the owner only). */
export interface DemoState {
  /** Node-RED's credentialSecret for flows_cred.json. */
  credentialSecret: string;
  /** The version of each demo tab as last written: tab id → version. */
  tabs: Record<string, string>;
}

export interface DemoSeed {
  /** The demo's tabs with their nodes, and the config nodes they use. */
  flows: FlowNode[];
  /** The credentials of the seed's config nodes (the demo account's token). */
  credentials: Credentials;
}

export interface PrepareResult {
  state: DemoState;
  /** Whether the folder was seeded afresh (first start, or --reset). */
  seeded: boolean;
  /** Ids of demo tabs added or replaced by a newer version on this start. */
  updatedTabs: string[];
}

const stateFile = (userDir: string): string => path.join(userDir, 'demo-state.json');
const flowsFile = (userDir: string): string => path.join(userDir, 'flows.json');
const credentialsFile = (userDir: string): string => path.join(userDir, 'flows_cred.json');

function readState(userDir: string): DemoState | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(stateFile(userDir), 'utf8')) as Partial<DemoState>;
    if (typeof state.credentialSecret !== 'string' || state.credentialSecret === '')
      return undefined;
    return { credentialSecret: state.credentialSecret, tabs: state.tabs ?? {} };
  } catch {
    return undefined;
  }
}

function writeJson(file: string, value: unknown, mode?: number): void {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n', mode ? { mode } : {});
}

/** The version of a tab: a digest of the tab and its nodes as the demo ships them. */
export function tabVersion(nodes: FlowNode[]): string {
  return crypto.createHash('sha256').update(JSON.stringify(nodes)).digest('hex').slice(0, 12);
}

function versionOf(tab: FlowNode | undefined): string | undefined {
  const env = Array.isArray(tab?.env) ? (tab.env as Array<Record<string, unknown>>) : [];
  const entry = env.find((e) => e.name === VERSION_VARIABLE);
  return typeof entry?.value === 'string' ? entry.value : undefined;
}

/** The seed's tabs, each with its nodes and its version; and its config nodes. */
function splitSeed(flows: FlowNode[]): {
  tabs: { tab: FlowNode; nodes: FlowNode[]; version: string }[];
  configs: FlowNode[];
} {
  const tabs = flows
    .filter((n) => n.type === 'tab')
    .map((tab) => {
      const nodes = flows.filter((n) => n.z === tab.id);
      const version = tabVersion([tab, ...nodes]);
      const env = [
        ...(Array.isArray(tab.env) ? (tab.env as unknown[]) : []),
        { name: VERSION_VARIABLE, value: version, type: 'str' },
      ];
      return { tab: { ...tab, env }, nodes, version };
    });
  const configs = flows.filter((n) => n.type !== 'tab' && !n.z);
  return { tabs, configs };
}

/**
 * Seeds the folder, or brings the demo's tabs in it up to date; `endpoint` is the simulator the
 * demo accounts should use now. Throws, naming the file and `--reset`, when the folder's flows
 * or credentials cannot be read.
 */
export function prepareDemoFlows(options: {
  userDir: string;
  seed: DemoSeed;
  endpoint: string;
  reset: boolean;
}): PrepareResult {
  const { userDir, seed, endpoint } = options;
  fs.mkdirSync(userDir, { recursive: true });
  const previous = options.reset ? undefined : readState(userDir);
  const { tabs, configs } = splitSeed(seed.flows);
  const versions = Object.fromEntries(tabs.map((t) => [t.tab.id, t.version]));

  if (!previous || !fs.existsSync(flowsFile(userDir))) {
    const state: DemoState = {
      credentialSecret: previous?.credentialSecret ?? newCredentialSecret(),
      tabs: versions,
    };
    writeJson(flowsFile(userDir), [...tabs.flatMap((t) => [t.tab, ...t.nodes]), ...configs]);
    writeJson(
      credentialsFile(userDir),
      encryptCredentials(state.credentialSecret, seed.credentials),
      0o600,
    );
    writeJson(stateFile(userDir), state, 0o600);
    return { state, seeded: true, updatedTabs: tabs.map((t) => t.tab.id) };
  }

  let flows: FlowNode[];
  try {
    flows = JSON.parse(fs.readFileSync(flowsFile(userDir), 'utf8')) as FlowNode[];
    if (!Array.isArray(flows)) throw new Error('not a list of nodes');
  } catch (err) {
    throw new Error(
      `${flowsFile(userDir)} cannot be read (${(err as Error).message}): fix it, or start afresh with npm start -- --reset`,
    );
  }
  let credentials: Credentials;
  try {
    credentials = fs.existsSync(credentialsFile(userDir))
      ? decryptCredentials(
          previous.credentialSecret,
          JSON.parse(fs.readFileSync(credentialsFile(userDir), 'utf8')) as unknown,
        )
      : {};
  } catch (err) {
    throw new Error(
      `${credentialsFile(userDir)} cannot be read with the key in ${stateFile(userDir)} (${(err as Error).message}): start afresh with npm start -- --reset`,
    );
  }

  const updatedTabs: string[] = [];
  for (const { tab, nodes, version } of tabs) {
    const present = flows.find((n) => n.id === tab.id && n.type === 'tab');
    if (present && versionOf(present) === version) continue;
    // Deleted by the user at this version: leave it deleted.
    if (!present && previous.tabs[tab.id] === version) continue;
    const at = present ? flows.indexOf(present) : flows.length;
    const kept = flows.filter((n) => n.id !== tab.id && n.z !== tab.id);
    const before = flows.slice(0, at).filter((n) => n.id !== tab.id && n.z !== tab.id).length;
    flows = [...kept.slice(0, before), tab, ...nodes, ...kept.slice(before)];
    updatedTabs.push(tab.id);
  }
  for (const config of configs) {
    const present = flows.find((n) => n.id === config.id);
    if (!present) {
      flows.push(config);
      if (seed.credentials[config.id]) credentials[config.id] = seed.credentials[config.id];
    } else if (
      present.type === ACCOUNT_TYPE &&
      typeof present.endpoint === 'string' &&
      LOCAL_SIMULATOR.test(present.endpoint)
    ) {
      // Still the demo's simulator (perhaps on another port this time): follow it. An account
      // pointed elsewhere, at the real service say, is the user's choice and stays.
      present.endpoint = endpoint;
    }
  }
  const state: DemoState = { credentialSecret: previous.credentialSecret, tabs: versions };
  writeJson(flowsFile(userDir), flows);
  writeJson(
    credentialsFile(userDir),
    encryptCredentials(state.credentialSecret, credentials),
    0o600,
  );
  writeJson(stateFile(userDir), state, 0o600);
  return { state, seeded: false, updatedTabs };
}
