// Each node's .html as Node-RED's editor runs it: the built bundle first, then the inline
// script with its literal registerType header. The headers must hold the shared rules
// (lib/shared/, nodes/<type>/settings.ts): the palette's category and colour, and new-node
// defaults equal to what the runtime takes for an absent property, so that a new node and an old one read the same.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { PROJECT_ROOT } from '../../demo/launch';
import {
  ABSENT_MEANS,
  absentProperties,
  NEW_NODE_DEFAULTS,
  newNodeDefault,
  VERSIONS,
  type NodeType,
} from '../../nodes/all-settings';
import { EARLIEST_VERSION } from '../../lib/shared/node-settings';
import { migrateWatch } from '../../nodes/iot-explorer-watch/settings';
import { PACKAGE_NAME, PALETTE_CATEGORY, PALETTE_COLOR } from '../../lib/shared/palette';

interface NodeDefinition {
  category: string;
  color?: string;
  defaults: Record<string, { value: unknown; validate?: (v: unknown) => boolean }>;
  label(this: Record<string, unknown>): string;
  paletteLabel?: (this: unknown) => string;
}

/** Runs the bundle and every node's inline script in one sandbox, as the editor page would. */
function registerAll(): Map<string, NodeDefinition> {
  const registered = new Map<string, NodeDefinition>();
  const appended: unknown[] = [];
  const sandbox: Record<string, unknown> = {
    document: {
      createElement: () => ({ textContent: '' }),
      head: { appendChild: (el: unknown) => appended.push(el) },
    },
    RED: {
      // As Node-RED's editor defines them: a validator is a function of the value.
      validators: {
        regex: (re: RegExp) => (value: unknown) => re.test(String(value)),
        // Blank (and absent) passes only when allowed, as in Node-RED's red.js.
        number: (blankAllowed?: boolean) => (value: unknown) => {
          if (value === '' || value === undefined) return blankAllowed === true;
          return (
            (typeof value === 'number' || typeof value === 'string') &&
            String(value).trim() !== '' &&
            !Number.isNaN(Number(value))
          );
        },
      },
      nodes: {
        registerType: (type: string, def: NodeDefinition) => registered.set(type, def),
      },
    },
  };
  sandbox.window = sandbox;
  const context = vm.createContext(sandbox);
  const bundle = path.join(PROJECT_ROOT, 'resources', 'iot-explorer-editor.js');
  // Loaded once per .html file: the first load defines the API, the others leave it.
  const nodesDir = path.join(PROJECT_ROOT, 'nodes');
  const types = fs.readdirSync(nodesDir, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const { name: type } of types) {
    // Each node's folder, nodes/<type>/, holds its <type>.html.
    const file = `${type}.html`;
    const html = fs.readFileSync(path.join(nodesDir, type, file), 'utf8');
    assert.match(
      html,
      new RegExp(`src="resources/${PACKAGE_NAME}/iot-explorer-editor.js"`),
      `${file} loads the bundle from its served path`,
    );
    vm.runInContext(fs.readFileSync(bundle, 'utf8'), context);
    const inline = /<script type="text\/javascript">\n([\s\S]*?)<\/script>/.exec(html);
    assert.ok(inline, `${file} has an inline script`);
    assert.match(inline[1], /RED\.nodes\.registerType\('iot-explorer-[a-z]+', \{/);
    vm.runInContext(inline[1], context);
  }
  assert.equal(appended.length, 1, 'the styles are added once');
  return registered;
}

describe('the nodes’ .html files', function () {
  const types = Object.keys(ABSENT_MEANS) as NodeType[];
  let registered: Map<string, NodeDefinition>;

  before(function () {
    registered = registerAll();
  });

  it('registers every node type with the shared bundle loaded', function () {
    assert.deepEqual([...registered.keys()].sort(), [...types].sort());
  });

  it('holds the palette category and colour of lib/shared/palette.ts', function () {
    for (const [type, def] of registered) {
      if (type === 'iot-explorer-account') {
        assert.equal(def.category, 'config');
        continue;
      }
      assert.equal(def.category, PALETTE_CATEGORY, type);
      assert.equal(def.color, PALETTE_COLOR, type);
    }
  });

  it('gives a new node the values the runtime takes for an absent property, but where new nodes differ on purpose', function () {
    for (const type of types) {
      const def = registered.get(type);
      assert.ok(def);
      for (const property of Object.keys(ABSENT_MEANS[type])) {
        assert.ok(def.defaults[property], `${type} has no default for ${property}`);
        // JSON: the sandbox's arrays have their own prototype.
        assert.equal(
          JSON.stringify(def.defaults[property].value),
          JSON.stringify(newNodeDefault(type, property)),
          `${type}.${property}`,
        );
      }
    }
    // A new watch node pushes; an old one (no mode) keeps polling.
    assert.equal(registered.get('iot-explorer-watch')?.defaults.mode.value, 'push');
    assert.equal(ABSENT_MEANS['iot-explorer-watch'].mode, 'poll');
    for (const [type, differs] of Object.entries(NEW_NODE_DEFAULTS)) {
      for (const property of Object.keys(differs)) {
        assert.ok(property in ABSENT_MEANS[type as NodeType], `${type}.${property}`);
      }
    }
  });

  it('gives a new node the version its settings module saves (VERSION)', function () {
    for (const type of types) {
      assert.equal(registered.get(type)?.defaults.version?.value, VERSIONS[type], type);
      assert.ok(VERSIONS[type] > EARLIEST_VERSION, type);
    }
  });

  it('shows an old watch node what the runtime reads from it (migrateWatch)', function () {
    const absent = ABSENT_MEANS['iot-explorer-watch'];
    const read = migrateWatch({});
    assert.deepEqual(
      {
        mode: read.mode,
        watchState: read.watchState,
        watchOnline: read.watchOnline,
        watchEvents: read.watchEvents,
        watchActions: read.watchActions,
      },
      {
        mode: absent.mode,
        watchState: absent.watchState,
        watchOnline: absent.watchOnline,
        watchEvents: absent.watchEvents,
        watchActions: absent.watchActions,
      },
    );
  });

  it('validates with the shared rules', function () {
    const account = registered.get('iot-explorer-account');
    assert.ok(account);
    const expireAt = account.defaults.tokenExpireAt.validate;
    assert.ok(expireAt);
    assert.equal(expireAt(''), true);
    assert.equal(expireAt('1700000000'), true);
    assert.equal(expireAt('2025-07-01 08:00'), true);
    assert.equal(expireAt('next week'), false);
    const endpoint = account.defaults.endpoint.validate;
    assert.ok(endpoint);
    assert.equal(endpoint('http://127.0.0.1:1/tokenapi'), true);
    assert.equal(endpoint('not a url'), false);
  });

  it('takes an account saved before a property existed as valid (absent means the default)', function () {
    const account = registered.get('iot-explorer-account');
    assert.ok(account);
    // The account's properties added after 0.1.0: flows saved before lack them.
    const added = [
      'maxInFlight',
      'maxQueue',
      'rateLimit',
      'tokenExpireAt',
      'appapiEndpoint',
      'pushUrl',
      'homeRefreshMinutes',
      'maxSelection',
      'deviceNames',
    ];
    for (const property of added) {
      assert.ok(property in account.defaults, property);
      const validate: ((v: unknown) => boolean) | undefined = account.defaults[property].validate;
      assert.equal(
        validate ? validate.call({}, undefined) : true,
        true,
        `an account without ${property} is marked invalid`,
      );
    }
  });

  it('labels nodes from their saved properties', function () {
    const _ = (key: string, params?: Record<string, unknown>) =>
      params ? `${key} ${JSON.stringify(params)}` : key;
    const label = (type: string, node: Record<string, unknown>) =>
      registered.get(type)?.label.call({ _, ...node });
    assert.equal(
      label('iot-explorer-action', {
        deviceName: 'living_lamp',
        deviceLabel: '客厅台灯',
        actionId: 'light_blink',
      }),
      '客厅台灯 · light_blink',
    );
    assert.equal(label('iot-explorer-action', {}), 'iot-explorer-action.paletteLabel');
    assert.equal(
      label('iot-explorer-control', { deviceName: 'x', deviceNameType: 'msg' }),
      'iot-explorer-control.paletteLabel',
    );
    assert.equal(label('iot-explorer-state', { deviceName: 'living_lamp' }), 'living_lamp');
    assert.equal(
      label('iot-explorer-status', { devices: ['A/b', 'C/d'] }),
      'iot-explorer-status.labelList {"count":2}',
    );
    assert.equal(
      label('iot-explorer-watch', { devices: [{ productId: 'P', deviceName: 'lamp' }] }),
      'iot-explorer-watch.paletteLabel lamp',
    );
    assert.equal(label('iot-explorer-account', { name: 'Home' }), 'Home');
    assert.equal(label('iot-explorer-account', {}), 'iot-explorer-account.label.default');
  });

  it('names the package as package.json does', function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      name: string;
    };
    assert.equal(PACKAGE_NAME, pkg.name);
  });
});

describe('what an absent property means', function () {
  it('lists only the absent properties, with the runtime’s values', function () {
    assert.deepEqual(
      absentProperties('iot-explorer-action', {
        productIdType: 'str',
        deviceNameType: 'str',
        actionIdType: 'str',
        inputParams: '{}',
        inputParamsType: 'json',
      }),
      { mode: 'sync', selection: 'devices' },
    );
    assert.deepEqual(absentProperties('iot-explorer-watch', { devices: [], interval: 10 }), {
      properties: '',
      watchState: true,
      watchOnline: true,
      emitInitial: false,
      mode: 'poll',
      watchEvents: false,
      watchActions: false,
      selection: 'devices',
    });
    assert.deepEqual(
      absentProperties('iot-explorer-watch', {
        devices: [],
        interval: 10,
        properties: '',
        watchState: true,
        watchOnline: false,
        emitInitial: false,
        mode: 'push',
        watchEvents: true,
        watchActions: false,
        selection: 'devices',
      }),
      {},
    );
  });

  it('reads a payload-like field without its type as msg.payload', function () {
    const absent = absentProperties('iot-explorer-control', { data: '{"a":1}', dataType: '' });
    assert.equal(absent.data, 'payload');
    assert.equal(absent.dataType, 'msg');
  });
});
