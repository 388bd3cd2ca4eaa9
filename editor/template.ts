// Reading a product's data template for the pickers and the InputParams form. The template's
// rules (what a template holds, what value fits a define) are the runtime's own:
// lib/shared/data-template.ts.

import {
  parseDataTemplate,
  type TemplateAction,
  type TemplateDefine,
  type TemplateProperty,
} from '../lib/shared/data-template';

/** The actions of a data template as the admin endpoint sends it, tolerant of missing parts. */
export function actionsOf(template: unknown): TemplateAction[] {
  return parseDataTemplate(template)?.actions ?? [];
}

/** The properties of a data template, tolerant of missing parts. */
export function propertiesOf(template: unknown): TemplateProperty[] {
  return parseDataTemplate(template)?.properties ?? [];
}

/** A number of a define (`"0"` or `0`), or undefined when absent or unreadable. */
export function defineNumber(text: string | number | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A define's range for people: `0 … 10`, with ∞ for a missing bound. */
export function rangeText(define: TemplateDefine, separator = '…'): string {
  const min = defineNumber(define.min);
  const max = defineNumber(define.max);
  return `${min ?? '−∞'}${separator}${max ?? '∞'}`;
}

/** A short description of a define, e.g. "int 0…10 秒" or "enum 0 ok, 1 failed". */
export function describeDefine(define: TemplateDefine | undefined): string {
  if (!define) return '';
  const parts: string[] = [define.type];
  const mapping = define.mapping;
  if (mapping) {
    parts.push(
      Object.keys(mapping)
        .map((k) => `${k} ${mapping[k]}`)
        .join(', '),
    );
  }
  if (define.min !== undefined || define.max !== undefined) parts.push(rangeText(define));
  if (define.unit) parts.push(define.unit);
  if (define.type === 'struct') {
    const members = (define.specs ?? []).map((s) => `${s.id}: ${describeDefine(s.dataType)}`);
    parts.push(`{ ${members.join('; ')} }`);
  }
  if (define.type === 'array' && define.arrayInfo) {
    parts.push(`[${describeDefine(define.arrayInfo)}]`);
  }
  return parts.join(' ');
}
