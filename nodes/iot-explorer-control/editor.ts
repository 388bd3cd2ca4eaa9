// The control node's dialog: the device fields with the device picker, and the data field,
// checked against the product's data template once read (editor/validation.ts).

import {
  deviceTargetFields,
  input,
  literal,
  PAYLOAD_TYPES,
  showAbsentAsRuntime,
  typedField,
} from '../../editor/fields';
import { devicePickerBeforeProduct } from '../../editor/dialog-parts';
import { productTemplate } from '../../editor/pickers/product-template';
import { markDialog } from '../../editor/style';
import { controlData, editing } from '../../editor/validation';

export const control = {
  /** The `defaults` validator of Data (editor/validation.ts). */
  validData: controlData,

  prepare(node: RedEditorNode): void {
    markDialog(input('name'));
    editing(node);
    showAbsentAsRuntime(node, 'iot-explorer-control');
    deviceTargetFields(['productId', 'deviceName']);
    devicePickerBeforeProduct();
    typedField('data', PAYLOAD_TYPES, 'msg');
    // The product's template, read once per product, checks the Data typed here.
    const template = productTemplate($('#node-input-account'), () => literal('productId'), {
      none: () => undefined,
      loading: () => undefined,
      failed: () => undefined,
      loaded: () => undefined,
    });
    input('productId').on('change', template.load);
    $('#node-input-account').on('change', template.reload);
    template.load();
  },
};
