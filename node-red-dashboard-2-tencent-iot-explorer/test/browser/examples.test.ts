// The companion's examples deployed as they are (as Node-RED's import leaves them: the module
// hint left out, the shared account pointed at the simulator), together as a user who imports
// both gets them, and looked at in Debian's Chromium. Screenshots go to test/artifacts/.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareUserDir, startNodeRed, type NodeRedInstance } from '../../../demo/launch';
import { startSimulator, type Simulator } from '../../../simulator';
import { launchBrowser, requireChromium, shot, type Browser } from '../../../test/support/browser';

const HOME_EXAMPLE = '01 - Live panel of the home.json';
const CHART_EXAMPLE = '02 - Temperature of the last day on a chart.json';
/** The chart's first series colour in the example (ui-chart's default palette). */
const SERIES_RGB = [0x00, 0x95, 0xff];

/** What the chart's canvases show in the series colour: how many pixels, and how wide a span. */
interface SeriesInk {
  pixels: number;
  /** Left-most and right-most column with the colour, as a share of the canvas width. */
  from: number;
  to: number;
}

describe("the companion's examples in a real browser", function () {
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

  /** Node-RED with both packages and both examples (sharing their account and dashboard). */
  async function startExamples(): Promise<NodeRedInstance> {
    sim = await startSimulator({ port: 0 });
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-examples-'));
    dirs.push(userDir);
    prepareUserDir({
      userDir,
      endpoint: sim.tokenapiUrl,
      accessToken: 'demo-access-token',
      examples: [HOME_EXAMPLE, CHART_EXAMPLE],
    });
    red = await startNodeRed(userDir, 0);
    return red;
  }

  it("shows the home example's panel, read-only, at /dashboard", async function () {
    const nodeRed = await startExamples();
    browser = await launchBrowser();
    const { page } = browser;
    await page.goto(`${nodeRed.url}/dashboard`);
    await page.waitForFunction(() => document.querySelectorAll('.iotx-device').length >= 7);
    assert.match(page.url(), /\/dashboard\/home$/);
    const power = page.locator(
      '.iotx-device[data-device-id="LIGHT0A1B2/living_lamp"] .iotx-control[data-property="power_switch"]',
    );
    await power.waitFor();
    // Read-only as shipped: shown, not switchable.
    assert.equal(await power.getAttribute('data-writable'), 'false');
    assert.equal(await power.getAttribute('data-disabled'), 'true');
    await shot(page, 'example-live-panel');
  });

  it("draws the sensor's last day on the chart example's dashboard page", async function () {
    const nodeRed = await startExamples();
    // The example reads the history once at deploy (after 2 s): wait for that read.
    const until = Date.now() + 20000;
    while (!sim!.requests.some((r) => r.action === 'AppGetDeviceDataHistory')) {
      assert.ok(Date.now() < until, `no history read:\n${nodeRed.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    browser = await launchBrowser();
    const { page } = browser;
    // The dashboard's first page is the panel example's; the chart has a page of its own.
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
    await shot(page, 'example-temperature-chart');
    // A line of ~144 points across the day: many pixels of its colour, spread over the plot.
    assert.ok(ink.pixels > 500, `only ${ink.pixels} pixels of the series colour`);
    assert.ok(ink.to - ink.from > 0.5, `the line spans ${ink.from}…${ink.to} of the width`);
  });
});
