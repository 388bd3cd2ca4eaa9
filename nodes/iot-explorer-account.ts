import type { Node, NodeAPI, NodeDef } from 'node-red';
import { ApiClient, CHINA_TOKENAPI, DEFAULT_TIMEOUT_MS, type TokenSource } from '../lib/api/client';
import { ACCOUNT_NAMESPACE, localizeError } from '../lib/node/i18n';
import {
  TokenHealth,
  parseExpireAt,
  watchPastedExpiry,
  type TokenNotice,
} from '../lib/auth/token-health';
import { createPastedTokenSource } from '../lib/auth/token-source';
import {
  createAccountSignIn,
  endSignIn,
  readSignIn,
  type SignInConfig,
  type SignInCredentials,
} from '../lib/auth/sign-in';
import { registerAdminEndpoints, type DeployedAccountSettings } from '../lib/admin/endpoints';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_QUEUE } from '../lib/api/flow-control';
import { IotExplorerError, LocalErrorCode } from '../lib/errors/errors';
import { PushConnection, pushTimingSettings } from '../lib/push/push-connection';
import { pushUrlFor } from '../lib/shared/push-url';

export interface AccountConfig extends NodeDef, SignInConfig {
  endpoint?: string;
  timeout?: string | number;
  /** Calls in flight at once; absent in flows saved before it existed. */
  maxInFlight?: string | number;
  /** Calls waiting for a slot before messages are refused. */
  maxQueue?: string | number;
  /** Calls per second, 0 = no limit. */
  rateLimit?: string | number;
  /** 'token' (a pasted AccessToken; the default, as before) or 'signin'. */
  authMode?: string;
  /** Pasted mode: the token's ExpireAt, UNIX seconds or a date; blank if unknown. */
  tokenExpireAt?: string | number;
  /** The push WebSocket's URL; blank (and in flows saved before it existed): from the endpoint. */
  pushUrl?: string;
}

export interface AccountCredentials extends SignInCredentials {
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
  registerAdminEndpoints(RED);

  function IotExplorerAccountNode(this: Node<AccountCredentials>, config: AccountConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const account = config.name || this.id;
    const credentials = this.credentials ?? {};
    const text = (key: string, params?: Record<string, string | number>): string =>
      RED._(`${ACCOUNT_NAMESPACE}:${key}`, params);
    const health = new TokenHealth();
    const closing = new AbortController();
    let stopWatch: (() => void) | undefined;

    const signInMode = config.authMode === 'signin';
    const signInSettings = signInMode ? readSignIn(config, credentials) : undefined;
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
      endpoint: (config.endpoint ?? '').trim() || CHINA_TOKENAPI,
      appApiEndpoint: (config.appapiEndpoint ?? '').trim() || undefined,
      timeoutMs: parseTimeout(config.timeout),
      tokenSource,
      flowControl: {
        maxInFlight: parseCount(config.maxInFlight, 1, DEFAULT_MAX_IN_FLIGHT),
        maxQueue: parseCount(config.maxQueue, 0, DEFAULT_MAX_QUEUE),
        ratePerSecond: parseRate(config.rateLimit),
      },
    });
    Object.defineProperty(this, 'client', { value: client, enumerable: false });

    // The push socket, opened only while a node subscribes (lib/push/).
    const pushChoice = pushUrlFor((config.endpoint ?? '').trim() || CHINA_TOKENAPI, config.pushUrl);
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
      endpoint: (config.endpoint ?? '').trim() || CHINA_TOKENAPI,
      timeoutMs: parseTimeout(config.timeout),
      tokenExpireAt: signInMode ? undefined : parseExpireAt(config.tokenExpireAt),
      authMode: signInMode ? 'signin' : 'token',
      signIn: signInMode
        ? {
            appKey: config.appKey,
            loginType: config.loginType,
            countryCode: config.countryCode,
            appapiEndpoint: config.appapiEndpoint,
          }
        : undefined,
    };
    Object.defineProperty(this, 'accountSettings', { value: accountSettings, enumerable: false });

    if (signInSource) {
      signInSource.start();
    } else {
      const expireAt = parseExpireAt(config.tokenExpireAt);
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
    {
      credentials: {
        accessToken: { type: 'password' },
        appSecret: { type: 'password' },
        password: { type: 'password' },
        phoneNumber: { type: 'text' },
        email: { type: 'text' },
      },
    },
  );
}

module.exports = register;
