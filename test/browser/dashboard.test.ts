// The chart example as a person sees it: the demo's Node-RED with FlowFuse Dashboard 2 (a dev
// dependency), the example "Temperature of the last day on a chart" deployed against the
// simulator, and the dashboard page opened in Debian's Chromium. The screenshot goes to
// test/artifacts/ for a person to look at.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import {
  PROJECT_ROOT,
  prepareUserDir,
  startNodeRed,
  type NodeRedInstance,
} from '../../demo/launch';
import { startSimulator, type Simulator } from '../../simulator';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test', 'artifacts');
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

describe('the chart example in a real browser', function () {
  this.timeout(120000);
  let sim: Simulator | undefined;
  let red: NodeRedInstance | undefined;
  let context: BrowserContext | undefined;
  const dirs: string[] = [];

  before(function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI === 'true')
        throw new Error(`Chromium is required in CI: ${CHROMIUM} is missing`);
      console.log(`      (skipped: ${CHROMIUM} is absent; .ci/run installs it)`);
      this.skip();
    }
  });

  after(async function () {
    await context?.close().catch(() => undefined);
    await red?.stop();
    await sim?.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("draws the sensor's last day on the dashboard page", async function () {
    sim = await startSimulator({ port: 0 });
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-dash-'));
    dirs.push(userDir);
    prepareUserDir({
      userDir,
      endpoint: sim.tokenapiUrl,
      accessToken: 'demo-access-token',
      examples: [EXAMPLE],
    });
    red = await startNodeRed(userDir, 0);
    // The example reads the history once at deploy (after 2 s): wait for that read.
    const until = Date.now() + 20000;
    while (!sim.requests.some((r) => r.action === 'AppGetDeviceDataHistory')) {
      assert.ok(Date.now() < until, `no history read:\n${red.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-chromium-')));
    context = await chromium.launchPersistentContext(dirs[1], {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      viewport: { width: 1280, height: 800 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30000);
    await page.goto(`${red.url}/dashboard/temperature`);
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
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-temperature-chart.png') });
    // A line of ~144 points across the day: many pixels of its colour, spread over the plot.
    assert.ok(ink.pixels > 500, `only ${ink.pixels} pixels of the series colour`);
    assert.ok(ink.to - ink.from > 0.5, `the line spans ${ink.from}…${ink.to} of the width`);
  });
});
