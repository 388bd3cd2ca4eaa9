// Template (and panel configuration) → the panel's controls: the pure rules of lib/panel/layout.ts.

import assert from 'node:assert/strict';
import {
  buildLayout,
  controlKind,
  parseEvents,
  parsePanelConfig,
  truthy,
} from '../../lib/panel/layout';

const LAMP_TEMPLATE = {
  version: '1.0',
  properties: [
    {
      id: 'brightness',
      name: '亮度',
      mode: 'rw',
      define: { type: 'int', min: '0', max: '100', step: '1', unit: '%' },
    },
    {
      id: 'power_switch',
      name: '电灯开关',
      mode: 'rw',
      define: { type: 'bool', mapping: { '0': '关', '1': '开' } },
    },
    {
      id: 'color',
      name: '颜色',
      mode: 'rw',
      define: { type: 'enum', mapping: { '0': 'Red', '1': 'Green', '2': 'Blue' } },
    },
    { id: 'name', name: '', mode: 'rw', define: { type: 'string', min: '0', max: '64' } },
    {
      id: 'lock_state',
      name: '门锁',
      mode: 'r',
      define: { type: 'enum', mapping: { '0': 'locked', '1': 'unlocked' } },
    },
  ],
  events: [
    {
      id: 'ring',
      name: '门铃',
      type: 'info',
      params: [{ id: 'button', name: 'b', define: { type: 'int' } }],
    },
    { id: 'low_battery', type: 'alert', params: [] },
    { name: 'no id' },
  ],
  actions: [{ id: 'light_blink', name: '闪烁', input: [], output: [] }],
};

function lamp(panelConfig: unknown = null) {
  return buildLayout({
    productId: 'P',
    name: 'Lamp',
    dataTemplate: JSON.stringify(LAMP_TEMPLATE),
    panelConfig,
  });
}

describe('device panel layout', function () {
  it('draws each template type with its control', function () {
    assert.equal(controlKind({ type: 'bool' }), 'switch');
    assert.equal(
      controlKind({ type: 'enum', mapping: { 0: 'a', 1: 'b', 2: 'c', 3: 'd' } }),
      'segments',
    );
    assert.equal(
      controlKind({ type: 'enum', mapping: { 0: 'a', 1: 'b', 2: 'c', 3: 'd', 4: 'e' } }),
      'select',
    );
    assert.equal(controlKind({ type: 'stringenum', mapping: { cool: 'c' } }), 'segments');
    assert.equal(controlKind({ type: 'int', min: '0', max: '100', step: '1' }), 'slider');
    assert.equal(controlKind({ type: 'float', min: 16, max: 30, step: 0.5 }), 'slider');
    // No range, or too many steps for a slider: a number field.
    assert.equal(controlKind({ type: 'int' }), 'number');
    assert.equal(controlKind({ type: 'int', min: '0', max: '1000000', step: '1' }), 'number');
    assert.equal(controlKind({ type: 'float', min: '5', max: '5' }), 'number');
    assert.equal(controlKind({ type: 'string' }), 'text');
    assert.equal(controlKind({ type: 'timestamp' }), 'time');
    assert.equal(controlKind({ type: 'struct', specs: [] }), 'struct');
    assert.equal(controlKind({ type: 'array', arrayInfo: { type: 'int' } }), 'array');
  });

  it('without a panel config: power_switch big on top, the rest in template order, names kept', function () {
    const layout = lamp();
    assert.equal(layout.source, 'template');
    assert.deepEqual(
      layout.controls.map((c) => [c.id, c.size, c.kind]),
      [
        ['power_switch', 'big', 'switch'],
        ['brightness', 'full', 'slider'],
        ['color', 'full', 'segments'],
        ['name', 'full', 'text'],
        ['lock_state', 'full', 'segments'],
      ],
    );
    assert.equal(layout.controls[0].name, '电灯开关');
    // A blank name falls back to the id.
    assert.equal(layout.controls.find((c) => c.id === 'name')?.name, 'name');
    assert.equal(layout.controls.find((c) => c.id === 'lock_state')?.readOnly, true);
    assert.equal(layout.controls.find((c) => c.id === 'color')?.readOnly, false);
    assert.deepEqual(
      layout.actions.map((a) => [a.id, a.name]),
      [['light_blink', '闪烁']],
    );
    assert.deepEqual(
      layout.events.map((e) => [e.id, e.name, e.type]),
      [
        ['ring', '门铃', 'info'],
        ['low_battery', 'low_battery', 'alert'],
      ],
    );
  });

  it('without power_switch the first writable bool is the big control, else none', function () {
    const template = {
      properties: [
        { id: 'state', mode: 'r', define: { type: 'bool' } },
        { id: 'heater', mode: 'rw', define: { type: 'bool' } },
      ],
    };
    const layout = buildLayout({
      productId: 'P',
      name: '',
      dataTemplate: template,
      panelConfig: null,
    });
    assert.deepEqual(
      layout.controls.map((c) => [c.id, c.size]),
      [
        ['heater', 'big'],
        ['state', 'full'],
      ],
    );
    const none = buildLayout({
      productId: 'P',
      name: '',
      dataTemplate: { properties: [{ id: 't', define: { type: 'float' } }] },
      panelConfig: null,
    });
    assert.deepEqual(
      none.controls.map((c) => c.size),
      ['full'],
    );
  });

  it("a standard panel config sets order, sizes and icons; the template's other properties follow", function () {
    const config = JSON.stringify({
      Panel: {
        type: 'standard',
        standard: {
          properties: [
            { id: 'color', ui: { type: 'btn-col-2', icon: 'mdi-palette' } },
            { id: 'brightness', ui: { type: 'btn-big', icon: 'create' } },
            { id: 'missing', ui: { type: 'btn-col-1' } },
            { id: 'name', ui: { type: 'btn-col-3', visible: '0' } },
            { id: 'power_switch', ui: { type: 'btn-col-1' }, big: '1' },
          ],
        },
      },
    });
    const layout = lamp(config);
    assert.equal(layout.source, 'config');
    assert.deepEqual(
      layout.controls.map((c) => [c.id, c.size, c.icon]),
      [
        // Big ones first, in the config's order.
        ['brightness', 'big', null],
        ['power_switch', 'big', null],
        ['color', 'half', 'mdi-palette'],
        // Left out of the config: full-width rows after it. `name` is hidden (visible "0").
        ['lock_state', 'full', null],
      ],
    );
  });

  it('ignores configs that are not a usable standard panel', function () {
    assert.equal(parsePanelConfig(''), undefined);
    assert.equal(parsePanelConfig('{not json'), undefined);
    assert.equal(
      parsePanelConfig({ Panel: { type: 'h5', standard: { properties: [{ id: 'a' }] } } }),
      undefined,
    );
    assert.equal(parsePanelConfig({ Panel: { standard: { properties: [] } } }), undefined);
    assert.deepEqual(
      parsePanelConfig({ Panel: { standard: { properties: [{ id: 'a', ui: {} }] } } }),
      [{ id: 'a', size: 'full', icon: null, visible: true }],
    );
    assert.equal(lamp('{}').source, 'template');
  });

  it('reads the config booleans as the apps do: true, 1 and "1"', function () {
    for (const yes of [true, 1, '1', 'true']) assert.equal(truthy(yes, false), true, String(yes));
    for (const no of [false, 0, '0', 'false']) assert.equal(truthy(no, true), false, String(no));
    assert.equal(truthy(undefined, true), true);
  });

  it('survives a template that is not one', function () {
    const layout = buildLayout({
      productId: 'P',
      name: 'x',
      dataTemplate: 'nonsense',
      panelConfig: null,
    });
    assert.deepEqual(layout.controls, []);
    assert.deepEqual(layout.actions, []);
    assert.deepEqual(parseEvents(42), []);
  });
});
