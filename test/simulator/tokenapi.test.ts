import assert from 'node:assert/strict';
import { loadFixture, startSimulator, type Simulator } from '../../simulator';
import {
  AIRCON,
  DEMO_TOKEN,
  EXPIRED_TOKEN,
  LAMP,
  LOCK,
  NEIGHBOR_LAMP,
  NEIGHBOR_TOKEN,
  OFFLINE_LAMP,
  SENSOR,
  SLOW_AIRCON,
  SPARE_LAMP,
  delay,
  type Json,
  postJson,
  tokenApi,
  tokenApiCode,
  tokenApiOk,
} from './helpers';

const UNREACHABLE = 'FailedOperation.ActionUnreachable|动作消息不可达';

describe('simulator tokenapi', function () {
  let sim: Simulator;
  let clock: number;
  beforeEach(async function () {
    clock = Date.now();
    sim = await startSimulator({ now: () => clock, syncActionTimeoutMs: 400 });
  });
  afterEach(async function () {
    await sim.close();
  });

  describe('AccessToken', function () {
    for (const [name, token] of [
      ['missing', undefined],
      ['empty', ''],
      ['unknown', 'no-such-token'],
      ['not a string', 12345],
      ['expired (fixture)', EXPIRED_TOKEN],
    ] as const) {
      it(`refuses a ${name} token with InvalidAccessToken, Token无效 and RequestId ""`, async function () {
        const json = await postJson(sim.tokenapiUrl, {
          Action: 'AppGetUser',
          RequestId: 'keep-me',
          AccessToken: token,
        });
        assert.deepEqual(json, {
          Response: {
            Error: { Code: 'InvalidParameterValue.InvalidAccessToken', Message: 'Token无效' },
            RequestId: '',
          },
        });
      });
    }

    it('expires an issued token once the clock passes ExpireAt', async function () {
      const { Token, ExpireAt } = sim.issueToken('u-demo', 60);
      assert.equal(ExpireAt, Math.floor(clock / 1000) + 60);
      await tokenApiOk(sim, 'AppGetUser', {}, Token);
      clock = ExpireAt * 1000;
      await tokenApiOk(sim, 'AppGetUser', {}, Token);
      clock = ExpireAt * 1000 + 1;
      const err = await tokenApiCode(sim, 'AppGetUser', {}, Token);
      assert.equal(err.Code, 'InvalidParameterValue.InvalidAccessToken');
      assert.equal(sim.model.tokens.get(DEMO_TOKEN)?.revoked, false, 'other tokens stay valid');
      await tokenApiOk(sim, 'AppGetUser');
    });

    it('revokes a token with revokeToken()', async function () {
      const { Token } = sim.issueToken('u-demo');
      sim.revokeToken(Token);
      assert.equal(
        (await tokenApiCode(sim, 'AppGetUser', {}, Token)).Code,
        'InvalidParameterValue.InvalidAccessToken',
      );
    });

    it('AppLogoutUser answers Data "OK" and revokes the calling token only', async function () {
      const { Token } = sim.issueToken('u-demo');
      const out = await tokenApiOk(sim, 'AppLogoutUser', {}, Token);
      assert.equal(out.Data, 'OK');
      const again = await tokenApi(sim, 'AppLogoutUser', {}, Token);
      assert.equal(again.Error.Code, 'InvalidParameterValue.InvalidAccessToken');
      assert.equal(again.RequestId, '');
      await tokenApiOk(sim, 'AppGetUser', {}, DEMO_TOKEN);
    });

    it('checks the Action before the token', async function () {
      assert.equal((await tokenApiCode(sim, 'AppFly', {}, 'bad')).Code, 'InvalidAction');
    });
  });

  describe('AppCallDeviceActionSync', function () {
    const call = (params: Record<string, unknown>, token?: string): Promise<Json> =>
      tokenApi(sim, 'AppCallDeviceActionSync', params, token);

    it('runs the action on the device and returns its reply', async function () {
      const started = Date.now();
      const out = await call({
        ...LOCK,
        ActionId: 'unlock',
        InputParams: JSON.stringify({ userid: 'alice', duration: 5 }),
      });
      assert.ok(Date.now() - started >= 140, 'waited for the device (150 ms)');
      assert.match(out.ClientToken, /^[0-9a-f]{32}$/);
      assert.equal(out.Status, 'succ');
      assert.equal(typeof out.OutputParams, 'string');
      assert.deepEqual(JSON.parse(out.OutputParams), { result: 0, battery: 87 });
      assert.equal(
        sim.model.device('LOCK0C3D4E', 'front_door')?.properties.lock_state.Value,
        1,
        'unlock set lock_state',
      );
      assert.equal(sim.actionCalls.length, 1);
      assert.deepEqual(sim.actionCalls[0], {
        productId: 'LOCK0C3D4E',
        deviceName: 'front_door',
        actionId: 'unlock',
        params: { userid: 'alice', duration: 5 },
        mode: 'sync',
        at: clock,
      });
    });

    it('reads output values from the device state at the time of the call', async function () {
      sim.setDeviceProperty('LOCK0C3D4E', 'front_door', 'battery', 12);
      const out = await call({ ...LOCK, ActionId: 'unlock', InputParams: '{"userid":"bob"}' });
      assert.deepEqual(JSON.parse(out.OutputParams), { result: 0, battery: 12 });
      const locked = await call({ ...LOCK, ActionId: 'lock' });
      assert.deepEqual(JSON.parse(locked.OutputParams), { result: 0 });
      assert.equal(sim.model.device('LOCK0C3D4E', 'front_door')?.properties.lock_state.Value, 0);
    });

    it('accepts the DeviceId form and an absent or empty InputParams', async function () {
      const out = await call({ DeviceId: 'LIGHT0A1B2/living_lamp', ActionId: 'light_blink' });
      assert.equal(out.Status, 'succ');
      assert.deepEqual(JSON.parse(out.OutputParams), { err_code: 0 });
      await call({ ...LAMP, ActionId: 'light_blink', InputParams: '' });
      assert.deepEqual(
        sim.actionCalls.map((c) => c.params),
        [{}, {}],
      );
    });

    it('answers OutputParams "" when the device gives no output, and the device status', async function () {
      const fixture = loadFixture();
      fixture.devices[0].actions = { light_blink: { delayMs: 0, status: 'done' } };
      const other = await startSimulator({ fixture });
      try {
        const out = await tokenApiOk(other, 'AppCallDeviceActionSync', {
          ...LAMP,
          ActionId: 'light_blink',
        });
        assert.equal(out.OutputParams, '');
        assert.equal(out.Status, 'done');
      } finally {
        await other.close();
      }
    });

    const errorCases: [string, Record<string, unknown>, string, RegExp?][] = [
      [
        'no ProductId',
        { DeviceName: 'living_lamp', ActionId: 'light_blink' },
        'ErrorRequiredParamNotFound',
        /ProductId/,
      ],
      [
        'no DeviceName',
        { ProductId: 'LIGHT0A1B2', ActionId: 'light_blink' },
        'ErrorRequiredParamNotFound',
        /DeviceName/,
      ],
      ['no ActionId', { ...LAMP }, 'ErrorRequiredParamNotFound', /ActionId/],
      [
        'a numeric ProductId',
        { ProductId: 7, DeviceName: 'x', ActionId: 'a' },
        'InvalidParameterValue',
        /ProductId must be a string/,
      ],
      [
        'a numeric ActionId',
        { ...LAMP, ActionId: 7 },
        'InvalidParameterValue',
        /ActionId must be a string/,
      ],
      [
        'a malformed DeviceId',
        { DeviceId: 'LIGHT0A1B2', ActionId: 'light_blink' },
        'InvalidParameterValue',
        /DeviceId/,
      ],
      [
        'an unknown product',
        { ProductId: 'NOPE000000', DeviceName: 'x', ActionId: 'a' },
        'ResourceNotFound.StudioProductNotExist',
        /NOPE000000/,
      ],
      [
        'an unknown device',
        { ProductId: 'LIGHT0A1B2', DeviceName: 'ghost', ActionId: 'light_blink' },
        'ResourceNotFound.DeviceNotExist',
        /ghost/,
      ],
      [
        'a device of another family',
        { ...NEIGHBOR_LAMP, ActionId: 'light_blink' },
        'ResourceNotFound.DeviceNotBind',
      ],
      [
        'a device bound to no family',
        { ...SPARE_LAMP, ActionId: 'light_blink' },
        'ResourceNotFound.DeviceNotBind',
      ],
      [
        'an unknown action',
        { ...LAMP, ActionId: 'fly' },
        'InvalidParameterValue.ActionNilOrNotExist',
        /fly/,
      ],
      ['an empty ActionId', { ...LAMP, ActionId: '' }, 'InvalidParameterValue.ActionNilOrNotExist'],
      [
        'a product without actions',
        { ...SENSOR, ActionId: 'identify' },
        'InvalidParameterValue.ActionNilOrNotExist',
      ],
      [
        'InputParams that are not JSON',
        { ...LAMP, ActionId: 'light_blink', InputParams: '{time:1}' },
        'InvalidParameterValue.InvalidJSON',
        /InputParams/,
      ],
      [
        'InputParams that are a JSON array',
        { ...LAMP, ActionId: 'light_blink', InputParams: '[1]' },
        'InvalidParameterValue.InvalidJSON',
      ],
      [
        'InputParams sent as an object',
        { ...LAMP, ActionId: 'light_blink', InputParams: { time: 1 } },
        'InvalidParameterValue',
        /InputParams must be a JSON string/,
      ],
    ];
    for (const [name, params, code, message] of errorCases) {
      it(`refuses ${name} with ${code}`, async function () {
        const inner = await call(params);
        assert.equal(inner.Error?.Code, code, JSON.stringify(inner));
        if (message) assert.match(inner.Error.Message, message);
        assert.notEqual(inner.RequestId, '');
        assert.equal(sim.actionCalls.length, 0);
      });
    }

    it('lets the neighbour use their own lamp but not the demo user’s', async function () {
      const own = await call({ ...NEIGHBOR_LAMP, ActionId: 'light_blink' }, NEIGHBOR_TOKEN);
      assert.equal(own.Status, 'succ');
      const theirs = await call({ ...LAMP, ActionId: 'light_blink' }, NEIGHBOR_TOKEN);
      assert.equal(theirs.Error.Code, 'ResourceNotFound.DeviceNotBind');
    });

    describe('InputParams against the action’s input definitions', function () {
      const lamp = (input: unknown): Record<string, unknown> => ({
        ...LAMP,
        ActionId: 'light_blink',
        InputParams: JSON.stringify(input),
      });
      const aircon = (input: unknown): Record<string, unknown> => ({
        ...AIRCON,
        ActionId: 'set_schedule',
        InputParams: JSON.stringify(input),
      });
      const lock = (input: unknown): Record<string, unknown> => ({
        ...LOCK,
        ActionId: 'unlock',
        InputParams: JSON.stringify(input),
      });
      const good: [string, Record<string, unknown>][] = [
        ['int, bool and int', lamp({ time: 10, color: 1, total_time: 0 })],
        ['a subset', lamp({ time: 3 })],
        [
          'timestamp, stringenum, array of float and struct',
          aircon({
            start_at: 1700000000000,
            mode: 'heat',
            temps: [16, 22.5, 30],
            window: { from: 0, to: 23 },
          }),
        ],
        ['a timestamp as decimal text', aircon({ start_at: '1700000000000' })],
        ['a string at its maximum length', lock({ userid: 'x'.repeat(32), duration: 300 })],
      ];
      for (const [name, params] of good) {
        it(`accepts ${name}`, async function () {
          const out = await call(params);
          assert.equal(out.Error, undefined, JSON.stringify(out.Error));
          assert.equal(out.Status, 'succ');
        });
      }
      const bad: [string, Record<string, unknown>, RegExp][] = [
        ['an unknown input id', lamp({ speed: 1 }), /speed is not an input of light_blink/],
        ['an int out of range', lamp({ time: 11 }), /time must be an integer from 0 to 10/],
        ['an int given as text', lamp({ time: '3' }), /time must be an integer/],
        ['a fractional int', lamp({ total_time: 1.5 }), /total_time must be an integer/],
        ['a bool given as true', lamp({ color: true }), /color must be 0 or 1/],
        ['a bool of 2', lamp({ color: 2 }), /color must be 0 or 1/],
        ['a bad timestamp', aircon({ start_at: 'soon' }), /start_at must be a UNIX timestamp/],
        [
          'a stringenum outside the mapping',
          aircon({ mode: 'dry' }),
          /mode must be one of the strings cool, heat, auto/,
        ],
        [
          'an array element out of range',
          aircon({ temps: [20, 35] }),
          /temps\[1\] must be a number from 16 to 30/,
        ],
        ['an array that is not an array', aircon({ temps: 20 }), /temps must be an array/],
        [
          'a struct member out of range',
          aircon({ window: { from: 24 } }),
          /window\.from must be an integer from 0 to 23/,
        ],
        [
          'an unknown struct member',
          aircon({ window: { at: 1 } }),
          /window\.at is not a member of window/,
        ],
        ['a struct that is not an object', aircon({ window: [1, 2] }), /window must be an object/],
        [
          'a string too long',
          lock({ userid: 'x'.repeat(33) }),
          /userid must be a string of at most 32 characters/,
        ],
        ['a string given as a number', lock({ userid: 42 }), /userid must be a string/],
        ['a required input missing', lock({ duration: 5 }), /userid is required/],
        [
          'an int below its minimum',
          lock({ userid: 'a', duration: 0 }),
          /duration must be an integer from 1 to 300/,
        ],
      ];
      for (const [name, params, message] of bad) {
        it(`refuses ${name} with InvalidParameter.ActionInputParamsInvalid`, async function () {
          const err = (await call(params)).Error;
          assert.equal(err?.Code, 'InvalidParameter.ActionInputParamsInvalid');
          assert.match(err.Message, message);
          assert.equal(sim.actionCalls.length, 0);
        });
      }
    });

    it('reports an offline device inside a success envelope', async function () {
      const out = await call({
        ...OFFLINE_LAMP,
        ActionId: 'light_blink',
        InputParams: '{"time":1}',
      });
      assert.equal(out.Error, undefined);
      assert.deepEqual(out, {
        ClientToken: '',
        OutputParams: '',
        Status: UNREACHABLE,
        RequestId: out.RequestId,
      });
      assert.equal(sim.actionCalls.length, 0);
    });

    it('validates before reporting an offline device', async function () {
      const out = await call({
        ...OFFLINE_LAMP,
        ActionId: 'light_blink',
        InputParams: '{"time":99}',
      });
      assert.equal(out.Error.Code, 'InvalidParameter.ActionInputParamsInvalid');
    });

    it('follows setDeviceOnline', async function () {
      sim.setDeviceOnline('LIGHT0A1B2', 'living_lamp', false);
      assert.equal((await call({ ...LAMP, ActionId: 'light_blink' })).Status, UNREACHABLE);
      sim.setDeviceOnline('LIGHT0A1B2', 'bedroom_lamp', true);
      assert.equal((await call({ ...OFFLINE_LAMP, ActionId: 'light_blink' })).Status, 'succ');
    });

    it('times out with FailedOperation.Timeout when the device is slower than syncActionTimeoutMs, yet the device acts', async function () {
      const started = Date.now();
      const inner = await call({
        ...SLOW_AIRCON,
        ActionId: 'set_schedule',
        InputParams: '{"mode":"cool"}',
      });
      const waited = Date.now() - started;
      assert.deepEqual(inner.Error, { Code: 'FailedOperation.Timeout', Message: '调用超时' });
      assert.ok(waited >= 390 && waited < 2000, `waited ${waited} ms`);
      assert.equal(sim.actionCalls.length, 1);
      assert.equal(sim.actionCalls[0].deviceName, 'attic_aircon');
    });

    it('times out when the device goes offline before it answers, and the device does not act', async function () {
      const pending = call({ ...LOCK, ActionId: 'unlock', InputParams: '{"userid":"a"}' });
      await delay(50);
      sim.setDeviceOnline('LOCK0C3D4E', 'front_door', false);
      const inner = await pending;
      assert.equal(inner.Error.Code, 'FailedOperation.Timeout');
      assert.equal(sim.actionCalls.length, 0);
      assert.equal(sim.model.device('LOCK0C3D4E', 'front_door')?.properties.lock_state.Value, 0);
    });
  });

  describe('AppCallDeviceActionAsync', function () {
    it('answers Sent at once and runs the action after the device delay', async function () {
      const started = Date.now();
      const out = await tokenApiOk(sim, 'AppCallDeviceActionAsync', {
        ...LOCK,
        ActionId: 'unlock',
        InputParams: '{"userid":"carol","duration":3}',
      });
      assert.ok(Date.now() - started < 120, 'did not wait for the device');
      assert.equal(out.Status, 'Sent');
      assert.match(out.ClientToken, /^[0-9a-f]{32}$/);
      assert.equal('OutputParams' in out, false);
      assert.equal(sim.actionCalls.length, 0);
      await delay(250);
      assert.equal(sim.actionCalls.length, 1);
      assert.equal(sim.actionCalls[0].mode, 'async');
      assert.deepEqual(sim.actionCalls[0].params, { userid: 'carol', duration: 3 });
      assert.equal(sim.model.device('LOCK0C3D4E', 'front_door')?.properties.lock_state.Value, 1);
    });

    it('reports an offline device with the unreachable Status', async function () {
      const out = await tokenApiOk(sim, 'AppCallDeviceActionAsync', {
        ...OFFLINE_LAMP,
        ActionId: 'light_blink',
      });
      assert.deepEqual(out, { ClientToken: '', Status: UNREACHABLE, RequestId: out.RequestId });
      await delay(60);
      assert.equal(sim.actionCalls.length, 0);
    });

    it('validates like the sync call', async function () {
      const err = await tokenApiCode(sim, 'AppCallDeviceActionAsync', {
        ...LAMP,
        ActionId: 'light_blink',
        InputParams: '{"time":-1}',
      });
      assert.equal(err.Code, 'InvalidParameter.ActionInputParamsInvalid');
      assert.equal(
        (
          await tokenApiCode(sim, 'AppCallDeviceActionAsync', {
            ...NEIGHBOR_LAMP,
            ActionId: 'light_blink',
          })
        ).Code,
        'ResourceNotFound.DeviceNotBind',
      );
    });

    it('does not time out for a slow device', async function () {
      const out = await tokenApiOk(sim, 'AppCallDeviceActionAsync', {
        ...SLOW_AIRCON,
        ActionId: 'set_schedule',
      });
      assert.equal(out.Status, 'Sent');
    });
  });

  describe('AppControlDeviceData and AppGetDeviceData', function () {
    const data = async (
      device: Record<string, unknown>,
    ): Promise<Record<string, { Value: unknown; LastUpdate: number }>> => {
      const out = await tokenApiOk(sim, 'AppGetDeviceData', device);
      assert.equal(typeof out.Data, 'string');
      return JSON.parse(out.Data) as Record<string, { Value: unknown; LastUpdate: number }>;
    };

    it('returns every property with Value and LastUpdate in ms', async function () {
      const d = await data(LAMP);
      assert.deepEqual(Object.keys(d), ['power_switch', 'brightness', 'color', 'name']);
      assert.deepEqual(d.brightness, { Value: 80, LastUpdate: clock });
      assert.deepEqual(await data({ DeviceId: 'LIGHT0A1B2/living_lamp' }), d);
    });

    it('changes the device state and LastUpdate', async function () {
      clock += 5000;
      const out = await tokenApiOk(sim, 'AppControlDeviceData', {
        ...LAMP,
        Data: JSON.stringify({ brightness: 15, color: 2, name: '阅读' }),
      });
      assert.equal(out.Data, '');
      const d = await data(LAMP);
      assert.deepEqual(d.brightness, { Value: 15, LastUpdate: clock });
      assert.equal(d.color.Value, 2);
      assert.equal(d.name.Value, '阅读');
      assert.equal(d.power_switch.LastUpdate, clock - 5000, 'untouched properties keep their time');
      assert.equal(sim.actionCalls.length, 0, 'a property write is not an action');
    });

    it('refuses bad writes and changes nothing', async function () {
      const cases: [unknown, string, RegExp][] = [
        [{ glow: 1 }, 'InvalidParameterValue.ModelPropertyNotExist', /glow/],
        [
          { brightness: 101 },
          'InvalidParameterValue',
          /brightness must be an integer from 0 to 100/,
        ],
        [
          { brightness: 10, color: 7 },
          'InvalidParameterValue',
          /color must be one of the enum values/,
        ],
        [{ power_switch: true }, 'InvalidParameterValue', /power_switch must be 0 or 1/],
        [{}, 'InvalidParameterValue', /Data must name at least one property/],
      ];
      for (const [payload, code, message] of cases) {
        const err = await tokenApiCode(sim, 'AppControlDeviceData', {
          ...LAMP,
          Data: JSON.stringify(payload),
        });
        assert.equal(err.Code, code, JSON.stringify(payload));
        assert.match(err.Message, message);
      }
      assert.equal(
        (await tokenApiCode(sim, 'AppControlDeviceData', { ...LAMP, Data: 'x' })).Code,
        'InvalidParameterValue.InvalidJSON',
      );
      assert.equal(
        (await tokenApiCode(sim, 'AppControlDeviceData', { ...LAMP })).Code,
        'ErrorRequiredParamNotFound',
      );
      assert.equal((await data(LAMP)).brightness.Value, 80);
    });

    it('refuses to write a read-only property', async function () {
      const err = await tokenApiCode(sim, 'AppControlDeviceData', {
        ...LOCK,
        Data: '{"lock_state":1}',
      });
      assert.equal(err.Code, 'InvalidParameterValue');
      assert.match(err.Message, /lock_state is read-only/);
    });

    it('refuses an offline device with FailedOperation.DeviceOffline', async function () {
      const err = await tokenApiCode(sim, 'AppControlDeviceData', {
        ...OFFLINE_LAMP,
        Data: '{"power_switch":1}',
      });
      assert.deepEqual(err, { Code: 'FailedOperation.DeviceOffline', Message: '设备处于离线状态' });
      assert.equal((await data(OFFLINE_LAMP)).power_switch.Value, 0, 'still readable, unchanged');
    });

    it('writes floats and stringenums of the air conditioner', async function () {
      await tokenApiOk(sim, 'AppControlDeviceData', {
        ...AIRCON,
        Data: '{"target_temp":21.5,"mode":"heat","power_switch":1}',
      });
      const d = await data(AIRCON);
      assert.deepEqual(
        [d.target_temp.Value, d.mode.Value, d.power_switch.Value],
        [21.5, 'heat', 1],
      );
    });

    it('hides devices the user cannot see', async function () {
      assert.equal(
        (await tokenApiCode(sim, 'AppGetDeviceData', NEIGHBOR_LAMP)).Code,
        'ResourceNotFound.DeviceNotBind',
      );
      assert.equal(
        (
          await tokenApiCode(sim, 'AppControlDeviceData', {
            ...NEIGHBOR_LAMP,
            Data: '{"power_switch":0}',
          })
        ).Code,
        'ResourceNotFound.DeviceNotBind',
      );
    });

    it('reflects setDeviceProperty and refuses values that do not fit', function () {
      sim.setDeviceProperty('THSNS7J8K9', 'living_sensor', 'temperature', 30.2);
      assert.equal(
        sim.model.device('THSNS7J8K9', 'living_sensor')?.properties.temperature.Value,
        30.2,
      );
      assert.throws(
        () => sim.setDeviceProperty('THSNS7J8K9', 'living_sensor', 'temperature', 99),
        /temperature must be a number/,
      );
      assert.throws(
        () => sim.setDeviceProperty('THSNS7J8K9', 'living_sensor', 'pressure', 1),
        /no property pressure/,
      );
      assert.throws(
        () => sim.setDeviceProperty('THSNS7J8K9', 'nowhere', 'temperature', 1),
        /no device/,
      );
    });
  });

  describe('AppGetDeviceStatuses', function () {
    it('gives Online 1 for online and 0 for offline, leaving out devices the user cannot see', async function () {
      const out = await tokenApiOk(sim, 'AppGetDeviceStatuses', {
        DeviceIds: [
          'LIGHT0A1B2/living_lamp',
          'LIGHT0A1B2/bedroom_lamp',
          'LIGHT0A1B2/neighbor_lamp',
          'LIGHT0A1B2/ghost',
          'NOPE000000/x',
        ],
      });
      assert.deepEqual(out.DeviceStatuses, [
        {
          DeviceId: 'LIGHT0A1B2/living_lamp',
          ProductId: 'LIGHT0A1B2',
          DeviceName: 'living_lamp',
          Online: 1,
        },
        {
          DeviceId: 'LIGHT0A1B2/bedroom_lamp',
          ProductId: 'LIGHT0A1B2',
          DeviceName: 'bedroom_lamp',
          Online: 0,
        },
      ]);
    });

    it('accepts the older ProductId + ListDeviceName form', async function () {
      const out = await tokenApiOk(sim, 'AppGetDeviceStatuses', {
        ProductId: 'LIGHT0A1B2',
        ListDeviceName: ['bedroom_lamp'],
      });
      assert.deepEqual(
        out.DeviceStatuses.map((s: { DeviceId: string }) => s.DeviceId),
        ['LIGHT0A1B2/bedroom_lamp'],
      );
    });

    it('prefers DeviceIds when both forms come (as the Android app sends)', async function () {
      const out = await tokenApiOk(sim, 'AppGetDeviceStatuses', {
        ProductId: 'LIGHT0A1B2',
        DeviceIds: ['LOCK0C3D4E/front_door'],
      });
      assert.equal(out.DeviceStatuses[0].DeviceId, 'LOCK0C3D4E/front_door');
    });

    it('refuses more than 1000 DeviceIds, malformed ones, and none at all', async function () {
      const ids = Array.from({ length: 1001 }, (_, i) => `LIGHT0A1B2/d${i}`);
      const tooMany = await tokenApiCode(sim, 'AppGetDeviceStatuses', { DeviceIds: ids });
      assert.equal(tooMany.Code, 'InvalidParameterValue');
      assert.match(tooMany.Message, /DeviceIds must have at most 1000/);
      const ok = await tokenApiOk(sim, 'AppGetDeviceStatuses', { DeviceIds: ids.slice(0, 1000) });
      assert.deepEqual(ok.DeviceStatuses, []);
      assert.equal(
        (await tokenApiCode(sim, 'AppGetDeviceStatuses', { DeviceIds: ['no-slash'] })).Code,
        'InvalidParameterValue',
      );
      assert.equal(
        (await tokenApiCode(sim, 'AppGetDeviceStatuses', { DeviceIds: 'LIGHT0A1B2/living_lamp' }))
          .Code,
        'InvalidParameterValue',
      );
      const none = await tokenApiCode(sim, 'AppGetDeviceStatuses', {});
      assert.equal(none.Code, 'ErrorRequiredParamNotFound');
      assert.match(none.Message, /DeviceIds/);
    });
  });

  describe('families, rooms and devices', function () {
    it('AppGetFamilyList lists the user’s families with their role', async function () {
      const out = await tokenApiOk(sim, 'AppGetFamilyList', { Offset: 0, Limit: 10 });
      assert.equal(out.Total, 1);
      assert.deepEqual(out.FamilyList, [
        {
          FamilyId: 'f_demo_home',
          Name: '我的家',
          Role: 1,
          CreateTime: 1700000000,
          UpdateTime: 1700003600,
        },
      ]);
      const neighbor = await tokenApiOk(sim, 'AppGetFamilyList', {}, NEIGHBOR_TOKEN);
      assert.deepEqual(
        neighbor.FamilyList.map((f: { FamilyId: string }) => f.FamilyId),
        ['f_neighbor_home'],
      );
    });

    it('AppGetFamilyList refuses a Limit over 50 or a negative Offset', async function () {
      const err = await tokenApiCode(sim, 'AppGetFamilyList', { Offset: 0, Limit: 51 });
      assert.equal(err.Code, 'InvalidParameterValue');
      assert.match(err.Message, /Limit/);
      assert.equal(
        (await tokenApiCode(sim, 'AppGetFamilyList', { Offset: -1, Limit: 5 })).Code,
        'InvalidParameterValue',
      );
      assert.equal(
        (await tokenApiCode(sim, 'AppGetFamilyList', { Offset: '0', Limit: 5 })).Code,
        'InvalidParameterValue',
      );
      await tokenApiOk(sim, 'AppGetFamilyList', { Offset: 0, Limit: 50 });
    });

    it('AppGetFamilyDeviceList lists the family’s devices with the documented fields', async function () {
      const out = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_demo_home',
        RoomId: '',
        Offset: 0,
        Limit: 50,
      });
      assert.equal(out.Total, 7);
      assert.deepEqual(
        out.DeviceList.map((d: { DeviceId: string }) => d.DeviceId),
        [
          'LIGHT0A1B2/living_lamp',
          'LIGHT0A1B2/bedroom_lamp',
          'LOCK0C3D4E/front_door',
          'AIRC0F5G6H/study_aircon',
          'AIRC0F5G6H/attic_aircon',
          'THSNS7J8K9/living_sensor',
          'DOORBL1M2N/front_bell',
        ],
      );
      assert.deepEqual(out.DeviceList[0], {
        ProductId: 'LIGHT0A1B2',
        DeviceName: 'living_lamp',
        DeviceId: 'LIGHT0A1B2/living_lamp',
        AliasName: '客厅台灯',
        UserID: 'u-demo',
        RoomId: 'r_living',
        IconUrl: '',
        CreateTime: 1700001000,
        UpdateTime: 1700001000,
      });
    });

    it('AppGetFamilyDeviceList pages, and filters by room ("0" = the default room)', async function () {
      const page1 = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_demo_home',
        Offset: 0,
        Limit: 4,
      });
      const page2 = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_demo_home',
        Offset: 4,
        Limit: 4,
      });
      assert.deepEqual(
        [page1.DeviceList.length, page2.DeviceList.length, page1.Total, page2.Total],
        [4, 3, 7, 7],
      );
      const beyond = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_demo_home',
        Offset: 10,
        Limit: 4,
      });
      assert.deepEqual([beyond.DeviceList.length, beyond.Total], [0, 7]);
      const living = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_demo_home',
        RoomId: 'r_living',
      });
      assert.deepEqual(
        living.DeviceList.map((d: { DeviceName: string }) => d.DeviceName),
        ['living_lamp', 'living_sensor'],
      );
      const defaultRoom = await tokenApiOk(sim, 'AppGetFamilyDeviceList', {
        FamilyId: 'f_demo_home',
        RoomId: '0',
      });
      assert.deepEqual(
        defaultRoom.DeviceList.map((d: { DeviceName: string }) => d.DeviceName),
        ['study_aircon', 'attic_aircon'],
      );
    });

    it('AppGetFamilyDeviceList refuses Limit 999, a family the user is not in, and no FamilyId', async function () {
      assert.equal(
        (await tokenApiCode(sim, 'AppGetFamilyDeviceList', { FamilyId: 'f_demo_home', Limit: 999 }))
          .Code,
        'InvalidParameterValue',
      );
      assert.equal(
        (await tokenApiCode(sim, 'AppGetFamilyDeviceList', { FamilyId: 'f_neighbor_home' })).Code,
        'UnauthorizedOperation.NoPermissionToFamily',
      );
      assert.equal(
        (await tokenApiCode(sim, 'AppGetFamilyDeviceList', { FamilyId: 'f_nowhere' })).Code,
        'UnauthorizedOperation.NoPermissionToFamily',
      );
      const none = await tokenApiCode(sim, 'AppGetFamilyDeviceList', {});
      assert.equal(none.Code, 'ErrorRequiredParamNotFound');
      assert.match(none.Message, /FamilyId/);
    });

    it('AppGetRoomList names the rooms and counts their devices', async function () {
      const out = await tokenApiOk(sim, 'AppGetRoomList', {
        FamilyId: 'f_demo_home',
        Offset: 0,
        Limit: 10,
      });
      assert.equal(out.Total, 3);
      assert.deepEqual(
        out.RoomList.map((r: { RoomId: string; RoomName: string; DeviceNum: number }) => [
          r.RoomId,
          r.RoomName,
          r.DeviceNum,
        ]),
        [
          ['r_living', '客厅', 2],
          ['r_bedroom', '卧室', 1],
          ['r_hall', '门厅', 2],
        ],
      );
      assert.equal(typeof out.RoomList[0].CreateTime, 'number');
      assert.equal(
        (await tokenApiCode(sim, 'AppGetRoomList', { FamilyId: 'f_neighbor_home' })).Code,
        'UnauthorizedOperation.NoPermissionToFamily',
      );
      assert.equal(
        (await tokenApiCode(sim, 'AppGetRoomList', { FamilyId: 'f_demo_home', Limit: 51 })).Code,
        'InvalidParameterValue',
      );
    });
  });

  describe('AppGetProducts and AppGetUser', function () {
    it('returns products with their data template as a JSON string, leaving out unknown ids', async function () {
      const out = await tokenApiOk(sim, 'AppGetProducts', {
        ProductIds: ['LOCK0C3D4E', 'NOPE000000'],
      });
      assert.equal(out.Products.length, 1);
      const [p] = out.Products;
      assert.equal(p.ProductId, 'LOCK0C3D4E');
      assert.equal(p.Name, '智能门锁 Smart Lock');
      assert.deepEqual(Object.keys(p), [
        'ProductId',
        'Name',
        'Description',
        'State',
        'NetType',
        'CategoryId',
        'DataTemplate',
      ]);
      assert.equal(typeof p.DataTemplate, 'string');
      const template = JSON.parse(p.DataTemplate);
      assert.equal(template.profile.ProductId, 'LOCK0C3D4E');
      const unlock = template.actions.find((a: { id: string }) => a.id === 'unlock');
      assert.deepEqual(
        unlock.input.map((i: { id: string }) => i.id),
        ['userid', 'duration'],
      );
      assert.equal(unlock.input[1].define.max, '300');
      assert.equal(template.properties[0].mode, 'r');
    });

    it('finds products through DeviceIds the user can see', async function () {
      const out = await tokenApiOk(sim, 'AppGetProducts', {
        DeviceIds: ['AIRC0F5G6H/study_aircon', 'LIGHT0A1B2/neighbor_lamp'],
      });
      assert.deepEqual(
        out.Products.map((p: { ProductId: string }) => p.ProductId),
        ['AIRC0F5G6H'],
      );
      assert.equal(
        (await tokenApiCode(sim, 'AppGetProducts', {})).Code,
        'ErrorRequiredParamNotFound',
      );
      assert.equal(
        (await tokenApiCode(sim, 'AppGetProducts', { ProductIds: 'LOCK0C3D4E' })).Code,
        'InvalidParameterValue',
      );
    });

    it('AppGetUser returns the user of the token', async function () {
      const out = await tokenApiOk(sim, 'AppGetUser');
      assert.deepEqual(out.Data, {
        UserID: 'u-demo',
        UserName: 'demo',
        NickName: '演示用户 Demo',
        PhoneNumber: '13800000000',
        CountryCode: '86',
        Email: 'demo@example.com',
        Avatar: '',
        CreateTime: 1700000000,
      });
      assert.equal(
        (await tokenApiOk(sim, 'AppGetUser', {}, NEIGHBOR_TOKEN)).Data.UserID,
        'u-neighbor',
      );
    });
  });
});
