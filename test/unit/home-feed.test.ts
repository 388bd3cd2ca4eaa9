// The account's shared device feed (lib/home/device-feed.ts) under real push watchers, through
// the watch seam: a fake push source and fake reads. Ten watchers on overlapping devices make one
// subscription and one baseline read per device; a device that leaves the home is said once.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { IotExplorerError, LocalErrorCode } from '../../lib/errors/errors';
import { DeviceFeed } from '../../lib/home/device-feed';
import type { WatchChange } from '../../lib/watch/changes';
import type { ReadTarget } from '../../lib/watch/device-reader';
import { PushWatcher } from '../../lib/watch/push-watcher';
import { FakePushSource, FakeReads, onlinePush, reportPush } from '../support/watch-fakes';

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

const DEVICES = Array.from({ length: 12 }, (_, i) => `LIGHT0A1B2/lamp_${i}`);

interface Watch {
  watcher: PushWatcher;
  changes: WatchChange[];
  failures: Array<{ code: string; target: ReadTarget }>;
}

describe('shared device feed (unit, under push watchers)', function () {
  let clock: sinon.SinonFakeTimers;
  let source: FakePushSource;
  let reads: FakeReads;
  let feed: DeviceFeed;
  let watches: Watch[];

  beforeEach(function () {
    clock = sinon.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    source = new FakePushSource();
    reads = new FakeReads();
    for (const [i, id] of DEVICES.entries()) {
      reads.setValues(id, { brightness: i, power_switch: 1 });
      reads.online.set(id, true);
    }
    feed = new DeviceFeed({ pushes: source, reads });
    watches = [];
  });

  afterEach(async function () {
    await Promise.all(watches.map((w) => w.watcher.stop()));
    feed.close();
    clock.restore();
  });

  function watch(deviceIds: string[]): Watch {
    const w: Watch = { changes: [], failures: [], watcher: undefined as unknown as PushWatcher };
    w.watcher = new PushWatcher(
      {
        reads: feed,
        pushes: feed,
        deviceIds,
        properties: [],
        watchState: true,
        watchOnline: true,
        watchEvents: true,
        watchActions: true,
        emitInitial: false,
        baselineWaitMs: 3000,
        readRetryMs: 1000,
      },
      {
        change: (change) => w.changes.push(change),
        failure: (err, target) => w.failures.push({ code: err.code, target }),
        connection: () => undefined,
      },
    );
    w.watcher.start();
    watches.push(w);
    return w;
  }

  /** Ten watchers, each on 4 devices of 12, overlapping: every device is watched 3 or 4 times. */
  function tenWatchers(): Watch[] {
    return Array.from({ length: 10 }, (_, n) =>
      watch([0, 1, 2, 3].map((k) => DEVICES[(n + k * 3) % DEVICES.length])),
    );
  }

  it('ten watchers on overlapping devices: one subscription, one baseline read of each device', async function () {
    tenWatchers();
    await settle();
    assert.equal(source.subscribers.size, 1, 'one subscriber on the connection');
    assert.equal(feed.stats.upstreamSubscriptions, 1);
    assert.deepEqual([...feed.wanted].sort(), [...DEVICES].sort());
    source.goLive();
    await settle();
    for (const id of DEVICES) {
      assert.equal(reads.count('AppGetDeviceData', id), 1, `one value read of ${id}`);
      assert.equal(reads.count('AppGetDeviceStatuses', id), 1, `one status read of ${id}`);
    }
    assert.ok(feed.stats.answeredFromFeed + feed.stats.joined > 0);
  });

  it('without the feed the same watchers read each device once per watcher', async function () {
    // The comparison the feed is for: each watcher on the connection itself.
    const direct = Array.from({ length: 10 }, (_, n) => {
      const w = new PushWatcher(
        {
          reads,
          pushes: source,
          deviceIds: [0, 1, 2, 3].map((k) => DEVICES[(n + k * 3) % DEVICES.length]),
          properties: [],
          watchState: true,
          watchOnline: true,
          watchEvents: false,
          watchActions: false,
          emitInitial: false,
          baselineWaitMs: 3000,
          readRetryMs: 1000,
        },
        { change: () => undefined, failure: () => undefined, connection: () => undefined },
      );
      w.start();
      return w;
    });
    source.goLive();
    await settle();
    assert.equal(source.subscribers.size, 10);
    assert.ok(reads.count('AppGetDeviceData', DEVICES[0]) > 1);
    await Promise.all(direct.map((w) => w.stop()));
  });

  it('hands each watcher the pushes of its own devices, once', async function () {
    const all = tenWatchers();
    await settle();
    source.goLive();
    await settle();
    source.push(reportPush(DEVICES[3], { brightness: 99 }));
    source.push(onlinePush(DEVICES[4], false));
    for (const w of all) {
      const mine = new Set(w.watcher['options'].deviceIds);
      const got = w.changes.map((c) => `${c.deviceId} ${c.kind}`);
      const expected = [
        ...(mine.has(DEVICES[3]) ? [`${DEVICES[3]} property`] : []),
        ...(mine.has(DEVICES[4]) ? [`${DEVICES[4]} online`] : []),
      ];
      assert.deepEqual(got, expected);
    }
  });

  it('a later watcher of a live device gets its values from the feed, pushed changes included', async function () {
    const first = watch([DEVICES[0]]);
    await settle();
    source.goLive();
    await settle();
    source.push(reportPush(DEVICES[0], { brightness: 55 }));
    assert.equal(first.changes.length, 1);
    const later = watch([DEVICES[0]]);
    await settle();
    // The connection tells the new subscription's state: the feed answers the baseline.
    source.goLive();
    await settle();
    assert.equal(reads.count('AppGetDeviceData', DEVICES[0]), 2, 'the new session reads again');
    assert.equal(later.failures.length, 0);
    const value = feed.values(DEVICES[0]);
    assert.equal(value?.brightness.value, 0, 'the read of the new session is kept');
  });

  it('after a reconnect, fills the gap with one read per device for all watchers', async function () {
    tenWatchers();
    await settle();
    source.goLive();
    await settle();
    source.drop();
    for (const id of DEVICES) reads.setValues(id, { brightness: 77 });
    source.goLive();
    await settle();
    for (const id of DEVICES) assert.equal(reads.count('AppGetDeviceData', id), 2);
    const changed = watches.flatMap((w) => w.changes).filter((c) => c.kind === 'property');
    assert.equal(changed.length, 40, 'each watcher hears each of its 4 devices change once');
  });

  it('an unattributed status change reads the online states again, once per device', async function () {
    tenWatchers();
    await settle();
    source.goLive();
    await settle();
    reads.online.set(DEVICES[5], false);
    source.unattributedStatus();
    await settle();
    for (const id of DEVICES) assert.equal(reads.count('AppGetDeviceStatuses', id), 2);
    const offline = watches.flatMap((w) => w.changes).filter((c) => c.kind === 'online');
    assert.ok(offline.length > 0 && offline.every((c) => c.deviceId === DEVICES[5]));
  });

  it('a device gone from the home is said once to each of its watchers; the rest go on', async function () {
    const all = tenWatchers();
    await settle();
    source.goLive();
    await settle();
    const gone = DEVICES[2];
    const reason = new IotExplorerError({
      code: LocalErrorCode.DeviceGone,
      key: 'home.deviceUnshared',
      params: { device: gone, action: 'AppListUserShareDevices' },
    });
    feed.gone([gone], reason);
    feed.gone([gone], reason);
    // Its reads now fail as the API answers an ended share; nobody hears that again.
    reads.values.delete(gone);
    reads.online.delete(gone);
    source.drop();
    source.goLive();
    await settle();
    await clock.tickAsync(10_000);
    await settle();
    for (const w of all) {
      const watched = w.watcher['options'].deviceIds.includes(gone);
      assert.deepEqual(
        w.failures.map((f) => [f.code, f.target.deviceId]),
        watched ? [[LocalErrorCode.DeviceGone, gone]] : [],
      );
    }
    assert.equal(reads.count('AppGetDeviceData', gone), 1, 'not read after it left');
    source.push(reportPush(DEVICES[0], { brightness: 42 }));
    const heard = all.flatMap((w) => w.changes).filter((c) => c.deviceId === DEVICES[0]);
    assert.ok(
      heard.some((c) => c.kind === 'property' && c.newValue === 42),
      'the rest go on',
    );
  });

  it('a device back in the home is subscribed anew and read again', async function () {
    const w = watch([DEVICES[0], DEVICES[1]]);
    await settle();
    source.goLive();
    await settle();
    feed.gone(
      [DEVICES[1]],
      new IotExplorerError({ code: LocalErrorCode.DeviceGone, key: 'home.deviceRemoved' }),
    );
    assert.equal(feed.state.live.has(DEVICES[1]), false);
    feed.back([DEVICES[1]]);
    await settle();
    assert.equal(feed.stats.upstreamSubscriptions, 2, 'a new ActivePush for it');
    assert.equal(reads.count('AppGetDeviceData', DEVICES[1]), 2, 'read again once live');
    assert.equal(reads.count('AppGetDeviceData', DEVICES[0]), 1, 'the other is not');
    assert.equal(w.failures.length, 1);
  });

  it('unsubscribes from the connection when the last watcher stops, and close ends everything', async function () {
    tenWatchers();
    await settle();
    source.goLive();
    await settle();
    assert.equal(feed.keptDevices, DEVICES.length);
    await Promise.all(watches.map((w) => w.watcher.stop()));
    await settle();
    assert.equal(source.subscribers.size, 0);
    assert.equal(feed.keptDevices, 0, 'nothing kept of devices nobody watches');
    feed.close();
    await assert.rejects(
      feed.getDeviceData({ productId: 'LIGHT0A1B2', deviceName: 'lamp_0' }, {}),
      (err: IotExplorerError) => err.code === LocalErrorCode.Closed,
    );
    assert.equal(clock.countTimers(), 0);
  });

  it('one caller giving up does not cancel the read others wait for', async function () {
    reads.manual = true;
    const stop = new AbortController();
    const a = feed.getDeviceData(
      { productId: 'LIGHT0A1B2', deviceName: 'lamp_1' },
      { signal: stop.signal },
    );
    const b = feed.getDeviceData({ productId: 'LIGHT0A1B2', deviceName: 'lamp_1' }, {});
    stop.abort();
    await assert.rejects(a, (err: IotExplorerError) => err.code === LocalErrorCode.Closed);
    reads.answerAll();
    assert.equal((await b).properties.brightness.value, 1);
    assert.equal(reads.count('AppGetDeviceData'), 1);
  });
});
