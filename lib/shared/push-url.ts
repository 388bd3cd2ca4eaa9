// Where an account's push WebSocket connects. One rule, imported by the runtime (lib/push/) and
// by the account node's editor, which shows the URL it derives. No Node APIs here.

/** The URL the official apps and SDKs use (docs/push-protocol.md, "Connection"). */
export const CHINA_PUSH_URL = 'wss://iot.cloud.tencent.com/ws/explorer';
/** The same frames on the path the iOS app has used since 2022 (docs/push-protocol.md, "Connection"). */
export const CHINA_PUSH_URL_V2 = 'wss://iot.cloud.tencent.com/iotstudio_v2_weapp_1';
/** No source names an overseas host: this is a guess, offered as unverified (docs/push-protocol.md, "Connection"). */
export const INTERNATIONAL_PUSH_URL_GUESS =
  'wss://oversea.iotcloud.tencentiotcloud.com/ws/explorer';

/** The URLs the editor offers beside the derived one. */
export const KNOWN_PUSH_URLS = [CHINA_PUSH_URL, CHINA_PUSH_URL_V2, INTERNATIONAL_PUSH_URL_GUESS];

/** The path of the push socket on any host that serves the API (the simulator, a proxy). */
export const PUSH_PATH = '/ws/explorer';

export type PushUrlChoice =
  | { url: string; derived: boolean }
  | { error: 'invalidPushUrl' | 'invalidEndpoint'; value: string };

/**
 * The push URL of an account: the account's own setting when it has one (ws: or wss:), else
 * derived from its API endpoint: http → ws, https → wss, same host and port, path
 * `/ws/explorer`. The default endpoint (https://iot.cloud.tencent.com/…) thus gives the default
 * push URL, the international one the unverified guess, and a simulator or proxy its own host.
 */
export function pushUrlFor(endpoint: string, override?: string): PushUrlChoice {
  const chosen = (override ?? '').trim();
  if (chosen !== '') {
    const url = parseUrl(chosen);
    if (!url || (url.protocol !== 'ws:' && url.protocol !== 'wss:')) {
      return { error: 'invalidPushUrl', value: chosen };
    }
    return { url: url.toString(), derived: false };
  }
  const api = parseUrl(endpoint.trim());
  if (!api || (api.protocol !== 'http:' && api.protocol !== 'https:')) {
    return { error: 'invalidEndpoint', value: endpoint };
  }
  const scheme = api.protocol === 'https:' ? 'wss:' : 'ws:';
  return { url: `${scheme}//${api.host}${PUSH_PATH}`, derived: true };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
