// What the browser's components compute from the view: the value a control shows, its state,
// typed values from form fields, and the checks of the main package's data-template rules
// (imported from its sources at build time, with their texts), so that the panel refuses what
// the node and the API would refuse, with the same words.

import {
  checkActionInput,
  checkValue,
  type TemplateDefine,
  type TemplateParam,
  type TemplateProblem,
} from '../../lib/shared/data-template';
import { template as templateTextsEn } from '../../lib/errors/locales/en-US.json';
import { template as templateTextsZh } from '../../lib/errors/locales/zh-CN.json';
import { numberRange, plainText, snapToStep, timestampMs } from '../lib/panel/format';
import type { DeviceView } from '../lib/panel/panel-hub';
import type { ActionView, ControlView } from '../lib/panel/policy';
import type { Lang } from './i18n';

export type ControlState = 'idle' | 'pending' | 'unconfirmed' | 'error';

/** The value a control shows: the user's, while it is pending, else the device's. */
export function shownValue(device: DeviceView, id: string): unknown {
  const pending = device.pending[id];
  if (pending) return pending.value;
  return device.values[id]?.value;
}

export function controlState(device: DeviceView, id: string): ControlState {
  const pending = device.pending[id];
  if (pending) return pending.state;
  return device.errors[id] ? 'error' : 'idle';
}

/** Whether the user may change it now: allowed by the node, the device not offline, the widget on. */
export function canChange(
  item: ControlView | ActionView,
  device: DeviceView,
  widgetEnabled: boolean,
): boolean {
  return item.writable && device.online !== false && widgetEnabled;
}

const TEMPLATE_TEXTS: Record<Lang, Record<string, string>> = {
  'en-US': templateTextsEn,
  'zh-CN': templateTextsZh,
};

/** A data-template problem in the viewer's language (the main package's own texts). */
export function problemText(problem: TemplateProblem, lang: Lang): string {
  const name = problem.key.replace(/^template\./, '');
  const text = TEMPLATE_TEXTS[lang][name] ?? TEMPLATE_TEXTS['en-US'][name] ?? problem.key;
  return text.replace(/__(\w+)__/g, (whole, key: string) => problem.params[key] ?? whole);
}

export function checkControl(
  define: TemplateDefine,
  value: unknown,
  id: string,
  lang: Lang,
): string | undefined {
  const problem = checkValue(define, value, id);
  return problem ? problemText(problem, lang) : undefined;
}

export function checkInput(
  action: { id: string; input: TemplateParam[] },
  input: Record<string, unknown>,
  lang: Lang,
): string | undefined {
  const problem = checkActionInput(action, input);
  return problem ? problemText(problem, lang) : undefined;
}

/** `yyyy-MM-ddTHH:mm` in local time, as `<input type="datetime-local">` wants it. */
export function toDatetimeLocal(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * What a form field's text means for a define, or `{error}` when it does not read: numbers for
 * bool/int/float/enum, text for string/stringenum, ms for a time (from a date-time field), JSON
 * for struct and array. An empty field is `undefined` (left out).
 */
export function readField(
  define: TemplateDefine,
  text: string,
): { value: unknown } | { error: 'invalid' | 'notJson' } | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  switch (define.type) {
    case 'bool':
    case 'int':
    case 'float':
    case 'enum': {
      const n = Number(trimmed);
      return Number.isFinite(n) ? { value: n } : { error: 'invalid' };
    }
    case 'timestamp': {
      if (/^\d+$/.test(trimmed)) return { value: Number(trimmed) };
      const ms = new Date(trimmed).getTime();
      return Number.isFinite(ms) ? { value: ms } : { error: 'invalid' };
    }
    case 'struct':
    case 'array':
      try {
        return { value: JSON.parse(trimmed) as unknown };
      } catch {
        return { error: 'notJson' };
      }
    default:
      return { value: text };
  }
}

/** A field's text for a value (the reverse of {@link readField}). */
export function fieldText(define: TemplateDefine, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (define.type === 'timestamp') {
    const ms = timestampMs(value);
    return ms === undefined ? plainText(value) : toDatetimeLocal(ms);
  }
  return plainText(value);
}

/** A slider's range, and its value kept inside it. */
export function sliderModel(
  define: TemplateDefine,
  value: unknown,
): { min: number; max: number; step: number; value: number } {
  const range = numberRange(define);
  const n = typeof value === 'number' ? value : Number(value);
  return { ...range, value: Number.isFinite(n) ? snapToStep(define, n) : range.min };
}

/** Options of a bool, enum or stringenum: `{value, title}` with the template's names. */
export function options(define: TemplateDefine): { value: number | string; title: string }[] {
  const mapping = define.mapping ?? {};
  if (define.type === 'bool') {
    return [
      { value: 0, title: mapping['0'] ?? '0' },
      { value: 1, title: mapping['1'] ?? '1' },
    ];
  }
  return Object.entries(mapping).map(([key, title]) => ({
    value: define.type === 'enum' ? Number(key) : key,
    title,
  }));
}
