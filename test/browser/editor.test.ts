// The editor as a person uses it: a real Node-RED with our nodes, the simulator, and Debian's
// Chromium driven by playwright-core. Screenshots go to test/artifacts/ for a person to look at.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  PROJECT_ROOT,
  prepareUserDir,
  startNodeRed,
  type NodeRedInstance,
} from '../../demo/launch';
import { startSimulator, type Simulator } from '../../simulator';
import { CHROMIUM, CHROMIUM_ARGS, debugMessage, requireChromium, shot } from '../support/browser';

const TOKEN = 'demo-access-token';

type FlowNode = Record<string, unknown> & { id: string; type: string };

/** inject → call action (not configured) → debug; with an account node when `account` is set. */
function userFlow(account?: { endpoint: string }): FlowNode[] {
  const flow: FlowNode[] = [
    { id: 'tab1', type: 'tab', label: 'Flow 1' },
    {
      id: 'inj',
      type: 'inject',
      z: 'tab1',
      name: 'press me',
      props: [{ p: 'payload' }],
      payload: '',
      payloadType: 'date',
      repeat: '',
      once: false,
      x: 140,
      y: 120,
      wires: [['act']],
    },
    {
      id: 'act',
      type: 'iot-explorer-action',
      z: 'tab1',
      account: '',
      // What a node dropped from the palette holds.
      inputParams: 'payload',
      inputParamsType: 'msg',
      x: 360,
      y: 120,
      wires: [['dbg']],
    },
    {
      id: 'dbg',
      type: 'debug',
      z: 'tab1',
      name: 'answer',
      active: true,
      tosidebar: true,
      complete: 'payload',
      targetType: 'msg',
      x: 580,
      y: 120,
      wires: [],
    },
  ];
  if (account) {
    flow.push({
      id: 'acc',
      type: 'iot-explorer-account',
      name: '我的家',
      endpoint: account.endpoint,
      timeout: '5000',
    });
    flow[2].account = 'acc';
  }
  return flow;
}

interface Session {
  sim: Simulator;
  red: NodeRedInstance;
  context: BrowserContext;
  page: Page;
  dirs: string[];
}

async function open(options: {
  lang: string;
  deployedAccount: boolean;
  /** More nodes for the flow's tab (`tab1`). */
  nodes?: FlowNode[];
}): Promise<Session> {
  const dirs = [fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-red-'))];
  const sim = await startSimulator({ port: 0 });
  const userDir = dirs[0];
  prepareUserDir({
    userDir,
    endpoint: sim.tokenapiUrl,
    accessToken: TOKEN,
    examples: [],
    lang: options.lang,
  });
  const flow = [
    ...userFlow(options.deployedAccount ? { endpoint: sim.tokenapiUrl } : undefined),
    ...(options.nodes ?? []),
  ];
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow));
  fs.writeFileSync(
    path.join(userDir, 'flows_cred.json'),
    JSON.stringify(options.deployedAccount ? { acc: { accessToken: TOKEN } } : {}),
  );
  return startEditor({ sim, dirs, lang: options.lang, nodeId: 'act' });
}

/** Starts Node-RED in `dirs[0]` and Chromium on its editor; resolves once `nodeId` is loaded. */
async function startEditor(options: {
  sim: Simulator;
  dirs: string[];
  lang: string;
  nodeId: string;
}): Promise<Session> {
  const { sim, dirs } = options;
  const red = await startNodeRed(dirs[0], 0);
  dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-chromium-')));
  const context = await chromium.launchPersistentContext(dirs[1], {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: options.lang,
    viewport: { width: 1600, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20000);
  await page.goto(red.url + '/', { timeout: 120000 });
  // The first load of the editor is slow on a busy machine.
  await page.waitForSelector('#red-ui-workspace-chart', { timeout: 60000 });
  await page.waitForFunction((id) => {
    const red = (window as unknown as { RED?: { nodes?: { node(id: string): unknown } } }).RED;
    return Boolean(red?.nodes?.node(id));
  }, options.nodeId);
  return { sim, red, context, page, dirs };
}

async function close(session: Session | undefined): Promise<void> {
  if (!session) return;
  await session.context.close().catch(() => undefined);
  await session.red.stop();
  await session.sim.close();
  for (const dir of session.dirs) fs.rmSync(dir, { recursive: true, force: true });
}

/** Double-clicks a node on the canvas, as a person opens its editor. */
async function openNode(page: Page, id: string): Promise<void> {
  await page.locator(`#red-ui-workspace-chart g[id="${id}"] .red-ui-flow-node`).dblclick();
  await page.waitForSelector('#node-input-account', { state: 'visible' });
}

/** Adds a new account through the pencil button and fills it in; leaves its dialog open. */
async function addAccount(page: Page, endpoint: string, token: string): Promise<void> {
  await page.locator('#node-input-btn-account-add').click();
  await page.waitForSelector('#node-config-input-accessToken', { state: 'visible' });
  await page.fill('#node-config-input-name', 'Home');
  await page.fill('#node-config-input-accessToken', token);
  await page.selectOption('#node-config-input-endpoint-preset', 'custom');
  await page.fill('#node-config-input-endpoint', endpoint);
}

/** Picks the option of a select whose text contains `text`, once it is there. */
async function pick(page: Page, select: string, text: string): Promise<void> {
  const option = page.locator(`${select} option`, { hasText: text }).first();
  await option.waitFor({ state: 'attached' });
  const value = await option.getAttribute('value');
  assert.ok(value, `no option "${text}" in ${select}`);
  await page.selectOption(select, value);
}

/** Picks the lamp and its blink action, fills the form, closes the dialog, deploys, injects. */
async function configureAndRun(session: Session, prefix: string): Promise<void> {
  const { page } = session;
  await pick(page, '#node-input-iotx-device', 'living_lamp');
  await pick(page, '#node-input-iotx-action', 'light_blink');
  const time = page.locator('.iotx-fields .form-row', { hasText: 'time' }).first().locator('input');
  await time.first().fill('3');
  await page
    .locator('.iotx-fields .form-row', { hasText: 'color' })
    .locator('input[type=checkbox]')
    .check();
  // An out-of-range value is marked red before it reaches the device.
  const total = page.locator('.iotx-fields .form-row', { hasText: 'total_time' }).locator('input');
  await total.fill('500');
  await page.waitForSelector('.iotx-fields input.input-error');
  await shot(page, `${prefix}-3-form-invalid`);
  await total.fill('');
  assert.equal(await page.locator('.iotx-fields input.input-error').count(), 0);
  assert.equal(await page.inputValue('#node-input-productId'), 'LIGHT0A1B2');
  assert.equal(await page.inputValue('#node-input-deviceName'), 'living_lamp');
  assert.equal(await page.inputValue('#node-input-actionId'), 'light_blink');
  assert.deepEqual(JSON.parse(await page.inputValue('#node-input-inputParams')), {
    time: 3,
    color: 1,
  });
  await shot(page, `${prefix}-4-action-configured`);
  await page.locator('#node-dialog-ok').click();
  await page.waitForSelector('#node-input-account', { state: 'detached' });
  await page.locator('#red-ui-header-button-deploy').click();
  await page.waitForSelector('.red-ui-notification', { state: 'visible' });
  // The canvas label shows the chosen device and action by name.
  await page
    .locator('#red-ui-workspace-chart g[id="act"]', { hasText: '客厅台灯' })
    .waitFor({ state: 'visible' });
  await page.locator('#red-ui-workspace-chart g[id="inj"] .red-ui-flow-node-button').click();
  await debugMessage(page, 'err_code');
  await shot(page, `${prefix}-5-debug-answer`);
  assert.deepEqual(
    session.sim.actionCalls.map((c) => [c.deviceName, c.actionId, c.params]),
    [['living_lamp', 'light_blink', { time: 3, color: 1 }]],
  );
}

// A shipped example as a person opens it, and what the palette and the account dialog show,
// in both languages.

const EXAMPLE = '01 - Blink a lamp every minute.json';
/** The call action node of that example: saved without `mode`, as every example is. */
const EXAMPLE_ACTION = 'e1000000000000a2';
const OUR_TYPES = [
  'iot-explorer-action',
  'iot-explorer-control',
  'iot-explorer-state',
  'iot-explorer-status',
  'iot-explorer-watch',
];

/** A text of one of our catalogues, as the editor shows it in `lang`. */
function catalogueText(lang: string, file: string, dotted: string): string {
  const catalogue = JSON.parse(
    fs.readFileSync(
      path.join(PROJECT_ROOT, 'nodes', file, 'locales', lang, `${file}.json`),
      'utf8',
    ),
  ) as Record<string, unknown>;
  const found = dotted
    .split('.')
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], catalogue);
  assert.equal(typeof found, 'string', `${lang}/${file}: ${dotted}`);
  return found as string;
}

/** Node-RED with an example deployed as it ships (its account pointed at the simulator). */
async function openExample(lang: string): Promise<Session> {
  const dirs = [fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-red-'))];
  const sim = await startSimulator({ port: 0 });
  prepareUserDir({
    userDir: dirs[0],
    endpoint: sim.tokenapiUrl,
    accessToken: TOKEN,
    examples: [EXAMPLE],
    lang,
  });
  return startEditor({ sim, dirs, lang, nodeId: EXAMPLE_ACTION });
}

/** The rendered height of a palette node's label. */
async function paletteLabelHeight(page: Page, type: string): Promise<number> {
  const label = page.locator(
    `.red-ui-palette-node[data-palette-type="${type}"] .red-ui-palette-label`,
  );
  await label.waitFor({ state: 'visible' });
  return label.evaluate((el) => el.getBoundingClientRect().height);
}

async function checkExample(session: Session, lang: string): Promise<void> {
  const { page } = session;
  const prefix = `${lang}-example`;
  // Every palette label of ours fits on one line, as the inject node's does.
  const oneLine = await paletteLabelHeight(page, 'inject');
  assert.ok(oneLine > 0);
  for (const type of OUR_TYPES) {
    const height = await paletteLabelHeight(page, type);
    assert.ok(height <= oneLine, `${type}'s palette label wraps (${height} > ${oneLine} px)`);
  }
  await shot(page, `${prefix}-1-palette`);

  // The call action node was saved without `mode`: it shows the synchronous call it makes.
  await openNode(page, EXAMPLE_ACTION);
  assert.equal(await page.inputValue('#node-input-mode'), 'sync');
  assert.equal(
    (await page.locator('#node-input-mode option:checked').innerText()).trim(),
    catalogueText(lang, 'iot-explorer-action', 'iot-explorer-action.mode.sync'),
  );
  assert.equal(await page.inputValue('#node-input-productId'), 'LIGHT0A1B2');
  assert.equal(await page.inputValue('#node-input-actionId'), 'light_blink');
  // The saved InputParams come back into the form.
  await page.locator('.iotx-fields .form-row', { hasText: 'time' }).first().waitFor();
  await shot(page, `${prefix}-2-action`);

  // The account dialog: a proper title, placeholders for the defaults, no empty hint.
  await page.locator('#node-input-btn-account-edit').click();
  await page.waitForSelector('#node-config-input-maxInFlight', { state: 'visible' });
  const accountLabel = catalogueText(
    lang,
    'iot-explorer-account',
    'iot-explorer-account.label.default',
  );
  await page.locator('.red-ui-tray-titlebar', { hasText: accountLabel }).first().waitFor();
  await page.fill('#node-config-input-maxInFlight', '');
  await page.fill('#node-config-input-maxQueue', '');
  assert.equal(await page.getAttribute('#node-config-input-maxInFlight', 'placeholder'), '10');
  assert.equal(await page.getAttribute('#node-config-input-maxQueue', 'placeholder'), '1000');
  const hint = page.locator('#node-config-expireAt-hint');
  assert.equal(await hint.isVisible(), false, 'an empty box under Expires at');
  await page.fill('#node-config-input-tokenExpireAt', '2030-01-01 08:00');
  await hint.waitFor({ state: 'visible' });
  assert.notEqual((await hint.innerText()).trim(), '');
  await shot(page, `${prefix}-3-account`);
  await page.fill('#node-config-input-tokenExpireAt', '');
  await hint.waitFor({ state: 'hidden' });
  await page.locator('#node-config-dialog-cancel').click();
  await page.waitForSelector('#node-config-input-maxInFlight', { state: 'detached' });
}

describe('the editor in a real browser', function () {
  this.timeout(120000);
  let session: Session | undefined;

  before(function () {
    requireChromium(this);
  });

  afterEach(async function () {
    if (session && this.currentTest?.state === 'failed') {
      await shot(session.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(
        () => undefined,
      );
    }
    await close(session);
    session = undefined;
  });

  it('gets a device to answer from an empty editor without typing an id (en-US)', async function () {
    session = await open({ lang: 'en-US', deployedAccount: false });
    const { page, sim } = session;
    await shot(page, 'en-1-empty-editor');
    await openNode(page, 'act');
    await addAccount(page, sim.tokenapiUrl, TOKEN);
    await page.locator('#node-config-iotx-test').click();
    await page.locator('#node-config-iotx-test-result', { hasText: 'u-demo' }).waitFor();
    await shot(page, 'en-2-account-test-connection');
    await page.locator('#node-config-dialog-ok').click();
    await page.waitForSelector('#node-config-input-accessToken', { state: 'detached' });
    await page.locator('label[for="node-input-iotx-device"]', { hasText: 'Device' }).waitFor();
    await configureAndRun(session, 'en');
    // The token was typed in the editor, travelled to the admin API, and never came back.
    const content = await page.content();
    assert.equal(content.includes(TOKEN), false, 'token found in the editor page');
  });

  it('says clearly, with the API code, that a wrong token is refused (en-US)', async function () {
    session = await open({ lang: 'en-US', deployedAccount: false });
    const { page, sim } = session;
    await openNode(page, 'act');
    await addAccount(page, sim.tokenapiUrl, 'wrong-token-5d1e');
    await page.locator('#node-config-iotx-test').click();
    const result = page.locator('#node-config-iotx-test-result.iotx-error');
    await result.waitFor({ state: 'visible' });
    const text = await result.innerText();
    assert.match(text, /InvalidParameterValue\.InvalidAccessToken/);
    assert.match(text, /refused/);
    assert.equal(text.includes('wrong-token-5d1e'), false);
    await shot(page, 'en-wrong-token-test-connection');
    await page.locator('#node-config-dialog-ok').click();
    await page.waitForSelector('#node-config-input-accessToken', { state: 'detached' });
    const pickerLine = page.locator('.iotx-picker-line.iotx-error', {
      hasText: 'InvalidParameterValue.InvalidAccessToken',
    });
    await pickerLine.first().waitFor({ state: 'visible' });
    await shot(page, 'en-wrong-token-picker');
  });

  it('watches the lamp and the lock picked from the account; a status node takes a list (en-US)', async function () {
    const watch: FlowNode = {
      id: 'watch',
      type: 'iot-explorer-watch',
      z: 'tab1',
      account: 'acc',
      devices: [],
      watchState: true,
      watchOnline: true,
      interval: 5,
      x: 360,
      y: 220,
      wires: [],
    };
    const status: FlowNode = {
      id: 'status',
      type: 'iot-explorer-status',
      z: 'tab1',
      account: 'acc',
      x: 360,
      y: 300,
      wires: [],
    };
    session = await open({ lang: 'en-US', deployedAccount: true, nodes: [watch, status] });
    const { page } = session;
    await openNode(page, 'watch');
    await pick(page, '#node-input-iotx-device', 'living_lamp');
    await page.locator('.iotx-picker-line', { hasText: 'added to the list' }).waitFor();
    // One product listed: its properties are offered; ticking one fills the filter.
    await page.locator('.iotx-property', { hasText: 'brightness' }).locator('input').check();
    assert.equal(await page.inputValue('#node-input-properties'), 'brightness');
    await shot(page, 'en-watch-properties');
    await page.fill('#node-input-properties', 'brightness power_switch');
    await page.locator('#node-input-properties').dispatchEvent('input');
    assert.equal(
      await page
        .locator('.iotx-property', { hasText: 'power_switch' })
        .locator('input')
        .isChecked(),
      true,
    );
    await pick(page, '#node-input-iotx-device', 'front_door');
    // The same device again is not listed twice.
    await pick(page, '#node-input-iotx-device', 'living_lamp');
    await page.locator('.iotx-picker-line', { hasText: 'already in the list' }).waitFor();
    assert.deepEqual(
      await page
        .locator('#node-input-devices-list .iotx-device-name')
        .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value)),
      ['living_lamp', 'front_door'],
    );
    // Two products: no boxes, the typed filter stays.
    await page.locator('.iotx-property-picker').waitFor({ state: 'hidden' });
    await shot(page, 'en-watch-picked');
    await page.locator('#node-dialog-ok').click();
    await page.waitForSelector('#node-input-account', { state: 'detached' });
    await page.locator('#red-ui-header-button-deploy').click();
    await page
      .locator('#red-ui-workspace-chart g[id="watch"] .red-ui-flow-node-status-label', {
        hasText: '2 devices',
      })
      .waitFor({ state: 'visible' });
    const saved = await page.evaluate(() => {
      const red = (window as unknown as { RED: { nodes: { node(id: string): unknown } } }).RED;
      const node = red.nodes.node('watch') as { devices: unknown; properties: unknown };
      return { devices: node.devices, properties: node.properties };
    });
    assert.deepEqual(saved, {
      devices: [
        { productId: 'LIGHT0A1B2', deviceName: 'living_lamp' },
        { productId: 'LOCK0C3D4E', deviceName: 'front_door' },
      ],
      properties: 'brightness power_switch',
    });
    // The online status node takes a list from the same picker.
    await openNode(page, 'status');
    await page.selectOption('#node-input-iotx-ask', 'list');
    await pick(page, '#node-input-iotx-device', 'front_door');
    await page.locator('#node-input-devices-list .iotx-device-name').first().waitFor();
    await shot(page, 'en-status-list');
    await page.locator('#node-dialog-ok').click();
    await page.waitForSelector('#node-input-account', { state: 'detached' });
    const statusNode = await page.evaluate(() => {
      const red = (window as unknown as { RED: { nodes: { node(id: string): unknown } } }).RED;
      const node = red.nodes.node('status') as { devices: unknown; productId: unknown };
      return { devices: node.devices, productId: node.productId };
    });
    assert.deepEqual(statusNode, {
      devices: [{ productId: 'LOCK0C3D4E', deviceName: 'front_door' }],
      productId: '',
    });
  });

  it('opens a watch node saved before push as polling and offers push; a push node goes live; the account shows its push URL (en-US)', async function () {
    const oldWatch: FlowNode = {
      id: 'oldWatch',
      type: 'iot-explorer-watch',
      z: 'tab1',
      account: 'acc',
      devices: [{ productId: 'LIGHT0A1B2', deviceName: 'living_lamp' }],
      watchState: true,
      watchOnline: true,
      interval: 30,
      x: 360,
      y: 220,
      wires: [],
    };
    const bell: FlowNode = {
      id: 'bell',
      type: 'iot-explorer-watch',
      z: 'tab1',
      account: 'acc',
      devices: [{ productId: 'DOORBL1M2N', deviceName: 'front_bell' }],
      mode: 'push',
      watchState: false,
      watchOnline: false,
      watchEvents: true,
      watchActions: false,
      interval: 30,
      x: 360,
      y: 300,
      wires: [],
    };
    session = await open({ lang: 'en-US', deployedAccount: true, nodes: [oldWatch, bell] });
    const { page, sim } = session;
    const statusOf = (id: string, text: string | RegExp) =>
      page
        .locator(`#red-ui-workspace-chart g[id="${id}"] .red-ui-flow-node-status-label`, {
          hasText: text,
        })
        .waitFor({ state: 'visible' });
    await statusOf('bell', /^live · 1 of 1 device$/);
    await statusOf('oldWatch', /^polling 1 device · /);

    // Saved without a mode: it polls, and opens saying so, with push offered.
    await openNode(page, 'oldWatch');
    assert.equal(await page.inputValue('#node-input-mode'), 'poll');
    await page.locator('.iotx-watch-offer-push').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#node-input-interval').isVisible(), true);
    assert.equal(await page.locator('#node-input-watchEvents').isDisabled(), true);
    assert.equal(await page.locator('.iotx-watch-push-only').isVisible(), true);
    await shot(page, 'en-watch-old-poll');
    await page.selectOption('#node-input-mode', 'push');
    await page.locator('.iotx-watch-offer-push').waitFor({ state: 'hidden' });
    assert.equal(await page.locator('#node-input-interval').isVisible(), false);
    assert.equal(await page.locator('#node-input-watchEvents').isDisabled(), false);
    await page.locator('#node-input-watchEvents').check();
    await shot(page, 'en-watch-push');

    // The account's Push URL: blank derives the simulator's socket; the guess is marked.
    await page.locator('#node-input-btn-account-edit').click();
    await page.waitForSelector('#node-config-input-pushUrl', { state: 'visible' });
    const derived = sim.pushUrl;
    // The derived URL is too long for the field: the hint under it names it, the field says why.
    assert.equal(
      await page.getAttribute('#node-config-input-pushUrl', 'placeholder'),
      'blank: from the API endpoint',
    );
    const hint = page.locator('#node-config-pushUrl-hint');
    const hintText = await hint.innerText();
    assert.ok(hintText.includes(derived), hintText);
    assert.deepEqual(
      await page
        .locator('#node-config-iotx-push-urls option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
      [
        'wss://iot.cloud.tencent.com/ws/explorer',
        'wss://iot.cloud.tencent.com/iotstudio_v2_weapp_1',
        'wss://oversea.iotcloud.tencentiotcloud.com/ws/explorer',
      ],
    );
    await page.fill(
      '#node-config-input-pushUrl',
      'wss://oversea.iotcloud.tencentiotcloud.com/ws/explorer',
    );
    await page.locator('#node-config-pushUrl-hint', { hasText: 'guess' }).waitFor();
    await page.fill('#node-config-input-pushUrl', 'http://not-a-socket');
    await page.locator('#node-config-pushUrl-hint', { hasText: 'Not a ws://' }).waitFor();
    await shot(page, 'en-account-push-url');
    await page.fill('#node-config-input-pushUrl', '');
    await page.locator('#node-config-dialog-cancel').click();
    await page.waitForSelector('#node-config-input-pushUrl', { state: 'detached' });

    await page.locator('#node-dialog-ok').click();
    await page.waitForSelector('#node-input-account', { state: 'detached' });
    const saved = await page.evaluate(() => {
      const red = (window as unknown as { RED: { nodes: { node(id: string): unknown } } }).RED;
      const node = red.nodes.node('oldWatch') as { mode: unknown; watchEvents: unknown };
      return { mode: node.mode, watchEvents: node.watchEvents };
    });
    assert.deepEqual(saved, { mode: 'push', watchEvents: true });
    await page.locator('#red-ui-header-button-deploy').click();
    await statusOf('oldWatch', /^live · 1 of 1 device$/);
  });

  it('signs in from the dialog of an account not deployed yet, then picks (en-US)', async function () {
    session = await open({ lang: 'en-US', deployedAccount: false });
    const { page, sim } = session;
    await openNode(page, 'act');
    await page.locator('#node-input-btn-account-add').click();
    await page.waitForSelector('#node-config-input-authMode', { state: 'visible' });
    await page.fill('#node-config-input-name', 'Home');
    await page.selectOption('#node-config-input-authMode', 'signin');
    await page.selectOption('#node-config-input-endpoint-preset', 'custom');
    await page.fill('#node-config-input-endpoint', sim.tokenapiUrl);
    await page.fill('#node-config-input-appKey', 'demoAppKey');
    await page.fill('#node-config-input-appSecret', 'demoAppSecret');
    await page.selectOption('#node-config-input-loginType', 'email');
    await page.fill('#node-config-input-email', 'demo@example.com');
    await page.fill('#node-config-input-password', 'not-the-password');
    await page.locator('#node-config-iotx-test').click();
    const refused = page.locator('#node-config-iotx-test-result.iotx-error');
    await refused.waitFor({ state: 'visible' });
    assert.match(await refused.innerText(), /InvalidParameterValue\.UserLoginFailed/);
    await shot(page, 'en-signin-wrong-password');
    await page.fill('#node-config-input-password', 'demo-password');
    await page.locator('#node-config-iotx-test').click();
    await page.locator('#node-config-iotx-test-result.iotx-ok', { hasText: 'u-demo' }).waitFor();
    await shot(page, 'en-signin-test-connection');
    await page.locator('#node-config-dialog-ok').click();
    await page.waitForSelector('#node-config-input-authMode', { state: 'detached' });
    await pick(page, '#node-input-iotx-device', 'living_lamp');
    const signIns = sim.requests.filter((r) => r.action === 'AppGetToken').length;
    assert.ok(signIns >= 3, `one sign-in per request, ${signIns}`);
    const tokens = sim.requests
      .map((r) => (r.body as { AccessToken?: unknown }).AccessToken)
      .filter((t): t is string => typeof t === 'string');
    assert.ok(tokens.length > 0);
    const content = await page.content();
    for (const token of tokens) assert.equal(content.includes(token), false, 'a token in the page');
  });

  it('works in Chinese with a deployed account (zh-CN)', async function () {
    session = await open({ lang: 'zh-CN', deployedAccount: true });
    const { page } = session;
    await openNode(page, 'act');
    await page.locator('label[for="node-input-iotx-device"]', { hasText: '设备' }).waitFor();
    await page.locator('label[for="node-input-iotx-family"]', { hasText: '家庭' }).waitFor();
    await page.locator('#node-input-iotx-family option', { hasText: '我的家' }).waitFor({
      state: 'attached',
    });
    await configureAndRun(session, 'zh');
  });

  for (const lang of ['en-US', 'zh-CN']) {
    it(`opens a shipped example as it runs, with one-line palette labels and a tidy account dialog (${lang})`, async function () {
      session = await openExample(lang);
      await checkExample(session, lang);
    });
  }
});
