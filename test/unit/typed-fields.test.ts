import assert from 'node:assert/strict';
import { describeValue, toJsonObjectString } from '../../lib/node/typed-fields';
import { parseOutputParams } from '../../lib/api/envelope';
import { IotExplorerError } from '../../lib/errors/errors';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof IotExplorerError);
    return err.code;
  }
  return 'no error';
}

describe('InputParams conversion', function () {
  it('serialises an object and keeps a JSON-object string as it is', function () {
    assert.equal(toJsonObjectString({ a: 1, b: 'x' }, 'InputParams'), '{"a":1,"b":"x"}');
    assert.equal(toJsonObjectString(' {"a": 1} ', 'InputParams'), ' {"a": 1} ');
    assert.equal(toJsonObjectString(Object.create(null) as object, 'InputParams'), '{}');
  });

  it('leaves the field out for undefined, null and blank text', function () {
    for (const value of [undefined, null, '', '   '])
      assert.equal(toJsonObjectString(value, 'InputParams'), undefined);
  });

  it('refuses anything else with IOTX_INVALID_INPUT_PARAMS', function () {
    for (const value of [
      0,
      true,
      [1],
      Buffer.from('{}'),
      new Date(),
      '"text"',
      '[]',
      '{bad',
      'null',
    ]) {
      assert.equal(
        codeOf(() => toJsonObjectString(value, 'InputParams')),
        'IOTX_INVALID_INPUT_PARAMS',
        String(value),
      );
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.me = cyclic;
    assert.equal(
      codeOf(() => toJsonObjectString(cyclic, 'InputParams')),
      'IOTX_INVALID_INPUT_PARAMS',
    );
    assert.equal(
      codeOf(() => toJsonObjectString({ n: 1n }, 'InputParams')),
      'IOTX_INVALID_INPUT_PARAMS',
    );
  });

  it('names the field in its message', function () {
    assert.throws(() => toJsonObjectString(5, 'Data'), /Data must be a JSON object.*a number/);
  });

  it('describes values for error messages', function () {
    assert.equal(describeValue([]), 'an array');
    assert.equal(describeValue(null), 'null');
    assert.equal(describeValue(''), 'an empty string');
    assert.equal(describeValue(3), 'a number');
  });
});

describe('OutputParams parsing', function () {
  it('parses JSON, keeps other text, and gives null for none', function () {
    assert.deepEqual(parseOutputParams('{"err_code":0}'), { err_code: 0 });
    assert.equal(parseOutputParams('plain text'), 'plain text');
    assert.equal(parseOutputParams(''), null);
    assert.equal(parseOutputParams(null), null);
  });
});
