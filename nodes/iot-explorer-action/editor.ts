// The call action node's dialog: its target (one device, with the device picker, or a place in
// the home), the action picker and the InputParams form.

import {
  deviceTargetFields,
  input,
  PAYLOAD_TYPES,
  showAbsentAsRuntime,
  typedField,
} from '../../editor/fields';
import { inputParamsForm } from '../../editor/input-form';
import { actionPicker } from '../../editor/pickers/action';
import { devicePicker } from '../../editor/pickers/device';
import { selectionEditor, selectsByFilter, type SelectionEditor } from '../../editor/selection';
import { markDialog } from '../../editor/style';
import { editing } from '../../editor/validation';

/** A literal typed field's text, or '' when it comes from msg/flow/global/env. */
function literalOf(value: unknown, type: unknown): string {
  return (type || 'str') === 'str' && typeof value === 'string' ? value : '';
}

/** The `defaults` validators of InputParams and ActionId (editor/validation.ts). */
export {
  inputParams as validInputParams,
  actionId as validActionId,
} from '../../editor/validation';

/**
 * The canvas label: the device (or the place in the home) and the action, by the names the
 * pickers chose.
 */
export function label(node: RedEditorNode): string {
  if (node.name) return node.name;
  const actionId = literalOf(node.actionId, node.actionIdType);
  const deviceName = literalOf(node.deviceName, node.deviceNameType);
  const actionLabel = typeof node.actionLabel === 'string' ? node.actionLabel : '';
  const deviceLabel = typeof node.deviceLabel === 'string' ? node.deviceLabel : '';
  const action = actionId && actionLabel ? actionLabel : actionId;
  // A selection's label is the name of what its filter selects, as the dialog saved it.
  const device = selectsByFilter(node)
    ? deviceLabel
    : deviceName && deviceLabel
      ? deviceLabel
      : deviceName;
  if (action && device) return `${device} · ${action}`;
  return action || device || node._('iot-explorer-action.paletteLabel');
}

export function prepare(node: RedEditorNode): void {
  markDialog(input('name'));
  editing(node);
  showAbsentAsRuntime(node, 'iot-explorer-action');
  deviceTargetFields(['productId', 'deviceName', 'actionId']);
  typedField('inputParams', PAYLOAD_TYPES, 'msg');
  const $before = input('productId').closest('.form-row');
  const form = inputParamsForm({
    before: input('inputParams').closest('.form-row'),
    outputHelp: $('#iotx-action-output'),
  });
  const devices = devicePicker({
    before: $before,
    onPick: (device) => input('deviceLabel').val(device.aliasName || ''),
  });
  // The actions offered are the named device's product's, or in a selection the product its
  // devices share.
  const actions = actionPicker({
    before: $before,
    productId: () => (selection?.mode() === 'filter' ? selection.productId() : ''),
    onPick(action, how) {
      input('actionLabel').val(action.name && action.name !== action.id ? action.name : '');
      form.render(action, how.byUser);
    },
  });
  selection = selectionEditor({ node, deviceRows: devices.rows, onChange: actions.refresh });
  const saved = typeof node.deviceLabel === 'string' ? node.deviceLabel : '';
  selectionLabel = selectsByFilter(node) ? saved : undefined;
  // A label chosen by a picker no longer fits once the field is typed over.
  for (const [fieldName, labelName] of [
    ['deviceName', 'deviceLabel'],
    ['actionId', 'actionLabel'],
  ]) {
    const $field = input(fieldName);
    let chosen = $field.typedInput('value');
    $field.on('change', () => {
      if ($field.typedInput('value') !== chosen) {
        chosen = $field.typedInput('value');
        input(labelName).val('');
      }
    });
  }
}

/** The open dialog's target, and the label its node was saved with for a selection. */
let selection: SelectionEditor | undefined;
let selectionLabel: string | undefined;

export function save(node: RedEditorNode): void {
  if (!selection) return;
  selection.save(node);
  // The canvas label names the place in the home, as the pickers name a device. Node-RED reads
  // the hidden field after this: the label goes there.
  const $label = input('deviceLabel');
  if (selection.mode() === 'filter') $label.val(selection.name());
  else if (selectionLabel !== undefined && $label.val() === selectionLabel) $label.val('');
}
