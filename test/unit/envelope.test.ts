import assert from 'node:assert/strict';
import { parseReply, splitPackedCode } from '../../lib/api/envelope';
import { ActionStatusError, IotExplorerError } from '../../lib/errors/errors';
import { toActionResult } from '../../lib/api/client';
import { redactSecrets } from '../../lib/api/redact';

const SENT = 'sent-request-id';

function thrown(fn: () => unknown): IotExplorerError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof IotExplorerError, `expected an IotExplorerError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a throw');
}

describe('reply envelopes', function () {
  it('reads the documented Response envelope', function () {
    const reply = parseReply(
      JSON.stringify({ Response: { Status: 'succ', RequestId: 'r1' } }),
      SENT,
    );
    assert.deepEqual(reply, { requestId: 'r1', data: { Status: 'succ', RequestId: 'r1' } });
  });

  it('reads the {code,msg,data} wrapper the official clients parse', function () {
    const reply = parseReply(
      JSON.stringify({ code: 0, msg: '', data: { Status: 'succ', RequestId: 'r2' } }),
      SENT,
    );
    assert.equal(reply.requestId, 'r2');
    assert.equal(reply.data.Status, 'succ');
  });

  it('tolerates a wrapper whose data nests a Response, and a reply with no envelope at all', function () {
    assert.equal(
      parseReply('{"code":0,"data":{"Response":{"Status":"x","RequestId":"r"}}}', SENT).data.Status,
      'x',
    );
    assert.equal(parseReply('{"Status":"bare","RequestId":"r"}', SENT).data.Status, 'bare');
  });

  it('falls back to the RequestId we sent when the reply has an empty one', function () {
    const err = thrown(() =>
      parseReply(
        '{"Response":{"Error":{"Code":"InvalidParameterValue.InvalidAccessToken","Message":"Token无效"},"RequestId":""}}',
        SENT,
      ),
    );
    assert.equal(err.code, 'InvalidParameterValue.InvalidAccessToken');
    assert.equal(err.requestId, SENT);
    assert.equal(err.apiMessage, 'Token无效');
  });

  it('reads errors from both envelopes with the same code', function () {
    const documented = thrown(() =>
      parseReply(
        '{"Response":{"Error":{"Code":"InternalError","Message":"内部错误"},"RequestId":"a"}}',
        SENT,
      ),
    );
    const wrapped = thrown(() =>
      parseReply(
        '{"code":-1000,"msg":"内部错误","data":{"Error":{"Code":"InternalError","Message":"内部错误"},"RequestId":"a"}}',
        SENT,
      ),
    );
    assert.equal(documented.code, 'InternalError');
    assert.equal(wrapped.code, 'InternalError');
    assert.equal(wrapped.requestId, 'a');
  });

  it('a wrapper with a non-zero code and no data.Error is still an error', function () {
    const err = thrown(() => parseReply('{"code":-1,"msg":"boom"}', SENT));
    assert.equal(err.code, '-1');
    assert.equal(err.apiMessage, 'boom');
  });

  it('unpacks a real sub-code packed as "Code|中文" into the Message', function () {
    const err = thrown(() =>
      parseReply(
        '{"Response":{"Error":{"Code":"InternalError","Message":"InvalidParameterValue.UserLoginFailed|用户登录失败"},"RequestId":"x"}}',
        SENT,
      ),
    );
    assert.equal(err.code, 'InvalidParameterValue.UserLoginFailed');
    assert.equal(err.apiMessage, '用户登录失败');
  });

  it('splits packed codes and leaves plain text alone', function () {
    assert.deepEqual(splitPackedCode('FailedOperation.ActionUnreachable|动作消息不可达'), {
      code: 'FailedOperation.ActionUnreachable',
      text: '动作消息不可达',
    });
    assert.deepEqual(splitPackedCode('设备离线|x'), { text: '设备离线|x' });
    assert.deepEqual(splitPackedCode('succ'), { text: 'succ' });
  });

  it('an unreadable body is IOTX_BAD_RESPONSE', function () {
    assert.equal(thrown(() => parseReply('<html>502</html>', SENT)).code, 'IOTX_BAD_RESPONSE');
    assert.equal(thrown(() => parseReply('[1,2]', SENT)).code, 'IOTX_BAD_RESPONSE');
    assert.equal(thrown(() => parseReply('{"Response":{"Sta', SENT)).code, 'IOTX_BAD_RESPONSE');
  });
});

describe('action results', function () {
  it('keeps OutputParams raw and accepts the doc table spelling OutputParqams', function () {
    assert.equal(
      toActionResult('r', { Status: 'succ', OutputParams: '{"a":1}' }).outputParams,
      '{"a":1}',
    );
    assert.equal(
      toActionResult('r', { Status: 'succ', OutputParqams: '{"b":2}' }).outputParams,
      '{"b":2}',
    );
    assert.equal(toActionResult('r', { Status: 'succ', OutputParams: null }).outputParams, null);
  });

  it('a FailedOperation Status is an error carrying the packed code, in bare and packed form', function () {
    const packed = thrown(() =>
      toActionResult('r', {
        Status: 'FailedOperation.ActionUnreachable|动作消息不可达',
        ClientToken: '',
      }),
    );
    assert.equal(packed.code, 'FailedOperation.ActionUnreachable');
    assert.ok(packed instanceof ActionStatusError);
    assert.equal(packed.status, 'FailedOperation.ActionUnreachable|动作消息不可达');
    assert.equal(packed.reply?.Status, 'FailedOperation.ActionUnreachable|动作消息不可达');
    assert.equal(
      thrown(() => toActionResult('r', { Status: 'FailedOperation.ActionUnreachable' })).code,
      'FailedOperation.ActionUnreachable',
    );
  });

  it('any other Status is the device’s own reply', function () {
    assert.equal(toActionResult('r', { Status: 'busy', ClientToken: 'c' }).status, 'busy');
  });
});

describe('secret redaction', function () {
  it('replaces every occurrence of a secret', function () {
    assert.equal(redactSecrets('a tok-123456 b tok-123456', ['tok-123456']), 'a *** b ***');
    assert.equal(redactSecrets('short ab', ['ab']), 'short ab', 'too short to be a secret');
  });

  it('replaces a secret also as JSON writes it inside a string', function () {
    const secret = 'pa"ss\\word';
    const json = JSON.stringify({ message: `refused ${secret}` });
    assert.equal(redactSecrets(json, [secret]), '{"message":"refused ***"}');
    assert.equal(redactSecrets(`raw ${secret}`, [secret]), 'raw ***');
  });
});
