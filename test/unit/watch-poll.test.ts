// The polling watcher (lib/watch/device-watcher.ts) through its seam: fake reads and sinon's
// fake clock, so its pacing and back-off are checked without waiting for them.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { IotExplorerError } from '../../lib/errors/errors';
import {
  DeviceWatcher,
  MAX_BACKOFF_MS,
  type PollWatchOptions,
} from '../../lib/watch/device-watcher';
import type { WatchChange } from '../../lib/watch/changes';
import { FakeReads } from '../support/watch-fakes';

const LAMP = 'LIGHT0A1B2/living_lamp';
const PLUG = 'PLUG00AAAA/desk_plug';
const INTERVAL_MS = 30_000;

describe('poll watcher (unit, through its seam)', function () {
  let clock: sinon.SinonFakeTimers;
  let watchers: DeviceWatcher[] = [];

  beforeEach(function () {
    clock = sinon.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    watchers = [];
  });

  afterEach(async function () {
    await Promise.all(watchers.map((w) => w.stop()));
    clock.restore();
  });

  function start(options: Partial<PollWatchOptions> = {}, manual = false) {
    const reads = new FakeReads();
    reads.manual = manual;
    reads.setValues(LAMP, { brightness: 10 });
    reads.setValues(PLUG, { power: 0 });
    reads.online.set(LAMP, true);
    reads.online.set(PLUG, true);
    const changes: WatchChange[] = [];
    const rounds: Array<{ failed?: string; nextMs: number }> = [];
    const failures: string[] = [];
    const watcher = new DeviceWatcher(
      {
        reads,
        deviceIds: [LAMP, PLUG],
        properties: [],
        watchState: true,
        watchOnline: true,
        intervalMs: INTERVAL_MS,
        emitInitial: false,
        ...options,
      },
      {
        change: (c) => changes.push(c),
        failure: (err) => failures.push(err.code),
        round: ({ failed, nextMs }) => rounds.push({ failed: failed?.code, nextMs }),
      },
    );
    watchers.push(watcher);
    watcher.start();
    return { watcher, reads, changes, rounds, failures };
  }

  it('spreads a round of calls over the interval: one status call, one data call per device', async function () {
    const run = start();
    await clock.tickAsync(0);
    assert.equal(run.reads.calls.length, 1, 'the first call at once');
    await clock.tickAsync(INTERVAL_MS / 3);
    assert.equal(run.reads.calls.length, 2);
    await clock.tickAsync(INTERVAL_MS / 3);
    assert.deepEqual(
      run.reads.calls.map((c) => c.action),
      ['AppGetDeviceStatuses', 'AppGetDeviceData', 'AppGetDeviceData'],
    );
    assert.deepEqual(run.rounds, [{ failed: undefined, nextMs: INTERVAL_MS / 3 }]);
    assert.equal(run.changes.length, 0, 'the first round is the baseline');
    run.reads.setValues(PLUG, { power: 1 });
    await clock.tickAsync(INTERVAL_MS);
    assert.deepEqual(
      run.changes.map((c) => (c.kind === 'property' ? [c.deviceId, c.newValue] : [])),
      [[PLUG, 1]],
    );
  });

  it('doubles the period after each failing round, up to the ceiling, and reports once', async function () {
    const run = start({ watchOnline: false, deviceIds: [LAMP] });
    run.reads.failWith = new IotExplorerError({
      code: 'IOTX_HTTP_STATUS',
      key: 'unexpected',
      params: {},
    });
    await clock.tickAsync(60 * 60_000);
    const waits = run.rounds.map((r) => r.nextMs);
    assert.deepEqual(waits.slice(0, 5), [60_000, 120_000, 240_000, 480_000, MAX_BACKOFF_MS]);
    assert.ok(waits.slice(4).every((w) => w === MAX_BACKOFF_MS));
    assert.deepEqual(run.failures, ['IOTX_HTTP_STATUS'], 'once per code and target');
    run.reads.failWith = undefined;
    const failedRounds = run.rounds.length;
    for (let ms = 0; ms < MAX_BACKOFF_MS && run.rounds.length === failedRounds; ms += 1000) {
      await clock.tickAsync(1000);
    }
    assert.equal(run.rounds.length, failedRounds + 1);
    // The round that succeeds waits the interval again, not the period it was backed off to.
    assert.deepEqual(run.rounds.at(-1), { failed: undefined, nextMs: INTERVAL_MS });
    const at = Date.now();
    await clock.tickAsync(INTERVAL_MS);
    assert.equal(run.rounds.length, failedRounds + 2, `the next round ${Date.now() - at} ms later`);
  });

  it('stops at once, aborting a call in flight, and leaves no timer', async function () {
    const run = start({}, true);
    await clock.tickAsync(0);
    assert.equal(run.reads.pending.length, 1);
    await run.watcher.stop();
    assert.equal(run.reads.pending.length, 0);
    assert.equal(clock.countTimers(), 0);
    assert.deepEqual(run.failures, []);
  });
});
