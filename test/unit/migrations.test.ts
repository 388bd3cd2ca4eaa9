// Each node's migration, one test per shape an older version saved: the stored properties as that
// version wrote them → the settings the node runs with today. And every migration of an empty
// configuration against ABSENT_MEANS, which the editor shows for absent properties.
import assert from 'node:assert/strict';
import { migrateAccount } from '../../nodes/iot-explorer-account/settings';
import { migrateAction } from '../../nodes/iot-explorer-action/settings';
import { migrateAutomation } from '../../nodes/iot-explorer-automation/settings';
import { migrateControl } from '../../nodes/iot-explorer-control/settings';
import { migrateHistory } from '../../nodes/iot-explorer-history/settings';
import { migrateHome } from '../../nodes/iot-explorer-home/settings';
import { migrateScene } from '../../nodes/iot-explorer-scene/settings';
import { migrateState } from '../../nodes/iot-explorer-state/settings';
import { migrateStatus } from '../../nodes/iot-explorer-status/settings';
import { migrateWatch } from '../../nodes/iot-explorer-watch/settings';
import {
  ABSENT_MEANS,
  MIGRATIONS,
  VERSIONS,
  type NodeSettings,
  type NodeType,
} from '../../nodes/all-settings';
import { readMaxPoints } from '../../lib/node/time-range';
import { CHINA_TOKENAPI } from '../../lib/shared/account';

const str = (value: string) => ({ value, type: 'str' });
const PAYLOAD = { value: 'payload', type: 'msg' };
/** A node saved before selections: its listed device(s). */
const LISTED = { selection: { mode: 'devices' } };

type Reading<T extends NodeType> = (settings: NodeSettings[T]) => unknown;

/**
 * Where each ABSENT_MEANS entry shows in a node's settings. Typed so that every entry of
 * ABSENT_MEANS must be listed: a property added there without a reading here does not compile.
 */
const READINGS: {
  [T in NodeType]: Record<keyof (typeof ABSENT_MEANS)[T], Reading<T>> &
    Partial<Record<string, Reading<T>>>;
} = {
  'iot-explorer-account': {
    endpoint: (s) => s.endpoint,
    timeout: (s) => s.timeoutMs,
    maxInFlight: (s) => s.flowControl.maxInFlight,
    maxQueue: (s) => s.flowControl.maxQueue,
    rateLimit: (s) => s.flowControl.ratePerSecond,
    authMode: (s) => s.authMode,
    loginType: (s) => s.signIn.loginType,
    countryCode: (s) => s.signIn.countryCode,
    pushUrl: (s) => s.pushUrl,
    homeRefreshMinutes: (s) => s.homeRefreshMinutes,
    maxSelection: (s) => s.maxSelection,
    deviceNames: (s) => s.deviceNames,
  },
  'iot-explorer-action': {
    productIdType: (s) => s.productId.type,
    deviceNameType: (s) => s.deviceName.type,
    actionIdType: (s) => s.actionId.type,
    mode: (s) => s.mode,
    inputParams: (s) => s.inputParams.value,
    inputParamsType: (s) => s.inputParams.type,
    selection: (s) => s.selection.selection.mode,
  },
  'iot-explorer-control': {
    productIdType: (s) => s.productId.type,
    deviceNameType: (s) => s.deviceName.type,
    data: (s) => s.data.value,
    dataType: (s) => s.data.type,
    selection: (s) => s.selection.selection.mode,
  },
  'iot-explorer-state': {
    productIdType: (s) => s.productId.type,
    deviceNameType: (s) => s.deviceName.type,
    // The editor stores the list as typed; the runtime reads no id from it: all properties.
    properties: (s) => s.properties.join(', '),
  },
  'iot-explorer-status': {
    productIdType: (s) => s.productId.type,
    deviceNameType: (s) => s.deviceName.type,
    devices: (s) => s.devices,
  },
  'iot-explorer-watch': {
    devices: (s) => s.devices,
    properties: (s) => s.properties.join(', '),
    watchState: (s) => s.watchState,
    watchOnline: (s) => s.watchOnline,
    interval: (s) => s.intervalSeconds,
    emitInitial: (s) => s.emitInitial,
    mode: (s) => s.mode,
    watchEvents: (s) => s.watchEvents,
    watchActions: (s) => s.watchActions,
    selection: (s) => s.selection.selection.mode,
  },
  'iot-explorer-scene': { sceneIdType: (s) => s.sceneId.type },
  'iot-explorer-automation': {
    operation: (s) => s.operation,
    automationIdType: (s) => s.automationId.type,
    familyIdType: (s) => s.familyId.type,
    state: (s) => s.state,
  },
  'iot-explorer-history': {
    productIdType: (s) => s.productId.type,
    deviceNameType: (s) => s.deviceName.type,
    kind: (s) => s.kind,
    propertyType: (s) => s.property.type,
    eventType: (s) => s.eventType,
    range: (s) => s.range,
    rangeUnit: (s) => s.rangeUnit,
    // As the node reads it per message: the same limit as the editor's default.
    maxPoints: (s) => String(readMaxPoints(s.maxPoints)),
    output: (s) => s.output,
  },
  'iot-explorer-home': {
    familyId: (s) => s.filter.familyId ?? '',
    roomId: (s) => s.filter.roomId ?? '',
    productId: (s) => s.filter.productId ?? '',
    shared: (s) => (s.filter.shared === undefined ? '' : String(s.filter.shared)),
    online: (s) => (s.filter.online === undefined ? '' : String(s.filter.online)),
    withValues: (s) => s.withValues,
    sendChanges: (s) => s.sendChanges,
  },
};

describe('node migrations', function () {
  describe('an empty configuration', function () {
    const types = Object.keys(ABSENT_MEANS) as NodeType[];

    it('has a migration for every node type, and no other', function () {
      assert.deepEqual(Object.keys(MIGRATIONS).sort(), [...types].sort());
    });

    for (const type of types) {
      it(`${type}: reads as ABSENT_MEANS says, every entry of it`, function () {
        const migrate = MIGRATIONS[type] as (stored: object) => NodeSettings[typeof type];
        const settings = migrate({});
        const readings = READINGS[type] as Record<string, (s: typeof settings) => unknown>;
        const means: Record<string, unknown> = ABSENT_MEANS[type];
        for (const [property, value] of Object.entries(means)) {
          assert.ok(readings[property], `${type}.${property} has a reading`);
          assert.deepEqual(readings[property](settings), value, `${type}.${property}`);
        }
      });
    }

    for (const type of types) {
      it(`${type}: reads a node saved with its version as one saved before versions`, function () {
        const migrate = MIGRATIONS[type] as (stored: object) => NodeSettings[typeof type];
        const absent = migrate({});
        assert.deepEqual(migrate({ version: VERSIONS[type] }), absent);
        // The dialog saves it as text.
        assert.deepEqual(migrate({ version: String(VERSIONS[type]) }), absent);
      });
    }

    it('gives each node its own copy of a list default', function () {
      const first = migrateWatch({});
      (first.devices as string[]).push('P/d');
      assert.deepEqual(migrateWatch({}).devices, []);
      assert.deepEqual(ABSENT_MEANS['iot-explorer-watch'].devices, []);
    });
  });

  describe('iot-explorer-account', function () {
    const pasted = {
      name: 'Home',
      endpoint: CHINA_TOKENAPI,
      timeoutMs: 10000,
      flowControl: { maxInFlight: 10, maxQueue: 1000, ratePerSecond: 0 },
      authMode: 'token',
      tokenExpireAt: undefined,
      pushUrl: '',
      // Saved before the home model: the home is read every 10 minutes.
      homeRefreshMinutes: 10,
      // Saved before selections: a selection acts on at most 50 devices.
      maxSelection: 50,
      // Saved before the setting: the home is read once for the messages' device names.
      deviceNames: 'home',
      signIn: { appKey: '', loginType: 'phone', countryCode: '86', appapiEndpoint: '' },
    };

    it('keeps a home refresh of its own, and reads a blank or wrong one as 10 minutes', function () {
      assert.equal(migrateAccount({ homeRefreshMinutes: '30' }).homeRefreshMinutes, 30);
      assert.equal(migrateAccount({ homeRefreshMinutes: 5 }).homeRefreshMinutes, 5);
      assert.equal(migrateAccount({ homeRefreshMinutes: '' }).homeRefreshMinutes, 10);
      assert.equal(migrateAccount({ homeRefreshMinutes: '0' }).homeRefreshMinutes, 10);
    });

    it('as first saved (name, endpoint, timeout): a pasted token, default flow control', function () {
      assert.deepEqual(
        migrateAccount({ id: 'a1', name: 'Home', endpoint: CHINA_TOKENAPI, timeout: '10000' }),
        pasted,
      );
    });

    it('before flow control: a custom endpoint and timeout kept, the limits their defaults', function () {
      assert.deepEqual(
        migrateAccount({
          id: 'a1',
          name: '',
          endpoint: ' http://127.0.0.1:9/tokenapi ',
          timeout: 2500,
        }),
        { ...pasted, name: 'a1', endpoint: 'http://127.0.0.1:9/tokenapi', timeoutMs: 2500 },
      );
    });

    it('before sign-in (flow control, no authMode or tokenExpireAt): a pasted token of unknown expiry', function () {
      assert.deepEqual(
        migrateAccount({
          name: 'Home',
          endpoint: CHINA_TOKENAPI,
          timeout: '10000',
          maxInFlight: '4',
          maxQueue: '0',
          rateLimit: '2.5',
        }),
        { ...pasted, flowControl: { maxInFlight: 4, maxQueue: 0, ratePerSecond: 2.5 } },
      );
    });

    it('before push (no pushUrl): derived from the endpoint, expiry and sign-in as saved', function () {
      assert.deepEqual(
        migrateAccount({
          name: 'Home',
          endpoint: CHINA_TOKENAPI,
          timeout: '10000',
          maxInFlight: '10',
          maxQueue: '1000',
          rateLimit: '',
          authMode: 'token',
          tokenExpireAt: '1700000000',
        }),
        { ...pasted, tokenExpireAt: 1700000000 },
      );
      assert.deepEqual(
        migrateAccount({
          name: 'Home',
          authMode: 'signin',
          tokenExpireAt: '1700000000',
          appKey: ' key ',
          loginType: 'email',
          countryCode: '',
          appapiEndpoint: '',
        }).signIn,
        { appKey: 'key', loginType: 'email', countryCode: '86', appapiEndpoint: '' },
      );
    });

    it('takes a value it cannot read as absent, as before', function () {
      const settings = migrateAccount({
        timeout: 'soon',
        maxInFlight: '0',
        maxQueue: '-1',
        rateLimit: 'fast',
        authMode: 'oauth',
        tokenExpireAt: 'next week',
        countryCode: '+852',
      });
      assert.equal(settings.timeoutMs, 10000);
      assert.deepEqual(settings.flowControl, { maxInFlight: 10, maxQueue: 1000, ratePerSecond: 0 });
      assert.equal(settings.authMode, 'token');
      assert.equal(settings.tokenExpireAt, undefined);
      assert.equal(settings.signIn.countryCode, '852');
    });

    it('a sign-in account has no pasted ExpireAt', function () {
      assert.equal(
        migrateAccount({ authMode: 'signin', tokenExpireAt: '1700000000' }).tokenExpireAt,
        undefined,
      );
    });
  });

  describe('iot-explorer-action', function () {
    it('as first saved (no mode): synchronous', function () {
      assert.deepEqual(
        migrateAction({
          productId: 'PID',
          productIdType: 'str',
          deviceName: 'lock',
          deviceNameType: 'str',
          actionId: 'unlock',
          actionIdType: 'str',
          inputParams: 'payload',
          inputParamsType: 'msg',
        }),
        {
          mode: 'sync',
          productId: str('PID'),
          deviceName: str('lock'),
          actionId: str('unlock'),
          inputParams: PAYLOAD,
          selection: LISTED,
        },
      );
    });

    it('written without types (no inputParamsType): the literals, InputParams from msg.payload', function () {
      assert.deepEqual(
        migrateAction({
          productId: 'PID',
          deviceName: 'lock',
          actionId: 'unlock',
          inputParams: '{"a":1}',
        }),
        {
          mode: 'sync',
          productId: str('PID'),
          deviceName: str('lock'),
          actionId: str('unlock'),
          inputParams: PAYLOAD,
          selection: LISTED,
        },
      );
    });

    it('with mode and a JSON InputParams: as saved', function () {
      assert.deepEqual(
        migrateAction({
          mode: 'async',
          productId: 'p',
          productIdType: 'msg',
          inputParams: '{"a":1}',
          inputParamsType: 'json',
        }),
        {
          mode: 'async',
          productId: { value: 'p', type: 'msg' },
          deviceName: str(''),
          actionId: str(''),
          inputParams: { value: '{"a":1}', type: 'json' },
          selection: LISTED,
        },
      );
    });
  });

  describe('iot-explorer-control', function () {
    it('without dataType: the data from msg.payload', function () {
      assert.deepEqual(
        migrateControl({ productId: 'PID', deviceName: 'lamp', data: '{"power_switch":1}' }),
        { productId: str('PID'), deviceName: str('lamp'), data: PAYLOAD, selection: LISTED },
      );
    });

    it('as saved since: the data as typed', function () {
      assert.deepEqual(
        migrateControl({
          productId: '',
          productIdType: 'str',
          deviceName: 'name',
          deviceNameType: 'flow',
          data: '{"power_switch":1}',
          dataType: 'json',
        }),
        {
          productId: str(''),
          deviceName: { value: 'name', type: 'flow' },
          data: { value: '{"power_switch":1}', type: 'json' },
          selection: LISTED,
        },
      );
    });
  });

  describe('iot-explorer-state', function () {
    it('without properties: all of them', function () {
      assert.deepEqual(migrateState({ productId: 'PID', deviceName: 'lamp' }), {
        productId: str('PID'),
        deviceName: str('lamp'),
        properties: [],
      });
    });

    it('with a property list: its ids', function () {
      assert.deepEqual(
        migrateState({ productId: 'PID', deviceName: 'lamp', properties: 'power_switch， color' })
          .properties,
        ['power_switch', 'color'],
      );
    });
  });

  describe('iot-explorer-status', function () {
    it('before the device list (productId / deviceName only): one device, no list', function () {
      assert.deepEqual(
        migrateStatus({
          productId: 'PID',
          productIdType: 'str',
          deviceName: 'lamp',
          deviceNameType: 'str',
        }),
        { productId: str('PID'), deviceName: str('lamp'), devices: [] },
      );
    });

    it('with a list, rows or PID/DN texts: the list as stored (checked per message)', function () {
      const devices = [{ productId: 'P', deviceName: 'a' }];
      assert.deepEqual(migrateStatus({ devices }).devices, devices);
      assert.deepEqual(migrateStatus({ devices: ['P/a', 'P/b'] }).devices, ['P/a', 'P/b']);
    });
  });

  describe('iot-explorer-watch', function () {
    const beforePush = {
      devices: [{ productId: 'P', deviceName: 'lamp' }],
      properties: 'power_switch',
      watchState: true,
      watchOnline: false,
      interval: '10',
      emitInitial: true,
    };

    it('before push (no mode, watchEvents, watchActions): polls, as saved', function () {
      assert.deepEqual(migrateWatch(beforePush), {
        mode: 'poll',
        devices: [{ productId: 'P', deviceName: 'lamp' }],
        properties: ['power_switch'],
        intervalSeconds: 10,
        watchState: true,
        watchOnline: false,
        watchEvents: false,
        watchActions: false,
        emitInitial: true,
        selection: LISTED,
      });
    });

    it('as first saved (devices and interval only): watches state and online, no first values', function () {
      assert.deepEqual(migrateWatch({ devices: ['P/lamp'], interval: 30 }), {
        mode: 'poll',
        devices: ['P/lamp'],
        properties: [],
        intervalSeconds: 30,
        watchState: true,
        watchOnline: true,
        watchEvents: false,
        watchActions: false,
        emitInitial: false,
        selection: LISTED,
      });
    });

    it('with push settings: as saved; a misspelt mode polls; an unreadable interval is 30 s', function () {
      const settings = migrateWatch({
        ...beforePush,
        mode: 'push',
        watchEvents: true,
        watchActions: true,
      });
      assert.equal(settings.mode, 'push');
      assert.equal(settings.watchEvents, true);
      assert.equal(settings.watchActions, true);
      assert.equal(migrateWatch({ mode: 'PUSH?' }).mode, 'poll');
      assert.equal(migrateWatch({ interval: 'often' }).intervalSeconds, 30);
      assert.equal(migrateWatch({ interval: 0 }).intervalSeconds, 30);
      // Only a saved boolean counts: a text is taken as absent (as `!== false` / `=== true` did).
      assert.equal(migrateWatch({ watchState: 'false', emitInitial: 'true' }).watchState, true);
      assert.equal(migrateWatch({ emitInitial: 'true' }).emitInitial, false);
    });
  });

  describe('iot-explorer-scene', function () {
    it('as first saved: the picked scene', function () {
      assert.deepEqual(
        migrateScene({ sceneId: 's_1', sceneIdType: 'str', sceneName: 'Home', familyId: 'f_1' }),
        { sceneId: str('s_1'), sceneName: 'Home' },
      );
    });

    it('written by hand without a type or a name', function () {
      assert.deepEqual(migrateScene({ sceneId: 's_1' }), { sceneId: str('s_1'), sceneName: '' });
    });
  });

  describe('iot-explorer-automation', function () {
    it('written by hand with only an id: switches it to msg.payload', function () {
      assert.deepEqual(migrateAutomation({ automationId: 'a_1' }), {
        operation: 'set',
        automationId: str('a_1'),
        automationName: '',
        familyId: str(''),
        state: 'payload',
      });
    });

    it('as first saved: as saved; an unknown operation or state reads as absent', function () {
      assert.deepEqual(
        migrateAutomation({
          operation: 'list',
          automationId: '',
          automationIdType: 'str',
          familyId: 'familyId',
          familyIdType: 'msg',
          state: 'off',
          automationName: '',
        }),
        {
          operation: 'list',
          automationId: str(''),
          automationName: '',
          familyId: { value: 'familyId', type: 'msg' },
          state: 'off',
        },
      );
      const odd = migrateAutomation({ operation: 'delete', state: 'maybe' });
      assert.equal(odd.operation, 'set');
      assert.equal(odd.state, 'payload');
    });
  });

  describe('iot-explorer-history', function () {
    const saved = {
      productId: 'PID',
      productIdType: 'str',
      deviceName: 'sensor',
      deviceNameType: 'str',
      kind: 'property',
      property: 'temperature',
      propertyType: 'str',
      eventId: '',
      eventType: '',
      rangeUnit: 'hours',
      maxPoints: '5000',
      output: 'chart',
    };
    const lastDay = {
      productId: str('PID'),
      deviceName: str('sensor'),
      kind: 'property',
      property: str('temperature'),
      eventId: '',
      eventType: '',
      range: '24',
      rangeUnit: 'hours',
      maxPoints: '5000',
      output: 'chart',
    };

    it('saved without a range: the last 24 hours, as a new node', function () {
      assert.deepEqual(migrateHistory(saved), lastDay);
    });

    it('saved with a blank range: msg.start / msg.end', function () {
      assert.deepEqual(migrateHistory({ ...saved, range: '' }), { ...lastDay, range: '' });
    });

    it('written by hand with only the device and a number range', function () {
      const settings = migrateHistory({ productId: 'PID', deviceName: 'sensor', range: 3 });
      assert.deepEqual(settings, { ...lastDay, property: str(''), range: '3' });
      assert.equal(readMaxPoints(settings.maxPoints), 5000);
    });

    it('events: the filters as saved, an unknown type as all', function () {
      const settings = migrateHistory({
        ...saved,
        kind: 'event',
        eventId: 'low',
        eventType: 'alert',
      });
      assert.equal(settings.kind, 'event');
      assert.equal(settings.eventId, 'low');
      assert.equal(settings.eventType, 'alert');
      assert.equal(migrateHistory({ kind: 'event', eventType: 'warning' }).eventType, '');
      assert.equal(migrateHistory({ output: 'table' }).output, 'chart');
    });
  });

  describe('iot-explorer-home', function () {
    it('as first saved: the editor filter, yes/no selects read as booleans, blanks as any', function () {
      assert.deepEqual(
        migrateHome({
          version: 1,
          familyId: ' f_demo_home ',
          roomId: '0',
          productId: '',
          shared: 'false',
          online: 'true',
          withValues: true,
        }),
        {
          filter: { familyId: 'f_demo_home', roomId: '0', shared: false, online: true },
          withValues: true,
          sendChanges: false,
        },
      );
      assert.deepEqual(migrateHome({}), { filter: {}, withValues: false, sendChanges: false });
      assert.deepEqual(migrateHome({ shared: 'maybe' }).filter, {});
    });
  });
});

describe('selections (watch, control, call action: version 2)', function () {
  const readers = {
    'iot-explorer-action': (stored: object) => migrateAction(stored).selection,
    'iot-explorer-control': (stored: object) => migrateControl(stored).selection,
    'iot-explorer-watch': (stored: object) => migrateWatch(stored).selection,
  };
  for (const [type, read] of Object.entries(readers)) {
    it(`${type}: a node saved by version 1 or before keeps its listed device(s)`, function () {
      assert.equal(VERSIONS[type as NodeType], 2);
      assert.deepEqual(read({ version: 1, productId: 'P', deviceName: 'lamp' }), LISTED);
      assert.deepEqual(read({ productId: 'P', deviceName: 'lamp' }), LISTED);
      // A filter stored without its mode (hand-written) does not change what the node acts on.
      assert.deepEqual(read({ version: 1, selectionFilter: { roomId: 'r1' } }), LISTED);
    });

    it(`${type}: a filter selection reads its filter; an empty or wrong one is named`, function () {
      assert.deepEqual(
        read({ version: 2, selection: 'filter', selectionFilter: { roomId: 'r1' } }),
        {
          selection: { mode: 'filter', filter: { roomId: 'r1' } },
        },
      );
      assert.deepEqual(
        read({
          version: 2,
          selection: 'filter',
          selectionFilter: { familyId: ' f1 ', productId: '', shared: true },
        }),
        { selection: { mode: 'filter', filter: { familyId: 'f1', shared: true } } },
      );
      assert.deepEqual(read({ version: 2, selection: 'filter', selectionFilter: {} }), {
        selection: { mode: 'filter', filter: {} },
        empty: true,
      });
      assert.deepEqual(read({ version: 2, selection: 'filter' }), {
        selection: { mode: 'filter', filter: {} },
        empty: true,
      });
      assert.deepEqual(read({ version: 2, selection: 'filter', selectionFilter: { room: 'r1' } }), {
        selection: { mode: 'filter', filter: {} },
        wrong: 'filter.room',
      });
      assert.deepEqual(read({ version: 2, selection: 'everything' }), LISTED);
    });
  }

  it('iot-explorer-account: maxSelection absent before selections is 50; a bad one reads as absent', function () {
    assert.equal(migrateAccount({}).maxSelection, 50);
    assert.equal(migrateAccount({ maxSelection: '12' }).maxSelection, 12);
    assert.equal(migrateAccount({ maxSelection: '0' }).maxSelection, 50);
    assert.equal(migrateAccount({ maxSelection: 'many' }).maxSelection, 50);
  });

  it("iot-explorer-account: deviceNames absent before the setting reads the home; 'ids' kept; a bad one reads as absent", function () {
    assert.equal(migrateAccount({}).deviceNames, 'home');
    assert.equal(migrateAccount({ deviceNames: 'ids' }).deviceNames, 'ids');
    assert.equal(migrateAccount({ deviceNames: 'home' }).deviceNames, 'home');
    assert.equal(migrateAccount({ deviceNames: 'names' }).deviceNames, 'home');
  });
});
