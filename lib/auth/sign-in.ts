// An account's sign-in with AppKey and password: reading its settings, obtaining a token with
// them and ending that token. The account node and the editor's admin endpoints (which sign in
// for an account not deployed yet) both go through here, so the two cannot drift apart.

import type { ApiClient } from '../api/client';
import type { AppCredentials, IssuedToken, UserLogin } from '../api/contracts';
import { IotExplorerError, LocalErrorCode, signInError } from '../errors/errors';
import { DEFAULT_COUNTRY_CODE } from '../shared/account';
import { createSignInTokenSource, type SignInEvent, type SignInTokenSource } from './token-source';

/** The account's sign-in settings that are stored in the flow (no secret among them). */
export interface SignInConfig {
  appKey?: string;
  /** 'phone' (default) or 'email'. */
  loginType?: string;
  countryCode?: string;
  /** Blank: derived from the tokenapi endpoint (…/tokenapi → …/appapi). */
  appapiEndpoint?: string;
}

/** The account's sign-in credentials (stored with the credentials, never in the flow). */
export interface SignInCredentials {
  appSecret?: string;
  password?: string;
  /** Personal data: kept with the credentials so that a shared flow does not carry it. */
  phoneNumber?: string;
  email?: string;
}

export type SignInSettings = { app: AppCredentials; login: UserLogin };

/** How long closing waits for a signed-in token to be logged out. */
export const LOGOUT_TIMEOUT_MS = 2000;

/** The sign-in settings, or the names of the fields that are still empty. */
export function readSignIn(
  config: SignInConfig,
  credentials: SignInCredentials,
): SignInSettings | { missing: string[] } {
  const text = (value: string | undefined): string => (value ?? '').trim();
  const app = { appKey: text(config.appKey), appSecret: text(credentials.appSecret) };
  // A password may begin or end with a space: take it as typed.
  const password = credentials.password ?? '';
  const login: UserLogin =
    config.loginType === 'email'
      ? { type: 'email', email: text(credentials.email), password }
      : {
          type: 'phone',
          countryCode: text(config.countryCode).replace(/^\+/, '') || DEFAULT_COUNTRY_CODE,
          phoneNumber: text(credentials.phoneNumber),
          password,
        };
  const missing = [
    app.appKey === '' && 'AppKey',
    app.appSecret === '' && 'AppSecret',
    login.type === 'email' && login.email === '' && 'Email',
    login.type === 'phone' && login.phoneNumber === '' && 'PhoneNumber',
    password === '' && 'Password',
  ].filter((name): name is string => name !== false);
  return missing.length > 0 ? { missing } : { app, login };
}

export interface AccountSignInOptions {
  /** What {@link readSignIn} made of the account's settings. */
  settings: SignInSettings | { missing: string[] };
  /** The account's name, for the errors. */
  account: string;
  /** The account's client (a function: the client is built with the source this returns). */
  client(): ApiClient;
  /** Aborts a sign-in in progress (the account closing). */
  signal?: AbortSignal;
  onEvent?(event: SignInEvent): void;
}

/**
 * A token source that signs the account in with AppGetToken: an incomplete setting fails with
 * IOTX_NO_TOKEN naming the empty fields, a refusal keeps the API's code with advice.
 */
export function createAccountSignIn(options: AccountSignInOptions): SignInTokenSource {
  const { settings, account } = options;
  return createSignInTokenSource({
    async signIn(): Promise<IssuedToken> {
      if ('missing' in settings) {
        throw new IotExplorerError({
          code: LocalErrorCode.NoToken,
          key: 'signIn.incomplete',
          params: { account, missing: settings.missing.join(', ') },
        });
      }
      try {
        return await options.client().appGetToken(settings.app, settings.login, {
          signal: options.signal,
        });
      } catch (err) {
        throw err instanceof IotExplorerError ? signInError(err, account) : err;
      }
    },
    onEvent: (event) => options.onEvent?.(event),
  });
}

/**
 * Stops the source and logs its token out (AppLogoutUser), so that a token we signed in for
 * does not stay valid after us; then closes the client. Never rejects.
 */
export async function endSignIn(client: ApiClient, source: SignInTokenSource): Promise<void> {
  source.close();
  const held = source.heldToken();
  try {
    if (held !== undefined) {
      await client.logoutUser(held, { signal: AbortSignal.timeout(LOGOUT_TIMEOUT_MS) });
    }
  } catch {
    // Logging out is a courtesy: the token expires by itself.
  } finally {
    client.close();
  }
}
