// The device state node's dialog: the device fields with the device picker, and the product's
// properties offered as boxes that fill the property filter.

import { deviceTargetFields, input, literal, showAbsentAsRuntime } from '../../editor/fields';
import { devicePickerBeforeProduct } from '../../editor/dialog-parts';
import { propertyPicker } from '../../editor/pickers/property';
import { markDialog } from '../../editor/style';

export const state = {
  prepare(node: RedEditorNode): void {
    markDialog(input('name'));
    showAbsentAsRuntime(node, 'iot-explorer-state');
    deviceTargetFields(['productId', 'deviceName']);
    devicePickerBeforeProduct();
    const properties = propertyPicker({
      after: input('properties').closest('.form-row'),
      productId: () => literal('productId'),
    });
    input('productId').on('change', properties.refresh);
  },
};
