// The account's contract (lib/account/account.ts): where the account node keeps its account and
// how nodes, the admin routes and companion packages find it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  ACCOUNT_KEY,
  ACCOUNT_TYPE,
  ACCOUNT_VERSION,
  accountOf,
  attachAccount,
  deployedNodeKind,
  getAccount,
  type IotExplorerAccount,
} from '../../lib/account/account';
import { PACKAGE_NAME } from '../../lib/shared/palette';

/** An account as far as the contract looks at it. */
function fakeAccount(version = ACCOUNT_VERSION): IotExplorerAccount {
  return { version, id: 'acc', name: 'Home' } as unknown as IotExplorerAccount;
}

/** A runtime whose registry holds `nodes`. */
function runtime(nodes: Record<string, unknown>): { nodes: { getNode(id: string): unknown } } {
  return { nodes: { getNode: (id) => nodes[id] ?? null } };
}

describe('the account contract', function () {
  it('keeps the account under Symbol.for of the documented name', function () {
    // docs/ARCHITECTURE.md gives this text to companion packages.
    assert.equal(ACCOUNT_KEY, Symbol.for('@homeflow/node-red-tencent-iot-explorer/account'));
    assert.equal(ACCOUNT_TYPE, 'iot-explorer-account');
  });

  it('finds the account of a deployed account node, and nothing else', function () {
    const account = fakeAccount();
    const node = { id: 'acc', type: ACCOUNT_TYPE };
    attachAccount(node, account);
    const other = { id: 'act', type: 'iot-explorer-action', [ACCOUNT_KEY]: account };
    const older = {
      id: 'old',
      type: ACCOUNT_TYPE,
      [ACCOUNT_KEY]: fakeAccount(ACCOUNT_VERSION + 1),
    };
    const bare = { id: 'bare', type: ACCOUNT_TYPE };
    const RED = runtime({ acc: node, act: other, old: older, bare });
    assert.equal(getAccount(RED, 'acc'), account);
    assert.equal(getAccount(RED, 'act'), undefined, 'another node type');
    assert.equal(getAccount(RED, 'old'), undefined, 'another version of the interface');
    assert.equal(getAccount(RED, 'bare'), undefined, 'an account node without an account');
    assert.equal(getAccount(RED, 'nope'), undefined, 'no such node');
    assert.equal(getAccount(RED, ''), undefined, 'no account chosen');
    assert.equal(getAccount(RED, undefined), undefined);
    assert.equal(accountOf(null), undefined);
  });

  it('never takes a node of another type for an account, even one holding an account', function () {
    const account = fakeAccount();
    // A node of another type that carries the key (copied, or set by a stray flow) is no account.
    for (const type of ['iot-explorer-action', 'mqtt-broker', 'iot-explorer-account ', '']) {
      const node = { id: 'n', type, [ACCOUNT_KEY]: account };
      assert.equal(accountOf(node), undefined, JSON.stringify(type));
      assert.equal(getAccount(runtime({ n: node }), 'n'), undefined, JSON.stringify(type));
    }
    // Nor is a value that is no node at all.
    for (const value of [account, 'acc', 42, true, [account]]) {
      assert.equal(getAccount(runtime({ n: value }), 'n'), undefined, typeof value);
    }
  });

  it('refuses an account of another interface version, older or newer', function () {
    for (const version of [ACCOUNT_VERSION - 1, ACCOUNT_VERSION + 1, '1', undefined]) {
      const node = {
        id: 'acc',
        type: ACCOUNT_TYPE,
        [ACCOUNT_KEY]: { ...fakeAccount(), version },
      };
      assert.equal(getAccount(runtime({ acc: node }), 'acc'), undefined, String(version));
    }
    const bad = { id: 'acc', type: ACCOUNT_TYPE, [ACCOUNT_KEY]: 'not an account' };
    assert.equal(getAccount(runtime({ acc: bad }), 'acc'), undefined);
  });

  it('tells an account node from a node of another type and from none', function () {
    const RED = runtime({
      acc: { id: 'acc', type: ACCOUNT_TYPE },
      mqtt: { id: 'mqtt', type: 'mqtt-broker' },
    });
    assert.equal(deployedNodeKind(RED, 'acc'), 'account');
    assert.equal(deployedNodeKind(RED, 'mqtt'), 'other');
    assert.equal(deployedNodeKind(RED, 'gone'), 'none');
    assert.equal(deployedNodeKind(RED, undefined), 'none');
  });

  it('is invisible to JSON and Object.keys', function () {
    const node = { id: 'acc', type: ACCOUNT_TYPE };
    attachAccount(node, fakeAccount());
    assert.deepEqual(Object.keys(node), ['id', 'type']);
    assert.equal(JSON.stringify(node), '{"id":"acc","type":"iot-explorer-account"}');
  });

  it('is found by another copy of the module, as a companion package loads it', function () {
    const node = { id: 'acc', type: ACCOUNT_TYPE };
    const account = fakeAccount();
    attachAccount(node, account);
    const file = require.resolve('../../lib/account/account');
    const cached = require.cache[file];
    delete require.cache[file];
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const copy = require(file) as typeof import('../../lib/account/account');
      assert.notEqual(copy.getAccount, getAccount, 'a second copy');
      assert.equal(copy.getAccount(runtime({ acc: node }), 'acc'), account);
    } finally {
      if (cached) require.cache[file] = cached;
    }
  });

  it("is what the package exports as './account'", function () {
    // An installation as npm makes it: the package under node_modules of a user directory.
    const root = path.resolve(__dirname, '..', '..', '..');
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iotx-exports-'));
    try {
      const scope = path.join(userDir, 'node_modules', path.dirname(PACKAGE_NAME));
      fs.mkdirSync(scope, { recursive: true });
      fs.symlinkSync(root, path.join(userDir, 'node_modules', PACKAGE_NAME), 'dir');
      const companion = createRequire(path.join(userDir, 'companion.js'));
      const resolved = fs.realpathSync(companion.resolve(`${PACKAGE_NAME}/account`));
      assert.equal(resolved, fs.realpathSync(require.resolve('../../lib/account/account')));
      const exported = companion(`${PACKAGE_NAME}/account`) as { getAccount?: unknown };
      assert.equal(typeof exported.getAccount, 'function');
      // The exports map keeps the compiled files reachable as before: SECURITY.md's settings.js
      // requires the cross-site rule by its path.
      assert.equal(
        fs.realpathSync(companion.resolve(`${PACKAGE_NAME}/dist/lib/admin/cross-site.js`)),
        fs.realpathSync(require.resolve('../../lib/admin/cross-site')),
      );
    } finally {
      fs.rmSync(userDir, { recursive: true, force: true });
    }
  });
});
