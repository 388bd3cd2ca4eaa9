// The watch node's dialog: its target (a list of devices, or a place in the home), push or poll,
// what to watch, and the poll interval.

import { sharedProductId } from '../../editor/lists';
import { deviceList, readDeviceList } from '../../editor/device-list';
import { input, showAbsentAsRuntime } from '../../editor/fields';
import { devicePicker } from '../../editor/pickers/device';
import { propertyPicker } from '../../editor/pickers/property';
import { markDialog } from '../../editor/style';
import { listPlaceholders, storedDevices } from '../../editor/dialog-parts';
import { selectionEditor, selectsByFilter, type SelectionEditor } from '../../editor/selection';

const TYPE = 'iot-explorer-watch';

export function label(node: RedEditorNode): string {
  if (node.name) return node.name;
  const devices = storedDevices(node);
  const palette = node._(`${TYPE}.paletteLabel`);
  // A place in the home: the list the node keeps is not what it watches.
  if (selectsByFilter(node)) return palette;
  if (devices.length === 1) {
    const d = devices[0];
    return `${palette} ${typeof d === 'string' ? d : d.deviceName}`;
  }
  return palette;
}

/**
 * Shows the rows that matter in the chosen mode: the interval only when polling (push mode reads
 * only to set the baseline and fill gaps after a reconnect); events and action replies only reach
 * a flow over push, so in poll mode their boxes are disabled, with a hint saying why.
 */
function showMode(): void {
  const push = input('mode').val() === 'push';
  $('.iotx-watch-poll').toggle(!push);
  $('.iotx-watch-push-only').toggle(!push);
  input('watchEvents').prop('disabled', !push);
  input('watchActions').prop('disabled', !push);
}

export function prepare(node: RedEditorNode): void {
  // A node saved before push existed has no mode: it keeps polling, and opens showing so, with
  // a hint that offers push. A node saved without watchState/watchOnline watches both, as the
  // runtime does: it shows so, rather than as two empty boxes.
  markDialog(input('name'));
  const savedBeforePush = node.mode === undefined || node.mode === '';
  showAbsentAsRuntime(node, TYPE);
  $('.iotx-watch-offer-push').toggle(savedBeforePush);
  const $mode = input('mode');
  $mode.on('change', () => {
    if ($mode.val() === 'push') $('.iotx-watch-offer-push').hide();
    showMode();
  });
  showMode();
  const $list = $('#node-input-devices-list');
  // Rows added while the list is made come before the property picker exists.
  const picker: { properties?: { refresh: () => void }; selection?: SelectionEditor } = {};
  deviceList($list, storedDevices(node), listPlaceholders(node, TYPE), () =>
    picker.properties?.refresh(),
  );
  const devices = devicePicker({ before: $list.closest('.form-row'), list: $list });
  picker.selection = selectionEditor({
    node,
    deviceRows: devices.rows,
    onChange: () => picker.properties?.refresh(),
  });
  selection = picker.selection;
  // The properties to offer are those of the product every watched device shares.
  picker.properties = propertyPicker({
    after: input('properties').closest('.form-row'),
    productId: () =>
      picker.selection?.mode() === 'filter'
        ? picker.selection.productId()
        : sharedProductId(readDeviceList($list)),
  });
  input('interval').spinner({ min: 5 });
}

/** The open dialog's target. */
let selection: SelectionEditor | undefined;

export function save(node: RedEditorNode): void {
  node.devices = readDeviceList($('#node-input-devices-list'));
  selection?.save(node);
}
