/**
 * What the device panel needs from an account, and nothing more: the one seam between the
 * widget and the main package. lib/source/account-source.ts implements it over the deployed
 * account's home model (its device records and shared device feed) and API client.
 *
 * Every call is made by the node, on deploy, on a user's command or when the home changes, never
 * because a browser opened the page: the panel keeps what it read and what push tells it, and
 * serves every browser from that.
 */

import type { DeviceRecord } from '../../../lib/shared/home';

/**
 * A device as the home knows it: the main package's home record (lib/shared/home.ts), the same
 * fields as the home node's list and `msg.iotexplorer.device` of every node. Its `roomId` is `0`
 * for the family's default room, null for a device shared with the user.
 */
export type { DeviceRecord };

/** Which devices a panel shows. */
export type DeviceSelection =
  | { type: 'devices'; deviceIds: string[] }
  | { type: 'room'; familyId: string; roomId: string }
  | { type: 'family'; familyId: string }
  | { type: 'product'; productId: string };

/** A product as the panel draws it: its data template and, when it has one, its panel config. */
export interface ProductRecord {
  productId: string;
  name: string;
  /** The DataTemplate as the API sends it (a JSON string, or the object). */
  dataTemplate: unknown;
  /**
   * The product's panel configuration (`AppGetProductsConfig` `Config`, a JSON string or the
   * object), or null when the product has none or it could not be read.
   */
  panelConfig: unknown;
}

/** A property's value with the time the device reported it. */
export interface PropertyValue {
  value: unknown;
  /** ms since the epoch; null when unknown. */
  time: number | null;
}

/** What a device holds now. */
export interface DeviceState {
  values: Record<string, PropertyValue>;
  online: boolean | null;
}

/** Something that happened to a device, as push (or a read standing in for it) tells it. */
export type SourceChange =
  | {
      kind: 'properties';
      deviceId: string;
      values: Record<string, unknown>;
      /** 'report': the device says so; 'control': the cloud sent it down. */
      origin: 'report' | 'control';
      time: number;
    }
  | { kind: 'online'; deviceId: string; online: boolean; time: number }
  | {
      kind: 'event';
      deviceId: string;
      eventId: string;
      eventType: string;
      params: unknown;
      time: number;
    };

/** How fresh the source's picture is. */
export interface SourceHealth {
  /** 'live': push confirmed the devices; 'polling': read on a schedule; 'connecting'; 'down'. */
  mode: 'live' | 'polling' | 'connecting' | 'down';
  /** The failure's code when 'down'. */
  code?: string;
}

export interface SourceListener {
  change(change: SourceChange): void;
  /**
   * The source lost changes it cannot replay (a reconnect): the panel reads the devices again.
   * Called with the states read, so the panel need not ask.
   */
  resync(states: Map<string, DeviceState>): void;
  health(health: SourceHealth): void;
}

export interface ActionOutcome {
  requestId: string;
  /** The device's status text (e.g. `succ`). */
  status: string;
  /** The action's output, parsed when it is JSON; null when none. */
  output: unknown;
}

/** A failure as the panel shows it: the API's (or the package's) code and message. */
export interface SourceError {
  code: string;
  message: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface PanelSource {
  /** The devices a selection means now (the home's own devices and those shared with the user). */
  resolve(selection: DeviceSelection, options?: CallOptions): Promise<DeviceRecord[]>;
  /**
   * Calls `listener` when the home changed (a device added, removed, renamed, moved, shared):
   * the panel then resolves its selection again. Until the returned function is called.
   */
  watchHome?(listener: () => void): () => void;
  /** Products with their templates and panel configs, each read once and kept. */
  products(productIds: readonly string[], options?: CallOptions): Promise<ProductRecord[]>;
  /** The devices' current values and online state. */
  read(deviceIds: readonly string[], options?: CallOptions): Promise<Map<string, DeviceState>>;
  /** Live changes of these devices until the returned function is called. */
  subscribe(deviceIds: readonly string[], listener: SourceListener): () => void;
  /** `AppControlDeviceData`. Rejects with an error carrying `code` and `message`. */
  control(
    deviceId: string,
    data: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<{ requestId: string }>;
  /** `AppCallDeviceActionSync`. Rejects with an error carrying `code` and `message`. */
  callAction(
    deviceId: string,
    actionId: string,
    input: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<ActionOutcome>;
}

/** Reads `code` and `message` from whatever a source rejected with. */
export function sourceError(err: unknown): SourceError {
  if (err && typeof err === 'object') {
    const record = err as { code?: unknown; message?: unknown };
    const code = typeof record.code === 'string' && record.code !== '' ? record.code : 'IOTX_ERROR';
    const message = typeof record.message === 'string' ? record.message : 'unknown error';
    return { code, message };
  }
  return { code: 'IOTX_ERROR', message: String(err) };
}
