import type { Node, NodeAPI, NodeDef } from 'node-red';
import { getAccount } from '../../lib/account/account';
import { IotExplorerError, LocalErrorCode } from '../../lib/errors/errors';
import type { HomeModel } from '../../lib/home/home-model';
import { handleCallMessages, type CallInfo } from '../../lib/node/call-life-cycle';
import {
  filterDevices,
  homeChangeTopic,
  readHomeFilter,
  type DeviceRecord,
  type HomeFamily,
  type HomeFilter,
} from '../../lib/shared/home';
import { migrateHome, type StoredHome } from './settings';

export interface HomeConfig extends NodeDef, StoredHome {
  account: string;
}

/** What `msg.iotexplorer` holds after the home was sent. */
export interface HomeCallInfo extends CallInfo {
  action: 'home';
  /** The filter applied (the node's, or msg.filter). */
  filter?: HomeFilter;
  /** True when a refresh failed and the home is the last complete one. */
  stale?: boolean;
}

/** A device record in the payload, with its current values when asked for. */
export type HomeDevice = DeviceRecord & { values?: Record<string, unknown> | null };

/** Values are read a few devices at a time: gentle on the account's quota. */
const VALUE_READS_AT_ONCE = 4;

/** msg.filter as the home reads it; a wrong one fails naming its field. */
function messageFilter(raw: unknown): HomeFilter {
  const read = readHomeFilter(raw);
  if ('filter' in read) return read.filter;
  const wrong = read.wrong;
  const field = wrong === 'filter' ? 'msg.filter' : `msg.${wrong}`;
  const got =
    wrong === 'filter' ? raw : (raw as Record<string, unknown>)[wrong.slice('filter.'.length)];
  throw new IotExplorerError({
    code: LocalErrorCode.InvalidField,
    key: 'home.invalidFilter',
    params: { field, got: JSON.stringify(got) ?? String(got) },
  });
}

/** The families a filter leaves: all, or the one it names (rooms likewise). */
function filterFamilies(families: readonly HomeFamily[], filter: HomeFilter): HomeFamily[] {
  return families
    .filter((f) => filter.familyId === undefined || f.familyId === filter.familyId)
    .map((f) => ({
      ...f,
      rooms: f.rooms
        .filter((r) => filter.roomId === undefined || r.roomId === filter.roomId)
        .map((r) => ({ ...r })),
    }));
}

/** Each device's values ({id: value}), or null where they could not be read. */
async function withValues(
  home: HomeModel,
  devices: DeviceRecord[],
  signal: AbortSignal | undefined,
): Promise<HomeDevice[]> {
  const out: HomeDevice[] = devices.map((d) => ({ ...d, values: null }));
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < out.length; i = next++) {
      try {
        const readings = await home.values(out[i].deviceId, { signal });
        out[i].values = Object.fromEntries(
          Object.entries(readings).map(([id, reading]) => [id, reading.value]),
        );
      } catch (err) {
        if (signal?.aborted) throw err;
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(VALUE_READS_AT_ONCE, out.length) }, () => worker()),
  );
  return out;
}

export default function register(RED: NodeAPI): void {
  function IotExplorerHomeNode(this: Node, config: HomeConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const settings = migrateHome(config);
    const account = getAccount(RED, config.account);

    handleCallMessages<HomeCallInfo>(RED, node, {
      account,
      action: 'home',
      async run(msg, { account: acc, callOptions, info }) {
        const raw = (msg as { filter?: unknown }).filter;
        const filter = raw === undefined ? settings.filter : messageFilter(raw);
        info.filter = filter;
        const refresh = (msg as { refresh?: unknown }).refresh === true;
        const home = await acc.home.snapshot({ refresh, signal: callOptions.signal });
        const matched = filterDevices(home.devices, filter);
        const devices: HomeDevice[] = settings.withValues
          ? await withValues(acc.home, matched, callOptions.signal)
          : matched.map((d) => ({ ...d }));
        info.stale = home.stale;
        msg.payload = {
          families: filterFamilies(home.families, filter),
          devices,
          loadedAt: home.loadedAt,
          stale: home.stale,
        };
        return RED._('iot-explorer-home.status.devices', { count: devices.length });
      },
    });

    if (!settings.sendChanges || !account) return;
    const home = account.home;
    const stop = home.onChange((changes) => {
      for (const change of changes) {
        const matchedNow = filterDevices([change.device], settings.filter).length > 0;
        const matchedBefore =
          change.before !== undefined && filterDevices([change.before], settings.filter).length > 0;
        if (!matchedNow && !matchedBefore) continue;
        node.send({
          topic: homeChangeTopic(change.kind),
          payload: { ...change.device },
          before: change.before ? { ...change.before } : undefined,
          iotexplorer: { action: 'home', change: change.kind },
        });
      }
    });
    // Changes are noticed between complete reads: the first read sets the home they start from.
    home.ensureLoaded();
    node.on('close', () => stop());
  }

  RED.nodes.registerType('iot-explorer-home', IotExplorerHomeNode);
}

module.exports = register;
