/**
 * How values read on a panel: the template's value names, numbers to the step's decimals with
 * their unit, times in the viewer's language. Pure and free of the DOM: the browser's component
 * and the node (for its status text) both use it, and unit tests check it.
 */

import type { TemplateDefine } from '../../../lib/shared/data-template';

/** What an unknown value reads as. */
export const NO_VALUE = '—';

/** A value as plain text: JSON for objects, the value itself for the rest. */
export function plainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return value === undefined ? '' : (JSON.stringify(value) ?? '');
}

/** Units as templates write them, as people read them (`oC` is the console's way to say ℃). */
const UNITS: Record<string, string> = { oC: '℃', oF: '℉', C: '℃', F: '℉', percent: '%' };

export function unitText(unit: string | undefined): string {
  if (!unit) return '';
  return UNITS[unit] ?? unit;
}

function num(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Decimals a number of this define shows: those of its step (0.5 → 1), 0 for int. */
export function decimals(define: TemplateDefine): number {
  if (define.type === 'int') return 0;
  const step = num(define.step);
  if (step === undefined || step <= 0) return 2;
  const text = String(step);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : Math.min(6, text.length - dot - 1);
}

/** The slider's bounds and step for a number define (defaults for what the template leaves out). */
export function numberRange(define: TemplateDefine): { min: number; max: number; step: number } {
  const min = num(define.min) ?? 0;
  const max = num(define.max) ?? 100;
  const step = num(define.step) ?? (define.type === 'int' ? 1 : 0.1);
  return { min, max, step: step > 0 ? step : 1 };
}

/** A number moved into the define's range and onto its step (counted from min). */
export function snapToStep(define: TemplateDefine, value: number): number {
  const { min, max, step } = numberRange(define);
  const clamped = Math.min(max, Math.max(min, value));
  const steps = Math.round((clamped - min) / step);
  const snapped = Math.min(max, min + steps * step);
  const places = decimals(define);
  const rounded = Number(snapped.toFixed(places));
  return define.type === 'int' ? Math.round(rounded) : rounded;
}

/** The name the template gives a bool or enum value, or undefined. */
export function mappingLabel(define: TemplateDefine, value: unknown): string | undefined {
  if (!define.mapping) return undefined;
  let key: string;
  if (define.type === 'bool') {
    key = value === true || value === 1 || value === '1' ? '1' : '0';
  } else {
    key = String(value);
  }
  return define.mapping[key];
}

/** A timestamp value in ms: the doc says ms; a value below 1e11 can only be seconds. */
export function timestampMs(value: unknown): number | undefined {
  const n = num(value);
  if (n === undefined || n < 0) return undefined;
  return n < 1e11 ? n * 1000 : n;
}

/** A date and time in the viewer's language; the date is left out for today. */
export function formatTime(ms: number, lang: string, now: number = Date.now()): string {
  const date = new Date(ms);
  const today = new Date(now).toDateString() === date.toDateString();
  const options: Intl.DateTimeFormatOptions = today
    ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
    : { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(lang, options).format(date);
}

/** A number with its define's decimals and unit. */
export function formatNumber(define: TemplateDefine, value: number): string {
  const text = value.toFixed(decimals(define));
  const unit = unitText(define.unit);
  return unit ? `${text} ${unit}` : text;
}

/** A value as a panel shows it; {@link NO_VALUE} when unknown. */
export function formatValue(define: TemplateDefine, value: unknown, lang: string): string {
  if (value === undefined || value === null) return NO_VALUE;
  switch (define.type) {
    case 'bool':
    case 'enum':
    case 'stringenum':
      return mappingLabel(define, value) ?? plainText(value);
    case 'int':
    case 'float': {
      const n = num(value);
      return n === undefined ? plainText(value) : formatNumber(define, n);
    }
    case 'timestamp': {
      const ms = timestampMs(value);
      return ms === undefined ? plainText(value) : formatTime(ms, lang);
    }
    case 'string':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
      const members = define.specs ?? [];
      return Object.entries(value as Record<string, unknown>)
        .map(([key, member]) => {
          const spec = members.find((m) => m.id === key);
          const label = spec?.name || key;
          return `${label}: ${spec ? formatValue(spec.dataType, member, lang) : JSON.stringify(member)}`;
        })
        .join(', ');
    }
    case 'array': {
      if (!Array.isArray(value)) return JSON.stringify(value);
      const element = define.arrayInfo;
      return value
        .map((v: unknown) => (element ? formatValue(element, v, lang) : JSON.stringify(v)))
        .join(', ');
    }
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/**
 * Whether a reported value is the one the user asked for: numbers by value (a bool's `true` is
 * 1), everything else by its JSON.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  const asNumber = (v: unknown): number | undefined =>
    v === true ? 1 : v === false ? 0 : typeof v === 'number' ? v : undefined;
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined || nb !== undefined) return na === nb;
  return JSON.stringify(a) === JSON.stringify(b);
}
