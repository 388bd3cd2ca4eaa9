// The dialogs of the scene, automation and history nodes: the fields, the pickers of the
// family's scenes and automations, and the history node's property select.

import { deviceTargetFields, input, literal, showAbsentAsRuntime } from '../fields';
import { devicePicker } from '../pickers/device';
import { automationPicker, scenePicker } from '../pickers/family-items';
import { propertySelect } from '../pickers/property-select';
import { markDialog } from '../style';

/** The text a literal typed field holds, else '' (it comes from msg, flow, global or env). */
function stored(node: RedEditorNode, name: string): string {
  const value = node[name];
  return (node[`${name}Type`] || 'str') === 'str' && typeof value === 'string' ? value : '';
}

export const scene = {
  label(node: RedEditorNode): string {
    const id = stored(node, 'sceneId');
    const name = id && typeof node.sceneName === 'string' ? node.sceneName : '';
    return node.name || name || id || node._('iot-explorer-scene.paletteLabel');
  },

  prepare(node: RedEditorNode): void {
    markDialog(input('name'));
    showAbsentAsRuntime(node, 'iot-explorer-scene');
    deviceTargetFields(['sceneId']);
    scenePicker({
      before: input('sceneId').closest('.form-row'),
      idField: 'sceneId',
      nameField: 'sceneName',
      familyField: 'familyId',
    });
  },
};

export const automation = {
  label(node: RedEditorNode): string {
    if (node.name) return node.name;
    if (node.operation === 'list') return node._('iot-explorer-automation.operation.list');
    const id = stored(node, 'automationId');
    const what = (id && typeof node.automationName === 'string' && node.automationName) || id;
    if (!what) return node._('iot-explorer-automation.paletteLabel');
    return node.state === 'on' || node.state === 'off'
      ? `${what}: ${node._(`iot-explorer-automation.state.${node.state}`)}`
      : what;
  },

  prepare(node: RedEditorNode): void {
    markDialog(input('name'));
    showAbsentAsRuntime(node, 'iot-explorer-automation');
    deviceTargetFields(['automationId', 'familyId']);
    // The Family and Automation pickers come first, as every node's pickers do.
    const picker = automationPicker({
      before: input('familyId').closest('.form-row'),
      idField: 'automationId',
      nameField: 'automationName',
      familyField: 'familyId',
      familyTyped: true,
    });
    // Switching names one automation; listing needs only the family.
    input('operation')
      .on('change', () => {
        const list = input('operation').val() === 'list';
        $('.iotx-automation-set').toggle(!list);
        $('.iotx-automation-list').toggle(list);
        picker.offerItems(!list);
      })
      .trigger('change');
  },
};

export const history = {
  label(node: RedEditorNode): string {
    if (node.name) return node.name;
    const device = stored(node, 'deviceName');
    const eventId = typeof node.eventId === 'string' ? node.eventId : '';
    const what = node.kind === 'event' ? eventId : stored(node, 'property');
    return (
      [device, what].filter(Boolean).join(' · ') || node._('iot-explorer-history.paletteLabel')
    );
  },

  prepare(node: RedEditorNode): void {
    markDialog(input('name'));
    showAbsentAsRuntime(node, 'iot-explorer-history');
    deviceTargetFields(['productId', 'deviceName', 'property']);
    devicePicker({ before: input('productId').closest('.form-row') });
    const properties = propertySelect({
      before: input('property').closest('.form-row'),
      productId: () => literal('productId'),
    });
    input('productId').on('change', properties.refresh);
    input('kind')
      .on('change', () => {
        const events = input('kind').val() === 'event';
        $('.iotx-history-property').toggle(!events);
        $('.iotx-history-event').toggle(events);
      })
      .trigger('change');
  },
};
