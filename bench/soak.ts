// npm run soak: 100k calls (SOAK_CALLS to change) through the action node in a Node-RED runtime,
// with faults mixed in; accounts for every message. Exits 1 if any message is unaccounted for
// or a promise rejection went unhandled.

import { FlowDriver, MB, drive, heapAfterGc, startRuntime, startSimulatorProcess } from './harness';

const CALLS = Number(process.env.SOAK_CALLS ?? 100_000);
const CONCURRENCY = 32;
const FAULTS = [
  { kind: 'http5xx', count: 5 },
  { kind: 'requestLimit', count: 3 },
  { kind: 'nonJson', count: 5 },
  { kind: 'truncated', count: 5 },
  { kind: 'reset', count: 5 },
  { kind: 'noAnswer', count: 2 },
  { kind: 'latency', latencyMs: 50, jitterMs: 50, count: 20 },
];

async function main(): Promise<number> {
  let unhandled = 0;
  process.on('unhandledRejection', () => {
    unhandled += 1;
  });
  const sim = await startSimulatorProcess(['--device-delay', '0']);
  const runtime = await startRuntime(
    [
      { id: 'tab', type: 'tab', label: 'soak' },
      {
        id: 'acc',
        type: 'iot-explorer-account',
        z: 'tab',
        endpoint: sim.tokenapiUrl,
        timeout: '1000',
        maxInFlight: '10',
        maxQueue: '1000',
      },
      {
        id: 'act',
        type: 'iot-explorer-action',
        z: 'tab',
        account: 'acc',
        productId: 'LIGHT0A1B2',
        deviceName: 'living_lamp',
        actionId: 'light_blink',
        wires: [['out']],
      },
      { id: 'out', type: 'helper', z: 'tab' },
      { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['err']] },
      { id: 'err', type: 'helper', z: 'tab' },
    ],
    { acc: { accessToken: 'demo-access-token' } },
  );
  const driver = new FlowDriver(runtime.getNode('act'), [
    { node: runtime.getNode('out'), ok: true },
    { node: runtime.getNode('err'), ok: false },
  ]);
  const heapBefore = heapAfterGc();
  let outputs = 0;
  let errors = 0;
  let inputs = 0;
  const codes = new Map<string, number>();
  runtime.getNode('err').on('input', (msg: unknown) => {
    const code = (msg as { error?: { code?: string } }).error?.code ?? '?';
    codes.set(code, (codes.get(code) ?? 0) + 1);
  });
  const started = performance.now();
  await drive(CALLS, CONCURRENCY, async (index) => {
    if (index % 500 === 250) {
      await sim.control('POST', 'faults', FAULTS[((index / 500) % FAULTS.length) | 0]);
    }
    inputs += 1;
    // Some messages are bad on purpose: the node must refuse them with a coded error.
    const payload = index % 97 === 0 ? 'not json' : { time: index % 10 };
    if (await driver.send({ payload }, `s${index}`)) outputs += 1;
    else errors += 1;
  });
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 300));
  const heapAfter = heapAfterGc();
  await runtime.stop();
  await sim.stop();

  const accounted = outputs + errors === inputs;
  const lines = [
    `soak: ${CALLS} calls at concurrency ${CONCURRENCY}, faults mixed in, ${seconds.toFixed(1)} s`,
    `inputs ${inputs}, outputs ${outputs}, errors ${errors} (outputs + errors ${accounted ? '=' : '≠'} inputs)`,
    `errors by code: ${[...codes].map(([code, n]) => `${code} ${n}`).join(', ')}`,
    `unhandled rejections ${unhandled}`,
    `heap after GC: ${(heapBefore / MB).toFixed(1)} MB before, ${(heapAfter / MB).toFixed(1)} MB after`,
    `rss: ${(process.memoryUsage().rss / MB).toFixed(1)} MB`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return accounted && unhandled === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
