// Scenes, automations and history as a person sees them: the pickers of the scene, automation and
// history nodes' dialogs, in Debian's Chromium, against the simulator. (The chart example, which
// needs Dashboard 2, is tested with the Dashboard 2 companion package's examples.)

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { prepareUserDir, startNodeRed, type NodeRedInstance } from '../../demo/launch';
import { startSimulator, type Simulator } from '../../simulator';
import { launchBrowser, requireChromium, shot, type Browser } from '../support/browser';

type FlowNode = Record<string, unknown> & { id: string; type: string };

/** A scene, an automation and a history node, none configured, and a deployed account. */
function pickerFlow(endpoint: string): FlowNode[] {
  const node = (id: string, type: string, y: number, extra: Record<string, unknown> = {}) => ({
    id,
    type,
    z: 'tab1',
    account: 'acc',
    x: 200,
    y,
    wires: [[]],
    ...extra,
  });
  return [
    { id: 'tab1', type: 'tab', label: 'Flow 1' },
    node('scn', 'iot-explorer-scene', 80, { sceneId: '', sceneIdType: 'str' }),
    node('aut', 'iot-explorer-automation', 160, { operation: 'set', state: 'off' }),
    node('his', 'iot-explorer-history', 240, { range: '24', rangeUnit: 'hours', output: 'chart' }),
    { id: 'acc', type: 'iot-explorer-account', name: '我的家', endpoint, timeout: '5000' },
  ];
}

/** Picks the option of a select whose text contains `text`, once it is there. */
async function pick(page: Page, select: string, text: string): Promise<string> {
  const option = page.locator(`${select} option`, { hasText: text }).first();
  await option.waitFor({ state: 'attached' });
  const value = await option.getAttribute('value');
  assert.ok(value, `no option "${text}" in ${select}`);
  await page.selectOption(select, value);
  return (await option.textContent()) ?? '';
}

async function openNode(page: Page, id: string): Promise<void> {
  await page.locator(`#red-ui-workspace-chart g[id="${id}"] .red-ui-flow-node`).dblclick();
  await page.waitForSelector('#node-input-account', { state: 'visible' });
}

async function closeDialog(page: Page): Promise<void> {
  await page.locator('#node-dialog-ok').click();
  await page.waitForSelector('#node-input-account', { state: 'detached' });
}

describe('scenes, automations and history in a real browser', function () {
  this.timeout(120000);
  let sim: Simulator | undefined;
  let red: NodeRedInstance | undefined;
  let browser: Browser | undefined;
  const dirs: string[] = [];

  before(function () {
    requireChromium(this);
  });

  afterEach(async function () {
    if (browser && this.currentTest?.state === 'failed') {
      const name = `failed-${this.currentTest.title.replace(/\W+/g, '-')}`;
      await shot(browser.page, name).catch(() => undefined);
    }
    await browser?.close();
    await red?.stop();
    await sim?.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    browser = undefined;
    red = undefined;
    sim = undefined;
  });

  async function startRed(flows: (endpoint: string) => FlowNode[]): Promise<NodeRedInstance> {
    sim = await startSimulator({ port: 0 });
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-red-'));
    dirs.push(userDir);
    prepareUserDir({
      userDir,
      endpoint: sim.tokenapiUrl,
      accessToken: 'demo-access-token',
      examples: [],
    });
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows(sim.tokenapiUrl)));
    fs.writeFileSync(
      path.join(userDir, 'flows_cred.json'),
      JSON.stringify({ acc: { accessToken: 'demo-access-token' } }),
    );
    red = await startNodeRed(userDir, 0);
    return red;
  }

  it('picks a scene, an automation and a history property from the account (en-US)', async function () {
    const nodeRed = await startRed(pickerFlow);
    browser = await launchBrowser();
    const { page } = browser;
    await page.goto(`${nodeRed.url}/`);
    await page.waitForSelector('#red-ui-workspace-chart svg');

    await openNode(page, 'scn');
    // The scene whose lamp has left the family is marked.
    const reading = page.locator('#node-input-iotx-scenes option', { hasText: 'scene_reading' });
    await page
      .locator('#node-input-iotx-scenes option', { hasText: 'has left the family' })
      .first()
      .waitFor({ state: 'attached' });
    assert.equal(await reading.count(), 0, 'scenes are listed by name, not id');
    await pick(page, '#node-input-iotx-scenes', '观影 Movie time');
    assert.equal(await page.inputValue('#node-input-sceneId'), 'scene_movie');
    await shot(page, 'en-scene-picked');
    await closeDialog(page);

    await openNode(page, 'aut');
    const hall = await pick(page, '#node-input-iotx-automations', 'Hall light at sunset');
    assert.match(hall, /\(on\)/);
    assert.equal(await page.inputValue('#node-input-automationId'), 'auto_hall_sunset');
    await shot(page, 'en-automation-picked');
    await closeDialog(page);

    await openNode(page, 'his');
    await pick(page, '#node-input-iotx-device', 'living_sensor');
    await pick(page, '#node-input-iotx-property', 'temperature');
    assert.equal(await page.inputValue('#node-input-productId'), 'THSNS7J8K9');
    assert.equal(await page.inputValue('#node-input-property'), 'temperature');
    await shot(page, 'en-history-property-picked');
    await closeDialog(page);

    // The canvas labels name what was picked.
    for (const [id, text] of [
      ['scn', '观影 Movie time'],
      ['aut', 'Hall light at sunset: off'],
      ['his', 'living_sensor · temperature'],
    ]) {
      await page
        .locator(`#red-ui-workspace-chart g[id="${id}"]`, { hasText: text })
        .waitFor({ state: 'visible' });
    }
  });
});
