// An option's text in the pickers (editor/option-text.ts): cut to what a select shows at the
// default dialog width, CJK characters counted double, a suffix kept whole.

import assert from 'node:assert/strict';
import { OPTION_WIDTH, optionText } from '../../editor/option-text';

describe('editor option text', function () {
  it('leaves a text that fits as it is, with its suffix', function () {
    assert.equal(optionText('living_lamp', ' (online)'), 'living_lamp (online)');
    const exact = 'x'.repeat(OPTION_WIDTH);
    assert.equal(optionText(exact), exact);
  });

  it('cuts a long text with an ellipsis and keeps the suffix whole', function () {
    const cut = optionText('Door opens after sunset and the hall light goes on', ' (on)');
    assert.ok(cut.endsWith('… (on)'), cut);
    // At most the width, and short of it only by a space the cut leaves at its end.
    assert.ok(cut.length <= OPTION_WIDTH && cut.length >= OPTION_WIDTH - 1, cut);
  });

  it('counts a CJK character as two half-width ones', function () {
    const name = '开门亮灯 Door opens after sunset';
    const cut = optionText(name, ' (已开启)');
    assert.ok(cut.endsWith('… (已开启)'), cut);
    const width = [...cut].reduce((sum, c) => sum + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
    assert.ok(width <= OPTION_WIDTH, `${cut} is ${width} wide`);
    assert.ok(width >= OPTION_WIDTH - 1, `${cut} is cut more than it needs (${width})`);
  });
});
