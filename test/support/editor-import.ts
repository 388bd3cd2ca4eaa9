// Importing examples as a person does, and the user's own flow that must keep running meanwhile:
// shared by the browser tests that import the shipped examples (the examples test and the
// dialog tour).

import type { Page } from 'playwright-core';
import WebSocket from 'ws';

export const PACKAGE = '@homeflow/node-red-tencent-iot-explorer';

type FlowNode = Record<string, unknown> & { id: string; type: string };

/** The user's own flow: an inject every 200 ms into a debug node named "heartbeat". */
export const HEARTBEAT_FLOW: FlowNode[] = [
  { id: 'c0ffee0000000001', type: 'tab', label: 'My own flow', disabled: false, info: '' },
  {
    id: 'c0ffee0000000002',
    type: 'inject',
    z: 'c0ffee0000000001',
    name: 'every 200 ms',
    props: [{ p: 'payload' }],
    repeat: '0.2',
    crontab: '',
    once: true,
    onceDelay: '0.1',
    topic: '',
    payload: '',
    payloadType: 'date',
    x: 140,
    y: 80,
    wires: [['c0ffee0000000003']],
  },
  {
    id: 'c0ffee0000000003',
    type: 'debug',
    z: 'c0ffee0000000001',
    name: 'heartbeat',
    active: true,
    tosidebar: true,
    console: false,
    tostatus: false,
    complete: 'payload',
    targetType: 'msg',
    x: 340,
    y: 80,
    wires: [],
  },
];

interface DebugEvent {
  topic: string;
  data?: { name?: string };
}

/** Counts the heartbeat's messages as the editor's debug sidebar receives them. */
export class Heartbeat {
  private readonly socket: WebSocket;
  private beats: number[] = [];

  constructor(url: string) {
    this.socket = new WebSocket(url.replace('http://', 'ws://') + '/comms');
    this.socket.on('open', () => this.socket.send(JSON.stringify({ subscribe: 'debug' })));
    this.socket.on('message', (raw: Buffer) => {
      const events = ([] as DebugEvent[]).concat(
        JSON.parse(raw.toString('utf8')) as DebugEvent | DebugEvent[],
      );
      for (const e of events) {
        if (e.topic === 'debug' && e.data?.name === 'heartbeat') this.beats.push(Date.now());
      }
    });
  }

  /** Resolves once `count` beats have arrived after `since`; fails naming `what` otherwise. */
  async after(since: number, count: number, what: string): Promise<void> {
    const deadline = Date.now() + 20000;
    while (this.beats.filter((t) => t >= since).length < count) {
      if (Date.now() > deadline) throw new Error(`the user's flow stopped: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    this.socket.close();
  }
}

interface ImportRed {
  nodes: { workspace(id: string): unknown };
}

/** Clicks the editor's main menu, then one of its items. */
export async function menu(page: Page, item: string): Promise<void> {
  await page.locator('#red-ui-header-button-sidemenu').click();
  await page.locator(`#${item}`).click();
}

/**
 * Once an example is imported, the examples' shared account exists: Node-RED then asks about
 * nodes that "already exist". Keeps the existing account, as the examples' descriptions say
 * (View nodes…, then Import selected, the account left unticked), and waits for `imported`.
 */
export async function keepExistingAccount(page: Page, imported: Promise<unknown>): Promise<void> {
  const conflict = page.locator('.red-ui-notification', {
    hasText: 'already exist in your workspace',
  });
  await Promise.race([imported, conflict.waitFor({ state: 'visible' }).catch(() => undefined)]);
  if (await conflict.isVisible()) {
    await conflict.locator('button', { hasText: 'View nodes' }).click();
    await page.locator('#red-ui-clipboard-dialog-import-conflict').click();
  }
  await imported;
}

/**
 * Imports the example titled `title` (its file name without `.json`) from the Import menu's
 * Examples tab, keeping an existing account, and waits until its tab `tabId` exists.
 */
export async function importExample(page: Page, title: string, tabId: string): Promise<void> {
  await menu(page, 'menu-item-import');
  await page.locator('#red-ui-tab-red-ui-clipboard-dialog-import-tab-examples').click();
  const library = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
  const example = library.locator('.red-ui-treeList-label', { hasText: title }).first();
  const folder = library.locator('.red-ui-treeList-label', { hasText: PACKAGE }).first();
  // The package's folder toggles, and the editor may keep it open from the last import: open it
  // only while the example is not shown (a click on an open folder would close it).
  for (let attempt = 0; attempt < 3 && !(await example.isVisible()); attempt += 1) {
    await folder.click();
    await example.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
  }
  await example.click();
  await page.locator('#red-ui-clipboard-dialog-ok').click();
  await keepExistingAccount(
    page,
    page.waitForFunction(
      (id) => Boolean((window as unknown as { RED: ImportRed }).RED.nodes.workspace(id)),
      tabId,
    ),
  );
}

/** Deploys and waits until the editor says nothing is left to deploy. */
export async function deploy(page: Page): Promise<number> {
  await page.locator('#red-ui-header-button-deploy').click();
  const done = page.locator('#red-ui-header-button-deploy.disabled');
  // Node-RED asks before it deploys unknown node types, as a person would be asked.
  const confirm = page.locator('#red-ui-deploy-dialog-confirm-deploy-deploy');
  await done.or(confirm).first().waitFor({ state: 'attached' });
  if (await confirm.isVisible()) await confirm.click();
  await done.waitFor({ state: 'attached' });
  return Date.now();
}
