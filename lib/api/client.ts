import { randomInt, randomUUID } from 'node:crypto';
import { DeviceStatusError, IotExplorerError, LocalErrorCode, apiErrorKey } from '../errors/errors';
import { asText, parseReply, splitPackedCode, type ApiReply } from './envelope';
import { FlowControl, type FlowControlOptions } from './flow-control';
import { signAppApi, type AppApiParams } from '../auth/signature';
import { createHttpTransport, type Transport } from './transport';
import { TemplateCache } from './template-cache';
import { readList, type ApiRequester, type RequestOptions } from './paging';
import { DeviceId } from '../shared/device-id';
import { redactError, redactSecrets } from './redact';
import {
  describeAutomation,
  listAutomations,
  listScenes,
  runScene,
  setAutomationEnabled,
  type AutomationDetail,
  type AutomationListResult,
  type SceneListResult,
} from './scenes';
import {
  getEventHistory,
  getPropertyHistory,
  type EventHistoryRequest,
  type EventHistoryResult,
  type PropertyHistoryRequest,
  type PropertyHistoryResult,
} from './history';

// The endpoints and the default timeout are shared with the editor: one home, lib/shared/account.ts.
import {
  CHINA_APPAPI,
  CHINA_TOKENAPI,
  DEFAULT_TIMEOUT_MS,
  INTERNATIONAL_APPAPI,
  INTERNATIONAL_TOKENAPI,
} from '../shared/account';

export {
  CHINA_APPAPI,
  CHINA_TOKENAPI,
  DEFAULT_TIMEOUT_MS,
  INTERNATIONAL_APPAPI,
  INTERNATIONAL_TOKENAPI,
};
/**
 * AppGetDeviceStatuses takes at most this many DeviceIds per call. The tokenapi page gives no
 * limit; the cloud API's own AppGetDeviceStatuses allows 1000 (reference tokenapi.md §1.6), and
 * the simulator enforces the same. Every caller (nodes, watcher, editor) batches by this one.
 */
export const MAX_STATUS_DEVICE_IDS = 1000;
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
  /** The tokenapi URL. */
  endpoint: string;
  /** The appapi URL, for sign-in; by default the tokenapi URL with `tokenapi` → `appapi`. */
  appApiEndpoint?: string;
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

/** The application's keys, from the IoT Explorer console (应用开发 → the app's settings). */
export interface AppCredentials {
  appKey: string;
  appSecret: string;
}

/** What AppGetToken needs to know about the user. */
export type UserLogin =
  | { type: 'phone'; countryCode: string; phoneNumber: string; password: string }
  | { type: 'email'; email: string; password: string };

/** A token as AppGetToken issues it. */
export interface IssuedToken {
  token: string;
  /** UNIX seconds. */
  expireAt: number;
}

/** The device a call is for. */
export type DeviceTarget = DeviceId;

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

export interface ControlDataRequest extends DeviceTarget {
  /** Property id → value, already a JSON string. */
  data: string;
}

/** One property as `AppGetDeviceData` reports it. */
export interface PropertyReading {
  value: unknown;
  /** ms since the epoch; null when the reply gives none. */
  lastUpdate: number | null;
}

export interface DeviceDataResult {
  requestId: string;
  properties: Record<string, PropertyReading>;
}

export interface DeviceStatus extends DeviceTarget {
  /** 'ProductId/DeviceName' */
  deviceId: string;
  online: boolean;
}

export interface DeviceStatusesResult {
  /** One per batch of {@link MAX_STATUS_DEVICE_IDS} ids, in order. */
  requestIds: string[];
  /** The devices the API reported, in its order; ids it does not know are left out. */
  statuses: DeviceStatus[];
}

export interface ProductInfo {
  productId: string;
  name: string;
  /** The raw DataTemplate JSON string. */
  dataTemplate: string;
}

/** One family of the user (`AppGetFamilyList`). */
export interface FamilyInfo {
  familyId: string;
  name: string;
  /** 1 admin, 0 member. */
  role: number;
}

/** One device of a family (`AppGetFamilyDeviceList`). */
export interface FamilyDevice extends DeviceTarget {
  /** 'ProductId/DeviceName' */
  deviceId: string;
  aliasName: string;
  roomId: string;
}

/** One room of a family (`AppGetRoomList`). */
export interface RoomInfo {
  roomId: string;
  roomName: string;
}

/** The signed-in user (`AppGetUser`). */
export interface UserInfo {
  userId: string;
  userName: string;
  nickName: string;
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

export const INVALID_TOKEN_CODE = 'InvalidParameterValue.InvalidAccessToken';

/** AppGetToken's params that hold the user's password and login (personal data): redacted. */
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

/**
 * The IoT Explorer tokenapi client: builds the flat request body, posts it over one keep-alive
 * transport, reads both reply envelopes and maps every failure to an {@link IotExplorerError}.
 * One client per account node; the nodes call it and stay thin.
 */
export class ApiClient {
  /** The parsed endpoint, or the error every call reports when the configured one is unusable. */
  private readonly endpoint: URL | IotExplorerError;
  private readonly appApiEndpoint: URL | IotExplorerError;
  readonly timeoutMs: number;
  private readonly tokenSource: TokenSource;
  private readonly transport: Transport;
  readonly flowControl: FlowControl;
  private readonly retry: RetryPolicy;
  private closed = false;
  /** Data templates of this account's products, fetched once and kept a few minutes. */
  readonly templates: TemplateCache;

  constructor(options: ApiClientOptions) {
    this.endpoint = parseEndpoint(options.endpoint);
    this.appApiEndpoint = parseEndpoint(
      options.appApiEndpoint || appApiEndpointFor(options.endpoint) || '',
    );
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.tokenSource = options.tokenSource;
    this.transport = options.transport ?? createHttpTransport();
    this.flowControl = new FlowControl(options.flowControl);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.templates = new TemplateCache((ids, callOptions) => this.getProducts(ids, callOptions));
  }

  /**
   * Posts one Action with its params and returns the reply's inner object. Waits for a slot of
   * the account's flow control first; retries only as {@link RetryPolicy} allows.
   */
  /** The private request, for the scene, history and paging helpers in lib/api/. */
  private get requester(): ApiRequester {
    return { request: (action, params, options) => this.request(action, params, options) };
  }

  private async request(
    action: string,
    params: Record<string, unknown>,
    options: RequestOptions = {},
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
    options: RequestOptions,
  ): Promise<ApiReply> {
    const deadline = performance.now() + this.timeoutMs;
    // A sign-in may be slow: the wait for a token is bounded by the sign-in's own timeout, and
    // the check below sends nothing once the deadline has passed.
    let token = await this.tokenSource.getToken();
    let renewed = false;
    for (let attempt = 1; ; attempt += 1) {
      // Never start an attempt past the call's deadline: a retry sent with no time left could
      // reach the device and still be reported as failed.
      const remaining = Math.round(deadline - performance.now());
      if (remaining <= 0) throw this.deadlinePassed();
      try {
        return await this.send(action, params, token, options, remaining);
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
        if (this.closed) throw new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed' });
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
    action: string,
    params: Record<string, unknown>,
    token: string,
    options: RequestOptions,
    timeoutMs = this.timeoutMs,
  ): Promise<ApiReply> {
    const requestId = randomUUID();
    // Params first, then the common fields, so that no param can override them.
    const body = { ...params, Action: action, RequestId: requestId, AccessToken: token };
    return this.post(this.endpoint as URL, body, requestId, [token], { ...options, timeoutMs });
  }

  /**
   * Posts one signed appapi Action (sign-in and the like): adds the common params AppKey,
   * Timestamp, Nonce and RequestId, then the Signature over all of them.
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
    // The login is personal data: a refusal that echoes it must not carry it into a log.
    const secrets = [app.appSecret, ...LOGIN_PARAMS.map((name) => asText(params[name]))];
    return this.post(this.appApiEndpoint, body, requestId, secrets, options);
  }

  /** `AppGetToken`: signs the user in and returns the token with its ExpireAt. */
  async appGetToken(
    app: AppCredentials,
    login: UserLogin,
    options: CallOptions = {},
  ): Promise<IssuedToken> {
    const params: AppApiParams =
      login.type === 'phone'
        ? {
            Type: 'phone',
            CountryCode: login.countryCode,
            PhoneNumber: login.phoneNumber,
            Password: login.password,
          }
        : { Type: 'email', Email: login.email, Password: login.password };
    const { requestId, data } = await this.appApiRequest('AppGetToken', params, app, options);
    const issued = data.Data as Record<string, unknown> | undefined;
    const token = typeof issued?.Token === 'string' ? issued.Token : '';
    const expireAt = Number(issued?.ExpireAt);
    if (token === '' || !Number.isFinite(expireAt)) {
      throw new IotExplorerError({
        code: LocalErrorCode.BadResponse,
        key: 'badResponse',
        params: { reason: 'AppGetToken returned no Data.Token and Data.ExpireAt' },
        requestId,
      });
    }
    return { token, expireAt };
  }

  /** `AppLogoutUser`: ends a token we signed in for, so it does not outlive us. */
  async logoutUser(token: string, options: CallOptions = {}): Promise<void> {
    if (this.endpoint instanceof IotExplorerError) throw this.endpoint;
    await this.send('AppLogoutUser', {}, token, options);
  }

  /**
   * The package's one HTTP exchange: post a JSON body, check the status, read the envelope. The
   * reply's text is redacted before anything reads it, so no result or error built from it can
   * carry a secret the server echoed (a token in an action's Status, a login in a refusal).
   */
  private async post(
    url: URL,
    body: Record<string, unknown>,
    requestId: string,
    secrets: readonly string[],
    options: RequestOptions & { timeoutMs?: number },
  ): Promise<ApiReply> {
    try {
      const response = await this.transport.post({
        url,
        body: JSON.stringify(body),
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
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
      return parseReply(redactSecrets(response.body, secrets), requestId, response.bytes);
    } catch (err) {
      throw redactError(err, secrets, requestId);
    }
  }

  /** `AppCallDeviceActionSync`. A Status of `FailedOperation…` (device offline) is thrown as an error. */
  callDeviceActionSync(
    call: DeviceActionRequest,
    options: CallOptions = {},
  ): Promise<DeviceActionResult> {
    return this.callAction('AppCallDeviceActionSync', call, options);
  }

  /** `AppCallDeviceActionAsync`: the device gets the call later; the reply says `Sent`. */
  callDeviceActionAsync(
    call: DeviceActionRequest,
    options: CallOptions = {},
  ): Promise<DeviceActionResult> {
    return this.callAction('AppCallDeviceActionAsync', call, options);
  }

  private async callAction(
    action: 'AppCallDeviceActionSync' | 'AppCallDeviceActionAsync',
    call: DeviceActionRequest,
    options: CallOptions,
  ): Promise<DeviceActionResult> {
    const params: Record<string, unknown> = {
      ProductId: call.productId,
      DeviceName: call.deviceName,
      ActionId: call.actionId,
    };
    if (call.inputParams !== undefined) params.InputParams = call.inputParams;
    const { requestId, data } = await this.request(action, params, options);
    return toActionResult(requestId, data);
  }

  /** `AppControlDeviceData`: sets properties of a device. */
  async controlDeviceData(
    call: ControlDataRequest,
    options: CallOptions = {},
  ): Promise<{ requestId: string }> {
    const { requestId } = await this.request(
      'AppControlDeviceData',
      { ProductId: call.productId, DeviceName: call.deviceName, Data: call.data },
      options,
    );
    return { requestId };
  }

  /** `AppGetDeviceData`: the device's last reported property values with their times. */
  async getDeviceData(target: DeviceTarget, options: CallOptions = {}): Promise<DeviceDataResult> {
    const { requestId, data } = await this.request(
      'AppGetDeviceData',
      { ProductId: target.productId, DeviceName: target.deviceName },
      options,
    );
    return { requestId, properties: toPropertyReadings(data.Data, requestId) };
  }

  /**
   * `AppGetDeviceStatuses` for any number of 'ProductId/DeviceName' ids: sent in batches of
   * {@link MAX_STATUS_DEVICE_IDS}, one after another, so a long list never trips the limit.
   */
  async getDeviceStatuses(
    deviceIds: readonly string[],
    options: CallOptions = {},
  ): Promise<DeviceStatusesResult> {
    const result: DeviceStatusesResult = { requestIds: [], statuses: [] };
    for (let start = 0; start < deviceIds.length; start += MAX_STATUS_DEVICE_IDS) {
      const batch = deviceIds.slice(start, start + MAX_STATUS_DEVICE_IDS);
      const { requestId, data } = await this.request(
        'AppGetDeviceStatuses',
        { DeviceIds: batch },
        options,
      );
      result.requestIds.push(requestId);
      // The doc's table says Devices, its example DeviceStatuses: read both.
      const list = data.DeviceStatuses ?? data.Devices;
      if (Array.isArray(list)) {
        for (const entry of list as unknown[]) {
          const status = toDeviceStatus(entry);
          if (status) result.statuses.push(status);
        }
      }
    }
    return result;
  }

  /** `AppGetProducts`: the products with their data templates. */
  async getProducts(
    productIds: readonly string[],
    options: CallOptions = {},
  ): Promise<ProductInfo[]> {
    return (await this.productsReply(productIds, options)).products;
  }

  /** `AppGetProducts` for one product; ResourceNotFound.StudioProductNotExist when it is absent. */
  async getProduct(
    productId: string,
    options: CallOptions = {},
  ): Promise<ProductInfo & { requestId: string }> {
    const { requestId, products } = await this.productsReply([productId], options);
    const product = products.find((p) => p.productId === productId);
    if (!product) {
      throw new IotExplorerError({
        code: 'ResourceNotFound.StudioProductNotExist',
        key: 'api.productNotExist',
        requestId,
      });
    }
    return { ...product, requestId };
  }

  private async productsReply(
    productIds: readonly string[],
    options: CallOptions,
  ): Promise<{ requestId: string; products: ProductInfo[] }> {
    const { requestId, data } = await this.request(
      'AppGetProducts',
      { ProductIds: productIds },
      options,
    );
    const list = Array.isArray(data.Products) ? (data.Products as unknown[]) : [];
    const products = list.filter(isRecord).map((p) => ({
      productId: asText(p.ProductId),
      name: asText(p.Name),
      dataTemplate:
        typeof p.DataTemplate === 'string' ? p.DataTemplate : asText(p.DataTemplate ?? ''),
    }));
    return { requestId, products };
  }

  /** `AppGetUser`: who the token belongs to. */
  async getUser(options: CallOptions = {}): Promise<UserInfo> {
    const { data } = await this.request('AppGetUser', {}, options);
    // Documented under Data; some replies put the fields beside it: read either.
    const user = isRecord(data.Data) ? data.Data : data;
    return {
      userId: asText(user.UserID ?? user.UserId),
      userName: asText(user.UserName),
      nickName: asText(user.NickName),
    };
  }

  /** `AppGetFamilyList`, every page: the user's families. */
  async getFamilies(options: CallOptions = {}): Promise<FamilyInfo[]> {
    const families = await this.allPages('AppGetFamilyList', {}, 'FamilyList', options);
    return families.map((f) => ({
      familyId: asText(f.FamilyId),
      name: asText(f.Name),
      role: Number(f.Role) || 0,
    }));
  }

  /** `AppGetFamilyDeviceList`, every page: the devices of one family, every room. */
  async getFamilyDevices(familyId: string, options: CallOptions = {}): Promise<FamilyDevice[]> {
    const devices = await this.allPages(
      'AppGetFamilyDeviceList',
      { FamilyId: familyId, RoomId: '' },
      'DeviceList',
      options,
    );
    return devices.map((d) => {
      const device = { productId: asText(d.ProductId), deviceName: asText(d.DeviceName) };
      return {
        ...device,
        deviceId: asText(d.DeviceId) || DeviceId.format(device),
        aliasName: asText(d.AliasName),
        roomId: asText(d.RoomId),
      };
    });
  }

  /** `AppGetRoomList`, every page: the rooms of one family. */
  async getRooms(familyId: string, options: CallOptions = {}): Promise<RoomInfo[]> {
    const rooms = await this.allPages(
      'AppGetRoomList',
      { FamilyId: familyId },
      'RoomList',
      options,
    );
    return rooms.map((r) => ({ roomId: asText(r.RoomId), roomName: asText(r.RoomName) }));
  }

  /** The items of every page of a list Action, within the list budget (lib/api/paging.ts). */
  private async allPages(
    action: string,
    params: Record<string, unknown>,
    listField: string,
    options: CallOptions,
  ): Promise<Record<string, unknown>[]> {
    return (await readList(this.requester, action, params, listField, options)).items;
  }

  /** `AppGetSceneList`: the family's scenes, every page (lib/api/scenes.ts). */
  listScenes(familyId: string, options: CallOptions = {}): Promise<SceneListResult> {
    return listScenes(this.requester, familyId, options);
  }

  /** `AppRunScene`. */
  runScene(sceneId: string, options: CallOptions = {}): Promise<{ requestId: string }> {
    return runScene(this.requester, sceneId, options);
  }

  /** `AppGetAutomationList`: the family's automations, each on or off. */
  listAutomations(familyId: string, options: CallOptions = {}): Promise<AutomationListResult> {
    return listAutomations(this.requester, familyId, options);
  }

  /** `AppDescribeAutomation`. */
  describeAutomation(
    automationId: string,
    options: CallOptions = {},
  ): Promise<{ requestId: string; automation: AutomationDetail }> {
    return describeAutomation(this.requester, automationId, options);
  }

  /** `AppModifyAutomationStatus`: on (true) or off (false). */
  setAutomationEnabled(
    automationId: string,
    enabled: boolean,
    options: CallOptions = {},
  ): Promise<{ requestId: string }> {
    return setAutomationEnabled(this.requester, automationId, enabled, options);
  }

  /** `AppGetDeviceDataHistory`, paged within a bound, typed by the template (lib/api/history.ts). */
  getPropertyHistory(
    request: PropertyHistoryRequest,
    options: CallOptions = {},
  ): Promise<PropertyHistoryResult> {
    return getPropertyHistory({ ...this.requester, templates: this.templates }, request, options);
  }

  /** `AppListEventHistory`, paged within a bound. */
  getEventHistory(
    request: EventHistoryRequest,
    options: CallOptions = {},
  ): Promise<EventHistoryResult> {
    return getEventHistory(this.requester, request, options);
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads AppGetDeviceData's `Data`: a JSON string of `{id: {Value, LastUpdate}}` (an object is
 * tolerated). Anything else is a reply we cannot read.
 */
export function toPropertyReadings(
  raw: unknown,
  requestId: string,
): Record<string, PropertyReading> {
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
  }
  if (!isRecord(parsed)) {
    throw new IotExplorerError({
      code: LocalErrorCode.BadResponse,
      key: 'badResponse',
      params: { reason: 'Data is not a JSON object of properties' },
      requestId,
    });
  }
  const readings: Record<string, PropertyReading> = {};
  for (const [id, entry] of Object.entries(parsed)) {
    const lastUpdate = isRecord(entry) ? Number(entry.LastUpdate) : NaN;
    readings[id] = {
      value: isRecord(entry) && 'Value' in entry ? entry.Value : entry,
      lastUpdate: Number.isFinite(lastUpdate) ? lastUpdate : null,
    };
  }
  return readings;
}

/**
 * One entry of AppGetDeviceStatuses. The doc's comment says 0 = online, but the official app
 * and SDK treat `Online: 1` as online (reference §1.6): so do we.
 */
function toDeviceStatus(entry: unknown): DeviceStatus | undefined {
  if (!isRecord(entry)) return undefined;
  const named = { productId: asText(entry.ProductId), deviceName: asText(entry.DeviceName) };
  const deviceId = asText(entry.DeviceId) || DeviceId.format(named);
  const device =
    named.productId !== '' && named.deviceName !== '' ? named : DeviceId.parse(deviceId);
  if (!device) return undefined;
  return { deviceId, ...device, online: Number(entry.Online) === 1 };
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
    const code = packed.code ?? status;
    throw new DeviceStatusError(
      { code, key: apiErrorKey(code), apiMessage: packed.code ? packed.text : '', requestId },
      { status, clientToken: result.clientToken, raw: data },
    );
  }
  return result;
}
