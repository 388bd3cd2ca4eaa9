// What a panel may change (lib/panel/policy.ts), its configuration (lib/panel/config.ts) and the
// commands a browser may send (lib/panel/protocol.ts): the server's checks, without a runtime.

import assert from 'node:assert/strict';
import { buildLayout } from '../../lib/panel/layout';
import {
  applyPolicy,
  checkActionCall,
  checkPropertyWrite,
  isGuarded,
  parseGuardList,
  type PanelPolicy,
} from '../../lib/panel/policy';
import { readHidden, readPanelConfig, readSelection } from '../../lib/panel/config';
import { applyMessage, readCommand, panelMessageOf } from '../../lib/panel/protocol';
import type { PanelView } from '../../lib/panel/panel-hub';

const TEMPLATE = {
  properties: [
    { id: 'power_switch', mode: 'rw', define: { type: 'bool' } },
    {
      id: 'lock_state',
      mode: 'r',
      define: { type: 'enum', mapping: { '0': 'locked', '1': 'open' } },
    },
    { id: 'door_open', mode: 'rw', define: { type: 'bool' } },
    { id: 'gate', mode: 'rw', define: { type: 'bool' } },
  ],
  actions: [
    {
      id: 'unlock',
      input: [{ id: 'userid', required: true, define: { type: 'string', max: '8' } }],
      output: [],
    },
    {
      id: 'light_blink',
      input: [{ id: 'time', define: { type: 'int', min: '0', max: '10' } }],
      output: [],
    },
  ],
};

const DEFAULTS: PanelPolicy = {
  allowProperties: true,
  allowActions: true,
  allowGuarded: false,
  extraGuards: [],
};

function layoutWith(policy: Partial<PanelPolicy> = {}) {
  return applyPolicy(
    buildLayout({ productId: 'P', name: 'x', dataTemplate: TEMPLATE, panelConfig: null }),
    { ...DEFAULTS, ...policy },
  );
}

describe('device panel policy', function () {
  it('guards ids that open or unlock, and the words the user adds', function () {
    for (const id of [
      'unlock',
      'lock_state',
      'door_open',
      'garage_door',
      'safe_box',
      'OpenWindow',
    ]) {
      assert.equal(isGuarded(id), true, id);
    }
    for (const id of ['power_switch', 'brightness', 'gate']) assert.equal(isGuarded(id), false, id);
    assert.equal(isGuarded('gate', parseGuardList('Gate, window；fence')), true);
    assert.deepEqual(parseGuardList(' Gate,,window  gate\nfence '), ['gate', 'window', 'fence']);
    assert.deepEqual(parseGuardList(undefined), []);
  });

  it('by default: ordinary properties and actions writable, guarded ones read-only', function () {
    const layout = layoutWith();
    const control = (id: string) => layout.controls.find((c) => c.id === id)!;
    const action = (id: string) => layout.actions.find((a) => a.id === id)!;
    assert.deepEqual(
      [
        control('power_switch').writable,
        control('lock_state').writable,
        control('door_open').writable,
      ],
      [true, false, false],
    );
    assert.equal(control('door_open').guarded, true);
    assert.equal(action('unlock').writable, false);
    assert.equal(action('light_blink').writable, true);
    assert.equal(action('light_blink').confirm, false);
  });

  it('refuses every write the configuration does not enable, with a code', function () {
    const layout = layoutWith();
    assert.equal(checkPropertyWrite(layout, 'power_switch', 1, false), undefined);
    assert.equal(checkPropertyWrite(layout, 'door_open', 1, true)?.code, 'IOTX_PANEL_GUARDED');
    assert.equal(checkPropertyWrite(layout, 'lock_state', 1, true)?.code, 'IOTX_PANEL_READ_ONLY');
    assert.equal(checkPropertyWrite(layout, 'nope', 1, true)?.code, 'IOTX_PANEL_UNKNOWN');
    assert.equal(
      checkPropertyWrite(undefined, 'power_switch', 1, true)?.code,
      'IOTX_PANEL_UNKNOWN',
    );
    // The value is checked by the main package's data-template rules: bool is 0 or 1.
    const bad = checkPropertyWrite(layout, 'power_switch', true, false);
    assert.equal(bad?.code, 'IOTX_PANEL_BAD_VALUE');
    assert.equal(bad?.params.problem, 'template.bool');
    assert.equal(
      checkActionCall(layout, 'unlock', { userid: 'a' }, true)?.code,
      'IOTX_PANEL_GUARDED',
    );
    assert.equal(checkActionCall(layout, 'light_blink', { time: 3 }, false), undefined);
    assert.equal(
      checkActionCall(layout, 'light_blink', { time: 30 }, false)?.code,
      'IOTX_PANEL_BAD_VALUE',
    );

    const off = layoutWith({ allowProperties: false, allowActions: false });
    assert.equal(checkPropertyWrite(off, 'power_switch', 1, false)?.code, 'IOTX_PANEL_NOT_ALLOWED');
    assert.equal(checkActionCall(off, 'light_blink', {}, false)?.code, 'IOTX_PANEL_NOT_ALLOWED');
  });

  it('allowed guarded controls need the confirmation, and still the right values', function () {
    const layout = layoutWith({ allowGuarded: true, extraGuards: ['gate'] });
    assert.equal(layout.controls.find((c) => c.id === 'gate')?.confirm, true);
    assert.equal(checkPropertyWrite(layout, 'gate', 1, false)?.code, 'IOTX_PANEL_NOT_CONFIRMED');
    assert.equal(checkPropertyWrite(layout, 'gate', 1, true), undefined);
    assert.equal(checkActionCall(layout, 'unlock', {}, true)?.params.problem, 'template.required');
    assert.equal(checkActionCall(layout, 'unlock', { userid: 'alice' }, true), undefined);
    // Read-only stays read-only whatever is allowed.
    assert.equal(checkPropertyWrite(layout, 'lock_state', 1, true)?.code, 'IOTX_PANEL_READ_ONLY');
  });

  it('reads only well-formed commands from a browser', function () {
    assert.deepEqual(
      readCommand({ iotxCommand: { op: 'control', deviceId: 'P/D', property: 'p', value: 0 } }),
      { op: 'control', deviceId: 'P/D', property: 'p', value: 0, confirmed: false },
    );
    assert.deepEqual(
      readCommand({ iotxCommand: { op: 'action', deviceId: 'P/D', action: 'a', confirmed: true } }),
      { op: 'action', deviceId: 'P/D', action: 'a', input: {}, confirmed: true },
    );
    for (const bad of [
      null,
      { payload: 1 },
      { iotxCommand: { op: 'control', deviceId: 'P/D', property: 'p' } },
      { iotxCommand: { op: 'action', deviceId: 'P/D', action: 'a', input: [1] } },
      { iotxCommand: { op: 'delete', deviceId: 'P/D' } },
      { iotxCommand: { op: 'control', deviceId: 'x'.repeat(300), property: 'p', value: 1 } },
      {
        iotxCommand: { op: 'control', deviceId: 'P/D', property: 'p', value: 1, confirmed: 'yes' },
      },
    ]) {
      const command = readCommand(bad);
      // "yes" is not a confirmation.
      if (command) assert.equal(command.confirmed, false, JSON.stringify(bad));
      else assert.equal(command, undefined);
    }
  });

  it('applies the node’s messages in order in the browser', function () {
    const device = (value: number) => ({
      deviceId: 'P/D',
      productId: 'P',
      deviceName: 'D',
      name: 'D',
      roomName: null,
      familyName: null,
      shared: false,
      online: true,
      values: { p: { value, time: 1 } },
      lastChange: 1,
      pending: {},
      errors: {},
      actions: {},
      events: [],
    });
    const view: PanelView = {
      rev: 5,
      status: 'ready',
      health: { mode: 'live' },
      products: {},
      devices: [device(1)],
      hidden: [],
    };
    const stale = applyMessage(view, { kind: 'device', rev: 5, device: device(2) });
    assert.equal(stale, view);
    const next = applyMessage(view, { kind: 'device', rev: 6, device: device(3) });
    assert.equal(next?.devices[0].values.p.value, 3);
    assert.equal(next?.rev, 6);
    assert.equal(applyMessage(null, { kind: 'device', rev: 9, device: device(4) }), null);
    assert.equal(panelMessageOf({ iotxPanel: { kind: 'view', view } })?.kind, 'view');
    assert.equal(panelMessageOf({ payload: 1 }), undefined);
  });

  it("reads the node's stored configuration, with what absent properties mean", function () {
    const settings = readPanelConfig({ account: 'acc', devices: ['P/D', 'P/D', 'Q/E'] });
    assert.deepEqual(settings.selection, { type: 'devices', deviceIds: ['P/D', 'Q/E'] });
    assert.deepEqual(settings.policy, DEFAULTS);
    assert.equal(settings.eventsShown, 5);
    assert.equal(readPanelConfig({ events: '50' }).eventsShown, 20);
    assert.equal(
      readPanelConfig({ allowGuarded: true, guardWords: 'gate' }).policy.extraGuards[0],
      'gate',
    );
    assert.deepEqual(readSelection({ selection: 'room', familyId: 'f', roomId: '0' }), {
      type: 'room',
      familyId: 'f',
      roomId: '0',
    });
    assert.deepEqual(readSelection({ selection: 'devices', devices: 'P/D, Q/E' }).type, 'devices');
    assert.throws(() => readSelection({ selection: 'room', familyId: 'f' }), /roomId/);
    assert.throws(() => readSelection({ selection: 'devices', devices: ['nope'] }), /ProductId/);
    assert.throws(() => readSelection({ selection: 'house' }), /selection must be/);
    assert.deepEqual(readHidden('brightness'), ['brightness']);
    assert.deepEqual(readHidden([]), []);
    assert.equal(readHidden(5), undefined);
  });
});
