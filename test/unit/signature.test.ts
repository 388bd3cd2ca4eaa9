import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { appApiStringToSign, signAppApi } from '../../lib/api/signature';

describe('appapi signature (lib)', function () {
  // The reference's independent vector, computed with Python's hmac (docs/http-api.md, "The appapi signature").
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

  it('matches the reference vector', function () {
    assert.equal(signAppApi(vector, 'testAppSecret'), 'dIql1ioivDgnr3PrcyD9zC7scfg=');
  });

  it('signs the doc’s string: sorted names, raw values, joined with &', function () {
    assert.equal(
      appApiStringToSign(vector),
      'Action=AppGetToken&AppKey=testAppKey&Email=user@example.com&Nonce=12345&Password=secret123&RequestId=req-0001&Timestamp=1700000000&Type=email',
    );
  });

  it('does not depend on the order of the params', function () {
    const reversed = Object.fromEntries(Object.entries(vector).reverse());
    assert.equal(signAppApi(reversed, 'testAppSecret'), 'dIql1ioivDgnr3PrcyD9zC7scfg=');
  });

  it('leaves out Signature and empty values, reads "_" as "." and does not URL-encode', function () {
    const text = appApiStringToSign({
      Signature: 'old',
      b_c: 'x y&z',
      a: 1,
      empty: '',
      missing: undefined,
      Z: true,
    });
    // Upper case sorts before lower case: plain code-unit order.
    assert.equal(text, 'Z=true&a=1&b.c=x y&z');
  });

  it('is HMAC-SHA1 in Base64 of that string with the AppSecret as key', function () {
    const params = { Action: 'AppGetToken', Password: 'pässwörd', Nonce: 7 };
    const expected = createHmac('sha1', 'k')
      .update('Action=AppGetToken&Nonce=7&Password=pässwörd', 'utf8')
      .digest('base64');
    assert.equal(signAppApi(params, 'k'), expected);
    assert.notEqual(signAppApi(params, 'other'), expected);
  });
});
