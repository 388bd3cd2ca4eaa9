// The home's one rule for what changed between two complete reads (lib/home/home-diff.ts).
import assert from 'node:assert/strict';
import { diffHomes } from '../../lib/home/home-diff';
import { bareRecord, type DeviceRecord } from '../../lib/shared/home';

function owned(name: string, room = 'r_living', alias: string | null = name): DeviceRecord {
  return {
    ...bareRecord('LIGHT0A1B2', name),
    alias,
    familyId: 'f_home',
    familyName: 'Home',
    roomId: room,
    roomName: room,
  };
}

function shared(name: string): DeviceRecord {
  return { ...bareRecord('LIGHT0A1B2', name), shared: true, sharedBy: 'u-owner' };
}

describe('home diff (unit)', function () {
  it('names nothing when the two reads hold the same devices', function () {
    const home = [owned('a'), shared('s')];
    assert.deepEqual(diffHomes(home, structuredClone(home)), []);
  });

  it('tells added, removed, shared and unshared devices apart', function () {
    const before = [owned('a'), owned('gone'), shared('s1')];
    const after = [owned('a'), owned('new'), shared('s2')];
    const changes = diffHomes(before, after).map((c) => `${c.kind} ${c.device.deviceName}`);
    assert.deepEqual(changes, ['added new', 'shared s2', 'removed gone', 'unshared s1']);
  });

  it('reports a move and a rename, each with the record before', function () {
    const before = [owned('a', 'r_living', 'Lamp'), owned('b', 'r_living', 'B')];
    const after = [owned('a', 'r_bedroom', 'Lamp'), owned('b', 'r_living', 'Bee')];
    const changes = diffHomes(before, after);
    assert.deepEqual(
      changes.map((c) => [c.kind, c.device.deviceName, c.before?.roomId, c.before?.alias]),
      [
        ['moved', 'a', 'r_living', 'Lamp'],
        ['renamed', 'b', 'r_living', 'B'],
      ],
    );
  });

  it('reports both when a device moved to another family and was renamed', function () {
    const after = { ...owned('a', 'r_x', 'New'), familyId: 'f_other' };
    assert.deepEqual(
      diffHomes([owned('a')], [after]).map((c) => c.kind),
      ['moved', 'renamed'],
    );
  });

  it('ignores online states, product and room names', function () {
    const before = [owned('a')];
    const after = [{ ...owned('a'), online: true, productName: 'Lamp', roomName: 'Salon' }];
    assert.deepEqual(diffHomes(before, after), []);
  });

  it('an owned device that becomes shared is "shared"; a shared one that becomes owned "added"', function () {
    assert.deepEqual(
      diffHomes([owned('a')], [shared('a')]).map((c) => c.kind),
      ['shared'],
    );
    assert.deepEqual(
      diffHomes([shared('a')], [owned('a')]).map((c) => c.kind),
      ['added'],
    );
  });
});
