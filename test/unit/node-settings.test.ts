// The readers every node's migration uses (lib/shared/node-settings.ts): the stored version and
// the steps between versions.
import assert from 'node:assert/strict';
import {
  EARLIEST_VERSION,
  storedVersion,
  upgrade,
  type StoredVersion,
  type Upgrades,
} from '../../lib/shared/node-settings';

describe('the version a node stores', function () {
  it('reads absent, and anything that is no whole number, as the earliest version', function () {
    assert.equal(EARLIEST_VERSION, 0);
    for (const version of [undefined, null, '', ' ', 'one', -1, 1.5, Number.NaN, true, {}]) {
      assert.equal(storedVersion({ version }), 0, JSON.stringify(version));
    }
  });

  it('reads a number, or the text the dialog saves it as', function () {
    assert.equal(storedVersion({ version: 1 }), 1);
    assert.equal(storedVersion({ version: '1' }), 1);
    assert.equal(storedVersion({ version: ' 3 ' }), 3);
  });

  describe('upgrade: the steps from the saved version up to the current one', function () {
    interface Stored extends StoredVersion {
      /** Version 1 stored seconds, version 2 milliseconds, version 3 adds a unit. */
      wait?: number;
      unit?: string;
      steps?: string[];
    }
    const seen = (stored: Stored, step: string): string[] => [...(stored.steps ?? []), step];
    const steps: Upgrades<Stored> = {
      1: (stored) => ({ ...stored, wait: (stored.wait ?? 0) * 1000, steps: seen(stored, '1→2') }),
      2: (stored) => ({ ...stored, unit: 'ms', steps: seen(stored, '2→3') }),
    };

    it('applies each step from the saved version, in order', function () {
      assert.deepEqual(upgrade({ version: 1, wait: 2 }, 3, steps), {
        version: 1,
        wait: 2000,
        unit: 'ms',
        steps: ['1→2', '2→3'],
      });
      assert.deepEqual(upgrade({ version: '2', wait: 2000 }, 3, steps), {
        version: '2',
        wait: 2000,
        unit: 'ms',
        steps: ['2→3'],
      });
    });

    it('takes a node saved without a version through every step (0→1 needs none)', function () {
      assert.deepEqual(upgrade({ wait: 2 }, 3, steps).steps, ['1→2', '2→3']);
    });

    it('leaves a node of the current version, or of a later one, as saved', function () {
      const current = { version: 3, wait: 5, unit: 'ms' };
      assert.equal(upgrade(current, 3, steps), current);
      const later = { version: 4, wait: 5 };
      assert.equal(upgrade(later, 3, steps), later);
    });

    it('does not change the stored object', function () {
      const stored = { version: 1, wait: 2 };
      upgrade(stored, 3, steps);
      assert.deepEqual(stored, { version: 1, wait: 2 });
    });
  });
});
