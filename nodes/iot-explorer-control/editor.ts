// The control node's dialog: its target (one device, with the device picker, or a place in the
// home) and the data field, checked against the product's data template once read
// (editor/validation.ts).

import {
  deviceTargetFields,
  input,
  literal,
  PAYLOAD_TYPES,
  showAbsentAsRuntime,
  typedField,
} from '../../editor/fields';
import { deviceLabel, devicePickerBeforeProduct } from '../../editor/dialog-parts';
import { productTemplate } from '../../editor/pickers/product-template';
import { selectionEditor, selectsByFilter, type SelectionEditor } from '../../editor/selection';
import { markDialog } from '../../editor/style';
import { controlData, editing } from '../../editor/validation';

const TYPE = 'iot-explorer-control';

/** The open dialog's target. */
let selection: SelectionEditor | undefined;

export const control = {
  /** The `defaults` validator of Data (editor/validation.ts). */
  validData: controlData,

  /** The canvas label: the name, the literal DeviceName, or the palette's (for a selection too). */
  label(node: RedEditorNode): string {
    if (!node.name && selectsByFilter(node)) return node._(`${TYPE}.paletteLabel`);
    return deviceLabel(node, TYPE);
  },

  prepare(node: RedEditorNode): void {
    markDialog(input('name'));
    editing(node);
    showAbsentAsRuntime(node, TYPE);
    deviceTargetFields(['productId', 'deviceName']);
    const picker = devicePickerBeforeProduct();
    typedField('data', PAYLOAD_TYPES, 'msg');
    // The product's template, read once per product, checks the Data typed here: the named
    // device's, or in a selection the product its devices share.
    const productId = (): string =>
      selection?.mode() === 'filter' ? selection.productId() : literal('productId');
    const template = productTemplate($('#node-input-account'), productId, {
      none: () => undefined,
      loading: () => undefined,
      failed: () => undefined,
      loaded: () => undefined,
    });
    selection = selectionEditor({ node, deviceRows: picker.rows, onChange: template.load });
    input('productId').on('change', template.load);
    $('#node-input-account').on('change', template.reload);
    template.load();
  },

  save(node: RedEditorNode): void {
    selection?.save(node);
  },
};
