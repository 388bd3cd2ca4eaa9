import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { storedDeviceIds, type AccountNode, type StoredDevice } from '../lib/node/device-node';
import { DeviceWatcher, type WatchChange } from '../lib/watch/device-watcher';
import type { ReadTarget } from '../lib/watch/device-reader';
import { PushWatcher } from '../lib/watch/push-watcher';
import { migrateWatch, type StoredWatch } from '../lib/node/migrations';
import {
  DEFAULT_BASELINE_WAIT_MS,
  pushTimingSettings,
  type PushConnection,
  type PushState,
} from '../lib/push/push-connection';
import { IotExplorerError, LocalErrorCode } from '../lib/errors/errors';
import { localizeError } from '../lib/node/i18n';

export const MIN_INTERVAL_S = 5;

/** One row of the editor's device list. */
export type WatchedDevice = StoredDevice;

/** How a node saved by any version reads: {@link migrateWatch}. */
export interface WatchConfig extends NodeDef, StoredWatch {
  account: string;
}

/**
 * The poll interval in ms. Below the minimum it is raised to it; the minimum itself can be
 * lowered only through the runtime setting `iotExplorerWatchMinInterval` (seconds), which exists
 * for tests: the cloud's quotas are not meant for faster polling.
 */
export function watchIntervalMs(seconds: number, minSeconds: number): number {
  return Math.round(Math.max(seconds, minSeconds) * 1000);
}

function minIntervalSeconds(RED: NodeAPI): number {
  const setting = (RED.settings as unknown as Record<string, unknown>).iotExplorerWatchMinInterval;
  return typeof setting === 'number' && setting > 0 ? setting : MIN_INTERVAL_S;
}

/** The message for one change: topic `PID/DN/<what>`, the same for polled and pushed changes. */
export function changeMessage(change: WatchChange): NodeMessage {
  const common: Record<string, unknown> = {
    action: change.action,
    productId: change.productId,
    deviceName: change.deviceName,
  };
  if (change.requestId !== undefined) common.requestId = change.requestId;
  common.initial = change.initial;
  common.source = change.source;
  if (change.gapFill) common.gapFill = true;
  switch (change.kind) {
    case 'online':
      return {
        topic: `${change.deviceId}/online`,
        payload: { online: change.online, was: change.was },
        iotexplorer: common,
      };
    case 'property':
      return {
        topic: `${change.deviceId}/${change.property}`,
        payload: {
          property: change.property,
          oldValue: change.oldValue,
          newValue: change.newValue,
        },
        iotexplorer: { ...common, property: change.property, lastUpdate: change.lastUpdate },
      };
    case 'event':
      return {
        topic: `${change.deviceId}/event/${change.eventId}`,
        payload: { eventId: change.eventId, type: change.eventType, params: change.params },
        iotexplorer: { ...common, eventId: change.eventId, time: change.time },
      };
    case 'actionReply':
      return {
        topic: `${change.deviceId}/action/${change.actionId || 'unknown'}`,
        payload: {
          actionId: change.actionId || null,
          clientToken: change.clientToken,
          code: change.code,
          status: change.status,
          response: change.response,
        },
        iotexplorer: { ...common, actionId: change.actionId || null, time: change.time },
      };
  }
}

export default function register(RED: NodeAPI): void {
  function IotExplorerWatchNode(this: Node, config: WatchConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const account = RED.nodes.getNode(config.account) as AccountNode | null;
    const { devices, properties, intervalSeconds, ...settings } = migrateWatch(config);
    const t = (key: string, params?: Record<string, string | number>): string =>
      RED._(`iot-explorer-watch.${key}`, params);
    const fail = (err: IotExplorerError, msg: Record<string, unknown>): void => {
      node.status({ fill: 'red', shape: 'ring', text: err.code });
      node.error(localizeError(RED, err), msg);
    };
    const failure = (err: IotExplorerError, target: ReadTarget): void => {
      const ids = target.deviceId?.split('/') ?? [];
      fail(err, {
        topic: target.deviceId ?? '',
        payload: null,
        iotexplorer: {
          action: target.action,
          productId: ids[0],
          deviceName: ids[1],
          requestId: err.requestId,
        },
      });
    };
    const send = (change: WatchChange): void => node.send(changeMessage(change));

    let deviceIds: string[];
    let push: PushConnection | undefined;
    try {
      if (!account)
        throw new IotExplorerError({ code: LocalErrorCode.NoAccount, key: 'noAccount' });
      deviceIds = storedDeviceIds(devices);
      if (settings.mode === 'push') {
        if (account.push instanceof IotExplorerError) throw account.push;
        push = account.push;
      }
    } catch (err) {
      fail(err as IotExplorerError, { payload: null });
      return;
    }
    const common = {
      client: account.client,
      deviceIds,
      properties,
      ...settings,
    };

    let stop: () => Promise<void>;
    let active: boolean;
    if (push) {
      const watcher = new PushWatcher(
        {
          ...common,
          connection: push,
          baselineWaitMs:
            pushTimingSettings(RED.settings).baselineWaitMs ?? DEFAULT_BASELINE_WAIT_MS,
        },
        { change: send, failure, connection: (state, live) => showConnection(state, live) },
      );
      /** The last refusal reported, so that a token refused on every reconnect is logged once. */
      let refusedCode: string | undefined;
      const showConnection = (state: PushState, live: number): void => {
        if (state.phase === 'refused' && state.error) {
          if (refusedCode !== state.error.code) {
            refusedCode = state.error.code;
            fail(state.error.clone(), {
              topic: '',
              payload: null,
              iotexplorer: { action: 'ActivePush' },
            });
          } else node.status({ fill: 'red', shape: 'ring', text: state.error.code });
          return;
        }
        if (state.phase === 'live') {
          refusedCode = undefined;
          node.status({
            fill: live > 0 ? 'green' : 'yellow',
            shape: live > 0 ? 'dot' : 'ring',
            text: t('status.live', { live, count: deviceIds.length }),
          });
        } else if (state.phase === 'reconnecting') {
          node.status({
            fill: 'yellow',
            shape: 'ring',
            text: t('status.reconnecting', {
              seconds: Math.max(1, Math.round((state.retryInMs ?? 0) / 1000)),
            }),
          });
        } else if (
          (state.phase === 'connecting' || state.phase === 'subscribing') &&
          refusedCode === undefined
        ) {
          // After a refusal each retry connects again: the red code stays until it is accepted,
          // rather than flickering to "connecting…" at every attempt.
          node.status({ fill: 'blue', shape: 'ring', text: t('status.connecting') });
        }
      };
      active = watcher.active;
      if (active) watcher.start();
      stop = () => watcher.stop();
    } else {
      const watcher = new DeviceWatcher(
        { ...common, intervalMs: watchIntervalMs(intervalSeconds, minIntervalSeconds(RED)) },
        {
          change: send,
          failure,
          round({ failed, nextMs }) {
            node.status(
              failed
                ? {
                    fill: 'red',
                    shape: 'ring',
                    text: t('status.retrying', {
                      code: failed.code,
                      seconds: Math.round(nextMs / 1000),
                    }),
                  }
                : {
                    fill: 'green',
                    shape: 'dot',
                    text: t('status.watching', {
                      count: deviceIds.length,
                      time: new Date().toLocaleTimeString(),
                    }),
                  },
            );
          },
        },
      );
      active = watcher.callsPerRound > 0;
      if (active) watcher.start();
      stop = () => watcher.stop();
    }

    node.status(
      active
        ? { fill: 'blue', shape: 'ring', text: t('status.starting') }
        : { fill: 'grey', shape: 'ring', text: t('status.idle') },
    );

    node.on('close', (_removed: boolean, done: () => void) => {
      void stop().then(() => {
        node.status({});
        done();
      });
    });
  }

  RED.nodes.registerType('iot-explorer-watch', IotExplorerWatchNode);
}

module.exports = register;
