// The device panel as a person sees it: Debian's Chromium on a Dashboard 2 page served by a real
// Node-RED with both packages (found by Dashboard 2 as a palette install leaves them), against
// the simulator. Screenshots go to test/artifacts/ (panel-*.png).

import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, requireChromium, shot, type Browser } from '../../../test/support/browser';
import {
  COMPANION_PACKAGE,
  deploy,
  DOORBELL,
  LAMP,
  LOCK,
  OFFLINE_LAMP,
  panelFlow,
  SENSOR,
  startPanelRig,
  until,
  WIDGET,
  type PanelRig,
} from '../support/dashboard';

const ALL = [LAMP, LOCK, OFFLINE_LAMP, DOORBELL];

function split(deviceId: string): [string, string] {
  const [productId, deviceName] = deviceId.split('/');
  return [productId, deviceName];
}

const card = (page: Page, deviceId: string): Locator =>
  page.locator(`.iotx-device[data-device-id="${deviceId}"]`);
const control = (page: Page, deviceId: string, property: string): Locator =>
  card(page, deviceId).locator(`.iotx-control[data-property="${property}"]`);

describe('device panel in a real browser (Dashboard 2, Chromium)', function () {
  this.timeout(180000);
  let rig: PanelRig | undefined;
  let browser: Browser | undefined;
  /** Console lines and the widget's UMD responses, to check Dashboard 2 found the widget. */
  let consoleLines: string[] = [];
  let umdStatus: number[] = [];

  before(function () {
    requireChromium(this);
  });

  before(async function () {
    rig = await startPanelRig((endpoint) => panelFlow(endpoint, { devices: ALL }));
  });

  /** The page of the current test. */
  let current: Page | undefined;
  /** A Chinese browser, for the one test that needs it. */
  let zhBrowser: Browser | undefined;

  before(async function () {
    browser = await launchBrowser('en-US');
  });

  afterEach(async function () {
    if (current && this.currentTest?.state === 'failed') {
      await shot(current, `panel-failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
    }
    await current?.close().catch(() => undefined);
    current = undefined;
    rig?.sim.clearFaults();
  });

  after(async function () {
    await browser?.close();
    await zhBrowser?.close();
    await rig?.stop();
  });

  /** A fresh page in a browser of that language, on the dashboard, once the panel is live. */
  async function open(lang = 'en-US', viewport?: { width: number; height: number }): Promise<Page> {
    let context = browser!.context;
    if (lang !== 'en-US') {
      zhBrowser ??= await launchBrowser(lang);
      context = zhBrowser.context;
    }
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    current = page;
    if (viewport) await page.setViewportSize(viewport);
    consoleLines = [];
    umdStatus = [];
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('response', (r) => {
      if (r.url().endsWith(`/resources/${COMPANION_PACKAGE}/${WIDGET}.umd.js`))
        umdStatus.push(r.status());
    });
    await page.goto(`${rig!.red.url}/dashboard/home`);
    await page.locator('.iotx-device').first().waitFor({ state: 'visible' });
    await page.locator('.iotx-panel[data-health="live"]').waitFor({ state: 'attached' });
    return page;
  }

  function assertWidgetFound(): void {
    assert.deepEqual(umdStatus, [200], 'the widget UMD was not served once with 200');
    const missing = consoleLines.filter((l) =>
      /No Vue component found|not found, is that the correct name|didn't appear to be exported/.test(
        l,
      ),
    );
    assert.deepEqual(missing, []);
  }

  function lampOff(): void {
    rig!.sim.setDeviceOnline(...split(LAMP), true);
    rig!.sim.reportProperties(...split(LAMP), { power_switch: 0, brightness: 50 });
    rig!.sim.resetRecords();
  }

  it("shows the lamp's controls, drawn from its template", async function () {
    lampOff();
    const page = await open();
    assertWidgetFound();
    assert.equal(await page.locator('.iotx-device').count(), ALL.length);
    const lamp = card(page, LAMP);
    await lamp.locator('.iotx-device-name', { hasText: '客厅台灯' }).waitFor();
    assert.equal(await lamp.getAttribute('data-online'), 'true');
    // bool → switch, int → slider, enum → segmented buttons, string → text field.
    await control(page, LAMP, 'power_switch')
      .locator('input[type="checkbox"]')
      .waitFor({ state: 'attached' });
    assert.equal(
      await control(page, LAMP, 'power_switch')
        .getAttribute('class')
        .then((c) => /iotx-size-big/.test(c ?? '')),
      true,
    );
    await control(page, LAMP, 'brightness').locator('.v-slider').waitFor();
    assert.equal(await control(page, LAMP, 'color').locator('.iotx-segments button').count(), 3);
    await control(page, LAMP, 'name').locator('input').waitFor();
    await control(page, LAMP, 'brightness').locator('.iotx-value', { hasText: '50 %' }).waitFor();
    // Labels from the template.
    await control(page, LAMP, 'brightness')
      .locator('.iotx-control-name', { hasText: '亮度' })
      .waitFor();
    await shot(page, 'panel-en-desktop');
  });

  it('turns the lamp on: the simulator receives AppControlDeviceData and the switch ends on', async function () {
    lampOff();
    const page = await open();
    const power = control(page, LAMP, 'power_switch');
    const input = power.locator('input[type="checkbox"]');
    await power.locator('.iotx-value', { hasText: '关' }).waitFor();
    assert.equal(await input.isChecked(), false);
    await input.click({ force: true });
    const call = await until('AppControlDeviceData', () =>
      rig!.sim.requests.find((r) => r.action === 'AppControlDeviceData'),
    );
    assert.deepEqual(JSON.parse((call.body as { Data: string }).Data), { power_switch: 1 });
    // Confirmed by the device's report: no longer pending, and on.
    await page
      .locator(
        `.iotx-device[data-device-id="${LAMP}"] .iotx-control[data-property="power_switch"][data-state="idle"] .iotx-value`,
        { hasText: '开' },
      )
      .waitFor();
    assert.equal(await input.isChecked(), true);
    const device = (await (await fetch(`${rig!.sim.url}/_sim/devices/${LAMP}`)).json()) as {
      properties: Record<string, unknown>;
    };
    assert.equal((device.properties.power_switch as { Value: unknown }).Value, 1);
  });

  it('shows a change made in the simulator, and the doorbell’s event', async function () {
    lampOff();
    const page = await open();
    rig!.sim.reportProperties(...split(LAMP), { brightness: 20 });
    await control(page, LAMP, 'brightness').locator('.iotx-value', { hasText: '20 %' }).waitFor();
    rig!.sim.fireEvent(...split(DOORBELL), 'ring', { button: 0 });
    await card(page, DOORBELL).locator('.iotx-event[data-event="ring"]').waitFor();
    await shot(page, 'panel-after-push');
  });

  it('rolls the switch back and shows the code when the call fails', async function () {
    lampOff();
    const page = await open();
    rig!.sim.setFault({ kind: 'requestLimit', action: 'AppControlDeviceData', count: 10 });
    const power = control(page, LAMP, 'power_switch');
    await power.locator('input[type="checkbox"]').click({ force: true });
    await power.locator('.iotx-error[data-code="RequestLimitExceeded"]').waitFor();
    await power.locator('.iotx-value', { hasText: '关' }).waitFor();
    assert.equal(await power.locator('input[type="checkbox"]').isChecked(), false);
    await shot(page, 'panel-error-rolled-back');
  });

  it("disables an offline device's controls", async function () {
    const page = await open();
    const bedroom = card(page, OFFLINE_LAMP);
    assert.equal(await bedroom.getAttribute('data-online'), 'false');
    await bedroom.locator('.iotx-online', { hasText: 'offline' }).waitFor();
    assert.equal(
      await control(page, OFFLINE_LAMP, 'power_switch').locator('input').isDisabled(),
      true,
    );
    assert.equal(await control(page, OFFLINE_LAMP, 'name').locator('input').isDisabled(), true);
    assert.equal(
      await bedroom.locator('button.iotx-action[data-action="light_blink"]').isDisabled(),
      true,
    );
    assert.equal(
      await control(page, OFFLINE_LAMP, 'power_switch').getAttribute('data-disabled'),
      'true',
    );
  });

  it("keeps the lock's unlock read-only by default", async function () {
    const page = await open();
    const unlock = card(page, LOCK).locator('button.iotx-action[data-action="unlock"]');
    assert.equal(await unlock.getAttribute('data-writable'), 'false');
    assert.equal(await unlock.getAttribute('data-guarded'), 'true');
    assert.equal(await unlock.isDisabled(), true);
    // Its state is shown, not editable.
    const state = control(page, LOCK, 'lock_state');
    assert.equal(await state.locator('input, button').count(), 0);
    await state.locator('.iotx-value', { hasText: /locked|上锁/ }).waitFor();
  });

  it('calls an action from its form, checked by the template rules first', async function () {
    const page = await open();
    await card(page, LAMP).locator('button.iotx-action[data-action="light_blink"]').click();
    const dialog = page.locator('.iotx-action-dialog[data-action="light_blink"]');
    await dialog.waitFor();
    await dialog.locator('[data-param="time"] input').fill('99');
    await dialog.locator('.iotx-action-submit').click();
    await dialog.locator('.iotx-problem', { hasText: 'time' }).waitFor();
    assert.equal(rig!.sim.actionCalls.length, 0);
    await dialog.locator('[data-param="time"] input').fill('3');
    await dialog.locator('.iotx-action-submit').click();
    await card(page, LAMP)
      .locator('.iotx-action-result[data-action="light_blink"][data-state="done"]')
      .waitFor();
    const call = rig!.sim.actionCalls.find((c) => c.actionId === 'light_blink');
    assert.deepEqual(call?.params, { time: 3 });
  });

  it('asks for confirmation before an allowed unlock', async function () {
    await deploy(
      rig!.red,
      panelFlow(rig!.sim.tokenapiUrl, { devices: [LOCK], allowGuarded: true }),
    );
    try {
      const page = await open();
      await card(page, LOCK)
        .locator('button.iotx-action[data-action="unlock"]:not([disabled])')
        .click();
      const dialog = page.locator('.iotx-action-dialog[data-action="unlock"]');
      await dialog.locator('[data-param="userid"] input').fill('alice');
      await dialog.locator('.iotx-action-submit').click();
      const confirm = page.locator('.iotx-confirm');
      await confirm.waitFor();
      await shot(page, 'panel-confirm-unlock');
      assert.equal(rig!.sim.actionCalls.filter((c) => c.actionId === 'unlock').length, 0);
      await confirm.locator('.iotx-confirm-ok').click();
      await card(page, LOCK)
        .locator('.iotx-action-result[data-action="unlock"][data-state="done"]')
        .waitFor();
      assert.deepEqual(
        rig!.sim.actionCalls.filter((c) => c.actionId === 'unlock').map((c) => c.params.userid),
        ['alice'],
      );
    } finally {
      await deploy(rig!.red, panelFlow(rig!.sim.tokenapiUrl, { devices: ALL }));
    }
  });

  it('shows a room: a card for each of its devices (zh-CN, a phone)', async function () {
    await deploy(
      rig!.red,
      panelFlow(rig!.sim.tokenapiUrl, {
        selection: 'room',
        familyId: 'f_demo_home',
        roomId: 'r_living',
      }),
    );
    try {
      const page = await open('zh-CN', { width: 390, height: 844 });
      await card(page, SENSOR).waitFor();
      const ids = await page
        .locator('.iotx-device')
        .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-device-id')));
      assert.deepEqual(ids.sort(), [LAMP, SENSOR].sort());
      // The widget's own words follow the browser's language; the labels are the template's.
      await card(page, LAMP).locator('.iotx-online', { hasText: '在线' }).waitFor();
      await card(page, LAMP).locator('.iotx-section-title', { hasText: '行为' }).waitFor();
      // One card per row on a phone.
      const boxes = await page
        .locator('.iotx-device')
        .evaluateAll((cards) =>
          cards.map((c) => c.getBoundingClientRect().toJSON() as { x: number; width: number }),
        );
      assert.equal(boxes[0].x, boxes[1].x, 'the cards are not stacked on a phone');
      await shot(page, 'panel-zh-phone-room');
    } finally {
      await deploy(rig!.red, panelFlow(rig!.sim.tokenapiUrl, { devices: ALL }));
    }
  });
});
