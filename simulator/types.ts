// The simulator's public in-process types (re-exported by index.ts).

import type { EnvelopeMode } from './envelope';
import type { FaultSpec } from './faults';
import type { Fixture, FixtureExtension } from './fixture';
import type { ListoverReading } from './history';
import type { HomeOptions } from './home-options';
import type { SimulatorModel } from './model';
import type { PushOptions, SimulatorPush } from './push';

export interface SimulatorOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /**
   * A path, a shipped fixture's name ("default", "home") or an object (which may extend
   * another); default: the shipped default fixture.
   */
  fixture?: string | Fixture | FixtureExtension;
  /** Default 'response'. */
  envelope?: EnvelopeMode;
  /** Clock in ms (default Date.now); tests move it to expire tokens. */
  now?: () => number;
  /** Every device's action delay in ms, overriding the fixture's (see SimulatorModel.deviceDelayMs). */
  deviceDelayMs?: number;
  /** Default 5000: a device slower than this gives FailedOperation.Timeout. */
  syncActionTimeoutMs?: number;
  /** Lifetime of tokens issued by AppGetToken; default from the fixture, else 40 days. */
  tokenTtlSeconds?: number;
  /** appapi Timestamp tolerance, default 300. */
  timestampWindowSeconds?: number;
  /** Optional request log, one line per request; never carries tokens, secrets or passwords. */
  log?: (line: string) => void;
  /**
   * Keep at most this many entries in `requests` and in `actionCalls` (the oldest go first).
   * Default: unlimited. The CLI sets 10000 so long soak runs do not grow without bound.
   */
  recordLimit?: number;
  /** Multiplies scene delay actions (default 1: real seconds; tests use e.g. 0.01). */
  sceneDelayScale?: number;
  /**
   * The reading of `Listover` in history replies: 'panels' (default; true = all returned) or
   * 'doc' (the 1081/43119 page; true = more to read). See README "Scenes, automations, history".
   */
  historyListover?: ListoverReading;
  /** Points kept per property and events per device (default 10000; the oldest go first). */
  historyLimit?: number;
  /** The push WebSocket: subscription lifetime, frame shape options (see push.ts). */
  push?: PushOptions;
  /**
   * The home's calls where the sources disagree: Limit above the maximum, a product without a
   * panel config, FromUserID in shared devices (home-options.ts; README "The home").
   */
  home?: Partial<HomeOptions>;
}

export interface RecordedRequest {
  /** The URL path, without the query string. */
  path: string;
  action?: string;
  /** Parsed JSON, or the raw string when not JSON. */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** now() when the body had arrived, ms. */
  receivedAt: number;
}

export interface ActionCall {
  productId: string;
  deviceName: string;
  actionId: string;
  params: Record<string, unknown>;
  mode: 'sync' | 'async';
  /** now() when the device executed it, ms. */
  at: number;
}

export interface Simulator {
  /** 'http://127.0.0.1:PORT' */
  readonly url: string;
  readonly port: number;
  /** url + '/api/exploreropen/tokenapi' */
  readonly tokenapiUrl: string;
  /** url + '/api/exploreropen/appapi' */
  readonly appapiUrl: string;
  /** 'ws://127.0.0.1:PORT/ws/explorer', the push WebSocket. */
  readonly pushUrl: string;
  /** 'ws://127.0.0.1:PORT/iotstudio_v2_weapp_1', the same socket on the newer path. */
  readonly pushUrlAlt: string;
  /** The push server: stats, options, faults, drop / stall / malformed frames, connections. */
  readonly push: SimulatorPush;
  /** HTTP API calls by Action since start (or resetRecords). */
  readonly httpCallsByAction: Record<string, number>;
  /** Settable at any time; applies to replies written from then on. */
  envelope: EnvelopeMode;
  /** Every request received, in order: API calls, and 404/405/413 ones too; not /_sim/ control requests. */
  readonly requests: RecordedRequest[];
  /** Every action a device actually executed (sync and async), in order. */
  readonly actionCalls: ActionCall[];
  /** socketsOpened: TCP connections accepted; requests: requests recorded in `requests` (so far). */
  readonly stats: { socketsOpened: number; requests: number };
  /** The live model. */
  readonly model: SimulatorModel;
  /** Adds a fault. Throws if the spec is invalid. */
  setFault(fault: FaultSpec): void;
  clearFaults(): void;
  setDeviceOnline(productId: string, deviceName: string, online: boolean): void;
  /** Sets a property (read-only ones too); throws if the value does not fit the template. */
  setDeviceProperty(
    productId: string,
    deviceName: string,
    propertyId: string,
    value: unknown,
  ): void;
  /** The device reports these property values in one message (one push). Throws if one does not fit. */
  reportProperties(productId: string, deviceName: string, values: Record<string, unknown>): void;
  /** The device posts an event; params left out get the template's default. */
  fireEvent(
    productId: string,
    deviceName: string,
    eventId: string,
    params?: Record<string, unknown>,
  ): void;
  issueToken(userId: string, ttlSeconds?: number): { Token: string; ExpireAt: number };
  revokeToken(token: string): void;
  /** Clears requests, actionCalls, stats, httpCallsByAction and push.stats. */
  resetRecords(): void;
  /** Stops promptly: destroys open sockets, cancels pending device delays and scripts. */
  close(): Promise<void>;
}
