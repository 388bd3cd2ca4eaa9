import type { Node, NodeAPI, NodeDef } from 'node-red';
import { ApiClient, CHINA_TOKENAPI, DEFAULT_TIMEOUT_MS } from '../lib/api-client';
import { IotExplorerError, LocalErrorCode } from '../lib/errors';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_QUEUE } from '../lib/flow-control';

export interface AccountConfig extends NodeDef {
  endpoint?: string;
  timeout?: string | number;
  /** Calls in flight at once; absent in flows saved before it existed. */
  maxInFlight?: string | number;
  /** Calls waiting for a slot before messages are refused. */
  maxQueue?: string | number;
  /** Calls per second, 0 = no limit. */
  rateLimit?: string | number;
}

export interface AccountCredentials {
  accessToken?: string;
}

/** A timeout from the editor: a positive number of ms, else the default. */
export function parseTimeout(raw: string | number | undefined): number {
  const value = typeof raw === 'number' ? raw : Number.parseInt(String(raw ?? ''), 10);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}

/** A whole number from the editor of at least `min`, else the fallback (old flows lack the field). */
export function parseCount(
  raw: string | number | undefined,
  min: number,
  fallback: number,
): number {
  const value = typeof raw === 'number' ? raw : Number(String(raw ?? '').trim() || Number.NaN);
  return Number.isInteger(value) && value >= min ? value : fallback;
}

/** Calls per second from the editor: a positive number, else 0 (no limit). */
export function parseRate(raw: string | number | undefined): number {
  const value = typeof raw === 'number' ? raw : Number(String(raw ?? '').trim() || Number.NaN);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

export default function register(RED: NodeAPI): void {
  function IotExplorerAccountNode(this: Node<AccountCredentials>, config: AccountConfig): void {
    RED.nodes.createNode(this, config);
    const accountName = config.name || this.id;
    const token = (this.credentials?.accessToken ?? '').trim();
    const client = new ApiClient({
      endpoint: (config.endpoint ?? '').trim() || CHINA_TOKENAPI,
      timeoutMs: parseTimeout(config.timeout),
      flowControl: {
        maxInFlight: parseCount(config.maxInFlight, 1, DEFAULT_MAX_IN_FLIGHT),
        maxQueue: parseCount(config.maxQueue, 0, DEFAULT_MAX_QUEUE),
        ratePerSecond: parseRate(config.rateLimit),
      },
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
