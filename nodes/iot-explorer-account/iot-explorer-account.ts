import type { Node, NodeAPI, NodeDef } from 'node-red';
import { ApiClient, type TokenSource } from '../../lib/api/client';
import { ACCOUNT_NAMESPACE, localizeError } from '../../lib/node/i18n';
import { TokenHealth, watchPastedExpiry, type TokenNotice } from '../../lib/auth/token-health';
import { createPastedTokenSource } from '../../lib/auth/token-source';
import {
  createAccountSignIn,
  endSignIn,
  readSignIn,
  type SignInCredentials,
} from '../../lib/auth/sign-in';
import { registerAdminEndpoints, type DeployedAccountSettings } from '../../lib/admin/endpoints';
import { migrateAccount, type StoredAccount } from '../../lib/node/migrations';
import { IotExplorerError, LocalErrorCode } from '../../lib/errors/errors';
import { PushConnection, pushTimingSettings } from '../../lib/push/push-connection';
import { pushUrlFor } from '../../lib/shared/push-url';
import { ACCOUNT_CREDENTIALS } from '../../lib/shared/account';

export type AccountConfig = NodeDef & StoredAccount;

export interface AccountCredentials extends SignInCredentials {
  accessToken?: string;
}

export default function register(RED: NodeAPI): void {
  registerAdminEndpoints(RED);

  function IotExplorerAccountNode(this: Node<AccountCredentials>, config: AccountConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    // Saved by any version: read through its migration (lib/node/migrations.ts).
    const settings = migrateAccount(config);
    const account = settings.name;
    const credentials = this.credentials ?? {};
    const text = (key: string, params?: Record<string, string | number>): string =>
      RED._(`${ACCOUNT_NAMESPACE}:${key}`, params);
    const health = new TokenHealth();
    const closing = new AbortController();
    let stopWatch: (() => void) | undefined;

    const signInMode = settings.authMode === 'signin';
    const signInSettings = signInMode ? readSignIn(settings.signIn, credentials) : undefined;
    const signInSource =
      signInSettings &&
      createAccountSignIn({
        settings: signInSettings,
        account,
        client: () => client,
        signal: closing.signal,
        onEvent(event) {
          if (event.type === 'signedIn') {
            health.set(undefined);
            push?.tokenRenewed();
            accountSettings.tokenExpireAt = event.expireAt;
            node.log(
              text('log.signedIn', { expireAt: new Date(event.expireAt * 1000).toISOString() }),
            );
            return;
          }
          if (closing.signal.aborted) return;
          health.set({ kind: 'signInFailed', code: event.error.code });
          node.warn(
            text('warn.signInFailed', {
              account,
              error: localizeError(RED, event.error).message,
              seconds: Math.max(1, Math.round((event.retryAt - Date.now()) / 1000)),
            }),
          );
        },
      });
    const tokenSource: TokenSource =
      signInSource ?? createPastedTokenSource({ token: credentials.accessToken ?? '', account });

    const client = new ApiClient({
      endpoint: settings.endpoint,
      appApiEndpoint: settings.signIn.appapiEndpoint || undefined,
      timeoutMs: settings.timeoutMs,
      tokenSource,
      flowControl: settings.flowControl,
    });
    Object.defineProperty(this, 'client', { value: client, enumerable: false });

    // The push socket, opened only while a node subscribes (lib/push/).
    const pushChoice = pushUrlFor(settings.endpoint, settings.pushUrl);
    const push =
      'url' in pushChoice
        ? new PushConnection({
            url: pushChoice.url,
            tokenSource,
            timings: pushTimingSettings(RED.settings),
            warnUnbound: (ids) =>
              node.warn(text('warn.pushUnbound', { account, devices: ids.join(', ') })),
            trace: (line) => node.trace(line),
          })
        : undefined;
    const pushProblem = push
      ? push
      : new IotExplorerError({
          code: LocalErrorCode.InvalidEndpoint,
          key: 'invalidPushUrl',
          params: { account },
        });
    Object.defineProperty(this, 'push', { value: pushProblem, enumerable: false });
    Object.defineProperty(this, 'tokenHealth', { value: health, enumerable: false });
    // Read by the editor's admin endpoints (lib/admin/endpoints.ts); holds no secret.
    const accountSettings: DeployedAccountSettings = {
      name: account,
      endpoint: settings.endpoint,
      timeoutMs: settings.timeoutMs,
      tokenExpireAt: settings.tokenExpireAt,
      authMode: settings.authMode,
      signIn: signInMode ? { ...settings.signIn } : undefined,
    };
    Object.defineProperty(this, 'accountSettings', { value: accountSettings, enumerable: false });

    if (signInSource) {
      signInSource.start();
    } else {
      const expireAt = settings.tokenExpireAt;
      if (expireAt !== undefined && (credentials.accessToken ?? '').trim() !== '') {
        stopWatch = watchPastedExpiry({
          expireAt,
          health,
          warn: (notice: TokenNotice) => node.warn(expiryWarning(notice)),
        });
      }
    }

    function expiryWarning(notice: TokenNotice): string {
      const date = 'expireAt' in notice ? new Date(notice.expireAt * 1000).toISOString() : '';
      return notice.kind === 'expiresSoon'
        ? text('warn.tokenExpiresSoon', { account, days: notice.days, date })
        : text('warn.tokenExpired', { account, date });
    }

    this.on('close', (_removed: boolean, done: () => void) => {
      push?.close();
      stopWatch?.();
      closing.abort();
      // A token we signed in for lives only in memory: end it rather than leave it valid.
      if (signInSource) {
        void endSignIn(client, signInSource).then(done);
        return;
      }
      client.close();
      done();
    });
  }

  RED.nodes.registerType<Node<AccountCredentials>, AccountConfig, unknown, AccountCredentials>(
    'iot-explorer-account',
    IotExplorerAccountNode,
    // All `password`, the phone number and e-mail included (lib/shared/account.ts).
    { credentials: ACCOUNT_CREDENTIALS },
  );
}

module.exports = register;
