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
  type PushState,
} from '../../lib/push/push-connection';
import { IotExplorerError, LocalErrorCode, unexpectedError } from '../../lib/errors/errors';
import { checkSelectionSize, selectionConfigError } from '../../lib/node/selection';
import { filterDevices, type HomeFilter } from '../../lib/shared/home';
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
    const {
      devices,
      properties,
      intervalSeconds,
      selection: selectionRead,
      ...settings
    } = migrateWatch(config);
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
    const send = (change: WatchChange): void => {
      const device = account?.home.recordFor(change.productId, change.deviceName);
      node.send(changeMessage(change, device));
    };

    let push: PushConnection | undefined;
    let listed: string[] = [];
    const configError = selectionConfigError(selectionRead);
    const filter =
      selectionRead.selection.mode === 'filter' ? selectionRead.selection.filter : undefined;
    try {
      if (!account)
        throw new IotExplorerError({ code: LocalErrorCode.NoAccount, key: 'noAccount' });
      if (configError) throw configError;
      if (!filter) listed = storedDeviceIds(devices);
      if (settings.mode === 'push') {
        if (account.push instanceof IotExplorerError) throw account.push;
        push = account.push;
      }
    } catch (err) {
      fail(err as IotExplorerError, { payload: null });
      return;
    }

    /** What each watcher reports of the connection: its devices the service accepted. */
    const liveCounts = new Map<object, number>();
    let watchedCount = 0;
    const paintPush = (state: PushState): void => {
      let live = 0;
      for (const count of liveCounts.values()) live += count;
      const refusal = status.pushState(state, { live, count: watchedCount });
      if (refusal) {
        fail(refusal.clone(), { topic: '', payload: null, iotexplorer: { action: 'ActivePush' } });
      }
    };

    /** Starts watching `deviceIds` (push or poll, as the node says); returns how to stop. */
    const watch = (deviceIds: string[]): { active: boolean; stop: () => Promise<void> } => {
      const common = { reads: account.client, deviceIds, properties, ...settings };
      if (push) {
        const pushTimings = pushTimingSettings(RED.settings);
        // The account's device feed: watch nodes on the same devices share one subscription and
        // one baseline read of each (lib/home/device-feed.ts).
        const feed = account.home.feed;
        const key = {};
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
              liveCounts.set(key, live);
              paintPush(state);
            },
          },
        );
        if (watcher.active) watcher.start();
        return {
          active: watcher.active,
          stop: () => {
            liveCounts.delete(key);
            return watcher.stop();
          },
        };
      }
      const watcher = new DeviceWatcher(
        { ...common, intervalMs: watchIntervalMs(intervalSeconds, minIntervalSeconds(RED)) },
        {
          change: send,
          failure,
          round: (round) => status.polled(round, watchedCount),
        },
      );
      const active = watcher.callsPerRound > 0;
      if (active) watcher.start();
      return { active, stop: () => watcher.stop() };
    };

    let stop: () => Promise<void>;
    if (!filter) {
      watchedCount = listed.length;
      const watcher = watch(listed);
      status.started(watcher.active);
      stop = watcher.stop;
    } else {
      stop = watchSelection(filter);
    }

    /**
     * A selection: the devices the filter matches in the account's home, again after each
     * complete refresh of it, so a device added to the room (say) is watched without a redeploy
     * and one that left is let go. Each device has its own watcher (on the shared feed: one
     * subscription and one read per device for the whole account).
     */
    function watchSelection(selected: HomeFilter): () => Promise<void> {
      const home = account!.home;
      const watchers = new Map<string, { stop: () => Promise<void> }>();
      const stopping: Promise<void>[] = [];
      let closed = false;
      let lastProblem = '';
      const sync = (): void => {
        const snapshot = home.current();
        if (closed || !snapshot) return;
        const matched = filterDevices(snapshot.devices, selected).map((d) => d.deviceId);
        let problem: IotExplorerError | undefined;
        try {
          checkSelectionSize(account!, selected, matched.length);
        } catch (err) {
          problem = err as IotExplorerError;
        }
        const wanted = new Set(problem ? [] : matched);
        for (const [id, watcher] of watchers) {
          if (wanted.has(id)) continue;
          watchers.delete(id);
          stopping.push(watcher.stop());
        }
        for (const id of wanted) if (!watchers.has(id)) watchers.set(id, watch([id]));
        watchedCount = watchers.size;
        if (problem) {
          // Said once while it lasts; a later refresh that fits watches again.
          if (problem.code !== lastProblem) {
            fail(problem, {
              topic: '',
              payload: null,
              iotexplorer: { action: 'selection', selection: { mode: 'filter', filter: selected } },
            });
          }
          lastProblem = problem.code;
          status.failed(problem.code);
          return;
        }
        lastProblem = '';
        if (!push) status.started(watchers.size > 0);
        else if (feedState()) paintPush(feedState()!);
        else status.started(true);
      };
      const feedState = (): PushState | undefined =>
        push && watchers.size > 0 ? home.feed.state : undefined;
      status.started(true);
      const stopRefresh = home.onRefresh((refresh) => {
        if (refresh.ok) sync();
      });
      home.snapshot().then(sync, (err: unknown) => {
        if (!closed && !home.current()) fail(unexpectedError(err), { topic: '', payload: null });
      });
      return async () => {
        closed = true;
        stopRefresh();
        const all = [...watchers.values()].map((w) => w.stop());
        watchers.clear();
        await Promise.all([...stopping, ...all]);
      };
    }

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
