import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signAppApiParams } from '../../simulator';
import { signingString, verifyAppApiSignature } from '../../simulator/signature';

describe('simulator appapi signature', function () {
  const vector = {
    Action: 'AppGetToken',
    AppKey: 'testAppKey',
    Email: 'user@example.com',
    Nonce: 12345,
    Password: 'secret123',
    RequestId: 'req-0001',
    Timestamp: 1700000000,
    Type: 'email',
  };

  it('matches the independent vector of the reference', function () {
    assert.equal(signAppApiParams(vector, 'testAppSecret'), 'dIql1ioivDgnr3PrcyD9zC7scfg=');
  });

  it('does not depend on the order params were given in', function () {
    const reversed = Object.fromEntries(Object.entries(vector).reverse());
    assert.equal(signAppApiParams(reversed, 'testAppSecret'), 'dIql1ioivDgnr3PrcyD9zC7scfg=');
  });

  it('leaves out Signature and empty values, and reads "_" in names as "."', function () {
    const text = signingString({
      b_c: 'x',
      a: 1,
      Signature: 'ignored',
      empty: '',
      nothing: null,
      missing: undefined,
      Zed: 'z',
    });
    // Plain code-unit order: upper case sorts before lower case.
    assert.equal(text, 'Zed=z&a=1&b.c=x');
    const expected = createHmac('sha1', 's').update(text).digest('base64');
    assert.equal(signAppApiParams({ a: 1, b_c: 'x', Zed: 'z', empty: '' }, 's'), expected);
  });

  it('does not URL-encode values', function () {
    assert.equal(signingString({ Password: 'My!P@ss word&=' }), 'Password=My!P@ss word&=');
  });

  it('verifies a signature, and refuses a changed one or a changed param', function () {
    const signed = { ...vector, Signature: 'dIql1ioivDgnr3PrcyD9zC7scfg=' };
    assert.equal(verifyAppApiSignature(signed, 'testAppSecret'), true);
    assert.equal(verifyAppApiSignature(signed, 'otherSecret'), false);
    assert.equal(verifyAppApiSignature({ ...signed, Nonce: 12346 }, 'testAppSecret'), false);
    assert.equal(
      verifyAppApiSignature(
        { ...signed, Signature: 'dIql1ioivDgnr3PrcyD9zC7scfg' },
        'testAppSecret',
      ),
      false,
    );
    assert.equal(
      verifyAppApiSignature(
        { ...signed, Signature: 'dIql1ioivDgnr3PrcyD9zC7scfg==' },
        'testAppSecret',
      ),
      false,
    );
    assert.equal(verifyAppApiSignature({ ...vector }, 'testAppSecret'), false);
  });
});
