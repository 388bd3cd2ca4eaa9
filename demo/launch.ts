import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { encryptCredentials, type Credentials } from './credentials';

/** The checkout's root: Node-RED loads our nodes from here, as a palette install would from npm. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME = '@homeflow/node-red-tencent-iot-explorer';
/** The Dashboard 2 companion package (the device panel), in its own folder of the checkout. */
export const COMPANION_PACKAGE = '@homeflow/node-red-dashboard-2-tencent-iot-explorer';
export const COMPANION_ROOT = path.join(PROJECT_ROOT, 'node-red-dashboard-2-tencent-iot-explorer');

/**
 * The Node-RED package folder that the demo and every test run: NODE_RED_PATH when set (CI's
 * Node-RED 5, installed by scripts/test-node-red-5.sh), else our devDependency. Read here only.
 */
export const NODE_RED_DIR = process.env.NODE_RED_PATH
  ? path.resolve(process.env.NODE_RED_PATH)
  : path.dirname(require.resolve('node-red/package.json', { paths: [PROJECT_ROOT] }));

/**
 * The Node-RED version a run was asked for (NODE_RED_EXPECT_VERSION, e.g. `5.0`): a runtime that
 * reports another one stops the run instead of passing on the wrong line.
 */
export const EXPECTED_NODE_RED_VERSION = process.env.NODE_RED_EXPECT_VERSION ?? '';

/**
 * A folder where each Node-RED started here also writes its whole output (NODE_RED_LOG_DIR), so
 * that scripts/test-node-red-5.sh can check the runtime's log for warnings about this package.
 */
const NODE_RED_LOG_DIR = process.env.NODE_RED_LOG_DIR ?? '';

/**
 * Whether `version` (e.g. `5.0.7`) is `expected` itself or within it (`5`, `5.0`). Node-RED adds
 * `-git` to its version when it sits in a git checkout (ours, as a devDependency): not a release.
 */
export function versionMatches(version: string, expected: string): boolean {
  const release = version.replace(/-git$/, '');
  return release === expected || release.startsWith(expected + '.');
}

/** A module of that Node-RED's own (its core nodes, runtime parts), resolved from its folder. */
export function resolveFromNodeRed(id: string): string {
  return require.resolve(id, { paths: [NODE_RED_DIR] });
}
const ACCOUNT_TYPE = 'iot-explorer-account';

/**
 * The shared secret the demo gives Node-RED as UNLOCK_SECRET, which the "Unlock the door" example
 * asks callers for: a local simulator only, never a value for a real door.
 */
export const DEMO_UNLOCK_SECRET = 'demo-unlock-secret';

type FlowNode = Record<string, unknown> & { id: string; type: string };

export interface UserDirOptions {
  userDir: string;
  /** The tokenapi URL every account node in the flows is pointed at. */
  endpoint: string;
  /** Written as each account's credential in flows_cred.json. */
  accessToken: string;
  /** Example files (names in examples/) merged into the flows; all when omitted. */
  examples?: string[];
  /**
   * Language of the runtime's log, e.g. 'zh-CN'. Not the editor's: the editor follows the
   * browser's language, or its own User settings → View → Language.
   */
  lang?: string;
  /**
   * Encrypts flows_cred.json with this key (Node-RED's `credentialSecret`); without it the
   * credentials are written in clear, for tests only.
   */
  credentialSecret?: string;
  /** Node module folders Node-RED must not load, e.g. `node-red-dashboard` (`nodesExcludes`). */
  nodesExcludes?: string[];
  /** Leaves flows.json and flows_cred.json as they are (the demo keeps a user's flows). */
  keepFlows?: boolean;
  /** Editor and admin API users; without it the admin API is open (Node-RED's default). */
  adminAuth?: AdminUser[];
  /** `iotExplorerAllowedOrigins`: origins besides Node-RED's own (a reverse proxy's). */
  allowedOrigins?: string[];
  /**
   * false leaves Node-RED's own admin API and endpoints without the cross-site guard: for a test
   * of the package's routes alone. The demo always has it.
   */
  guardNodeRed?: boolean;
}

/**
 * The package's cross-site guard (lib/admin/cross-site.ts) as settings.js requires it: through
 * the package as installed in the user directory, as a user's own settings.js would.
 */
export const CROSS_SITE_MODULE = `${PACKAGE_NAME}/dist/lib/admin/cross-site.js`;

/**
 * The demo's settings.js. Its admin API is open (no adminAuth), so the package's cross-site rule
 * guards Node-RED's own admin API and its HTTP endpoints too (httpAdminMiddleware,
 * httpNodeMiddleware): no other site's page can post to them, while the editor, the dashboard,
 * links to either and curl (which sends no Origin) work as before.
 */
export function demoSettings(options: UserDirOptions): string {
  const settings = {
    uiHost: '127.0.0.1',
    flowFile: 'flows.json',
    credentialSecret: options.credentialSecret ?? false,
    nodesExcludes: options.nodesExcludes,
    lang: options.lang,
    adminAuth: options.adminAuth && { type: 'credentials', users: options.adminAuth },
    diagnostics: { enabled: false },
    telemetry: { enabled: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    editorTheme: { tours: false, projects: { enabled: false } },
    logging: { console: { level: 'info', metrics: false, audit: false } },
  };
  const json = (value: unknown): string => JSON.stringify(value, null, 2);
  return `// Written by the demo (demo/launch.ts).
const { crossSiteGuard } = require(${JSON.stringify(CROSS_SITE_MODULE)});

// Origins besides Node-RED's own whose pages may call it: a reverse proxy's, e.g.
// 'https://home.example.com'. Another site's pages are refused whatever is listed here.
const iotExplorerAllowedOrigins = ${json(options.allowedOrigins ?? [])};
const refuseCrossSite = crossSiteGuard({
  allowedOrigins: iotExplorerAllowedOrigins,
  allowNavigation: true,
});

module.exports = {
  ...${json(settings).replace(/\n/g, '\n  ')},
  iotExplorerAllowedOrigins,${
    options.guardNodeRed === false
      ? ''
      : `
  httpAdminMiddleware: refuseCrossSite,
  httpNodeMiddleware: refuseCrossSite,`
  }
};
`;
}

/** A user of Node-RED's `adminAuth` (type "credentials"). */
export interface AdminUser {
  username: string;
  /** A bcrypt hash of the password, as Node-RED's settings.js wants it. */
  password: string;
  /** '*' for everything, 'read' for read-only, or a list of permissions. */
  permissions: string | string[];
}

/** The examples in the editor's Import menu (shipped in the package). */
export const EXAMPLES_DIR = path.join(PROJECT_ROOT, 'examples');
/**
 * The companion's examples: those that need FlowFuse Dashboard 2. They ship with the companion,
 * which is installed only beside Dashboard 2, since a flow with a node type Node-RED does not know
 * stops every flow of Node-RED.
 */
export const COMPANION_EXAMPLES_DIR = path.join(COMPANION_ROOT, 'examples');

/** An example file by name: in this package's examples/, else in the companion's. */
export function examplePath(file: string): string {
  const shipped = path.join(EXAMPLES_DIR, file);
  return fs.existsSync(shipped) ? shipped : path.join(COMPANION_EXAMPLES_DIR, file);
}

/** The file names of the examples in the Import menu, in order. */
export function shippedExamples(): string[] {
  return fs
    .readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/**
 * The example flows (names in examples/ or the companion's examples/; those of the Import menu
 * when omitted), each account node redirected to `endpoint`. Accounts shared by id merge; the
 * module hints (`global-config`) are left out, as Node-RED's import leaves them.
 */
export function demoFlows(endpoint: string, examples?: string[]): FlowNode[] {
  const files = examples ?? shippedExamples();
  const byId = new Map<string, FlowNode>();
  for (const file of files) {
    for (const node of JSON.parse(fs.readFileSync(examplePath(file), 'utf8')) as FlowNode[]) {
      if (node.type === 'global-config') continue;
      byId.set(
        node.id,
        node.type === ACCOUNT_TYPE ? { ...node, endpoint, name: 'Demo home (simulator)' } : node,
      );
    }
  }
  return [...byId.values()];
}

/** Each account node of `flows` with `accessToken` as its credential. */
export function accountCredentials(flows: FlowNode[], accessToken: string): Credentials {
  return Object.fromEntries(
    flows.filter((n) => n.type === ACCOUNT_TYPE).map((n) => [n.id, { accessToken }]),
  );
}

/** Writes flows_cred.json: encrypted with `secret` when given, in clear (tests) when not. */
export function writeCredentials(userDir: string, credentials: Credentials, secret?: string): void {
  const content = secret ? encryptCredentials(secret, credentials) : credentials;
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(content, null, 2), {
    mode: 0o600,
  });
}

/**
 * Lays out a Node-RED user directory with both packages linked in, the flows and the
 * credentials. Both are direct dependencies in its package.json, as a palette install leaves
 * them: Dashboard 2 looks for widgets only among those (the companion's device panel).
 */
export function prepareUserDir(options: UserDirOptions): void {
  const { userDir } = options;
  fs.mkdirSync(path.join(userDir, 'node_modules', '@homeflow'), { recursive: true });
  const packages = { [PACKAGE_NAME]: PROJECT_ROOT, [COMPANION_PACKAGE]: COMPANION_ROOT };
  for (const [name, folder] of Object.entries(packages)) {
    const link = path.join(userDir, 'node_modules', name);
    fs.rmSync(link, { force: true, recursive: true });
    fs.symlinkSync(folder, link, 'dir');
  }
  fs.writeFileSync(
    path.join(userDir, 'package.json'),
    JSON.stringify(
      {
        name: 'node-red-demo',
        private: true,
        dependencies: Object.fromEntries(
          Object.entries(packages).map(([name, folder]) => [name, 'file:' + folder]),
        ),
      },
      null,
      2,
    ),
  );
  if (!options.keepFlows) {
    const flows = demoFlows(options.endpoint, options.examples);
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
    writeCredentials(
      userDir,
      accountCredentials(flows, options.accessToken),
      options.credentialSecret,
    );
  }
  fs.writeFileSync(path.join(userDir, 'settings.js'), demoSettings(options));
}

export interface NodeRedInstance {
  url: string;
  /** The version the runtime logged on start, e.g. `5.0.7`. */
  version: string;
  process: ChildProcess;
  /** Everything Node-RED printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts Node-RED ({@link NODE_RED_DIR}) on 127.0.0.1 with this process's Node; resolves once
 * its flows have started, and refuses a runtime of another version than the one asked for.
 * Node-RED also loads the node packages in the node_modules folders above its own install: so
 * the checkout's FlowFuse Dashboard 2 (a dev dependency, for the companion) is loaded too.
 */
export function startNodeRed(
  userDir: string,
  port: number,
  options: {
    echo?: boolean;
    timeoutMs?: number;
    /** Environment variables added to this process's for Node-RED, e.g. UNLOCK_SECRET. */
    env?: Record<string, string>;
    /** Each piece of Node-RED's output, as it arrives (the demo writes it to its log file). */
    onOutput?: (text: string) => void;
  } = {},
): Promise<NodeRedInstance> {
  const redJs = path.join(NODE_RED_DIR, 'red.js');
  const child = spawn(
    process.execPath,
    [
      redJs,
      '--userDir',
      userDir,
      '--settings',
      path.join(userDir, 'settings.js'),
      '--port',
      String(port),
    ],
    {
      cwd: userDir,
      env: { ...process.env, ...options.env, NODE_RED_ENABLE_TOURS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const logFile = NODE_RED_LOG_DIR ? path.join(NODE_RED_LOG_DIR, `node-red-${child.pid}.log`) : '';
  return new Promise((resolve, reject) => {
    let url = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`Node-RED did not start within ${options.timeoutMs ?? 60000} ms:\n${output}`),
      );
    }, options.timeoutMs ?? 60000);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      output += text;
      if (logFile) fs.appendFileSync(logFile, text);
      if (options.echo) process.stdout.write(text);
      options.onOutput?.(text);
      // The log is in the runtime's language: match the URL itself and both texts of "Started flows".
      const running = /Server now running at (http:\/\/[^\s]+)|(http:\/\/127\.0\.0\.1:\d+\/)/.exec(
        output,
      );
      if (running) url = (running[1] ?? running[2]).replace(/\/$/, '');
      if (url && /Started flows|流程已启动/.test(output)) {
        clearTimeout(timer);
        // "Node-RED version: v5.0.7" in any language ("Node-RED 版本： v5.0.7").
        const version = /Node-RED [^\n]*?v(\d+\.\d+\.\d+\S*)/.exec(output)?.[1] ?? '';
        if (EXPECTED_NODE_RED_VERSION && !versionMatches(version, EXPECTED_NODE_RED_VERSION)) {
          child.kill('SIGKILL');
          reject(
            new Error(
              `Node-RED ${version || '(version not logged)'} started, ${EXPECTED_NODE_RED_VERSION} was asked for (NODE_RED_EXPECT_VERSION)`,
            ),
          );
          return;
        }
        resolve({
          url,
          version,
          process: child,
          output: () => output,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 5000).unref();
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Node-RED exited with code ${code}:\n${output}`));
    });
  });
}
