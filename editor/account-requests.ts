// The account's admin endpoints (lib/admin/endpoints.ts), asked with what the editor shows of
// an account right now, deployed or not. The editor never holds a stored secret: a credential
// left out, or sent as Node-RED's unchanged-secret placeholder, means "as stored" to the
// runtime, which signs in with it for the one request.

import { SIGN_IN_CREDENTIALS, SIGN_IN_SETTINGS, UNCHANGED_SECRET } from '../lib/shared/account';
import { adminPath, type AdminAnswer, type AdminQuestion } from '../lib/shared/admin-api';
import type { EditorError } from './feedback';
import { errorText, t } from './i18n';

/** What a request to an admin endpoint carries. */
export type AccountBody = Record<string, unknown>;

export type Answer<T> = (error: EditorError | null, data?: T) => void;

/** The longest an admin request may take: a sign-in and a paged device list, with retries. */
const ADMIN_TIMEOUT_MS = 65000;

/** The body for the account config node `accountId` as the editor holds it, or null. */
export function accountBody(accountId: string): AccountBody | null {
  const account = RED.nodes.node(accountId);
  if (!account) return null;
  const signIn = account.authMode === 'signin';
  const body: AccountBody = {
    endpoint: account.endpoint,
    timeout: account.timeout,
    name: account.name,
    authMode: signIn ? 'signin' : 'token',
  };
  const credentials = account.credentials ?? {};
  const typed = (name: string): string | undefined => {
    const value = credentials[name];
    return typeof value === 'string' && value !== UNCHANGED_SECRET ? value : undefined;
  };
  if (signIn) {
    for (const name of SIGN_IN_SETTINGS) {
      if (account[name] !== undefined) body[name] = account[name];
    }
    for (const name of SIGN_IN_CREDENTIALS) {
      const value = typed(name);
      if (value !== undefined) body[name] = value;
    }
    return body;
  }
  const token = typed('accessToken');
  if (token) body.accessToken = token;
  return body;
}

/**
 * The body for what the account dialog shows now (the Test connection button). An unchanged
 * password field reads as the placeholder, which the runtime takes as "the stored one".
 */
export function dialogBody(read: (field: string) => string): AccountBody {
  const signIn = read('authMode') === 'signin';
  const body: AccountBody = {
    endpoint: read('endpoint'),
    timeout: read('timeout'),
    name: read('name'),
    authMode: signIn ? 'signin' : 'token',
  };
  const fields = signIn
    ? [...SIGN_IN_SETTINGS, ...SIGN_IN_CREDENTIALS]
    : ['accessToken', 'tokenExpireAt'];
  for (const name of fields) body[name] = read(name);
  // Presets carry their own sign-in endpoint; the dialog blanks this one on save.
  if (signIn && read('endpoint-preset') !== 'custom') body.appapiEndpoint = '';
  return body;
}

/** The failure an answer reports, in the editor's language when the catalogue has its key. */
function answerError(answer: AdminAnswer<unknown>): EditorError {
  const translated = answer.key ? errorText(answer.key, answer.params) : undefined;
  return { code: answer.code ?? '', text: translated ?? answer.message ?? '' };
}

/**
 * POSTs a question about an account; calls back with `(error, data)`. The request is what the
 * routes' cross-site guard lets through (lib/admin/cross-site.ts): a same-origin POST with an
 * `application/json` body (jQuery adds no Origin of its own; the browser sends the editor's).
 */
export function accountRequest<T>(
  accountId: string,
  question: AdminQuestion,
  body: AccountBody,
  callback: Answer<T>,
): void {
  $.ajax({
    url: adminPath(accountId, question),
    method: 'POST',
    contentType: 'application/json',
    dataType: 'json',
    data: JSON.stringify(body),
    timeout: ADMIN_TIMEOUT_MS,
  })
    .done((raw) => {
      const answer = (raw ?? {}) as AdminAnswer<T>;
      if (answer.success) callback(null, answer.data);
      else callback(answerError(answer));
    })
    .fail((xhr) => {
      // A refusal of the routes' own (the cross-site guard: 403, 415) says what is wrong.
      const { responseJSON } = xhr as { status: number; responseJSON?: AdminAnswer<unknown> };
      if (responseJSON?.success === false && responseJSON.code) {
        return callback(answerError(responseJSON));
      }
      const code = `HTTP ${xhr.status || 0}`;
      callback({ code, text: t('requestFailed', { status: code }) });
    });
}

/** Asks with the account a node's select names now; fails clearly when none is chosen. */
export function requestForAccountField<T>(
  $account: JQuery,
  question: AdminQuestion,
  extra: AccountBody,
  callback: Answer<T>,
): void {
  const id = String($account.val() ?? '');
  const body = id && id !== '_ADD_' ? accountBody(id) : null;
  if (!body) return callback({ code: '', text: t('chooseAccount') });
  accountRequest(id, question, { ...body, ...extra }, callback);
}
