// Every node stores `version`: a node saved before versions has none, and the dialog saves the
// current one with the properties it writes (editor/fields.ts, showAbsentAsRuntime). A real
// Node-RED with our nodes and Debian's Chromium; the saved flows are read from disk.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { prepareUserDir, startNodeRed, type NodeRedInstance } from '../../demo/launch';
import { VERSIONS } from '../../nodes/all-settings';
import { startSimulator, type Simulator } from '../../simulator';
import { launchBrowser, requireChromium, shot, type Browser } from '../support/browser';

type FlowNode = Record<string, unknown> & { id: string; type: string };

/** Nodes as a flow saved before versions holds them: no `version` anywhere. */
function oldFlow(endpoint: string): FlowNode[] {
  return [
    { id: 'tab1', type: 'tab', label: 'Flow 1' },
    { id: 'acc', type: 'iot-explorer-account', name: 'Home', endpoint, timeout: '5000' },
    {
      id: 'act',
      type: 'iot-explorer-action',
      z: 'tab1',
      account: 'acc',
      productId: 'LIGHT0A1B2',
      deviceName: 'living_lamp',
      actionId: 'light_blink',
      x: 200,
      y: 100,
      wires: [[]],
    },
    {
      id: 'st',
      type: 'iot-explorer-state',
      z: 'tab1',
      account: 'acc',
      productId: 'LIGHT0A1B2',
      deviceName: 'living_lamp',
      x: 200,
      y: 200,
      wires: [[]],
    },
  ];
}

/** A node's `version` as the editor holds it now. */
function versionOf(page: Page, id: string): Promise<unknown> {
  return page.evaluate((nodeId) => {
    const red = (
      window as unknown as { RED: { nodes: { node(id: string): { version?: unknown } } } }
    ).RED;
    return red.nodes.node(nodeId).version;
  }, id);
}

async function openNode(page: Page, id: string): Promise<void> {
  await page.locator(`#red-ui-workspace-chart g[id="${id}"] .red-ui-flow-node`).dblclick();
  await page.waitForSelector('#node-input-account', { state: 'visible' });
}

describe('the version a node stores, in a real editor', function () {
  this.timeout(180000);
  let sim: Simulator | undefined;
  let red: NodeRedInstance | undefined;
  let browser: Browser | undefined;
  let userDir: string | undefined;

  before(function () {
    requireChromium(this);
  });

  after(async function () {
    await browser?.close();
    await red?.stop();
    await sim?.close();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('saves the current version from the dialog, and leaves a node only looked at as it was', async function () {
    sim = await startSimulator({ port: 0 });
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-red-'));
    prepareUserDir({ userDir, endpoint: sim.tokenapiUrl, accessToken: 'token', examples: [] });
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(oldFlow(sim.tokenapiUrl)));
    fs.writeFileSync(
      path.join(userDir, 'flows_cred.json'),
      JSON.stringify({ acc: { accessToken: 'token' } }),
    );
    red = await startNodeRed(userDir, 0);
    browser = await launchBrowser();
    const { page } = browser;
    await page.goto(red.url + '/');
    await page.waitForSelector('#red-ui-workspace-chart', { timeout: 60000 });
    await page.waitForFunction(() =>
      Boolean(
        (window as unknown as { RED?: { nodes?: { node(id: string): unknown } } }).RED?.nodes?.node(
          'st',
        ),
      ),
    );
    assert.equal(await versionOf(page, 'act'), undefined);

    // Opened and cancelled: nothing changes.
    await openNode(page, 'st');
    await page.locator('#node-dialog-cancel').click();
    await page.waitForSelector('#node-input-account', { state: 'detached' });
    assert.equal(await versionOf(page, 'st'), undefined);

    // Saved from the dialog, with its account's dialog saved too: both get their version.
    await openNode(page, 'act');
    assert.equal(
      await page.inputValue('#node-input-version'),
      String(VERSIONS['iot-explorer-action']),
    );
    await page.locator('#node-input-btn-account-edit').click();
    await page.waitForSelector('#node-config-input-endpoint', { state: 'visible' });
    await page.locator('#node-config-dialog-ok').click();
    await page.waitForSelector('#node-config-input-endpoint', { state: 'detached' });
    await shot(page, 'node-version-1-action');
    await page.locator('#node-dialog-ok').click();
    await page.waitForSelector('#node-input-account', { state: 'detached' });
    await page.locator('#red-ui-header-button-deploy').click();
    await page.waitForSelector('.red-ui-notification', { state: 'visible' });

    const saved = JSON.parse(
      fs.readFileSync(path.join(userDir, 'flows.json'), 'utf8'),
    ) as FlowNode[];
    const byId = new Map(saved.map((n) => [n.id, n]));
    // Node-RED saves a hidden field's value as text; the migration reads it as the number.
    assert.equal(byId.get('act')?.version, String(VERSIONS['iot-explorer-action']));
    assert.equal(byId.get('acc')?.version, String(VERSIONS['iot-explorer-account']));
    assert.equal(byId.get('st')?.version, undefined);
  });
});
