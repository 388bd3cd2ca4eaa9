import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import sinon from 'sinon';
import type { Simulator } from '../../simulator';
import {
  LIGHT,
  OFFLINE_LAMP,
  actionFlow,
  collectOutcomes,
  credentials,
  helper,
  load,
  useRuntimeAndSimulator,
} from '../support/runtime';
import { replacer, visibleText } from '../support/visible';

describe('the AccessToken stays secret', function () {
  let sim: Simulator;
  const WRONG = 'wrong-token-7c1f0d55e2a94b1f';

  useRuntimeAndSimulator((started) => (sim = started));

  for (const [label, token] of [
    ['a valid token', 'demo-access-token'],
    ['a refused token', WRONG],
  ] as const) {
    it(`never shows ${label} in outputs, caught errors, status or logs`, async function () {
      await load(actionFlow(sim.tokenapiUrl), credentials(token));
      const act = helper.getNode('act') as Node & Record<string, sinon.SinonSpy>;
      const acc = helper.getNode('acc') as Node & Record<string, sinon.SinonSpy>;
      const outcomes = collectOutcomes(4);
      act.receive({ ...LIGHT, payload: {} });
      act.receive({ ...OFFLINE_LAMP, payload: {} });
      act.receive({ ...LIGHT, actionId: 'nope', payload: {} });
      act.receive({ ...LIGHT, payload: 'not json' });
      const results = await outcomes;
      await new Promise((r) => setTimeout(r, 300));

      // The token did reach the API: the check below could find it if it leaked.
      assert.ok(
        sim.requests.some((r) => (r.body as Record<string, unknown>).AccessToken === token),
      );
      const seen = JSON.stringify(results, replacer) + visibleText([act, acc]);
      assert.ok(seen.length > 200);
      assert.equal(seen.includes(token), false, 'token found in what a user can see');
      // Node-RED keeps credentials on node.credentials; no other property may hold a copy.
      const props = Object.entries(acc).filter(([key]) => key !== 'credentials');
      assert.equal(
        JSON.stringify(props, replacer).includes(token),
        false,
        'token copied onto the account node',
      );
    });
  }

  it('keeps the token out of the flow configuration', async function () {
    await load(actionFlow(sim.tokenapiUrl), credentials('demo-access-token'));
    const flows = (
      helper as unknown as { _redNodes: { getFlows(): unknown } }
    )._redNodes.getFlows();
    assert.equal(JSON.stringify(flows).includes('demo-access-token'), false);
  });
});
