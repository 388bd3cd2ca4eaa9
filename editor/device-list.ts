// An editableList of devices, one row per device with a ProductId and a DeviceName input
// (classes `iotx-product-id` / `iotx-device-name`, so that the device picker fills them) and
// the device's name in the app once the picker has read the account's devices.

import { DeviceId } from '../lib/shared/device-id';
import type { StoredDeviceEntry } from '../lib/shared/node-settings';
import { listsDevice, type DeviceRef } from './lists';
import { t } from './i18n';

/** The names the account gives devices, by `PID/DN`, per list (set by {@link showAliases}). */
const aliasesOf = new WeakMap<HTMLElement, Map<string, string>>();

/** Shows beside a row the name of the device it lists, when the account has told it. */
function showAlias($row: JQuery): void {
  const $list = $row.closest('ol');
  const names = $list.length ? aliasesOf.get($list[0]) : undefined;
  const id = DeviceId.format({
    productId: rowValue($row, '.iotx-product-id'),
    deviceName: rowValue($row, '.iotx-device-name'),
  });
  const alias = names?.get(id) ?? '';
  $row.find('.iotx-device-alias').text(alias).attr('title', alias);
}

/**
 * Names the listed devices by `devices` (the account's, as the device picker reads them); a
 * device shared with the user is marked so before its name.
 */
export function showAliases(
  $list: JQuery,
  devices: ReadonlyArray<DeviceRef & { aliasName?: string; shared?: boolean }>,
): void {
  const names = new Map<string, string>();
  for (const d of devices) {
    const alias = d.aliasName && d.aliasName !== d.deviceName ? d.aliasName : '';
    // The mark first: a long name is cut at its end.
    const name = d.shared ? (alias ? `${t('sharedMark')} · ${alias}` : t('sharedMark')) : alias;
    if (name) names.set(DeviceId.format(d), name);
  }
  aliasesOf.set($list[0], names);
  $list.editableList('items').each(function () {
    showAlias($(this));
  });
}

function rowValue($row: JQuery, selector: string): string {
  return String($row.find(selector).val() ?? '').trim();
}

/** A stored entry's two ids; a text that names no device stays whole in the first, to be fixed. */
function idsOf(data: StoredDeviceEntry | undefined): DeviceRef {
  if (typeof data === 'string')
    return DeviceId.parse(data.trim()) ?? { productId: data, deviceName: '' };
  return { productId: data?.productId ?? '', deviceName: data?.deviceName ?? '' };
}

/** Fills `$list` with `devices`; `onChange()` runs when a row is added, removed or typed in. */
export function deviceList(
  $list: JQuery,
  devices: readonly StoredDeviceEntry[] | undefined,
  placeholders: DeviceRef,
  onChange?: () => void,
): void {
  const changed = (): void => onChange?.();
  $list.addClass('iotx-device-list').editableList<StoredDeviceEntry | undefined>({
    addItem(row, _index, data) {
      const ids = idsOf(data);
      row.addClass('iotx-device-row');
      $('<input type="text" class="iotx-product-id">')
        .attr('placeholder', placeholders.productId)
        .val(ids.productId)
        .appendTo(row);
      $('<span>/</span>').appendTo(row);
      $('<input type="text" class="iotx-device-name">')
        .attr('placeholder', placeholders.deviceName)
        .val(ids.deviceName)
        .appendTo(row);
      $('<span class="iotx-device-alias"></span>').appendTo(row);
      showAlias(row);
      changed();
    },
    removeItem: changed,
    removable: true,
    sortable: true,
    height: 'auto',
  });
  for (const device of devices ?? []) $list.editableList('addItem', device);
  // `change`, not `input`: a product's template is asked for once the id is typed, not per key.
  $list.on('change', '.iotx-product-id, .iotx-device-name', function () {
    showAlias($(this).closest('.iotx-device-row'));
    changed();
  });
}

/** The rows of a {@link deviceList} that name both ids. */
export function readDeviceList($list: JQuery): DeviceRef[] {
  const devices: DeviceRef[] = [];
  $list.editableList('items').each(function () {
    const productId = rowValue($(this), '.iotx-product-id');
    const deviceName = rowValue($(this), '.iotx-device-name');
    if (productId && deviceName) devices.push({ productId, deviceName });
  });
  return devices;
}

/**
 * Puts a picked device into a {@link deviceList}: into the first empty row, else a new row;
 * never twice. Returns the text for the picker's line.
 */
export function addToDeviceList($list: JQuery, device: DeviceRef): string {
  const id = DeviceId.format(device);
  if (listsDevice(readDeviceList($list), device)) return t('alreadyListed', { device: id });
  const $empty = $list
    .editableList('items')
    .filter(function () {
      return !rowValue($(this), '.iotx-product-id') && !rowValue($(this), '.iotx-device-name');
    })
    .first();
  if ($empty.length) {
    $empty.find('.iotx-product-id').val(device.productId);
    $empty.find('.iotx-device-name').val(device.deviceName).trigger('change');
  } else {
    $list.editableList('addItem', { productId: device.productId, deviceName: device.deviceName });
  }
  return t('addedToList', { device: id });
}
