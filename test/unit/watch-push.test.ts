// The push watcher's ordering, through its seam: a fake push source and fake reads, with
// sinon's fake clock, so each case runs in milliseconds. What the Node-RED suites
// (test/nodes/push-*.test.ts) show against the simulator end to end, these pin down step by step.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { IotExplorerError } from '../../lib/errors/errors';
import type { PushState } from '../../lib/push/push-connection';
import type { WatchChange } from '../../lib/watch/changes';
import type { ReadTarget } from '../../lib/watch/device-reader';
import { MAX_HELD_PUSHES, PushWatcher, type PushWatchOptions } from '../../lib/watch/push-watcher';
import {
  FakePushSource,
  FakeReads,
  controlPush,
  eventPush,
  onlinePush,
  reportPush,
} from '../support/watch-fakes';

const LAMP = 'LIGHT0A1B2/living_lamp';
const PLUG = 'PLUG00AAAA/desk_plug';
const STRANGER = 'LIGHT0A1B2/neighbor_lamp';

/** Lets every pending promise step run (setImmediate is not faked). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Answers every read, and those that follow, until none is left (at most 5,000 rounds). */
async function answerUntilIdle(reads: FakeReads): Promise<void> {
  for (let round = 0; round < 5000 && reads.pending.length > 0; round++) {
    reads.answerAll();
    await settle();
  }
}

const RETRY_MS = 1000;
const BASELINE_WAIT_MS = 3000;

interface Run {
  watcher: PushWatcher;
  source: FakePushSource;
  reads: FakeReads;
  changes: WatchChange[];
  failures: Array<{ code: string; target: ReadTarget }>;
  states: Array<{ phase: PushState['phase']; live: number }>;
}

describe('push watcher (unit, through its seam)', function () {
  let clock: sinon.SinonFakeTimers;
  let runs: PushWatcher[] = [];

  beforeEach(function () {
    clock = sinon.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    runs = [];
  });

  afterEach(async function () {
    await Promise.all(runs.map((w) => w.stop()));
    clock.restore();
  });

  function start(options: Partial<PushWatchOptions> = {}, reads = new FakeReads()): Run {
    const source = new FakePushSource();
    if (!reads.values.has(LAMP)) reads.setValues(LAMP, { brightness: 10, power_switch: 1 });
    if (!reads.online.has(LAMP)) reads.online.set(LAMP, true);
    const run: Run = {
      source,
      reads,
      changes: [],
      failures: [],
      states: [],
      watcher: undefined as unknown as PushWatcher,
    };
    run.watcher = new PushWatcher(
      {
        reads,
        pushes: source,
        deviceIds: [LAMP],
        properties: [],
        watchState: true,
        watchOnline: true,
        watchEvents: true,
        watchActions: true,
        emitInitial: false,
        baselineWaitMs: BASELINE_WAIT_MS,
        readRetryMs: RETRY_MS,
        ...options,
      },
      {
        change: (change) => run.changes.push(change),
        failure: (err, target) => run.failures.push({ code: err.code, target }),
        connection: (state, live) => run.states.push({ phase: state.phase, live }),
      },
    );
    runs.push(run.watcher);
    run.watcher.start();
    return run;
  }

  const values = (run: Run) =>
    run.changes.flatMap((c) =>
      c.kind === 'property' ? [[c.property, c.oldValue, c.newValue, c.source, c.gapFill]] : [],
    );

  describe('baseline', function () {
    it('reads once the source is live, not before; the baseline is silent', async function () {
      const run = start();
      await settle();
      assert.equal(run.reads.calls.length, 0, 'nothing read while connecting');
      run.source.goLive();
      await settle();
      assert.equal(run.reads.count('AppGetDeviceStatuses'), 1);
      assert.equal(run.reads.count('AppGetDeviceData', LAMP), 1);
      assert.equal(run.changes.length, 0);
      assert.deepEqual(run.states.at(-1), { phase: 'live', live: 1 });
    });

    it('reads anyway when the source is not live within baselineWaitMs, and again once live', async function () {
      const run = start();
      await clock.tickAsync(BASELINE_WAIT_MS - 1);
      assert.equal(run.reads.calls.length, 0);
      await clock.tickAsync(1);
      await settle();
      assert.equal(run.reads.count('AppGetDeviceData'), 1);
      // The device changed before the socket went live: the read after it finds the change.
      run.reads.setValues(LAMP, { brightness: 30 });
      run.source.goLive();
      await settle();
      assert.equal(run.reads.count('AppGetDeviceData'), 2);
      assert.deepEqual(values(run), [['brightness', 10, 30, 'poll', true]]);
    });

    it('sends the values found with emitInitial, marked initial, then pushed changes', async function () {
      const run = start({ emitInitial: true, watchOnline: false });
      run.source.goLive();
      await settle();
      assert.deepEqual(
        run.changes.map((c) => (c.kind === 'property' ? [c.property, c.initial] : [])),
        [
          ['brightness', true],
          ['power_switch', true],
        ],
      );
      run.source.push(reportPush(LAMP, { brightness: 11 }));
      assert.deepEqual(values(run).at(-1), ['brightness', 10, 11, 'push', false]);
    });
  });

  describe('pushes during a read', function () {
    it('holds a push while its device is read and applies it after: one change, from the read value', async function () {
      const reads = new FakeReads();
      reads.manual = true;
      const run = start({ watchOnline: false }, reads);
      run.source.goLive();
      await settle();
      assert.equal(reads.pending.length, 1, 'the baseline read in flight');
      // The device reports 50 after the read was sent; the read answers the older 10.
      run.source.push(reportPush(LAMP, { brightness: 50 }));
      await settle();
      assert.equal(run.changes.length, 0, 'held until the read is applied');
      reads.answerAll();
      await settle();
      assert.deepEqual(values(run), [['brightness', 10, 50, 'push', false]]);
    });

    it('reports nothing when the read already saw the pushed value', async function () {
      const reads = new FakeReads();
      reads.manual = true;
      const run = start({ watchOnline: false }, reads);
      run.source.goLive();
      await settle();
      reads.setValues(LAMP, { brightness: 50 });
      run.source.push(reportPush(LAMP, { brightness: 50 }));
      reads.answerAll();
      await settle();
      assert.deepEqual(run.changes, [], 'the read set the baseline to 50: the push is no change');
    });

    it('holds online pushes while the status is read', async function () {
      const reads = new FakeReads();
      reads.manual = true;
      const run = start({ watchState: false }, reads);
      run.source.goLive();
      await settle();
      run.source.push(onlinePush(LAMP, false));
      await settle();
      assert.equal(run.changes.length, 0);
      reads.answerAll();
      await settle();
      assert.deepEqual(
        run.changes.map((c) => (c.kind === 'online' ? [c.was, c.online, c.source] : [])),
        [[true, false, 'push']],
      );
    });

    it('passes events and action replies at once, even while a read is in flight', async function () {
      const reads = new FakeReads();
      reads.manual = true;
      const run = start({}, reads);
      run.source.goLive();
      await settle();
      run.source.push(eventPush(LAMP, 'ring', { button: 1 }));
      assert.deepEqual(
        run.changes.map((c) => c.kind),
        ['event'],
      );
    });

    it('takes a control going down as no change of the device', async function () {
      const run = start({ watchOnline: false });
      run.source.goLive();
      await settle();
      run.source.push(controlPush(LAMP, { brightness: 99 }));
      assert.equal(run.changes.length, 0);
    });
  });

  describe('reconnects', function () {
    it('reads again after each reconnect and marks what it finds gapFill; pushes are not', async function () {
      const run = start({ watchOnline: false });
      run.source.goLive();
      await settle();
      run.source.drop();
      run.reads.setValues(LAMP, { brightness: 20 });
      run.source.goLive();
      await settle();
      assert.equal(run.reads.count('AppGetDeviceData'), 2);
      run.source.push(reportPush(LAMP, { brightness: 21 }));
      assert.deepEqual(values(run), [
        ['brightness', 10, 20, 'poll', true],
        ['brightness', 20, 21, 'push', false],
      ]);
    });

    it('does not read again when the state changes within one session', async function () {
      const run = start({ watchOnline: false });
      run.source.goLive();
      await settle();
      // The same session reported again (the subscription was renewed).
      const same = run.source.state;
      for (const subscriber of run.source.subscribers) subscriber.state({ ...same });
      await settle();
      assert.equal(run.reads.count('AppGetDeviceData'), 1);
    });
  });

  describe('failed reads', function () {
    const unavailable = () =>
      new IotExplorerError({ code: 'IOTX_HTTP_STATUS', key: 'unexpected', params: {} });

    it('tries again after readRetryMs, doubling up to 8 times it, reports once, and recovers', async function () {
      const reads = new FakeReads();
      reads.failWith = unavailable();
      const run = start({ watchOnline: false }, reads);
      run.source.goLive();
      await settle();
      assert.equal(reads.count('AppGetDeviceData'), 1);
      const at: number[] = [];
      for (let ms = 0; ms <= 30 * RETRY_MS; ms += 100) {
        const before = reads.count('AppGetDeviceData');
        await clock.tickAsync(100);
        if (reads.count('AppGetDeviceData') > before) at.push(Date.now());
      }
      const gaps = at.map((t, i) => t - (i === 0 ? 0 : at[i - 1]));
      assert.deepEqual(gaps.slice(0, 5), [1000, 2000, 4000, 8000, 8000]);
      assert.equal(run.failures.length, 1, 'reported once per code');
      const repaints = run.states.length;
      reads.failWith = undefined;
      await clock.tickAsync(8 * RETRY_MS);
      run.source.push(reportPush(LAMP, { brightness: 42 }));
      assert.deepEqual(values(run), [['brightness', 10, 42, 'push', false]]);
      assert.equal(run.states.length, repaints + 1, 'the recovery repaints the state');
      const calls = reads.count('AppGetDeviceData');
      await clock.tickAsync(60 * RETRY_MS);
      assert.equal(reads.count('AppGetDeviceData'), calls, 'no read after the one that succeeded');
    });

    it('keeps one retry per device when a gap-fill read fails while a retry waits', async function () {
      const reads = new FakeReads();
      reads.failWith = unavailable();
      const run = start({ watchOnline: false }, reads);
      run.source.goLive();
      await settle();
      // A reconnect before the retry is due: its gap-fill read fails too.
      run.source.drop();
      run.source.goLive();
      await settle();
      assert.equal(reads.count('AppGetDeviceData'), 2);
      await clock.tickAsync(8 * RETRY_MS - 1);
      // One retry chain: after 1 s, then 4 s (the count went to 2, then 3): 2 reads, not 4.
      assert.equal(reads.count('AppGetDeviceData'), 4);
      assert.equal(clock.countTimers(), 1, 'one retry waiting');
    });
  });

  describe('bounds (a hostile push server)', function () {
    it(`holds at most ${MAX_HELD_PUSHES} pushes per device during a read, and ends with the last value`, async function () {
      const reads = new FakeReads();
      reads.manual = true;
      const run = start({ watchOnline: false }, reads);
      run.source.goLive();
      await settle();
      for (let n = 1; n <= 2000; n++) {
        // Each push changes brightness; every tenth also names a property of its own.
        const values: Record<string, unknown> = { brightness: 100 + n };
        if (n % 10 === 0) values[`p${n}`] = n;
        run.source.push(reportPush(LAMP, values));
      }
      reads.answerAll();
      await settle();
      const brightness = run.changes.filter(
        (c) => c.kind === 'property' && c.property === 'brightness',
      );
      assert.ok(
        brightness.length <= MAX_HELD_PUSHES,
        `${brightness.length} changes released, at most ${MAX_HELD_PUSHES}`,
      );
      const last = brightness.at(-1);
      assert.equal(last?.kind === 'property' && last.newValue, 2100, 'the last value');
      // Folding keeps every property's last value: none of the 200 others is lost.
      const others = new Set(
        run.changes.flatMap((c) =>
          c.kind === 'property' && c.property !== 'brightness' ? [c.property] : [],
        ),
      );
      assert.equal(others.size, 200, 'every other property kept');
    });

    it(`holds at most ${MAX_HELD_PUSHES} online pushes during a status read`, async function () {
      const reads = new FakeReads();
      reads.manual = true;
      const run = start({ watchState: false }, reads);
      run.source.goLive();
      await settle();
      for (let n = 1; n <= 2000; n++) run.source.push(onlinePush(LAMP, n % 2 === 0));
      reads.answerAll();
      await settle();
      assert.ok(run.changes.length <= MAX_HELD_PUSHES, `${run.changes.length} online changes`);
      const last = run.changes.at(-1);
      assert.equal(last?.kind === 'online' && last.online, true, 'the last state');
    });

    it('queues one status read however many unattributed status pushes arrive', async function () {
      const reads = new FakeReads();
      reads.manual = true;
      const run = start({ watchState: false }, reads);
      run.source.goLive();
      await settle();
      for (let n = 0; n < 1000; n++) {
        run.source.unattributedStatus();
        await settle();
      }
      await answerUntilIdle(reads);
      // The baseline read in flight, then one read for all that came during it.
      assert.equal(reads.count('AppGetDeviceStatuses'), 2);
    });

    it('queues one read per device however often the source reconnects while reads hang', async function () {
      const reads = new FakeReads();
      reads.manual = true;
      const run = start({}, reads);
      run.source.goLive();
      await settle();
      for (let n = 0; n < 500; n++) {
        run.source.drop();
        run.source.goLive();
        await settle();
      }
      await answerUntilIdle(reads);
      // At most the read in flight, then one for all the reconnects that came during it.
      const data = reads.count('AppGetDeviceData');
      const statuses = reads.count('AppGetDeviceStatuses');
      assert.ok(data >= 1 && data <= 2, `${data} value reads`);
      assert.ok(statuses >= 1 && statuses <= 2, `${statuses} status reads`);
    });

    it('ignores pushes of devices it does not watch', async function () {
      const run = start({ watchOnline: false });
      run.source.goLive();
      await settle();
      run.source.pushToAll(reportPush(STRANGER, { brightness: 1 }));
      run.source.pushToAll(eventPush(PLUG, 'overload', {}));
      assert.equal(run.changes.length, 0);
    });
  });

  describe('stop', function () {
    it('unsubscribes, aborts the reads in flight and leaves no timer', async function () {
      const reads = new FakeReads();
      reads.manual = true;
      const run = start({}, reads);
      run.source.goLive();
      await settle();
      assert.ok(reads.pending.length > 0);
      run.source.push(reportPush(LAMP, { brightness: 70 }));
      await run.watcher.stop();
      assert.equal(reads.pending.length, 0, 'aborted');
      assert.equal(run.source.subscribers.size, 0);
      assert.equal(clock.countTimers(), 0);
      assert.deepEqual(run.changes, [], 'nothing after stop, held pushes included');
      assert.deepEqual(run.failures, [], 'an aborted read is no failure');
    });

    it('with nothing to watch, subscribes to nothing', function () {
      const run = start({
        watchState: false,
        watchOnline: false,
        watchEvents: false,
        watchActions: false,
      });
      assert.equal(run.watcher.active, false);
      assert.equal(run.source.subscribers.size, 0);
      assert.equal(clock.countTimers(), 0);
    });
  });
});
