import { randomUUID } from 'node:crypto';
import { IotExplorerError, LocalErrorCode, apiError } from './errors';
import { asText, parseReply, splitPackedCode, type ApiReply } from './envelope';
import { createHttpTransport, type Transport } from './transport';

export const CHINA_TOKENAPI = 'https://iot.cloud.tencent.com/api/exploreropen/tokenapi';
export const INTERNATIONAL_TOKENAPI =
  'https://oversea.iotcloud.tencentiotcloud.com/api/exploreropen/tokenapi';
export const DEFAULT_TIMEOUT_MS = 10000;

/** Where the client gets the user's AccessToken for each call. */
export interface TokenSource {
  /** The token to send now; throws an {@link IotExplorerError} (IOTX_NO_TOKEN) when there is none. */
  getToken(): Promise<string> | string;
  /**
   * Called when the API refused `rejected` as invalid. A source that can sign in again returns
   * a fresh token, and the client retries the call once: the server refused the call before
   * acting, so the retry cannot run an action twice. A pasted token returns undefined.
   */
  renewAfterRejection?(rejected: string): Promise<string | undefined>;
  /** When the current token expires (UNIX seconds), if the source knows; a pasted token does not. */
  expiresAt?(): number | undefined;
}

export interface ApiClientOptions {
  endpoint: string;
  timeoutMs?: number;
  tokenSource: TokenSource;
  transport?: Transport;
}

export interface CallOptions {
  /** Aborts the call (e.g. when the node closes); the promise then rejects with IOTX_CLOSED. */
  signal?: AbortSignal;
}

export interface DeviceTarget {
  productId: string;
  deviceName: string;
}

export interface DeviceActionRequest extends DeviceTarget {
  actionId: string;
  /** Already a JSON string; left out of the request when undefined. */
  inputParams?: string;
}

export interface DeviceActionResult {
  requestId: string;
  clientToken: string;
  status: string;
  /** The raw OutputParams string, or null when the API had none. */
  outputParams: string | null;
}

function parseEndpoint(endpoint: string): URL | IotExplorerError {
  try {
    const url = new URL(endpoint);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  return new IotExplorerError({ code: LocalErrorCode.InvalidEndpoint, key: 'invalidEndpoint' });
}

/** Replaces every occurrence of each secret in a text, so that no error or log can carry one. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

/**
 * The IoT Explorer tokenapi client: builds the flat request body, posts it over one keep-alive
 * transport, reads both reply envelopes and maps every failure to an {@link IotExplorerError}.
 * One client per account node; the nodes call it and stay thin.
 */
export class ApiClient {
  /** The parsed endpoint, or the error every call reports when the configured one is unusable. */
  private readonly endpoint: URL | IotExplorerError;
  readonly timeoutMs: number;
  private readonly tokenSource: TokenSource;
  private readonly transport: Transport;

  constructor(options: ApiClientOptions) {
    this.endpoint = parseEndpoint(options.endpoint);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.tokenSource = options.tokenSource;
    this.transport = options.transport ?? createHttpTransport();
  }

  /** Posts one Action with its params and returns the reply's inner object. */
  async request(
    action: string,
    params: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<ApiReply> {
    if (this.endpoint instanceof IotExplorerError) throw this.endpoint;
    const token = await this.tokenSource.getToken();
    try {
      return await this.send(action, params, token, options);
    } catch (err) {
      if (
        err instanceof IotExplorerError &&
        err.code === 'InvalidParameterValue.InvalidAccessToken' &&
        this.tokenSource.renewAfterRejection &&
        !options.signal?.aborted
      ) {
        const renewed = await this.tokenSource.renewAfterRejection(token);
        if (renewed !== undefined && renewed !== token)
          return this.send(action, params, renewed, options);
      }
      throw err;
    }
  }

  private async send(
    action: string,
    params: Record<string, unknown>,
    token: string,
    options: CallOptions,
  ): Promise<ApiReply> {
    const requestId = randomUUID();
    // Params first, then the common fields, so that no param can override them.
    const body = JSON.stringify({
      ...params,
      Action: action,
      RequestId: requestId,
      AccessToken: token,
    });
    try {
      const response = await this.transport.post({
        url: this.endpoint as URL,
        body,
        timeoutMs: this.timeoutMs,
        signal: options.signal,
      });
      if (response.status !== 200) {
        throw new IotExplorerError({
          code: LocalErrorCode.HttpStatus,
          key: 'httpStatus',
          params: { status: response.status },
          httpStatus: response.status,
          requestId,
        });
      }
      return parseReply(response.body, requestId);
    } catch (err) {
      throw this.scrub(err, token, requestId);
    }
  }

  /** Keeps secrets out of any text an error carries, and attaches the RequestId we sent. */
  private scrub(err: unknown, token: string, requestId: string): IotExplorerError {
    if (!(err instanceof IotExplorerError)) {
      return new IotExplorerError({
        code: LocalErrorCode.BadResponse,
        key: 'badResponse',
        params: { reason: redactSecrets(String(err), [token]) },
        requestId,
      });
    }
    const clean = redactSecrets(err.message, [token]);
    if (clean !== err.message || err.requestId === undefined) {
      const apiMessage =
        err.apiMessage === undefined ? undefined : redactSecrets(err.apiMessage, [token]);
      const scrubbed = new IotExplorerError({
        code: err.code,
        key: err.key,
        params: Object.fromEntries(
          Object.entries(err.params).map(([k, v]) => [
            k,
            typeof v === 'string' ? redactSecrets(v, [token]) : v,
          ]),
        ),
        apiMessage,
        httpStatus: err.httpStatus,
        requestId: err.requestId ?? requestId,
        notSent: err.notSent,
        reply: err.reply,
      });
      return scrubbed;
    }
    return err;
  }

  /** `AppCallDeviceActionSync`. A Status of `FailedOperation…` (device offline) is thrown as an error. */
  async callDeviceActionSync(
    call: DeviceActionRequest,
    options: CallOptions = {},
  ): Promise<DeviceActionResult> {
    const params: Record<string, unknown> = {
      ProductId: call.productId,
      DeviceName: call.deviceName,
      ActionId: call.actionId,
    };
    if (call.inputParams !== undefined) params.InputParams = call.inputParams;
    const { requestId, data } = await this.request('AppCallDeviceActionSync', params, options);
    return toActionResult(requestId, data);
  }

  close(): void {
    this.transport.close();
  }
}

/** Reads an action reply; the doc's table misspells OutputParams as OutputParqams, so accept both. */
export function toActionResult(
  requestId: string,
  data: Record<string, unknown>,
): DeviceActionResult {
  const status = asText(data.Status);
  const rawOutput = data.OutputParams ?? data.OutputParqams;
  const result: DeviceActionResult = {
    requestId,
    clientToken: asText(data.ClientToken),
    status,
    outputParams: rawOutput === undefined || rawOutput === null ? null : asText(rawOutput),
  };
  if (status.startsWith('FailedOperation')) {
    const packed = splitPackedCode(status);
    throw apiError(packed.code ?? status, packed.code ? packed.text : '', requestId, data);
  }
  return result;
}
