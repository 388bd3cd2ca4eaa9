// The account node's settings: what it stores in the flow (its secrets are credentials, not
// here), what a property it lacks means, and how a node saved by any version reads.
// Free of Node.js APIs: the editor imports ABSENT from here too.
import {
  CHINA_TOKENAPI,
  DEFAULT_COUNTRY_CODE,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_QUEUE,
  DEFAULT_TIMEOUT_MS,
  type SignInSetting,
} from '../../lib/shared/account';
import type { AccountSettings, AuthMode, DeviceNames } from '../../lib/account/settings';
import { parseExpireAt } from '../../lib/shared/expire-at';
import { DEFAULT_HOME_REFRESH_MINUTES, DEFAULT_MAX_SELECTION } from '../../lib/shared/home';
import {
  choice,
  count,
  storedNumber,
  trimmed,
  upgrade,
  type AbsentMeans,
  type StoredVersion,
} from '../../lib/shared/node-settings';

/** The version this node saves (its `.html` default; lib/shared/node-settings.ts). */
export const VERSION = 1;

/** What the node takes for a property its saved configuration lacks. */
export const ABSENT = {
  endpoint: CHINA_TOKENAPI,
  timeout: DEFAULT_TIMEOUT_MS,
  maxInFlight: DEFAULT_MAX_IN_FLIGHT,
  maxQueue: DEFAULT_MAX_QUEUE,
  rateLimit: 0,
  authMode: 'token',
  loginType: 'phone',
  countryCode: DEFAULT_COUNTRY_CODE,
  /** Blank: the push URL is derived from the endpoint (lib/shared/push-url.ts). */
  pushUrl: '',
  /** The home (families, rooms, devices) is read again this often, in minutes. */
  homeRefreshMinutes: DEFAULT_HOME_REFRESH_MINUTES,
  /** A selection (control, call action) acts on at most this many devices; absent before selections: 50. */
  maxSelection: DEFAULT_MAX_SELECTION,
  /** Absent before the setting: the home is read once for the messages' device names. */
  deviceNames: 'home',
} as const satisfies AbsentMeans;

/** The account's stored properties (its secrets are credentials, not here). */
export interface StoredAccount extends StoredVersion, Partial<Record<SignInSetting, string>> {
  id?: string;
  name?: string;
  endpoint?: string;
  timeout?: string | number;
  /** Calls in flight at once; absent in flows saved before flow control. */
  maxInFlight?: string | number;
  /** Calls waiting for a slot before messages are refused. */
  maxQueue?: string | number;
  /** Calls per second, 0 = no limit. */
  rateLimit?: string | number;
  /** 'token' (a pasted AccessToken; all accounts saved before sign-in) or 'signin'. */
  authMode?: string;
  /** Pasted mode: the token's ExpireAt, UNIX seconds or a date; blank if unknown. */
  tokenExpireAt?: string | number;
  /** The push WebSocket's URL; blank (and absent before push): derived from the endpoint. */
  pushUrl?: string;
  /** Minutes between reads of the home; absent before the home model: 10. */
  homeRefreshMinutes?: string | number;
  /** Devices a selection acts on at most; absent before selections: 50. */
  maxSelection?: string | number;
  /** 'home' (read the home once for names) or 'ids'; absent before the setting: 'home'. */
  deviceNames?: string;
}

// What the account runs with is the account's own type (lib/account/): it owns its settings.
export type { AccountSettings, AuthMode, DeviceNames } from '../../lib/account/settings';

export function migrateAccount(stored: StoredAccount): AccountSettings {
  const saved = upgrade(stored, VERSION);
  const timeout =
    typeof saved.timeout === 'number'
      ? saved.timeout
      : Number.parseInt(String(saved.timeout ?? ''), 10);
  const rate = storedNumber(saved.rateLimit);
  const authMode = choice<AuthMode>(saved.authMode, ['token', 'signin'], ABSENT.authMode);
  return {
    name: saved.name || saved.id || '',
    endpoint: trimmed(saved.endpoint) || ABSENT.endpoint,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : ABSENT.timeout,
    flowControl: {
      maxInFlight: count(saved.maxInFlight, 1, ABSENT.maxInFlight),
      maxQueue: count(saved.maxQueue, 0, ABSENT.maxQueue),
      ratePerSecond: Number.isFinite(rate) && rate > 0 ? rate : ABSENT.rateLimit,
    },
    authMode,
    tokenExpireAt: authMode === 'token' ? parseExpireAt(saved.tokenExpireAt) : undefined,
    pushUrl: trimmed(saved.pushUrl) || ABSENT.pushUrl,
    homeRefreshMinutes: count(saved.homeRefreshMinutes, 1, ABSENT.homeRefreshMinutes),
    maxSelection: count(saved.maxSelection, 1, ABSENT.maxSelection),
    deviceNames: choice<DeviceNames>(saved.deviceNames, ['home', 'ids'], ABSENT.deviceNames),
    signIn: {
      appKey: trimmed(saved.appKey),
      loginType: choice(saved.loginType, ['phone', 'email'], ABSENT.loginType),
      countryCode: trimmed(saved.countryCode).replace(/^\+/, '') || ABSENT.countryCode,
      appapiEndpoint: trimmed(saved.appapiEndpoint),
    },
  };
}
