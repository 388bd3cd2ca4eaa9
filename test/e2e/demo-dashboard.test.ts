// The demo's dashboard as a newcomer meets it: `npm start` (its compiled script, on free ports),
// then the /dashboard address its banner prints, in Debian's Chromium. Nothing is installed
// besides what the checkout has: the demo's user directory lists both packages, and Dashboard 2
// finds the device panel there. Screenshots go to test/artifacts/ (demo-dashboard-*.png).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { PANELS_PAGE_PATH } from '../../demo/dashboard';
import { COMPANION_PACKAGE, COMPANION_ROOT, PACKAGE_NAME, PROJECT_ROOT } from '../../demo/launch';
import { launchBrowser, requireChromium, shot, type Browser } from '../support/browser';
import { startDemo, type Demo } from '../support/demo';

const LAMP = 'LIGHT0A1B2/living_lamp';
const LOCK = 'LOCK0C3D4E/front_door';
const DOORBELL = 'DOORBL1M2N/front_bell';
const PANELS_TAB = 'd0000000000db000';

/** Every device the demo's user sees in the simulator: their family's, and the two shared. */
const HOME = [
  LAMP,
  'LIGHT0A1B2/bedroom_lamp',
  LOCK,
  'AIRC0F5G6H/study_aircon',
  'AIRC0F5G6H/attic_aircon',
  'THSNS7J8K9/living_sensor',
  DOORBELL,
  'LIGHT0A1B2/shared_lamp',
  'THSNS7J8K9/shared_sensor',
];

type FlowNode = Record<string, unknown> & { id: string; type: string };

const card = (page: Page, deviceId: string): Locator =>
  page.locator(`.iotx-device[data-device-id="${deviceId}"]`);

/** The lines the banner printed after `label:`, up to the next label. */
function bannerEntry(output: string, label: string): string {
  const match = new RegExp(`\\n  ${label}:\\s+([^]*?)\\n  [A-Z][a-z ]+:`).exec(output);
  assert.ok(match, `no "${label}:" in the banner:\n${output}`);
  return match[1];
}

describe("the demo's dashboard (npm start, then /dashboard in a real browser)", function () {
  this.timeout(180000);
  let userDir = '';
  let demo: Demo | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let dashboardUrl = '';
  let simulatorUrl = '';

  before(async function () {
    requireChromium(this);
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-demo-dashboard-'));
    demo = await startDemo(userDir);
    const output = demo.output();
    dashboardUrl = /^(http:\/\/127\.0\.0\.1:\d+\/dashboard)\s/.exec(
      bannerEntry(output, 'Dashboard'),
    )?.[1] as string;
    assert.ok(dashboardUrl, `the banner names no dashboard URL:\n${output}`);
    simulatorUrl =
      /^(http:\/\/127\.0\.0\.1:\d+)\//.exec(bannerEntry(output, 'Simulator'))?.[1] ?? '';
    browser = await launchBrowser('en-US');
  });

  afterEach(async function () {
    if (page && this.currentTest?.state === 'failed') {
      await shot(
        page,
        `demo-dashboard-failed-${this.currentTest.title.replace(/\W+/g, '-')}`,
      ).catch(() => undefined);
    }
  });

  after(async function () {
    await browser?.close();
    await demo?.stop();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  /** A fresh page on the banner's dashboard URL, once every panel is live. */
  async function open(): Promise<Page> {
    await page?.close().catch(() => undefined);
    page = await browser!.context.newPage();
    page.setDefaultTimeout(30000);
    await page.goto(dashboardUrl);
    await page.locator('.iotx-device').first().waitFor({ state: 'visible' });
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.iotx-panel').length > 0 &&
        Array.from(document.querySelectorAll('.iotx-panel')).every(
          (p) => p.getAttribute('data-health') === 'live',
        ),
    );
    return page;
  }

  async function simulator(pathname: string, body?: unknown): Promise<Record<string, any>> {
    const res = await fetch(simulatorUrl + pathname, {
      method: body === undefined ? 'GET' : 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Record<string, any>;
  }

  it('lists both packages in its user directory, as Dashboard 2 needs to find the panel', function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(userDir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), [COMPANION_PACKAGE, PACKAGE_NAME]);
    for (const [name, root] of [
      [PACKAGE_NAME, PROJECT_ROOT],
      [COMPANION_PACKAGE, COMPANION_ROOT],
    ]) {
      assert.equal(fs.realpathSync(path.join(userDir, 'node_modules', name)), root);
    }
  });

  it('shows a live panel for every simulated device at the /dashboard the banner prints', async function () {
    const umd: number[] = [];
    const current = await (async () => {
      const p = await browser!.context.newPage();
      p.on('response', (r) => {
        if (r.url().endsWith(`/resources/${COMPANION_PACKAGE}/ui-iot-explorer-device.umd.js`))
          umd.push(r.status());
      });
      await page?.close().catch(() => undefined);
      page = p;
      p.setDefaultTimeout(30000);
      await p.goto(dashboardUrl);
      return p;
    })();
    await current.locator('.iotx-device').first().waitFor({ state: 'visible' });
    // Every device, once: a card each.
    await current.waitForFunction(
      (count) => document.querySelectorAll('.iotx-device').length >= count,
      HOME.length,
    );
    const shown = await current
      .locator('.iotx-device')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-device-id')));
    assert.deepEqual([...shown].sort(), [...HOME].sort());
    assert.deepEqual(umd, [200], 'the widget was not served once');
    // /dashboard opened the demo's page, whose groups are the home's rooms.
    assert.ok(current.url().endsWith(`/dashboard${PANELS_PAGE_PATH}`), current.url());
    for (const room of ['Living room', 'Hall', 'Bedroom', 'Shared with me']) {
      await current.getByText(room, { exact: false }).first().waitFor();
    }
    await card(current, LAMP).locator('.iotx-device-name', { hasText: '客厅台灯' }).waitFor();
    await shot(current, 'demo-dashboard-home');
  });

  it('switches the lamp from the dashboard: the simulator receives AppControlDeviceData and the switch ends on', async function () {
    await simulator(`/_sim/devices/${LAMP}/report`, { power_switch: 0 });
    const current = await open();
    const power = card(current, LAMP).locator('.iotx-control[data-property="power_switch"]');
    const input = power.locator('input[type="checkbox"]');
    await power.locator('.iotx-value', { hasText: '关' }).waitFor();
    assert.equal(await input.isChecked(), false);
    assert.equal(await input.isDisabled(), false, 'the lamp cannot be switched');
    const before = ((await simulator('/_sim/stats')).callsByAction.AppControlDeviceData ??
      0) as number;
    await input.click({ force: true });
    await current
      .locator(
        `.iotx-device[data-device-id="${LAMP}"] .iotx-control[data-property="power_switch"][data-state="idle"] .iotx-value`,
        { hasText: '开' },
      )
      .waitFor();
    assert.equal(await input.isChecked(), true);
    const after = (await simulator('/_sim/stats')).callsByAction.AppControlDeviceData as number;
    assert.equal(after, before + 1, 'one AppControlDeviceData');
    const lamp = await simulator(`/_sim/devices/${LAMP}`);
    assert.equal(lamp.properties.power_switch.Value, 1);
    await shot(current, 'demo-dashboard-lamp-on');
  });

  it("shows the doorbell's ring when it is pressed from the dashboard's button", async function () {
    const current = await open();
    const doorbell = card(current, DOORBELL);
    assert.equal(await doorbell.locator('.iotx-event[data-event="ring"]').count(), 0);
    await current.getByRole('button', { name: 'Ring the simulated doorbell' }).click();
    await doorbell.locator('.iotx-event[data-event="ring"]').waitFor();
    // The simulator's own route (the banner's curl line) rings it again: a second event.
    await simulator(`/_sim/devices/${DOORBELL}/events/ring`, { button: 0 });
    await current.waitForFunction(
      (id) =>
        document.querySelectorAll(
          `.iotx-device[data-device-id="${id}"] .iotx-event[data-event="ring"]`,
        ).length >= 2,
      DOORBELL,
    );
    await shot(current, 'demo-dashboard-doorbell-rang');
  });

  it("keeps the front door's unlock read-only", async function () {
    const current = await open();
    const unlock = card(current, LOCK).locator('button.iotx-action[data-action="unlock"]');
    assert.equal(await unlock.getAttribute('data-writable'), 'false');
    assert.equal(await unlock.getAttribute('data-guarded'), 'true');
    assert.equal(await unlock.isDisabled(), true);
  });

  it('brings the dashboard into a demo folder of an older version, keeping the user’s flows', async function () {
    await page?.close().catch(() => undefined);
    page = undefined;
    await demo!.stop();
    // As the demo left its folder before it had a dashboard page: no panels tab, page or groups.
    const flowsFile = path.join(userDir, 'flows.json');
    const flows = JSON.parse(fs.readFileSync(flowsFile, 'utf8')) as FlowNode[];
    const page0 = flows.find((n) => n.type === 'ui-page' && n.path === PANELS_PAGE_PATH);
    assert.ok(page0, 'the demo has its dashboard page');
    const older = flows.filter(
      (n) =>
        n.id !== PANELS_TAB &&
        n.z !== PANELS_TAB &&
        n.id !== page0.id &&
        !(n.type === 'ui-group' && n.page === page0.id),
    );
    older.push({ id: 'ab00000000000001', type: 'tab', label: 'My own tab', disabled: false });
    fs.writeFileSync(flowsFile, JSON.stringify(older, null, 2));
    const stateFile = path.join(userDir, 'demo-state.json');
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as {
      tabs: Record<string, string>;
    };
    delete state.tabs[PANELS_TAB];
    fs.writeFileSync(stateFile, JSON.stringify(state));

    demo = await startDemo(userDir);
    assert.match(demo.output(), /your flows and credentials kept; 1 demo tab brought up to date/);
    dashboardUrl = /^(http:\/\/127\.0\.0\.1:\d+\/dashboard)\s/.exec(
      bannerEntry(demo.output(), 'Dashboard'),
    )![1];
    simulatorUrl = /^(http:\/\/127\.0\.0\.1:\d+)\//.exec(
      bannerEntry(demo.output(), 'Simulator'),
    )![1];
    const now = JSON.parse(fs.readFileSync(flowsFile, 'utf8')) as FlowNode[];
    assert.ok(
      now.some((n) => n.id === 'ab00000000000001'),
      "the user's tab stays",
    );
    const current = await open();
    await current.waitForFunction(
      (count) => document.querySelectorAll('.iotx-device').length >= count,
      HOME.length,
    );
  });
});
