// The watch node's push-era settings. How a saved watch node is read is its migration,
// migrateWatch in nodes/iot-explorer-watch/settings.ts; this is the part of it that chooses push or poll.
import {
  migrateWatch,
  type StoredWatch,
  type WatchMode,
} from '../../nodes/iot-explorer-watch/settings';

export type { WatchMode } from '../../nodes/iot-explorer-watch/settings';

/** The settings whose meaning depends on when the node was saved. */
export type StoredWatchSettings = Pick<
  StoredWatch,
  'mode' | 'watchState' | 'watchOnline' | 'watchEvents' | 'watchActions'
>;

export interface WatchSettings {
  mode: WatchMode;
  watchState: boolean;
  watchOnline: boolean;
  watchEvents: boolean;
  watchActions: boolean;
}

/** What {@link migrateWatch} makes of these settings (a node saved before push keeps polling). */
export function migrateWatchConfig(stored: StoredWatchSettings): WatchSettings {
  const { mode, watchState, watchOnline, watchEvents, watchActions } = migrateWatch(stored);
  return { mode, watchState, watchOnline, watchEvents, watchActions };
}
