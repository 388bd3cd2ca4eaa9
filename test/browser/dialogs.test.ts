// The dialog tour: a newcomer imports every shipped example from the Import menu into a Node-RED
// without FlowFuse Dashboard 2, beside a flow of their own that keeps running, deploys, and opens
// every node of ours (those of the Dashboard 2 companion's examples too), in English and in Chinese (the editor's
// language chosen by the browser's, as a person's is). Each
// dialog, and each variant of it a mode select shows, must fit Node-RED's default dialog width:
// no label on two lines, no select cutting its text, no row ending short of the others, no
// catalogue key instead of words; and no shipped node is marked invalid, before or after its
// dialog is saved. Screenshots of every dialog go to test/artifacts/dialogs/<lang>/.
//
// Out-of-range input is marked: an InputParams (or a control node's Data) the product's data
// template refuses marks the node invalid once the editor has read the template; JSON that does
// not parse, at once; a node is never marked just because its account cannot be reached.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { COMPANION_EXAMPLES_DIR, examplePath, shippedExamples } from '../../demo/launch';
import { ACCOUNT_NAMESPACE } from '../../lib/shared/palette';
import { ARTIFACTS, launchBrowser, requireChromium, type Browser } from '../support/browser';
import { deploy, Heartbeat, HEARTBEAT_FLOW, importExample } from '../support/editor-import';
import { startEditorRuntime, type EditorRuntime } from '../support/editor-runtime';
import { layoutProblems, rawKeys, untranslatedLabels } from './dialogs-layout';

const TOKEN = 'demo-access-token';
const ACCOUNT_TYPE = 'iot-explorer-account';
/** Node-RED's edit dialog opens at this width unless its content asks for more. */
const DEFAULT_DIALOG_WIDTH = 500;
const NODE_FORM = '#dialog-form';
const CONFIG_FORM = '#node-config-dialog-edit-form';

type FlowNode = Record<string, unknown> & { id: string; type: string; z?: string };

/** The editor's page as these tests use it. */
interface PageNode {
  id: string;
  type: string;
  z: string;
  valid?: boolean;
  validationErrors?: string[];
}
/** What the import step reads of the editor's `RED`. */
interface ImportRed {
  nodes: {
    getType(type: string): unknown;
    filterNodes(filter: { type?: string }): Array<Record<string, unknown>>;
  };
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
  iotxTourLast?: string;
}

function readExample(file: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(examplePath(file), 'utf8')) as FlowNode[];
}

/**
 * The examples kept out of this package's Import menu (the Dashboard 2 companion's: they need
 * Dashboard 2). A Node-RED without it cannot import them whole, so their nodes of ours stand on
 * a tab of their own.
 */
function moreExamples(): string[] {
  return fs
    .readdirSync(COMPANION_EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** Our nodes of every example (Import menu, then the companion's), read at run time. */
function shippedNodes(): Array<{ example: string; node: FlowNode }> {
  const seen = new Set<string>();
  const found: Array<{ example: string; node: FlowNode }> = [];
  for (const file of [...shippedExamples(), ...moreExamples()]) {
    for (const node of readExample(file)) {
      if (!node.type.startsWith('iot-explorer-') || node.type === ACCOUNT_TYPE) continue;
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      found.push({ example: file.replace(/\.json$/, ''), node });
    }
  }
  return found;
}

// The nodes of the out-of-range checks, on a tab of their own beside the examples.
const CHECKS_TAB = 'iotx-checks-tab';
/** The nodes of ours of the companion's examples, unwired. */
const MORE_TAB = 'iotx-more-examples-tab';
/** In range: its dialog reads the lamp's template. */
const LAMP_CALL = 'iotx-check-lamp';
/** Saved out of range (time is 0…10): fine by JSON alone, refused once the template is read. */
const SAVED_OUT_OF_RANGE = 'iotx-check-saved';
/** InputParams that is not JSON at all: marked whatever the editor knows. */
const NOT_JSON = 'iotx-check-not-json';
/** A control node's Data out of range (brightness is 0…100). */
const CONTROL_OUT_OF_RANGE = 'iotx-check-control';
/** An account without a token, and a call through it out of range: never marked. */
const NO_TOKEN_ACCOUNT = 'iotx-check-no-token-account';
const NO_TOKEN_CALL = 'iotx-check-no-token';
/** A watch node of the lamp, an online status node of the lock, an automation node listing. */
const WATCH_LAMP = 'iotx-check-watch';
const STATUS_ONE = 'iotx-check-status';
const AUTOMATIONS_LISTED = 'iotx-check-automations';

function checkNodes(accountId: string, endpoint: string): FlowNode[] {
  const lampCall = (id: string, account: string, inputParams: string, y: number): FlowNode => ({
    id,
    type: 'iot-explorer-action',
    z: CHECKS_TAB,
    account,
    productId: 'LIGHT0A1B2',
    productIdType: 'str',
    deviceName: 'living_lamp',
    deviceNameType: 'str',
    actionId: 'light_blink',
    actionIdType: 'str',
    inputParams,
    inputParamsType: 'json',
    mode: 'sync',
    x: 200,
    y,
    wires: [[]],
  });
  return [
    { id: CHECKS_TAB, type: 'tab', label: 'Checks' },
    lampCall(LAMP_CALL, accountId, '{"time":3}', 60),
    lampCall(SAVED_OUT_OF_RANGE, accountId, '{"time":99}', 120),
    { ...lampCall(NOT_JSON, accountId, '{"time":', 180), productId: 'LOCK0C3D4E' },
    {
      id: CONTROL_OUT_OF_RANGE,
      type: 'iot-explorer-control',
      z: CHECKS_TAB,
      account: accountId,
      productId: 'LIGHT0A1B2',
      productIdType: 'str',
      deviceName: 'living_lamp',
      deviceNameType: 'str',
      data: '{"brightness":500}',
      dataType: 'json',
      x: 200,
      y: 240,
      wires: [[]],
    },
    { id: NO_TOKEN_ACCOUNT, type: ACCOUNT_TYPE, name: 'No token yet', endpoint, timeout: '5000' },
    lampCall(NO_TOKEN_CALL, NO_TOKEN_ACCOUNT, '{"time":99}', 300),
    {
      id: WATCH_LAMP,
      type: 'iot-explorer-watch',
      z: CHECKS_TAB,
      account: accountId,
      devices: [{ productId: 'LIGHT0A1B2', deviceName: 'living_lamp' }],
      mode: 'push',
      x: 500,
      y: 60,
      wires: [[]],
    },
    {
      id: STATUS_ONE,
      type: 'iot-explorer-status',
      z: CHECKS_TAB,
      account: accountId,
      devices: [{ productId: 'LOCK0C3D4E', deviceName: 'front_door' }],
      x: 500,
      y: 120,
      wires: [[]],
    },
    {
      id: AUTOMATIONS_LISTED,
      type: 'iot-explorer-automation',
      z: CHECKS_TAB,
      account: accountId,
      operation: 'list',
      familyId: '',
      x: 500,
      y: 180,
      wires: [[]],
    },
  ];
}

/** The nodes of ours of the companion's examples on one tab, unwired (their widgets are not loaded). */
function moreExampleNodes(): FlowNode[] {
  const nodes: FlowNode[] = [
    { id: MORE_TAB, type: 'tab', label: 'Dashboard 2 companion examples' },
  ];
  for (const file of moreExamples()) {
    for (const node of readExample(file)) {
      if (!node.type.startsWith('iot-explorer-') || node.type === ACCOUNT_TYPE) continue;
      nodes.push({ ...node, z: MORE_TAB, wires: (node.wires as unknown[]).map(() => []) });
    }
  }
  return nodes;
}

/**
 * Node-RED without Dashboard 2, holding the user's own flow (the heartbeat), the examples'
 * account already set up on the simulator with a token, the check nodes and the nodes of ours of
 * the companion's examples. The shipped examples come in through the Import menu, as a person's
 * do. Node-RED itself is left in its default language: the editor's is the browser's.
 */
function startRuntime(): Promise<EditorRuntime> {
  const account = readExample(shippedExamples()[0]).find((n) => n.type === ACCOUNT_TYPE);
  assert.ok(account, 'the shipped examples have an account node');
  return startEditorRuntime({
    name: 'iotx-tour',
    nodesExcludes: ['node-red-dashboard'],
    flows: (endpoint) => [
      ...HEARTBEAT_FLOW,
      { ...account, endpoint, name: 'My home (simulator)' },
      ...checkNodes(account.id, endpoint),
      ...moreExampleNodes(),
    ],
    // The token for the examples' account alone: the check's account has none.
    credentials: { [account.id]: { accessToken: TOKEN } },
  });
}

interface Editor {
  lang: string;
  browser: Browser;
  page: Page;
  /** Where this language's screenshots go. */
  shots: string;
}

/** Chromium in `lang` on the runtime's editor, once its flows are loaded. */
async function openEditor(runtime: EditorRuntime, lang: string): Promise<Editor> {
  const browser = await launchBrowser(lang);
  const { page } = browser;
  // Tall enough that the longest dialog is seen whole in its screenshot.
  await page.setViewportSize({ width: 1280, height: 1800 });
  // The first load of the editor is slow on a busy machine.
  await page.goto(runtime.red.url + '/', { timeout: 120000 });
  await page.waitForSelector('#red-ui-workspace-chart', { timeout: 60000 });
  await page.waitForFunction(
    (id) => Boolean((window as unknown as PageWindow).RED?.nodes?.node(id)),
    LAMP_CALL,
    { timeout: 60000 },
  );
  const shots = path.join(ARTIFACTS, 'dialogs', lang);
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  return { lang, browser, page, shots };
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

const loadingTexts = new WeakMap<Page, Promise<string>>();

/** The pickers' "Loading…" in the page's language. */
function loadingText(page: Page): Promise<string> {
  let text = loadingTexts.get(page);
  if (!text) loadingTexts.set(page, (text = editorText(page, 'loading')));
  return text;
}

/**
 * Waits until the dialog `form` is still: no request under way, nothing "Loading…", the tray
 * done sliding in (its place and the form's height the same at two polls in a row).
 */
async function settle(page: Page, form: string): Promise<void> {
  const loading = await loadingText(page);
  await page.waitForFunction(
    ({ form, loading }) => {
      const w = window as unknown as PageWindow;
      const el = document.querySelector(form);
      const tray = el?.closest('.red-ui-tray');
      if (!el || !tray) return false;
      const rect = tray.getBoundingClientRect();
      const now = `${form} ${rect.left} ${rect.width} ${el.scrollHeight}`;
      const before = w.iotxTourLast;
      w.iotxTourLast = now;
      if (w.$.active > 0) return false;
      const texts = Array.from(el.querySelectorAll('option, .iotx-line')).map((o) =>
        (o.textContent ?? '').trim(),
      );
      return !texts.includes(loading) && before === now;
    },
    { form, loading },
    { polling: 100, timeout: 60000 },
  );
}

/** The mode selects of a dialog: static choices that show and hide rows (not pickers). */
function modeSelects(page: Page, form: string): Promise<Array<{ id: string; values: string[] }>> {
  return page.$$eval(`${form} select[id]`, (selects) =>
    selects
      .filter(
        (s) =>
          s.getClientRects().length > 0 &&
          !s.closest('.iotx-picker, .iotx-fields') &&
          !s.parentElement?.querySelector('a[id$="-edit"]'),
      )
      .map((s) => ({
        id: s.id,
        values: Array.from((s as HTMLSelectElement).options).map((o) => o.value),
      })),
  );
}

/** The visible rows, to tell whether a choice changed what the dialog shows. */
function visibleRows(page: Page, form: string): Promise<string> {
  return page.$$eval(`${form} .form-row`, (rows) =>
    rows.map((r) => (r.getClientRects().length > 0 ? '1' : '0')).join(''),
  );
}

/** A screenshot of the open dialog: its title bar and its form, down to the form's end. */
async function shootDialog(page: Page, form: string, file: string): Promise<void> {
  const clip = await page.$eval(form, (el) => {
    const tray = el.closest('.red-ui-tray')!.getBoundingClientRect();
    const last = Array.from(el.children)
      .filter((c) => c.getClientRects().length > 0)
      .map((c) => c.getBoundingClientRect().bottom);
    const bottom = Math.min(tray.bottom, Math.max(...last, tray.top + 100) + 16);
    return { x: tray.left, y: tray.top, width: tray.width, height: bottom - tray.top };
  });
  await page.screenshot({ path: file, clip });
}

/**
 * Checks the open dialog `form` as it opened and in every state its mode selects give, then
 * puts the selects back. Each state that shows other rows gets a screenshot.
 */
async function tourDialog(
  editor: Editor,
  form: string,
  title: string,
  shotName: string,
): Promise<{ problems: string[]; shots: number }> {
  const { page } = editor;
  const problems: string[] = [];
  let shots = 0;
  await settle(page, form);
  const width = await page.$eval(
    form,
    (el) => el.closest('.red-ui-tray')!.getBoundingClientRect().width,
  );
  if (Math.abs(width - DEFAULT_DIALOG_WIDTH) > 1) {
    problems.push(`${title}: opened ${width}px wide, not Node-RED's ${DEFAULT_DIALOG_WIDTH}`);
  }
  const check = async (state: string, shot: boolean): Promise<void> => {
    await settle(page, form);
    const found = {
      layout: await page.$eval(form, layoutProblems),
      keys: await page.$eval(form, rawKeys),
    };
    for (const p of found.layout) problems.push(`${title}${state}: ${p}`);
    for (const key of found.keys) {
      problems.push(`${title}${state}: a catalogue key instead of words: "${key}"`);
    }
    if (editor.lang === 'zh-CN') {
      for (const label of await page.$eval(form, untranslatedLabels)) {
        problems.push(`${title}${state}: a label left in English: "${label}"`);
      }
    }
    if (shot) {
      const suffix = state.replace(/[^\w=]+/g, '-').replace(/-$/, '');
      await shootDialog(page, form, path.join(editor.shots, `${shotName}${suffix}.png`));
      shots++;
    }
  };
  await check('', true);
  const selects = await modeSelects(page, form);
  const original: Record<string, string> = {};
  for (const { id } of selects) original[id] = await page.inputValue(`#${id}`);
  for (const { id, values } of selects) {
    for (const value of values) {
      if (!(await page.locator(`#${id}`).isVisible())) break;
      if (value === (await page.inputValue(`#${id}`))) continue;
      const rows = await visibleRows(page, form);
      await page.selectOption(`#${id}`, value);
      const name = id.replace(/^node-(config-)?input-(iotx-)?/, '');
      await check(` [${name}=${value}]`, rows !== (await visibleRows(page, form)));
    }
  }
  // Back as it opened, last select first (an earlier one may hide a later one).
  for (const { id } of [...selects].reverse()) {
    await page.evaluate(
      ({ id, value }) => {
        const select = document.getElementById(id) as HTMLSelectElement;
        select.value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      },
      { id, value: original[id] },
    );
  }
  return { problems, shots };
}

/** Whether the node shows Node-RED's invalid marker (the red triangle), and why. */
async function invalidMarker(
  page: Page,
  id: string,
): Promise<{ shown: boolean; errors: string[] }> {
  await page.evaluate((id) => {
    const w = window as unknown as PageWindow;
    w.RED.workspaces.show(w.RED.nodes.node(id)!.z);
    w.RED.view.redraw(true);
  }, id);
  const node = page.locator(`#red-ui-workspace-chart g[id="${id}"]`).first();
  await node.waitFor({ state: 'attached' });
  const errors = await page.evaluate((id) => {
    const node = (window as unknown as PageWindow).RED.nodes.node(id)!;
    return node.valid === false ? (node.validationErrors ?? ['(no reason given)']) : [];
  }, id);
  const badge = node.locator('.red-ui-flow-node-error');
  const shown = (await badge.count()) > 0 && (await badge.first().isVisible());
  assert.equal(shown, errors.length > 0, `${id}: the red triangle and node.valid disagree`);
  return { shown, errors };
}

/** Opens a node's dialog as a double-click does, on its own tab. */
async function openNodeDialog(page: Page, id: string): Promise<void> {
  await page.evaluate((id) => {
    const w = window as unknown as PageWindow;
    const node = w.RED.nodes.node(id)!;
    w.RED.workspaces.show(node.z);
    w.RED.editor.edit(node);
  }, id);
  await page.locator(NODE_FORM).waitFor({ state: 'visible' });
}

async function closeNodeDialog(page: Page, button: 'ok' | 'cancel'): Promise<void> {
  await page.locator(`#node-dialog-${button}`).click();
  await page.locator(NODE_FORM).waitFor({ state: 'detached' });
}

/** Tours every shipped node's dialog (and the account's, once); returns every problem seen. */
async function tour(editor: Editor): Promise<{ problems: string[]; shots: number }> {
  const { page } = editor;
  const problems: string[] = [];
  let shots = 0;
  const nodes = shippedNodes();
  assert.ok(nodes.length > 0, 'the examples hold nodes of ours');
  const missing = await page.evaluate(
    (ids) => ids.filter((id) => !(window as unknown as PageWindow).RED.nodes.node(id)),
    nodes.map(({ node }) => node.id),
  );
  assert.deepEqual(missing, [], 'nodes of the examples not in the editor (imported?)');
  // As imported (what draws the red triangle; each node's drawing is checked once saved).
  const invalid = await page.evaluate(
    (ids) =>
      ids
        .map((id) => (window as unknown as PageWindow).RED.nodes.node(id)!)
        .filter((node) => node.valid === false)
        .map((node) => `${node.id} (${node.type}): ${(node.validationErrors ?? []).join('; ')}`),
    nodes.map(({ node }) => node.id),
  );
  for (const node of invalid) problems.push(`marked invalid as imported: ${node}`);
  let accountToured = false;
  for (const [i, { example, node }] of nodes.entries()) {
    const named = typeof node.name === 'string' && node.name ? ` "${node.name}"` : '';
    const title = `${example} › ${node.type}${named}`;
    const shotName = `${String(i + 1).padStart(2, '0')}-${example.slice(0, 2)}-${node.type.replace('iot-explorer-', '')}`;
    await openNodeDialog(page, node.id);
    const report = await tourDialog(editor, NODE_FORM, title, shotName);
    problems.push(...report.problems);
    shots += report.shots;
    const marked: string[] = await page.$$eval(`${NODE_FORM} .input-error`, (els) =>
      els.filter((el) => el.getClientRects().length > 0).map((el) => el.id || String(el.className)),
    );
    if (marked.length) problems.push(`${title}: fields marked wrong: ${marked.join(', ')}`);
    if (!accountToured && (await page.locator('#node-input-btn-account-edit').count()) > 0) {
      accountToured = true;
      await page.locator('#node-input-btn-account-edit').click();
      await page.locator(CONFIG_FORM).waitFor({ state: 'visible' });
      const account = await tourDialog(editor, CONFIG_FORM, `${example} › account`, '00-account');
      problems.push(...account.problems);
      shots += account.shots;
      await page.locator('#node-config-dialog-cancel').click();
      await page.locator(CONFIG_FORM).waitFor({ state: 'detached' });
    }
    await closeNodeDialog(page, 'ok');
    const after = await invalidMarker(page, node.id);
    if (after.shown)
      problems.push(`${title}: marked invalid once saved: ${after.errors.join('; ')}`);
  }
  assert.ok(accountToured, 'the account dialog was opened from a node');
  return { problems, shots };
}

/** The text the select `id` shows. */
function shownOption(page: Page, id: string): Promise<string> {
  return page.$eval(`#${id}`, (s) => {
    const select = s as HTMLSelectElement;
    return select.options[select.selectedIndex]?.text ?? '';
  });
}

describe('the dialog tour: every node of every shipped example, in both languages', function () {
  this.timeout(300000);
  let runtime: EditorRuntime | undefined;

  before(async function () {
    requireChromium(this);
    runtime = await startRuntime();
  });

  after(async function () {
    await runtime?.stop();
  });

  // First, as a newcomer does: every example from the Import menu, then Deploy. The tours below
  // open the nodes so imported.
  it("imports every shipped example from the Import menu beside the user's running flow, which keeps running", async function () {
    const heartbeat = new Heartbeat(runtime!.red.url);
    const browser = await launchBrowser('en-US');
    try {
      const { page } = browser;
      await page.goto(runtime!.red.url + '/', { timeout: 120000 });
      await page.waitForSelector('#red-ui-workspace-chart svg', { timeout: 60000 });
      await page.waitForFunction(() =>
        Boolean(
          (window as unknown as { RED?: ImportRed }).RED?.nodes?.getType('iot-explorer-action'),
        ),
      );
      assert.equal(
        await page.evaluate(() =>
          Boolean((window as unknown as { RED: ImportRed }).RED.nodes.getType('ui-chart')),
        ),
        false,
        'Dashboard 2 is not loaded',
      );
      await heartbeat.after(0, 2, 'before any import');
      for (const file of shippedExamples()) {
        const tab = readExample(file).find((n) => n.type === 'tab')!;
        await importExample(page, file.replace(/\.json$/, ''), tab.id);
      }
      const unknown = await page.evaluate(() =>
        (window as unknown as { RED: ImportRed }).RED.nodes
          .filterNodes({ type: 'unknown' })
          .map((n) => String(n.id)),
      );
      assert.deepEqual(unknown, [], 'node types the editor does not know');
      const deployed = await deploy(page);
      await heartbeat.after(deployed, 3, 'after deploying every shipped example');
      assert.equal(
        await page.locator('.red-ui-notification', { hasText: /missing node types/i }).count(),
        0,
        'Node-RED reports missing node types',
      );
    } finally {
      heartbeat.close();
      await browser.close();
    }
  });

  for (const lang of ['en-US', 'zh-CN']) {
    describe(lang, function () {
      let editor: Editor | undefined;

      before(async function () {
        editor = await openEditor(runtime!, lang);
      });

      after(async function () {
        await editor?.browser.close();
      });

      // A failed check leaves its dialogs open: close them for the next one.
      afterEach(async function () {
        if (this.currentTest?.state !== 'failed' || !editor) return;
        const { page } = editor;
        await page
          .screenshot({ path: path.join(editor.shots, 'failed.png') })
          .catch(() => undefined);
        for (const button of ['#node-config-dialog-cancel', '#node-dialog-cancel']) {
          if (await page.locator(button).isVisible()) await page.locator(button).click();
        }
        await page.locator(NODE_FORM).waitFor({ state: 'detached' });
      });

      if (lang === 'en-US') {
        it('marks a node invalid for out-of-range input once the template is read, never for an account it cannot reach', async function () {
          const { page } = editor!;
          const marker = (id: string) => invalidMarker(page, id);
          // Before any template is read: JSON syntax alone.
          assert.deepEqual((await marker(LAMP_CALL)).errors, []);
          assert.deepEqual((await marker(SAVED_OUT_OF_RANGE)).errors, []);
          assert.deepEqual((await marker(CONTROL_OUT_OF_RANGE)).errors, []);
          assert.deepEqual((await marker(NO_TOKEN_CALL)).errors, []);
          const notJson = await marker(NOT_JSON);
          assert.equal(notJson.shown, true);
          assert.match(notJson.errors.join(), /InputParams is not JSON/);

          // The lamp's dialog reads its template: the nodes saved out of range are marked now.
          await openNodeDialog(page, LAMP_CALL);
          await settle(page, NODE_FORM);
          const saved = await marker(SAVED_OUT_OF_RANGE);
          assert.equal(saved.shown, true);
          assert.match(saved.errors.join(), /time must be an integer in \[0, 10\], got 99/);
          const control = await marker(CONTROL_OUT_OF_RANGE);
          assert.match(
            control.errors.join(),
            /brightness must be an integer in \[0, 100\], got 500/,
          );

          // Out of range in the form: red in the dialog, marked in the workspace once saved.
          const time = page.locator('.iotx-fields .form-row', { hasText: 'time' }).first();
          await time.locator('input').fill('99');
          await page.locator('.iotx-fields input.input-error').waitFor();
          await page
            .locator('#node-input-inputParams + .red-ui-typedInput-container.input-error')
            .waitFor();
          await shootDialog(page, NODE_FORM, path.join(editor!.shots, 'check-out-of-range.png'));
          await closeNodeDialog(page, 'ok');
          const lamp = await marker(LAMP_CALL);
          assert.equal(lamp.shown, true);
          assert.match(lamp.errors.join(), /time must be an integer in \[0, 10\], got 99/);
          await page.screenshot({ path: path.join(editor!.shots, 'check-marked-invalid.png') });

          // Put back in range, it is valid again.
          await openNodeDialog(page, LAMP_CALL);
          await settle(page, NODE_FORM);
          await time.locator('input').fill('3');
          await closeNodeDialog(page, 'ok');
          assert.deepEqual((await marker(LAMP_CALL)).errors, []);

          // No token: the pickers say so, all of them alike; the node is not marked.
          await openNodeDialog(page, NO_TOKEN_CALL);
          await settle(page, NODE_FORM);
          const unavailable = await editorText(page, 'unavailable');
          assert.equal(await shownOption(page, 'node-input-iotx-family'), unavailable);
          assert.equal(await shownOption(page, 'node-input-iotx-device'), unavailable);
          await page.locator(`${NODE_FORM} .iotx-picker-line.iotx-error`).first().waitFor();
          await shootDialog(page, NODE_FORM, path.join(editor!.shots, 'check-no-token.png'));
          await closeNodeDialog(page, 'ok');
          assert.deepEqual((await marker(NO_TOKEN_CALL)).errors, []);
        });
      }

      if (lang === 'en-US') {
        it('names listed devices, counts one device as one, and offers nothing to pick when there is nothing', async function () {
          const { page } = editor!;
          // The watch's list shows each device's name in the app beside its ids.
          await openNodeDialog(page, WATCH_LAMP);
          await settle(page, NODE_FORM);
          const alias = page.locator('#node-input-devices-list .iotx-device-alias');
          assert.deepEqual(await alias.allInnerTexts(), ['客厅台灯']);
          await shootDialog(page, NODE_FORM, path.join(editor!.shots, 'check-watch-aliases.png'));
          await closeNodeDialog(page, 'cancel');

          // An automation node that lists: the line says how many, not what a pick would fill.
          await openNodeDialog(page, AUTOMATIONS_LISTED);
          await settle(page, NODE_FORM);
          assert.equal(await page.locator('#node-input-iotx-automations').isVisible(), false);
          const line = await page.locator(`${NODE_FORM} .iotx-picker-line`).innerText();
          const count = Number(/\d+/.exec(line)?.[0]);
          assert.ok(count > 1, line);
          assert.equal(line.trim(), await editorText(page, 'automationsListed', { count }));
          await closeNodeDialog(page, 'cancel');

          // One device listed: "1 device".
          await page.evaluate((id) => {
            const w = window as unknown as PageWindow;
            w.RED.workspaces.show(w.RED.nodes.node(id)!.z);
          }, STATUS_ONE);
          const status = page
            .locator(`#red-ui-workspace-chart g[id="${STATUS_ONE}"] .red-ui-flow-node-label`)
            .first();
          await status.waitFor({ state: 'attached' });
          const label = (await status.textContent())?.trim();
          assert.equal(label, 'online status · 1 device');
        });
      }

      it(`opens every dialog fitting the default width, worded, nothing marked invalid (${lang})`, async function () {
        const { page } = editor!;
        const started = Date.now();
        if (lang === 'zh-CN') {
          // The Chinese editor comes from the browser's language alone (the runtime was given
          // none): Node-RED's own header and our palette are in Chinese.
          assert.equal(await page.evaluate(() => navigator.language), 'zh-CN');
          assert.match(await page.locator('#red-ui-header-button-deploy').innerText(), /部署/);
          const palette = page.locator(
            '.red-ui-palette-node[data-palette-type="iot-explorer-action"] .red-ui-palette-label',
          );
          assert.match(await palette.innerText(), /[\u4e00-\u9fff]/);
        }
        const { problems, shots } = await tour(editor!);
        const seconds = Math.round((Date.now() - started) / 1000);
        console.log(
          `      ${shots} screenshots of dialogs (${lang}, ${seconds} s): ${editor!.shots}`,
        );
        assert.deepEqual(problems, []);
      });
    });
  }
});
