// The control node's dialog: the device fields with the device picker, and the data field.

import {
  deviceTargetFields,
  PAYLOAD_TYPES,
  showAbsentAsRuntime,
  typedField,
} from '../../editor/fields';
import { devicePickerBeforeProduct } from '../../editor/dialog-parts';

export const control = {
  prepare(node: RedEditorNode): void {
    showAbsentAsRuntime(node, 'iot-explorer-control');
    deviceTargetFields(['productId', 'deviceName']);
    devicePickerBeforeProduct();
    typedField('data', PAYLOAD_TYPES, 'msg');
  },
};
