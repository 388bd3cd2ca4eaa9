import type { TokenSource } from './api-client';
import { IotExplorerError, LocalErrorCode } from './errors';

/** What an account stores as credentials. Sign-in modes add their secrets here. */
export interface AccountCredentials {
  accessToken?: string;
}

/** What the token source may know of an account besides its credentials. */
export interface AccountIdentity {
  /** Shown in the IOTX_NO_TOKEN message: the account's name, else its id. */
  name: string;
}

/** A token pasted into the account node: returned as is, never renewed. */
export function pastedTokenSource(
  account: AccountIdentity,
  rawToken: string | undefined,
): TokenSource {
  const token = (rawToken ?? '').trim();
  return {
    getToken: () => {
      if (token === '') {
        throw new IotExplorerError({
          code: LocalErrorCode.NoToken,
          key: 'noToken',
          params: { account: account.name },
        });
      }
      return token;
    },
  };
}

/**
 * The one place that turns an account's settings and credentials into a {@link TokenSource}:
 * the account node and the editor's admin endpoints both call it, so a new sign-in mode is
 * added here once.
 */
export function tokenSourceFor(
  account: AccountIdentity,
  credentials: AccountCredentials,
): TokenSource {
  return pastedTokenSource(account, credentials.accessToken);
}
