import type { Node, NodeAPI, NodeDef } from 'node-red';
import { ApiClient, CHINA_TOKENAPI, DEFAULT_TIMEOUT_MS } from '../lib/api-client';
import { registerAdminEndpoints, type DeployedAccountSettings } from '../lib/admin-endpoints';
import { tokenSourceFor, type AccountCredentials } from '../lib/token-source';

export interface AccountConfig extends NodeDef {
  endpoint?: string;
  timeout?: string | number;
}

export type { AccountCredentials };

/** A timeout from the editor: a positive number of ms, else the default. */
export function parseTimeout(raw: string | number | undefined): number {
  const value = typeof raw === 'number' ? raw : Number.parseInt(String(raw ?? ''), 10);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}

/** The configured endpoint, or mainland China's when blank. */
export function accountEndpoint(raw: string | undefined): string {
  return (raw ?? '').trim() || CHINA_TOKENAPI;
}

export default function register(RED: NodeAPI): void {
  registerAdminEndpoints(RED);

  function IotExplorerAccountNode(this: Node<AccountCredentials>, config: AccountConfig): void {
    RED.nodes.createNode(this, config);
    const accountName = config.name || this.id;
    const settings: DeployedAccountSettings = {
      name: accountName,
      endpoint: accountEndpoint(config.endpoint),
      timeoutMs: parseTimeout(config.timeout),
    };
    const client = new ApiClient({
      endpoint: settings.endpoint,
      timeoutMs: settings.timeoutMs,
      tokenSource: tokenSourceFor({ name: accountName }, this.credentials ?? {}),
    });
    Object.defineProperty(this, 'client', { value: client, enumerable: false });
    // Read by the editor's admin endpoints; holds no secret.
    Object.defineProperty(this, 'accountSettings', { value: settings, enumerable: false });

    this.on('close', (_removed: boolean, done: () => void) => {
      client.close();
      done();
    });
  }

  RED.nodes.registerType<Node<AccountCredentials>, AccountConfig, unknown, AccountCredentials>(
    'iot-explorer-account',
    IotExplorerAccountNode,
    {
      credentials: { accessToken: { type: 'password' } },
    },
  );
}

module.exports = register;
