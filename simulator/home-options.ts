// The simulator's answers where the sources about the home's calls disagree or are silent,
// kept in one place. Each can be chosen per simulator (SimulatorOptions.home, the CLI) and
// changed while it runs (sim.model.homeOptions, POST /_sim/home/options). See README "The home".

/**
 * What a list call does with a `Limit` above its documented maximum (50 for families, rooms
 * and family devices; 100 for shared devices). The real service's answer is unknown; the
 * official apps send 999 and more and expect everything back.
 * - `reject`: InvalidParameterValue naming Limit (default: a client that asks for more than the
 *   documented maximum is caught at once).
 * - `clamp`: the page holds at most the maximum; `Total` tells the client to read on.
 * - `all`: the Limit is honoured, however large (what the apps seem to rely on).
 */
export type ListLimitPolicy = 'reject' | 'clamp' | 'all';
export const LIST_LIMIT_POLICIES: readonly ListLimitPolicy[] = ['reject', 'clamp', 'all'];

/**
 * What AppGetProductsConfig answers for a product that has no panel configuration (unseen):
 * - `empty`: an entry with `Config: ""` (default);
 * - `emptyObject`: an entry with `Config: "{}"`;
 * - `omit`: no entry for that product.
 */
export type MissingPanelConfig = 'empty' | 'emptyObject' | 'omit';
export const MISSING_PANEL_CONFIGS: readonly MissingPanelConfig[] = [
  'empty',
  'emptyObject',
  'omit',
];

export interface HomeOptions {
  listLimit: ListLimitPolicy;
  missingPanelConfig: MissingPanelConfig;
  /**
   * Add `FromUserID` (the owner) to each AppListUserShareDevices item, as the Android app's
   * model expects although the documentation's reply has no such field. Default false.
   */
  shareFromUserId: boolean;
}

export const DEFAULT_HOME_OPTIONS: Readonly<HomeOptions> = {
  listLimit: 'reject',
  missingPanelConfig: 'empty',
  shareFromUserId: false,
};

/**
 * Checks partial options (from SimulatorOptions, the CLI or /_sim); throws an Error naming the
 * first that is wrong. Unknown names are errors too.
 */
export function parseHomeOptions(raw: unknown): Partial<HomeOptions> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error('home options must be an object');
  }
  const o = raw as Record<string, unknown>;
  const out: Partial<HomeOptions> = {};
  for (const [key, value] of Object.entries(o)) {
    switch (key) {
      case 'listLimit':
        if (!LIST_LIMIT_POLICIES.includes(value as ListLimitPolicy)) {
          throw new Error(`listLimit must be one of ${LIST_LIMIT_POLICIES.join(', ')}`);
        }
        out.listLimit = value as ListLimitPolicy;
        break;
      case 'missingPanelConfig':
        if (!MISSING_PANEL_CONFIGS.includes(value as MissingPanelConfig)) {
          throw new Error(`missingPanelConfig must be one of ${MISSING_PANEL_CONFIGS.join(', ')}`);
        }
        out.missingPanelConfig = value as MissingPanelConfig;
        break;
      case 'shareFromUserId':
        if (typeof value !== 'boolean') throw new Error('shareFromUserId must be true or false');
        out.shareFromUserId = value;
        break;
      default:
        throw new Error(
          `unknown home option ${key} (expected listLimit, missingPanelConfig, shareFromUserId)`,
        );
    }
  }
  return out;
}
