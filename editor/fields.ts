// The node dialog's fields: TypedInputs for what may come from a message, and the values the
// runtime takes for properties a saved node lacks.

import { absentProperties, VERSIONS, type NodeType } from '../nodes/all-settings';

/** The TypedInput types a device field may come from. */
export const TARGET_TYPES = ['str', 'msg', 'flow', 'global', 'env'];
/** The TypedInput types of a payload-like field (InputParams, control data). */
export const PAYLOAD_TYPES = ['msg', 'json', 'flow', 'global', 'env'];

/** The dialog's input for a node property (`node-input-…`, or `node-config-input-…`). */
export function input(name: string, prefix = 'node-input'): JQuery {
  return $(`#${prefix}-${name}`);
}

/**
 * Turns `#node-input-<name>` into a TypedInput bound to the hidden `<name>Type` input,
 * defaulting to `defaultType` for nodes saved before the field existed.
 */
export function typedField(name: string, types: string[], defaultType: string): JQuery {
  const $input = input(name);
  const $type = input(`${name}Type`);
  if (!$type.val()) $type.val(defaultType);
  $input.typedInput({ default: defaultType, types, typeField: $type });
  return $input;
}

/** The device-target fields (ProductId, DeviceName, …) as literal-first TypedInputs. */
export function deviceTargetFields(names: string[]): void {
  for (const name of names) typedField(name, TARGET_TYPES, 'str');
}

/** A typed field's literal text, or '' when it comes from msg/flow/global/env. */
export function literal(name: string): string {
  const $input = input(name);
  return $input.typedInput('type') === 'str' ? String($input.typedInput('value') || '') : '';
}

/** Sets a typed field to a literal text. */
export function setLiteral(name: string, value: string): void {
  const $input = input(name);
  $input.typedInput('type', 'str');
  $input.typedInput('value', value);
  $input.trigger('change');
}

/**
 * Shows, for each property the saved node lacks, what the runtime takes instead
 * (nodes/<type>/settings.ts), and has the dialog save the node's current `version`. Node-RED
 * fills a dialog from the saved properties only: an absent one leaves a select blank and a
 * checkbox unticked. Call first in oneditprepare, before the TypedInputs are made. List-valued
 * properties are the node's own business.
 */
export function showAbsentAsRuntime(
  node: RedEditorNode,
  type: NodeType,
  prefix = 'node-input',
): void {
  for (const [property, value] of Object.entries(absentProperties(type, node))) {
    const $field = input(property, prefix);
    if (!$field.length || Array.isArray(value)) continue;
    if ($field.attr('type') === 'checkbox') $field.prop('checked', value === true);
    else $field.val(String(value));
  }
  // The dialog saves every property as this version writes it, so the node is saved with this
  // version: a hidden field, which Node-RED saves as it saves the others.
  $('<input type="hidden">')
    .attr('id', `${prefix}-version`)
    .val(String(VERSIONS[type]))
    .insertAfter(input('name', prefix));
}
