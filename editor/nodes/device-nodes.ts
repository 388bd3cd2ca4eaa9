// The dialogs of the device nodes without a form of their own: control, device state, online
// status. Each is the device fields with the device picker, and what is particular to it.

import type { DeviceRef } from '../lists';
import { deviceList, readDeviceList, type StoredDevice } from '../device-list';
import {
  deviceTargetFields,
  input,
  literal,
  PAYLOAD_TYPES,
  showAbsentAsRuntime,
  typedField,
} from '../fields';
import { devicePicker } from '../pickers/device';
import { propertyPicker } from '../pickers/property';
import { productTemplate } from '../pickers/product-template';
import { markDialog } from '../style';
import { controlData, editing } from '../validation';

/** The canvas label of a one-device node: its name, the literal DeviceName, or the palette's. */
export function deviceLabel(node: RedEditorNode, type: string): string {
  if (node.name) return node.name;
  const device = (node.deviceNameType || 'str') === 'str' ? node.deviceName : '';
  return (typeof device === 'string' && device) || node._(`${type}.paletteLabel`);
}

function devicePickerBeforeProduct(): void {
  devicePicker({ before: input('productId').closest('.form-row') });
}

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

function storedDevices(node: RedEditorNode): StoredDevice[] {
  return Array.isArray(node.devices) ? (node.devices as StoredDevice[]) : [];
}

function listPlaceholders(node: RedEditorNode, type: string): DeviceRef {
  return {
    productId: node._(`${type}.label.productId`),
    deviceName: node._(`${type}.label.deviceName`),
  };
}

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

export { listPlaceholders, storedDevices };
