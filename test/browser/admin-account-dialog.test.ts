// The account dialog of a deployed sign-in account, in Chromium against a real Node-RED with the
// demo's settings (the cross-site guard in front of its admin API): the stored phone number
// never reaches the browser; the dialog says who is signed in from the service's answer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareUserDir, startNodeRed, type NodeRedInstance } from '../../demo/launch';
import { defaultFixturePath, startSimulator, type Fixture, type Simulator } from '../../simulator';
import { launchBrowser, requireChromium, shot, type Browser } from '../support/browser';

/** Not the catalogue's example number (13800000000), which the editor's texts show. */
const PHONE = '13912345678';

/** The default fixture with the demo user's phone number set to {@link PHONE}. */
function fixture(): Fixture {
  const loaded = JSON.parse(fs.readFileSync(defaultFixturePath(), 'utf8')) as Fixture;
  for (const user of loaded.users) if (user.UserID === 'u-demo') user.PhoneNumber = PHONE;
  return loaded;
}

describe('the account dialog of a sign-in account, in a real browser', function () {
  this.timeout(240000);
  let sim: Simulator;
  let red: NodeRedInstance;
  let browser: Browser;
  let userDir: string;

  before(async function () {
    requireChromium(this);
    sim = await startSimulator({ port: 0, fixture: fixture() });
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-red-dialog-'));
    prepareUserDir({ userDir, endpoint: sim.tokenapiUrl, accessToken: 'unused', examples: [] });
    const account = {
      id: 'acc',
      type: 'iot-explorer-account',
      name: 'Signed in',
      endpoint: sim.tokenapiUrl,
      timeout: '5000',
      authMode: 'signin',
      appKey: 'demoAppKey',
      loginType: 'phone',
      countryCode: '86',
      appapiEndpoint: '',
    };
    fs.writeFileSync(
      path.join(userDir, 'flows.json'),
      JSON.stringify([{ id: 'tab1', type: 'tab', label: 'Flow 1' }, account]),
    );
    fs.writeFileSync(
      path.join(userDir, 'flows_cred.json'),
      JSON.stringify({
        acc: { appSecret: 'demoAppSecret', password: 'demo-password', phoneNumber: PHONE },
      }),
    );
    red = await startNodeRed(userDir, 0);
    browser = await launchBrowser();
  });

  after(async function () {
    await browser?.close();
    await red?.stop();
    await sim?.close();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('masks the stored phone number and shows who is signed in, as the service says', async function () {
    const { page } = browser;
    /** Every answer the browser received from Node-RED. */
    const answers: Promise<string>[] = [];
    page.on('response', (res) =>
      answers.push(
        res
          .text()
          .then((text) => `${res.url()} ${text}`)
          .catch(() => ''),
      ),
    );
    await page.goto(red.url + '/', { timeout: 120000 });
    await page.waitForSelector('#red-ui-workspace-chart', { timeout: 120000 });
    await page.waitForFunction(() => {
      const RED = (window as unknown as { RED?: { nodes?: { node(id: string): unknown } } }).RED;
      return Boolean(RED?.nodes?.node('acc'));
    });
    await page.evaluate(() => {
      const RED = (
        window as unknown as {
          RED: { editor: { editConfig(a: string, type: string, id: string): void } };
        }
      ).RED;
      RED.editor.editConfig('', 'iot-explorer-account', 'acc');
    });
    const line = page.locator('#node-config-iotx-test-result');
    await page.waitForFunction(
      () => /✓/.test(document.querySelector('#node-config-iotx-test-result')?.textContent ?? ''),
      null,
      { timeout: 60000 },
    );
    assert.match(await line.innerText(), /演示用户 Demo \(u-demo\)/);
    const phone = page.locator('#node-config-input-phoneNumber');
    assert.equal(await phone.getAttribute('type'), 'password');
    assert.equal(await phone.inputValue(), '__PWRD__', "Node-RED's placeholder, not the number");
    await shot(page, 'account-dialog-signed-in');
    for (const text of await Promise.all(answers)) {
      assert.equal(
        text.includes(PHONE),
        false,
        `the phone number reached the browser: ${text.slice(0, 300)}`,
      );
    }
    // The deployed node's own token answered: no sign-in for the dialog.
    assert.equal(sim.requests.filter((r) => r.action === 'AppGetToken').length, 1);
  });
});
