// The subscribers' status painter (lib/watch/subscriber-status.ts), translated by the Node-RED
// runtime's own i18n (the test helper's RED._ returns keys): the built catalogues of this package
// and Node-RED's common texts, in English and Chinese, plural forms included.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { NodeStatus } from 'node-red';
import { resolveFromNodeRed } from '../../demo/launch';
import { IotExplorerError } from '../../lib/errors/errors';
import { ACCOUNT_NAMESPACE } from '../../lib/shared/palette';
import type { PushState } from '../../lib/push/push-connection';
import { SubscriberStatus, type Translate } from '../../lib/watch/subscriber-status';

interface RuntimeI18n {
  init(settings: Record<string, unknown>): void;
  registerMessageCatalog(namespace: string, dir: string, file: string): Promise<void>;
  _(key: string, options?: Record<string, unknown>): string;
  i: { loadLanguages(lngs: string[]): Promise<unknown> };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { i18n } = require(resolveFromNodeRed('@node-red/util')) as { i18n: RuntimeI18n };

const EMPTY: ReadonlySet<string> = new Set();
const state = (phase: PushState['phase'], extra: Partial<PushState> = {}): PushState => ({
  phase,
  live: EMPTY,
  session: 1,
  ...extra,
});

describe('subscriber status painter (unit, with the runtime i18n)', function () {
  before(async function () {
    i18n.init({});
    await i18n.registerMessageCatalog(
      ACCOUNT_NAMESPACE,
      path.resolve(__dirname, '../../nodes/locales'),
      'iot-explorer-account.json',
    );
    await i18n.registerMessageCatalog(
      'node-red',
      path.dirname(path.dirname(resolveFromNodeRed('@node-red/nodes/locales/en-US/messages.json'))),
      'messages.json',
    );
    await i18n.i.loadLanguages(['en-US', 'zh-CN']);
  });

  function painter(lng: string) {
    const painted: NodeStatus[] = [];
    const translate: Translate = (key, params) => i18n._(key, { ...params, lng });
    const status = new SubscriberStatus({ status: (s) => painted.push(s) }, translate);
    return { status, painted, last: () => painted.at(-1) ?? {} };
  }

  it('says "1 device", "2 devices", with the counts in the text (en-US)', function () {
    const { status, last } = painter('en-US');
    status.pushState(state('live', { live: new Set(['a']) }), { live: 1, count: 1 });
    assert.deepEqual(last(), { fill: 'green', shape: 'dot', text: 'live · 1 of 1 device' });
    status.pushState(state('live'), { live: 0, count: 2 });
    assert.deepEqual(last(), { fill: 'yellow', shape: 'ring', text: 'live · 0 of 2 devices' });
    const at = new Date(2025, 0, 1, 12, 34, 56);
    status.polled({ nextMs: 1000 }, 1, at);
    assert.deepEqual(last(), {
      fill: 'green',
      shape: 'dot',
      text: `polling 1 device · ${at.toLocaleTimeString()}`,
    });
    status.polled({ nextMs: 1000 }, 3, at);
    assert.equal(last().text, `polling 3 devices · ${at.toLocaleTimeString()}`);
  });

  it('uses Node-RED\'s common "connecting", and its other texts from the account catalogue', function () {
    const { status, last } = painter('en-US');
    status.started(true);
    assert.deepEqual(last(), { fill: 'blue', shape: 'ring', text: 'starting…' });
    status.pushState(state('connecting'), { live: 0, count: 1 });
    assert.deepEqual(last(), { fill: 'blue', shape: 'ring', text: 'connecting' });
    status.pushState(state('reconnecting', { retryInMs: 2400 }), { live: 0, count: 1 });
    assert.deepEqual(last(), { fill: 'yellow', shape: 'ring', text: 'reconnecting in 2 s' });
    const failed = new IotExplorerError({ code: 'IOTX_TIMEOUT', key: 'unexpected', params: {} });
    status.polled({ failed, nextMs: 60_000 }, 1);
    assert.deepEqual(last(), { fill: 'red', shape: 'ring', text: 'IOTX_TIMEOUT · retry in 60 s' });
    status.started(false);
    assert.deepEqual(last(), { fill: 'grey', shape: 'ring', text: 'nothing to watch' });
  });

  it("speaks Chinese in zh-CN, Node-RED's common text included", function () {
    const { status, last } = painter('zh-CN');
    status.pushState(state('connecting'), { live: 0, count: 1 });
    assert.equal(last().text, '连接中');
    status.pushState(state('live'), { live: 1, count: 1 });
    assert.equal(last().text, '实时 · 1/1 台设备');
    status.polled({ nextMs: 0 }, 1, new Date(0));
    assert.match(String(last().text), /^轮询 1 台设备 · /);
  });

  it('returns a refusal to report once per code, and keeps the code showing while it retries', function () {
    const { status, painted, last } = painter('en-US');
    const refused = new IotExplorerError({
      code: 'InvalidParameterValue.InvalidAccessToken',
      key: 'unexpected',
      params: {},
    });
    assert.equal(
      status.pushState(state('refused', { error: refused }), { live: 0, count: 1 }),
      refused,
    );
    assert.equal(last().text, refused.code);
    const shown = painted.length;
    status.pushState(state('connecting'), { live: 0, count: 1 });
    status.pushState(state('subscribing'), { live: 0, count: 1 });
    assert.equal(
      status.pushState(state('refused', { error: refused }), { live: 0, count: 1 }),
      undefined,
      'the same code again: already reported',
    );
    assert.equal(painted.length, shown, 'no flicker to "connecting", no repaint of the same');
    status.pushState(state('live'), { live: 1, count: 1 });
    assert.equal(last().fill, 'green');
    assert.equal(
      status.pushState(state('refused', { error: refused }), { live: 0, count: 1 }),
      refused,
      'refused again after being accepted: reported again',
    );
  });

  it('clears on close', function () {
    const { status, last } = painter('en-US');
    status.started(true);
    status.clear();
    assert.deepEqual(last(), {});
  });
});
