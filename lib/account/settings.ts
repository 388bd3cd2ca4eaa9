// The account's settings as the account runs with them: what the account node's migration
// (nodes/iot-explorer-account/settings.ts) reads from a saved node, and what the admin routes see
// of a deployed account. Types only, free of Node.js APIs: the editor checks the migration too.
import type { SignInSetting } from '../shared/account';

/** 'token': a pasted AccessToken (every account saved before sign-in); 'signin': AppKey sign-in. */
export type AuthMode = 'token' | 'signin';

/** The settings an account runs with, complete and typed (its secrets are credentials). */
/** Where messages' device names come from (the account's Device names setting). */
export type DeviceNames = 'home' | 'ids';

export interface AccountSettings {
  /** For messages: the account's name, else its node id. */
  name: string;
  endpoint: string;
  timeoutMs: number;
  flowControl: { maxInFlight: number; maxQueue: number; ratePerSecond: number };
  authMode: AuthMode;
  /** Pasted mode: UNIX seconds, undefined when unknown (and always in sign-in mode). */
  tokenExpireAt: number | undefined;
  /** '' derives the push URL from the endpoint. */
  pushUrl: string;
  /** Minutes between reads of the home (families, rooms, devices). */
  homeRefreshMinutes: number;
  /** Devices a selection (control, call action, watch) works on at most. */
  maxSelection: number;
  /**
   * Where a message's device names come from: `home` reads the account's home once, in the
   * background, when a call first meets a device it does not know; `ids` never reads it for
   * names (the names come once something else reads the home).
   */
  deviceNames: DeviceNames;
  /** The sign-in settings, blanks as the sign-in reads them ('' appapi: from the endpoint). */
  signIn: {
    appKey: string;
    loginType: 'phone' | 'email';
    countryCode: string;
    appapiEndpoint: string;
  };
}

/**
 * What a deployed account shows of its settings (no secret): the admin routes compare what the
 * editor sends with it, to tell whether the deployed account can answer as it is.
 */
export interface DeployedAccountSettings {
  name: string;
  endpoint: string;
  timeoutMs: number;
  /** UNIX seconds: typed in for a pasted token, or the last sign-in's ExpireAt. */
  tokenExpireAt?: number;
  /** How the deployed node gets its token; absent means 'token'. */
  authMode?: AuthMode;
  /** A sign-in account's settings as deployed (its credentials are the stored ones). */
  signIn?: Partial<Record<SignInSetting, string>>;
  /** Devices a selection works on at most; absent: DEFAULT_MAX_SELECTION (lib/shared/home.ts). */
  maxSelection?: number;
}
