// The InputParams form: one control per input of an action's data template, checked by the
// runtime's own rules (lib/shared/data-template.ts), written as JSON into the InputParams
// TypedInput. A "raw JSON" switch gives the TypedInput back to the user.

import {
  checkActionInput,
  checkValue,
  type TemplateAction,
  type TemplateDefine,
  type TemplateProblem,
} from '../lib/shared/data-template';
import { problemText, t } from './i18n';
import { defineNumber, describeDefine, rangeText } from './template';

/** What a control holds: undefined when left blank (not sent), and what is wrong with it. */
interface FieldValue {
  value: unknown;
  problem?: TemplateProblem;
}

interface FormField {
  $el: JQuery;
  read(): FieldValue;
  /** Members or items of its own, shown under the input's label rather than beside it. */
  nested?: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function boolField(define: TemplateDefine, initial: unknown): FormField {
  const mapping = define.mapping ?? {};
  const $el = $('<label class="iotx-switch"></label>');
  const $box = $('<input type="checkbox" style="width:auto; margin:0 6px 0 0">').appendTo($el);
  const $text = $('<span></span>').appendTo($el);
  const show = (): void => {
    const key = $box.prop('checked') ? '1' : '0';
    $text.text(mapping[key] !== undefined ? `${mapping[key]} (${key})` : key);
  };
  $box.prop('checked', initial === 1 || initial === true).on('change', show);
  show();
  return { $el, read: () => ({ value: $box.prop('checked') ? 1 : 0 }) };
}

function enumField(define: TemplateDefine, initial: unknown, label: string): FormField {
  const $el = $('<select></select>');
  $('<option value=""></option>').text(t('notSent')).appendTo($el);
  for (const [key, name] of Object.entries(define.mapping ?? {})) {
    $('<option></option>').val(key).text(`${name} (${key})`).appendTo($el);
  }
  if (typeof initial === 'number' || typeof initial === 'string') $el.val(String(initial));
  return {
    $el,
    read() {
      const raw = $el.val();
      if (raw === '' || raw === null || raw === undefined) return { value: undefined };
      const value = define.type === 'enum' ? Number(raw) : raw;
      return { value, problem: checkValue(define, value, label) };
    },
  };
}

function numberField(define: TemplateDefine, initial: unknown, label: string): FormField {
  // A row of its own kind: the box takes the row, the unit after it, so the row ends where
  // every other row of the dialog ends.
  const $el = $('<div class="iotx-number"></div>');
  const $number = $('<input type="number">').appendTo($el);
  if (define.type !== 'timestamp') {
    const min = defineNumber(define.min);
    const max = defineNumber(define.max);
    if (min !== undefined) $number.attr('min', min);
    if (max !== undefined) $number.attr('max', max);
    const step = defineNumber(define.step);
    $number.attr('step', step !== undefined && step > 0 ? step : define.type === 'int' ? 1 : 'any');
    $number.attr('placeholder', rangeText(define, ' … '));
  } else {
    $number.attr({ min: 0, step: 1, placeholder: t('timestampPlaceholder') });
  }
  if (define.unit) $('<span></span>').text(define.unit).appendTo($el);
  if (typeof initial === 'number' || typeof initial === 'string') $number.val(String(initial));
  return {
    $el,
    read() {
      const raw = String($number.val() ?? '').trim();
      $number.removeClass('input-error');
      if (raw === '') return { value: undefined };
      const value = Number(raw);
      const problem = checkValue(define, value, label);
      $number.toggleClass('input-error', !!problem);
      return { value, problem };
    },
  };
}

function structField(define: TemplateDefine, initial: unknown, label: string): FormField {
  const $el = $('<div class="iotx-struct"></div>');
  const members = (define.specs ?? []).map((spec) => {
    const value = isPlainObject(initial) ? initial[spec.id] : undefined;
    const field = fieldFor(spec.dataType, value, `${label}.${spec.id}`);
    $('<div class="form-row"></div>')
      .toggleClass('iotx-nested', !!field.nested)
      .append(
        $('<label></label>')
          .text(spec.name || spec.id)
          .attr('title', spec.id),
      )
      .append(field.$el)
      .appendTo($el);
    return { id: spec.id, field };
  });
  return {
    $el,
    nested: true,
    read() {
      const out: Record<string, unknown> = {};
      let problem: TemplateProblem | undefined;
      let any = false;
      for (const m of members) {
        const got = m.field.read();
        if (got.value !== undefined) {
          out[m.id] = got.value;
          any = true;
        }
        problem = problem ?? got.problem;
      }
      return { value: any ? out : undefined, problem };
    },
  };
}

function arrayField(define: TemplateDefine, initial: unknown, label: string): FormField {
  const $el = $('<div class="iotx-array"></div>');
  const $items = $('<div></div>').appendTo($el);
  const items: Array<{ field: FormField; $item: JQuery }> = [];
  const info: TemplateDefine = define.arrayInfo ?? { type: 'string' };
  const add = (value: unknown): void => {
    const $item = $('<div class="form-row iotx-array-item"></div>').appendTo($items);
    const entry = { field: fieldFor(info, value, `${label}[${items.length}]`), $item };
    $item.append(entry.field.$el);
    $(
      '<button type="button" class="red-ui-button red-ui-button-small" style="margin-left:4px"><i class="fa fa-times"></i></button>',
    )
      .attr('title', t('remove'))
      .on('click', () => {
        items.splice(items.indexOf(entry), 1);
        $item.remove();
        $el.trigger('change');
      })
      .appendTo($item);
    items.push(entry);
  };
  for (const value of Array.isArray(initial) ? (initial as unknown[]) : []) add(value);
  $(
    '<button type="button" class="red-ui-button red-ui-button-small"><i class="fa fa-plus"></i></button>',
  )
    .append(document.createTextNode(` ${t('addItem')}`))
    .on('click', () => {
      add(undefined);
      $el.trigger('change');
    })
    .appendTo($el);
  return {
    $el,
    nested: true,
    read() {
      const values: unknown[] = [];
      let problem: TemplateProblem | undefined;
      for (const entry of items) {
        const got = entry.field.read();
        if (got.value !== undefined) values.push(got.value);
        problem = problem ?? got.problem;
      }
      return {
        value: values.length ? values : undefined,
        problem: problem ?? (values.length ? checkValue(define, values, label) : undefined),
      };
    },
  };
}

/** string, and any type a newer template may add: a text box. */
function textField(define: TemplateDefine, initial: unknown, label: string): FormField {
  const $el = $('<input type="text">');
  const maxLength = defineNumber(define.max);
  if (define.type === 'string' && maxLength !== undefined) {
    $el.attr('maxlength', maxLength).attr('placeholder', t('maxLength', { max: maxLength }));
  }
  if (typeof initial === 'string') $el.val(initial);
  return {
    $el,
    read() {
      const raw = String($el.val() ?? '');
      $el.removeClass('input-error');
      if (raw === '') return { value: undefined };
      const problem = define.type === 'string' ? checkValue(define, raw, label) : undefined;
      $el.toggleClass('input-error', !!problem);
      return { value: raw, problem };
    },
  };
}

/** One form control for a define; `label` names the value in problems (`window.from`). */
export function fieldFor(
  define: TemplateDefine | undefined,
  initial: unknown,
  label: string,
): FormField {
  const d: TemplateDefine = define ?? ({} as TemplateDefine);
  switch (d.type) {
    case 'bool':
      return boolField(d, initial);
    case 'enum':
    case 'stringenum':
      return enumField(d, initial, label);
    case 'int':
    case 'float':
    case 'timestamp':
      return numberField(d, initial, label);
    case 'struct':
      return structField(d, initial, label);
    case 'array':
      return arrayField(d, initial, label);
    default:
      return textField(d, initial, label);
  }
}

export interface InputParamsFormOptions {
  /** The row the form goes before. */
  before: JQuery;
  /** The TypedInput the form writes (default `inputParams`). */
  inputField?: string;
  /** Where the action's outputs are described. */
  outputHelp?: JQuery;
}

export interface InputParamsForm {
  /** Shows the form for `action`; `useForm` turns from a msg/flow/global source to the form. */
  render(action: TemplateAction | null, useForm: boolean): void;
  /** What is wrong with the current form values, or undefined. */
  problem(): TemplateProblem | undefined;
}

export function inputParamsForm(options: InputParamsFormOptions): InputParamsForm {
  const $input = $(`#node-input-${options.inputField ?? 'inputParams'}`);
  const $row = $('<div class="iotx-form" style="display:none"></div>');
  const $header = $('<div class="iotx-form-header"></div>').appendTo($row);
  $('<label></label>')
    .append($('<i class="fa fa-list-alt"></i>'))
    .append(document.createTextNode(` ${t('form')}`))
    .appendTo($header);
  const $mode = $('<a href="#" class="red-ui-button red-ui-button-small"></a>').appendTo($header);
  const $fields = $('<div class="iotx-fields"></div>').appendTo($row);
  const $problem = $('<div class="iotx-line iotx-error" style="display:none"></div>').appendTo(
    $row,
  );
  const $output = options.outputHelp ?? $('<div class="form-tips"></div>').insertAfter($row);
  let current: TemplateAction | null = null;
  let raw = false;
  let fields: Array<{ id: string; field: FormField }> = [];

  function initialValues(): Record<string, unknown> {
    if ($input.typedInput('type') !== 'json') return {};
    try {
      const parsed: unknown = JSON.parse($input.typedInput('value') || '{}');
      return isPlainObject(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }

  function write(): void {
    if (!current || raw) return;
    const out: Record<string, unknown> = {};
    let problem: TemplateProblem | undefined;
    for (const f of fields) {
      const got = f.field.read();
      if (got.value !== undefined) out[f.id] = got.value;
      problem = problem ?? got.problem;
    }
    problem = problem ?? checkActionInput(current, out);
    if (problem) $problem.text(problemText(problem)).show();
    else $problem.hide();
    $input.typedInput('type', 'json');
    $input.typedInput('value', JSON.stringify(out));
  }

  function showOutput(action: TemplateAction): void {
    $output.empty();
    const outputs = action.output ?? [];
    $('<p></p>').html(t('outputHelp')).appendTo($output);
    if (!outputs.length) {
      $('<p></p>').text(t('noOutput')).appendTo($output);
      return;
    }
    const $dl = $('<dl class="message-properties"></dl>').appendTo($output);
    for (const o of outputs) {
      $('<dt></dt>')
        .text(`${o.id || ''} `)
        .append($('<span class="property-type"></span>').text(o.define?.type ?? ''))
        .appendTo($dl);
      $('<dd></dd>')
        .text((o.name && o.name !== o.id ? `${o.name}: ` : '') + describeDefine(o.define))
        .appendTo($dl);
    }
  }

  function setRaw(value: boolean): void {
    raw = value;
    $mode.text(raw ? t('useForm') : t('useJson'));
    $fields.toggle(!raw);
    if (raw) $problem.hide();
    else write();
  }

  function render(action: TemplateAction | null, useForm: boolean): void {
    current = action;
    fields = [];
    $fields.empty();
    if (!action) {
      $row.hide();
      $output.empty().hide();
      return;
    }
    const initial = initialValues();
    const inputs = action.input ?? [];
    if (!inputs.length) $('<div></div>').text(t('noInput')).appendTo($fields);
    for (const param of inputs) {
      const field = fieldFor(param.define, initial[param.id], param.id);
      const $field = $('<div class="form-row"></div>')
        .toggleClass('iotx-nested', !!field.nested)
        .appendTo($fields);
      $('<label></label>')
        .text((param.name || param.id) + (param.required ? ' *' : ''))
        .attr('title', param.id + (param.desc ? `: ${param.desc}` : ''))
        .appendTo($field);
      $field.append(field.$el);
      fields.push({ id: param.id, field });
    }
    $row.show();
    $output.show();
    showOutput(action);
    // A saved message-sourced InputParams stays as it is until the user turns to the form.
    setRaw(!useForm && $input.typedInput('type') !== 'json');
  }

  $row.insertBefore(options.before);
  $fields.on('change input', write);
  $mode.on('click', (event) => {
    event.preventDefault();
    setRaw(!raw);
  });
  return {
    render,
    problem() {
      if (!current || raw) return undefined;
      let values: unknown;
      try {
        values = JSON.parse($input.typedInput('value'));
      } catch {
        values = undefined;
      }
      return checkActionInput(current, values);
    },
  };
}
