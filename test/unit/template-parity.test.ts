// The runtime's data-template check (lib/shared/data-template.ts: the control node and the
// editor's InputParams form use it) must accept exactly what the simulator's own check
// (simulator/template.ts, kept apart on purpose as an independent oracle) accepts.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkValue as runtimeCheck } from '../../lib/shared/data-template';
import { checkValue as simulatorCheck, type TemplateDefine } from '../../simulator/template';

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
    fc.constantFrom(0, 1, 2, 3, -1, 10, 11, 1.5, 0.5, 24, 24.5, NaN, Infinity),
    fc.constantFrom('low', 'high', 'a', 'b', '', 'abc', 'abcde', '1700000000000', 'x1', '客厅灯'),
    fc.string({ maxLength: 6 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('from', 'mode', 'x', 'y', 'm0', 'm1'), tie('value'), {
      maxKeys: 3,
    }),
  ),
})).value;

/** A bound as templates write it: a numeric string, a number, blank, or absent. */
const bound = fc.option(
  fc.oneof(
    fc.integer({ min: -20, max: 20 }).map(String),
    fc.integer({ min: -20, max: 20 }),
    fc.constantFrom('', '0.5', '2.5'),
  ),
  { nil: undefined },
);

const mapping = (keys: fc.Arbitrary<string>) =>
  fc.dictionary(keys, fc.string({ maxLength: 3 }), { minKeys: 0, maxKeys: 4 });

/** Any define the reference allows, members and elements included, with random bounds. */
const defines: fc.Arbitrary<TemplateDefine> = fc.letrec((tie) => ({
  define: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: fc.constant('bool' as const), mapping: mapping(fc.constantFrom('0', '1')) }),
    fc.record({ type: fc.constantFrom('int' as const, 'float' as const), min: bound, max: bound }),
    fc.record({
      type: fc.constant('enum' as const),
      mapping: mapping(fc.integer({ min: -2, max: 4 }).map(String)),
    }),
    fc.record({
      type: fc.constant('stringenum' as const),
      mapping: mapping(fc.constantFrom('low', 'high', 'a', 'b', '')),
    }),
    fc.record({ type: fc.constant('string' as const), min: bound, max: bound }),
    fc.record({ type: fc.constant('timestamp' as const) }),
    fc.record({
      type: fc.constant('struct' as const),
      specs: fc.uniqueArray(
        fc.record({
          id: fc.constantFrom('from', 'mode', 'x', 'm0', 'm1'),
          name: fc.constant('member'),
          dataType: tie('define') as fc.Arbitrary<TemplateDefine>,
        }),
        { maxLength: 3, selector: (m) => m.id },
      ),
    }),
    fc.record(
      {
        type: fc.constant('array' as const),
        arrayInfo: tie('define') as fc.Arbitrary<TemplateDefine>,
      },
      { requiredKeys: ['type'] },
    ),
  ),
})).define as fc.Arbitrary<TemplateDefine>;

function agree(define: TemplateDefine, value: unknown): void {
  // The array element's type is narrower in the simulator's types; the runtime's is any define.
  const simulatorOk = simulatorCheck(define, value, 'v') === undefined;
  const runtimeOk = runtimeCheck(define, value, 'v') === undefined;
  assert.equal(runtimeOk, simulatorOk, `disagree on ${JSON.stringify(value)}`);
}

describe('the runtime validates values as the simulator does', function () {
  for (const define of DEFINES) {
    it(`agrees on ${JSON.stringify(define).slice(0, 70)}`, function () {
      fc.assert(
        fc.property(values, (value) => agree(define, value)),
        { numRuns: 300 },
      );
    });
  }

  it('agrees on any define and any value (property-based)', function () {
    fc.assert(
      fc.property(defines, values, (define, value) => agree(define, value)),
      { numRuns: 2000 },
    );
  });
});
