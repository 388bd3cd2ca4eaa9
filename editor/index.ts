/**
 * The editor's shared code, loaded once by every node's `.html` (the bundle
 * resources/iot-explorer-editor.js, built from this folder by scripts/build-editor.js). Each
 * `.html` keeps its `registerType` header and calls in here as `IotExplorerEditor.<node>.…`.
 */

import { ABSENT_MEANS } from '../nodes/all-settings';
import { PALETTE_CATEGORY, PALETTE_COLOR } from '../lib/shared/palette';
import { accountRequest } from './account-requests';
import { deviceList, readDeviceList } from './device-list';
import { deviceTargetFields, literal, TARGET_TYPES, typedField } from './fields';
import { inputParamsForm } from './input-form';
import { listsDevice, propertyIds, sharedProductId, withProperty } from './lists';
import * as account from '../nodes/iot-explorer-account/editor';
import * as action from '../nodes/iot-explorer-action/editor';
import { deviceLabel } from './dialog-parts';
import { control } from '../nodes/iot-explorer-control/editor';
import { state } from '../nodes/iot-explorer-state/editor';
import { status } from '../nodes/iot-explorer-status/editor';
import * as watch from '../nodes/iot-explorer-watch/editor';
import { scene } from '../nodes/iot-explorer-scene/editor';
import { automation } from '../nodes/iot-explorer-automation/editor';
import { history } from '../nodes/iot-explorer-history/editor';
import { home } from '../nodes/iot-explorer-home/editor';
import { actionPicker } from './pickers/action';
import { validSelection } from './selection';
import { devicePicker } from './pickers/device';
import { propertyPicker } from './pickers/property';
import { addStyles, markDialog } from './style';
import { actionsOf, describeDefine, propertiesOf } from './template';

const api = {
  category: PALETTE_CATEGORY,
  color: PALETTE_COLOR,
  /** What the runtime takes for a property a saved node lacks, by node type. */
  absentMeans: ABSENT_MEANS,

  // Each node's dialog.
  account: {
    ...account,
    // The account dialog is laid out as every other dialog of ours.
    prepare(node: RedEditorNode): void {
      markDialog($('#node-config-input-name'));
      account.prepare(node);
    },
  },
  action,
  control,
  state: { ...state, label: (node: RedEditorNode) => deviceLabel(node, 'iot-explorer-state') },
  status,
  watch,
  scene,
  automation,
  history,
  home,
  /** The Target of the watch, control and call-action nodes (editor/selection.ts). */
  selection: { validSelection },

  // The parts, for nodes of other packages' shape and for new nodes.
  TARGET_TYPES,
  typedField,
  deviceTargetFields,
  literal,
  deviceList,
  readDeviceList,
  devicePicker,
  actionPicker,
  propertyPicker,
  inputParamsForm,
  accountRequest,
  template: { actionsOf, propertiesOf, describeDefine },
  lists: { propertyIds, withProperty, sharedProductId, listsDevice },
};

export type IotExplorerEditor = typeof api;

declare global {
  interface Window {
    IotExplorerEditor?: IotExplorerEditor;
  }
}

// Every node's `.html` loads the bundle; the first load defines it.
if (!window.IotExplorerEditor) {
  addStyles(document);
  window.IotExplorerEditor = api;
}
