// The change tracker (lib/watch/changes.ts): what is a change, whichever way it was learned, and
// the bound on what it remembers per device.
import assert from 'node:assert/strict';
import { ChangeTracker, MAX_PROPERTIES_PER_DEVICE, type Origin } from '../../lib/watch/changes';
import type { WatchChange } from '../../lib/watch/changes';

const LAMP = 'LIGHT0A1B2/living_lamp';
const READ: Origin = { source: 'poll', action: 'AppGetDeviceData', read: true, gapFill: false };
const PUSH: Origin = { source: 'push', action: 'DeviceChange', read: false, gapFill: false };

function readings(values: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(values).map(([id, value]) => [id, { value, lastUpdate: 1 }]),
  );
}

describe('change tracker (unit)', function () {
  function tracker(properties: string[] = [], emitInitial = false) {
    const changes: WatchChange[] = [];
    const t = new ChangeTracker({ properties, emitInitial }, (c) => changes.push(c));
    return { t, changes };
  }

  it('takes the first read as the baseline, then reports each differing value once', function () {
    const { t, changes } = tracker();
    t.setProperties(LAMP, readings({ brightness: 10, color: { r: 1 } }), READ);
    assert.equal(changes.length, 0);
    t.setProperties(LAMP, readings({ brightness: 10, color: { r: 1 } }), PUSH);
    assert.equal(changes.length, 0, 'the same value, compared by content, is no change');
    t.setProperties(LAMP, readings({ brightness: 11 }), PUSH);
    assert.deepEqual(
      changes.map((c) => (c.kind === 'property' ? [c.oldValue, c.newValue, c.source] : [])),
      [[10, 11, 'push']],
    );
  });

  it('after pushes came first, the first read is still a baseline, not a change of each property', function () {
    const { t, changes } = tracker();
    t.setProperties(LAMP, readings({ brightness: 42 }), PUSH);
    assert.equal(changes.length, 1, 'a pushed value before any read is newly reported');
    t.setProperties(LAMP, readings({ brightness: 42, color: 0, power: 1 }), READ);
    assert.equal(changes.length, 1, 'the properties only the read knows are not changes');
  });

  it('watches only the listed properties', function () {
    const { t, changes } = tracker(['brightness']);
    t.setProperties(LAMP, readings({ brightness: 1, color: 1 }), READ);
    t.setProperties(LAMP, readings({ brightness: 2, color: 2 }), PUSH);
    assert.deepEqual(
      changes.map((c) => (c.kind === 'property' ? c.property : '')),
      ['brightness'],
    );
  });

  it(`remembers at most ${MAX_PROPERTIES_PER_DEVICE} property ids per device; known ones keep changing`, function () {
    const { t, changes } = tracker();
    t.setProperties(LAMP, readings({ brightness: 1 }), READ);
    // A server inventing a new property id in every push.
    for (let n = 0; n < 1000; n++) t.setProperties(LAMP, readings({ [`x${n}`]: n }), PUSH);
    assert.equal(
      changes.length,
      MAX_PROPERTIES_PER_DEVICE - 1,
      'new ids beyond the bound are not remembered, so not reported',
    );
    t.setProperties(LAMP, readings({ brightness: 2, x0: 'changed' }), PUSH);
    assert.deepEqual(
      changes.slice(-2).map((c) => (c.kind === 'property' ? c.property : '')),
      ['brightness', 'x0'],
    );
  });

  it('reports online changes; the first read of the state is the baseline', function () {
    const { t, changes } = tracker();
    t.setOnline(LAMP, true, { ...READ, action: 'AppGetDeviceStatuses' });
    t.setOnline(LAMP, true, PUSH);
    t.setOnline(LAMP, false, PUSH);
    assert.deepEqual(
      changes.map((c) => (c.kind === 'online' ? [c.was, c.online] : [])),
      [[true, false]],
    );
  });
});
