import { randomUUID } from 'node:crypto';
import { IotExplorerError, LocalErrorCode, apiError } from './errors';
import { asText, parseReply, splitPackedCode, type ApiReply } from './envelope';
import { FlowControl, type FlowControlOptions } from './flow-control';
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
}

/**
 * Retries happen only where they cannot run an action twice: a connection that failed before
 * anything was sent, and the API's request-limit refusal. Never after a timeout, a reset, a 5xx
 * or a cut-short reply: the request may have reached the device.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 3). */
  maxAttempts: number;
  /** The first backoff; each next one doubles, with jitter (default 200 ms). */
  baseDelayMs: number;
  /** No backoff is longer than this (default 2000 ms). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2000 };

export interface ApiClientOptions {
  endpoint: string;
  /** The longest a call may take once it has left the queue, retries included. */
  timeoutMs?: number;
  tokenSource: TokenSource;
  transport?: Transport;
  /** In-flight limit, queue bound and rate limit shared by every call of this client. */
  flowControl?: FlowControlOptions;
  retry?: Partial<RetryPolicy>;
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
  readonly flowControl: FlowControl;
  private readonly retry: RetryPolicy;
  private closed = false;

  constructor(options: ApiClientOptions) {
    this.endpoint = parseEndpoint(options.endpoint);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.tokenSource = options.tokenSource;
    this.transport = options.transport ?? createHttpTransport();
    this.flowControl = new FlowControl(options.flowControl);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /**
   * Posts one Action with its params and returns the reply's inner object. Waits for a slot of
   * the account's flow control first; retries only as {@link RetryPolicy} allows.
   */
  async request(
    action: string,
    params: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<ApiReply> {
    if (this.endpoint instanceof IotExplorerError) throw this.endpoint;
    await this.flowControl.acquire(options.signal);
    try {
      return await this.attempts(action, params, options);
    } finally {
      this.flowControl.release();
    }
  }

  private async attempts(
    action: string,
    params: Record<string, unknown>,
    options: CallOptions,
  ): Promise<ApiReply> {
    const deadline = performance.now() + this.timeoutMs;
    let token = await this.tokenSource.getToken();
    let renewed = false;
    for (let attempt = 1; ; attempt += 1) {
      const remaining = Math.max(1, Math.round(deadline - performance.now()));
      try {
        return await this.send(action, params, token, options, remaining);
      } catch (err) {
        if (!(err instanceof IotExplorerError) || options.signal?.aborted || this.closed) throw err;
        if (
          err.code === 'InvalidParameterValue.InvalidAccessToken' &&
          this.tokenSource.renewAfterRejection &&
          !renewed
        ) {
          // The server refused the call before acting, so a retry cannot act twice.
          renewed = true;
          const fresh = await this.tokenSource.renewAfterRejection(token);
          if (fresh === undefined || fresh === token) throw err;
          token = fresh;
          continue;
        }
        if (attempt >= this.retry.maxAttempts || !isRetryable(err)) throw err;
        const delayMs = backoffMs(this.retry, attempt);
        if (performance.now() + delayMs >= deadline) throw err;
        await pause(delayMs, options.signal);
        if (this.closed) throw new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed' });
      }
    }
  }

  private async send(
    action: string,
    params: Record<string, unknown>,
    token: string,
    options: CallOptions,
    timeoutMs: number,
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
        timeoutMs,
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

  /** Refuses queued and later calls, and ends idle sockets. In-flight calls end by their signals. */
  close(): void {
    this.closed = true;
    this.flowControl.close();
    this.transport.close();
  }
}

/** A failure where the request certainly did not act: nothing was sent, or the quota refused it. */
export function isRetryable(err: IotExplorerError): boolean {
  return (
    err.notSent ||
    err.code === 'RequestLimitExceeded' ||
    err.code.startsWith('RequestLimitExceeded.')
  );
}

/** Exponential backoff with jitter: between half and all of base × 2^(attempt-1), capped. */
function backoffMs(policy: RetryPolicy, attempt: number): number {
  const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(full / 2 + Math.random() * (full / 2));
}

/** Waits, or rejects with IOTX_CLOSED as soon as the signal aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed' }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed' }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
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
