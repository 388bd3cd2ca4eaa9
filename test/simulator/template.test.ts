import assert from 'node:assert/strict';
import {
  checkValue,
  defaultValue,
  defineProblem,
  toggleValue,
  walkValue,
  type TemplateDefine,
} from '../../simulator/template';

describe('simulator template checks', function () {
  const ok = (define: TemplateDefine, value: unknown): void =>
    assert.equal(checkValue(define, value, 'p'), undefined, `${JSON.stringify(value)} should fit`);
  const bad = (define: TemplateDefine, value: unknown, pattern: RegExp): void => {
    const problem = checkValue(define, value, 'p');
    assert.ok(problem, `${JSON.stringify(value)} should not fit`);
    assert.match(problem, pattern);
  };

  it('bool takes 0 and 1 only', function () {
    const d: TemplateDefine = { type: 'bool', mapping: { '0': 'off', '1': 'on' } };
    ok(d, 0);
    ok(d, 1);
    bad(d, true, /^p must be 0 or 1/);
    bad(d, 2, /0 or 1/);
    bad(d, '1', /0 or 1/);
  });

  it('int takes integers inside min..max written as strings', function () {
    const d: TemplateDefine = { type: 'int', min: '0', max: '10', step: '1' };
    ok(d, 0);
    ok(d, 10);
    bad(d, 11, /integer from 0 to 10/);
    bad(d, -1, /integer from 0 to 10/);
    bad(d, 1.5, /integer/);
    bad(d, '5', /integer/);
  });

  it('float takes finite numbers inside the range', function () {
    const d: TemplateDefine = { type: 'float', min: '16', max: '30', step: '0.5' };
    ok(d, 16);
    ok(d, 22.3);
    bad(d, 30.5, /number from 16 to 30/);
    bad(d, Number.NaN, /number/);
    bad(d, '20', /number/);
  });

  it('enum takes integer mapping keys', function () {
    const d: TemplateDefine = { type: 'enum', mapping: { '0': 'Red', '1': 'Green', '2': 'Blue' } };
    ok(d, 2);
    bad(d, 3, /one of the enum values 0, 1, 2/);
    bad(d, '1', /enum/);
  });

  it('stringenum takes string mapping keys', function () {
    const d: TemplateDefine = { type: 'stringenum', mapping: { cool: 'c', heat: 'h' } };
    ok(d, 'heat');
    bad(d, 'dry', /one of the strings cool, heat/);
    bad(d, 0, /strings/);
    bad(d, 'toString', /strings/);
  });

  it('string checks the length in characters', function () {
    const d: TemplateDefine = { type: 'string', min: '0', max: '3' };
    ok(d, '');
    ok(d, '客厅灯');
    bad(d, 'abcd', /at most 3 characters/);
    bad(d, 3, /must be a string/);
  });

  it('timestamp takes a non-negative integer or its decimal text', function () {
    const d: TemplateDefine = { type: 'timestamp' };
    ok(d, 1700000000000);
    ok(d, '1700000000000');
    bad(d, -1, /UNIX timestamp/);
    bad(d, 'tomorrow', /UNIX timestamp/);
    bad(d, 1.5, /UNIX timestamp/);
  });

  it('struct checks each member by its dataType and names the path', function () {
    const d: TemplateDefine = {
      type: 'struct',
      specs: [
        { id: 'from', name: 'from', dataType: { type: 'int', min: '0', max: '23' } },
        { id: 'to', name: 'to', dataType: { type: 'int', min: '0', max: '23' } },
      ],
    };
    ok(d, { from: 1, to: 2 });
    ok(d, { from: 1 });
    bad(d, { from: 1, to: 24 }, /^p\.to must be an integer from 0 to 23/);
    bad(d, { from: 1, extra: 2 }, /^p\.extra is not a member of p/);
    bad(d, [1, 2], /object/);
  });

  it('array checks each element by arrayInfo and names the index', function () {
    const d: TemplateDefine = { type: 'array', arrayInfo: { type: 'float', min: '16', max: '30' } };
    ok(d, []);
    ok(d, [16, 20.5]);
    bad(d, [16, 31], /^p\[1\] must be a number from 16 to 30/);
    bad(d, { 0: 16 }, /must be an array/);
  });

  it('gives defaults that fit', function () {
    const defines: TemplateDefine[] = [
      { type: 'bool', mapping: { '0': 'a', '1': 'b' } },
      { type: 'int', min: '1', max: '300', start: '5' },
      { type: 'float', min: '16', max: '30' },
      { type: 'enum', mapping: { '3': 'x' } },
      { type: 'stringenum', mapping: { auto: 'x' } },
      { type: 'string', max: '4' },
      { type: 'timestamp' },
      {
        type: 'struct',
        specs: [{ id: 'a', name: 'a', dataType: { type: 'int', min: '2', max: '9' } }],
      },
      { type: 'array', arrayInfo: { type: 'int' } },
    ];
    for (const d of defines) assert.equal(checkValue(d, defaultValue(d), 'd'), undefined, d.type);
    assert.equal(defaultValue(defines[1]), 5);
  });

  it('walks numbers inside the range, on the step', function () {
    const d: TemplateDefine = { type: 'float', min: '-20', max: '60', step: '0.1' };
    let v = 59.9;
    for (let i = 0; i < 200; i++) {
      v = walkValue(d, v, 0.5);
      assert.ok(v >= -20 && v <= 60, String(v));
      assert.equal(Math.abs(Math.round(v * 10) - v * 10) < 1e-9, true, `${v} is on the 0.1 step`);
    }
    assert.equal(
      walkValue(d, 60, 1, () => 1),
      60,
      'clamped at max',
    );
    assert.equal(
      walkValue({ type: 'int', min: '0', max: '10' }, 5, 2, () => 0),
      3,
    );
  });

  it('toggles bools and cycles enums', function () {
    assert.equal(toggleValue({ type: 'bool', mapping: { '0': 'a', '1': 'b' } }, 0), 1);
    assert.equal(toggleValue({ type: 'bool', mapping: { '0': 'a', '1': 'b' } }, 1), 0);
    assert.equal(toggleValue({ type: 'enum', mapping: { '0': 'a', '1': 'b' } }, 1), 0);
    assert.equal(toggleValue({ type: 'stringenum', mapping: { x: 'a', y: 'b' } }, 'x'), 'y');
  });

  it('finds problems in defines', function () {
    assert.equal(defineProblem({ type: 'int', min: '0', max: '1' }), undefined);
    assert.match(String(defineProblem({ type: 'double' })), /type must be one of/);
    assert.match(
      String(defineProblem({ type: 'int', min: '5', max: '1' })),
      /min must not exceed max/,
    );
    assert.match(String(defineProblem({ type: 'enum' })), /mapping/);
    assert.match(
      String(defineProblem({ type: 'bool', mapping: { '0': 'a', '2': 'b' } })),
      /0 and 1/,
    );
    assert.match(
      String(defineProblem({ type: 'struct', specs: [{ id: 'a', name: 'a', define: {} }] })),
      /dataType/,
    );
    assert.match(
      String(defineProblem({ type: 'array', arrayInfo: { type: 'bool' } })),
      /arrayInfo/,
    );
  });
});
