// npm run bench:home: the account's home model and shared device feed (issue 19, "How it is
// measured"), for a generated home of 200 devices in 3 families (10 of them shared with the user):
//   1. loading the model: API calls by Action and the time (median of --loads fresh models);
//   2. steady state: the calls of one refresh (names known), and device reads while 10 watchers
//      are live and the devices report (--window seconds), as calls an hour;
//   3. 10 watch workers on overlapping devices, through the feed and straight on the connection:
//      subscriptions per device on the connection, baseline reads per device;
//   4. memory per device: the heap after GC with --models loaded models, over their devices.
// The simulator and the workers run in this process on 127.0.0.1 (no Node-RED: the nodes add
// nothing to these counts). Figures only: the script says whether each target is met, no timing
// decides its exit code. Needs --expose-gc.

import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ApiClient } from '../lib/api/client';
import { createPastedTokenSource } from '../lib/auth/token-source';
import { HomeModel } from '../lib/home/home-model';
import { PushConnection, type PushSource } from '../lib/push/push-connection';
import { DEFAULT_HOME_REFRESH_MINUTES } from '../lib/shared/home';
import type { DeviceReads } from '../lib/watch/device-reader';
import { PushWatcher } from '../lib/watch/push-watcher';
import { generateHome, startSimulator, type Simulator } from '../simulator';
import { MB, heapAfterGc, median } from './harness';

const TOKEN = 'demo-access-token';
const DEVICES = 200;
const FAMILIES = 3;
const WATCHERS = 10;
const PER_WATCHER = 60;

function readOptions(): { loads: number; models: number; windowS: number } {
  const { values } = parseArgs({
    options: {
      loads: { type: 'string' },
      models: { type: 'string' },
      window: { type: 'string' },
    },
    strict: true,
  });
  const positive = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  return {
    loads: positive(values.loads, 9, 'loads'),
    models: positive(values.models, 20, 'models'),
    windowS: positive(values.window, 30, 'window'),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function calls(sim: Simulator): Record<string, number> {
  return { ...sim.httpCallsByAction };
}

function delta(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [action, n] of Object.entries(after)) {
    const d = n - (before[action] ?? 0);
    if (d > 0) out[action] = d;
  }
  return out;
}

const total = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((sum, n) => sum + n, 0);

const show = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, n]) => `${action} ${n}`)
    .join(', ');

interface Account {
  client: ApiClient;
  push: PushConnection;
  close(): void;
}

function account(sim: Simulator): Account {
  const tokenSource = createPastedTokenSource({ token: TOKEN, account: 'bench' });
  const client = new ApiClient({ endpoint: sim.tokenapiUrl, tokenSource });
  const push = new PushConnection({
    url: sim.pushUrl,
    tokenSource,
    warnUnbound: () => undefined,
    trace: () => undefined,
  });
  return {
    client,
    push,
    close() {
      push.close();
      client.close();
    },
  };
}

/** Ten watch workers, each on 60 of the home's devices, overlapping (every device 3 times). */
function startWatchers(
  ids: readonly string[],
  source: PushSource,
  reads: DeviceReads,
): PushWatcher[] {
  return Array.from({ length: WATCHERS }, (_, n) => {
    const mine = Array.from({ length: PER_WATCHER }, (_, k) => ids[(n * 20 + k) % ids.length]);
    const watcher = new PushWatcher(
      {
        reads,
        pushes: source,
        deviceIds: [...new Set(mine)],
        properties: [],
        watchState: true,
        watchOnline: true,
        watchEvents: true,
        watchActions: false,
        emitInitial: false,
        baselineWaitMs: 3000,
        readRetryMs: 30_000,
      },
      { change: () => undefined, failure: () => undefined, connection: () => undefined },
    );
    watcher.start();
    return watcher;
  });
}

async function main(): Promise<void> {
  const options = readOptions();
  const fixture = generateHome({ devices: DEVICES, families: FAMILIES });
  const sim = await startSimulator({ fixture });
  console.log(`home: ${fixture.description}`);
  try {
    // 1. Load.
    const times: number[] = [];
    let loadCalls: Record<string, number> = {};
    let ids: string[] = [];
    for (let i = 0; i < options.loads; i++) {
      const a = account(sim);
      const model = new HomeModel({ api: a.client, pushes: a.push });
      const before = calls(sim);
      const started = performance.now();
      const home = await model.snapshot();
      times.push(performance.now() - started);
      loadCalls = delta(before, calls(sim));
      ids = home.devices.map((d) => d.deviceId);
      model.close();
      a.close();
    }
    console.log(`\n1. load (${ids.length} devices, ${FAMILIES} families)`);
    console.log(`   calls: ${total(loadCalls)} (${show(loadCalls)})`);
    console.log(
      `   time: median ${median(times).toFixed(1)} ms over ${options.loads} loads (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`,
    );

    // 2. Steady state: one refresh, then reads while watchers are live and devices report.
    const a = account(sim);
    const model = new HomeModel({ api: a.client, pushes: a.push });
    await model.snapshot();
    let before = calls(sim);
    await model.snapshot({ refresh: true });
    const refreshCalls = delta(before, calls(sim));
    const watchers = startWatchers(ids, model.feed, model.feed);
    await until(() => a.push.state.phase === 'live', 'push live');
    await until(() => (sim.httpCallsByAction.AppGetDeviceData ?? 0) >= ids.length, 'baseline');
    await sleep(500);
    before = calls(sim);
    const pushesBefore = sim.push.stats.pushesSent;
    const end = Date.now() + options.windowS * 1000;
    let reports = 0;
    while (Date.now() < end) {
      const id = ids[reports % ids.length];
      const [productId, deviceName] = id.split('/');
      if (productId === 'LIGHT0A1B2') {
        sim.reportProperties(productId, deviceName, { brightness: reports % 100 });
      } else sim.setDeviceOnline(productId, deviceName, reports % 2 === 0);
      reports += 1;
      await sleep(50);
    }
    const steady = delta(before, calls(sim));
    const refreshesAnHour = 60 / DEFAULT_HOME_REFRESH_MINUTES;
    const perHour =
      total(refreshCalls) * refreshesAnHour + total(steady) * (3600 / options.windowS);
    console.log(`\n2. steady state (refresh every ${DEFAULT_HOME_REFRESH_MINUTES} min, push live)`);
    console.log(`   one refresh: ${total(refreshCalls)} calls (${show(refreshCalls)})`);
    console.log(
      `   ${options.windowS} s with ${WATCHERS} watchers live, ${reports} changes (${sim.push.stats.pushesSent - pushesBefore} pushes): ${total(steady)} calls${total(steady) > 0 ? ` (${show(steady)})` : ''}`,
    );
    console.log(
      `   calls an hour: ${perHour.toFixed(0)} (${refreshesAnHour} refreshes × ${total(refreshCalls)}; device reads ${((total(steady) * 3600) / options.windowS).toFixed(0)}) — target no per-device reads while push is live: ${total(steady) === 0 ? 'met' : 'NOT met'}`,
    );

    // 3. Ten watchers through the feed (from part 2) against the same ten on the connection.
    const feedSubs = a.push['subscribers'] as Map<unknown, ReadonlySet<string>>;
    const perDevice = (subs: Map<unknown, ReadonlySet<string>>): number[] =>
      ids.map((id) => [...subs.values()].filter((set) => set.has(id)).length);
    const viaFeed = {
      subscriptions: Math.max(...perDevice(feedSubs)),
      reads: model.feed.stats.dataReads,
      statusDevices: model.feed.stats.statusDevices,
    };
    await Promise.all(watchers.map((w) => w.stop()));
    model.close();
    a.close();

    const b = account(sim);
    const direct = startWatchers(ids, b.push, b.client);
    before = calls(sim);
    const framesBefore = sim.push.stats.framesByAction.ActivePush ?? 0;
    await until(() => b.push.state.phase === 'live', 'push live (direct)');
    await until(
      () =>
        (sim.httpCallsByAction.AppGetDeviceData ?? 0) - (before.AppGetDeviceData ?? 0) >=
        WATCHERS * PER_WATCHER,
      'baseline (direct)',
    );
    const directCalls = delta(before, calls(sim));
    const directSubs = b.push['subscribers'] as Map<unknown, ReadonlySet<string>>;
    const directPerDevice = Math.max(...perDevice(directSubs));
    const directFrames = (sim.push.stats.framesByAction.ActivePush ?? 0) - framesBefore;
    await Promise.all(direct.map((w) => w.stop()));
    b.close();

    console.log(
      `\n3. ${WATCHERS} watchers × ${PER_WATCHER} devices over ${ids.length} (each device watched 3 times)`,
    );
    console.log(
      `   through the feed: ${viaFeed.subscriptions} subscription per device on the connection, ${viaFeed.reads} AppGetDeviceData for ${ids.length} devices (${(viaFeed.reads / ids.length).toFixed(2)} a device), ${viaFeed.statusDevices} devices asked in AppGetDeviceStatuses — target one of each: ${viaFeed.subscriptions === 1 && viaFeed.reads === ids.length ? 'met' : 'NOT met'}`,
    );
    console.log(
      `   straight on the connection: up to ${directPerDevice} subscriptions per device, ${directCalls.AppGetDeviceData ?? 0} AppGetDeviceData (${((directCalls.AppGetDeviceData ?? 0) / ids.length).toFixed(2)} a device), ${directFrames} ActivePush frames`,
    );

    // 4. Memory per device.
    const heapBefore = heapAfterGc();
    const held: HomeModel[] = [];
    const c = account(sim);
    for (let i = 0; i < options.models; i++) {
      const m = new HomeModel({ api: c.client, pushes: undefined });
      await m.snapshot();
      held.push(m);
    }
    const heapAfter = heapAfterGc();
    const bytes = (heapAfter - heapBefore) / (options.models * ids.length);
    console.log(`\n4. memory: ${options.models} loaded models of ${ids.length} devices`);
    console.log(
      `   heap +${((heapAfter - heapBefore) / MB).toFixed(2)} MB: ${bytes.toFixed(0)} bytes a device (records, families, product names, the feed)`,
    );
    for (const m of held) m.close();
    c.close();
  } finally {
    await sim.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
