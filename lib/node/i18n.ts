import type { NodeAPI } from 'node-red';
import { IotExplorerError } from '../errors/errors';

// The package's name, read once, gives the account catalogue's namespace wherever a node runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const packageName = (require('../../../package.json') as { name: string }).name;

/** Node-RED registers each node file's catalogue under `<module>/<file>`. */
export const ACCOUNT_NAMESPACE = `${packageName}/iot-explorer-account`;

/**
 * Translates an error's message into the runtime's language with the account catalogue,
 * where all error texts live. Keeps the English text when no translation is found.
 */
export function localizeError(RED: NodeAPI, err: IotExplorerError): IotExplorerError {
  const key = `${ACCOUNT_NAMESPACE}:errors.${err.key}`;
  const text = RED._(key, err.params);
  return text && text !== key && !text.endsWith(`errors.${err.key}`) ? err.relabel(text) : err;
}
