// The editor's InputParams validation (resources/iot-explorer-editor.js, run in the browser)
// must accept exactly what the simulator's data-template check accepts.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkValue as simulatorCheck, type TemplateDefine } from '../../simulator/template';
import { loadEditor } from '../support/editor';

const editor = loadEditor().template;

const DEFINES: TemplateDefine[] = [
  { type: 'bool', mapping: { '0': 'off', '1': 'on' } },
  { type: 'int', min: '0', max: '10', step: '1', unit: '秒' },
  { type: 'int', min: -180, max: 180 },
  { type: 'float', min: '0.0', max: '24.0', step: '0.5' },
  { type: 'enum', mapping: { '0': 'Red', '1': 'Green', '2': 'Blue' } },
  { type: 'stringenum', mapping: { low: '低', high: '高' } },
  { type: 'string', min: '0', max: '4' },
  { type: 'string', min: '2', max: '64' },
  { type: 'timestamp' },
  {
    type: 'struct',
    specs: [
      { id: 'from', name: 'from', dataType: { type: 'int', min: '0', max: '23' } },
      { id: 'mode', name: 'mode', dataType: { type: 'stringenum', mapping: { a: 'A' } } },
    ],
  },
  { type: 'array', arrayInfo: { type: 'int', min: '0', max: '5' } },
  {
    type: 'array',
    arrayInfo: {
      type: 'struct',
      specs: [{ id: 'x', name: 'x', dataType: { type: 'float', min: '-1', max: '1' } }],
    },
  },
];

const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer({ min: -300, max: 300 }),
    fc.double({ min: -50, max: 50, noNaN: true }),
    fc.constantFrom(0, 1, 2, 3, -1, 10, 11, 1.5, 0.5, 24, 24.5),
    fc.constantFrom('low', 'high', 'a', 'b', '', 'abc', 'abcde', '1700000000000', 'x1'),
    fc.string({ maxLength: 6 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('from', 'mode', 'x', 'y'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('the editor validates InputParams as the simulator does', function () {
  for (const define of DEFINES) {
    it(`agrees on ${JSON.stringify(define).slice(0, 70)}`, function () {
      fc.assert(
        fc.property(values, (value) => {
          const simulatorOk = simulatorCheck(define, value, 'v') === undefined;
          const editorOk = editor.checkValue(define, value, 'v') === undefined;
          assert.equal(editorOk, simulatorOk, `disagree on ${JSON.stringify(value)}`);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('checks a whole input: unknown ids, required ids, and values', function () {
    const action = {
      id: 'unlock',
      input: [
        { id: 'userid', required: true, define: { type: 'string', max: '32' } },
        { id: 'duration', define: { type: 'int', min: '1', max: '300' } },
      ],
    };
    assert.equal(editor.checkInput(action, { userid: 'me', duration: 5 }), undefined);
    assert.equal(editor.checkInput(action, { duration: 5 })?.key, 'required');
    assert.equal(editor.checkInput(action, { userid: 'me', nope: 1 })?.key, 'unknownInput');
    assert.equal(editor.checkInput(action, { userid: 'me', duration: 0 })?.key, 'int');
    assert.equal(editor.checkInput(action, [])?.key, 'notObject');
  });

  it('lists a template’s actions and describes a define', function () {
    // Arrays from the sandbox have its own prototype: compare their contents.
    const ids = editor
      .actionsOf({ actions: [{ id: 'a' }, null, { name: 'no id' }] })
      .map((a) => a.id);
    assert.deepEqual([...ids], ['a']);
    assert.equal(editor.actionsOf(undefined).length, 0);
    assert.equal(
      editor.describeDefine({ type: 'int', min: '0', max: '10', unit: '秒' }),
      'int 0…10 秒',
    );
  });
});
