// How values read on the panel (lib/panel/format.ts).

import assert from 'node:assert/strict';
import {
  decimals,
  formatTime,
  formatValue,
  mappingLabel,
  NO_VALUE,
  sameValue,
  snapToStep,
  timestampMs,
  unitText,
} from '../../lib/panel/format';

describe('device panel value formatting', function () {
  it('names bool and enum values from the template', function () {
    const power = { type: 'bool' as const, mapping: { '0': '关', '1': '开' } };
    assert.equal(formatValue(power, 1, 'zh-CN'), '开');
    assert.equal(formatValue(power, true, 'en-US'), '开');
    assert.equal(formatValue(power, 0, 'en-US'), '关');
    const mode = { type: 'stringenum' as const, mapping: { cool: '制冷', heat: '制热' } };
    assert.equal(formatValue(mode, 'heat', 'en-US'), '制热');
    // A value the mapping lacks reads as itself.
    assert.equal(formatValue({ type: 'enum', mapping: { '0': 'Red' } }, 7, 'en-US'), '7');
    assert.equal(mappingLabel({ type: 'int' }, 1), undefined);
  });

  it("shows numbers to their step's decimals, with the unit as people write it", function () {
    assert.equal(formatValue({ type: 'int', unit: '%' }, 80, 'en-US'), '80 %');
    assert.equal(formatValue({ type: 'float', step: '0.5', unit: 'oC' }, 21, 'en-US'), '21.0 ℃');
    assert.equal(formatValue({ type: 'float', step: '0.1', unit: '℃' }, 23.25, 'en-US'), '23.3 ℃');
    assert.equal(formatValue({ type: 'float', step: '0.01' }, 1, 'en-US'), '1.00');
    assert.equal(formatValue({ type: 'float' }, 1.5, 'en-US'), '1.50');
    assert.equal(decimals({ type: 'float', step: 1e-7 }), 7);
    assert.equal(unitText('oF'), '℉');
    assert.equal(unitText(undefined), '');
  });

  it('keeps slider values inside the range and on the step', function () {
    const temp = { type: 'float' as const, min: '16', max: '30', step: '0.5' };
    assert.equal(snapToStep(temp, 21.26), 21.5);
    assert.equal(snapToStep(temp, 40), 30);
    assert.equal(snapToStep(temp, -3), 16);
    assert.equal(snapToStep({ type: 'int', min: '0', max: '100', step: '5' }, 42), 40);
  });

  it('reads timestamps in ms, and in s when they can only be seconds', function () {
    assert.equal(timestampMs(1700000000000), 1700000000000);
    assert.equal(timestampMs('1700000000'), 1700000000000);
    assert.equal(timestampMs(-1), undefined);
    const now = new Date(2024, 4, 1, 12, 0, 0).getTime();
    const sameDay = new Date(2024, 4, 1, 8, 5, 9).getTime();
    assert.match(formatTime(sameDay, 'en-US', now), /^08:05:09\s?AM$/);
    assert.match(formatTime(sameDay, 'zh-CN', now), /08:05:09/);
    // Another day shows the date too.
    assert.match(formatTime(new Date(2024, 3, 30, 8, 5).getTime(), 'en-US', now), /04\/30\/2024/);
  });

  it('writes struct and array values compactly with member names', function () {
    const window = {
      type: 'struct' as const,
      specs: [
        { id: 'from', name: 'From', dataType: { type: 'int' as const, unit: 'h' } },
        { id: 'to', name: '', dataType: { type: 'int' as const } },
      ],
    };
    assert.equal(formatValue(window, { from: 8, to: 22 }, 'en-US'), 'From: 8 h, to: 22');
    assert.equal(
      formatValue(
        { type: 'array', arrayInfo: { type: 'float', step: '0.5' } },
        [20, 21.5],
        'en-US',
      ),
      '20.0, 21.5',
    );
    assert.equal(formatValue({ type: 'string' }, undefined, 'en-US'), NO_VALUE);
    assert.equal(formatValue({ type: 'string' }, 'hall', 'en-US'), 'hall');
  });

  it('matches a report to the value asked for (bool true is 1)', function () {
    assert.equal(sameValue(1, true), true);
    assert.equal(sameValue(0, false), true);
    assert.equal(sameValue(1, 0), false);
    assert.equal(sameValue({ from: 1 }, { from: 1 }), true);
    assert.equal(sameValue('1', 1), false);
  });
});
