// The request pipeline: everything a call goes through between a domain module and the wire, in
// this order: the account's flow control, the token (and its renewal after a refusal), the retry
// with back-off within the call's deadline, one HTTP exchange, and redaction, the last step before
// anything leaves. It also counts the account's calls per Action, for the user's quota.

import { randomInt, randomUUID } from 'node:crypto';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';
import {
  INVALID_TOKEN_CODE,
  type ApiReply,
  type ApiRequester,
  type AppApiParams,
  type AppCredentials,
  type CallOptions,
  type RequestOptions,
  type TokenSource,
} from './contracts';
import { asText, parseReply } from './envelope';
import { FlowControl, type FlowControlOptions } from './flow-control';
import { redactError, redactSecrets } from './redact';
import { signAppApi } from './signature';
import { createHttpTransport, type Transport } from './transport';
import { DEFAULT_TIMEOUT_MS } from '../shared/account';

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

export interface PipelineOptions {
  /** The tokenapi URL. */
  endpoint: string;
  /** The appapi URL, for sign-in; by default the tokenapi URL with `tokenapi` → `appapi`. */
  appApiEndpoint?: string;
  /** The longest a call may take once it has left the queue, retries included. */
  timeoutMs?: number;
  tokenSource: TokenSource;
  transport?: Transport;
  /** In-flight limit, queue bound and rate limit shared by every call of this account. */
  flowControl?: FlowControlOptions;
  retry?: Partial<RetryPolicy>;
}

/** One Action's calls: requests that went out, and how many of them failed. */
export interface ActionCallCount {
  /** Requests handed to the network (retries included; not those that never left). */
  sent: number;
  /** Of those, the ones that ended in an error: no answer, an HTTP error, the API's refusal. */
  failed: number;
}

/** The account's calls per Action since {@link CallCounts.since}. */
export interface CallCounts {
  /** ms since the epoch: when counting began (the client's start). */
  since: number;
  byAction: Record<string, ActionCallCount>;
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

/** The appapi URL that belongs to a tokenapi URL (same host and path, last segment swapped). */
export function appApiEndpointFor(tokenApiEndpoint: string): string | undefined {
  const swapped = tokenApiEndpoint.replace(/\/tokenapi(\/?)$/, '/appapi$1');
  return swapped === tokenApiEndpoint ? undefined : swapped;
}

/** Params that hold the user's password and login (personal data): redacted from every answer. */
const LOGIN_PARAMS = ['Password', 'PhoneNumber', 'Email'] as const;

function isTokenRejection(err: unknown): err is IotExplorerError {
  return err instanceof IotExplorerError && err.code === INVALID_TOKEN_CODE;
}

/** A fresh token refused too: signing in again will not help, so the text says what might. */
function refusedAfterRenewal(err: IotExplorerError): IotExplorerError {
  return new IotExplorerError({
    code: err.code,
    key: 'api.invalidTokenAfterSignIn',
    apiMessage: err.apiMessage,
    requestId: err.requestId,
  });
}

function closedError(): IotExplorerError {
  return new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed' });
}

/**
 * The pipeline of one account: one flow control, one keep-alive transport, one token source.
 * Domain modules reach it through {@link ApiRequester}; the client owns it.
 */
export class RequestPipeline implements ApiRequester {
  /** The parsed endpoint, or the error every call reports when the configured one is unusable. */
  private readonly endpoint: URL | IotExplorerError;
  private readonly appApiEndpoint: URL | IotExplorerError;
  readonly timeoutMs: number;
  private readonly tokenSource: TokenSource;
  private readonly transport: Transport;
  readonly flowControl: FlowControl;
  private readonly retry: RetryPolicy;
  private closed = false;
  private readonly counts = new Map<string, ActionCallCount>();
  private readonly countingSince = Date.now();

  constructor(options: PipelineOptions) {
    this.endpoint = parseEndpoint(options.endpoint);
    this.appApiEndpoint = parseEndpoint(
      options.appApiEndpoint || appApiEndpointFor(options.endpoint) || '',
    );
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.tokenSource = options.tokenSource;
    this.transport = options.transport ?? createHttpTransport();
    this.flowControl = new FlowControl(options.flowControl);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /**
   * One tokenapi Action: waits for a slot of the account's flow control, sends with the token,
   * renews a refused token once, retries only as {@link RetryPolicy} allows, never past the
   * call's deadline. Resolves with the reply's inner object, redacted.
   */
  async request(
    action: string,
    params: Record<string, unknown>,
    options: RequestOptions = {},
  ): Promise<ApiReply> {
    if (this.endpoint instanceof IotExplorerError) throw this.endpoint;
    const lane = options.lane ?? this.flowControl;
    await lane.acquire(options.signal, options.queue);
    try {
      // A lane of its own does not close with the client: a closed client sends nothing more.
      if (this.closed) throw closedError();
      return await this.attempts(this.endpoint, action, params, options);
    } finally {
      lane.release();
    }
  }

  /**
   * One tokenapi Action with a token of the caller's (AppLogoutUser for the token being ended):
   * no queue, no renewal, no retry.
   */
  requestWithToken(
    action: string,
    params: Record<string, unknown>,
    token: string,
    options: CallOptions = {},
  ): Promise<ApiReply> {
    if (this.endpoint instanceof IotExplorerError) throw this.endpoint;
    return this.send(this.endpoint, action, params, token, options, this.timeoutMs);
  }

  /**
   * One signed appapi Action (sign-in and the like): adds the common params AppKey, Timestamp,
   * Nonce and RequestId, then the Signature over all of them. The AppSecret, the password and
   * the login are redacted from whatever comes back.
   */
  async appApiRequest(
    action: string,
    params: AppApiParams,
    app: AppCredentials,
    options: CallOptions = {},
  ): Promise<ApiReply> {
    if (this.appApiEndpoint instanceof IotExplorerError) throw this.appApiEndpoint;
    const requestId = randomUUID();
    const body: AppApiParams = {
      ...params,
      Action: action,
      RequestId: requestId,
      AppKey: app.appKey,
      Timestamp: Math.floor(Date.now() / 1000),
      Nonce: randomInt(1, 2 ** 31 - 1),
    };
    body.Signature = signAppApi(body, app.appSecret);
    const secrets = [app.appSecret, ...LOGIN_PARAMS.map((name) => asText(params[name]))];
    return this.post(
      this.appApiEndpoint,
      action,
      body,
      requestId,
      secrets,
      options,
      this.timeoutMs,
    );
  }

  /** The account's calls per Action so far: a copy, for a node or the user to show. */
  callCounts(): CallCounts {
    const byAction: Record<string, ActionCallCount> = {};
    for (const [action, count] of this.counts) byAction[action] = { ...count };
    return { since: this.countingSince, byAction };
  }

  /** Refuses queued and later calls, and ends idle sockets. In-flight calls end by their signals. */
  close(): void {
    this.closed = true;
    this.flowControl.close();
    this.transport.close();
  }

  private async attempts(
    url: URL,
    action: string,
    params: Record<string, unknown>,
    options: RequestOptions,
  ): Promise<ApiReply> {
    const deadline = performance.now() + this.timeoutMs;
    // A sign-in may be slow: the wait for a token is bounded by the sign-in's own timeout, and
    // the check below sends nothing once the deadline has passed.
    const pending = this.tokenSource.getToken();
    let token = typeof pending === 'string' ? pending : await pending;
    let renewed = false;
    for (let attempt = 1; ; attempt += 1) {
      // Never start an attempt past the call's deadline: a retry sent with no time left could
      // reach the device and still be reported as failed.
      const remaining = Math.round(deadline - performance.now());
      if (remaining <= 0) throw this.deadlinePassed();
      try {
        return await this.send(url, action, params, token, options, remaining);
      } catch (err) {
        if (!(err instanceof IotExplorerError) || options.signal?.aborted || this.closed) throw err;
        if (isTokenRejection(err) && renewed) throw refusedAfterRenewal(err);
        if (isTokenRejection(err) && this.tokenSource.renewAfterRejection) {
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
        if (this.closed) throw closedError();
      }
    }
  }

  /** The call's timeout, for a call that ran out of time before it could be sent (again). */
  private deadlinePassed(): IotExplorerError {
    return new IotExplorerError({
      code: LocalErrorCode.Timeout,
      key: 'timeout',
      params: { timeout: this.timeoutMs },
      notSent: true,
    });
  }

  private send(
    url: URL,
    action: string,
    params: Record<string, unknown>,
    token: string,
    options: RequestOptions,
    timeoutMs: number,
  ): Promise<ApiReply> {
    const requestId = randomUUID();
    // Params first, then the common fields, so that no param can override them.
    const body = { ...params, Action: action, RequestId: requestId, AccessToken: token };
    return this.post(url, action, body, requestId, [token], options, timeoutMs);
  }

  /**
   * The package's one HTTP exchange: post a JSON body, check the status, read the envelope. The
   * reply's text is redacted before anything reads it, so no result or error built from it can
   * carry a secret the server echoed (a token in an action's Status, a login in a refusal); any
   * error on the way is redacted too, as the last step.
   */
  private async post(
    url: URL,
    action: string,
    body: Record<string, unknown>,
    requestId: string,
    secrets: readonly string[],
    options: RequestOptions,
    timeoutMs: number,
  ): Promise<ApiReply> {
    if (options.signal?.aborted) throw closedError();
    let outcome: 'answered' | 'failed' | 'unsent' = 'failed';
    try {
      const response = await this.transport.post({
        url,
        body: JSON.stringify(body),
        timeoutMs,
        signal: options.signal,
        maxBytes: options.maxReplyBytes,
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
      const reply = parseReply(redactSecrets(response.body, secrets), requestId, response.bytes);
      outcome = 'answered';
      return reply;
    } catch (err) {
      // A request that never left costs nothing of the quota: it is not counted.
      if (err instanceof IotExplorerError && err.notSent) outcome = 'unsent';
      throw redactError(err, secrets, requestId);
    } finally {
      if (outcome !== 'unsent') this.count(action, outcome === 'failed');
    }
  }

  private count(action: string, failed: boolean): void {
    let count = this.counts.get(action);
    if (count === undefined) {
      count = { sent: 0, failed: 0 };
      this.counts.set(action, count);
    }
    count.sent += 1;
    if (failed) count.failed += 1;
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
      reject(closedError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(closedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
