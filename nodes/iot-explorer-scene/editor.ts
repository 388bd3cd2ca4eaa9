// The scene node's dialog: the scene field with the picker of the family's scenes.

import { deviceTargetFields, input, showAbsentAsRuntime } from '../../editor/fields';
import { scenePicker } from '../../editor/pickers/family-items';
import { stored } from '../../editor/dialog-parts';
import { markDialog } from '../../editor/style';

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
