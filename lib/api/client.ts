// The IoT Explorer API client as the nodes, the admin routes and the watch see it: a thin façade
// over the request pipeline (lib/api/pipeline.ts: flow control, tokens, retries, redaction) and
// the domain modules, one file each: devices, families, products, scenes, history, user.

import type {
  AppApiParams,
  AppCredentials,
  ApiReply,
  CallOptions,
  IssuedToken,
  UserLogin,
} from './contracts';
import {
  callDeviceAction,
  controlDeviceData,
  getDeviceData,
  getDeviceStatuses,
  type ControlDataRequest,
  type DeviceActionRequest,
  type DeviceActionResult,
  type DeviceDataResult,
  type DeviceStatusesResult,
} from './devices';
import {
  getFamilies,
  getFamilyDevices,
  getRooms,
  getSharedDevices,
  type FamilyDevice,
  type FamilyInfo,
  type RoomInfo,
  type SharedDevice,
} from './families';
import type { FlowControl } from './flow-control';
import {
  getEventHistory,
  getPropertyHistory,
  type EventHistoryRequest,
  type EventHistoryResult,
  type PropertyHistoryRequest,
  type PropertyHistoryResult,
} from './history';
import { RequestPipeline, type CallCounts, type PipelineOptions } from './pipeline';
import {
  getProduct,
  getProducts,
  getProductsConfig,
  type ProductConfig,
  type ProductInfo,
} from './products';
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
import { TemplateCache } from './template-cache';
import { appGetToken, getUser, logoutUser, type UserInfo } from './user';
import type { DeviceId } from '../shared/device-id';

// What the client's callers name, from the one module that defines each.
export {
  CHINA_APPAPI,
  CHINA_TOKENAPI,
  DEFAULT_TIMEOUT_MS,
  INTERNATIONAL_APPAPI,
  INTERNATIONAL_TOKENAPI,
} from '../shared/account';
export {
  INVALID_TOKEN_CODE,
  type AppCredentials,
  type CallOptions,
  type IssuedToken,
  type QueueObserver,
  type TokenSource,
  type UserLogin,
} from './contracts';
export {
  MAX_STATUS_DEVICE_IDS,
  toActionResult,
  toPropertyReadings,
  type ControlDataRequest,
  type DeviceActionRequest,
  type DeviceActionResult,
  type DeviceDataResult,
  type DeviceStatus,
  type DeviceStatusesResult,
  type PropertyReading,
} from './devices';
export type { FamilyDevice, FamilyInfo, RoomInfo, SharedDevice } from './families';
export {
  DEFAULT_RETRY,
  appApiEndpointFor,
  isRetryable,
  type ActionCallCount,
  type CallCounts,
  type RetryPolicy,
} from './pipeline';
export type { ProductConfig, ProductInfo } from './products';
export type { UserInfo } from './user';

export type ApiClientOptions = PipelineOptions;

/**
 * The IoT Explorer API client of one account: every Action the package calls, each a method that
 * takes typed arguments and returns a typed result or throws an IotExplorerError. One client per
 * account node; the nodes call it and stay thin.
 */
export class ApiClient {
  private readonly pipeline: RequestPipeline;
  /** The longest a call may take once it has left the queue, retries included. */
  readonly timeoutMs: number;
  /** The account's flow control (calls in flight, queued). */
  readonly flowControl: FlowControl;
  /** Data templates of this account's products, fetched once and kept a few minutes. */
  readonly templates: TemplateCache;
  /** The pipeline with the template cache, as the history calls take it. */
  private readonly withTemplates: RequestPipeline & { templates: TemplateCache };

  constructor(options: ApiClientOptions) {
    this.pipeline = new RequestPipeline(options);
    this.timeoutMs = this.pipeline.timeoutMs;
    this.flowControl = this.pipeline.flowControl;
    this.templates = new TemplateCache((ids, callOptions) => this.getProducts(ids, callOptions));
    this.withTemplates = Object.assign(Object.create(this.pipeline) as RequestPipeline, {
      templates: this.templates,
    });
  }

  /** The account's API calls per Action so far (sent, and failed of those): its quota use. */
  callCounts(): CallCounts {
    return this.pipeline.callCounts();
  }

  /** One signed appapi Action (sign-in and the like). */
  appApiRequest(
    action: string,
    params: AppApiParams,
    app: AppCredentials,
    options: CallOptions = {},
  ): Promise<ApiReply> {
    return this.pipeline.appApiRequest(action, params, app, options);
  }

  /** `AppGetToken`: signs the user in and returns the token with its ExpireAt. */
  appGetToken(
    app: AppCredentials,
    login: UserLogin,
    options: CallOptions = {},
  ): Promise<IssuedToken> {
    return appGetToken(this.pipeline, app, login, options);
  }

  /** `AppLogoutUser`: ends a token we signed in for, so it does not outlive us. */
  logoutUser(token: string, options: CallOptions = {}): Promise<void> {
    return logoutUser(this.pipeline, token, options);
  }

  /** `AppGetUser`: who the token belongs to. */
  getUser(options: CallOptions = {}): Promise<UserInfo> {
    return getUser(this.pipeline, options);
  }

  /** `AppCallDeviceActionSync`. A Status of `FailedOperation…` (device offline) is thrown as an error. */
  callDeviceActionSync(
    call: DeviceActionRequest,
    options: CallOptions = {},
  ): Promise<DeviceActionResult> {
    return callDeviceAction(this.pipeline, 'AppCallDeviceActionSync', call, options);
  }

  /** `AppCallDeviceActionAsync`: the device gets the call later; the reply says `Sent`. */
  callDeviceActionAsync(
    call: DeviceActionRequest,
    options: CallOptions = {},
  ): Promise<DeviceActionResult> {
    return callDeviceAction(this.pipeline, 'AppCallDeviceActionAsync', call, options);
  }

  /** `AppControlDeviceData`: sets properties of a device. */
  controlDeviceData(
    call: ControlDataRequest,
    options: CallOptions = {},
  ): Promise<{ requestId: string }> {
    return controlDeviceData(this.pipeline, call, options);
  }

  /** `AppGetDeviceData`: the device's last reported property values with their times. */
  getDeviceData(device: DeviceId, options: CallOptions = {}): Promise<DeviceDataResult> {
    return getDeviceData(this.pipeline, device, options);
  }

  /** `AppGetDeviceStatuses` for any number of 'ProductId/DeviceName' ids, batched. */
  getDeviceStatuses(
    deviceIds: readonly string[],
    options: CallOptions = {},
  ): Promise<DeviceStatusesResult> {
    return getDeviceStatuses(this.pipeline, deviceIds, options);
  }

  /** `AppGetProducts`: the products with their data templates. */
  async getProducts(
    productIds: readonly string[],
    options: CallOptions = {},
  ): Promise<ProductInfo[]> {
    return (await getProducts(this.pipeline, productIds, options)).products;
  }

  /** `AppGetProductsConfig`: the products' panel configurations (Config '' when none). */
  async getProductsConfig(
    productIds: readonly string[],
    options: CallOptions = {},
  ): Promise<ProductConfig[]> {
    return (await getProductsConfig(this.pipeline, productIds, options)).configs;
  }

  /** `AppGetProducts` for one product; ResourceNotFound.StudioProductNotExist when it is absent. */
  getProduct(
    productId: string,
    options: CallOptions = {},
  ): Promise<ProductInfo & { requestId: string }> {
    return getProduct(this.pipeline, productId, options);
  }

  /** `AppGetFamilyList`, every page: the user's families. */
  getFamilies(options: CallOptions = {}): Promise<FamilyInfo[]> {
    return getFamilies(this.pipeline, options);
  }

  /** `AppGetFamilyDeviceList`, every page: the devices of one family, every room. */
  getFamilyDevices(familyId: string, options: CallOptions = {}): Promise<FamilyDevice[]> {
    return getFamilyDevices(this.pipeline, familyId, options);
  }

  /** `AppGetRoomList`, every page: the rooms of one family. */
  getRooms(familyId: string, options: CallOptions = {}): Promise<RoomInfo[]> {
    return getRooms(this.pipeline, familyId, options);
  }

  /** `AppListUserShareDevices`, every page: the devices other users share with this one. */
  getSharedDevices(options: CallOptions = {}): Promise<SharedDevice[]> {
    return getSharedDevices(this.pipeline, options);
  }

  /** `AppGetSceneList`: the family's scenes, every page. */
  listScenes(familyId: string, options: CallOptions = {}): Promise<SceneListResult> {
    return listScenes(this.pipeline, familyId, options);
  }

  /** `AppRunScene`. */
  runScene(sceneId: string, options: CallOptions = {}): Promise<{ requestId: string }> {
    return runScene(this.pipeline, sceneId, options);
  }

  /** `AppGetAutomationList`: the family's automations, each on or off. */
  listAutomations(familyId: string, options: CallOptions = {}): Promise<AutomationListResult> {
    return listAutomations(this.pipeline, familyId, options);
  }

  /** `AppDescribeAutomation`. */
  describeAutomation(
    automationId: string,
    options: CallOptions = {},
  ): Promise<{ requestId: string; automation: AutomationDetail }> {
    return describeAutomation(this.pipeline, automationId, options);
  }

  /** `AppModifyAutomationStatus`: on (true) or off (false). */
  setAutomationEnabled(
    automationId: string,
    enabled: boolean,
    options: CallOptions = {},
  ): Promise<{ requestId: string }> {
    return setAutomationEnabled(this.pipeline, automationId, enabled, options);
  }

  /** `AppGetDeviceDataHistory`, paged within its budget, typed by the template. */
  getPropertyHistory(
    request: PropertyHistoryRequest,
    options: CallOptions = {},
  ): Promise<PropertyHistoryResult> {
    return getPropertyHistory(this.withTemplates, request, options);
  }

  /** `AppListEventHistory`, paged within its budget. */
  getEventHistory(
    request: EventHistoryRequest,
    options: CallOptions = {},
  ): Promise<EventHistoryResult> {
    return getEventHistory(this.pipeline, request, options);
  }

  /** Refuses queued and later calls, and ends idle sockets. In-flight calls end by their signals. */
  close(): void {
    this.pipeline.close();
  }
}
