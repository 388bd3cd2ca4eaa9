// Run by test/nodes/read-budget.test.ts in a child process with a small heap
// (`node --max-old-space-size=384 small-heap-child.js <mode> <tokenapi URL>`): a real Node-RED
// runtime whose account points at a server that pages forever. It prints one JSON line with what
// the flow got, then exits 0. Running out of memory kills it instead: the test sees that.

import { LIGHT, actionFlow, credentials, helper, load, nextOutcome, type Outcome } from './runtime';

type Mode = 'history' | 'families';

async function history(endpoint: string): Promise<Outcome> {
  await load(
    actionFlow(
      endpoint,
      {
        type: 'iot-explorer-history',
        productId: LIGHT.productId,
        deviceName: LIGHT.deviceName,
        property: 'brightness',
        range: '24',
        rangeUnit: 'hours',
      },
      { timeout: '60000' },
    ),
    credentials(),
  );
  const outcome = nextOutcome(120000);
  helper.getNode('act').receive({ payload: 'read' });
  return outcome;
}

async function families(endpoint: string): Promise<Outcome> {
  await load(actionFlow(endpoint, { ...LIGHT }, { timeout: '60000' }), credentials());
  const res = await helper
    .request()
    .post('/iot-explorer/accounts/acc/families')
    .set('Content-Type', 'application/json')
    .send({});
  return { output: res.body as Record<string, unknown> };
}

async function main(): Promise<void> {
  const [mode, endpoint] = process.argv.slice(2) as [Mode, string];
  await new Promise<void>((resolve) => helper.startServer(resolve));
  const outcome = mode === 'history' ? await history(endpoint) : await families(endpoint);
  const summary = {
    mode,
    output: outcome.output && {
      payloadLength: Array.isArray(outcome.output.payload)
        ? outcome.output.payload.length
        : undefined,
      iotexplorer: outcome.output.iotexplorer,
      success: outcome.output.success,
      code: outcome.output.code,
      message: outcome.output.message,
    },
    error: outcome.error && {
      code: outcome.error.error?.code,
      message: outcome.error.error?.message,
    },
    heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  await helper.unload();
  await new Promise<void>((resolve) => helper.stopServer(resolve));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
