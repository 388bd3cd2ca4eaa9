import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startSimulator, type Simulator } from '../../simulator';
import { LIGHT, LOCK, actionFlow, helper, load } from '../support/runtime';
import { trackDone, type DoneRecord } from '../support/done-tracker';

/** Codes of validation errors, and the field names one of their messages must contain. */
const FIELD_CODES = new Set([
  'IOTX_MISSING_FIELD',
  'IOTX_INVALID_FIELD',
  'IOTX_INVALID_INPUT_PARAMS',
]);
const FIELD_NAMES = /ProductId|DeviceName|ActionId|InputParams/;

function deep(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { time: 1 };
  for (let i = 0; i < levels; i++) value = { nested: value };
  return value;
}

function cyclic(): Record<string, unknown> {
  const value: Record<string, unknown> = { time: 1 };
  value.self = value;
  return value;
}

/** Values a flow could put in any field: any type, odd and huge strings, deep, cyclic, __proto__. */
const anyValue = fc.oneof(
  fc.anything({
    maxDepth: 3,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
  }),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom(
    '',
    '   ',
    '\u0000',
    '\uD800',
    '__proto__',
    'constructor',
    '{"time":1}',
    '{"__proto__":{"polluted":true},"time":2}',
    '[1,2]',
    'x'.repeat(300_000),
    '中文设备',
    NaN,
    Infinity,
    -0,
  ),
  fc.constantFrom(LIGHT.productId, LIGHT.deviceName, LIGHT.actionId, LOCK.actionId),
  fc.constant(null).map(() => deep(2000)),
  fc.constant(null).map(cyclic),
  fc
    .constant(null)
    .map(() => JSON.parse('{"__proto__":{"polluted":true},"time":3}') as Record<string, unknown>),
  fc.record({ time: fc.integer({ min: -5, max: 15 }), color: fc.integer({ min: 0, max: 3 }) }),
);

const message = fc.record(
  {
    productId: fc.oneof(anyValue, fc.constant(LIGHT.productId)),
    deviceName: fc.oneof(anyValue, fc.constant(LIGHT.deviceName)),
    actionId: fc.oneof(anyValue, fc.constant(LIGHT.actionId)),
    payload: anyValue,
    topic: anyValue,
  },
  { requiredKeys: [] },
);

describe('fuzz: arbitrary messages into the action node', function () {
  this.timeout(60000);
  let sim: Simulator;
  let unhandled = 0;
  const onUnhandled = (reason: unknown): void => {
    if (unhandled === 0) process.stderr.write(`unhandled rejection: ${String(reason)}\n`);
    unhandled += 1;
  };

  before(async function () {
    await new Promise<void>((resolve) => helper.startServer(resolve));
    process.on('unhandledRejection', onUnhandled);
  });
  after(async function () {
    process.off('unhandledRejection', onUnhandled);
    await new Promise<void>((resolve) => helper.stopServer(resolve));
  });
  beforeEach(async function () {
    sim = await startSimulator();
  });
  afterEach(async function () {
    await helper.unload();
    await sim.close();
  });

  it('never throws, ends each message with exactly one done, and names the field in errors', async function () {
    // Blank fields: everything comes from the message.
    await load(actionFlow(sim.tokenapiUrl, {}, { timeout: '3000' }));
    const act = helper.getNode('act');
    const records = trackDone(act);
    let sent = 0;
    let reachedApi = 0;

    const waitFor = async (id: string): Promise<DoneRecord> => {
      for (let i = 0; i < 1000; i++) {
        const record = records.get(id);
        if (record) return record;
        await new Promise((resolve) => setImmediate(resolve));
        if (i > 100) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`message ${id} never ended`);
    };

    await fc.assert(
      fc.asyncProperty(message, async (fields) => {
        const msg: Record<string, unknown> = { ...fields };
        if (sent % 7 === 0) msg.again = msg; // a cyclic msg as well
        const before = sim.stats.requests;
        act.receive(msg);
        sent += 1;
        const id = String(msg._msgid);
        const record = await waitFor(id);
        if (sim.stats.requests > before) reachedApi += 1;
        const code = record.error?.code;
        if (record.error) assert.equal(typeof code, 'string', 'every error has a code');
        if (code !== undefined && FIELD_CODES.has(code)) {
          assert.match(String(record.error?.message), FIELD_NAMES);
        }
      }),
      { numRuns: 2000, seed: Number(process.env.FUZZ_SEED ?? 42) },
    );

    // A second done would arrive late: give it a moment, then count.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(records.size, sent);
    for (const [id, record] of records) assert.equal(record.count, 1, `one done for ${id}`);
    assert.equal(unhandled, 0, 'no unhandled rejection');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
    assert.ok(reachedApi > 0, 'some messages reached the API');
    // The node still works.
    const check = {
      productId: LIGHT.productId,
      deviceName: LIGHT.deviceName,
      actionId: LIGHT.actionId,
      payload: { time: 1 },
    };
    act.receive(check);
    const last = await waitFor(String((check as { _msgid?: string })._msgid));
    assert.equal(last.error, undefined);
  });
});
