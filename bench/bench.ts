// npm run bench: our action node against the alternatives, in one run, cases interleaved.
// First, against an instant server (a fixed reply at once, in its own process) at 8 concurrent
// calls: our call-action node in Node-RED against a raw keep-alive node:http client making the
// same call, calls/s and CPU per call in this process. Then, against the simulator:
//   (a) our iot-explorer-action node in a Node-RED runtime
//   (b) the hand-wired flow: a function node building the request, then core `http request`
//   (c) our HTTP transport called directly with the same body (what the node could reach)
//   (d) a raw node:http client with a keep-alive agent (the floor on this machine)
// BENCH_QUICK=1 for a smoke run; BENCH_ONLY=instant for the instant-server part alone. Needs
// --expose-gc (the npm script passes it).

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import type { Node } from 'node-red';
import { parseReply } from '../lib/api/envelope';
import { createHttpTransport } from '../lib/api/transport';
import {
  FlowDriver,
  MB,
  drive,
  heapAfterGc,
  median,
  percentile,
  startInstantServerProcess,
  startRuntime,
  startSimulatorProcess,
  type FlowNode,
  type SimulatorProcess,
} from './harness';

const QUICK = process.env.BENCH_QUICK === '1';
const REPS = QUICK ? 2 : 5;
const CALLS_AT_0MS = QUICK ? 600 : 3000;
/** With a device delay, a run lasts about this many round trips per worker. */
const ROUNDS_WITH_DELAY = QUICK ? 15 : 60;
const MEMORY_CALLS = Number(process.env.BENCH_MEMORY_CALLS ?? (QUICK ? 10_000 : 100_000));
const DELAYS = [0, 20];
const CONCURRENCIES = [1, 16, 64];
/** The account's in-flight limit is raised to the largest concurrency measured. */
const MAX_IN_FLIGHT = Math.max(...CONCURRENCIES);

/** The instant-server part: concurrency, calls per run, runs per case (interleaved). */
const INSTANT_CONCURRENCY = 8;
const INSTANT_CALLS = QUICK ? 2000 : 10_000;
const INSTANT_REPS = QUICK ? 3 : 7;
const ONLY_INSTANT = process.env.BENCH_ONLY === 'instant';

const TOKEN = 'demo-access-token';
const TARGET = { ProductId: 'LIGHT0A1B2', DeviceName: 'living_lamp', ActionId: 'light_blink' };
const INPUT = { time: 1, color: 1 };

type CaseId = 'a' | 'b' | 'c' | 'd';
const CASES: Record<CaseId, string> = {
  a: 'our action node',
  b: 'function + http request',
  c: 'our transport directly',
  d: 'raw node:http keep-alive',
};

interface Run {
  callsPerSecond: number;
  p50: number;
  p99: number;
  cpuUsPerCall: number;
  heapAfterGcMb: number;
  rssGrowthMb: number;
  sockets: number;
  failures: number;
}

/**
 * An account at `endpoint` (`acc<suffix>`), its call-action node (`act<suffix>`) wired to the
 * helper `output`, and that helper.
 */
function accountAndAction(
  suffix: string,
  name: string,
  endpoint: string,
  output: string,
): FlowNode[] {
  return [
    {
      id: `acc${suffix}`,
      type: 'iot-explorer-account',
      z: 'tab',
      name,
      endpoint,
      timeout: '10000',
      maxInFlight: String(MAX_IN_FLIGHT),
      maxQueue: '1000',
    },
    {
      id: `act${suffix}`,
      type: 'iot-explorer-action',
      z: 'tab',
      account: `acc${suffix}`,
      productId: TARGET.ProductId,
      deviceName: TARGET.DeviceName,
      actionId: TARGET.ActionId,
      wires: [[output]],
    },
    { id: output, type: 'helper', z: 'tab' },
  ];
}

function benchFlow(endpoint: string, instantEndpoint: string): FlowNode[] {
  const functionCode = `
msg.url = ${JSON.stringify(endpoint)};
msg.method = 'POST';
msg.headers = { 'Content-Type': 'application/json' };
msg.payload = {
  Action: 'AppCallDeviceActionSync',
  RequestId: Date.now().toString(36) + Math.random().toString(36).slice(2),
  AccessToken: ${JSON.stringify(TOKEN)},
  ProductId: ${JSON.stringify(TARGET.ProductId)},
  DeviceName: ${JSON.stringify(TARGET.DeviceName)},
  ActionId: ${JSON.stringify(TARGET.ActionId)},
  InputParams: JSON.stringify(msg.payload),
};
return msg;`;
  return [
    { id: 'tab', type: 'tab', label: 'bench' },
    ...accountAndAction('', 'bench', endpoint, 'outA'),
    ...accountAndAction('I', 'instant', instantEndpoint, 'outI'),
    // One catch node for both cases (the test helper loads the catch module once per catch node).
    { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['err']] },
    { id: 'err', type: 'helper', z: 'tab' },
    { id: 'fn', type: 'function', z: 'tab', func: functionCode, outputs: 1, wires: [['req']] },
    {
      id: 'req',
      type: 'http request',
      z: 'tab',
      method: 'use',
      ret: 'obj',
      url: '',
      persist: true,
      wires: [['outB']],
    },
    { id: 'outB', type: 'helper', z: 'tab' },
  ];
}

function requestBody(): string {
  return JSON.stringify({
    ...TARGET,
    InputParams: JSON.stringify(INPUT),
    Action: 'AppCallDeviceActionSync',
    RequestId: randomUUID(),
    AccessToken: TOKEN,
  });
}

async function main(): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc) {
    process.stderr.write('note: run with node --expose-gc for heap figures after GC\n');
  }
  const sim: SimulatorProcess = await startSimulatorProcess();
  const instant = await startInstantServerProcess();
  const runtime = await startRuntime(benchFlow(sim.tokenapiUrl, instant.tokenapiUrl), {
    acc: { accessToken: TOKEN },
    accI: { accessToken: TOKEN },
  });
  const driverA = new FlowDriver(runtime.getNode('act'), [
    { node: runtime.getNode('outA'), ok: true },
    { node: runtime.getNode('err'), ok: false },
  ]);
  const driverB = new FlowDriver(runtime.getNode('fn'), [
    { node: runtime.getNode('outB'), ok: true },
    { node: runtime.getNode('err'), ok: false },
  ]);
  const transport = createHttpTransport({ maxSockets: MAX_IN_FLIGHT });
  const endpoint = new URL(sim.tokenapiUrl);
  const rawAgent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  let sequence = 0;

  const instantLines = await instantPart(runtime, new URL(instant.tokenapiUrl));
  if (ONLY_INSTANT) {
    process.stdout.write(`${instantLines.join('\n')}\n`);
    rawAgent.destroy();
    transport.close();
    await runtime.stop();
    await instant.stop();
    await sim.stop();
    return;
  }

  const callers: Record<CaseId, () => Promise<boolean>> = {
    a: () => driverA.send({ payload: { ...INPUT } }, `a${(sequence += 1)}`),
    b: async () => {
      const ok = await driverB.send({ payload: { ...INPUT } }, `b${(sequence += 1)}`);
      return ok;
    },
    c: async () => {
      const body = requestBody();
      const response = await transport.post({ url: endpoint, body, timeoutMs: 10000 });
      parseReply(response.body, '');
      return response.status === 200;
    },
    d: () => rawCall(endpoint, rawAgent),
  };

  async function runCase(id: CaseId, calls: number, concurrency: number): Promise<Run> {
    await sim.control('POST', 'reset');
    heapAfterGc();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 20);
    let failures = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const latencies = await drive(calls, concurrency, async () => {
      if (!(await callers[id]())) failures += 1;
    });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    const stats = await sim.control('GET', 'stats');
    latencies.sort();
    return {
      callsPerSecond: (calls / wallMs) * 1000,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      cpuUsPerCall: (cpu.user + cpu.system) / calls,
      heapAfterGcMb: heapAfterGc() / MB,
      rssGrowthMb: (rssPeak - rssBefore) / MB,
      // Minus the control connection that fetch() opened for the reset.
      sockets: Math.max(0, Number(stats.socketsOpened) - 1),
      failures,
    };
  }

  const ids = Object.keys(CASES) as CaseId[];
  process.stderr.write('warming up…\n');
  for (const id of ids) await runCase(id, QUICK ? 200 : 1000, 16);

  const results = new Map<string, Run[]>();
  const key = (delay: number, concurrency: number, id: CaseId): string =>
    `${delay}|${concurrency}|${id}`;
  const benchStarted = performance.now();
  for (let rep = 0; rep < REPS; rep++) {
    for (const delay of DELAYS) {
      await sim.control('POST', 'device-delay', { ms: delay });
      for (const concurrency of CONCURRENCIES) {
        const calls = delay === 0 ? CALLS_AT_0MS : concurrency * ROUNDS_WITH_DELAY;
        // Rotate the order so that no case always runs first or last.
        const order = ids.map((_, i) => ids[(i + rep) % ids.length]);
        for (const id of order) {
          const run = await runCase(id, calls, concurrency);
          const list = results.get(key(delay, concurrency, id)) ?? [];
          list.push(run);
          results.set(key(delay, concurrency, id), list);
        }
      }
    }
    process.stderr.write(`repetition ${rep + 1}/${REPS} done\n`);
  }
  await sim.control('POST', 'device-delay', { ms: 0 });

  // Memory: many calls through our node, heap after GC before and after.
  process.stderr.write(`memory: ${MEMORY_CALLS} calls through the action node…\n`);
  const heapBefore = heapAfterGc();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 50);
  await sim.control('POST', 'reset');
  let memoryFailures = 0;
  await drive(MEMORY_CALLS, 16, async () => {
    if (!(await callers.a())) memoryFailures += 1;
  });
  clearInterval(sampler);
  const memoryStats = await sim.control('GET', 'stats');
  // Let the status throttle's last repaint run, then measure.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const heapAfter = heapAfterGc();

  const med = (runs: Run[], pick: (r: Run) => number): number => median(runs.map(pick));
  const lines: string[] = [...instantLines, ''];
  const print = (line: string): void => {
    lines.push(line);
  };
  print(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}; ${REPS} repetitions, medians; ` +
      `in-flight limit ${MAX_IN_FLIGHT}; ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`,
  );
  print('');
  print(
    '| delay | conc | case | calls/s | p50 ms | p99 ms | CPU µs/call | heap after GC MB | peak RSS growth MB | sockets opened | failures |',
  );
  print('|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const ratios: string[] = [];
  for (const delay of DELAYS) {
    for (const concurrency of CONCURRENCIES) {
      const rate: Partial<Record<CaseId, number>> = {};
      for (const id of ids) {
        const runs = results.get(key(delay, concurrency, id)) ?? [];
        rate[id] = med(runs, (r) => r.callsPerSecond);
        print(
          `| ${delay} ms | ${concurrency} | (${id}) ${CASES[id]} | ${rate[id]?.toFixed(0)} | ` +
            `${med(runs, (r) => r.p50).toFixed(2)} | ${med(runs, (r) => r.p99).toFixed(2)} | ` +
            `${med(runs, (r) => r.cpuUsPerCall).toFixed(0)} | ${med(runs, (r) => r.heapAfterGcMb).toFixed(1)} | ` +
            `${med(runs, (r) => r.rssGrowthMb).toFixed(1)} | ${Math.max(...runs.map((r) => r.sockets))} | ` +
            `${runs.reduce((sum, r) => sum + r.failures, 0)} |`,
        );
      }
      const a = rate.a ?? 0;
      ratios.push(
        `| ${delay} ms | ${concurrency} | ${(a / (rate.b ?? 1)).toFixed(2)} | ${(a / (rate.c ?? 1)).toFixed(2)} | ${(a / (rate.d ?? 1)).toFixed(2)} |`,
      );
    }
  }
  print('');
  print(
    'Ratios of calls/s (targets: a/c ≥ 0.85 and a/b ≥ 1.3 at 0 ms, conc 16; a/d ≥ 0.95 at 20 ms):',
  );
  print('');
  print('| delay | conc | a/b | a/c | a/d |');
  print('|---:|---:|---:|---:|---:|');
  for (const line of ratios) print(line);
  print('');
  print(
    `Memory, ${MEMORY_CALLS} calls through (a) at concurrency 16: heap after GC ` +
      `${(heapBefore / MB).toFixed(1)} → ${(heapAfter / MB).toFixed(1)} MB ` +
      `(${((heapAfter - heapBefore) / MB).toFixed(2)} MB; target ≤ 2 MB), peak RSS growth ` +
      `${((rssPeak - rssBefore) / MB).toFixed(1)} MB, sockets opened ${Math.max(0, Number(memoryStats.socketsOpened) - 1)}, failures ${memoryFailures}.`,
  );
  print(
    'Sockets opened: the maximum per run, as counted by the simulator (≤ concurrency = keep-alive works).',
  );
  process.stdout.write(`${lines.join('\n')}\n`);

  transport.close();
  rawAgent.destroy();
  await runtime.stop();
  await instant.stop();
  await sim.stop();
}

/** The same call as the node's, by hand: a raw keep-alive node:http client, reply parsed. */
function rawCall(endpoint: URL, agent: http.Agent): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const body = requestBody();
    const request = http.request(endpoint, {
      method: 'POST',
      agent,
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      },
    });
    request.on('error', () => resolve(false));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(response.statusCode === 200);
      });
      response.on('error', () => resolve(false));
    });
    request.end(body);
  });
}

interface InstantRun {
  callsPerSecond: number;
  cpuUsPerCall: number;
  failures: number;
}

/**
 * The call-action node against a raw keep-alive node:http client, both calling the instant
 * server at {@link INSTANT_CONCURRENCY} concurrent calls, runs interleaved in alternating order.
 * Returns the lines to print: every run, then the medians and their ratios.
 */
async function instantPart(
  runtime: { getNode(id: string): Node },
  endpoint: URL,
): Promise<string[]> {
  const driver = new FlowDriver(runtime.getNode('actI'), [
    { node: runtime.getNode('outI'), ok: true },
    { node: runtime.getNode('err'), ok: false },
  ]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  let sequence = 0;
  const callers = {
    node: () => driver.send({ payload: { ...INPUT } }, `i${(sequence += 1)}`),
    raw: () => rawCall(endpoint, agent),
  };
  type Which = keyof typeof callers;
  const run = async (which: Which, calls: number): Promise<InstantRun> => {
    heapAfterGc();
    let failures = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await drive(calls, INSTANT_CONCURRENCY, async () => {
      if (!(await callers[which]())) failures += 1;
    });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      callsPerSecond: (calls / wallMs) * 1000,
      cpuUsPerCall: (cpu.user + cpu.system) / calls,
      failures,
    };
  };
  const loadBefore = os.loadavg();
  process.stderr.write('instant server: warming up…\n');
  for (const which of ['node', 'raw', 'node', 'raw'] as const) await run(which, INSTANT_CALLS / 2);
  const runs: Record<Which, InstantRun[]> = { node: [], raw: [] };
  for (let rep = 0; rep < INSTANT_REPS; rep++) {
    const order: Which[] = rep % 2 === 0 ? ['node', 'raw'] : ['raw', 'node'];
    for (const which of order) runs[which].push(await run(which, INSTANT_CALLS));
    process.stderr.write(`instant server: repetition ${rep + 1}/${INSTANT_REPS} done\n`);
  }
  agent.destroy();
  const m = (which: Which, pick: (r: InstantRun) => number): number =>
    median(runs[which].map(pick));
  const lines = [
    `Instant server (its own process), ${INSTANT_CONCURRENCY} concurrent calls, ${INSTANT_CALLS} calls a run, ` +
      `${INSTANT_REPS} runs per case interleaved; CPU is this process's (Node-RED and the client); ` +
      `load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
    '',
    '| case | calls/s (median) | CPU µs/call (median) | calls/s, each run | failures |',
    '|---|---:|---:|---|---:|',
  ];
  const label: Record<Which, string> = {
    node: 'call-action node (Node-RED)',
    raw: 'raw node:http keep-alive',
  };
  for (const which of ['node', 'raw'] as const) {
    lines.push(
      `| ${label[which]} | ${m(which, (r) => r.callsPerSecond).toFixed(0)} | ` +
        `${m(which, (r) => r.cpuUsPerCall).toFixed(0)} | ` +
        `${runs[which].map((r) => r.callsPerSecond.toFixed(0)).join(', ')} | ` +
        `${runs[which].reduce((sum, r) => sum + r.failures, 0)} |`,
    );
  }
  const rateRatio = m('node', (r) => r.callsPerSecond) / m('raw', (r) => r.callsPerSecond);
  const cpuRatio = m('node', (r) => r.cpuUsPerCall) / m('raw', (r) => r.cpuUsPerCall);
  // Each repetition runs the two cases back to back: their ratio shares that moment's load,
  // which a shared machine changes from one minute to the next.
  const paired = (pick: (r: InstantRun) => number): number =>
    median(runs.node.map((run, i) => pick(run) / pick(runs.raw[i] ?? run)));
  lines.push(
    '',
    `Node / raw: **${rateRatio.toFixed(2)}×** the raw client's calls per second (target ≥ 0.7; ` +
      `median of the per-repetition ratios ${paired((r) => r.callsPerSecond).toFixed(2)}×), ` +
      `${cpuRatio.toFixed(2)}× its CPU per call (per repetition ${paired((r) => r.cpuUsPerCall).toFixed(2)}×); ` +
      `load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}.`,
  );
  return lines;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
