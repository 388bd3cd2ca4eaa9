// The account config node's dialog: the endpoint presets, the sign-in rows, the ExpireAt hint,
// the push URL with the one it derives, the flow-control and home defaults (the home's refresh,
// the devices a selection may act on) and the Test connection button.

import {
  ACCOUNT_CREDENTIALS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_QUEUE,
  ENDPOINT_PRESETS,
  endpointPreset,
} from '../../lib/shared/account';
import { isValidExpireAt, parseExpireAt } from '../../lib/shared/expire-at';
import {
  CHINA_PUSH_URL,
  CHINA_PUSH_URL_V2,
  INTERNATIONAL_PUSH_URL_GUESS,
  pushUrlFor,
} from '../../lib/shared/push-url';
import type { UserSummary } from '../../lib/shared/admin-api';
import { DEFAULT_HOME_REFRESH_MINUTES, DEFAULT_MAX_SELECTION } from '../../lib/shared/home';
import { accountRequest, dialogBody } from '../../editor/account-requests';
import { showInfo, showProblem } from '../../editor/feedback';
import { input, showAbsentAsRuntime } from '../../editor/fields';
import { t } from '../../editor/i18n';

const PREFIX = 'node-config-input';

function field(name: string): JQuery {
  return input(name, PREFIX);
}

/**
 * The account node's `credentials`, as the runtime declares them: all `password`, so that the
 * editor never receives a stored value.
 */
export const credentials: Record<string, { type: string }> = { ...ACCOUNT_CREDENTIALS };

/** The `defaults` validators of the account node. */
export const validate = {
  url(this: void, v: string | undefined): boolean {
    return /^https?:\/\/[^\s]+$/.test(v ?? '');
  },
  optionalUrl(this: void, v: string | undefined): boolean {
    return !v || /^https?:\/\/[^\s]+$/.test(v);
  },
  expireAt(this: void, v: string | number | undefined): boolean {
    return isValidExpireAt(v);
  },
  /**
   * A whole number of at least 1, or blank or absent (a flow saved before the setting existed):
   * the default, which the dialog shows as a placeholder.
   */
  count(this: void, v: string | number | undefined): boolean {
    return v === undefined || v === '' || (/^\d+$/.test(String(v).trim()) && Number(v) >= 1);
  },
  /** Blank (derived from the endpoint) or a ws:/wss: URL, by the runtime's own rule. */
  pushUrl(this: void, v: string | undefined): boolean {
    return !v || !v.trim() || 'url' in pushUrlFor('http://localhost/', v);
  },
};

/** The push URLs offered beside the derived one, each with the catalogue key of its label. */
const OFFERED_PUSH_URLS: readonly [string, string][] = [
  [CHINA_PUSH_URL, 'pushUrlChina'],
  [CHINA_PUSH_URL_V2, 'pushUrlChinaV2'],
  [INTERNATIONAL_PUSH_URL_GUESS, 'pushUrlInternational'],
];

/**
 * The Push URL field: the known hosts offered in its list, and under it the URL the runtime will
 * use (derived from the endpoint while the field is blank), or why it cannot use the one typed.
 */
function pushUrlField(node: RedEditorNode): void {
  const $pushUrl = field('pushUrl');
  const $endpoint = field('endpoint');
  const $hint = $('#node-config-pushUrl-hint');
  const $list = $('#node-config-iotx-push-urls');
  for (const [url, key] of OFFERED_PUSH_URLS) {
    $('<option>')
      .attr('value', url)
      .attr('label', node._(`iot-explorer-account.pushUrl.${key}`))
      .appendTo($list);
  }
  const show = (): void => {
    const choice = pushUrlFor(String($endpoint.val() ?? ''), String($pushUrl.val() ?? ''));
    let text: string;
    if ('error' in choice) {
      text = node._(`iot-explorer-account.pushUrl.${choice.error}`);
    } else {
      text = node._(
        choice.derived
          ? 'iot-explorer-account.pushUrl.derived'
          : 'iot-explorer-account.pushUrl.set',
        { url: choice.url },
      );
      if (choice.url === INTERNATIONAL_PUSH_URL_GUESS) {
        text += ` ${node._('iot-explorer-account.pushUrl.unverified')}`;
      }
    }
    $hint.text(text);
  };
  $pushUrl.on('input change', show);
  $endpoint.on('input change', show);
  show();
}

/** The node's label on the canvas and in the account selects. */
export function label(node: RedEditorNode): string {
  return node.name || node._('iot-explorer-account.label.default');
}

/**
 * Asks the service who the account's token belongs to (AppGetUser) with the settings in the
 * dialog, and shows it: the Test connection button, and the line a sign-in account shows on
 * opening in place of its stored phone number or e-mail, which never come back to the editor.
 */
function showUser(nodeId: string): void {
  const $button = $('#node-config-iotx-test');
  const $line = $('#node-config-iotx-test-result');
  const body = dialogBody((name) => String(field(name).val() ?? ''));
  showInfo($line, t('testing'));
  $button.prop('disabled', true);
  accountRequest<UserSummary>(nodeId, 'user', body, (error, user) => {
    $button.prop('disabled', false);
    if (error || !user) return showProblem($line, error ?? { code: '', text: '' });
    const who = user.nickName || user.userName || user.userId;
    const expiry = user.expiresAt
      ? t('expiresAt', { date: new Date(user.expiresAt * 1000).toLocaleString() })
      : t('expiryUnknown');
    showInfo($line, `${t('testOk', { user: who, id: user.userId })} ${expiry}`, true);
  });
}

export function prepare(node: RedEditorNode): void {
  showAbsentAsRuntime(node, 'iot-explorer-account', PREFIX);
  $('#node-config-iotx-test').on('click', () => showUser(node.id));
  pushUrlField(node);
  const $endpoint = field('endpoint');
  const $preset = field('endpoint-preset');
  const $mode = field('authMode');
  const $loginType = field('loginType');
  const $expireAt = field('tokenExpireAt');
  const $hint = $('#node-config-expireAt-hint');
  // The runtime's defaults, for a field left blank.
  field('maxInFlight').attr('placeholder', String(DEFAULT_MAX_IN_FLIGHT));
  field('maxQueue').attr('placeholder', String(DEFAULT_MAX_QUEUE));
  field('homeRefreshMinutes').attr('placeholder', String(DEFAULT_HOME_REFRESH_MINUTES));
  field('maxSelection').attr('placeholder', String(DEFAULT_MAX_SELECTION));

  const signIn = (): boolean => $mode.val() === 'signin';

  /** The hint under Expires at: only in token mode, and only when there is something to say. */
  function showExpireAt(): void {
    const typed = String($expireAt.val() ?? '');
    const seconds = parseExpireAt(typed);
    let text = '';
    if (typed.trim() !== '' && seconds === undefined) {
      text = node._('iot-explorer-account.expireAtInvalid');
    } else if (seconds !== undefined) {
      text = node._('iot-explorer-account.expireAtHint', {
        date: new Date(seconds * 1000).toLocaleString(),
      });
    }
    $hint.text(text);
    $hint.closest('.form-row').toggle(!signIn() && text !== '');
  }

  function showRows(): void {
    $('.iotx-mode-token').toggle(!signIn());
    $('.iotx-mode-signin').toggle(signIn());
    $('.iotx-login-phone').toggle(signIn() && $loginType.val() !== 'email');
    $('.iotx-login-email').toggle(signIn() && $loginType.val() === 'email');
    // Presets carry their own sign-in endpoint; only a custom URL may need another.
    $('.iotx-appapi').toggle(signIn() && $preset.val() === 'custom');
    showExpireAt();
  }

  $preset.val(endpointPreset(String($endpoint.val() ?? '')));
  $endpoint.prop('readonly', $preset.val() !== 'custom');
  $preset.on('change', () => {
    const preset = String($preset.val());
    if (preset === 'china' || preset === 'international') $endpoint.val(ENDPOINT_PRESETS[preset]);
    $endpoint.prop('readonly', preset !== 'custom').trigger('change');
    if (preset === 'custom') $endpoint.trigger('focus');
    showRows();
  });
  $mode.on('change', showRows);
  $loginType.on('change', showRows);
  $expireAt.on('input change', showExpireAt);
  showRows();
  // A stored sign-in: who it is, from the service's answer, not from the stored login.
  if (signIn() && node.credentials?.has_password === true) showUser(node.id);
}

export function save(): void {
  // ExpireAt is stored as UNIX seconds, whatever form it was typed in.
  const $expireAt = field('tokenExpireAt');
  const typed = String($expireAt.val() ?? '');
  const seconds = parseExpireAt(typed);
  if (typed.trim() === '') $expireAt.val('');
  else if (seconds !== undefined) $expireAt.val(String(seconds));
  if (field('endpoint-preset').val() !== 'custom') field('appapiEndpoint').val('');
}
