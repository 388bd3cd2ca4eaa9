// The online status node's dialog: one device (the fields) or a list of devices, filled by the
// device picker.

import { deviceList, readDeviceList } from '../../editor/device-list';
import { deviceTargetFields, input, showAbsentAsRuntime } from '../../editor/fields';
import { devicePicker } from '../../editor/pickers/device';
import { deviceLabel, listPlaceholders, storedDevices } from '../../editor/dialog-parts';
import { markDialog } from '../../editor/style';

export const status = {
  label(node: RedEditorNode): string {
    const count = storedDevices(node).length;
    const device = (node.deviceNameType || 'str') === 'str' ? node.deviceName : '';
    if (!node.name && !device && count > 0) {
      return node._(`iot-explorer-status.${count === 1 ? 'labelListOne' : 'labelList'}`, { count });
    }
    return deviceLabel(node, 'iot-explorer-status');
  },

  prepare(node: RedEditorNode): void {
    markDialog(input('name'));
    showAbsentAsRuntime(node, 'iot-explorer-status');
    const $list = $('#node-input-devices-list');
    const $ask = $('#node-input-iotx-ask');
    deviceTargetFields(['productId', 'deviceName']);
    deviceList($list, storedDevices(node), listPlaceholders(node, 'iot-explorer-status'));
    const picker = devicePicker({
      before: input('productId').closest('.form-row'),
      list: () => ($ask.val() === 'list' ? $list : null),
    });
    // One device (the fields) or a list: the dialog shows one of them, and the picker fills it.
    $ask
      .on('change', () => {
        const many = $ask.val() === 'list';
        $('.iotx-status-one').toggle(!many);
        $('.iotx-status-list').toggle(many);
        picker.targetChanged();
      })
      .val(storedDevices(node).length > 0 ? 'list' : 'one')
      .trigger('change');
  },

  save(node: RedEditorNode): void {
    if ($('#node-input-iotx-ask').val() === 'list') {
      node.devices = readDeviceList($('#node-input-devices-list'));
      // Blank fields, so that the list (or else msg.deviceIds) is what the node asks about.
      for (const name of ['productId', 'deviceName']) {
        input(name).typedInput('type', 'str');
        input(name).typedInput('value', '');
      }
    } else {
      node.devices = [];
    }
  },
};
