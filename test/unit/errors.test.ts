import assert from 'node:assert/strict';
import type { NodeAPI } from 'node-red';
import { ActionStatusError, IotExplorerError, LocalErrorCode } from '../../lib/errors/errors';
import { localizeError } from '../../lib/node/i18n';
import { ACCOUNT_NAMESPACE } from '../../lib/shared/palette';

/** Just enough of Node-RED for the translation: a catalogue with one text. */
function fakeRed(texts: Record<string, string>): { RED: NodeAPI; asked: string[] } {
  const asked: string[] = [];
  const RED = {
    _: (key: string) => {
      asked.push(key);
      return texts[key] ?? key;
    },
  } as unknown as NodeAPI;
  return { RED, asked };
}

describe('errors', function () {
  it('are built in English from lib/errors/locales', function () {
    const err = new IotExplorerError({ code: LocalErrorCode.NoAccount, key: 'noAccount' });
    assert.match(err.message, /^No account is configured/);
    assert.equal(err.localized, false);
  });

  it('refuse, at compile time, a key that is not in the catalogue', function () {
    // @ts-expect-error: 'api.noSuchText' is not a key of lib/errors/locales/en-US.json
    const err = new IotExplorerError({ code: 'X', key: 'api.noSuchText' });
    assert.equal(err.message, 'api.noSuchText (X)');
  });

  it('are translated into a copy, once; the original keeps its English text', function () {
    const { RED, asked } = fakeRed({ [`${ACCOUNT_NAMESPACE}:errors.closed`]: '调用已停止。' });
    const original = new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed' });
    const english = original.message;
    const translated = localizeError(RED, original);
    assert.notEqual(translated, original);
    assert.equal(translated.message, '调用已停止。');
    assert.equal(String(translated), '调用已停止。');
    assert.equal(translated.code, original.code);
    assert.equal(translated.localized, true);
    assert.equal(original.message, english);
    assert.equal(original.localized, false);
    assert.equal(
      localizeError(RED, translated),
      translated,
      'a translated error is not translated again',
    );
    assert.equal(asked.length, 1);
  });

  it('keep their English text when the runtime has no translation', function () {
    const { RED } = fakeRed({});
    const original = new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed' });
    assert.equal(localizeError(RED, original), original);
  });

  it('a failed device Status stays a ActionStatusError when translated', function () {
    const { RED } = fakeRed({ [`${ACCOUNT_NAMESPACE}:errors.api.deviceOffline`]: '设备离线' });
    const failed = new ActionStatusError(
      { code: 'FailedOperation.DeviceOffline', key: 'api.deviceOffline', requestId: 'r-1' },
      { status: 'FailedOperation.DeviceOffline', clientToken: 'ct-1', raw: { Status: 'x' } },
    );
    const translated = localizeError(RED, failed);
    assert.ok(translated instanceof ActionStatusError);
    assert.equal(translated.status, 'FailedOperation.DeviceOffline');
    assert.equal(translated.clientToken, 'ct-1');
    assert.equal(translated.requestId, 'r-1');
    assert.equal(translated.message, '设备离线');
    assert.match(failed.message, /^The device is offline/);
  });
});
