// Shared by the benchmark and the soak run: the simulator in its own process, a Node-RED runtime
// in this one (node-red-node-test-helper), and a driver that keeps N messages outstanding.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Node } from 'node-red';
import helper from 'node-red-node-test-helper';
import accountNode from '../nodes/iot-explorer-account/iot-explorer-account';
import actionNode from '../nodes/iot-explorer-action/iot-explorer-action';

export interface SimulatorProcess {
  /** 'http://127.0.0.1:PORT' */
  url: string;
  tokenapiUrl: string;
  /** Calls a control endpoint under /_sim and returns its JSON answer. */
  control(method: string, route: string, body?: unknown): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * Runs `node <args>` and waits for the line `<name> listening on <URL>` on its stdout. Returns
 * the URL and a stop that ends the process (SIGTERM) and waits for it.
 */
async function spawnServer(
  name: string,
  args: string[],
): Promise<{ tokenapiUrl: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const listening = new RegExp(`${name} listening on (\\S+)`);
  const tokenapiUrl = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`the ${name} did not start`)), 15000);
    child.once('exit', (code) => reject(new Error(`the ${name} exited with ${String(code)}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = listening.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return {
    tokenapiUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Starts `node dist/simulator/cli.js --port 0 --quiet` and reads its URL from the first line. */
export async function startSimulatorProcess(extraArgs: string[] = []): Promise<SimulatorProcess> {
  const cli = path.join(__dirname, '..', 'simulator', 'cli.js');
  const { tokenapiUrl, stop } = await spawnServer('simulator', [
    cli,
    '--port',
    '0',
    '--quiet',
    '--record-limit',
    '1000',
    ...extraArgs,
  ]);
  const url = new URL(tokenapiUrl).origin;
  return {
    url,
    tokenapiUrl,
    async control(method, route, body) {
      const response = await fetch(`${url}/_sim/${route}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await response.json()) as Record<string, unknown>;
    },
    stop,
  };
}

/**
 * The instant server's program: answers every POST, once its body is in, with one fixed
 * successful action reply, at once; keep-alive as Node's http server does by default. It does
 * the least a server can, so that the client's own cost is what a run measures.
 */
const INSTANT_SERVER = `
const http = require('node:http');
const reply = Buffer.from(JSON.stringify({ Response: {
  RequestId: 'instant', ClientToken: 'instant-client-token', Status: 'succ',
  OutputParams: JSON.stringify({ err_code: 0 }) } }));
let requests = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    requests += 1;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': reply.length });
    res.end(reply);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write('instant server listening on http://127.0.0.1:' + server.address().port + '/api/exploreropen/tokenapi\\n');
});
process.on('SIGTERM', () => { process.stdout.write('requests ' + requests + '\\n'); process.exit(0); });
`;

export interface InstantServerProcess {
  tokenapiUrl: string;
  stop: () => Promise<void>;
}

/** Starts the instant server in its own process (its CPU is not this process's). */
export function startInstantServerProcess(): Promise<InstantServerProcess> {
  return spawnServer('instant server', ['-e', INSTANT_SERVER]);
}

export type FlowNode = Record<string, unknown> & { id: string; type: string };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const coreNode = (file: string): unknown => require(`@node-red/nodes/core/${file}`);

const SPIED_METHODS = ['log', 'status', 'warn', 'error', 'debug', 'trace', 'send'];

export interface RuntimeOptions {
  /** More node modules to load (e.g. the watch node), beside the default ones. */
  nodes?: unknown[];
  /** Runtime settings (settings.js), e.g. `iotExplorerWatchMinInterval`. */
  settings?: Record<string, unknown>;
}

/** Starts a Node-RED runtime with our nodes and the core function, http request and catch nodes. */
export async function startRuntime(
  flow: FlowNode[],
  credentials: Record<string, unknown>,
  options: RuntimeOptions = {},
): Promise<{ getNode(id: string): Node; stop(): Promise<void> }> {
  helper.init(require.resolve('node-red'), options.settings as Parameters<typeof helper.init>[1]);
  await new Promise<void>((resolve) => helper.startServer(resolve));
  // The helper wraps Node's methods in sinon spies that keep every call (with an Error for its
  // stack): fine for a test, but a cost per message and a leak over 100k. Keep the real ones.
  const internals = helper as unknown as {
    _NodePrototype: Record<string, unknown>;
    _sandbox: { restore(): void };
  };
  const proto = internals._NodePrototype;
  const originals = SPIED_METHODS.map((name) => [name, proto[name]] as const);
  await helper.load(
    [
      accountNode,
      actionNode,
      coreNode('function/10-function.js'),
      coreNode('network/21-httprequest.js'),
      coreNode('common/25-catch.js'),
      ...(options.nodes ?? []),
    ] as Parameters<typeof helper.load>[0],
    flow,
    credentials,
  );
  // A node copies `send` from the prototype when it is created: swap those copies too.
  const spiedSend = proto.send;
  internals._sandbox.restore();
  for (const [name, original] of originals) proto[name] = original;
  for (const { id } of flow) {
    const node = helper.getNode(id) as (Node & Record<string, unknown>) | null;
    if (node && node.send === spiedSend) node.send = proto.send as Node['send'];
  }
  return {
    getNode: (id) => helper.getNode(id),
    async stop() {
      await helper.unload();
      await new Promise<void>((resolve) => helper.stopServer(resolve));
    },
  };
}

export type Message = Record<string, unknown> & { _msgid?: string };

/**
 * Sends messages into a node and resolves each one when it reaches one of the `ends` nodes
 * (an output helper or a catch node's helper). Messages are matched by their `_msgid`, which
 * Node-RED keeps when it passes a message on.
 */
export class FlowDriver {
  private readonly pending = new Map<string, (ok: boolean) => void>();

  constructor(
    private readonly input: Node,
    ends: { node: Node; ok: boolean }[],
  ) {
    for (const end of ends) {
      end.node.on('input', (msg: Message) => {
        const id = msg._msgid;
        const resolve = id === undefined ? undefined : this.pending.get(id);
        if (resolve && id !== undefined) {
          this.pending.delete(id);
          resolve(end.ok);
        }
      });
    }
  }

  /** Resolves true for an output, false for a caught error. */
  send(msg: Message, id: string): Promise<boolean> {
    msg._msgid = id;
    return new Promise<boolean>((resolve) => {
      this.pending.set(id, resolve);
      this.input.receive(msg);
    });
  }
}

/** Runs `total` calls of `one`, at most `concurrency` at a time; returns each call's latency (ms). */
export async function drive(
  total: number,
  concurrency: number,
  one: (index: number) => Promise<unknown>,
): Promise<Float64Array> {
  const latencies = new Float64Array(total);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < total) {
      const index = next;
      next += 1;
      const started = performance.now();
      await one(index);
      latencies[index] = performance.now() - started;
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, () => worker()));
  return latencies;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Runs a full GC when node was started with --expose-gc; returns the heap in use after it. */
export function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

export const MB = 1024 * 1024;
