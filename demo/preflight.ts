import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from './launch';

/**
 * What `npm start` checks and tells before it touches anything: the demo's ports, its options,
 * where its files are. scripts/start-demo.js calls this module (from the last build) before
 * `npm run build`, so that a second `npm start` says which port is taken instead of rebuilding
 * dist/ under the demo that holds it.
 */

/** The demo's ports, and the variable that moves each one. */
export const DEMO_PORTS = [
  { name: 'Node-RED', variable: 'NODE_RED_PORT', defaultPort: 1880 },
  { name: 'the simulator', variable: 'SIMULATOR_PORT', defaultPort: 8700 },
] as const;

export interface DemoOptions {
  /** `--reset`: start again from the demo's own flows, dropping the user's. */
  reset: boolean;
  /** `--verbose` or DEMO_VERBOSE=1: echo Node-RED's whole log and every simulator request. */
  verbose: boolean;
  /** `--info`: print the running (or last) demo's addresses and exit. */
  info: boolean;
  help: boolean;
  nodeRedPort: number;
  simulatorPort: number;
  /** DEMO_USER_DIR, else `.demo/` in the checkout. */
  userDir: string;
  /** NODE_RED_LANG: the language of Node-RED's log (not the editor's). */
  lang: string | undefined;
}

export const USAGE = `Usage: npm start [-- options]

  --reset     start again from the demo's own flows (your flows and credentials in the
              demo's folder are replaced)
  --verbose   show Node-RED's whole log and every simulator request (also DEMO_VERBOSE=1)
  --info      print the addresses of the running (or last) demo again, and exit
  --help      this text

Environment: NODE_RED_PORT (1880), SIMULATOR_PORT (8700), 0 for a free port;
DEMO_USER_DIR (the Node-RED user directory, .demo/ in the checkout);
NODE_RED_LANG (the language of Node-RED's log, e.g. zh-CN; the editor follows the
browser's language, or its own User settings → View → Language).`;

/** Reads the demo's options from its arguments and environment; throws on a bad value. */
export function demoOptions(
  args: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): DemoOptions {
  const known = ['--reset', '--verbose', '--info', '--help', '-h'];
  const unknown = args.filter((a) => !known.includes(a));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(' ')}\n\n${USAGE}`);
  const port = (variable: string, fallback: number): number => {
    const raw = env[variable];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      throw new Error(`${variable}=${raw} is not a port number (0 to 65535; 0 for a free one)`);
    }
    return value;
  };
  return {
    reset: args.includes('--reset'),
    verbose: args.includes('--verbose') || env.DEMO_VERBOSE === '1',
    info: args.includes('--info'),
    help: args.includes('--help') || args.includes('-h'),
    nodeRedPort: port(DEMO_PORTS[0].variable, DEMO_PORTS[0].defaultPort),
    simulatorPort: port(DEMO_PORTS[1].variable, DEMO_PORTS[1].defaultPort),
    userDir: env.DEMO_USER_DIR ? path.resolve(env.DEMO_USER_DIR) : path.join(PROJECT_ROOT, '.demo'),
    lang: env.NODE_RED_LANG || undefined,
  };
}

/** Whether something already listens on 127.0.0.1:port (0 is never taken). */
export function portTaken(port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/** What to tell a user whose port is taken: which one, and which variable moves it. */
export function portTakenMessage(name: string, variable: string, port: number): string {
  return [
    `Port ${port} (${name}) is taken on 127.0.0.1: is the demo already running?`,
    `  npm start -- --info        prints the running demo's addresses`,
    `  ${variable}=0 npm start    starts another one on a free port (or choose one, e.g. ${variable}=${port + 1})`,
  ].join('\n');
}

/** The message for the first of the demo's ports that is taken, or undefined when all are free. */
export async function portsProblem(options: DemoOptions): Promise<string | undefined> {
  const ports = [options.nodeRedPort, options.simulatorPort];
  for (let i = 0; i < DEMO_PORTS.length; i++) {
    if (await portTaken(ports[i])) {
      return portTakenMessage(DEMO_PORTS[i].name, DEMO_PORTS[i].variable, ports[i]);
    }
  }
  return undefined;
}

/** The file where the demo writes what its banner says, for `npm start -- --info`. */
export function infoFile(userDir: string): string {
  return path.join(userDir, 'demo-info.txt');
}

/** The last demo's banner, or a line saying none has run in that folder. */
export function readInfo(userDir: string): string {
  try {
    return fs.readFileSync(infoFile(userDir), 'utf8');
  } catch {
    return `No demo has run with the user directory ${userDir} yet: npm start starts one.\n`;
  }
}

/**
 * The start script's part before the build: `--help` and `--info` print and end (true), a
 * taken port ends with its message (exit code 1), anything else goes on to the build (false).
 */
export async function beforeBuild(args: readonly string[]): Promise<boolean> {
  let options: DemoOptions;
  try {
    options = demoOptions(args);
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
    return true;
  }
  if (options.help) {
    console.log(USAGE);
    return true;
  }
  if (options.info) {
    process.stdout.write(readInfo(options.userDir));
    return true;
  }
  const problem = await portsProblem(options);
  if (problem) {
    console.error(problem);
    process.exitCode = 1;
    return true;
  }
  return false;
}
