// The watch node's stored settings, and how a node saved by an older version reads them.

export type WatchMode = 'push' | 'poll';

/** The settings whose meaning depends on when the node was saved. */
export interface StoredWatchSettings {
  /** Absent in nodes saved before push existed. */
  mode?: unknown;
  watchState?: unknown;
  watchOnline?: unknown;
  watchEvents?: unknown;
  watchActions?: unknown;
}

export interface WatchSettings {
  mode: WatchMode;
  watchState: boolean;
  watchOnline: boolean;
  watchEvents: boolean;
  watchActions: boolean;
}

/**
 * A node saved before push existed has no `mode`: it keeps polling, so no saved flow changes
 * meaning (the editor offers push to new nodes). Properties and online state are watched unless
 * switched off, as before; events and action replies only when switched on, and only by push.
 */
export function migrateWatchConfig(stored: StoredWatchSettings): WatchSettings {
  return {
    mode: stored.mode === 'push' ? 'push' : 'poll',
    watchState: stored.watchState !== false,
    watchOnline: stored.watchOnline !== false,
    watchEvents: stored.watchEvents === true,
    watchActions: stored.watchActions === true,
  };
}
