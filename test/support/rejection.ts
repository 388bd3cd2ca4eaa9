import assert from 'node:assert/strict';
import { IotExplorerError } from '../../lib/errors/errors';

/** The IotExplorerError a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<IotExplorerError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof IotExplorerError, String(err));
    return err;
  }
  assert.fail('expected a rejection');
}
