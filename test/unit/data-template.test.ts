import assert from 'node:assert/strict';
import {
  checkControlData,
  checkValue,
  parseDataTemplate,
  type TemplateDefine,
} from '../../lib/shared/data-template';
import { formatMessage, isErrorKey } from '../../lib/errors/messages';

const INT: TemplateDefine = { type: 'int', min: '0', max: '100', step: '1' };
const POSITION: TemplateDefine = {
  type: 'struct',
  specs: [
    { id: 'longitude', dataType: { type: 'int', min: '-180', max: '180' } },
    { id: 'label', dataType: { type: 'string', max: '4' } },
  ],
};

describe('data template checks', function () {
  const fits: Array<[string, TemplateDefine, unknown]> = [
    ['bool 1', { type: 'bool', mapping: { 0: 'off', 1: 'on' } }, 1],
    ['int in range (string bounds)', INT, 100],
    ['int with numeric bounds', { type: 'int', min: 0, max: 5 }, 5],
    ['float', { type: 'float', min: '0.0', max: '24.0' }, 12.5],
    ['enum key', { type: 'enum', mapping: { 0: 'Red', 2: 'Blue' } }, 2],
    ['stringenum key', { type: 'stringenum', mapping: { auto: 'A', cool: 'C' } }, 'cool'],
    ['string within length', { type: 'string', min: '0', max: '3' }, '客厅灯'],
    ['timestamp number', { type: 'timestamp' }, 1700000000000],
    ['timestamp string', { type: 'timestamp' }, '1700000000000'],
    ['struct', POSITION, { longitude: -10, label: 'ab' }],
    ['array of ints', { type: 'array', arrayInfo: { type: 'int', min: '0', max: '9' } }, [1, 9]],
  ];
  for (const [label, define, value] of fits) {
    it(`accepts ${label}`, function () {
      assert.equal(checkValue(define, value, 'p'), undefined);
    });
  }

  const misfits: Array<[string, TemplateDefine, unknown, string, Record<string, string>]> = [
    ['bool true (the API wants 0/1)', { type: 'bool' }, true, 'template.bool', {}],
    ['int out of range', INT, 101, 'template.int', { range: '[0, 100]' }],
    ['int given as text', INT, '5', 'template.int', {}],
    ['non-integer int', INT, 1.5, 'template.int', {}],
    ['float without bounds', { type: 'float' }, 'x', 'template.float', { range: '[-∞, +∞]' }],
    [
      'enum value not in mapping',
      { type: 'enum', mapping: { 0: 'a', 1: 'b' } },
      3,
      'template.oneOf',
      { allowed: '0, 1' },
    ],
    [
      'stringenum value',
      { type: 'stringenum', mapping: { auto: 'A' } },
      'heat',
      'template.oneOf',
      { allowed: '"auto"' },
    ],
    [
      'string too long (counted in characters)',
      { type: 'string', max: '2' },
      '客厅灯',
      'template.string',
      {},
    ],
    ['negative timestamp', { type: 'timestamp' }, -1, 'template.timestamp', {}],
    ['struct as array', POSITION, [], 'template.struct', {}],
    ['array as object', { type: 'array', arrayInfo: { type: 'int' } }, {}, 'template.array', {}],
  ];
  for (const [label, define, value, key, params] of misfits) {
    it(`rejects ${label}, naming the property`, function () {
      const problem = checkValue(define, value, 'brightness');
      assert.ok(problem);
      assert.equal(problem.key, key);
      assert.equal(problem.params.property, 'brightness');
      for (const [k, v] of Object.entries(params)) assert.equal(problem.params[k], v);
      // Every key has an English text that names the property.
      assert.ok(isErrorKey(problem.key), problem.key);
      assert.match(formatMessage(problem.key, problem.params), /^brightness /);
    });
  }

  it('names the path of a struct member and an array element', function () {
    assert.equal(
      checkValue(POSITION, { longitude: 200 }, 'position')?.params.property,
      'position.longitude',
    );
    assert.deepEqual(checkValue(POSITION, { altitude: 1 }, 'position'), {
      key: 'template.noMember',
      params: { property: 'position', member: 'altitude', got: '1' },
    });
    const arr: TemplateDefine = { type: 'array', arrayInfo: { type: 'int', max: '9' } };
    assert.equal(checkValue(arr, [1, 2, 10], 'temps')?.params.property, 'temps[2]');
  });

  it('shortens long values in the message', function () {
    const problem = checkValue({ type: 'int' }, 'x'.repeat(200), 'p');
    assert.ok(problem && problem.params.got.length <= 40);
  });

  it('parses a DataTemplate string and skips entries it cannot use', function () {
    const template = parseDataTemplate(
      JSON.stringify({
        properties: [{ id: 'a', mode: 'rw', define: { type: 'bool' } }, { id: 'b' }, 'junk'],
        actions: [{ id: 'go', input: [{ id: 't', define: { type: 'int' } }] }],
      }),
    );
    assert.ok(template);
    assert.deepEqual(
      template.properties.map((p) => p.id),
      ['a'],
    );
    assert.equal(template.actions[0].input.length, 1);
    assert.deepEqual(template.actions[0].output, []);
    assert.equal(parseDataTemplate('not json'), undefined);
    assert.equal(parseDataTemplate('[1]'), undefined);
  });

  it('checks control data: unknown and read-only properties, then values', function () {
    const template = parseDataTemplate({
      properties: [
        { id: 'power_switch', mode: 'rw', define: { type: 'bool' } },
        { id: 'battery', mode: 'r', define: { type: 'int' } },
      ],
    })!;
    assert.equal(checkControlData(template, { power_switch: 1 }), undefined);
    assert.deepEqual(checkControlData(template, { colour: 1 }), {
      key: 'template.unknownProperty',
      params: { property: 'colour', known: 'power_switch, battery' },
    });
    assert.equal(checkControlData(template, { battery: 50 })?.key, 'template.readOnly');
    assert.equal(checkControlData(template, { power_switch: 2 })?.key, 'template.bool');
  });
});
