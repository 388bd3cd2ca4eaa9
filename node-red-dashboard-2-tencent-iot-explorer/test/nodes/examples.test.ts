// The package's shipped examples, deployed as they are (the account pointed at the simulator):
// each draws, is read-only as shipped, and names the modules it needs for Node-RED's import.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  COMPANION_PACKAGE,
  COMPANION_ROOT,
  connectDashboard,
  flowRecord,
  LAMP,
  LOCK,
  DOORBELL,
  MAIN_PACKAGE,
  PanelWatcher,
  panelFlow,
  startPanelRig,
  until,
  WIDGET,
  type FlowNode,
  type PanelRig,
} from '../support/dashboard';

const EXAMPLES = path.join(COMPANION_ROOT, 'examples');
const HOME_EXAMPLE = '01 - Live panel of the home.json';

function example(file: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) as FlowNode[];
}

describe('device panel examples', function () {
  this.timeout(90000);

  it('name the modules they need, and every node of ours is in one', function () {
    const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
    assert.ok(files.length > 0);
    const types = new Set<string>();
    for (const file of files) {
      const flow = example(file);
      for (const n of flow) types.add(n.type);
      const hint = flow.find((n) => n.type === 'global-config') as {
        modules?: Record<string, string>;
      };
      assert.ok(hint?.modules, `${file} has no module hint`);
      for (const name of ['@flowfuse/node-red-dashboard', MAIN_PACKAGE, COMPANION_PACKAGE]) {
        assert.ok(name in hint.modules, `${file} does not name ${name}`);
      }
      // Read-only as shipped: Dashboard 2 has no login until the user adds one.
      for (const panel of flow.filter((n) => n.type === WIDGET)) {
        assert.equal(panel.allowProperties, false, `${file}: ${panel.id} may change properties`);
        assert.equal(panel.allowActions, false, `${file}: ${panel.id} may call actions`);
        assert.equal(panel.allowGuarded, false, `${file}: ${panel.id} allows unlocking`);
      }
    }
    assert.ok(types.has(WIDGET));
  });

  describe('"Live panel of the home", deployed', function () {
    let rig: PanelRig | undefined;
    before(async function () {
      rig = await startPanelRig((endpoint) => [
        ...example(HOME_EXAMPLE).map((n) =>
          n.type === 'iot-explorer-account' ? { ...n, endpoint } : n,
        ),
        // The record of what the flow caught, on the example's tab (a catch node sees its own tab).
        ...panelFlow(endpoint)
          .filter((n) => n.id.startsWith('record') || n.id === 'catch' || n.id === 'caught')
          .map((n) => ({ ...n, z: example(HOME_EXAMPLE).find((t) => t.type === 'tab')!.id })),
      ]);
    });
    after(async function () {
      await rig?.stop();
    });

    it("shows the demo family's devices, read-only, and takes msg.devices", async function () {
      const panelId = example(HOME_EXAMPLE).find((n) => n.type === WIDGET)!.id;
      const client = await connectDashboard(rig!.red.url);
      try {
        const page = new PanelWatcher(client, panelId);
        const view = await until('the family', () =>
          page.view && page.view.devices.length >= 7 ? page.view : undefined,
        );
        assert.ok(view.devices.some((d) => d.deviceId === LAMP));
        for (const layout of Object.values(view.products)) {
          assert.ok(
            layout.controls.every((c) => !c.writable),
            `${layout.productId} has a writable control`,
          );
          assert.ok(
            layout.actions.every((a) => !a.writable),
            `${layout.productId} has a callable action`,
          );
        }
        page.command({ op: 'control', deviceId: LAMP, property: 'power_switch', value: 0 });
        const refused = await until(
          'the refusal',
          async () => (await flowRecord(rig!.red)).errors[0],
        );
        assert.equal(refused.code, 'IOTX_PANEL_NOT_ALLOWED');
        assert.equal(
          rig!.sim.requests.filter((r) => r.action === 'AppControlDeviceData').length,
          0,
        );
        // Its inject node "show the hall only".
        const inject = example(HOME_EXAMPLE).find(
          (n) => n.type === 'inject' && n.name === 'show the hall only',
        )!;
        await fetch(`${rig!.red.url}/inject/${inject.id}`, { method: 'POST' });
        const hall = await until('the hall', () =>
          page.view?.devices.length === 2 ? page.view : undefined,
        );
        assert.deepEqual(hall.devices.map((d) => d.deviceId).sort(), [DOORBELL, LOCK].sort());
      } finally {
        client.close();
      }
    });
  });
});
