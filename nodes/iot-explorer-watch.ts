import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import {
  parsePropertyList,
  storedDeviceIds,
  type AccountNode,
  type DeviceListConfig,
  type StoredDevice,
} from '../lib/node/device-node';
import { DeviceWatcher, type WatchChange } from '../lib/watch/device-watcher';
import { IotExplorerError, LocalErrorCode } from '../lib/errors/errors';
import { localizeError } from '../lib/node/i18n';
import { DeviceId } from '../lib/shared/device-id';

export const DEFAULT_INTERVAL_S = 30;
export const MIN_INTERVAL_S = 5;

/** One row of the editor's device list. */
export type WatchedDevice = StoredDevice;

export interface WatchConfig extends NodeDef, DeviceListConfig {
  account: string;
  properties?: string;
  watchState?: boolean;
  watchOnline?: boolean;
  /** Seconds. */
  interval?: string | number;
  emitInitial?: boolean;
}

/**
 * The poll interval in ms. Below the minimum it is raised to it; the minimum itself can be
 * lowered only through the runtime setting `iotExplorerWatchMinInterval` (seconds), which exists
 * for tests: the cloud's quotas are not meant for faster polling.
 */
export function watchIntervalMs(raw: string | number | undefined, minSeconds: number): number {
  const seconds = typeof raw === 'number' ? raw : Number.parseFloat(String(raw ?? ''));
  const chosen = Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_INTERVAL_S;
  return Math.round(Math.max(chosen, minSeconds) * 1000);
}

function minIntervalSeconds(RED: NodeAPI): number {
  const setting = (RED.settings as unknown as Record<string, unknown>).iotExplorerWatchMinInterval;
  return typeof setting === 'number' && setting > 0 ? setting : MIN_INTERVAL_S;
}

/** The message for one change: one per property or online change, topic `PID/DN/<what>`. */
export function changeMessage(change: WatchChange): NodeMessage {
  const common = {
    productId: change.productId,
    deviceName: change.deviceName,
    requestId: change.requestId,
    initial: change.initial,
  };
  if (change.kind === 'online') {
    return {
      topic: `${change.deviceId}/online`,
      payload: { online: change.online, was: change.was },
      iotexplorer: { action: 'AppGetDeviceStatuses', ...common },
    };
  }
  return {
    topic: `${change.deviceId}/${change.property}`,
    payload: { property: change.property, oldValue: change.oldValue, newValue: change.newValue },
    iotexplorer: {
      action: 'AppGetDeviceData',
      ...common,
      property: change.property,
      lastUpdate: change.lastUpdate,
    },
  };
}

export default function register(RED: NodeAPI): void {
  function IotExplorerWatchNode(this: Node, config: WatchConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const account = RED.nodes.getNode(config.account) as AccountNode | null;
    const intervalMs = watchIntervalMs(config.interval, minIntervalSeconds(RED));
    const fail = (err: IotExplorerError, msg: Record<string, unknown>): void => {
      node.status({ fill: 'red', shape: 'ring', text: err.code });
      node.error(localizeError(RED, err), msg);
    };

    let deviceIds: string[];
    try {
      if (!account)
        throw new IotExplorerError({ code: LocalErrorCode.NoAccount, key: 'noAccount' });
      deviceIds = storedDeviceIds(config);
    } catch (err) {
      fail(err as IotExplorerError, { payload: null });
      return;
    }

    const watcher = new DeviceWatcher(
      {
        client: account.client,
        deviceIds,
        properties: parsePropertyList(config.properties),
        // Nodes saved without these watch both.
        watchState: config.watchState !== false,
        watchOnline: config.watchOnline !== false,
        intervalMs,
        emitInitial: config.emitInitial === true,
      },
      {
        change(change) {
          node.send(changeMessage(change));
        },
        failure(err, target) {
          const device =
            target.deviceId === undefined ? undefined : DeviceId.parse(target.deviceId);
          fail(err, {
            topic: target.deviceId ?? '',
            payload: null,
            iotexplorer: {
              action: target.action,
              productId: device?.productId,
              deviceName: device?.deviceName,
              requestId: err.requestId,
            },
          });
        },
        round({ failed, nextMs }) {
          const time = new Date().toLocaleTimeString();
          node.status(
            failed
              ? {
                  fill: 'red',
                  shape: 'ring',
                  text: RED._('iot-explorer-watch.status.retrying', {
                    code: failed.code,
                    seconds: Math.round(nextMs / 1000),
                  }),
                }
              : {
                  fill: 'green',
                  shape: 'dot',
                  text: RED._('iot-explorer-watch.status.watching', {
                    count: deviceIds.length,
                    time,
                  }),
                },
          );
        },
      },
    );

    if (watcher.callsPerRound === 0) {
      node.status({ fill: 'grey', shape: 'ring', text: RED._('iot-explorer-watch.status.idle') });
    } else {
      node.status({
        fill: 'blue',
        shape: 'ring',
        text: RED._('iot-explorer-watch.status.starting'),
      });
      watcher.start();
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      void watcher.stop().then(() => {
        node.status({});
        done();
      });
    });
  }

  RED.nodes.registerType('iot-explorer-watch', IotExplorerWatchNode);
}

module.exports = register;
