// The account config node in a Node-RED runtime: it keeps its account (lib/account/) on itself
// for getAccount, and nothing of it in the node's own properties.
import assert from 'node:assert/strict';
import { ApiClient } from '../../lib/api/client';
import { accountOf, getAccount } from '../../lib/account/account';
import { TokenHealth } from '../../lib/auth/token-health';
import { IotExplorerError } from '../../lib/errors/errors';
import { PushConnection } from '../../lib/push/push-connection';
import type { Simulator } from '../../simulator';
import { actionFlow, call, helper, LIGHT, load, useRuntimeAndSimulator } from '../support/runtime';

const RED = { nodes: { getNode: (id: string): unknown => helper.getNode(id) } };

describe('the account node’s account', function () {
  let sim: Simulator;

  useRuntimeAndSimulator((started) => (sim = started));

  it('holds the client, the push connection, the token health and the settings', async function () {
    await load(actionFlow(sim.tokenapiUrl));
    const account = getAccount(RED, 'acc');
    assert.ok(account);
    assert.equal(account.id, 'acc');
    assert.equal(account.name, 'test account');
    assert.deepEqual(
      { ...account.settings },
      {
        name: 'test account',
        endpoint: sim.tokenapiUrl,
        timeoutMs: 5000,
        tokenExpireAt: undefined,
        authMode: 'token',
        signIn: undefined,
        maxSelection: 50,
      },
    );
    assert.ok(account.client instanceof ApiClient);
    assert.ok(account.push instanceof PushConnection);
    assert.ok(account.tokenHealth instanceof TokenHealth);
    assert.ok(Object.isFrozen(account));
    // The client answers with the deployed token.
    assert.equal(typeof (await account.client.getUser()).userId, 'string');
    // None of it on the node itself, where the runtime or a debug view could list it.
    const node = helper.getNode('acc') as unknown as Record<string, unknown>;
    for (const name of ['client', 'push', 'tokenHealth', 'accountSettings']) {
      assert.equal(node[name], undefined, name);
    }
    assert.equal(getAccount(RED, 'act'), undefined, 'a call node is no account');
  });

  it('says why it has no push connection when the push URL cannot be used', async function () {
    await load(actionFlow(sim.tokenapiUrl, {}, { pushUrl: 'http://not-a-socket' }));
    const push = accountOf(helper.getNode('acc'))?.push;
    assert.ok(push instanceof IotExplorerError);
    assert.equal(push.code, 'IOTX_INVALID_ENDPOINT');
  });

  it('is never another node: a call node whose account names one fails with IOTX_NO_ACCOUNT', async function () {
    // `account` names the catch node: deployed, but no account, whatever it holds.
    await load(actionFlow(sim.tokenapiUrl, { ...LIGHT, account: 'catcher' }));
    const { error } = await call({ payload: {} });
    assert.equal(error?.error.code, 'IOTX_NO_ACCOUNT');
    assert.equal(sim.requests.length, 0);
  });
});
