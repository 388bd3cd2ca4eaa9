// The device panel in a real Node-RED with Dashboard 2 and both packages, against the simulator,
// talked to over Dashboard 2's socket.io exactly as the page does: and as anything else on the
// network could, which is how the refusals are tested.

import assert from 'node:assert/strict';
import {
  clearFlowRecord,
  connectDashboard,
  deploy,
  DOORBELL,
  flowRecord,
  LAMP,
  LOCK,
  OFFLINE_LAMP,
  PANEL_ID,
  panelFlow,
  SENSOR,
  startPanelRig,
  until,
  type DashboardClient,
  type FlowNode,
  type PanelRig,
  PanelWatcher,
} from '../support/dashboard';

const ALL = [LAMP, LOCK, OFFLINE_LAMP, DOORBELL];

function split(deviceId: string): [string, string] {
  const [productId, deviceName] = deviceId.split('/');
  return [productId, deviceName];
}

describe('device panel in Node-RED with Dashboard 2 (socket.io)', function () {
  this.timeout(90000);
  let rig: PanelRig;
  let client: DashboardClient;
  let page: PanelWatcher;

  const flows = (endpoint: string, panel: Record<string, unknown> = {}, extra: FlowNode[] = []) =>
    panelFlow(endpoint, { devices: ALL, ...panel }, extra);

  async function reconnect(): Promise<void> {
    client?.close();
    client = await connectDashboard(rig.red.url);
    page = new PanelWatcher(client);
    // Ready, live by push, and read once since: the node's start is over.
    await until('the panel live with values', () => {
      const lamp = page.device(LAMP) ?? page.view?.devices[0];
      return (
        page.view?.status === 'ready' &&
        page.view.health.mode === 'live' &&
        lamp &&
        Object.keys(lamp.values).length > 0
      );
    }).catch((err: Error) => {
      const v = page.view;
      throw new Error(
        `${err.message}: connected ${client.socket.connected}, status ${v?.status}, health ${JSON.stringify(v?.health)}, ` +
          `values ${JSON.stringify(v?.devices.map((d) => Object.keys(d.values).length))}\n${rig.red.output().slice(-1500)}`,
      );
    });
  }

  async function redeploy(panel: Record<string, unknown>, extra: FlowNode[] = []): Promise<void> {
    await deploy(rig.red, flows(rig.sim.tokenapiUrl, panel, extra));
    await reconnect();
    await clearFlowRecord(rig.red);
  }

  before(async function () {
    rig = await startPanelRig((endpoint) => flows(endpoint));
  });

  beforeEach(async function () {
    // Each test starts from the default panel and a lamp that is off.
    rig.sim.clearFaults();
    rig.sim.setDeviceOnline(...split(LAMP), true);
    rig.sim.reportProperties(...split(LAMP), { power_switch: 0, brightness: 50 });
    await redeploy({});
    await page.until('lamp off', LAMP, (d) => d.values.power_switch.value === 0);
    rig.sim.resetRecords();
  });

  after(async function () {
    client?.close();
    await rig?.stop();
  });

  it('draws each device from its template, with values, online state and names', function () {
    const view = page.view!;
    assert.deepEqual(
      view.devices.map((d) => [d.deviceId, d.name, d.roomName, d.online]),
      [
        [LAMP, '客厅台灯', '客厅', true],
        [LOCK, '入户门锁', '门厅', true],
        [OFFLINE_LAMP, '卧室台灯', '卧室', false],
        [DOORBELL, '门铃', '门厅', true],
      ],
    );
    // The lamp's order and sizes come from its panel configuration (AppGetProductsConfig):
    // color and name are half-width there (btn-col-2).
    const lamp = view.products.LIGHT0A1B2;
    assert.equal(lamp.source, 'config');
    assert.deepEqual(
      lamp.controls.map((c) => [c.id, c.kind, c.size, c.writable]),
      [
        ['power_switch', 'switch', 'big', true],
        ['brightness', 'slider', 'full', true],
        ['color', 'segments', 'half', true],
        ['name', 'text', 'half', true],
      ],
    );
    // The lock has none: drawn from its template.
    assert.equal(view.products.LOCK0C3D4E.source, 'template');
    const lock = view.products.LOCK0C3D4E;
    assert.deepEqual(
      lock.actions.map((a) => [a.id, a.guarded, a.writable]),
      [
        ['unlock', true, false],
        ['lock', true, false],
      ],
    );
    assert.equal(lock.controls.find((c) => c.id === 'lock_state')?.readOnly, true);
    assert.equal(page.device(LAMP)?.values.brightness.value, 50);
  });

  it('serves every page from what the node holds: opening pages calls nothing', async function () {
    const before = rig.sim.requests.length;
    const others = await Promise.all([1, 2, 3, 4, 5].map(() => connectDashboard(rig.red.url)));
    try {
      const views = await Promise.all(
        others.map(async (c) => {
          const watcher = new PanelWatcher(c);
          return until('a loaded view', () => watcher.view?.status === 'ready' && watcher.view);
        }),
      );
      assert.ok(views.every((v) => v.devices.length === ALL.length));
      assert.equal(rig.sim.requests.length, before, 'pages opening made API calls');
      // The config Dashboard 2 sends every browser holds the panel's settings, and no credential.
      const config = JSON.stringify(await until('ui-config', () => others[0].configs[0]));
      assert.match(config, /ui-iot-explorer-device/);
      assert.doesNotMatch(config, /demo-access-token/);
    } finally {
      for (const c of others) c.close();
    }
  });

  it('switches the lamp: AppControlDeviceData, pending until the report, then on; the flow gets the watch topic', async function () {
    page.command({ op: 'control', deviceId: LAMP, property: 'power_switch', value: 1 });
    const call = await until('AppControlDeviceData', () =>
      rig.sim.requests.find((r) => r.action === 'AppControlDeviceData'),
    );
    const body = call.body as Record<string, string>;
    assert.equal(body.ProductId, 'LIGHT0A1B2');
    assert.deepEqual(JSON.parse(body.Data), { power_switch: 1 });
    const lamp = await page.until(
      'the report',
      LAMP,
      (d) => d.values.power_switch.value === 1 && !d.pending.power_switch,
    );
    assert.equal(lamp.errors.power_switch, undefined);
    const record = await until('the output message', async () => {
      const r = await flowRecord(rig.red);
      return r.out.length ? r : undefined;
    });
    assert.equal(record.out[0].topic, `${LAMP}/power_switch`);
    assert.equal(record.out[0].payload, 1);
    assert.equal(record.out[0].iotexplorer.source, 'dashboard');
    assert.equal(record.out[0].iotexplorer.property, 'power_switch');
    assert.equal(record.out[0].iotexplorer.device.alias, '客厅台灯');
    assert.equal(record.out[0].iotexplorer.device.roomName, '客厅');
    assert.match(record.out[0].iotexplorer.requestId, /\S/);
  });

  it('shows a change made on the device (pushed), and its events', async function () {
    rig.sim.reportProperties(...split(LAMP), { brightness: 20 });
    await page.until('brightness 20', LAMP, (d) => d.values.brightness.value === 20);
    rig.sim.fireEvent(...split(DOORBELL), 'ring', { button: 0 });
    const bell = await page.until('a ring', DOORBELL, (d) => d.events.length > 0);
    assert.equal(bell.events[0].eventId, 'ring');
    assert.deepEqual(bell.events[0].params, { button: 0 });
    assert.equal(
      rig.sim.requests.filter((r) => r.action === 'AppGetDeviceData').length,
      0,
      'a pushed change made the node read',
    );
  });

  it("rolls a failed write back and shows the API's code", async function () {
    rig.sim.setFault({ kind: 'requestLimit', action: 'AppControlDeviceData', count: 10 });
    page.command({ op: 'control', deviceId: LAMP, property: 'power_switch', value: 1 });
    const lamp = await page.until('the error', LAMP, (d) => !!d.errors.power_switch);
    assert.equal(lamp.errors.power_switch.code, 'RequestLimitExceeded');
    assert.equal(lamp.pending.power_switch, undefined);
    assert.equal(lamp.values.power_switch.value, 0);
    const record = await until('the caught error', async () => {
      const r = await flowRecord(rig.red);
      return r.errors.length ? r : undefined;
    });
    assert.equal(record.errors[0].code, 'RequestLimitExceeded');
    assert.equal(record.out.length, 0);
  });

  it('shows an offline device offline, and refuses writes to it without calling the API', async function () {
    rig.sim.setDeviceOnline(...split(LAMP), false);
    await page.until('offline', LAMP, (d) => d.online === false);
    page.command({ op: 'control', deviceId: LAMP, property: 'power_switch', value: 1 });
    const record = await until('the refusal', async () => {
      const r = await flowRecord(rig.red);
      return r.errors.length ? r : undefined;
    });
    assert.equal(record.errors[0].code, 'IOTX_PANEL_OFFLINE');
    assert.equal(rig.sim.requests.filter((r) => r.action === 'AppControlDeviceData').length, 0);
  });

  it('refuses every write its configuration does not enable, sent straight over the socket', async function () {
    // The lock's unlock (guarded, not allowed), its read-only state, a device that is not on the
    // panel, a value the template refuses, and events the widget does not take.
    page.command({
      op: 'action',
      deviceId: LOCK,
      action: 'unlock',
      input: { userid: 'x' },
      confirmed: true,
    });
    page.command({
      op: 'control',
      deviceId: LOCK,
      property: 'lock_state',
      value: 1,
      confirmed: true,
    });
    page.command({
      op: 'control',
      deviceId: 'LIGHT0A1B2/neighbor_lamp',
      property: 'power_switch',
      value: 1,
    });
    page.command({ op: 'control', deviceId: LAMP, property: 'power_switch', value: true });
    page.command({ op: 'control', deviceId: LAMP, property: 'no_such', value: 1 });
    client.socket.emit('widget-action', PANEL_ID, { payload: 'not a command' });
    client.socket.emit('widget-change', PANEL_ID, { payload: 1 });
    client.socket.emit('widget-send', PANEL_ID, { payload: 1, iotxCommand: { op: 'control' } });
    const record = await until('five refusals', async () => {
      const r = await flowRecord(rig.red);
      return r.errors.length >= 5 ? r : undefined;
    });
    assert.deepEqual(record.errors.map((e) => e.code).sort(), [
      'IOTX_PANEL_BAD_VALUE',
      'IOTX_PANEL_GUARDED',
      'IOTX_PANEL_READ_ONLY',
      'IOTX_PANEL_UNKNOWN',
      'IOTX_PANEL_UNKNOWN_DEVICE',
    ]);
    assert.match(record.errors.find((e) => e.code === 'IOTX_PANEL_GUARDED')!.message, /unlock/);
    // Nothing reached the service, and the flow sent nothing on.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const writes = rig.sim.requests.filter((r) =>
      ['AppControlDeviceData', 'AppCallDeviceActionSync', 'AppCallDeviceActionAsync'].includes(
        r.action ?? '',
      ),
    );
    assert.deepEqual(writes, []);
    assert.equal(rig.sim.actionCalls.length, 0);
    assert.equal((await flowRecord(rig.red)).out.length, 0);
  });

  it('refuses properties and actions the node turns off, and asks for confirmation of allowed guarded ones', async function () {
    await redeploy({ allowProperties: false, allowActions: true, allowGuarded: true });
    page.command({ op: 'control', deviceId: LAMP, property: 'power_switch', value: 1 });
    page.command({ op: 'action', deviceId: LOCK, action: 'unlock', input: { userid: 'alice' } });
    await until('two refusals', async () => (await flowRecord(rig.red)).errors.length >= 2);
    assert.deepEqual((await flowRecord(rig.red)).errors.map((e) => e.code).sort(), [
      'IOTX_PANEL_NOT_ALLOWED',
      'IOTX_PANEL_NOT_CONFIRMED',
    ]);
    assert.equal(rig.sim.actionCalls.length, 0);
    // Confirmed on the panel: the lock opens, and the flow hears of it.
    page.command({
      op: 'action',
      deviceId: LOCK,
      action: 'unlock',
      input: { userid: 'alice' },
      confirmed: true,
    });
    const lock = await page.until(
      'the unlock result',
      LOCK,
      (d) => d.actions.unlock?.state === 'done',
    );
    assert.deepEqual(
      rig.sim.actionCalls.map((c) => [c.actionId, c.params.userid]),
      [['unlock', 'alice']],
    );
    assert.equal((lock.actions.unlock.output as { result: number }).result, 0);
    const out = await until('the output', async () => (await flowRecord(rig.red)).out[0]);
    assert.equal(out.topic, `${LOCK}/action/unlock`);
    assert.deepEqual(out.payload, { userid: 'alice' });
    assert.equal(out.iotexplorer.actionId, 'unlock');
  });

  it('shows a room: a card for each of its devices', async function () {
    await redeploy({ selection: 'room', familyId: 'f_demo_home', roomId: 'r_living' });
    const view = await until('the room', () => page.view?.status === 'ready' && page.view);
    assert.deepEqual(view.devices.map((d) => d.deviceId).sort(), [LAMP, SENSOR].sort());
    assert.ok(view.devices.every((d) => d.roomName === '客厅'));
  });

  it('takes messages that change its devices or hide controls; a bad one goes to catch', async function () {
    const inject = (
      id: string,
      props: { p: string; v: string; vt: string }[],
      y: number,
    ): FlowNode => ({
      id,
      type: 'inject',
      z: 'tab',
      props,
      repeat: '',
      once: false,
      x: 100,
      y,
      wires: [[PANEL_ID]],
    });
    await redeploy({}, [
      inject('show-lock', [{ p: 'devices', v: `["${LOCK}"]`, vt: 'json' }], 400),
      inject('hide', [{ p: 'hide', v: '["battery", "action/unlock"]', vt: 'json' }], 440),
      inject('bad', [{ p: 'hide', v: '5', vt: 'num' }], 480),
    ]);
    const press = (id: string) => fetch(`${rig.red.url}/inject/${id}`, { method: 'POST' });
    await press('show-lock');
    await until('only the lock', () => page.view?.devices.length === 1 && page.device(LOCK));
    await press('hide');
    await until('hidden', () => page.view?.hidden.includes('action/unlock'));
    await press('bad');
    const record = await until('the bad input', async () => (await flowRecord(rig.red)).errors[0]);
    assert.equal(record.code, 'IOTX_PANEL_BAD_INPUT');
  });
});
