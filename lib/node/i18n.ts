import type { NodeAPI } from 'node-red';
import type { IotExplorerError } from '../errors/errors';
import { ACCOUNT_NAMESPACE } from '../shared/palette';

/**
 * The error as a node reports it: a copy whose message is in the runtime's language, from the
 * account catalogue (where the build puts lib/errors/locales). The error itself stays English;
 * a copy already translated, or a key without a translation, is returned as it is.
 */
export function localizeError(RED: NodeAPI, err: IotExplorerError): IotExplorerError {
  if (err.localized) return err;
  const key = `${ACCOUNT_NAMESPACE}:errors.${err.key}`;
  const text = RED._(key, err.params);
  return text && text !== key && !text.endsWith(`errors.${err.key}`) ? err.translated(text) : err;
}
