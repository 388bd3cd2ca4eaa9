/**
 * The account's settings as the runtime reads them and the editor offers them: the API's
 * endpoints, the sign-in fields, Node-RED's placeholder for an unchanged secret, and the
 * defaults of the account dialog's numbers. Runtime and editor import them from here.
 */

/** The account config node's type: the only node whose credentials the package reads. */
export const ACCOUNT_TYPE = 'iot-explorer-account';

/** The tokenapi of the mainland China platform: the account's default endpoint. */
export const CHINA_TOKENAPI = 'https://iot.cloud.tencent.com/api/exploreropen/tokenapi';
export const INTERNATIONAL_TOKENAPI =
  'https://oversea.iotcloud.tencentiotcloud.com/api/exploreropen/tokenapi';
/** The appapi (sign-in) of each platform. */
export const CHINA_APPAPI = 'https://iot.cloud.tencent.com/api/exploreropen/appapi';
export const INTERNATIONAL_APPAPI =
  'https://oversea.iotcloud.tencentiotcloud.com/api/exploreropen/appapi';

/** The choices of the account dialog's endpoint select. */
export type EndpointPreset = 'china' | 'international' | 'custom';

/** The tokenapi URL of each preset (a custom one is typed in). */
export const ENDPOINT_PRESETS: Readonly<Record<Exclude<EndpointPreset, 'custom'>, string>> = {
  china: CHINA_TOKENAPI,
  international: INTERNATIONAL_TOKENAPI,
};

/** Which preset a tokenapi URL is; any other URL is `custom`. */
export function endpointPreset(url: string | undefined): EndpointPreset {
  if (url === CHINA_TOKENAPI) return 'china';
  if (url === INTERNATIONAL_TOKENAPI) return 'international';
  return 'custom';
}

/** A call's time limit when the account sets none. */
export const DEFAULT_TIMEOUT_MS = 10000;
/** Calls on the wire at once (the official SDK's default is 10). */
export const DEFAULT_MAX_IN_FLIGHT = 10;
/** Calls waiting for a slot before one more is refused. */
export const DEFAULT_MAX_QUEUE = 1000;
/** A phone number's country code when the account sets none (mainland China). */
export const DEFAULT_COUNTRY_CODE = '86';

/** What Node-RED's editor sends for a password credential the user has not changed. */
export const UNCHANGED_SECRET = '__PWRD__';

/** The sign-in settings stored in the flow (not secret). */
export const SIGN_IN_SETTINGS = ['appKey', 'loginType', 'countryCode', 'appapiEndpoint'] as const;
/**
 * The sign-in fields stored as credentials, all of Node-RED's `password` type: never exported,
 * never sent back to the editor (the phone number and e-mail included: Node-RED hands `text`
 * credentials to any user who may read the flows).
 */
export const SIGN_IN_CREDENTIALS = ['appSecret', 'password', 'phoneNumber', 'email'] as const;

export type SignInSetting = (typeof SIGN_IN_SETTINGS)[number];
export type SignInCredential = (typeof SIGN_IN_CREDENTIALS)[number];

/**
 * The account node's credentials as Node-RED declares them, in the runtime's `registerType` and
 * in the editor's: all `password`. Node-RED sends a `text` credential back to any user who may
 * read the flows; a `password` one only as `has_<name>`. Values saved as `text` by 0.1.0 are
 * stored the same way (flows_cred.json) and still read.
 */
export const ACCOUNT_CREDENTIALS = {
  accessToken: { type: 'password' },
  appSecret: { type: 'password' },
  password: { type: 'password' },
  phoneNumber: { type: 'password' },
  email: { type: 'password' },
} as const;
