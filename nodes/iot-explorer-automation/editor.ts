// The automation node's dialog: the automation picker (on/off), or only the family to list.

import { deviceTargetFields, input, showAbsentAsRuntime } from '../../editor/fields';
import { automationPicker } from '../../editor/pickers/family-items';
import { stored } from '../../editor/dialog-parts';
import { markDialog } from '../../editor/style';

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
