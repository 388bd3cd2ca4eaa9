// The device picker: a family select and a device select fed by the account: the family's
// devices by room, then those other users share with the user ("Shared with me"). Picking a
// device fills the ProductId and DeviceName fields (as literal text), or adds it to a device list.

import type { DeviceSummary } from '../../lib/shared/admin-api';
import { DeviceId } from '../../lib/shared/device-id';
import { requestForAccountField } from '../account-requests';
import { addToDeviceList, showAliases } from '../device-list';
import { showInfo, showProblem } from '../feedback';
import { literal, setLiteral } from '../fields';
import { t, tCount } from '../i18n';
import { familyRow, readFamilies } from './family';
import { appendOption, pickerLine, pickerRow, placeholderOption } from './row';

export interface DevicePickerOptions {
  /** The row the picker's rows go before. */
  before: JQuery;
  /** The account select (default `#node-input-account`). */
  accountField?: string;
  /** The fields a pick fills (default `productId`, `deviceName`). */
  productField?: string;
  deviceField?: string;
  /** A device list picks go to instead of the fields (or a function giving one, or null). */
  list?: JQuery | (() => JQuery | null);
  onPick?(device: DeviceSummary): void;
}

export interface DevicePicker {
  reload(): void;
  selected(): DeviceSummary | undefined;
  /** Says again what a pick does, once the dialog shows or hides the list picks go to. */
  targetChanged(): void;
  /** The picker's rows (family, device, the line under them), for a dialog that hides them. */
  rows: JQuery;
}

/**
 * How a device reads in the select: its name in the app, its DeviceName and whether it is
 * online. The room is the option's group, the ProductId its tooltip: the chosen device's text
 * must fit the select at the dialog's default width.
 */
function deviceText(device: DeviceSummary): { text: string; suffix: string } {
  const alias = device.aliasName && device.aliasName !== device.deviceName ? device.aliasName : '';
  const state = device.online === true ? t('online') : device.online === false ? t('offline') : '';
  return {
    text: alias ? `${alias} — ${device.deviceName}` : device.deviceName,
    suffix: state ? ` (${state})` : '',
  };
}

/** The option's tooltip: the device's two ids, and its room or who shared it. */
function deviceTitle(device: DeviceSummary): string {
  const where = device.shared ? sharedText(device) : device.roomName;
  return DeviceId.format(device) + (where ? ` · ${where}` : '');
}

/** "Shared with you by …", or without the sharer when the service does not name them. */
function sharedText(device: DeviceSummary): string {
  return device.sharedBy ? t('sharedBy', { user: device.sharedBy }) : t('sharedWithYou');
}

export function devicePicker(options: DevicePickerOptions): DevicePicker {
  const $account = $(options.accountField ?? '#node-input-account');
  const productField = options.productField ?? 'productId';
  const deviceField = options.deviceField ?? 'deviceName';
  const { $row: $rowFamily, $family, $refresh } = familyRow('node-input-iotx-family');
  const $rowDevice = pickerRow('fa-lightbulb-o', 'device', 'node-input-iotx-device');
  const $device = $('<select id="node-input-iotx-device"></select>').appendTo($rowDevice);
  const $line = pickerLine();
  let devices: DeviceSummary[] = [];
  let generation = 0;
  /** Whether the family's devices are listed in the select (the line says how many). */
  let listed = false;
  /** Whether the account has a family to list (else only devices shared with the user). */
  let hasFamily = true;

  /** The device list picks go to now, or null for the ProductId and DeviceName fields. */
  function targetList(): JQuery | null {
    const list = typeof options.list === 'function' ? options.list() : options.list;
    return list && list.length ? list : null;
  }

  /** The line under the picker: how many devices, and what picking one does. */
  function showFound(): void {
    if (!listed) return;
    const shared = devices.filter((d) => d.shared).length;
    const owned = devices.length - shared;
    const toList = targetList() !== null;
    const text = hasFamily
      ? tCount(toList ? 'devicesFoundList' : 'devicesFound', owned) +
        (shared ? ` ${tCount('sharedFound', shared)}` : '')
      : `${tCount('sharedOnly', shared)} ${t(toList ? 'pickAdds' : 'pickFills')}`;
    showInfo($line, text, true);
  }

  function loadFamilies(): void {
    const mine = ++generation;
    placeholderOption($device, 'pickDevice');
    readFamilies({
      $account,
      $family,
      $items: $device,
      $line,
      current: () => mine === generation,
      loaded(families) {
        // Without a family of its own, the account may still have devices shared with it.
        hasFamily = families.length > 0;
        loadDevices();
      },
    });
  }

  function loadDevices(): void {
    const mine = ++generation;
    const familyId = String($family.val() ?? '');
    placeholderOption($device, 'loading');
    listed = false;
    if (!familyId && hasFamily) return placeholderOption($device, 'pickDevice');
    // The answer holds the family's devices, then those shared with the user.
    const asked = hasFamily ? { familyId } : {};
    requestForAccountField<DeviceSummary[]>($account, 'devices', asked, (error, list) => {
      if (mine !== generation) return;
      if (error || !list) {
        placeholderOption($device, 'unavailable');
        if (error) showProblem($line, error);
        return;
      }
      devices = list;
      placeholderOption(
        $device,
        list.length ? 'pickDevice' : hasFamily ? 'noDevices' : 'noSharedDevices',
      );
      // One group per room, in the order the rooms come; the shared devices' group last.
      const groups = new Map<string, JQuery>();
      const sharedGroup = t('sharedWithMe');
      list.forEach((d, i) => {
        const group = d.shared ? sharedGroup : d.roomName || t('defaultRoom');
        let $group = groups.get(`${d.shared}:${group}`);
        if (!$group) {
          $group = $('<optgroup></optgroup>').attr('label', group).appendTo($device);
          if (d.shared) $group.addClass('iotx-shared-devices');
          groups.set(`${d.shared}:${group}`, $group);
        }
        const { text, suffix } = deviceText(d);
        appendOption($group, String(i), text, { suffix, title: deviceTitle(d) });
      });
      // The lists of this dialog show the names of the devices they hold.
      $device
        .closest('form')
        .find('ol.iotx-device-list')
        .each(function () {
          showAliases($(this), list);
        });
      const current = DeviceId.format({
        productId: literal(productField),
        deviceName: literal(deviceField),
      });
      list.forEach((d, i) => {
        if (!targetList() && DeviceId.format(d) === current) $device.val(String(i));
      });
      listed = true;
      showFound();
      showTitle();
    });
  }

  function selected(): DeviceSummary | undefined {
    return $device.val() ? devices[Number($device.val())] : undefined;
  }

  /** The chosen device's whole description, for a text too long for the select. */
  function showTitle(): void {
    const device = selected();
    const text = device ? deviceText(device) : undefined;
    $device.attr(
      'title',
      device && text ? `${text.text}${text.suffix} · ${deviceTitle(device)}` : '',
    );
  }

  $rowFamily.insertBefore(options.before);
  $rowDevice.insertBefore(options.before);
  $line.insertBefore(options.before);
  $account.on('change', loadFamilies);
  $family.on('change', loadDevices);
  $refresh.on('click', loadFamilies);
  $device.on('change', () => {
    showTitle();
    const device = selected();
    if (!device) return;
    const $target = targetList();
    if ($target) {
      // The select goes back to its placeholder, ready for the next device.
      showInfo($line, addToDeviceList($target, device), true);
      $device.val('');
      showTitle();
    } else {
      setLiteral(productField, device.productId);
      setLiteral(deviceField, device.deviceName);
      // A shared device is used as an owned one; the line says whose it is.
      if (device.shared) showInfo($line, sharedText(device), true);
      else showFound();
    }
    options.onPick?.(device);
  });
  loadFamilies();
  return {
    reload: loadFamilies,
    selected,
    targetChanged: showFound,
    rows: $rowFamily.add($rowDevice).add($line),
  };
}
