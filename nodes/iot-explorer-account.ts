import type { Node, NodeAPI, NodeDef } from 'node-red';
import { ApiClient, CHINA_TOKENAPI, DEFAULT_TIMEOUT_MS } from '../lib/api-client';
import { IotExplorerError, LocalErrorCode } from '../lib/errors';

export interface AccountConfig extends NodeDef {
  endpoint?: string;
  timeout?: string | number;
}

export interface AccountCredentials {
  accessToken?: string;
}

/** A timeout from the editor: a positive number of ms, else the default. */
export function parseTimeout(raw: string | number | undefined): number {
  const value = typeof raw === 'number' ? raw : Number.parseInt(String(raw ?? ''), 10);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}

export default function register(RED: NodeAPI): void {
  function IotExplorerAccountNode(this: Node<AccountCredentials>, config: AccountConfig): void {
    RED.nodes.createNode(this, config);
    const accountName = config.name || this.id;
    const token = (this.credentials?.accessToken ?? '').trim();
    const client = new ApiClient({
      endpoint: (config.endpoint ?? '').trim() || CHINA_TOKENAPI,
      timeoutMs: parseTimeout(config.timeout),
      tokenSource: {
        getToken: () => {
          if (token === '') {
            throw new IotExplorerError({
              code: LocalErrorCode.NoToken,
              key: 'noToken',
              params: { account: accountName },
            });
          }
          return token;
        },
      },
    });
    Object.defineProperty(this, 'client', { value: client, enumerable: false });

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
