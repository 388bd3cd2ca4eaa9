// An option's text in the pickers (editor/option-text.ts): cut to what a select shows at the
// default dialog width, CJK characters counted double, a suffix kept whole.

import assert from 'node:assert/strict';
import { halfWidths, OPTION_WIDTH, optionText } from '../../editor/option-text';

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
    const width = halfWidths(cut);
    assert.ok(width <= OPTION_WIDTH, `${cut} is ${width} wide`);
    assert.ok(width >= OPTION_WIDTH - 1, `${cut} is cut more than it needs (${width})`);
  });

  it('measures with the width it is given, in the room it is given (the page: pixels)', function () {
    const pixels = (text: string): number => [...text].length * 7;
    assert.equal(optionText('living_lamp', ' (online)', pixels, 140), 'living_lamp (online)');
    const cut = optionText('the lamp in the living room', ' (online)', pixels, 140);
    // 20 characters: ten of the text, the ellipsis, the nine of the suffix.
    assert.equal(cut, 'the lamp i… (online)');
    assert.ok(pixels(cut) <= 140);
  });

  it('keeps a suffix wider than the room, with nothing of the text', function () {
    assert.equal(
      optionText('lamp', ' (a very long state indeed)', halfWidths, 10),
      '… (a very long state indeed)',
    );
  });
});
