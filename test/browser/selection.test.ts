// The Target of the watch, control and call-action dialogs, and devices shared with the user in
// the device picker, as a person uses them: a real Node-RED on the simulator (whose demo user has
// two devices another user shares), Debian's Chromium in en-US and in zh-CN. A shared device is
// offered in its own group and picked like an owned one; choosing a room shows what the filter
// matches today (the simulator's own devices of that room, by name); a filter that names nothing
// marks the node invalid; the new rows fit the dialog (the dialog tour's measures). Screenshots:
// test/artifacts/selection/<lang>/.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ACCOUNT_NAMESPACE } from '../../lib/shared/palette';
import { ARTIFACTS, launchBrowser, requireChromium, type Browser } from '../support/browser';
import { startEditorRuntime, type EditorRuntime } from '../support/editor-runtime';
import { layoutProblems, rawKeys, untranslatedLabels } from './dialogs-layout';

const TOKEN = 'demo-access-token';
const TAB = 'sel-tab';
const ACCOUNT = 'sel-acc';
const WATCH = 'sel-watch';
const CONTROL = 'sel-control';
const ACTION = 'sel-action';
/** Saved with a filter selection that names nothing: invalid as loaded. */
const EMPTY_FILTER = 'sel-empty';
const NODE_FORM = '#dialog-form';
const DEMO_HOME = 'f_demo_home';
const LIVING_ROOM = 'r_living';
const LAMP = 'LIGHT0A1B2';

type FlowNode = Record<string, unknown> & { id: string; type: string };

interface PageNode {
  id: string;
  type: string;
  z: string;
  valid?: boolean;
  validationErrors?: string[];
  selection?: string;
  selectionFilter?: Record<string, unknown>;
  devices?: unknown[];
  deviceLabel?: string;
}
interface PageWindow {
  RED: {
    _(key: string, params?: Record<string, unknown>): string;
    nodes: { node(id: string): PageNode | null };
    workspaces: { show(id: string): void };
    editor: { edit(node: PageNode): void };
    view: { redraw(full?: boolean): void };
  };
  $: { active: number };
}

function flow(endpoint: string): FlowNode[] {
  const device = { productId: LAMP, productIdType: 'str', deviceNameType: 'str' };
  return [
    { id: TAB, type: 'tab', label: 'Selections' },
    { id: ACCOUNT, type: 'iot-explorer-account', name: 'Home', endpoint, timeout: '5000' },
    {
      id: WATCH,
      type: 'iot-explorer-watch',
      z: TAB,
      account: ACCOUNT,
      devices: [{ productId: LAMP, deviceName: 'living_lamp' }],
      mode: 'push',
      interval: 30,
      x: 200,
      y: 60,
      wires: [[]],
    },
    {
      id: CONTROL,
      type: 'iot-explorer-control',
      z: TAB,
      account: ACCOUNT,
      ...device,
      deviceName: 'living_lamp',
      data: 'payload',
      dataType: 'msg',
      x: 200,
      y: 120,
      wires: [[]],
    },
    {
      id: ACTION,
      type: 'iot-explorer-action',
      z: TAB,
      account: ACCOUNT,
      ...device,
      deviceName: 'living_lamp',
      actionId: 'light_blink',
      actionIdType: 'str',
      inputParams: 'payload',
      inputParamsType: 'msg',
      mode: 'sync',
      x: 200,
      y: 180,
      wires: [[]],
    },
    {
      id: EMPTY_FILTER,
      type: 'iot-explorer-watch',
      z: TAB,
      account: ACCOUNT,
      devices: [],
      mode: 'push',
      interval: 30,
      selection: 'filter',
      selectionFilter: {},
      x: 200,
      y: 240,
      wires: [[]],
    },
  ];
}

function startRuntime(): Promise<EditorRuntime> {
  return startEditorRuntime({
    name: 'iotx-selection',
    // The service names who shared a device (FromUserID) in this run.
    simulator: { home: { shareFromUserId: true } },
    nodesExcludes: ['node-red-dashboard'],
    flows: flow,
    credentials: { [ACCOUNT]: { accessToken: TOKEN } },
  });
}

/** A text of the account catalogue's editor section, in the page's language. */
function editorText(
  page: Page,
  key: string,
  params: Record<string, unknown> = {},
): Promise<string> {
  return page.evaluate(
    ({ fullKey, params }) => (window as unknown as PageWindow).RED._(fullKey, params),
    { fullKey: `${ACCOUNT_NAMESPACE}:editor.${key}`, params },
  );
}

function savedNode(page: Page, id: string): Promise<PageNode> {
  return page.evaluate((id) => {
    const node = (window as unknown as PageWindow).RED.nodes.node(id)!;
    return JSON.parse(
      JSON.stringify({
        id: node.id,
        type: node.type,
        z: node.z,
        valid: node.valid,
        validationErrors: node.validationErrors,
        selection: node.selection,
        selectionFilter: node.selectionFilter,
        devices: node.devices,
        deviceLabel: node.deviceLabel,
      }),
    ) as PageNode;
  }, id);
}

async function openDialog(page: Page, id: string): Promise<void> {
  await page.evaluate((id) => {
    const w = window as unknown as PageWindow;
    const node = w.RED.nodes.node(id)!;
    w.RED.workspaces.show(node.z);
    w.RED.editor.edit(node);
  }, id);
  await page.locator(NODE_FORM).waitFor({ state: 'visible' });
}

async function closeDialog(page: Page, button: 'ok' | 'cancel'): Promise<void> {
  await page.locator(`#node-dialog-${button}`).click();
  await page.locator(NODE_FORM).waitFor({ state: 'detached' });
}

/** Waits until no request of the editor is under way and nothing says "Loading…". */
async function settle(page: Page): Promise<void> {
  const loading = await editorText(page, 'loading');
  await page.waitForFunction(
    ({ form, loading }) => {
      const el = document.querySelector(form);
      if (!el || (window as unknown as PageWindow).$.active > 0) return false;
      return !Array.from(el.querySelectorAll('option, .iotx-line')).some(
        (o) => (o.textContent ?? '').trim() === loading,
      );
    },
    { form: NODE_FORM, loading },
    { polling: 100, timeout: 60000 },
  );
}

/** The open dialog's layout problems, by the dialog tour's measures. */
async function problemsOf(page: Page, lang: string): Promise<string[]> {
  const found = [
    ...(await page.$eval(NODE_FORM, layoutProblems)),
    ...(await page.$eval(NODE_FORM, rawKeys)).map((k) => `a catalogue key: ${k}`),
  ];
  if (lang === 'zh-CN') {
    for (const label of await page.$eval(NODE_FORM, untranslatedLabels)) {
      found.push(`a label left in English: ${label}`);
    }
  }
  return found;
}

async function shootDialog(page: Page, file: string): Promise<void> {
  const clip = await page.$eval(NODE_FORM, (el) => {
    const tray = el.closest('.red-ui-tray')!.getBoundingClientRect();
    const last = Array.from(el.children)
      .filter((c) => c.getClientRects().length > 0)
      .map((c) => c.getBoundingClientRect().bottom);
    const bottom = Math.min(tray.bottom, Math.max(...last, tray.top + 100) + 16);
    return { x: tray.left, y: tray.top, width: tray.width, height: bottom - tray.top };
  });
  await page.screenshot({ path: file, clip });
}

/** Whether the workspace shows the node's red triangle. */
async function redTriangle(page: Page, id: string): Promise<boolean> {
  await page.evaluate((id) => {
    const w = window as unknown as PageWindow;
    w.RED.workspaces.show(w.RED.nodes.node(id)!.z);
    w.RED.view.redraw(true);
  }, id);
  const badge = page.locator(`#red-ui-workspace-chart g[id="${id}"] .red-ui-flow-node-error`);
  return (await badge.count()) > 0 && (await badge.first().isVisible());
}

/** Chooses `value` in a select as a person does (a change event). */
async function choose(page: Page, id: string, value: string): Promise<void> {
  await page.selectOption(`#${id}`, value);
  await settle(page);
}

const PREVIEW = `${NODE_FORM} .iotx-selection-preview`;

/** A preview that counts `n` devices, in either language ("3 devices…", "…匹配 3 台设备…"). */
function count(n: number): RegExp {
  return new RegExp(`(^|\\D)${n}(\\D|$)`);
}

describe('selections and shared devices in the editor', function () {
  this.timeout(300000);
  let runtime: EditorRuntime | undefined;

  before(async function () {
    requireChromium(this);
    runtime = await startRuntime();
  });

  after(async function () {
    await runtime?.stop();
  });

  for (const lang of ['en-US', 'zh-CN']) {
    describe(lang, function () {
      let browser: Browser | undefined;
      let page: Page;
      let shots: string;

      before(async function () {
        browser = await launchBrowser(lang);
        page = browser.page;
        await page.setViewportSize({ width: 1280, height: 1600 });
        await page.goto(runtime!.red.url + '/', { timeout: 120000 });
        await page.waitForSelector('#red-ui-workspace-chart', { timeout: 60000 });
        await page.waitForFunction(
          (id) => Boolean((window as unknown as PageWindow).RED?.nodes?.node(id)),
          WATCH,
          { timeout: 60000 },
        );
        shots = path.join(ARTIFACTS, 'selection', lang);
        fs.rmSync(shots, { recursive: true, force: true });
        fs.mkdirSync(shots, { recursive: true });
      });

      after(async function () {
        await browser?.close();
      });

      afterEach(async function () {
        if (this.currentTest?.state !== 'failed') return;
        await page.screenshot({ path: path.join(shots, 'failed.png') }).catch(() => undefined);
        if (await page.locator('#node-dialog-cancel').isVisible()) {
          await closeDialog(page, 'cancel');
        }
      });

      it("offers a device shared with the user in the watch's picker, marked shared, and lists it like an owned one", async function () {
        await openDialog(page, WATCH);
        await settle(page);
        const group = page.locator('#node-input-iotx-device optgroup.iotx-shared-devices');
        assert.equal(await group.getAttribute('label'), await editorText(page, 'sharedWithMe'));
        // After the family's rooms: the last group of the select.
        const labels = await page.$$eval('#node-input-iotx-device optgroup', (groups) =>
          groups.map((g) => g.getAttribute('label')),
        );
        assert.equal(labels.at(-1), await editorText(page, 'sharedWithMe'));
        const shared = await group
          .locator('option')
          .evaluateAll((options) =>
            options.map((o) => ({ text: o.textContent, title: o.getAttribute('title') })),
          );
        const byUser = await editorText(page, 'sharedBy', { user: 'u-owner' });
        assert.deepEqual(
          shared.map((o) => o.title),
          [`${LAMP}/shared_lamp · ${byUser}`, `THSNS7J8K9/shared_sensor · ${byUser}`],
        );
        assert.match(shared[0].text ?? '', /^房主的落地灯 — shared_lamp/);
        // Picked: a row of the list, named and marked shared.
        const value = await group
          .locator('option')
          .first()
          .evaluate((o) => (o as HTMLOptionElement).value);
        await choose(page, 'node-input-iotx-device', value);
        const rows = page.locator('#node-input-devices-list .iotx-device-row');
        assert.equal(await rows.count(), 2);
        assert.equal(await rows.nth(1).locator('.iotx-device-name').inputValue(), 'shared_lamp');
        const alias = await rows.nth(1).locator('.iotx-device-alias').innerText();
        assert.equal(alias, `${await editorText(page, 'sharedMark')} · 房主的落地灯`);
        assert.deepEqual(await problemsOf(page, lang), []);
        await shootDialog(page, path.join(shots, 'watch-shared-device.png'));
        await closeDialog(page, 'ok');
        const saved = await savedNode(page, WATCH);
        assert.deepEqual(saved.devices, [
          { productId: LAMP, deviceName: 'living_lamp' },
          { productId: LAMP, deviceName: 'shared_lamp' },
        ]);
        assert.equal(saved.selection, 'devices');
        assert.deepEqual(saved.selectionFilter, {});
      });

      it("previews a room's devices as the filter is chosen, and saves the selection", async function () {
        await openDialog(page, WATCH);
        await settle(page);
        await choose(page, 'node-input-selection', 'filter');
        // The device rows give way to the filter's.
        assert.equal(await page.locator('#node-input-devices-list').isVisible(), false);
        assert.equal(await page.locator('#node-input-iotx-device').isVisible(), false);
        assert.equal(await page.locator('#node-input-iotx-filter-room').isVisible(), true);
        // Nothing chosen yet: the node cannot run, and says so.
        assert.equal(
          (await page.locator(PREVIEW).innerText()).trim(),
          await editorText(page, 'filterEmpty'),
        );
        assert.equal(
          await page
            .locator('#node-input-selection')
            .evaluate((s) => s.classList.contains('input-error')),
          true,
        );
        // A room of the demo home, chosen with no family: its family is chosen with it.
        await choose(page, 'node-input-iotx-filter-room', LIVING_ROOM);
        assert.equal(await page.inputValue('#node-input-iotx-filter-family'), DEMO_HOME);
        // The simulator's own devices of that room, by the names the user gave them.
        const inRoom = runtime!.sim.model
          .devicesInFamily(DEMO_HOME)
          .filter((d) => d.roomId === LIVING_ROOM);
        assert.ok(inRoom.length >= 2, 'the living room holds several devices');
        const names = inRoom.slice(0, 3).map((d) => d.aliasName || d.deviceName);
        const separator = await editorText(page, 'nameSeparator');
        const expected = await editorText(page, 'matches', {
          count: inRoom.length,
          names:
            names.join(separator) +
            (inRoom.length > 3 ? `${separator}${await editorText(page, 'moreNames')}` : ''),
        });
        assert.equal((await page.locator(PREVIEW).innerText()).trim(), expected);
        assert.equal(
          await page
            .locator('#node-input-selection')
            .evaluate((s) => s.classList.contains('input-error')),
          false,
        );
        assert.deepEqual(await problemsOf(page, lang), []);
        await shootDialog(page, path.join(shots, 'watch-filter-room.png'));
        // Only lamps: fewer devices, the preview follows.
        await choose(page, 'node-input-iotx-filter-product', LAMP);
        const lamps = inRoom.filter((d) => d.productId === LAMP);
        assert.equal(
          (await page.locator(PREVIEW).innerText()).trim(),
          await editorText(page, lamps.length === 1 ? 'matchesOne' : 'matches', {
            count: lamps.length,
            names: lamps.map((d) => d.aliasName || d.deviceName).join(separator),
          }),
        );
        await closeDialog(page, 'ok');
        const saved = await savedNode(page, WATCH);
        assert.equal(saved.selection, 'filter');
        assert.deepEqual(saved.selectionFilter, {
          familyId: DEMO_HOME,
          roomId: LIVING_ROOM,
          productId: LAMP,
        });
        assert.deepEqual(saved.validationErrors ?? [], []);
        assert.equal(await redTriangle(page, WATCH), false);
      });

      it('marks a node whose filter names nothing invalid, and valid again once it names something', async function () {
        // Saved so: invalid as loaded.
        const loaded = await savedNode(page, EMPTY_FILTER);
        assert.equal(loaded.valid, false);
        const emptyText = await editorText(page, 'filterEmpty');
        assert.deepEqual(loaded.validationErrors, [emptyText]);
        assert.equal(await redTriangle(page, EMPTY_FILTER), true);

        // Emptied in the dialog: invalid once saved.
        await openDialog(page, WATCH);
        await settle(page);
        for (const field of ['family', 'room', 'product']) {
          await choose(page, `node-input-iotx-filter-${field}`, '');
        }
        assert.equal((await page.locator(PREVIEW).innerText()).trim(), emptyText);
        await shootDialog(page, path.join(shots, 'watch-filter-empty.png'));
        await closeDialog(page, 'ok');
        const emptied = await savedNode(page, WATCH);
        assert.equal(emptied.valid, false);
        assert.deepEqual(emptied.validationErrors, [emptyText]);
        assert.deepEqual(emptied.selectionFilter, {});
        assert.equal(await redTriangle(page, WATCH), true);
        await page.screenshot({ path: path.join(shots, 'watch-marked-invalid.png') });

        // Shared with me: valid.
        await openDialog(page, WATCH);
        await settle(page);
        await choose(page, 'node-input-iotx-filter-shared', 'true');
        const shared = runtime!.sim.model.sharedWithUser('u-demo');
        assert.match((await page.locator(PREVIEW).innerText()).trim(), count(shared.length));
        await closeDialog(page, 'ok');
        const fixed = await savedNode(page, WATCH);
        assert.deepEqual(fixed.validationErrors ?? [], []);
        assert.deepEqual(fixed.selectionFilter, { shared: true });
        assert.equal(await redTriangle(page, WATCH), false);

        // Back to the listed devices: the filter is not kept.
        await openDialog(page, WATCH);
        await settle(page);
        await choose(page, 'node-input-selection', 'devices');
        assert.equal(await page.locator('#node-input-devices-list').isVisible(), true);
        await closeDialog(page, 'ok');
        const listed = await savedNode(page, WATCH);
        assert.equal(listed.selection, 'devices');
        assert.deepEqual(listed.selectionFilter, {});
      });

      it('targets every lamp of the home from the control and call-action dialogs', async function () {
        const lamps = [
          ...runtime!.sim.model.devicesInFamily(DEMO_HOME),
          ...runtime!.sim.model.sharedWithUser('u-demo'),
        ].filter((d) => d.productId === LAMP);
        for (const id of [CONTROL, ACTION]) {
          await openDialog(page, id);
          await settle(page);
          await choose(page, 'node-input-selection', 'filter');
          assert.equal(await page.locator('#node-input-productId').isVisible(), false);
          assert.equal(await page.locator('#node-input-iotx-family').isVisible(), false);
          await choose(page, 'node-input-iotx-filter-product', LAMP);
          const preview = (await page.locator(PREVIEW).innerText()).trim();
          assert.match(preview, count(lamps.length), preview);
          assert.deepEqual(await problemsOf(page, lang), []);
          await shootDialog(page, path.join(shots, `${id.replace('sel-', '')}-filter-product.png`));
          if (id === ACTION) {
            // The lamps' actions are offered, the saved one still chosen.
            const actions = await page.$$eval('#node-input-iotx-action option', (options) =>
              options.map((o) => o.textContent ?? ''),
            );
            assert.ok(
              actions.some((a) => a.includes('light_blink')),
              actions.join(),
            );
          }
          await closeDialog(page, 'ok');
          const saved = await savedNode(page, id);
          assert.equal(saved.selection, 'filter');
          assert.deepEqual(saved.selectionFilter, { productId: LAMP });
          assert.deepEqual(saved.validationErrors ?? [], []);
          if (id === ACTION) {
            // The canvas label names the product, as it names a picked device.
            assert.equal(saved.deviceLabel, runtime!.sim.model.products.get(LAMP)?.Name);
          }
        }
      });
    });
  }
});
