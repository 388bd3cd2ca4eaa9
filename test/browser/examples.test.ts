// The shipped examples as a newcomer meets them, in Debian's Chromium: imported one by one from
// the editor's Import menu into a Node-RED that has no FlowFuse Dashboard 2, beside a flow of
// the user's that keeps running; and each example's layout as the editor draws it.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  COMPANION_EXAMPLES_DIR,
  examplePath,
  prepareUserDir,
  shippedExamples,
  startNodeRed,
  type NodeRedInstance,
} from '../../demo/launch';
import { startSimulator, type Simulator } from '../../simulator';
import { launchBrowser, requireChromium, shot, type Browser } from '../support/browser';
import { deploy, Heartbeat, HEARTBEAT_FLOW, importExample, menu } from '../support/editor-import';
import { layoutProblems, type DrawnWire, type PlacedNode } from '../support/layout';

const DASHBOARD = '@flowfuse/node-red-dashboard';
/** The examples that need Dashboard 2: the companion package's, out of this package's Import menu. */
const COMPANION_EXAMPLES = fs
  .readdirSync(COMPANION_EXAMPLES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const CHART_EXAMPLE = '02 - Temperature of the last day on a chart.json';

type FlowNode = Record<string, unknown> & { id: string; type: string };

interface EditorRed {
  nodes: {
    workspace(id: string): unknown;
    node(id: string): unknown;
    getType(type: string): unknown;
    filterNodes(filter: { z?: string; type?: string }): Array<Record<string, unknown>>;
    eachConfig(visit: (node: { type: string }) => void): void;
  };
  workspaces: { show(id: string): void };
  actions: { invoke(name: string): void };
}

/** The editor's `RED`, inside the page. */
declare const RED: EditorRed;

/** The nodes of a tab and its wires as drawn, once the editor shows the tab. */
async function drawnTab(
  page: Page,
  tab: string,
): Promise<{ nodes: PlacedNode[]; wires: DrawnWire[] }> {
  await page.evaluate((id) => RED.workspaces.show(id), tab);
  await page.waitForFunction((id) => {
    const nodes = RED.nodes.filterNodes({ z: id });
    return nodes.length > 0 && nodes.every((n) => typeof n.w === 'number' && n.w > 0);
  }, tab);
  return page.evaluate((id) => {
    const WITH_STATUS = ['function', 'mqtt in', 'mqtt out', 'http request', 'delay'];
    const nodes = RED.nodes.filterNodes({ z: id }).map((n) => {
      const type = String(n.type);
      return {
        id: String(n.id),
        label: typeof n.name === 'string' && n.name !== '' ? n.name : type,
        x: Number(n.x),
        y: Number(n.y),
        w: Number(n.w),
        h: Number(n.h),
        hasStatus:
          type.startsWith('iot-explorer-') ||
          WITH_STATUS.includes(type) ||
          (type === 'debug' && n.tostatus === true),
      };
    });
    const wires: { source: string; target: string; points: { x: number; y: number }[] }[] = [];
    document
      .querySelectorAll('#red-ui-workspace-chart path.red-ui-flow-link-line')
      .forEach((el) => {
        const link = (
          el as unknown as { __data__?: { source?: { id: string }; target?: { id: string } } }
        ).__data__;
        if (!link?.source || !link.target) return;
        const path = el as SVGPathElement;
        const length = path.getTotalLength();
        const points: { x: number; y: number }[] = [];
        for (let at = 0; at <= length; at += 4) {
          const p = path.getPointAtLength(at);
          points.push({ x: p.x, y: p.y });
        }
        wires.push({ source: link.source.id, target: link.target.id, points });
      });
    return { nodes, wires };
  }, tab);
}

function readExample(file: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(examplePath(file), 'utf8')) as FlowNode[];
}

describe('the shipped examples in the editor', function () {
  this.timeout(180000);
  const dirs: string[] = [];
  let red: NodeRedInstance | undefined;
  let browser: Browser | undefined;
  let sim: Simulator | undefined;

  before(function () {
    requireChromium(this);
  });

  after(async function () {
    await browser?.close();
    await red?.stop();
    await sim?.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('imported from the Import menu into a Node-RED without Dashboard 2', function () {
    let heartbeat: Heartbeat | undefined;
    const examples = shippedExamples();

    before(async function () {
      const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-import-'));
      dirs.push(userDir);
      // The checkout's Dashboard 2 (a dev dependency) is not loaded: a user's Node-RED without it.
      prepareUserDir({
        userDir,
        endpoint: 'http://127.0.0.1:9/',
        accessToken: 'unused',
        examples: [],
        nodesExcludes: ['node-red-dashboard'],
      });
      fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(HEARTBEAT_FLOW));
      fs.writeFileSync(path.join(userDir, 'flows_cred.json'), '{}');
      red = await startNodeRed(userDir, 0);
      heartbeat = new Heartbeat(red.url);
      browser = await launchBrowser();
      // The editor's first load is slow on a busy machine.
      await browser.page.goto(red.url + '/', { timeout: 120000 });
      await browser.page.waitForSelector('#red-ui-workspace-chart svg', { timeout: 60000 });
      await browser.page.waitForFunction(() => Boolean(RED.nodes.getType('iot-explorer-action')));
      assert.equal(
        await browser.page.evaluate(() => Boolean(RED.nodes.getType('ui-chart'))),
        false,
        'Dashboard 2 is not loaded',
      );
      await heartbeat.after(0, 2, 'before any import');
    });

    after(function () {
      heartbeat?.close();
    });

    afterEach(async function () {
      if (browser && this.currentTest?.state === 'failed') {
        await shot(browser.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(
          () => undefined,
        );
      }
    });

    it('offers only examples that need no module beyond Node-RED and this package, each with a catch node', function () {
      assert.ok(examples.length >= 11, `${examples.length} examples`);
      for (const file of examples) {
        const nodes = readExample(file);
        assert.ok(
          nodes.some((n) => n.type === 'catch'),
          `${file} has no catch node`,
        );
        for (const node of nodes) {
          assert.ok(!node.type.startsWith('ui-'), `${file}: ${node.type} needs Dashboard 2`);
          assert.notEqual(node.type, 'global-config', `${file}: a module hint`);
        }
      }
    });

    it("names the module the companion's chart example needs and offers to install it", async function () {
      // First, while nothing clashes with the example's ids: Node-RED reads the example's
      // module hint then (after a clash it lists the unknown node types instead).
      const page = browser!.page;
      await menu(page, 'menu-item-import');
      await page.locator('#red-ui-tab-red-ui-clipboard-dialog-import-tab-clipboard').click();
      const text = page.locator('#red-ui-clipboard-dialog-import-text');
      await text.fill(fs.readFileSync(examplePath(CHART_EXAMPLE), 'utf8'));
      // The dialog checks the text on a key press, as when a person pastes it.
      await text.press('End');
      await page.locator('#red-ui-clipboard-dialog-ok').click();
      const notice = page.locator('.red-ui-notification', { hasText: 'Required modules missing' });
      await notice.waitFor({ state: 'visible' });
      assert.match((await notice.textContent()) ?? '', new RegExp(DASHBOARD.replace('/', '\\/')));
      assert.equal(await notice.locator('button', { hasText: 'Install all' }).count(), 1);
      await shot(page, 'example-chart-module-missing');
      // Not deployed, and taken back: the user's flow runs on.
      await page.evaluate(() => RED.actions.invoke('core:undo'));
      await page.waitForFunction(() => RED.nodes.filterNodes({ type: 'unknown' }).length === 0);
      await heartbeat!.after(Date.now(), 2, 'after importing the chart example');
    });

    for (const file of examples) {
      const title = file.replace(/\.json$/, '');
      it(`imports "${title}", deploys it, and the user's flow keeps running`, async function () {
        const page = browser!.page;
        const tab = readExample(file).find((n) => n.type === 'tab')!;
        await importExample(page, title, tab.id);
        assert.equal(
          await page.evaluate(() => RED.nodes.filterNodes({ type: 'unknown' }).length),
          0,
          'a node type the editor does not know',
        );
        // One account for all the examples, as their descriptions promise.
        const accounts = await page.evaluate(() => {
          let count = 0;
          RED.nodes.eachConfig((n) => {
            if (n.type === 'iot-explorer-account') count++;
          });
          return count;
        });
        assert.equal(accounts, 1, 'the examples share one account node');
        await shot(page, `example-imported-${file.slice(0, 2)}`);
        const deployed = await deploy(page);
        await heartbeat!.after(deployed, 3, `after importing ${title}`);
        assert.equal(
          await page.locator('.red-ui-notification', { hasText: /missing node types/i }).count(),
          0,
          'Node-RED reports missing node types',
        );
      });
    }
  });

  describe('laid out so that nodes, status texts and wires stay clear', function () {
    before(async function () {
      await browser?.close();
      await red?.stop();
      sim = await startSimulator({ port: 0 });
      const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-layout-'));
      dirs.push(userDir);
      prepareUserDir({
        userDir,
        endpoint: sim.tokenapiUrl,
        accessToken: 'demo-access-token',
        examples: [...shippedExamples(), ...COMPANION_EXAMPLES],
      });
      red = await startNodeRed(userDir, 0);
      browser = await launchBrowser();
      // Wide enough to show the longest example whole in its screenshot.
      await browser.page.setViewportSize({ width: 1800, height: 900 });
      // The editor's first load is slow on a busy machine.
      await browser.page.goto(red.url + '/', { timeout: 120000 });
      await browser.page.waitForSelector('#red-ui-workspace-chart svg', { timeout: 60000 });
      await browser.page.waitForFunction(() => Boolean(RED.nodes.getType('ui-chart')));
    });

    const companion = (file: string): boolean => COMPANION_EXAMPLES.includes(file);
    for (const file of [...shippedExamples(), ...COMPANION_EXAMPLES]) {
      it(`"${file.replace(/\.json$/, '')}"${companion(file) ? ' (Dashboard 2 companion)' : ''}`, async function () {
        const page = browser!.page;
        const tab = readExample(file).find((n) => n.type === 'tab')!;
        const drawn = await drawnTab(page, tab.id);
        await shot(
          page,
          `example-layout-${companion(file) ? 'companion-' : ''}${file.slice(0, 2)}`,
        );
        assert.deepEqual(layoutProblems(drawn.nodes, drawn.wires), []);
      });
    }
  });
});
