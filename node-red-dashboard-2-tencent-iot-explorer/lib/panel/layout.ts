/**
 * A product's panel: which controls a device card shows, in which order and size, drawn from the
 * product's data template and, where the product has one, its panel configuration
 * (`AppGetProductsConfig`). Pure: the node computes it once per product, the browser draws it.
 *
 * The rules (the official apps' behaviour, carried into docs/panel.md of this package):
 * - With a standard panel configuration, `Panel.standard.properties` gives the order; `ui.type`
 *   the size (`btn-big` a big control moved to the top, `btn-col-1` a full-width row, `btn-col-2`
 *   half, `btn-col-3` a third); `ui.icon` an icon (the generated default `create` means none);
 *   `ui.visible` false hides it; ids the template lacks are dropped. Properties the
 *   configuration leaves out follow as full-width rows, so that nothing the device has is lost.
 * - Without one (none, unreadable, an H5 panel, or no properties), the template's order: the big
 *   control is `power_switch` when it is a bool, else the first writable bool; the rest are
 *   full-width rows.
 * - Actions become buttons with a form for their inputs; events a list of the last few.
 */

import {
  parseDataTemplate,
  type TemplateDefine,
  type TemplateParam,
  type TemplateProperty,
} from '../../../lib/shared/data-template';

export type ControlKind =
  | 'switch'
  | 'segments'
  | 'select'
  | 'slider'
  | 'number'
  | 'text'
  | 'time'
  | 'struct'
  | 'array'
  | 'value';

export type ControlSize = 'big' | 'full' | 'half' | 'third';

export interface PanelControl {
  id: string;
  /** The template's name (the product maker's words), else the id. */
  name: string;
  kind: ControlKind;
  size: ControlSize;
  /** An mdi icon name (`mdi-…`) or an image URL from the panel configuration; null for none. */
  icon: string | null;
  define: TemplateDefine;
  /** The template says `mode: r`: only the device changes it. */
  readOnly: boolean;
}

export interface PanelAction {
  id: string;
  name: string;
  input: TemplateParam[];
  output: TemplateParam[];
}

export interface PanelEvent {
  id: string;
  name: string;
  /** info, alert or fault. */
  type: string;
  params: TemplateParam[];
}

export interface ProductLayout {
  productId: string;
  productName: string;
  controls: PanelControl[];
  actions: PanelAction[];
  events: PanelEvent[];
  /** Where the order and sizes came from. */
  source: 'config' | 'template';
}

/** One entry of `Panel.standard.properties`. */
export interface PanelConfigEntry {
  id: string;
  size: ControlSize;
  icon: string | null;
  visible: boolean;
}

/** Enums with at most this many values are drawn as segmented buttons, more as a select. */
export const MAX_SEGMENTS = 4;
/** Sliders need at most this many steps; a wider range gets a number field. */
export const MAX_SLIDER_STEPS = 10_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectOf(raw: unknown): Record<string, unknown> | undefined {
  if (isRecord(raw)) return raw;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The configuration's booleans come as `true`, `1` or `"1"` (and their opposites). */
export function truthy(value: unknown, absent: boolean): boolean {
  if (value === undefined || value === null || value === '') return absent;
  return value === true || value === 1 || value === '1' || value === 'true';
}

const SIZES: Record<string, ControlSize> = {
  'btn-big': 'big',
  'btn-col-1': 'full',
  'btn-col-2': 'half',
  'btn-col-3': 'third',
};

/**
 * The standard panel's properties from a product's `Config` (a JSON string or the object), or
 * undefined when there is no usable standard panel: unreadable, `Panel.type` `h5`, or no
 * properties.
 */
export function parsePanelConfig(raw: unknown): PanelConfigEntry[] | undefined {
  const config = objectOf(raw);
  const panel = isRecord(config?.Panel) ? config.Panel : undefined;
  if (!panel) return undefined;
  if (typeof panel.type === 'string' && panel.type !== '' && panel.type !== 'standard') {
    return undefined;
  }
  const standard = isRecord(panel.standard) ? panel.standard : undefined;
  const list = Array.isArray(standard?.properties) ? (standard.properties as unknown[]) : [];
  const entries: PanelConfigEntry[] = [];
  for (const item of list) {
    if (!isRecord(item) || typeof item.id !== 'string' || item.id === '') continue;
    const ui = isRecord(item.ui) ? item.ui : {};
    const type = typeof ui.type === 'string' ? ui.type : '';
    const big = truthy(item.big, false);
    const icon =
      typeof ui.icon === 'string' && ui.icon !== '' && ui.icon !== 'create' ? ui.icon : null;
    entries.push({
      id: item.id,
      size: big ? 'big' : (SIZES[type] ?? 'full'),
      icon,
      visible: truthy(ui.visible, true),
    });
  }
  return entries.length > 0 ? entries : undefined;
}

function num(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** How a property of this define is drawn. */
export function controlKind(define: TemplateDefine): ControlKind {
  switch (define.type) {
    case 'bool':
      return 'switch';
    case 'enum':
    case 'stringenum':
      return Object.keys(define.mapping ?? {}).length <= MAX_SEGMENTS ? 'segments' : 'select';
    case 'int':
    case 'float': {
      const min = num(define.min);
      const max = num(define.max);
      const step = num(define.step) ?? (define.type === 'int' ? 1 : 0.1);
      if (min === undefined || max === undefined || max <= min || step <= 0) return 'number';
      return (max - min) / step <= MAX_SLIDER_STEPS ? 'slider' : 'number';
    }
    case 'string':
      return 'text';
    case 'timestamp':
      return 'time';
    case 'struct':
      return 'struct';
    case 'array':
      return 'array';
    default:
      return 'value';
  }
}

function toControl(p: TemplateProperty, size: ControlSize, icon: string | null): PanelControl {
  return {
    id: p.id,
    name: p.name && p.name.trim() !== '' ? p.name : p.id,
    kind: controlKind(p.define),
    size,
    icon,
    define: p.define,
    readOnly: p.mode === 'r',
  };
}

/** The events of a raw template (the shared parser keeps properties and actions only). */
export function parseEvents(rawTemplate: unknown): PanelEvent[] {
  const template = objectOf(rawTemplate);
  const list = Array.isArray(template?.events) ? (template.events as unknown[]) : [];
  const events: PanelEvent[] = [];
  for (const item of list) {
    if (!isRecord(item) || typeof item.id !== 'string') continue;
    const params = Array.isArray(item.params) ? (item.params as unknown[]) : [];
    events.push({
      id: item.id,
      name: typeof item.name === 'string' && item.name !== '' ? item.name : item.id,
      type: typeof item.type === 'string' ? item.type : 'info',
      params: params.filter(
        (p): p is TemplateParam => isRecord(p) && typeof p.id === 'string' && isRecord(p.define),
      ),
    });
  }
  return events;
}

/** The big control of a template-drawn panel: `power_switch`, else the first writable bool. */
function templateBig(properties: TemplateProperty[]): string | undefined {
  const bools = properties.filter((p) => p.define.type === 'bool');
  const power = bools.find((p) => p.id === 'power_switch');
  if (power) return power.id;
  return bools.find((p) => p.mode !== 'r')?.id;
}

/** The panel of a product, from its template and (when usable) its panel configuration. */
export function buildLayout(product: {
  productId: string;
  name: string;
  dataTemplate: unknown;
  panelConfig: unknown;
}): ProductLayout {
  const template = parseDataTemplate(product.dataTemplate) ?? { properties: [], actions: [] };
  const byId = new Map(template.properties.map((p) => [p.id, p]));
  const config = parsePanelConfig(product.panelConfig);
  let controls: PanelControl[];
  if (config) {
    const placed = new Set<string>();
    const configured: PanelControl[] = [];
    for (const entry of config) {
      const property = byId.get(entry.id);
      if (!property || placed.has(entry.id)) continue;
      placed.add(entry.id);
      if (entry.visible) configured.push(toControl(property, entry.size, entry.icon));
    }
    // The big control goes first, as in the apps; the rest keep the configuration's order.
    const big = configured.filter((c) => c.size === 'big');
    const rest = template.properties
      .filter((p) => !placed.has(p.id))
      .map((p) => toControl(p, 'full', null));
    controls = [...big, ...configured.filter((c) => c.size !== 'big'), ...rest];
  } else {
    const bigId = templateBig(template.properties);
    const big = template.properties.filter((p) => p.id === bigId);
    controls = [
      ...big.map((p) => toControl(p, 'big', null)),
      ...template.properties.filter((p) => p.id !== bigId).map((p) => toControl(p, 'full', null)),
    ];
  }
  return {
    productId: product.productId,
    productName: product.name,
    controls,
    actions: template.actions.map((a) => ({
      id: a.id,
      name: a.name && a.name.trim() !== '' ? a.name : a.id,
      input: a.input ?? [],
      output: a.output ?? [],
    })),
    events: parseEvents(product.dataTemplate),
    source: config ? 'config' : 'template',
  };
}
