// Scenes, automations and history as a person sees them: the demo's Node-RED with FlowFuse
// Dashboard 2 (a dev dependency) and the simulator. The chart example's dashboard page, and the
// pickers of the scene, automation and history nodes' dialogs, in Debian's Chromium.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { prepareUserDir, startNodeRed, type NodeRedInstance } from '../../demo/launch';
import { startSimulator, type Simulator } from '../../simulator';
import { launchBrowser, requireChromium, shot, type Browser } from '../support/browser';

const EXAMPLE = '12 - Temperature of the last day on a chart.json';
/** The chart's first series colour in the example (ui-chart's default palette). */
const SERIES_RGB = [0x00, 0x95, 0xff];

/** What the chart's canvases show in the series colour: how many pixels, and how wide a span. */
interface SeriesInk {
  pixels: number;
  /** Left-most and right-most column with the colour, as a share of the canvas width. */
  from: number;
  to: number;
}

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

  async function startRed(flows?: (endpoint: string) => FlowNode[]): Promise<NodeRedInstance> {
    sim = await startSimulator({ port: 0 });
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-red-'));
    dirs.push(userDir);
    prepareUserDir({
      userDir,
      endpoint: sim.tokenapiUrl,
      accessToken: 'demo-access-token',
      examples: flows ? [] : [EXAMPLE],
    });
    if (flows) {
      fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows(sim.tokenapiUrl)));
      fs.writeFileSync(
        path.join(userDir, 'flows_cred.json'),
        JSON.stringify({ acc: { accessToken: 'demo-access-token' } }),
      );
    }
    red = await startNodeRed(userDir, 0);
    return red;
  }

  it("draws the sensor's last day on the chart example's dashboard page", async function () {
    const nodeRed = await startRed();
    // The example reads the history once at deploy (after 2 s): wait for that read.
    const until = Date.now() + 20000;
    while (!sim!.requests.some((r) => r.action === 'AppGetDeviceDataHistory')) {
      assert.ok(Date.now() < until, `no history read:\n${nodeRed.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    browser = await launchBrowser();
    const { page } = browser;
    await page.goto(`${nodeRed.url}/dashboard/temperature`);
    await page.locator('.nrdb-ui-chart canvas').first().waitFor({ state: 'visible' });
    await page.getByText('Living room').first().waitFor({ state: 'visible' });

    // Polls the chart's canvases for the series colour until the line has been drawn.
    let ink: SeriesInk = { pixels: 0, from: 1, to: 0 };
    const drawnBy = Date.now() + 20000;
    while (Date.now() < drawnBy) {
      ink = await page.evaluate((rgb: number[]) => {
        const out = { pixels: 0, from: 1, to: 0 };
        for (const canvas of Array.from(document.querySelectorAll('.nrdb-ui-chart canvas'))) {
          const c = canvas as HTMLCanvasElement;
          const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
          if (!data) continue;
          for (let i = 0; i < data.length; i += 4) {
            const near =
              Math.abs(data[i] - rgb[0]) < 30 &&
              Math.abs(data[i + 1] - rgb[1]) < 30 &&
              Math.abs(data[i + 2] - rgb[2]) < 30 &&
              data[i + 3] > 200;
            if (!near) continue;
            out.pixels += 1;
            const x = ((i / 4) % c.width) / c.width;
            out.from = Math.min(out.from, x);
            out.to = Math.max(out.to, x);
          }
        }
        return out;
      }, SERIES_RGB);
      if (ink.pixels > 500 && ink.to - ink.from > 0.5) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await shot(page, 'dashboard-temperature-chart');
    // A line of ~144 points across the day: many pixels of its colour, spread over the plot.
    assert.ok(ink.pixels > 500, `only ${ink.pixels} pixels of the series colour`);
    assert.ok(ink.to - ink.from > 0.5, `the line spans ${ink.from}…${ink.to} of the width`);
  });

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
