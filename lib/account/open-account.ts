// An account's parts, made from its settings and credentials and ended together: the API client
// with its token source (a pasted token, or a sign-in renewed before it expires), the token's
// health, and the push connection. The account node (nodes/iot-explorer-account/) opens one per
// deploy and closes it on the next.
import { ApiClient, type TokenSource } from '../api/client';
import { TokenHealth, watchPastedExpiry, type TokenNotice } from '../auth/token-health';
import { createPastedTokenSource } from '../auth/token-source';
import {
  createAccountSignIn,
  endSignIn,
  readSignIn,
  type SignInCredentials,
} from '../auth/sign-in';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';
import { HomeModel } from '../home/home-model';
import { PushConnection, type PushTimingSettings } from '../push/push-connection';
import { pushUrlFor } from '../shared/push-url';
import { ACCOUNT_VERSION, type IotExplorerAccount } from './account';
import type { AccountSettings, DeployedAccountSettings } from './settings';

/** The account's stored credentials. */
export interface AccountCredentials extends SignInCredentials {
  accessToken?: string;
}

/** What the account reports, in the runtime's language (the account node's catalogue). */
export interface AccountReports {
  log(text: string): void;
  warn(text: string): void;
  trace(line: string): void;
  /** A text of the account catalogue: `log.signedIn`, `warn.tokenExpired`, … */
  text(key: string, params?: Record<string, string | number>): string;
  /** An error's message in the runtime's language. */
  localize(err: IotExplorerError): string;
}

export interface AccountOptions {
  /** The account config node's id. */
  id: string;
  settings: AccountSettings;
  credentials: AccountCredentials;
  /** Node-RED's `iotExplorerPushTimings`, shortened by tests. */
  pushTimings: PushTimingSettings;
  reports: AccountReports;
}

export interface OpenAccount {
  account: IotExplorerAccount;
  /** Ends the push connection, the expiry watch and the client; logs a signed-in token out. */
  close(): Promise<void>;
}

export function openAccount(options: AccountOptions): OpenAccount {
  const { settings, credentials, reports } = options;
  const name = settings.name;
  const health = new TokenHealth();
  const closing = new AbortController();
  let stopWatch: (() => void) | undefined;

  // What the admin routes see; a sign-in updates the expiry.
  const deployed: DeployedAccountSettings = {
    name,
    endpoint: settings.endpoint,
    timeoutMs: settings.timeoutMs,
    tokenExpireAt: settings.tokenExpireAt,
    authMode: settings.authMode,
    signIn: settings.authMode === 'signin' ? { ...settings.signIn } : undefined,
    maxSelection: settings.maxSelection,
  };

  const signInSettings =
    settings.authMode === 'signin' ? readSignIn(settings.signIn, credentials) : undefined;
  const signInSource =
    signInSettings &&
    createAccountSignIn({
      settings: signInSettings,
      account: name,
      client: () => client,
      signal: closing.signal,
      onEvent(event) {
        if (event.type === 'signedIn') {
          health.set(undefined);
          push?.tokenRenewed();
          deployed.tokenExpireAt = event.expireAt;
          reports.log(
            reports.text('log.signedIn', {
              expireAt: new Date(event.expireAt * 1000).toISOString(),
            }),
          );
          return;
        }
        if (closing.signal.aborted) return;
        health.set({ kind: 'signInFailed', code: event.error.code });
        reports.warn(
          reports.text('warn.signInFailed', {
            account: name,
            error: reports.localize(event.error),
            seconds: Math.max(1, Math.round((event.retryAt - Date.now()) / 1000)),
          }),
        );
      },
    });
  const tokenSource: TokenSource =
    signInSource ??
    createPastedTokenSource({ token: credentials.accessToken ?? '', account: name });

  const client = new ApiClient({
    endpoint: settings.endpoint,
    appApiEndpoint: settings.signIn.appapiEndpoint || undefined,
    timeoutMs: settings.timeoutMs,
    tokenSource,
    flowControl: settings.flowControl,
  });

  // The push socket, opened only while a node subscribes (lib/push/).
  const pushChoice = pushUrlFor(settings.endpoint, settings.pushUrl);
  const push =
    'url' in pushChoice
      ? new PushConnection({
          url: pushChoice.url,
          tokenSource,
          timings: options.pushTimings,
          warnUnbound: (ids) =>
            reports.warn(
              reports.text('warn.pushUnbound', { account: name, devices: ids.join(', ') }),
            ),
          trace: (line) => reports.trace(line),
        })
      : undefined;

  if (signInSource) {
    signInSource.start();
  } else if (
    settings.tokenExpireAt !== undefined &&
    (credentials.accessToken ?? '').trim() !== ''
  ) {
    stopWatch = watchPastedExpiry({
      expireAt: settings.tokenExpireAt,
      health,
      warn: (notice: TokenNotice) => reports.warn(expiryWarning(notice)),
    });
  }

  function expiryWarning(notice: TokenNotice): string {
    const date = 'expireAt' in notice ? new Date(notice.expireAt * 1000).toISOString() : '';
    return notice.kind === 'expiresSoon'
      ? reports.text('warn.tokenExpiresSoon', { account: name, days: notice.days, date })
      : reports.text('warn.tokenExpired', { account: name, date });
  }

  // The home is made on first use: an account whose nodes never ask keeps nothing of it.
  let home: HomeModel | undefined;
  let closed = false;
  const homeModel = (): HomeModel => {
    if (home) return home;
    home = new HomeModel({
      api: client,
      pushes: push,
      refreshMinutes: settings.homeRefreshMinutes,
      readForNames: settings.deviceNames === 'home',
      accountName: name,
      onRefreshFailed: (err, stale) =>
        reports.warn(
          reports.text(stale ? 'warn.homeStale' : 'warn.homeFailed', {
            account: name,
            error: reports.localize(err),
          }),
        ),
    });
    // Asked for after the account closed: a model that refuses at once, with nothing running.
    if (closed) home.close();
    return home;
  };

  const account: IotExplorerAccount = Object.freeze({
    version: ACCOUNT_VERSION,
    id: options.id,
    name,
    settings: deployed,
    client,
    push:
      push ??
      new IotExplorerError({
        code: LocalErrorCode.InvalidEndpoint,
        key: 'invalidPushUrl',
        params: { account: name },
      }),
    tokenHealth: health,
    get home(): HomeModel {
      return homeModel();
    },
  });

  return {
    account,
    async close(): Promise<void> {
      closed = true;
      home?.close();
      push?.close();
      stopWatch?.();
      closing.abort();
      // A token we signed in for lives only in memory: end it rather than leave it valid.
      if (signInSource) {
        await endSignIn(client, signInSource);
        return;
      }
      client.close();
    },
  };
}
