import { formatMessage, isErrorKey, type ErrorKey } from './messages';

export type { ErrorKey } from './messages';

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
  /** A paged read grew past what one call reads (items or bytes): nothing partial is returned. */
  ReadLimit: 'IOTX_READ_LIMIT',
  /** A device left the user's home while a node used it: removed from its family, or unshared. */
  DeviceGone: 'IOTX_DEVICE_GONE',
  /** A selection matched no device of the home (or only devices it skipped): nothing was sent. */
  NoMatch: 'IOTX_NO_MATCH',
  /** A selection matched more devices than the account's maxSelection: nothing was sent. */
  SelectionTooLarge: 'IOTX_SELECTION_TOO_LARGE',
  /** Some devices of a selection failed; each device's result is in msg.payload. */
  PartialFailure: 'IOTX_PARTIAL_FAILURE',
  /**
   * A fault that is not the user's input, the network or the API: a bug in the package or in the
   * runtime around it. The one code for it, so a catch node never mistakes it for bad input.
   */
  Unexpected: 'IOTX_UNEXPECTED',
} as const;

export type MessageParams = Record<string, string | number>;

export interface IotExplorerErrorInit {
  /** The catch node's `msg.error.code`: the API's code verbatim, or one of {@link LocalErrorCode}. */
  code: string;
  /** Key of the text in lib/errors/locales (`errors.` in the account node's catalogue). */
  key: ErrorKey;
  params?: MessageParams;
  requestId?: string;
  /** The API's own message text (often Chinese), already free of secrets. */
  apiMessage?: string;
  httpStatus?: number;
  /** True only when the request certainly never reached the server, so a retry cannot act twice. */
  notSent?: boolean;
}

/**
 * The one error type the client and the nodes throw. Its message is English; a node reports
 * a translated copy ({@link IotExplorerError.translated}). `toString()` is the plain message:
 * Node-RED builds a catch node's `msg.error.message` from it.
 */
export class IotExplorerError extends Error {
  readonly code: string;
  readonly key: ErrorKey;
  readonly params: MessageParams;
  readonly requestId?: string;
  readonly apiMessage?: string;
  readonly httpStatus?: number;
  readonly notSent: boolean;
  /** True for a copy whose message is in the runtime's language. */
  readonly localized: boolean = false;

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
  }

  override toString(): string {
    return this.message;
  }

  /** A fresh instance with the same facts, for handing one stored failure to several callers. */
  clone(): this {
    return this.copy(this.message, this.localized);
  }

  /** A copy whose message is `message` (the translation); this error stays as it is. */
  translated(message: string): this {
    return this.copy(message, true);
  }

  /** A copy of the same class and facts, with its own stack. */
  private copy(message: string, localized: boolean): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this, { message, localized });
    Error.captureStackTrace(copy);
    return copy;
  }
}

/**
 * An action the API accepted but the device did not carry out: the reply's Status names the
 * failure (FailedOperation.ActionUnreachable, …). Carries what the reply said, so a node reads
 * it here rather than in the raw reply.
 */
export class ActionStatusError extends IotExplorerError {
  /** The reply's Status as sent, e.g. `FailedOperation.ActionUnreachable|动作消息不可达`. */
  readonly status: string;
  readonly clientToken: string;
  /** The reply's inner object. */
  readonly reply: Record<string, unknown>;

  constructor(
    init: IotExplorerErrorInit,
    reply: { status: string; clientToken: string; raw: Record<string, unknown> },
  ) {
    super(init);
    this.name = 'ActionStatusError';
    this.status = reply.status;
    this.clientToken = reply.clientToken;
    this.reply = reply.raw;
  }
}

/**
 * A device the API left out of an AppGetDeviceStatuses answer: it does not know the device, or
 * the user may not see it. `deviceId` goes into the text when several devices were asked for.
 */
export function deviceNotReported(requestId: string, deviceId?: string): IotExplorerError {
  return new IotExplorerError({
    code: 'ResourceNotFound.DeviceNotExist',
    key: 'api.deviceNotExist',
    apiMessage: deviceId,
    requestId,
  });
}

/** A description of anything thrown, that cannot itself throw (a getter or toString may). */
function describeThrown(caught: unknown): string {
  try {
    return caught instanceof Error ? caught.message : String(caught);
  } catch {
    return 'an unreadable value was thrown';
  }
}

/**
 * Anything thrown that is not an {@link IotExplorerError}, as one: `IOTX_UNEXPECTED`, the one code
 * for a fault that is neither the user's input nor the service's answer.
 */
export function unexpectedError(caught: unknown): IotExplorerError {
  if (caught instanceof IotExplorerError) return caught;
  return new IotExplorerError({
    code: LocalErrorCode.Unexpected,
    key: 'unexpected',
    params: { reason: describeThrown(caught) },
  });
}

/** Error-message keys for the API codes a user meets most, each with advice on what to do. */
const API_CODE_KEYS: Record<string, ErrorKey> = {
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

/** The text key of an API error code. */
export function apiErrorKey(code: string): ErrorKey {
  return API_CODE_KEYS[code] ?? 'api.other';
}

/** An error the API answered with (in either envelope). */
export function apiError(code: string, apiMessage: string, requestId: string): IotExplorerError {
  return new IotExplorerError({ code, key: apiErrorKey(code), apiMessage, requestId });
}

/** Error-message keys for AppGetToken's refusals: what is wrong with the sign-in settings. */
const SIGN_IN_CODE_KEYS: Record<string, ErrorKey> = {
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

/**
 * Values the product's data template refuses (a problem from lib/shared/data-template.ts),
 * found before anything was sent. The checker computes its keys, so they are checked here: one
 * missing from the catalogue still gives a text that names it.
 */
export function templateProblemError(problem: {
  key: string;
  params: MessageParams;
}): IotExplorerError {
  const { key, params } = problem;
  return new IotExplorerError({
    code: LocalErrorCode.InvalidData,
    ...(isErrorKey(key) ? { key, params } : { key: 'unexpected', params: { reason: key } }),
    notSent: true,
  });
}
