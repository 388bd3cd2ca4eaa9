import assert from 'node:assert/strict';
import {
  activePushFrame,
  decodePayload,
  heartbeatFrame,
  parseServerFrame,
  type DevicePush,
} from '../../lib/push/frames';
import { reconnectDelayMs } from '../../lib/push/push-connection';
import {
  CHINA_PUSH_URL,
  INTERNATIONAL_PUSH_URL_GUESS,
  pushUrlFor,
} from '../../lib/shared/push-url';
import { migrateWatch } from '../../nodes/iot-explorer-watch/settings';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');

function pushOf(frame: unknown): DevicePush {
  const parsed = parseServerFrame(JSON.stringify(frame), 1000);
  assert.equal(parsed.type, 'push', JSON.stringify(parsed));
  return (parsed as { push: DevicePush }).push;
}

function change(params: Record<string, unknown> | string): unknown {
  return { push: true, action: 'DeviceChange', params };
}

describe('push frames', function () {
  it('builds ActivePush and the heartbeat with the full set and the token inside ActionParams', function () {
    assert.deepEqual(activePushFrame('sub-1', ['P/a', 'P/b'], 'tok'), {
      action: 'ActivePush',
      reqId: 'sub-1',
      params: { DeviceIds: ['P/a', 'P/b'], AccessToken: 'tok' },
    });
    assert.deepEqual(heartbeatFrame('hb-2', ['P/a'], 'tok', 'rid'), {
      action: 'YunApi',
      reqId: 'hb-2',
      params: {
        Action: 'AppDeviceTraceHeartBeat',
        ActionParams: { DeviceIds: ['P/a'], AccessToken: 'tok', RequestId: 'rid' },
      },
    });
  });

  it('reads replies with string or number reqIds', function () {
    const reply = parseServerFrame(
      JSON.stringify({ reqId: 7, error: '', error_message: '', data: { deviceIds: ['P/a'] } }),
    );
    assert.deepEqual(reply, {
      type: 'reply',
      reqId: '7',
      error: '',
      errorMessage: '',
      data: { deviceIds: ['P/a'] },
    });
  });

  it('decodes a property report from base64, with params as an object or a JSON string', function () {
    const params = {
      Time: '2023-07-13T14:19:48+08:00',
      Type: 'Property',
      SubType: 'Report',
      Topic: '$thing/up/property/PID/DN',
      Payload: b64({ method: 'report', params: { brightness: 59 }, clientToken: 'c' }),
      Seq: 1689229188406,
      DeviceId: 'PID/DN',
    };
    for (const frame of [change(params), change(JSON.stringify(params))]) {
      const push = pushOf(frame);
      assert.deepEqual(push, {
        deviceId: 'PID/DN',
        productId: 'PID',
        deviceName: 'DN',
        type: 'Property',
        subType: 'Report',
        seq: 1689229188406,
        time: Date.parse('2023-07-13T14:19:48+08:00'),
        kind: 'properties',
        values: { brightness: 59 },
        origin: 'report',
      });
    }
  });

  it('takes the device from Topic when DeviceId is missing, and reads status changes', function () {
    const report = pushOf(
      change({
        Type: 'Property',
        SubType: 'Report',
        Topic: '$thing/up/property/PID/DN',
        Payload: b64({ method: 'report', params: { power: 1 } }),
      }),
    );
    assert.equal(report.deviceId, 'PID/DN');
    const offline = pushOf(change({ Type: 'StatusChange', SubType: 'Offline', DeviceId: 'P/D' }));
    assert.deepEqual(offline.kind === 'online' && [offline.deviceId, offline.online], [
      'P/D',
      false,
    ]);
    const online = pushOf(change({ Type: 'StatusChange', SubType: 'Online', DeviceId: 'P/D' }));
    assert.equal(online.kind === 'online' && online.online, true);
    // The doc's StatusChange example has neither: only a read can tell which device it was.
    const nameless = { Type: 'StatusChange', SubType: 'Online', Topic: '', Payload: '' };
    assert.deepEqual(parseServerFrame(JSON.stringify(change(nameless))), {
      type: 'unattributedStatus',
      online: true,
    });
  });

  it('reads events, action calls and replies, and old shadow shapes', function () {
    const base = { DeviceId: 'PID/DN', Time: '2024-01-01T00:00:00Z' };
    const event = pushOf(
      change({
        ...base,
        Type: 'Event',
        SubType: 'Report',
        Payload: b64({
          method: 'event_post',
          eventId: 'ring',
          type: 'info',
          params: { button: 1 },
          timestamp: 0,
        }),
      }),
    );
    assert.equal(event.kind, 'event');
    assert.deepEqual(event.kind === 'event' && [event.eventId, event.eventType, event.params], [
      'ring',
      'info',
      { button: 1 },
    ]);
    const reply = pushOf(
      change({
        ...base,
        Type: 'Action',
        SubType: 'Report',
        Payload: b64({
          method: 'action_reply',
          clientToken: 'ct-1',
          code: 0,
          status: 'succ',
          response: { result: 1 },
        }),
      }),
    );
    assert.deepEqual(
      reply.kind === 'actionReply' && [
        reply.actionId,
        reply.clientToken,
        reply.code,
        reply.status,
        reply.response,
      ],
      ['', 'ct-1', 0, 'succ', { result: 1 }],
    );
    const call = pushOf(
      change({
        ...base,
        Type: 'Action',
        SubType: 'Push',
        Payload: b64({
          method: 'action',
          clientToken: 'ct-1',
          actionId: 'light_blink',
          params: {},
        }),
      }),
    );
    assert.equal(call.kind === 'actionCall' && call.actionId, 'light_blink');
    const shadow = pushOf(
      change({
        ...base,
        Type: 'Shadow',
        SubType: 'Report',
        Payload: b64({ type: 'update', state: { reported: { power: 1 } }, version: 3 }),
      }),
    );
    assert.deepEqual(shadow.kind === 'properties' && [shadow.values, shadow.origin], [
      { power: 1 },
      'report',
    ]);
    const delta = pushOf(
      change({
        ...base,
        Type: 'Template',
        SubType: 'Push',
        Payload: b64({ type: 'delta', payload: { state: { power: 0 }, version: 0 } }),
      }),
    );
    assert.deepEqual(delta.kind === 'properties' && [delta.values, delta.origin], [
      { power: 0 },
      'control',
    ]);
    const control = pushOf(
      change({
        ...base,
        Type: 'Property',
        SubType: 'Push',
        Payload: b64({ method: 'control', params: { power: 1 } }),
      }),
    );
    assert.equal(control.kind === 'properties' && control.origin, 'control');
  });

  it('ignores garbage without throwing', function () {
    const samples = [
      '',
      'not json',
      '[]',
      'null',
      '42',
      '{}',
      JSON.stringify({ push: true, action: 'Other', params: {} }),
      JSON.stringify(change('not an object')),
      JSON.stringify(
        change({ Type: 'Property', SubType: 'Report', DeviceId: 'P/D', Payload: '%%%' }),
      ),
      JSON.stringify(
        change({ Type: 'Property', SubType: 'Report', DeviceId: 'P/D', Payload: b64([1]) }),
      ),
      JSON.stringify(
        change({ Type: 'Event', SubType: 'Report', DeviceId: 'P/D', Payload: b64({}) }),
      ),
      JSON.stringify(change({ Type: 'StatusChange', SubType: 'Sideways', DeviceId: 'P/D' })),
      JSON.stringify(
        change({
          Type: 'Property',
          SubType: 'Report',
          Payload: b64({ method: 'report', params: {} }),
        }),
      ),
    ];
    for (const sample of samples) {
      assert.equal(parseServerFrame(sample).type, 'ignored', sample);
    }
  });

  it('decodes payloads sent as plain JSON or as objects too', function () {
    assert.deepEqual(decodePayload('{"a":1}'), { a: 1 });
    assert.deepEqual(decodePayload({ a: 1 }), { a: 1 });
    assert.equal(decodePayload(''), undefined);
  });
});

describe('push URL rule', function () {
  it('derives the URL from the endpoint: scheme, host and port kept, path /ws/explorer', function () {
    assert.deepEqual(pushUrlFor('https://iot.cloud.tencent.com/api/exploreropen/tokenapi'), {
      url: CHINA_PUSH_URL,
      derived: true,
    });
    assert.deepEqual(
      pushUrlFor('https://oversea.iotcloud.tencentiotcloud.com/api/exploreropen/tokenapi'),
      { url: INTERNATIONAL_PUSH_URL_GUESS, derived: true },
    );
    assert.deepEqual(pushUrlFor('http://127.0.0.1:8123/api/exploreropen/tokenapi'), {
      url: 'ws://127.0.0.1:8123/ws/explorer',
      derived: true,
    });
  });

  it('takes the account setting first, and names what is unusable', function () {
    assert.deepEqual(pushUrlFor('http://127.0.0.1:1/x', ' wss://proxy.example/push '), {
      url: 'wss://proxy.example/push',
      derived: false,
    });
    assert.deepEqual(pushUrlFor('http://127.0.0.1:1/x', 'https://proxy.example/push'), {
      error: 'invalidPushUrl',
      value: 'https://proxy.example/push',
    });
    assert.deepEqual(pushUrlFor('ftp://x/y'), { error: 'invalidEndpoint', value: 'ftp://x/y' });
  });
});

describe('reconnection backoff', function () {
  const timings = { backoffMinMs: 2000, backoffMaxMs: 60000 };
  it('doubles from 2 s to 60 s, never less than 2 s nor more than 60 s, up to a fifth more at random', function () {
    const least = [1, 2, 3, 4, 5, 6, 7, 50].map((n) => reconnectDelayMs(n, timings, () => 0));
    assert.deepEqual(least, [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    const most = [1, 2, 5, 6, 50].map((n) => reconnectDelayMs(n, timings, () => 1));
    assert.deepEqual(most, [2400, 4800, 38400, 60000, 60000]);
    // The first retry, whatever the draw: from 2 s (the documented figure) to 2.4 s.
    for (let draw = 0; draw <= 1; draw += 0.125) {
      const first = reconnectDelayMs(1, timings, () => draw);
      assert.ok(first >= 2000 && first <= 2400, `${first} ms for ${draw}`);
    }
  });
});

describe('watch node migration', function () {
  /** The settings that depend on when the node was saved. */
  const pushEra = (stored: Parameters<typeof migrateWatch>[0]) => {
    const { mode, watchState, watchOnline, watchEvents, watchActions } = migrateWatch(stored);
    return { mode, watchState, watchOnline, watchEvents, watchActions };
  };
  it('keeps a node saved before push polling, and new nodes as saved', function () {
    assert.deepEqual(pushEra({}), {
      mode: 'poll',
      watchState: true,
      watchOnline: true,
      watchEvents: false,
      watchActions: false,
    });
    assert.equal(pushEra({ mode: 'push' }).mode, 'push');
    assert.equal(pushEra({ mode: 'poll' }).mode, 'poll');
    assert.equal(pushEra({ mode: 'PUSH?' }).mode, 'poll');
    assert.deepEqual(
      pushEra({
        mode: 'push',
        watchState: false,
        watchEvents: true,
        watchActions: true,
      }),
      { mode: 'push', watchState: false, watchOnline: true, watchEvents: true, watchActions: true },
    );
  });
});
