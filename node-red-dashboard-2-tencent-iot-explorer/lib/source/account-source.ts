/**
 * The panel's data source over a deployed `iot-explorer-account`, reached the one way every user
 * of the account reaches it, `getAccount(RED, id)` (the main package's lib/account/account.ts,
 * its `./account` export). That module is bundled into this package's build: it has no runtime
 * import, finds the account under a `Symbol.for` key (the same symbol in every copy), and returns
 * only an account of the interface version this package was built against, so a main package of
 * another version gives one clear error instead of a crash.
 *
 * Everything comes from the account's **home model** (`account.home`, lib/home/ of the main
 * package), shared with the watch nodes and the home node:
 *
 * - a selection (a room, a family, a product, listed devices) is resolved from the home's device
 *   records, the user's own devices and those shared with the user, with their names, rooms and
 *   online state; when the home changes (a device added, moved, renamed, shared), the panel is
 *   told and resolves its selection again;
 * - values and online states come from the account's shared device feed: one push subscription
 *   for every panel, watch node and the home of the account, one read per device however many
 *   ask, and no read at all for a device push already keeps current;
 * - products (template and panel configuration) are read once per account and kept; a control
 *   or an action goes through the account's API client like any node's.
 *
 * Only types and pure helpers of the main package are used; its runtime parts are the account's.
 */

import {
  deployedNodeKind,
  getAccount,
  type IotExplorerAccount,
  type NodeLookup,
} from '../../../lib/account/account';
import type { ApiClient } from '../../../lib/api/client';
import type { HomeModel } from '../../../lib/home/home-model';
import type { DevicePush } from '../../../lib/push/frames';
import type { PushState } from '../../../lib/push/push-connection';
import { DeviceId } from '../../../lib/shared/device-id';
import { bareRecord, filterDevices, type HomeFilter } from '../../../lib/shared/home';

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
/** Devices read at once when the panel (re)reads its devices; the client's flow control bounds it too. */
const READS_AT_ONCE = 4;

function deviceOf(deviceId: string): DeviceId {
  const device = DeviceId.parse(deviceId);
  if (!device) {
    throw new PanelSourceError(
      'IOTX_PANEL_BAD_DEVICE',
      `"${deviceId}" is not ProductId/DeviceName`,
    );
  }
  return device;
}

function parseJson(text: string | null): unknown {
  if (text === null || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** What the home's filter is for a room, family or product selection. */
export function filterOf(selection: Exclude<DeviceSelection, { type: 'devices' }>): HomeFilter {
  switch (selection.type) {
    case 'room':
      // The family's default room is `0` in the home's records; '' asks for it too.
      return { familyId: selection.familyId, roomId: selection.roomId || '0' };
    case 'family':
      return { familyId: selection.familyId };
    case 'product':
      return { productId: selection.productId };
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

class HomeSource implements PanelSource {
  private readonly productCache = new Map<string, Promise<ProductRecord | undefined>>();
  private readonly client: ApiClient;
  /** Whether the account has a push connection (else the panel reads on a schedule). */
  private readonly hasPush: boolean;

  constructor(private readonly account: IotExplorerAccount) {
    this.client = account.client;
    this.hasPush = !(account.push instanceof Error);
  }

  /** The account's home, made on first use (by whichever of its users asks first). */
  private get home(): HomeModel {
    return this.account.home;
  }

  async resolve(selection: DeviceSelection, options: CallOptions = {}): Promise<DeviceRecord[]> {
    const snapshot = await this.home.snapshot({ signal: options.signal });
    const records =
      selection.type === 'devices'
        ? selection.deviceIds.map((id) => {
            const device = deviceOf(id);
            return (
              snapshot.devices.find((d) => d.deviceId === id) ??
              bareRecord(device.productId, device.deviceName)
            );
          })
        : filterDevices(snapshot.devices, filterOf(selection));
    // Product names the home did not read come from the products the panel reads anyway.
    const unnamed = [...new Set(records.filter((r) => !r.productName).map((r) => r.productId))];
    if (unnamed.length === 0) return records;
    const names = new Map(
      (await this.products(unnamed, options)).map((p) => [p.productId, p.name]),
    );
    return records.map((r) =>
      r.productName ? r : { ...r, productName: names.get(r.productId) ?? null },
    );
  }

  watchHome(listener: () => void): () => void {
    return this.home.onChange(() => listener());
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
      // No panel configuration (a service that refuses the Action, say): the template decides.
      this.client.getProductsConfig(productIds, options).catch(() => []),
    ]);
    const configOf = new Map(configs.map((c) => [c.productId, c.config]));
    return new Map(
      products.map((p) => [
        p.productId,
        {
          productId: p.productId,
          name: p.name,
          dataTemplate: p.dataTemplate,
          panelConfig: configOf.get(p.productId) || null,
        },
      ]),
    );
  }

  /**
   * Values and online states through the account's device feed: a read joins one in flight for
   * the same device, and a device push keeps current is answered without a call.
   */
  async read(
    deviceIds: readonly string[],
    options: CallOptions = {},
  ): Promise<Map<string, DeviceState>> {
    const feed = this.home.feed;
    const states = new Map<string, DeviceState>();
    const statuses = deviceIds.length
      ? await feed.getDeviceStatuses(deviceIds, options).catch(() => ({ statuses: [] }))
      : { statuses: [] };
    const online = new Map(statuses.statuses.map((s) => [s.deviceId, s.online]));
    await eachLimited(deviceIds, READS_AT_ONCE, async (deviceId) => {
      const values: DeviceState['values'] = {};
      try {
        const data = await feed.getDeviceData(deviceOf(deviceId), options);
        for (const [id, reading] of Object.entries(data.properties)) {
          values[id] = { value: reading.value, time: reading.lastUpdate };
        }
      } catch {
        // A device that cannot be read keeps its card; its values stay unknown.
      }
      states.set(deviceId, {
        values,
        online: online.get(deviceId) ?? this.home.known(deviceId)?.online ?? null,
      });
    });
    return states;
  }

  subscribe(deviceIds: readonly string[], listener: SourceListener): () => void {
    const ids = [...deviceIds];
    let ended = false;
    const resync = (): void => {
      this.read(ids).then(
        (states) => {
          if (!ended) listener.resync(states);
        },
        () => undefined,
      );
    };
    if (!this.hasPush || ids.length === 0) {
      listener.health({ mode: 'polling' });
      resync();
      const timer = setInterval(resync, POLL_INTERVAL_MS);
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
    const unsubscribe = this.home.feed.subscribe({
      deviceIds: ids,
      push: (push) => {
        const change = toSourceChange(push);
        if (change && !ended) listener.change(change);
      },
      state: (state) => {
        if (!ended) onState(state);
      },
      unattributedStatus: () => {
        if (!ended) resync();
      },
    });
    const onState = (state: PushState): void => {
      if (state.phase === 'live') {
        listener.health({ mode: 'live' });
        // A new socket may have missed changes: read once per live session (the feed answers
        // a device another subscriber read in this session without a call).
        if (state.session !== session) {
          session = state.session;
          clearTimeout(firstRead);
          resync();
        }
      } else if (state.phase === 'refused') {
        listener.health({ mode: 'down', code: state.error?.code });
      } else {
        listener.health({ mode: 'connecting' });
      }
    };
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
      { ...deviceOf(deviceId), data: JSON.stringify(data) },
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
      { ...deviceOf(deviceId), actionId, inputParams: JSON.stringify(input) },
      options,
    );
    return {
      requestId: reply.requestId,
      status: reply.status,
      output: parseJson(reply.outputParams),
    };
  }
}

function toSourceChange(push: DevicePush): SourceChange | undefined {
  switch (push.kind) {
    case 'properties':
      return {
        kind: 'properties',
        deviceId: push.deviceId,
        values: push.values,
        origin: push.origin,
        time: push.time,
      };
    case 'online':
      return { kind: 'online', deviceId: push.deviceId, online: push.online, time: push.time };
    case 'event':
      return {
        kind: 'event',
        deviceId: push.deviceId,
        eventId: push.eventId,
        eventType: push.eventType,
        params: push.params,
        time: push.time,
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
  const source = new HomeSource(account);
  sources.set(account, source);
  return source;
}
