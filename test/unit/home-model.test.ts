// The home model through its seam (lib/home/home-model.ts): a fake home API and sinon's clock,
// so loading, refreshing, staleness, back-off and close are checked in milliseconds. The same
// behaviours against the simulator: test/nodes/home-model.test.ts.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { IotExplorerError, LocalErrorCode } from '../../lib/errors/errors';
import { HomeModel } from '../../lib/home/home-model';
import type { HomeChange } from '../../lib/shared/home';
import { FakeHomeApi, readLimit } from '../support/home-fakes';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('home model (unit, through its seam)', function () {
  let clock: sinon.SinonFakeTimers;
  let models: HomeModel[];

  beforeEach(function () {
    clock = sinon.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    models = [];
  });

  afterEach(function () {
    for (const model of models) model.close();
    clock.restore();
  });

  function make(
    api = new FakeHomeApi(),
    options: { refreshMinutes?: number; readForNames?: boolean } = {},
  ) {
    const model = new HomeModel({ api, pushes: undefined, retryMs: 1000, ...options });
    models.push(model);
    return { api, model };
  }

  it('reads nothing until asked, then the whole home once for concurrent askers', async function () {
    const { api, model } = make();
    await settle();
    assert.equal(api.homeCalls.length, 0, 'nothing read before anyone asks');
    const [a, b, c] = await Promise.all([model.snapshot(), model.snapshot(), model.snapshot()]);
    assert.equal(api.homeCount('AppGetFamilyList'), 1);
    assert.equal(api.homeCount('AppListUserShareDevices'), 1);
    assert.equal(api.count('AppGetDeviceStatuses'), 1);
    assert.deepEqual(a, b);
    assert.deepEqual(b, c);
    assert.deepEqual(
      a.devices.map((d) => [d.deviceId, d.roomName, d.shared, d.productName, d.online]),
      [
        ['LIGHT0A1B2/lamp', 'Living', false, 'Smart Lamp', true],
        ['LIGHT0A1B2/bed', 'Bedroom', false, 'Smart Lamp', true],
        ['LIGHT0A1B2/shared', null, true, 'Smart Lamp', true],
      ],
    );
    assert.equal(a.devices[2].sharedBy, 'u-owner');
    assert.equal(a.devices[2].familyId, null);
    assert.deepEqual(
      a.families[0].rooms.map((r) => [r.roomId, r.roomName, r.deviceCount]),
      [
        ['0', null, 0],
        ['r_living', 'Living', 1],
        ['r_bedroom', 'Bedroom', 1],
      ],
    );
    assert.equal(a.stale, false);
  });

  it('recordFor never waits and never reads: ids only until the home is read, then names', async function () {
    const { api, model } = make();
    const bare = model.recordFor('LIGHT0A1B2', 'lamp');
    assert.equal(bare.alias, null);
    assert.equal(bare.deviceId, 'LIGHT0A1B2/lamp');
    model.recordFor('LIGHT0A1B2', 'bed');
    await settle();
    assert.equal(api.homeCount('AppGetFamilyList'), 0, 'a call reads nothing of the home');
    await model.snapshot();
    assert.equal(model.recordFor('LIGHT0A1B2', 'lamp').alias, 'Lamp');
    assert.equal(api.homeCount('AppGetFamilyList'), 1, 'a known record reads nothing');
  });

  it("with readForNames, the first unknown record starts one read, in a lane of its own; a read someone waits for is the flows'", async function () {
    const { api, model } = make(undefined, { readForNames: true });
    assert.equal(model.recordFor('LIGHT0A1B2', 'lamp').alias, null, 'the call never waits');
    model.recordFor('LIGHT0A1B2', 'bed');
    model.recordFor('LIGHT0A1B2', 'lamp');
    await settle();
    assert.equal(api.homeCount('AppGetFamilyList'), 1, 'one read for the account');
    assert.ok(api.homeLanes.length > 0);
    assert.ok(
      api.homeLanes.every((lane) => lane !== undefined),
      "the background read's calls go in its own lane, not the flows' queue",
    );
    assert.equal(model.recordFor('LIGHT0A1B2', 'lamp').alias, 'Lamp');

    const waited = make();
    await waited.model.snapshot();
    assert.ok(
      waited.api.homeLanes.every((lane) => lane === undefined),
      "a read a node waits for is in the flows' queue",
    );
  });

  it('reports the changes between complete reads: added, removed, renamed, moved, shared, unshared', async function () {
    const { api, model } = make();
    await model.snapshot();
    const seen: HomeChange[][] = [];
    model.onChange((changes) => seen.push(changes));
    api.addDevice({
      deviceId: 'LIGHT0A1B2/new',
      alias: 'New',
      familyId: 'f_home',
      roomId: 'r_living',
    });
    api.devices.delete('LIGHT0A1B2/bed');
    api.devices.get('LIGHT0A1B2/lamp')!.alias = 'Renamed';
    api.devices.get('LIGHT0A1B2/lamp')!.roomId = 'r_bedroom';
    api.devices.delete('LIGHT0A1B2/shared');
    api.addDevice({ deviceId: 'LIGHT0A1B2/shared2', alias: 'Other' });
    await model.snapshot({ refresh: true });
    assert.equal(seen.length, 1);
    assert.deepEqual(
      seen[0].map((c) => `${c.kind} ${c.device.deviceName}`),
      [
        'moved lamp',
        'renamed lamp',
        'added new',
        'shared shared2',
        'removed bed',
        'unshared shared',
      ],
    );
  });

  it('a refresh cut short keeps the last good home, marks it stale, reports no removal and retries with back-off', async function () {
    const { api, model } = make();
    await model.snapshot();
    const seen: HomeChange[][] = [];
    model.onChange((changes) => seen.push(changes));
    api.failing.set('AppListUserShareDevices', readLimit('AppListUserShareDevices'));
    api.devices.delete('LIGHT0A1B2/bed');
    const stale = await model.snapshot({ refresh: true });
    assert.equal(stale.stale, true);
    assert.equal(stale.devices.length, 3, 'the last complete home stays');
    assert.equal(seen.length, 0, 'no removal from a cut-short read');

    // Back-off: 1 s, then 2 s, then 4 s.
    const before = api.homeCount('AppGetFamilyList');
    await clock.tickAsync(999);
    assert.equal(api.homeCount('AppGetFamilyList'), before);
    await clock.tickAsync(1);
    assert.equal(api.homeCount('AppGetFamilyList'), before + 1);
    await clock.tickAsync(1999);
    assert.equal(api.homeCount('AppGetFamilyList'), before + 1);
    await clock.tickAsync(1);
    assert.equal(api.homeCount('AppGetFamilyList'), before + 2);

    api.failing.clear();
    await clock.tickAsync(4000);
    const fresh = model.current()!;
    assert.equal(fresh.stale, false);
    assert.deepEqual(
      seen.flat().map((c) => `${c.kind} ${c.device.deviceName}`),
      ['removed bed'],
    );
  });

  it('refreshes on its schedule (the account setting, in minutes)', async function () {
    const { api, model } = make(undefined, { refreshMinutes: 2 });
    await model.snapshot();
    await clock.tickAsync(2 * 60_000 - 1);
    assert.equal(api.homeCount('AppGetFamilyList'), 1);
    await clock.tickAsync(1);
    assert.equal(api.homeCount('AppGetFamilyList'), 2);
  });

  it('with no good home yet, a failed read is an error naming why, and asking again within the back-off reads nothing', async function () {
    const api = new FakeHomeApi();
    api.failing.set(
      'AppGetFamilyList',
      new IotExplorerError({ code: 'InternalError', key: 'api.internal' }),
    );
    const { model } = make(api);
    await assert.rejects(model.snapshot(), (err: IotExplorerError) => {
      assert.equal(err.code, 'InternalError');
      assert.match(err.message, /could not be read/);
      return true;
    });
    await assert.rejects(model.snapshot(), /could not be read/);
    assert.equal(api.homeCount('AppGetFamilyList'), 1, 'no second read within the back-off');
  });

  it('close ends the schedule and a read under way at once: no timer, no unhandled rejection', async function () {
    const { api, model } = make();
    await model.snapshot();
    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    const pending = model.snapshot({ refresh: true });
    model.close();
    open();
    await assert.rejects(pending, (err: IotExplorerError) => err.code === LocalErrorCode.Closed);
    await settle();
    assert.equal(clock.countTimers(), 0, 'no timer left');
    assert.equal(model.busy, false);
    await assert.rejects(
      model.snapshot(),
      (err: IotExplorerError) => err.code === LocalErrorCode.Closed,
    );
  });

  it('keeps memory bounded by the home: removed devices and their product names go', async function () {
    const api = new FakeHomeApi();
    api.productNames.set('PLUG00AAAA', 'Plug');
    api.addDevice({ deviceId: 'PLUG00AAAA/desk', alias: 'Desk', familyId: 'f_home' });
    const { model } = make(api);
    await model.snapshot();
    api.devices.delete('PLUG00AAAA/desk');
    const after = await model.snapshot({ refresh: true });
    assert.equal(after.devices.length, 3);
    assert.equal(model.known('PLUG00AAAA/desk'), undefined);
    assert.equal(api.homeCount('AppGetProducts'), 1, 'known product names are not read again');
  });
});
