// The package's shipped examples, deployed as they are (the account pointed at the simulator):
// each draws, is read-only as shipped, has a catch node, and names the modules it needs for
// Node-RED's import. The examples that need Dashboard 2 live here, not in the main package.

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
const CHART_EXAMPLE = '02 - Temperature of the last day on a chart.json';
const DASHBOARD = '@flowfuse/node-red-dashboard';

function example(file: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) as FlowNode[];
}

describe('device panel examples', function () {
  this.timeout(90000);

  it('have a catch node and name the modules they need; every node of ours is in one', function () {
    const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
    assert.deepEqual(files, [HOME_EXAMPLE, CHART_EXAMPLE]);
    const types = new Set<string>();
    for (const file of files) {
      const flow = example(file);
      for (const n of flow) types.add(n.type);
      assert.ok(
        flow.some((n) => n.type === 'catch'),
        `${file} has no catch node`,
      );
      const hint = flow.find((n) => n.type === 'global-config') as {
        modules?: Record<string, string>;
      };
      assert.ok(hint?.modules, `${file} has no module hint`);
      // What its nodes need: Dashboard 2 and the main package always, this one for the panel.
      const needed = [DASHBOARD, MAIN_PACKAGE];
      if (flow.some((n) => n.type === WIDGET)) needed.push(COMPANION_PACKAGE);
      assert.deepEqual(Object.keys(hint.modules).sort(), needed.sort(), `${file}'s module hint`);
      // One account node for every example of both packages, as their descriptions say.
      const accounts = flow.filter((n) => n.type === 'iot-explorer-account');
      assert.deepEqual(
        accounts.map((n) => [n.id, n.name]),
        [['a1c0ffee00000001', 'Examples account']],
      );
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

  describe('"Temperature of the last day on a chart", deployed', function () {
    let rig: PanelRig | undefined;
    before(async function () {
      rig = await startPanelRig((endpoint) =>
        example(CHART_EXAMPLE).map((n) =>
          n.type === 'iot-explorer-account' ? { ...n, endpoint } : n,
        ),
      );
    });
    after(async function () {
      await rig?.stop();
    });

    it("hands the chart the sensor's last day as {x, y} numbers, which a page loads", async function () {
      const stored = example(CHART_EXAMPLE);
      const chart = stored.find((n) => n.type === 'ui-chart')!;
      // The chart reads x and y from each point and replaces its data with each message.
      assert.equal(chart.xAxisProperty, 'x');
      assert.equal(chart.yAxisProperty, 'y');
      assert.equal(chart.action, 'replace');
      // Its inject reads the history once at deploy (after 2 s).
      await until('the history read', () =>
        rig!.sim.requests.some((r) => r.action === 'AppGetDeviceDataHistory'),
      );
      const client = await connectDashboard(rig!.red.url);
      try {
        // What a page opening the dashboard gets: the chart's stored points, one message each.
        const points = await until('the chart points', async () => {
          const loaded = client.next<{ payload: { x: unknown; y: unknown }; topic: string }[]>(
            `widget-load:${chart.id}`,
            () => true,
            5000,
          );
          client.socket.emit('widget-load', chart.id);
          const msgs = await loaded.catch(() => undefined);
          return Array.isArray(msgs) && msgs.length >= 140 ? msgs : undefined;
        });
        assert.ok(points.every((m) => m.topic === '客厅 living room'));
        assert.ok(
          points.every((m) => typeof m.payload.x === 'number' && typeof m.payload.y === 'number'),
        );
        const first = points[0].payload.x as number;
        assert.ok(Date.now() - first <= 24 * 3600 * 1000, 'a point older than a day');
      } finally {
        client.close();
      }
    });
  });
});
