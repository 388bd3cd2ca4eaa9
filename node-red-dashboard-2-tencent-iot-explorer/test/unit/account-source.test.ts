// How the panel finds its account (lib/source/account-source.ts): through the main package's
// getAccount, so only a deployed account node of the interface version the panel was built
// against is used. The panel's reads and pushes over a real account are in test/nodes.

import assert from 'node:assert/strict';
import {
  ACCOUNT_KEY,
  ACCOUNT_TYPE,
  ACCOUNT_VERSION,
  type IotExplorerAccount,
} from '../../../lib/account/account';
import { PanelSourceError, sourceFor } from '../../lib/source/account-source';

/** An account as far as the panel's source looks at it when it is made. */
function fakeAccount(overrides: Record<string, unknown> = {}): IotExplorerAccount {
  return {
    version: ACCOUNT_VERSION,
    id: 'acc',
    name: 'Home',
    client: {},
    push: new Error('no push URL'),
    ...overrides,
  } as unknown as IotExplorerAccount;
}

/** A runtime whose registry holds `nodes`. */
function runtime(nodes: Record<string, unknown>): { nodes: { getNode(id: string): unknown } } {
  return { nodes: { getNode: (id) => nodes[id] ?? null } };
}

function refusal(source: unknown): string | undefined {
  return source instanceof PanelSourceError ? source.code : undefined;
}

describe('the panel’s account source', function () {
  it('is made from a deployed account node, once per account', function () {
    const account = fakeAccount();
    const RED = runtime({ acc: { id: 'acc', type: ACCOUNT_TYPE, [ACCOUNT_KEY]: account } });
    const source = sourceFor(RED, 'acc');
    assert.ok(!(source instanceof PanelSourceError));
    assert.equal(sourceFor(RED, 'acc'), source, 'the panels of one account share its source');
    // A redeploy makes a new account: a new source.
    const redeployed = runtime({
      acc: { id: 'acc', type: ACCOUNT_TYPE, [ACCOUNT_KEY]: fakeAccount() },
    });
    assert.notEqual(sourceFor(redeployed, 'acc'), source);
  });

  it('takes no node of another type for an account, even one holding an account', function () {
    const RED = runtime({
      mqtt: { id: 'mqtt', type: 'mqtt-broker', [ACCOUNT_KEY]: fakeAccount() },
    });
    assert.equal(refusal(sourceFor(RED, 'mqtt')), 'IOTX_PANEL_NO_ACCOUNT');
    assert.equal(refusal(sourceFor(RED, 'gone')), 'IOTX_PANEL_NO_ACCOUNT');
    assert.equal(refusal(sourceFor(RED, undefined)), 'IOTX_PANEL_NO_ACCOUNT');
  });

  it('says the packages do not match for an account of another interface version', function () {
    const RED = runtime({
      acc: {
        id: 'acc',
        type: ACCOUNT_TYPE,
        [ACCOUNT_KEY]: fakeAccount({ version: ACCOUNT_VERSION + 1 }),
      },
      bare: { id: 'bare', type: ACCOUNT_TYPE },
    });
    assert.equal(refusal(sourceFor(RED, 'acc')), 'IOTX_PANEL_ACCOUNT_TOO_OLD');
    assert.equal(refusal(sourceFor(RED, 'bare')), 'IOTX_PANEL_ACCOUNT_TOO_OLD');
  });
});
