/**
 * The account as the rest of the runtime reaches it: nodes, the admin routes, and companion
 * packages (such as the Dashboard 2 panel), which load as separate npm packages and so share no
 * module state with this one. The account node keeps its account on itself under ACCOUNT_KEY, a
 * `Symbol.for` key (the same symbol in every copy of this module, in every package), and
 * `getAccount(RED, id)` finds it through Node-RED's own registry of nodes.
 *
 * This module is the contract (docs/ARCHITECTURE.md, "The account"). Its only runtime import is
 * a constant (lib/shared/account.ts), so a companion package may require it
 * (`@homeflow/node-red-tencent-iot-explorer/account`) or bundle a copy of it, as the Dashboard 2
 * companion does: a copy checks the interface version it was built against.
 */
import type { ApiClient } from '../api/client';
import type { TokenHealth } from '../auth/token-health';
import type { IotExplorerError } from '../errors/errors';
import type { HomeModel } from '../home/home-model';
import type { PushConnection } from '../push/push-connection';
import { ACCOUNT_TYPE } from '../shared/account';
import type { DeployedAccountSettings } from './settings';

export type { DeployedAccountSettings } from './settings';
export { ACCOUNT_TYPE } from '../shared/account';

/** Where the account node keeps its account: `Symbol.for` of this text, in every package. */
export const ACCOUNT_KEY_NAME = '@homeflow/node-red-tencent-iot-explorer/account';
export const ACCOUNT_KEY: unique symbol = Symbol.for(ACCOUNT_KEY_NAME);

/**
 * The version of {@link IotExplorerAccount}. Members may be added without raising it; it is
 * raised when a member is removed or changes its meaning or type. `getAccount` returns only an
 * account of the version it was built with.
 */
export const ACCOUNT_VERSION = 1;

/** What an account holds, for every user of it. Read-only: the account node owns its parts. */
export interface IotExplorerAccount {
  /** {@link ACCOUNT_VERSION} of the package that made the account. */
  readonly version: number;
  /** The account config node's id. */
  readonly id: string;
  /** For messages: the account's name, else its node id. */
  readonly name: string;
  /** The deployed settings, without a secret. */
  readonly settings: Readonly<DeployedAccountSettings>;
  /** Every API call goes through it: flow control, the token and its renewal, retries. */
  readonly client: ApiClient;
  /** The account's push connection, or why it has none (an unusable push URL). */
  readonly push: PushConnection | IotExplorerError;
  /** The token's notice (expiring, expired, sign-in failing), shown on idle nodes. */
  readonly tokenHealth: TokenHealth;
  /**
   * The account's home (families, rooms, devices, shared devices) and its shared device feed.
   * Made on first use, read only when asked, ended with the account (lib/home/).
   */
  readonly home: HomeModel;
}

/** The part of Node-RED's runtime API `getAccount` uses. */
export interface NodeLookup {
  nodes: { getNode(id: string): unknown };
}

/** The account a node object holds, when it is a current account node. */
export function accountOf(node: unknown): IotExplorerAccount | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  if ((node as { type?: unknown }).type !== ACCOUNT_TYPE) return undefined;
  const account = (node as { [ACCOUNT_KEY]?: unknown })[ACCOUNT_KEY];
  if (typeof account !== 'object' || account === null) return undefined;
  return (account as { version?: unknown }).version === ACCOUNT_VERSION
    ? (account as IotExplorerAccount)
    : undefined;
}

/**
 * The deployed account config node `id`'s account: undefined when there is no such node, when
 * it is of another type, or when it holds an account of another {@link ACCOUNT_VERSION}.
 */
export function getAccount(
  RED: NodeLookup,
  id: string | undefined,
): IotExplorerAccount | undefined {
  return id ? accountOf(RED.nodes.getNode(id)) : undefined;
}

/**
 * What Node-RED's deployed node `id` is: an account config node (of any version), a node of
 * another type, or none. The admin routes use it to keep another node's credentials where they
 * are.
 */
export function deployedNodeKind(
  RED: NodeLookup,
  id: string | undefined,
): 'account' | 'other' | 'none' {
  const node = id ? RED.nodes.getNode(id) : undefined;
  if (typeof node !== 'object' || node === null) return 'none';
  return (node as { type?: unknown }).type === ACCOUNT_TYPE ? 'account' : 'other';
}

/**
 * Keeps `account` on its config node. A symbol-keyed property: JSON, `Object.keys` and the
 * runtime's exports never show it.
 */
export function attachAccount(node: object, account: IotExplorerAccount): void {
  (node as { [ACCOUNT_KEY]?: IotExplorerAccount })[ACCOUNT_KEY] = account;
}
