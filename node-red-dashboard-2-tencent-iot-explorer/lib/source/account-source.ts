/**
 * The panel's data source over a deployed `iot-explorer-account`: its API client and its push
 * connection, reached the one way every user of the account reaches it, `getAccount(RED, id)`
 * (the main package's lib/account/account.ts, its `./account` export). That module is bundled
 * into this package's build: it has no runtime import, finds the account under a `Symbol.for`
 * key (the same symbol in every copy), and returns only an account of the interface version this
 * package was built against, so a main package of another version gives one clear error instead
 * of a crash. The shapes below are the parts of the account's client and push connection the
 * panel uses; the compiler checks them against the account's interface.
 *
 * When the account's home model lands, a source built on it replaces this file (same
 * {@link PanelSource} interface); `sourceFor` is the one place that chooses.
 */

import {
  deployedNodeKind,
  getAccount,
  type IotExplorerAccount,
  type NodeLookup,
} from '../../../lib/account/account';

import type {
  ActionOutcome,
  CallOptions,
  DeviceRecord,
  DeviceSelection,
  DeviceState,
  PanelSource,
  ProductRecord,
  SourceChange,
  SourceListener,
} from './panel-source';

interface Target {
  productId: string;
  deviceName: string;
}

/** The account's API client, as far as the panel uses it. */
interface AccountClient {
  controlDeviceData(
    call: Target & { data: string },
    options?: CallOptions,
  ): Promise<{ requestId: string }>;
  callDeviceActionSync(
    call: Target & { actionId: string; inputParams?: string },
    options?: CallOptions,
  ): Promise<{ requestId: string; status: string; outputParams: string | null }>;
  getDeviceData(
    target: Target,
    options?: CallOptions,
  ): Promise<{ properties: Record<string, { value: unknown; lastUpdate: number | null }> }>;
  getDeviceStatuses(
    deviceIds: readonly string[],
    options?: CallOptions,
  ): Promise<{ statuses: { deviceId: string; online: boolean }[] }>;
  getProducts(
    productIds: readonly string[],
    options?: CallOptions,
  ): Promise<{ productId: string; name: string; dataTemplate: string }[]>;
  getFamilies(options?: CallOptions): Promise<{ familyId: string; name: string }[]>;
  getFamilyDevices(
    familyId: string,
    options?: CallOptions,
  ): Promise<
    { deviceId: string; productId: string; deviceName: string; aliasName: string; roomId: string }[]
  >;
  getRooms(
    familyId: string,
    options?: CallOptions,
  ): Promise<{ roomId: string; roomName: string }[]>;
}

/** `AppGetProductsConfig`, when the client has it under either name; see {@link panelConfigs}. */
interface PanelConfigCalls {
  getProductsConfig?(
    productIds: readonly string[],
    options?: CallOptions,
  ): Promise<{ productId: string; config: unknown }[]>;
  request?(
    action: string,
    params: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<{ data: Record<string, unknown> }>;
}

/** One push of the account's connection (the fields the panel reads). */
type AccountPushChange =
  | { kind: 'online'; deviceId: string; online: boolean; time: number }
  | {
      kind: 'properties';
      deviceId: string;
      values: Record<string, unknown>;
      origin: 'report' | 'control';
      time: number;
    }
  | {
      kind: 'event';
      deviceId: string;
      eventId: string;
      eventType: string;
      params: unknown;
      time: number;
    }
  | { kind: 'actionCall' | 'actionReply'; deviceId: string; time: number };

interface AccountPushState {
  phase: string;
  session: number;
  error?: { code?: unknown };
}

interface AccountPush {
  subscribe(subscriber: {
    readonly deviceIds: readonly string[];
    push(change: AccountPushChange): void;
    state(state: AccountPushState): void;
    unattributedStatus?(): void;
  }): () => void;
}

/** The error a source refuses with: `code` and `message`, as the API's errors carry them. */
export class PanelSourceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** How often a source without push reads its devices. */
export const POLL_INTERVAL_MS = 60_000;
/** With push, the first read waits at most this long for the subscription to be live. */
export const FIRST_READ_WAIT_MS = 3_000;
/** The home (families, rooms, devices) read for a selection is kept this long. */
export const HOME_TTL_MS = 30_000;

function splitDeviceId(deviceId: string): Target {
  const slash = deviceId.indexOf('/');
  if (slash <= 0 || slash === deviceId.length - 1) {
    throw new PanelSourceError(
      'IOTX_PANEL_BAD_DEVICE',
      `"${deviceId}" is not ProductId/DeviceName`,
    );
  }
  return { productId: deviceId.slice(0, slash), deviceName: deviceId.slice(slash + 1) };
}

function parseJson(text: string | null): unknown {
  if (text === null || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

interface Home {
  devices: DeviceRecord[];
}

/** Runs `work` over `items`, at most `limit` at a time (the client's flow control bounds it too). */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

class AccountSource implements PanelSource {
  private home?: { at: number; value: Promise<Home> };
  private readonly productCache = new Map<string, Promise<ProductRecord | undefined>>();

  constructor(
    private readonly client: AccountClient & PanelConfigCalls,
    private readonly push: AccountPush | undefined,
  ) {}

  async resolve(selection: DeviceSelection, options: CallOptions = {}): Promise<DeviceRecord[]> {
    const home = await this.loadHome(options);
    let devices: DeviceRecord[];
    switch (selection.type) {
      case 'devices':
        devices = selection.deviceIds.map(
          (id) => home.devices.find((d) => d.deviceId === id) ?? unknownDevice(id),
        );
        break;
      case 'room': {
        const roomId =
          selection.roomId === '0' || selection.roomId === '' ? null : selection.roomId;
        devices = home.devices.filter(
          (d) => d.familyId === selection.familyId && d.roomId === roomId,
        );
        break;
      }
      case 'family':
        devices = home.devices.filter((d) => d.familyId === selection.familyId);
        break;
      case 'product':
        devices = home.devices.filter((d) => d.productId === selection.productId);
        break;
    }
    const products = await this.products([...new Set(devices.map((d) => d.productId))], options);
    const names = new Map(products.map((p) => [p.productId, p.name]));
    return devices.map((d) => ({ ...d, productName: names.get(d.productId) ?? d.productName }));
  }

  private loadHome(options: CallOptions): Promise<Home> {
    const now = Date.now();
    if (this.home && now - this.home.at < HOME_TTL_MS) return this.home.value;
    const value = this.readHome(options);
    this.home = { at: now, value };
    // A failed read is not kept: the next selection asks again.
    value.catch(() => {
      if (this.home?.value === value) this.home = undefined;
    });
    return value;
  }

  private async readHome(options: CallOptions): Promise<Home> {
    const families = await this.client.getFamilies(options);
    const devices: DeviceRecord[] = [];
    for (const family of families) {
      const [rooms, members] = await Promise.all([
        this.client.getRooms(family.familyId, options),
        this.client.getFamilyDevices(family.familyId, options),
      ]);
      const roomNames = new Map(rooms.map((r) => [r.roomId, r.roomName]));
      for (const d of members) {
        const inDefaultRoom = d.roomId === '' || d.roomId === '0';
        devices.push({
          deviceId: d.deviceId,
          productId: d.productId,
          deviceName: d.deviceName,
          alias: d.aliasName,
          productName: '',
          familyId: family.familyId,
          familyName: family.name,
          roomId: inDefaultRoom ? null : d.roomId,
          roomName: inDefaultRoom ? null : (roomNames.get(d.roomId) ?? null),
          shared: false,
          online: null,
        });
      }
    }
    return { devices };
  }

  async products(
    productIds: readonly string[],
    options: CallOptions = {},
  ): Promise<ProductRecord[]> {
    const missing = productIds.filter((id) => !this.productCache.has(id));
    if (missing.length > 0) {
      const read = this.readProducts(missing, options);
      for (const id of missing) {
        const one = read.then((all) => all.get(id));
        this.productCache.set(id, one);
        // A failed read is not kept.
        one.catch(() => this.productCache.delete(id));
      }
    }
    const found = await Promise.all(
      productIds.map((id) => this.productCache.get(id) ?? Promise.resolve(undefined)),
    );
    return found.filter((p): p is ProductRecord => p !== undefined);
  }

  private async readProducts(
    productIds: readonly string[],
    options: CallOptions,
  ): Promise<Map<string, ProductRecord>> {
    const [products, configs] = await Promise.all([
      this.client.getProducts(productIds, options),
      this.panelConfigs(productIds, options),
    ]);
    return new Map(
      products.map((p) => [
        p.productId,
        {
          productId: p.productId,
          name: p.name,
          dataTemplate: p.dataTemplate,
          panelConfig: configs.get(p.productId) ?? null,
        },
      ]),
    );
  }

  /**
   * `AppGetProductsConfig` (reply `Data[{ProductId, Config}]`, Config a JSON string). The main
   * package's client has no method for it yet: a `getProductsConfig` is used when it appears,
   * else the client's generic request. Any failure (an older client, a service that refuses the
   * Action) means "no panel config": the panel is then drawn from the data template.
   */
  private async panelConfigs(
    productIds: readonly string[],
    options: CallOptions,
  ): Promise<Map<string, unknown>> {
    const configs = new Map<string, unknown>();
    try {
      const typed = await this.client.getProductsConfig?.(productIds, options);
      if (typed) {
        for (const c of typed) configs.set(c.productId, c.config);
        return configs;
      }
      const reply = await this.client.request?.(
        'AppGetProductsConfig',
        { ProductIds: productIds },
        options,
      );
      if (reply) {
        const list = Array.isArray(reply.data.Data) ? (reply.data.Data as unknown[]) : [];
        for (const item of list) {
          if (!item || typeof item !== 'object') continue;
          const { ProductId, Config } = item as { ProductId?: unknown; Config?: unknown };
          if (typeof ProductId === 'string') configs.set(ProductId, Config ?? null);
        }
      }
    } catch {
      // No panel config: the template decides.
    }
    return configs;
  }

  async read(
    deviceIds: readonly string[],
    options: CallOptions = {},
  ): Promise<Map<string, DeviceState>> {
    const states = new Map<string, DeviceState>();
    const statuses = deviceIds.length
      ? await this.client.getDeviceStatuses(deviceIds, options).catch(() => ({ statuses: [] }))
      : { statuses: [] };
    const online = new Map(statuses.statuses.map((s) => [s.deviceId, s.online]));
    await eachLimited(deviceIds, 4, async (deviceId) => {
      const values: DeviceState['values'] = {};
      try {
        const data = await this.client.getDeviceData(splitDeviceId(deviceId), options);
        for (const [id, reading] of Object.entries(data.properties)) {
          values[id] = { value: reading.value, time: reading.lastUpdate };
        }
      } catch {
        // A device that cannot be read keeps its card; its values stay unknown.
      }
      states.set(deviceId, { values, online: online.get(deviceId) ?? null });
    });
    return states;
  }

  subscribe(deviceIds: readonly string[], listener: SourceListener): () => void {
    const ids = [...deviceIds];
    let ended = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    const resync = (): void => {
      this.read(ids).then(
        (states) => {
          if (!ended) listener.resync(states);
        },
        () => undefined,
      );
    };
    if (!this.push || ids.length === 0) {
      listener.health({ mode: 'polling' });
      resync();
      timer = setInterval(resync, POLL_INTERVAL_MS);
      return () => {
        ended = true;
        clearInterval(timer);
      };
    }
    let session = -1;
    // The first read waits for push to be live (a read before it could miss a change); without
    // push after a few seconds it is made anyway, so the panel never stays empty.
    const firstRead = setTimeout(() => {
      if (session === -1) resync();
    }, FIRST_READ_WAIT_MS);
    const unsubscribe = this.push.subscribe({
      deviceIds: ids,
      push: (change) => {
        const mapped = toSourceChange(change);
        if (mapped && !ended) listener.change(mapped);
      },
      state: (state) => {
        if (ended) return;
        if (state.phase === 'live') {
          listener.health({ mode: 'live' });
          // A new socket may have missed changes: read once per live session.
          if (state.session !== session) {
            session = state.session;
            clearTimeout(firstRead);
            resync();
          }
        } else if (state.phase === 'refused') {
          const code = state.error?.code;
          listener.health({ mode: 'down', code: typeof code === 'string' ? code : undefined });
        } else {
          listener.health({ mode: 'connecting' });
        }
      },
      unattributedStatus: () => {
        if (!ended) resync();
      },
    });
    return () => {
      ended = true;
      clearTimeout(firstRead);
      unsubscribe();
    };
  }

  async control(
    deviceId: string,
    data: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<{ requestId: string }> {
    const { requestId } = await this.client.controlDeviceData(
      { ...splitDeviceId(deviceId), data: JSON.stringify(data) },
      options,
    );
    return { requestId };
  }

  async callAction(
    deviceId: string,
    actionId: string,
    input: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<ActionOutcome> {
    const reply = await this.client.callDeviceActionSync(
      { ...splitDeviceId(deviceId), actionId, inputParams: JSON.stringify(input) },
      options,
    );
    return {
      requestId: reply.requestId,
      status: reply.status,
      output: parseJson(reply.outputParams),
    };
  }
}

function unknownDevice(deviceId: string): DeviceRecord {
  const { productId, deviceName } = splitDeviceId(deviceId);
  return {
    deviceId,
    productId,
    deviceName,
    alias: '',
    productName: '',
    familyId: null,
    familyName: null,
    roomId: null,
    roomName: null,
    shared: false,
    online: null,
  };
}

function toSourceChange(change: AccountPushChange): SourceChange | undefined {
  switch (change.kind) {
    case 'properties':
      return {
        kind: 'properties',
        deviceId: change.deviceId,
        values: change.values,
        origin: change.origin,
        time: change.time,
      };
    case 'online':
      return {
        kind: 'online',
        deviceId: change.deviceId,
        online: change.online,
        time: change.time,
      };
    case 'event':
      return {
        kind: 'event',
        deviceId: change.deviceId,
        eventId: change.eventId,
        eventType: change.eventType,
        params: change.params,
        time: change.time,
      };
    default:
      return undefined;
  }
}

/** One source per deployed account (a redeploy makes a new one), shared by its panels. */
const sources = new WeakMap<IotExplorerAccount, PanelSource>();

/**
 * The data source of the account config node `id` ({@link getAccount}), or a
 * {@link PanelSourceError} saying why there is none.
 */
export function sourceFor(RED: NodeLookup, id: string | undefined): PanelSource | PanelSourceError {
  const account = getAccount(RED, id);
  if (!account) {
    return deployedNodeKind(RED, id) === 'account'
      ? new PanelSourceError(
          'IOTX_PANEL_ACCOUNT_TOO_OLD',
          'this IoT Explorer account node is of another version than the panel: install matching versions of @homeflow/node-red-tencent-iot-explorer and this package',
        )
      : new PanelSourceError(
          'IOTX_PANEL_NO_ACCOUNT',
          'no IoT Explorer account: pick one in the node, and install @homeflow/node-red-tencent-iot-explorer first',
        );
  }
  const known = sources.get(account);
  if (known) return known;
  // The account holds an error instead of a connection when its endpoint has no push URL.
  const client: AccountClient & PanelConfigCalls = account.client;
  const push: AccountPush | undefined = account.push instanceof Error ? undefined : account.push;
  const source = new AccountSource(client, push);
  sources.set(account, source);
  return source;
}
