import type { Node, NodeAPI, NodeDef } from 'node-red';
import { storedDeviceIds } from '../../lib/node/device-ids';
import { getAccount } from '../../lib/account/account';
import { DeviceWatcher, type WatchChange } from '../../lib/watch/device-watcher';
import type { ReadTarget } from '../../lib/watch/device-reader';
import { PushWatcher } from '../../lib/watch/push-watcher';
import { SubscriberStatus } from '../../lib/watch/subscriber-status';
import { MIN_INTERVAL_S, migrateWatch, watchIntervalMs, type StoredWatch } from './settings';
import {
  DEFAULT_BASELINE_WAIT_MS,
  DEFAULT_READ_RETRY_MS,
  pushTimingSettings,
  type PushConnection,
} from '../../lib/push/push-connection';
import { IotExplorerError, LocalErrorCode } from '../../lib/errors/errors';
import { localizeError } from '../../lib/node/i18n';
import { DeviceId } from '../../lib/shared/device-id';
import { changeMessage } from './message';

/** How a node saved by any version reads: {@link migrateWatch}. */
export interface WatchConfig extends NodeDef, StoredWatch {
  account: string;
}

function minIntervalSeconds(RED: NodeAPI): number {
  const setting = (RED.settings as unknown as Record<string, unknown>).iotExplorerWatchMinInterval;
  return typeof setting === 'number' && setting > 0 ? setting : MIN_INTERVAL_S;
}

export default function register(RED: NodeAPI): void {
  function IotExplorerWatchNode(this: Node, config: WatchConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const account = getAccount(RED, config.account);
    const { devices, properties, intervalSeconds, ...settings } = migrateWatch(config);
    const status = new SubscriberStatus(node, RED._);
    const fail = (err: IotExplorerError, msg: Record<string, unknown>): void => {
      status.failed(err.code);
      node.error(localizeError(RED, err), msg);
    };
    const failure = (err: IotExplorerError, target: ReadTarget): void => {
      const device = target.deviceId === undefined ? undefined : DeviceId.parse(target.deviceId);
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
      reads: account.client,
      deviceIds,
      properties,
      ...settings,
    };

    let stop: () => Promise<void>;
    let active: boolean;
    if (push) {
      const pushTimings = pushTimingSettings(RED.settings);
      // The account's device feed: watch nodes on the same devices share one subscription and
      // one baseline read of each (lib/home/device-feed.ts).
      const feed = account.home.feed;
      const watcher = new PushWatcher(
        {
          ...common,
          reads: feed,
          pushes: feed,
          baselineWaitMs: pushTimings.baselineWaitMs ?? DEFAULT_BASELINE_WAIT_MS,
          readRetryMs: pushTimings.readRetryMs ?? DEFAULT_READ_RETRY_MS,
        },
        {
          change: send,
          failure,
          connection(state, live) {
            const refusal = status.pushState(state, { live, count: deviceIds.length });
            if (refusal) {
              fail(refusal.clone(), {
                topic: '',
                payload: null,
                iotexplorer: { action: 'ActivePush' },
              });
            }
          },
        },
      );
      active = watcher.active;
      if (active) watcher.start();
      stop = () => watcher.stop();
    } else {
      const watcher = new DeviceWatcher(
        { ...common, intervalMs: watchIntervalMs(intervalSeconds, minIntervalSeconds(RED)) },
        {
          change: send,
          failure,
          round: (round) => status.polled(round, deviceIds.length),
        },
      );
      active = watcher.callsPerRound > 0;
      if (active) watcher.start();
      stop = () => watcher.stop();
    }

    status.started(active);

    node.on('close', (_removed: boolean, done: () => void) => {
      void stop().then(() => {
        status.clear();
        done();
      });
    });
  }

  RED.nodes.registerType('iot-explorer-watch', IotExplorerWatchNode);
}

module.exports = register;
