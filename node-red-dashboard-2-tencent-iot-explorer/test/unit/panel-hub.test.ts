// The panel's state machine (lib/panel/panel-hub.ts) over a source the test drives by hand:
// pending → confirmed by a report, → unconfirmed after the timeout, → rolled back on failure.
// The real source, runtime and browser are in test/nodes and test/browser.

import assert from 'node:assert/strict';
import {
  PanelHub,
  PanelRefusalError,
  type DeviceView,
  type PanelView,
} from '../../lib/panel/panel-hub';
import type {
  ActionOutcome,
  DeviceRecord,
  DeviceState,
  PanelSource,
  ProductRecord,
  SourceListener,
} from '../../lib/source/panel-source';

const TEMPLATE = {
  properties: [
    { id: 'power_switch', mode: 'rw', define: { type: 'bool' } },
    { id: 'brightness', mode: 'rw', define: { type: 'int', min: '0', max: '100' } },
  ],
  events: [{ id: 'ring', type: 'info', params: [] }],
  actions: [{ id: 'blink', input: [], output: [] }],
};

function record(deviceId: string): DeviceRecord {
  const [productId, deviceName] = deviceId.split('/');
  return {
    deviceId,
    productId,
    deviceName,
    alias: 'Lamp',
    productName: 'Lamp',
    familyId: 'f',
    familyName: 'Home',
    roomId: '0',
    roomName: null,
    shared: false,
    sharedBy: null,
    online: true,
  };
}

/** A source that answers from memory; the test decides when calls end and what pushes come. */
class HandSource implements PanelSource {
  listener?: SourceListener;
  controls: { deviceId: string; data: Record<string, unknown> }[] = [];
  failNext?: { code: string; message: string };
  reads = 0;
  resolves = 0;
  subscriptions = 0;
  /** What the home holds for the selection now. */
  records: DeviceRecord[] = [record('P/lamp')];
  private readonly homeListeners = new Set<() => void>();

  resolve(): Promise<DeviceRecord[]> {
    this.resolves += 1;
    return Promise.resolve(this.records.map((r) => ({ ...r })));
  }
  watchHome(listener: () => void): () => void {
    this.homeListeners.add(listener);
    return () => this.homeListeners.delete(listener);
  }
  /** The home changed: every panel watching it is told. */
  homeChanged(): void {
    for (const listener of this.homeListeners) listener();
  }
  get homeWatchers(): number {
    return this.homeListeners.size;
  }
  products(): Promise<ProductRecord[]> {
    return Promise.resolve([
      { productId: 'P', name: 'Lamp', dataTemplate: TEMPLATE, panelConfig: null },
    ]);
  }
  read(): Promise<Map<string, DeviceState>> {
    this.reads += 1;
    return Promise.resolve(new Map<string, DeviceState>());
  }
  subscribe(_ids: readonly string[], listener: SourceListener): () => void {
    this.subscriptions += 1;
    this.listener = listener;
    listener.resync(
      new Map([['P/lamp', { online: true, values: { power_switch: { value: 0, time: 1000 } } }]]),
    );
    return () => (this.listener = undefined);
  }
  control(deviceId: string, data: Record<string, unknown>): Promise<{ requestId: string }> {
    this.controls.push({ deviceId, data });
    const failure = this.failNext;
    this.failNext = undefined;
    return failure
      ? Promise.reject(Object.assign(new Error(failure.message), { code: failure.code }))
      : Promise.resolve({ requestId: `r${this.controls.length}` });
  }
  callAction(): Promise<ActionOutcome> {
    return Promise.resolve({ requestId: 'a1', status: 'succ', output: { ok: 1 } });
  }
  report(values: Record<string, unknown>, time = Date.now()): void {
    this.listener?.change({
      kind: 'properties',
      deviceId: 'P/lamp',
      values,
      origin: 'report',
      time,
    });
  }
}

async function startHub(confirmTimeoutMs = 10_000) {
  const source = new HandSource();
  const seen: { views: PanelView[]; devices: DeviceView[] } = { views: [], devices: [] };
  const hub = new PanelHub(
    {
      source,
      selection: { type: 'devices', deviceIds: ['P/lamp'] },
      policy: { allowProperties: true, allowActions: true, allowGuarded: false, extraGuards: [] },
      confirmTimeoutMs,
    },
    {
      view: (v) => seen.views.push(structuredClone(v)),
      device: (_rev, d) => seen.devices.push(structuredClone(d)),
    },
  );
  await hub.start();
  const lamp = () => hub.view().devices[0];
  return { hub, source, seen, lamp };
}

describe('device panel hub', function () {
  it('shows a write as pending until a report carries the value', async function () {
    const { hub, source, seen, lamp } = await startHub();
    assert.equal(lamp().values.power_switch.value, 0);
    const outcome = await hub.control('P/lamp', 'power_switch', 1, false);
    assert.equal(outcome.requestId, 'r1');
    assert.deepEqual(source.controls, [{ deviceId: 'P/lamp', data: { power_switch: 1 } }]);
    assert.equal(lamp().pending.power_switch.state, 'pending');
    // A report of another value (sent before the device applied it) keeps it pending.
    source.report({ power_switch: 0 });
    assert.equal(lamp().pending.power_switch.state, 'pending');
    source.report({ power_switch: 1 });
    assert.equal(lamp().pending.power_switch, undefined);
    assert.equal(lamp().values.power_switch.value, 1);
    assert.ok(seen.devices.some((d) => d.pending.power_switch?.value === 1));
    hub.stop();
  });

  it('marks a write unconfirmed when no report comes in time; a later report ends it', async function () {
    const { hub, source, lamp } = await startHub(30);
    await hub.control('P/lamp', 'brightness', 40, false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(lamp().pending.brightness.state, 'unconfirmed');
    // Once unconfirmed, whatever the device reports wins.
    source.report({ brightness: 10 });
    assert.equal(lamp().pending.brightness, undefined);
    assert.equal(lamp().values.brightness.value, 10);
    hub.stop();
  });

  it("rolls a failed write back and keeps the API's code and message", async function () {
    const { hub, source, lamp } = await startHub();
    source.failNext = { code: 'FailedOperation.DeviceOffline', message: '设备处于离线状态' };
    await assert.rejects(hub.control('P/lamp', 'power_switch', 1, false), /离线/);
    assert.equal(lamp().pending.power_switch, undefined);
    assert.equal(lamp().values.power_switch.value, 0);
    assert.equal(lamp().errors.power_switch.code, 'FailedOperation.DeviceOffline');
    // The next successful write clears it.
    await hub.control('P/lamp', 'power_switch', 1, false);
    assert.equal(lamp().errors.power_switch, undefined);
    hub.stop();
  });

  it('refuses writes to an offline device, a hidden control, or another device', async function () {
    const { hub, source, lamp } = await startHub();
    hub.hide(['brightness']);
    await assert.rejects(hub.control('P/lamp', 'brightness', 1, false), {
      code: 'IOTX_PANEL_HIDDEN',
    });
    await assert.rejects(hub.control('P/other', 'power_switch', 1, false), {
      code: 'IOTX_PANEL_UNKNOWN_DEVICE',
    });
    source.listener?.change({
      kind: 'online',
      deviceId: 'P/lamp',
      online: false,
      time: Date.now(),
    });
    assert.equal(lamp().online, false);
    const refusal = await hub.control('P/lamp', 'power_switch', 1, false).catch((e: unknown) => e);
    assert.ok(refusal instanceof PanelRefusalError);
    assert.equal(refusal.code, 'IOTX_PANEL_OFFLINE');
    assert.equal(source.controls.length, 0);
    hub.stop();
  });

  it('keeps the last events, newest first, and action results', async function () {
    const { hub, source, lamp } = await startHub();
    for (let i = 0; i < 7; i++) {
      source.listener?.change({
        kind: 'event',
        deviceId: 'P/lamp',
        eventId: 'ring',
        eventType: 'info',
        params: { n: i },
        time: 1000 + i,
      });
    }
    assert.deepEqual(
      lamp().events.map((e) => (e.params as { n: number }).n),
      [6, 5, 4, 3, 2],
    );
    const outcome = await hub.callAction('P/lamp', 'blink', {}, false);
    assert.deepEqual(outcome.output, { ok: 1 });
    assert.equal(lamp().actions.blink.state, 'done');
    hub.stop();
  });

  it('sends nothing to browsers after stop, even when calls end later', async function () {
    const { hub, source, seen } = await startHub(20);
    const ends: ((ok: boolean) => void)[] = [];
    source.control = () =>
      new Promise((resolve, reject) =>
        ends.push((ok) => (ok ? resolve({ requestId: 'late' }) : reject(new Error('late')))),
      );
    const succeeding = hub.control('P/lamp', 'power_switch', 1, false);
    const failing = hub.control('P/lamp', 'brightness', 5, false).catch(() => undefined);
    const before = seen.devices.length + seen.views.length;
    hub.stop();
    ends[0](true);
    ends[1](false);
    await succeeding;
    await failing;
    // Not the failure's rollback, nor (after the confirmation time) an "unconfirmed".
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(seen.devices.length + seen.views.length, before);
  });

  it('does not let a read take a value back to an older one than a push gave', async function () {
    const { hub, source, lamp } = await startHub();
    source.report({ power_switch: 1 }, 5000);
    source.listener?.resync(
      new Map([['P/lamp', { online: true, values: { power_switch: { value: 0, time: 2000 } } }]]),
    );
    assert.equal(lamp().values.power_switch.value, 1);
    assert.equal(lamp().lastChange, 5000);
    hub.stop();
    // After stop, nothing the source says reaches the view.
    assert.equal(source.listener, undefined);
  });

  it('follows the home: a renamed device takes its new name, keeping its values and writes', async function () {
    const { hub, source, seen, lamp } = await startHub();
    await hub.control('P/lamp', 'power_switch', 1, false);
    source.records = [
      { ...record('P/lamp'), alias: 'Reading lamp', roomId: 'r2', roomName: 'Study' },
    ];
    const views = seen.views.length;
    source.homeChanged();
    await until(() => lamp().name === 'Reading lamp');
    assert.equal(lamp().roomName, 'Study');
    assert.equal(lamp().values.power_switch.value, 0);
    assert.equal(lamp().pending.power_switch?.state, 'pending');
    // The same devices: no new subscription, and the view never went back to loading.
    assert.equal(source.subscriptions, 1);
    assert.ok(seen.views.slice(views).every((v) => v.status === 'ready'));
    hub.stop();
    assert.equal(source.homeWatchers, 0, 'stop ends the home watch');
  });

  it('follows the home: a device added to the selection gets a card, the others keep theirs', async function () {
    const { hub, source, seen, lamp } = await startHub();
    source.report({ power_switch: 1 }, 5000);
    source.records = [record('P/lamp'), record('P/lamp2')];
    const views = seen.views.length;
    source.homeChanged();
    await until(() => hub.view().devices.length === 2);
    assert.deepEqual(
      hub.view().devices.map((d) => d.deviceId),
      ['P/lamp', 'P/lamp2'],
    );
    assert.equal(lamp().values.power_switch.value, 1, 'the lamp keeps what push told it');
    assert.equal(source.subscriptions, 2, 'the new set of devices is followed');
    assert.ok(seen.views.slice(views).every((v) => v.status === 'ready'));
    // And removed again: its card goes; one home watch at a time.
    source.records = [record('P/lamp')];
    source.homeChanged();
    await until(() => hub.view().devices.length === 1);
    assert.equal(source.homeWatchers, 1);
    hub.stop();
  });

  it('keeps showing its devices when the home cannot be read after a change', async function () {
    const { hub, source, lamp } = await startHub();
    source.resolve = () => Promise.reject(Object.assign(new Error('down'), { code: 'X' }));
    source.homeChanged();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(hub.view().status, 'ready');
    assert.equal(lamp().deviceId, 'P/lamp');
    hub.stop();
  });
});

/** Waits (a few ms at a time) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), 'the condition never held');
}
