/**
 * A product's data template (物模型): parsing the `DataTemplate` JSON string that
 * `AppGetProducts` returns, and checking values against a property's `define`.
 *
 * Kept free of Node.js and Node-RED imports on purpose: the editor's bundle imports this file,
 * so the InputParams form checks values by the same rules as the control node. A problem is returned as a catalogue key
 * (under `errors.` in the account catalogue) with its parameters, never as prose, so that both
 * sides translate it the same way.
 *
 * Template facts (docs/http-api.md, "Products and data templates"): `min`, `max`, `start`, `step` are strings in real templates
 * ("0", "100") and numbers in some; struct members keep their type under `dataType`, array
 * elements under `arrayInfo`.
 */

export type TemplateType =
  'bool' | 'int' | 'float' | 'enum' | 'string' | 'timestamp' | 'struct' | 'stringenum' | 'array';

type NumberText = string | number;

export interface TemplateDefine {
  type: TemplateType;
  /** bool and enum: integer keys; stringenum: string keys. Values are display names. */
  mapping?: Record<string, string>;
  /** int/float: the value's range; string: its length's range. */
  min?: NumberText;
  max?: NumberText;
  start?: NumberText;
  step?: NumberText;
  unit?: string;
  /** struct members. */
  specs?: StructMember[];
  /** array: the element type and its constraints. */
  arrayInfo?: TemplateDefine;
}

export interface StructMember {
  id: string;
  name?: string;
  dataType: TemplateDefine;
}

export interface TemplateProperty {
  id: string;
  name?: string;
  desc?: string;
  /** `r` = read-only (only the device changes it), `rw` = controllable. */
  mode?: string;
  required?: boolean;
  define: TemplateDefine;
}

export interface TemplateParam {
  id: string;
  name?: string;
  desc?: string;
  /** An action input the device needs in every call. */
  required?: boolean;
  define: TemplateDefine;
}

export interface TemplateAction {
  id: string;
  name?: string;
  desc?: string;
  input: TemplateParam[];
  output: TemplateParam[];
}

export interface DataTemplate {
  properties: TemplateProperty[];
  actions: TemplateAction[];
}

/** What is wrong with a value: a catalogue key under `errors.` and its parameters. */
export interface TemplateProblem {
  key: string;
  params: Record<string, string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function hasDefine(item: Record<string, unknown>): boolean {
  return typeof item.id === 'string' && isObject(item.define);
}

/**
 * Reads a `DataTemplate` (a JSON string, or the object already parsed). Returns undefined when it
 * is not a template at all; entries without an id or a define are skipped, unknown fields kept.
 */
export function parseDataTemplate(raw: unknown): DataTemplate | undefined {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (!isObject(value)) return undefined;
  const properties = asArray(value.properties).filter(hasDefine) as unknown as TemplateProperty[];
  const actions = asArray(value.actions)
    .filter((a) => typeof a.id === 'string')
    .map((a) => ({
      ...a,
      input: asArray(a.input).filter(hasDefine),
      output: asArray(a.output).filter(hasDefine),
    })) as unknown as TemplateAction[];
  return { properties, actions };
}

function num(text: NumberText | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A range as `[0, 100]`, with ∞ for a missing bound: the same in every language. */
function rangeText(min: number | undefined, max: number | undefined): string {
  return `[${min ?? '-∞'}, ${max ?? '+∞'}]`;
}

/** A value as it appears in an error: short JSON. */
export function shortValue(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // A cycle or a BigInt: say what it is instead.
  }
  text ??= typeof value === 'object' ? Object.prototype.toString.call(value) : typeof value;
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function problem(key: string, path: string, value: unknown, extra: Record<string, string> = {}) {
  return { key: `template.${key}`, params: { property: path, got: shortValue(value), ...extra } };
}

/**
 * Checks `value` against `define`. `path` names the value in the problem: the property id, with
 * `.member` for struct members and `[i]` for array elements (`position.longitude`, `temps[2]`).
 * Returns undefined when the value fits.
 */
export function checkValue(
  define: TemplateDefine,
  value: unknown,
  path: string,
): TemplateProblem | undefined {
  const min = num(define.min);
  const max = num(define.max);
  const range = rangeText(min, max);
  const inRange = (n: number) => (min === undefined || n >= min) && (max === undefined || n <= max);
  switch (define.type) {
    case 'bool':
      return value === 0 || value === 1 ? undefined : problem('bool', path, value);
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && inRange(value)
        ? undefined
        : problem('int', path, value, { range });
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) && inRange(value)
        ? undefined
        : problem('float', path, value, { range });
    case 'enum':
    case 'stringenum': {
      const keys = Object.keys(define.mapping ?? {});
      const fits =
        define.type === 'enum'
          ? typeof value === 'number' && Number.isInteger(value) && keys.includes(String(value))
          : typeof value === 'string' && keys.includes(value);
      const allowed =
        define.type === 'enum' ? keys.join(', ') : keys.map((k) => `"${k}"`).join(', ');
      return fits ? undefined : problem('oneOf', path, value, { allowed });
    }
    case 'string':
      return typeof value === 'string' && inRange([...value].length)
        ? undefined
        : problem('string', path, value, { range });
    case 'timestamp':
      return (typeof value === 'number' && Number.isInteger(value) && value >= 0) ||
        (typeof value === 'string' && /^\d{1,16}$/.test(value))
        ? undefined
        : problem('timestamp', path, value);
    case 'struct': {
      if (!isObject(value)) return problem('struct', path, value);
      const specs = define.specs ?? [];
      for (const [key, member] of Object.entries(value)) {
        const spec = specs.find((s) => s.id === key);
        if (!spec) return problem('noMember', path, member, { member: key });
        const found = checkValue(spec.dataType, member, `${path}.${key}`);
        if (found) return found;
      }
      return undefined;
    }
    case 'array': {
      if (!Array.isArray(value)) return problem('array', path, value);
      const element = define.arrayInfo;
      if (!element) return undefined;
      for (let i = 0; i < value.length; i++) {
        const found = checkValue(element, value[i] as unknown, `${path}[${i}]`);
        if (found) return found;
      }
      return undefined;
    }
    default:
      // A type this package does not know yet: the server decides.
      return undefined;
  }
}

/**
 * Checks the data of an `AppControlDeviceData` call: every id must be a property of the
 * template, writable (mode `rw`), and its value must fit the property's define.
 */
export function checkControlData(
  template: DataTemplate,
  data: Record<string, unknown>,
): TemplateProblem | undefined {
  for (const [id, value] of Object.entries(data)) {
    const property = template.properties.find((p) => p.id === id);
    if (!property) {
      return {
        key: 'template.unknownProperty',
        params: { property: id, known: template.properties.map((p) => p.id).join(', ') },
      };
    }
    if (property.mode === 'r') return { key: 'template.readOnly', params: { property: id } };
    const found = checkValue(property.define, value, id);
    if (found) return found;
  }
  return undefined;
}

/**
 * Checks an action's InputParams: an object whose every id is an input of the action and fits
 * its define, and that holds every required input. (The API checks them too; the editor's
 * InputParams form uses this to mark a call the device would refuse before it is deployed.)
 */
export function checkActionInput(
  action: Pick<TemplateAction, 'id' | 'input'>,
  input: unknown,
): TemplateProblem | undefined {
  if (!isObject(input)) {
    return { key: 'template.notObject', params: { got: shortValue(input) } };
  }
  const params = action.input ?? [];
  for (const [id, value] of Object.entries(input)) {
    const param = params.find((p) => p.id === id);
    if (!param) {
      return {
        key: 'template.unknownInput',
        params: { property: id, action: action.id, known: params.map((p) => p.id).join(', ') },
      };
    }
    const found = checkValue(param.define, value, id);
    if (found) return found;
  }
  const has = (id: string) => Object.prototype.hasOwnProperty.call(input, id);
  const missing = params.find((p) => p.required === true && !has(p.id));
  return missing
    ? { key: 'template.required', params: { property: missing.id, action: action.id } }
    : undefined;
}

/**
 * Reads a value the API sent as text (history replies carry every value as a string) as the
 * type its `define` names: numbers for bool/int/float/enum/timestamp, parsed JSON for struct and
 * array, the text itself for string and stringenum. Returns undefined when the text does not
 * read as that type, so that the caller can keep the raw value; a value that is not text is
 * returned as it came.
 */
export function readTemplateValue(
  define: TemplateDefine,
  raw: unknown,
): { value: unknown } | undefined {
  if (typeof raw !== 'string') return { value: raw };
  const text = raw.trim();
  switch (define.type) {
    case 'bool':
      if (text === 'true') return { value: 1 };
      if (text === 'false') return { value: 0 };
      return text === '0' || text === '1' ? { value: Number(text) } : undefined;
    case 'int':
    case 'enum':
    case 'timestamp': {
      const n = text === '' ? NaN : Number(text);
      return Number.isInteger(n) ? { value: n } : undefined;
    }
    case 'float': {
      const n = text === '' ? NaN : Number(text);
      return Number.isFinite(n) ? { value: n } : undefined;
    }
    case 'string':
    case 'stringenum':
      return { value: raw };
    case 'struct':
    case 'array': {
      try {
        const parsed: unknown = JSON.parse(text);
        const fits = define.type === 'array' ? Array.isArray(parsed) : isObject(parsed);
        return fits ? { value: parsed } : undefined;
      } catch {
        return undefined;
      }
    }
    default:
      return undefined;
  }
}
