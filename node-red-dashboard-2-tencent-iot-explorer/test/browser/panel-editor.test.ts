// The device panel's editor dialog in Node-RED's editor (Chromium): it opens with the stored
// devices in the main package's device list, switches between selections, fills a room from the
// account, and saves a valid node.

import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launchBrowser, requireChromium, shot, type Browser } from '../../../test/support/browser';
import { LAMP, PANEL_ID, panelFlow, startPanelRig, type PanelRig } from '../support/dashboard';

describe('device panel editor dialog (Chromium)', function () {
  this.timeout(180000);
  let rig: PanelRig | undefined;
  let browser: Browser | undefined;
  const problems: string[] = [];

  before(function () {
    requireChromium(this);
  });

  before(async function () {
    rig = await startPanelRig((endpoint) => panelFlow(endpoint, { devices: [LAMP] }));
    browser = await launchBrowser('en-US');
    browser.page.on('pageerror', (err) => problems.push(err.message));
  });

  after(async function () {
    if (browser && this.currentTest?.state === 'failed')
      await shot(browser.page, 'panel-editor-failed');
    await browser?.close();
    await rig?.stop();
  });

  async function openPanel(page: Page): Promise<void> {
    await page.locator(`#red-ui-workspace-chart g[id="${PANEL_ID}"] .red-ui-flow-node`).dblclick();
    await page.waitForSelector('#node-input-selection', { state: 'visible' });
  }

  it('edits the selection and saves a valid node', async function () {
    const page = browser!.page;
    await page.goto(`${rig!.red.url}/`);
    await page.waitForSelector('#red-ui-workspace-chart svg');
    await page.locator(`#red-ui-workspace-chart g[id="${PANEL_ID}"]`).waitFor();
    // The palette label names it; the canvas label too, when the node has no name.
    await page
      .locator(`#red-ui-workspace-chart g[id="${PANEL_ID}"]`, { hasText: 'device panel' })
      .waitFor();
    await openPanel(page);
    // The stored device, in the main package's device list; the picker beside it.
    assert.equal(await page.inputValue('#node-input-selection'), 'devices');
    const productIds = await page
      .locator('#node-input-iotx-devices .iotx-product-id')
      .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    assert.deepEqual(productIds, ['LIGHT0A1B2']);
    await page.locator('#node-input-iotx-family').waitFor({ state: 'visible' });
    assert.equal(await page.isVisible('#node-input-roomId'), false);
    await shot(page, 'panel-editor-devices');

    // A room, picked from the account's families and rooms.
    await page.selectOption('#node-input-selection', 'room');
    assert.equal(await page.isVisible('#node-input-iotx-devices'), false);
    await page
      .locator('#node-input-iotx-panel-family option[value="f_demo_home"]')
      .waitFor({ state: 'attached' });
    await page.selectOption('#node-input-iotx-panel-family', 'f_demo_home');
    await page
      .locator('#node-input-iotx-panel-room option[value="r_living"]')
      .waitFor({ state: 'attached' });
    await page.selectOption('#node-input-iotx-panel-room', 'r_living');
    assert.equal(await page.inputValue('#node-input-familyId'), 'f_demo_home');
    assert.equal(await page.inputValue('#node-input-roomId'), 'r_living');
    assert.equal(await page.isChecked('#node-input-allowGuarded'), false);
    assert.equal(await page.isChecked('#node-input-allowProperties'), true);
    await shot(page, 'panel-editor-room');
    await page.locator('#node-dialog-ok').click();
    await page.waitForSelector('#node-input-selection', { state: 'detached' });

    const saved = await page.evaluate((id) => {
      const node = (
        window as unknown as { RED: { nodes: { node(id: string): Record<string, unknown> } } }
      ).RED.nodes.node(id);
      return {
        selection: node.selection,
        familyId: node.familyId,
        roomId: node.roomId,
        valid: node.valid,
      };
    }, PANEL_ID);
    assert.deepEqual(saved, {
      selection: 'room',
      familyId: 'f_demo_home',
      roomId: 'r_living',
      valid: true,
    });

    // A room without its id is marked invalid, as Node-RED's own validators do.
    await openPanel(page);
    await page.fill('#node-input-roomId', '');
    await page.locator('#node-dialog-ok').click();
    await page.waitForSelector('#node-input-selection', { state: 'detached' });
    const valid = await page.evaluate(
      (id) =>
        (
          window as unknown as { RED: { nodes: { node(id: string): { valid: boolean } } } }
        ).RED.nodes.node(id).valid,
      PANEL_ID,
    );
    assert.equal(valid, false);
    assert.deepEqual(problems, []);
  });
});
