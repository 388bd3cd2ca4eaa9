// npm run bench:push: the watch node over the account's push socket against polling (issue 10,
// "How it is measured"). Three parts; with no part flag all three run:
//   --latency   change-to-message latency (property report, event, online change), push and poll
//   --calls     API calls an hour for 20 watched devices in steady state, push and poll
//   --soak      200 devices reporting every second for --minutes N (default 10): heap after GC,
//               active handles and sockets every 30 s, messages received against reports sent
// Other options: --samples N (push, per kind; 200), --poll-samples N (per kind; 20),
// --poll-interval S (5), --window S (calls part, per mode; 150), --minutes N (10).
// The simulator runs in this process (startSimulator) on 127.0.0.1, and so does Node-RED
// (node-red-node-test-helper, spies removed as in bench.ts). Figures only: no timing decides
// the exit code; the script says whether each target is met. Needs --expose-gc.

import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Node } from 'node-red';
import type { PushConnection } from '../lib/push/push-connection';
import watchNode from '../nodes/iot-explorer-watch/iot-explorer-watch';
import { MIN_INTERVAL_S } from '../nodes/iot-explorer-watch/settings';
import { loadFixture, startSimulator, type Fixture, type Simulator } from '../simulator';
import { MB, heapAfterGc, percentile, startRuntime, type FlowNode } from './harness';

const TOKEN = 'demo-access-token';
const LAMP = 'LIGHT0A1B2/living_lamp';
const BELL = 'DOORBL1M2N/front_bell';
/** The device whose online state the latency part flips (not the lamp, whose values it reads). */
const AIRCON = 'AIRC0F5G6H/study_aircon';
/** The default fixture's devices of the demo user. */
const DEMO_DEVICES = [
  LAMP,
  'LIGHT0A1B2/bedroom_lamp',
  'LOCK0C3D4E/front_door',
  AIRCON,
  'AIRC0F5G6H/attic_aircon',
  'THSNS7J8K9/living_sensor',
  BELL,
];
const SAMPLE_EVERY_MS = 30_000;

interface Options {
  latency: boolean;
  calls: boolean;
  soak: boolean;
  samples: number;
  pollSamples: number;
  pollIntervalS: number;
  windowS: number;
  minutes: number;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      latency: { type: 'boolean' },
      calls: { type: 'boolean' },
      soak: { type: 'boolean' },
      samples: { type: 'string' },
      'poll-samples': { type: 'string' },
      'poll-interval': { type: 'string' },
      window: { type: 'string' },
      minutes: { type: 'string' },
    },
    strict: true,
  });
  const positive = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const none = !values.latency && !values.calls && !values.soak;
  return {
    latency: none || values.latency === true,
    calls: none || values.calls === true,
    soak: none || values.soak === true,
    samples: Math.round(positive(values.samples, 200, 'samples')),
    pollSamples: Math.round(positive(values['poll-samples'], 20, 'poll-samples')),
    pollIntervalS: positive(values['poll-interval'], MIN_INTERVAL_S, 'poll-interval'),
    windowS: positive(values.window, 150, 'window'),
    minutes: positive(values.minutes, 10, 'minutes'),
  };
}

// ---- set-up ----

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const benchLampId = (index: number): string =>
  `LIGHT0A1B2/bench_lamp_${String(index).padStart(3, '0')}`;

/** The default fixture, its devices untouched, plus `extra` lamps of the demo user's home. */
function fixtureWithLamps(extra: number): Fixture {
  const fixture = loadFixture();
  for (let i = 0; i < extra; i++) {
    const [productId, deviceName] = benchLampId(i).split('/') as [string, string];
    fixture.devices.push({
      ProductId: productId,
      DeviceName: deviceName,
      AliasName: `Bench lamp ${i}`,
      FamilyId: 'f_demo_home',
      properties: { power_switch: 0 },
    });
  }
  return fixture;
}

interface WatchSpec {
  id: string;
  deviceIds: string[];
  props: Record<string, unknown>;
}

/** An account, watch nodes all wired to one helper `sink`, and a catch node wired to `err`. */
function watchFlow(endpoint: string, watches: WatchSpec[]): FlowNode[] {
  const flow: FlowNode[] = [
    { id: 'tab', type: 'tab', label: 'bench push' },
    { id: 'acc', type: 'iot-explorer-account', z: 'tab', endpoint, timeout: '5000' },
    { id: 'sink', type: 'helper', z: 'tab' },
    { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['err']] },
    { id: 'err', type: 'helper', z: 'tab' },
  ];
  for (const watch of watches) {
    flow.push({
      id: watch.id,
      type: 'iot-explorer-watch',
      z: 'tab',
      account: 'acc',
      devices: watch.deviceIds.map((id) => {
        const [productId, deviceName] = id.split('/');
        return { productId, deviceName };
      }),
      wires: [['sink']],
      ...watch.props,
    });
  }
  return flow;
}

type Runtime = Awaited<ReturnType<typeof startRuntime>>;

async function startWatchRuntime(
  sim: Simulator,
  watches: WatchSpec[],
  settings?: Record<string, unknown>,
): Promise<Runtime> {
  return startRuntime(
    watchFlow(sim.tokenapiUrl, watches),
    { acc: { accessToken: TOKEN } },
    { nodes: [watchNode], settings },
  );
}

function pushOf(runtime: Runtime): PushConnection {
  const push = (runtime.getNode('acc') as unknown as { push: unknown }).push;
  if (typeof push !== 'object' || push === null || !('stats' in push)) {
    throw new Error('the account node has no push connection');
  }
  return push as PushConnection;
}

interface WatchMessage {
  topic?: string;
  payload?: { newValue?: unknown; online?: boolean; eventId?: string };
  iotexplorer?: { source?: string; productId?: string; deviceName?: string; gapFill?: boolean };
}

function messageKey(msg: WatchMessage): string {
  const topic = msg.topic ?? '';
  if (topic.endsWith('/online')) return `${topic}=${String(msg.payload?.online)}`;
  if (topic.includes('/event/')) return topic;
  return `${topic}=${JSON.stringify(msg.payload?.newValue)}`;
}

/** Resolves waiters by message key with the time the message reached the sink node. */
class Arrivals {
  private readonly waiting = new Map<string, (at: number) => void>();
  received = 0;

  constructor(sink: Node) {
    sink.on('input', (raw: Record<string, unknown>) => {
      const msg = raw as WatchMessage;
      const at = performance.now();
      this.received += 1;
      const key = messageKey(msg);
      const resolve = this.waiting.get(key);
      if (resolve) {
        this.waiting.delete(key);
        resolve(at);
      }
    });
  }

  /** Registers first, so the change may be made after; undefined on timeout. */
  expect(key: string, timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        resolve(undefined);
      }, timeoutMs);
      this.waiting.set(key, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }
}

// ---- figures ----

interface Summary {
  n: number;
  missed: number;
  p50: number;
  p99: number;
  max: number;
}

function summarize(latencies: ArrayLike<number>, missed: number): Summary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    n: latencies.length,
    missed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] ?? 0) : 0,
  };
}

function table(header: string[], rows: (string | number)[][], right: boolean[]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string =>
    `| ${row.map((cell, i) => (right[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (right[i] ? `${'-'.repeat(Math.max(w - 1, 1))}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...cells.slice(1).map(line)].join('\n');
}

const ms = (value: number): string => value.toFixed(1);

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

// ---- part 1: latency ----

type Kind = 'property' | 'event' | 'online';

/**
 * One change of `kind`: the message it must produce, and the call that makes it. That call
 * applies the change to the model and announces it (the push server writes the frame)
 * synchronously, so the clock starts just before it.
 */
function changeOf(sim: Simulator, kind: Kind): { key: string; apply(): void } {
  if (kind === 'property') {
    const [pid, dn] = LAMP.split('/') as [string, string];
    const value = sim.model.devices.get(LAMP)?.properties.power_switch?.Value === 1 ? 0 : 1;
    return {
      key: `${LAMP}/power_switch=${value}`,
      apply: () => sim.reportProperties(pid, dn, { power_switch: value }),
    };
  }
  if (kind === 'event') {
    const [pid, dn] = BELL.split('/') as [string, string];
    return {
      key: `${BELL}/event/ring`,
      apply: () => sim.fireEvent(pid, dn, 'ring', { button: 0 }),
    };
  }
  const [pid, dn] = AIRCON.split('/') as [string, string];
  const online = !(sim.model.devices.get(AIRCON)?.online ?? true);
  return {
    key: `${AIRCON}/online=${String(online)}`,
    apply: () => sim.setDeviceOnline(pid, dn, online),
  };
}

/** One sample: registers the expected message, makes the change, waits for the message. */
async function sample(
  sim: Simulator,
  arrivals: Arrivals,
  kind: Kind,
  timeoutMs: number,
): Promise<number | undefined> {
  const change = changeOf(sim, kind);
  const arrived = arrivals.expect(change.key, timeoutMs);
  const started = performance.now();
  change.apply();
  const at = await arrived;
  return at === undefined ? undefined : at - started;
}

async function latencyPart(options: Options): Promise<string[]> {
  const sim = await startSimulator({ fixture: fixtureWithLamps(0) });
  const results: { mode: string; kind: Kind; summary?: Summary }[] = [];
  try {
    // Push: one watch node for the three devices, events on; real push timings.
    let runtime = await startWatchRuntime(sim, [
      {
        id: 'w',
        deviceIds: [LAMP, BELL, AIRCON],
        props: { mode: 'push', watchEvents: true },
      },
    ]);
    let arrivals = new Arrivals(runtime.getNode('sink'));
    const push = pushOf(runtime);
    await until(() => push.state.phase === 'live', 'the push socket');
    await until(() => (sim.httpCallsByAction.AppGetDeviceData ?? 0) >= 3, 'the baseline reads');
    await sleep(500);
    const kinds: Kind[] = ['property', 'event', 'online'];
    const pushLatencies: Record<Kind, number[]> = { property: [], event: [], online: [] };
    const pushMissed: Record<Kind, number> = { property: 0, event: 0, online: 0 };
    for (let i = 0; i < options.samples; i++) {
      for (let k = 0; k < kinds.length; k++) {
        const kind = kinds[(i + k) % kinds.length];
        // A short random gap, so samples do not line up with the socket's own timers.
        await sleep(5 + Math.random() * 20);
        const latency = await sample(sim, arrivals, kind, 5000);
        if (latency === undefined) pushMissed[kind] += 1;
        else pushLatencies[kind].push(latency);
      }
    }
    const readsDuringPush = sim.httpCallsByAction.AppGetDeviceData ?? 0;
    for (const kind of kinds) {
      results.push({
        mode: 'push',
        kind,
        summary: summarize(pushLatencies[kind], pushMissed[kind]),
      });
    }
    await runtime.stop();
    if (sim.model.devices.get(AIRCON)?.online === false) {
      sim.setDeviceOnline(...(AIRCON.split('/') as [string, string]), true);
    }

    // Poll: the lamp's values and the aircon's online state, at the chosen interval.
    const settings =
      options.pollIntervalS < MIN_INTERVAL_S
        ? { iotExplorerWatchMinInterval: options.pollIntervalS }
        : undefined;
    runtime = await startWatchRuntime(
      sim,
      [
        {
          id: 'w',
          deviceIds: [LAMP, AIRCON],
          props: { mode: 'poll', interval: String(options.pollIntervalS) },
        },
      ],
      settings,
    );
    arrivals = new Arrivals(runtime.getNode('sink'));
    sim.resetRecords();
    await until(() => (sim.httpCallsByAction.AppGetDeviceData ?? 0) >= 2, 'the first poll round');
    const intervalMs = options.pollIntervalS * 1000;
    // Property and online samples run side by side (different devices, independent reads);
    // each waits a random part of the interval first, so changes fall at every phase of a round.
    const pollKind = async (kind: Kind): Promise<Summary> => {
      const latencies: number[] = [];
      let missed = 0;
      for (let i = 0; i < options.pollSamples; i++) {
        await sleep(Math.random() * intervalMs);
        const latency = await sample(sim, arrivals, kind, 2 * intervalMs + 5000);
        if (latency === undefined) missed += 1;
        else latencies.push(latency);
      }
      return summarize(latencies, missed);
    };
    const [property, online] = await Promise.all([pollKind('property'), pollKind('online')]);
    results.push({ mode: 'poll', kind: 'property', summary: property });
    results.push({ mode: 'poll', kind: 'event' });
    results.push({ mode: 'poll', kind: 'online', summary: online });
    await runtime.stop();

    const pushP99 = Math.max(
      ...results.filter((r) => r.mode === 'push').map((r) => r.summary?.p99 ?? Infinity),
    );
    return [
      `## Latency, change to message (push: ${options.samples} samples per kind, real push timings; poll: ${options.pollSamples} per kind, interval ${options.pollIntervalS} s${settings ? ' through iotExplorerWatchMinInterval' : ''})`,
      '',
      table(
        ['mode', 'change', 'samples', 'missed', 'p50 ms', 'p99 ms', 'max ms'],
        results.map((r) =>
          r.summary
            ? [
                r.mode,
                r.kind,
                r.summary.n,
                r.summary.missed,
                ms(r.summary.p50),
                ms(r.summary.p99),
                ms(r.summary.max),
              ]
            : [r.mode, r.kind, '—', '—', '—', '—', '—'],
        ),
        [false, false, true, true, true, true, true],
      ),
      '',
      'Poll, event: no read call returns device events, so a polling node never sees one.',
      `AppGetDeviceData calls while push samples ran: ${readsDuringPush} (the 3 baseline reads; no other read).`,
      `Push p99 (worst of the three kinds): ${ms(pushP99)} ms; target ≤ 250 ms: ${pushP99 <= 250 ? 'met' : 'NOT met'}.`,
    ];
  } finally {
    await sim.close();
  }
}

// ---- part 2: API calls an hour ----

interface CallCount {
  mode: string;
  windowS: number;
  http: Record<string, number>;
  frames: Record<string, number>;
  messages: number;
}

async function callsOneMode(
  sim: Simulator,
  mode: 'push' | 'poll',
  deviceIds: string[],
  windowS: number,
): Promise<CallCount> {
  // Default interval (30 s) for poll: what a user gets without choosing one.
  const runtime = await startWatchRuntime(sim, [{ id: 'w', deviceIds, props: { mode } }]);
  try {
    const arrivals = new Arrivals(runtime.getNode('sink'));
    sim.resetRecords();
    if (mode === 'push') {
      const push = pushOf(runtime);
      await until(() => push.state.phase === 'live', 'the push socket');
      await until(
        () => (sim.httpCallsByAction.AppGetDeviceData ?? 0) >= deviceIds.length,
        'the baseline reads',
      );
    }
    // Steady state: the baseline is read; count from here.
    await sleep(2000);
    sim.resetRecords();
    const before = arrivals.received;
    await sleep(windowS * 1000);
    const frames: Record<string, number> = {};
    for (const [action, n] of Object.entries(sim.push.stats.framesByAction)) {
      if (action !== 'YunApi') frames[action] = n;
    }
    for (const [action, n] of Object.entries(sim.push.stats.yunApiByAction)) {
      frames[`YunApi ${action}`] = n;
    }
    return {
      mode,
      windowS,
      http: { ...sim.httpCallsByAction },
      frames,
      messages: arrivals.received - before,
    };
  } finally {
    await runtime.stop();
  }
}

async function callsPart(options: Options): Promise<string[]> {
  const deviceIds = [
    ...DEMO_DEVICES,
    ...Array.from({ length: 20 - DEMO_DEVICES.length }, (_, i) => benchLampId(i)),
  ];
  const sim = await startSimulator({ fixture: fixtureWithLamps(20 - DEMO_DEVICES.length) });
  try {
    const counts = [
      await callsOneMode(sim, 'push', deviceIds, options.windowS),
      await callsOneMode(sim, 'poll', deviceIds, options.windowS),
    ];
    const perHour = (n: number, windowS: number): string =>
      String(Math.round((n * 3600) / windowS));
    const rows: string[][] = [];
    for (const c of counts) {
      const httpTotal = Object.values(c.http).reduce((a, b) => a + b, 0);
      for (const [action, n] of Object.entries(c.http)) {
        rows.push([c.mode, `HTTP ${action}`, String(n), perHour(n, c.windowS)]);
      }
      rows.push([c.mode, 'HTTP, all actions', String(httpTotal), perHour(httpTotal, c.windowS)]);
      for (const [action, n] of Object.entries(c.frames)) {
        rows.push([c.mode, `socket ${action}`, String(n), perHour(n, c.windowS)]);
      }
      rows.push([
        c.mode,
        'change messages out',
        String(c.messages),
        perHour(c.messages, c.windowS),
      ]);
    }
    const pushReads = counts[0]?.http.AppGetDeviceData ?? 0;
    return [
      `## API calls, 20 watched devices, steady state (real timings; each mode counted over ${options.windowS} s, × ${(3600 / options.windowS).toFixed(1)} for an hour; poll at the default 30 s interval)`,
      '',
      table(['mode', 'what', `in ${options.windowS} s`, 'an hour'], rows, [
        false,
        false,
        true,
        true,
      ]),
      '',
      `Push AppGetDeviceData calls while connected: ${pushReads}; target 0: ${pushReads === 0 ? 'met' : 'NOT met'}.`,
    ];
  } finally {
    await sim.close();
  }
}

// ---- part 3: soak ----

interface SoakSample {
  minute: number;
  heapMb: number;
  rssMb: number;
  resources: Record<string, number>;
  tcpSockets: number;
  serverPushSockets: number;
  clientSocketsOpened: number;
  reports: number;
  messages: number;
  loopP99Ms: number;
}

const SOAK_DEVICES = 200;
const DEVICES_PER_NODE = 20;

async function soakPart(options: Options): Promise<string[]> {
  // History and records kept short, so the in-process simulator holds a bounded amount.
  const sim = await startSimulator({
    fixture: fixtureWithLamps(SOAK_DEVICES),
    historyLimit: 20,
    recordLimit: 1000,
  });
  const deviceIds = Array.from({ length: SOAK_DEVICES }, (_, i) => benchLampId(i));
  const watches: WatchSpec[] = [];
  for (let i = 0; i < SOAK_DEVICES; i += DEVICES_PER_NODE) {
    watches.push({
      id: `w${i / DEVICES_PER_NODE}`,
      deviceIds: deviceIds.slice(i, i + DEVICES_PER_NODE),
      props: { mode: 'push' },
    });
  }
  let unhandled = 0;
  const onUnhandled = (): void => {
    unhandled += 1;
  };
  process.on('unhandledRejection', onUnhandled);
  const runtime = await startWatchRuntime(sim, watches);
  try {
    const push = pushOf(runtime);
    await until(() => push.state.phase === 'live', 'the push socket');
    await until(
      () => (sim.httpCallsByAction.AppGetDeviceData ?? 0) >= SOAK_DEVICES,
      'the baseline reads',
      60_000,
    );
    await sleep(1000);
    const httpConnectionsAtStart = sim.stats.socketsOpened;

    // Each device's reports, in order: the value sent and when.
    const sent = new Map<string, { value: number; at: number }[]>();
    for (const id of deviceIds) sent.set(id, []);
    let reports = 0;
    let messages = 0;
    let outOfOrder = 0;
    let unexpected = 0;
    let notPush = 0;
    // Allocated up front: an array growing by 200 numbers a second would itself show in the
    // heap series as a slow, stepwise growth (about 1 MB over 10 minutes).
    const latencies = new Float64Array(
      Math.ceil(options.minutes * 60 * SOAK_DEVICES * 1.05) + 1000,
    );
    let measured = 0;
    let caught = 0;
    runtime.getNode('err').on('input', () => {
      caught += 1;
    });
    runtime.getNode('sink').on('input', (raw: Record<string, unknown>) => {
      const msg = raw as WatchMessage;
      const at = performance.now();
      messages += 1;
      const x = msg.iotexplorer;
      if (x?.source !== 'push') notPush += 1;
      const id = `${x?.productId ?? ''}/${x?.deviceName ?? ''}`;
      const queue = sent.get(id);
      const first = queue?.shift();
      if (!queue || !first) {
        unexpected += 1;
        return;
      }
      if (first.value !== msg.payload?.newValue) outOfOrder += 1;
      if (measured < latencies.length) latencies[measured++] = at - first.at;
    });

    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const samples: SoakSample[] = [];
    const started = performance.now();
    const takeSample = (): void => {
      const heap = heapAfterGc();
      const resources: Record<string, number> = {};
      for (const name of process.getActiveResourcesInfo()) {
        resources[name] = (resources[name] ?? 0) + 1;
      }
      const s: SoakSample = {
        minute: (performance.now() - started) / 60_000,
        heapMb: heap / MB,
        rssMb: process.memoryUsage().rss / MB,
        resources,
        tcpSockets: resources.TCPSocketWrap ?? 0,
        serverPushSockets: sim.push.connections().length,
        clientSocketsOpened: push.stats.socketsOpened,
        reports,
        messages,
        loopP99Ms: loop.percentile(99) / 1e6,
      };
      loop.reset();
      samples.push(s);
      say(
        `  soak ${s.minute.toFixed(1)} min: heap ${s.heapMb.toFixed(2)} MB, rss ${s.rssMb.toFixed(1)} MB, ` +
          `tcp sockets ${s.tcpSockets}, reports ${s.reports}, messages ${s.messages}`,
      );
    };
    takeSample();

    // 200 reports a second, one device every 5 ms in turn, each toggling its power_switch (so
    // each report is a change, and so one message). The schedule catches up after a GC pause.
    const durationMs = options.minutes * 60_000;
    const spacingMs = 1000 / SOAK_DEVICES;
    let nextSample = SAMPLE_EVERY_MS;
    while (performance.now() - started < durationMs) {
      const elapsed = performance.now() - started;
      const due = Math.floor(elapsed / spacingMs) + 1;
      while (reports < due) {
        const id = deviceIds[reports % SOAK_DEVICES];
        const [pid, dn] = id.split('/') as [string, string];
        const value = sim.model.devices.get(id)?.properties.power_switch?.Value === 1 ? 0 : 1;
        sent.get(id)?.push({ value, at: performance.now() });
        sim.reportProperties(pid, dn, { power_switch: value });
        reports += 1;
      }
      if (elapsed >= nextSample) {
        takeSample();
        nextSample += SAMPLE_EVERY_MS;
      }
      await sleep(20);
    }
    // Let the last messages arrive.
    await until(() => messages >= reports, 'the last messages', 10_000).catch(() => undefined);
    await sleep(500);
    takeSample();
    loop.disable();

    const lost = [...sent.values()].reduce((n, queue) => n + queue.length, 0);
    // The first sample is taken before any report: the slope starts at the second.
    const heapPoints = samples.slice(1).map((s) => ({ x: s.minute, y: s.heapMb }));
    const heapSlope = slope(heapPoints);
    const laterSlope = slope(heapPoints.slice(Math.floor(heapPoints.length / 2)));
    const socketSlope = slope(samples.slice(1).map((s) => ({ x: s.minute, y: s.tcpSockets })));
    const handleTotal = (s: SoakSample): number =>
      Object.values(s.resources).reduce((a, b) => a + b, 0);
    const handleSlope = slope(samples.slice(1).map((s) => ({ x: s.minute, y: handleTotal(s) })));
    const kinds = [...new Set(samples.flatMap((s) => Object.keys(s.resources)))].sort();
    const summary = summarize(latencies.subarray(0, measured), lost);
    const first = samples[0];
    const last = samples[samples.length - 1];
    return [
      `## Soak: ${SOAK_DEVICES} devices (${watches.length} push watch nodes × ${DEVICES_PER_NODE}) reporting every second, ${options.minutes} min, real push timings`,
      '',
      table(
        [
          'min',
          'heap after GC MB',
          'rss MB',
          'tcp sockets',
          'all handles',
          'loop p99 ms',
          'reports',
          'messages',
        ],
        samples.map((s) => [
          s.minute.toFixed(1),
          s.heapMb.toFixed(2),
          s.rssMb.toFixed(1),
          s.tcpSockets,
          handleTotal(s),
          s.loopP99Ms.toFixed(1),
          s.reports,
          s.messages,
        ]),
        [true, true, true, true, true, true, true, true],
      ),
      '',
      `Active resources by kind, first → last sample: ${kinds
        .map((k) => `${k} ${first?.resources[k] ?? 0} → ${last?.resources[k] ?? 0}`)
        .join(', ')}.`,
      `Heap after GC: ${first?.heapMb.toFixed(2)} → ${last?.heapMb.toFixed(2)} MB; slope ${heapSlope.toFixed(3)} MB/min from the first sample under load to the end, ${laterSlope.toFixed(3)} MB/min over its second half.`,
      `Handles: slope ${handleSlope.toFixed(3)} /min (TCP sockets ${socketSlope.toFixed(3)} /min); push sockets the client opened: ${push.stats.socketsOpened}; open on the server at the end: ${sim.push.connections().length}.`,
      `Reports sent ${reports}, messages received ${messages}; lost ${lost}, unexpected ${unexpected}, out of order ${outOfOrder}, not from push ${notPush}; errors caught ${caught}; unhandled rejections ${unhandled}.`,
      `Report-to-message latency under this load: p50 ${ms(summary.p50)} ms, p99 ${ms(summary.p99)} ms, max ${ms(summary.max)} ms (${summary.n} messages).`,
      `AppGetDeviceData calls during the soak (after the ${SOAK_DEVICES} baseline reads): ${(sim.httpCallsByAction.AppGetDeviceData ?? 0) - SOAK_DEVICES}; TCP connections the simulator accepted: ${httpConnectionsAtStart} before the first report (the push socket and the baseline reads' keep-alive connections), ${sim.stats.socketsOpened - httpConnectionsAtStart} after.`,
      `None lost: ${lost === 0 && unexpected === 0 && outOfOrder === 0 ? 'yes' : 'NO'}.`,
    ];
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await runtime.stop();
    await sim.close();
  }
}

// ---- main ----

async function main(): Promise<void> {
  const options = readOptions();
  if (!(globalThis as { gc?: unknown }).gc) say('(no --expose-gc: heap figures include garbage)');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeRedVersion = (require('node-red/package.json') as { version: string }).version;
  const cpus = os.cpus();
  const load = (): string =>
    os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' / ');
  const startedAt = new Date();
  say(
    `bench:push — ${startedAt.toISOString()}, Node ${process.version}, Node-RED ${nodeRedVersion}, ` +
      `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, load average ${load()} (1/5/15 min)`,
  );
  const run = async (name: string, part: () => Promise<string[]>): Promise<void> => {
    const t0 = performance.now();
    say(`${name}…`);
    const lines = await part();
    lines.push(
      '',
      `(${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s, load average after ${load()})`,
    );
    say(`\n${lines.join('\n')}\n`);
  };
  if (options.latency) await run('latency', () => latencyPart(options));
  if (options.calls) await run('calls', () => callsPart(options));
  if (options.soak) await run('soak', () => soakPart(options));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench:push failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
