import { formatMessage } from './messages';

/**
 * Codes of our own, for failures that happen before or around the API call.
 * The API's own codes (e.g. `InvalidParameterValue.InvalidAccessToken`) are passed on verbatim;
 * ours carry the `IOTX_` prefix so a switch node can tell the two apart.
 */
export const LocalErrorCode = {
  MissingField: 'IOTX_MISSING_FIELD',
  InvalidField: 'IOTX_INVALID_FIELD',
  InvalidInputParams: 'IOTX_INVALID_INPUT_PARAMS',
  /** Control data that is not an object, or that the product's data template rejects. */
  InvalidData: 'IOTX_INVALID_DATA',
  NoAccount: 'IOTX_NO_ACCOUNT',
  NoToken: 'IOTX_NO_TOKEN',
  InvalidEndpoint: 'IOTX_INVALID_ENDPOINT',
  Network: 'IOTX_NETWORK',
  Timeout: 'IOTX_TIMEOUT',
  HttpStatus: 'IOTX_HTTP_STATUS',
  BadResponse: 'IOTX_BAD_RESPONSE',
  Closed: 'IOTX_CLOSED',
  QueueFull: 'IOTX_QUEUE_FULL',
} as const;

export type MessageParams = Record<string, string | number>;

export interface IotExplorerErrorInit {
  /** The catch node's `msg.error.code`: the API's code verbatim, or one of {@link LocalErrorCode}. */
  code: string;
  /** Key under `errors.` in the account node's message catalogue. */
  key: string;
  params?: MessageParams;
  requestId?: string;
  /** The API's own message text (often Chinese), already free of secrets. */
  apiMessage?: string;
  httpStatus?: number;
  /** True only when the request certainly never reached the server, so a retry cannot act twice. */
  notSent?: boolean;
  /** The reply's inner object, when the error came inside a success envelope (a failed Status). */
  reply?: Record<string, unknown>;
}

/**
 * The one error type the client and the nodes throw. `toString()` is the plain message:
 * Node-RED builds a catch node's `msg.error.message` from it.
 */
export class IotExplorerError extends Error {
  readonly code: string;
  readonly key: string;
  readonly params: MessageParams;
  readonly requestId?: string;
  readonly apiMessage?: string;
  readonly httpStatus?: number;
  readonly notSent: boolean;
  readonly reply?: Record<string, unknown>;

  constructor(init: IotExplorerErrorInit) {
    const params = {
      ...init.params,
      code: init.code,
      detail: init.apiMessage ? `: ${init.apiMessage}` : '',
    };
    super(formatMessage(init.key, params));
    this.name = 'IotExplorerError';
    this.code = init.code;
    this.key = init.key;
    this.params = params;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.apiMessage !== undefined) this.apiMessage = init.apiMessage;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    this.notSent = init.notSent ?? false;
    if (init.reply !== undefined) this.reply = init.reply;
  }

  override toString(): string {
    return this.message;
  }

  /** A fresh instance with the same facts, for handing one stored failure to several callers. */
  clone(): IotExplorerError {
    return new IotExplorerError({
      code: this.code,
      key: this.key,
      params: this.params,
      requestId: this.requestId,
      apiMessage: this.apiMessage,
      httpStatus: this.httpStatus,
      notSent: this.notSent,
      reply: this.reply,
    });
  }

  /** Replaces the message, e.g. with its translation; the code and key stay. */
  relabel(message: string): this {
    this.message = message;
    return this;
  }
}

export function isIotExplorerError(value: unknown): value is IotExplorerError {
  return value instanceof IotExplorerError;
}

/** Error-message keys for the API codes a user meets most, each with advice on what to do. */
const API_CODE_KEYS: Record<string, string> = {
  'InvalidParameterValue.InvalidAccessToken': 'api.invalidToken',
  'FailedOperation.ActionUnreachable': 'api.deviceUnreachable',
  'FailedOperation.Timeout': 'api.deviceTimeout',
  'FailedOperation.DeviceOffline': 'api.deviceOffline',
  'InvalidParameterValue.ActionNilOrNotExist': 'api.actionNotExist',
  'InvalidParameter.ActionInputParamsInvalid': 'api.inputParamsRejected',
  'ResourceNotFound.DeviceNotExist': 'api.deviceNotExist',
  'ResourceNotFound.DeviceNotBind': 'api.deviceNotBound',
  'ResourceNotFound.StudioProductNotExist': 'api.productNotExist',
  RequestLimitExceeded: 'api.requestLimit',
  InternalError: 'api.internal',
  'UnsupportedOperation.SceneRunInProgress': 'api.sceneRunning',
};

/** An error the API answered with (in either envelope, or inside `Status`). */
export function apiError(
  code: string,
  apiMessage: string,
  requestId: string,
  reply?: Record<string, unknown>,
): IotExplorerError {
  return new IotExplorerError({
    code,
    key: API_CODE_KEYS[code] ?? 'api.other',
    apiMessage,
    requestId,
    reply,
  });
}

/** Error-message keys for AppGetToken's refusals: what is wrong with the sign-in settings. */
const SIGN_IN_CODE_KEYS: Record<string, string> = {
  'InvalidParameterValue.UserLoginFailed': 'signIn.loginFailed',
  'InvalidParameterValue.UserLoginForbidden': 'signIn.loginForbidden',
  'InvalidParameterValue.ErrorUserNotExists': 'signIn.loginFailed',
  'AuthFailure.SignatureFailure': 'signIn.appRefused',
  InvalidParameterValue: 'signIn.appRefused',
};

/**
 * A failed sign-in, with advice about the account's sign-in settings. The API's code stays
 * verbatim; failures of our own (network, timeout) keep their text, which names the endpoint.
 */
export function signInError(err: IotExplorerError, account: string): IotExplorerError {
  if (err.code.startsWith('IOTX_')) return err;
  return new IotExplorerError({
    code: err.code,
    key: SIGN_IN_CODE_KEYS[err.code] ?? 'signIn.other',
    params: { account },
    apiMessage: err.apiMessage,
    requestId: err.requestId,
    httpStatus: err.httpStatus,
  });
}
