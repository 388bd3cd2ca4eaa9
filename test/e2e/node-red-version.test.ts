import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  EXPECTED_NODE_RED_VERSION,
  NODE_RED_DIR,
  PROJECT_ROOT,
  prepareUserDir,
  startNodeRed,
  versionMatches,
} from '../../demo/launch';

/** What this run was asked for: NODE_RED_EXPECT_VERSION, else our devDependency's version. */
function expectedNodeRed(): string {
  if (EXPECTED_NODE_RED_VERSION) return EXPECTED_NODE_RED_VERSION;
  const devDependency = path.join(PROJECT_ROOT, 'node_modules', 'node-red', 'package.json');
  return (JSON.parse(fs.readFileSync(devDependency, 'utf8')) as { version: string }).version;
}

/**
 * The suite runs on the Node-RED line and the Node it was asked for (scripts/test-node-red-5.sh
 * asks for Node-RED 5.0 on Node 22): a run that silently fell back to our devDependency or to
 * another Node fails here.
 */
describe('the Node-RED and Node this run was asked for', function () {
  this.timeout(60000);

  before(function () {
    if (process.env.NODE_RED_PATH && !EXPECTED_NODE_RED_VERSION) {
      console.log('      (skipped: NODE_RED_PATH is set without NODE_RED_EXPECT_VERSION)');
      this.skip();
    }
  });

  it('loads the nodes under test in that runtime', function () {
    // The module the test helper started (test/support/runtime.ts), not a copy of it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const red = require(require.resolve(NODE_RED_DIR)) as { version(): string };
    const expected = expectedNodeRed();
    assert.ok(
      versionMatches(red.version(), expected),
      `the runtime is Node-RED ${red.version()}, ${expected} was asked for`,
    );
    const node = process.env.NODE_EXPECT_VERSION;
    if (node) {
      assert.ok(
        versionMatches(process.version.slice(1), node),
        `Node ${process.version}, ${node} was asked for`,
      );
    }
  });

  it('starts a Node-RED process of that version, on this Node', async function () {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-nr-version-'));
    prepareUserDir({ userDir, endpoint: 'http://127.0.0.1:9/', accessToken: 'x', examples: [] });
    const red = await startNodeRed(userDir, 0);
    try {
      assert.ok(versionMatches(red.version, expectedNodeRed()), `Node-RED ${red.version} started`);
      assert.match(red.output(), new RegExp(`Node\\.js +[^\\n]*${process.version}\\b`));
      console.log(`      Node-RED ${red.version} on Node ${process.version}`);
    } finally {
      await red.stop();
      fs.rmSync(userDir, { recursive: true, force: true });
    }
  });
});
