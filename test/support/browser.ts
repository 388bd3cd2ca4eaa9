// Debian's Chromium driven by playwright-core, kept off the network: everything a browser test
// talks to is on 127.0.0.1. Screenshots go to test/artifacts/ for a person to look at.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../demo/launch';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(PROJECT_ROOT, 'test', 'artifacts');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--metrics-recording-only',
];

/** Skips the suite where Chromium is absent (never in CI). Call in `before`. */
export function requireChromium(context: Mocha.Context): void {
  if (fs.existsSync(CHROMIUM)) return;
  if (process.env.CI === 'true')
    throw new Error(`Chromium is required in CI: ${CHROMIUM} is missing`);
  console.log(`      (skipped: ${CHROMIUM} is absent; .ci/run installs it)`);
  context.skip();
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** A fresh headless Chromium with its own profile, and one page. */
export async function launchBrowser(lang = 'en-US'): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: lang,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30000);
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Node-RED 4.1's sidebar tab link for the debug tab. */
const DEBUG_TAB_LINK = '#red-ui-tab-debug-link-button';
/** Node-RED 5's sidebar tab-bar button for the debug pane (a section of its own, shown at start). */
const DEBUG_PANE_BUTTON = '.red-ui-sidebar-tab-bar button[data-tab-id="debug"]';
/**
 * The debug view's filter button: in its toolbar on both lines (@node-red/nodes
 * lib/debug/debug-utils.js), so visible exactly when the debug view is shown.
 */
const DEBUG_VIEW_SHOWN = '#red-ui-sidebar-debug-filter';

/**
 * The first debug message containing `text` (any message without it), once visible, as a person
 * finds it: on Node-RED 4.1 by opening the sidebar's debug tab; on Node-RED 5, which has no tab
 * link and shows debug messages in a pane of their own, in that pane, opened from the sidebar's
 * tab bar only when hidden (its button hides a pane that is already shown).
 */
export async function debugMessage(page: Page, text?: string | RegExp): Promise<Locator> {
  const tabLink = page.locator(DEBUG_TAB_LINK);
  const paneButton = page.locator(DEBUG_PANE_BUTTON);
  // Either appears once the debug node's editor code has run.
  await tabLink.or(paneButton).first().waitFor({ state: 'attached' });
  const shown = page.locator(DEBUG_VIEW_SHOWN);
  if ((await tabLink.count()) > 0) await tabLink.click();
  else if (!(await shown.isVisible())) await paneButton.click();
  await shown.waitFor({ state: 'visible' });
  const message = page
    .locator('.red-ui-debug-msg', text === undefined ? {} : { hasText: text })
    .first();
  await message.waitFor({ state: 'visible' });
  return message;
}
