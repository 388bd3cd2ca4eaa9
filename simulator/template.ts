// Data templates (物模型): their types, and checks of a value against a `define`.
//
// The shape follows section 4 of the reference: numbers such as `min`, `max` and `step` are
// written as strings in real templates ("0", "100"); a fixture may also write them as numbers.

export type TemplateType =
  'bool' | 'int' | 'float' | 'enum' | 'string' | 'timestamp' | 'struct' | 'stringenum' | 'array';

export const TEMPLATE_TYPES: readonly TemplateType[] = [
  'bool',
  'int',
  'float',
  'enum',
  'string',
  'timestamp',
  'struct',
  'stringenum',
  'array',
];

export type ArrayElementType = 'int' | 'float' | 'string' | 'struct';
const ARRAY_ELEMENT_TYPES: readonly ArrayElementType[] = ['int', 'float', 'string', 'struct'];

type NumberText = string | number;

export interface TemplateDefine {
  type: TemplateType;
  /** bool and enum: integer keys; stringenum: string keys. Values are display names. */
  mapping?: Record<string, string>;
  /** int/float: value range; string: length range. */
  min?: NumberText;
  max?: NumberText;
  start?: NumberText;
  step?: NumberText;
  unit?: string;
  /** struct members. Note: each member's type is under `dataType`, not `define`. */
  specs?: StructMember[];
  /** array element type and constraints. */
  arrayInfo?: ArrayInfo;
}

export interface StructMember {
  id: string;
  name: string;
  dataType: TemplateDefine;
}

export interface ArrayInfo {
  type: ArrayElementType;
  min?: NumberText;
  max?: NumberText;
  start?: NumberText;
  step?: NumberText;
  unit?: string;
  specs?: StructMember[];
}

export interface TemplateProperty {
  id: string;
  name: string;
  desc?: string;
  mode: 'r' | 'rw';
  required?: boolean;
  define: TemplateDefine;
}

export interface TemplateParam {
  id: string;
  name: string;
  desc?: string;
  required?: boolean;
  define: TemplateDefine;
}

export interface TemplateEvent {
  id: string;
  name: string;
  desc?: string;
  type: 'info' | 'alert' | 'fault';
  required?: boolean;
  params: TemplateParam[];
}

export interface TemplateAction {
  id: string;
  name: string;
  desc?: string;
  required?: boolean;
  input: TemplateParam[];
  output: TemplateParam[];
}

export interface DataTemplate {
  version: string;
  profile: { ProductId: string; CategoryId: string };
  properties: TemplateProperty[];
  events: TemplateEvent[];
  actions: TemplateAction[];
}

function num(text: NumberText | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

function inRange(n: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || n >= min) && (max === undefined || n <= max);
}

function keyList(mapping: Record<string, string> | undefined): string {
  return Object.keys(mapping ?? {}).join(', ');
}

/**
 * Checks `value` against `define`. Returns undefined when it fits, else a short English reason
 * that starts with `label` (the param or property id, with a path for struct members and array
 * elements, e.g. `window.from` or `temps[2]`).
 */
export function checkValue(
  define: TemplateDefine | ArrayInfo,
  value: unknown,
  label: string,
): string | undefined {
  const min = num(define.min);
  const max = num(define.max);
  switch (define.type) {
    case 'bool':
      return value === 0 || value === 1 ? undefined : `${label} must be 0 or 1 (bool)`;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return `${label} must be an integer${rangeText(min, max)}`;
      }
      return inRange(value, min, max)
        ? undefined
        : `${label} must be an integer${rangeText(min, max)}`;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return `${label} must be a number${rangeText(min, max)}`;
      }
      return inRange(value, min, max)
        ? undefined
        : `${label} must be a number${rangeText(min, max)}`;
    case 'enum': {
      const mapping = define.mapping;
      if (
        typeof value === 'number' &&
        Number.isInteger(value) &&
        mapping &&
        String(value) in mapping
      ) {
        return undefined;
      }
      return `${label} must be one of the enum values ${keyList(mapping)}`;
    }
    case 'stringenum': {
      const mapping = define.mapping;
      if (typeof value === 'string' && mapping && Object.hasOwn(mapping, value)) return undefined;
      return `${label} must be one of the strings ${keyList(mapping)}`;
    }
    case 'string': {
      if (typeof value !== 'string') return `${label} must be a string`;
      const length = [...value].length;
      if (max !== undefined && length > max) {
        return `${label} must be a string of at most ${max} characters`;
      }
      if (min !== undefined && length < min) {
        return `${label} must be a string of at least ${min} characters`;
      }
      return undefined;
    }
    case 'timestamp':
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return undefined;
      if (typeof value === 'string' && /^\d{1,16}$/.test(value)) return undefined;
      return `${label} must be a UNIX timestamp (a non-negative integer)`;
    case 'struct': {
      if (!isPlainObject(value)) return `${label} must be an object (struct)`;
      const specs = define.specs ?? [];
      for (const [key, member] of Object.entries(value)) {
        const spec = specs.find((s) => s.id === key);
        if (!spec) return `${label}.${key} is not a member of ${label}`;
        const problem = checkValue(spec.dataType, member, `${label}.${key}`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'array': {
      if (!Array.isArray(value)) return `${label} must be an array`;
      const info = define.arrayInfo;
      if (!info) return undefined;
      for (let i = 0; i < value.length; i++) {
        const problem = checkValue(info, value[i], `${label}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
  }
}

/** A value that fits `define`, used for properties a fixture leaves out. */
export function defaultValue(define: TemplateDefine | ArrayInfo): unknown {
  const min = num(define.min);
  const max = num(define.max);
  const start = num(define.start);
  switch (define.type) {
    case 'bool':
      return 0;
    case 'int':
    case 'float': {
      let v = start ?? min ?? 0;
      if (min !== undefined && v < min) v = min;
      if (max !== undefined && v > max) v = max;
      return define.type === 'int' ? Math.round(v) : v;
    }
    case 'enum': {
      const first = Object.keys(define.mapping ?? {})[0];
      return first === undefined ? 0 : Number(first);
    }
    case 'stringenum':
      return Object.keys(define.mapping ?? {})[0] ?? '';
    case 'string':
      return '';
    case 'timestamp':
      return 0;
    case 'struct': {
      const out: Record<string, unknown> = {};
      for (const spec of define.specs ?? []) out[spec.id] = defaultValue(spec.dataType);
      return out;
    }
    case 'array':
      return [];
  }
}

function decimals(step: number): number {
  const text = String(step);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * A random step of at most `maxStep` away from `current`, kept inside the define's range and
 * rounded to its `step`. Only for int and float.
 */
export function walkValue(
  define: TemplateDefine,
  current: number,
  maxStep: number,
  random: () => number = Math.random,
): number {
  const min = num(define.min);
  const max = num(define.max);
  const step = num(define.step) ?? (define.type === 'int' ? 1 : 0);
  let next = current + (random() * 2 - 1) * maxStep;
  if (step > 0) {
    const base = min ?? 0;
    next = base + Math.round((next - base) / step) * step;
    next = Number(next.toFixed(decimals(step)));
  }
  if (define.type === 'int') next = Math.round(next);
  if (min !== undefined && next < min) next = min;
  if (max !== undefined && next > max) next = max;
  return next;
}

/** The "other" value: bool 0↔1; enum and stringenum move to the next mapping key. */
export function toggleValue(define: TemplateDefine, current: unknown): unknown {
  if (define.type === 'bool') return current === 1 ? 0 : 1;
  const keys = Object.keys(define.mapping ?? {});
  const index = keys.indexOf(String(current));
  const next = keys[(index + 1) % keys.length];
  if (next === undefined) return current;
  return define.type === 'enum' ? Number(next) : next;
}

/** Problems with a define itself (used when a fixture is loaded). */
export function defineProblem(
  raw: unknown,
  allowed: readonly string[] = TEMPLATE_TYPES,
): string | undefined {
  if (!isPlainObject(raw)) return 'must be an object';
  const type = raw.type;
  if (typeof type !== 'string' || !allowed.includes(type)) {
    return `type must be one of ${allowed.join(', ')}`;
  }
  for (const key of ['min', 'max', 'start', 'step'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if ((typeof v !== 'string' && typeof v !== 'number') || (v !== '' && num(v) === undefined)) {
      return `${key} must be a number or a numeric string`;
    }
  }
  const min = num(raw.min as NumberText | undefined);
  const max = num(raw.max as NumberText | undefined);
  if (min !== undefined && max !== undefined && min > max) return 'min must not exceed max';
  if (type === 'bool' || type === 'enum' || type === 'stringenum') {
    const mapping = raw.mapping;
    if (!isPlainObject(mapping) || Object.keys(mapping).length === 0) {
      return 'mapping must be a non-empty object';
    }
    for (const [key, name] of Object.entries(mapping)) {
      if (typeof name !== 'string') return `mapping.${key} must be a string`;
      if (type === 'bool' && key !== '0' && key !== '1') return 'bool mapping keys must be 0 and 1';
      if (type === 'enum' && !/^-?\d+$/.test(key))
        return `enum mapping key ${key} is not an integer`;
    }
  }
  if (type === 'struct') {
    const problem = specsProblem(raw.specs);
    if (problem) return problem;
  }
  if (type === 'array') {
    const info = raw.arrayInfo;
    if (!isPlainObject(info)) return 'arrayInfo must be an object';
    const problem = defineProblem(info, ARRAY_ELEMENT_TYPES);
    if (problem) return `arrayInfo: ${problem}`;
  }
  return undefined;
}

function specsProblem(specs: unknown): string | undefined {
  if (!Array.isArray(specs) || specs.length === 0) return 'specs must be a non-empty array';
  const seen = new Set<string>();
  for (let i = 0; i < specs.length; i++) {
    const spec: unknown = specs[i];
    if (!isPlainObject(spec) || typeof spec.id !== 'string' || spec.id === '') {
      return `specs[${i}] must have a string id`;
    }
    if (seen.has(spec.id)) return `specs[${i}]: duplicate id ${spec.id}`;
    seen.add(spec.id);
    if (typeof spec.name !== 'string') return `specs[${i}] (${spec.id}) must have a string name`;
    const problem = defineProblem(spec.dataType);
    if (problem) return `specs[${i}] (${spec.id}).dataType: ${problem}`;
  }
  return undefined;
}
