// The panel's devices from the account's home model, in a real Node-RED with Dashboard 2 and both
// packages, against the simulator: selections resolved from the home's records (the user's own
// devices and those shared with the user, with their names), the home's changes followed, and
// one device feed for every panel of the account (a device is read once, however many panels
// and pages show it).

import assert from 'node:assert/strict';
import {
  connectDashboard,
  deploy,
  LAMP,
  OFFLINE_LAMP,
  panelFlow,
  PANEL_ID,
  SENSOR,
  startPanelRig,
  until,
  WIDGET,
  type DashboardClient,
  type FlowNode,
  type PanelRig,
  PanelWatcher,
} from '../support/dashboard';

const SHARED_LAMP = 'LIGHT0A1B2/shared_lamp';
const SHARED_SENSOR = 'THSNS7J8K9/shared_sensor';

/** A home node on the panel's tab and account, and an inject that makes it read the home again. */
const HOME_REFRESH: FlowNode[] = [
  {
    id: 'home',
    type: 'iot-explorer-home',
    z: 'tab',
    account: 'acc',
    x: 300,
    y: 400,
    wires: [[]],
  },
  {
    id: 'refresh',
    type: 'inject',
    z: 'tab',
    props: [{ p: 'refresh', v: 'true', vt: 'bool' }],
    repeat: '',
    once: false,
    x: 120,
    y: 400,
    wires: [['home']],
  },
];

/** More panels on the same group, showing the same devices as the first. */
function morePanels(count: number, devices: string[]): FlowNode[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `panel${i + 2}`,
    type: WIDGET,
    z: 'tab',
    group: 'group',
    order: i + 2,
    width: 0,
    height: 0,
    account: 'acc',
    selection: 'devices',
    devices,
    x: 300,
    y: 500 + i * 40,
    wires: [[]],
  }));
}

describe('device panel on the home model (Node-RED, Dashboard 2, simulator)', function () {
  this.timeout(90000);
  let rig: PanelRig | undefined;
  let client: DashboardClient | undefined;

  afterEach(async function () {
    client?.close();
    client = undefined;
    await rig?.stop();
    rig = undefined;
  });

  async function open(id = PANEL_ID): Promise<PanelWatcher> {
    client ??= await connectDashboard(rig!.red.url);
    return new PanelWatcher(client, id);
  }

  it('shows devices shared with the user by their names, and a product across families', async function () {
    rig = await startPanelRig((endpoint) =>
      panelFlow(endpoint, { devices: [SHARED_LAMP, SHARED_SENSOR, LAMP] }),
    );
    const page = await open();
    const view = await until('the shared devices', () =>
      page.view?.status === 'ready' && page.view.devices.length === 3 ? page.view : undefined,
    );
    assert.deepEqual(
      view.devices.map((d) => [d.deviceId, d.name, d.shared]),
      [
        [SHARED_LAMP, '房主的落地灯', true],
        [SHARED_SENSOR, '房主书房温湿度', true],
        [LAMP, '客厅台灯', false],
      ],
    );
    // A product selection: the user's lamps and the lamp shared with them, not others' lamps.
    await deploy(
      rig.red,
      panelFlow(rig.sim.tokenapiUrl, { selection: 'product', productId: 'LIGHT0A1B2' }),
    );
    client?.close();
    client = undefined;
    const product = await open();
    const lamps = await until('the product', () =>
      product.view?.status === 'ready' && product.view.devices.length > 0
        ? product.view
        : undefined,
    );
    assert.deepEqual(
      lamps.devices.map((d) => d.deviceId).sort(),
      [LAMP, OFFLINE_LAMP, SHARED_LAMP].sort(),
    );
  });

  it('follows the home: a device moved into the room gets a card, a renamed one its new name', async function () {
    rig = await startPanelRig((endpoint) =>
      panelFlow(
        endpoint,
        { selection: 'room', familyId: 'f_demo_home', roomId: 'r_living' },
        HOME_REFRESH,
      ),
    );
    const page = await open();
    await until('the living room', () =>
      page.view?.status === 'ready' && page.view.devices.length === 2 ? page.view : undefined,
    );
    await page.until('the lamp read', LAMP, (d) => Object.keys(d.values).length > 0);
    const lampBefore = page.device(LAMP)!.values;

    rig.sim.model.home.moveDevice(OFFLINE_LAMP, 'r_living');
    rig.sim.model.home.renameDevice(LAMP, '阅读灯');
    // The home node reads the home again (the account's home, which the panel shares).
    const res = await fetch(`${rig.red.url}/inject/refresh`, { method: 'POST' });
    assert.equal(res.status, 200);
    const view = await until('the moved lamp', () =>
      page.view?.devices.length === 3 ? page.view : undefined,
    );
    assert.deepEqual(
      view.devices.map((d) => d.deviceId).sort(),
      [LAMP, OFFLINE_LAMP, SENSOR].sort(),
    );
    const lamp = await page.until('the new name', LAMP, (d) => d.name === '阅读灯');
    // The lamp kept its card's values through the change.
    assert.deepEqual(lamp.values.power_switch, lampBefore.power_switch);
    assert.equal(page.device(OFFLINE_LAMP)?.roomName, '客厅');
  });

  it('reads each device once for every panel of the account, and pages read nothing', async function () {
    const devices = [LAMP, SENSOR];
    rig = await startPanelRig((endpoint) =>
      panelFlow(endpoint, { devices }, morePanels(3, devices)),
    );
    client = await connectDashboard(rig.red.url);
    const pages = await Promise.all(
      [PANEL_ID, 'panel2', 'panel3', 'panel4'].map(async (id) => {
        const page = await open(id);
        await until(`${id} live with values`, () => {
          const v = page.view;
          return (
            v?.status === 'ready' &&
            v.health.mode === 'live' &&
            v.devices.every((d) => Object.keys(d.values).length > 0)
          );
        });
        return page;
      }),
    );
    const reads = (deviceId: string): number =>
      rig!.sim.requests.filter(
        (r) =>
          r.action === 'AppGetDeviceData' &&
          `${(r.body as Record<string, string>).ProductId}/${(r.body as Record<string, string>).DeviceName}` ===
            deviceId,
      ).length;
    // Four panels of the same two devices: one read of each (a second only if push went live
    // after the first read, which then was not kept), never one per panel.
    for (const id of devices) {
      assert.ok(reads(id) >= 1 && reads(id) <= 2, `${id} read ${reads(id)} times`);
    }
    // And a push reaches all four.
    rig.sim.reportProperties('LIGHT0A1B2', 'living_lamp', { brightness: 33 });
    for (const page of pages) {
      await page.until('the push', LAMP, (d) => d.values.brightness.value === 33);
    }
    for (const id of devices) assert.ok(reads(id) <= 2, `${id} read again after a push`);
  });
});
