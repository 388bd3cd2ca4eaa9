// How the editor reads a product's data template (editor/template.ts), and the InputParams
// check its form shares with the runtime (lib/shared/data-template.ts).

import assert from 'node:assert/strict';
import { describeDefine, actionsOf } from '../../editor/template';
import { checkActionInput } from '../../lib/shared/data-template';
import { formatMessage } from '../../lib/errors/messages';

describe('the editor’s data-template helpers', function () {
  it('checks a whole input: unknown ids, required ids, and values', function () {
    const action = {
      id: 'unlock',
      input: [
        {
          id: 'userid',
          required: true,
          define: { type: 'string' as const, max: '32' },
        },
        { id: 'duration', define: { type: 'int' as const, min: '1', max: '300' } },
      ],
    };
    assert.equal(checkActionInput(action, { userid: 'me', duration: 5 }), undefined);
    assert.equal(checkActionInput(action, { duration: 5 })?.key, 'template.required');
    assert.equal(checkActionInput(action, { userid: 'me', nope: 1 })?.key, 'template.unknownInput');
    assert.equal(checkActionInput(action, { userid: 'me', duration: 0 })?.key, 'template.int');
    assert.equal(checkActionInput(action, [])?.key, 'template.notObject');
    // Each problem has a text that names what is wrong.
    const unknown = checkActionInput(action, { userid: 'me', nope: 1 });
    assert.ok(unknown);
    assert.match(formatMessage(unknown.key, unknown.params), /^nope .*unlock.*userid, duration/);
    const missing = checkActionInput(action, {});
    assert.ok(missing);
    assert.match(formatMessage(missing.key, missing.params), /^userid .*unlock/);
  });

  it('lists a template’s actions and describes a define', function () {
    const ids = actionsOf({ actions: [{ id: 'a' }, null, { name: 'no id' }] }).map((a) => a.id);
    assert.deepEqual(ids, ['a']);
    assert.equal(actionsOf(undefined).length, 0);
    assert.equal(describeDefine({ type: 'int', min: '0', max: '10', unit: '秒' }), 'int 0…10 秒');
  });
});
