// The products' panel configuration (the "interaction" settings of a product: its standard
// panel's order and control sizes, the home-screen shortcut…) and AppGetProductsConfig, which
// returns it as a JSON text per product. See README "Panel configuration".

import { errors } from './envelope';
import { optionalStringArray, type Fields } from './params';
import type { TokenHandler } from './tokenapi';

/** The control sizes a standard panel's property may ask for (`ui.type`). */
export const PANEL_UI_TYPES = ['btn-big', 'btn-col-1', 'btn-col-2', 'btn-col-3', 'btn-group'];

/** AppGetProductsConfig takes at most this many ProductIds (as AppGetProducts does). */
export const MAX_CONFIG_PRODUCT_IDS = 100;

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `Config` text of a fixture's PanelConfig: an object is written as JSON, a string is kept
 * as it is (so a fixture can give a config that is not JSON, to test a client's tolerance).
 */
export function panelConfigText(config: Obj | string | undefined): string | undefined {
  if (config === undefined) return undefined;
  return typeof config === 'string' ? config : JSON.stringify(config);
}

/**
 * What is wrong with a fixture's PanelConfig, or undefined. Only the standard panel's property
 * list is checked (the part a panel draws from); other keys are the product's own. A property
 * id the template lacks is allowed: the apps drop such entries, and a client must too.
 */
export function panelConfigProblem(raw: unknown): { where: string; problem: string } | undefined {
  if (typeof raw === 'string') return undefined;
  if (!isObj(raw)) return { where: '', problem: 'must be an object or a string' };
  const panel = raw.Panel;
  if (panel === undefined) return undefined;
  if (!isObj(panel)) return { where: '.Panel', problem: 'must be an object' };
  const standard = panel.standard;
  if (standard === undefined) return undefined;
  if (!isObj(standard)) return { where: '.Panel.standard', problem: 'must be an object' };
  const properties = standard.properties;
  if (properties === undefined) return undefined;
  if (!Array.isArray(properties)) {
    return { where: '.Panel.standard.properties', problem: 'must be an array' };
  }
  for (const [i, entry] of properties.entries()) {
    const where = `.Panel.standard.properties[${i}]`;
    if (!isObj(entry) || typeof entry.id !== 'string' || entry.id === '') {
      return { where, problem: 'must be an object with a non-empty id' };
    }
    const ui = entry.ui;
    if (!isObj(ui) || typeof ui.type !== 'string' || !PANEL_UI_TYPES.includes(ui.type)) {
      return { where: `${where}.ui.type`, problem: `must be one of ${PANEL_UI_TYPES.join(', ')}` };
    }
  }
  return undefined;
}

/**
 * AppGetProductsConfig {ProductIds} → {Data: [{ProductId, Config}]}. Products belong to the app,
 * not to the user (as with AppGetProducts), so any product of the model is answered; unknown
 * ids are left out. A product without a config answers as `homeOptions.missingPanelConfig` says.
 */
export const getProductsConfig: TokenHandler = (params, ctx) => {
  const ids = optionalStringArray(params, 'ProductIds', MAX_CONFIG_PRODUCT_IDS);
  if (ids === undefined) throw errors.requiredParam('ProductIds');
  const data: Fields[] = [];
  for (const id of new Set(ids)) {
    const product = ctx.model.products.get(id);
    if (!product) continue;
    let config = product.panelConfig;
    if (config === undefined) {
      const missing = ctx.model.homeOptions.missingPanelConfig;
      if (missing === 'omit') continue;
      config = missing === 'emptyObject' ? '{}' : '';
    }
    data.push({ ProductId: product.ProductId, Config: config });
  }
  return { Data: data };
};
