// The Target of the watch, control and call-action dialogs: the devices the node names (as every
// node saved before selections), or every device of the home a filter matches (a family, a room,
// a product, those shared with the user, online or not), resolved each time the node runs. In
// filter mode the dialog hides the device fields and shows the filter's pickers, fed by the
// account's `home` route, and a live preview of what the filter matches today
// (editor/home-choices.ts, by the runtime's rule). Stored: `selection` (`devices` | `filter`) and
// `selectionFilter` (a HomeFilter; `{}` in devices mode).

import type { HomeSummary } from '../lib/shared/admin-api';
import {
  DEFAULT_MAX_SELECTION,
  type DeviceRecord,
  type HomeFilter,
  type SelectionMode,
} from '../lib/shared/home';
import { requestForAccountField } from './account-requests';
import { showInfo, showProblem } from './feedback';
import { input } from './fields';
import {
  filterName,
  previewOf,
  productChoices,
  roomChoices,
  selectionProblem,
  selectionProductId,
  storedFilter,
  storedMode,
} from './home-choices';
import { t, tCount } from './i18n';
import { fillChoices, pickerLine, pickerRow } from './pickers/row';

/** Rows shown only in one mode: the form's class says which mode it is in (editor/style.ts). */
export const FOR_DEVICES = 'iotx-for-devices';
export const FOR_FILTER = 'iotx-for-filter';
export const FILTER_MODE_CLASS = 'iotx-selection-filter';
export const DEVICES_MODE_CLASS = 'iotx-selection-devices';

/** The filter's selects, by HomeFilter field. */
const SELECT_ID = {
  familyId: 'node-input-iotx-filter-family',
  roomId: 'node-input-iotx-filter-room',
  productId: 'node-input-iotx-filter-product',
  shared: 'node-input-iotx-filter-shared',
  online: 'node-input-iotx-filter-online',
} as const;

/** The dialog open now, so that the validator reads the filter it shows. */
let openDialog: { id: string; filter(): HomeFilter } | undefined;

/**
 * The `defaults` validator of `selection`: a filter selection must set at least one field (a
 * filter matching the whole home is never what was meant), and a stored filter must be one.
 * Reads the open dialog's filter for the node being edited, else the node's saved one.
 */
export function validSelection(
  this: RedEditorNode,
  value: unknown,
  _options?: unknown,
): boolean | string {
  const mode = storedMode(value);
  if (mode !== 'filter') return true;
  const live =
    openDialog?.id === this.id && $(`#${SELECT_ID.familyId}`).length > 0 ? openDialog : undefined;
  const problem = selectionProblem(
    mode,
    live ? { filter: live.filter() } : storedFilter(this.selectionFilter),
  );
  return problem ? t(problem.key, problem.params) : true;
}

/** Whether a saved node works on a filter selection (its canvas label says so). */
export function selectsByFilter(node: RedEditorNode): boolean {
  return storedMode(node.selection) === 'filter';
}

export interface SelectionOptions {
  node: RedEditorNode;
  /** The rows that name devices (the device fields or list, the device picker's rows). */
  deviceRows: JQuery;
  /** Runs when the mode, the filter or what it matches changes (pickers that need a product). */
  onChange?(): void;
}

export interface SelectionEditor {
  mode(): SelectionMode;
  filter(): HomeFilter;
  /** The product of the selection's devices ('' when unknown or mixed), in filter mode. */
  productId(): string;
  /** A short name of what the filter selects, for the canvas label ('' in devices mode). */
  name(): string;
  /** Writes `selectionFilter` (`{}` in devices mode); `selection` is the select's own field. */
  save(node: RedEditorNode): void;
}

/** The account's Selection limit as the editor holds it, else the default. */
function maxSelectionOf(accountId: string): number {
  const account = accountId ? RED.nodes.node(accountId) : null;
  const max = Number(account?.maxSelection);
  return Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_SELECTION;
}

/**
 * Makes the Target select (`#node-input-selection`, in the node's template) switch the dialog
 * between the devices it names and a filter of the home, with the filter's rows after it.
 */
export function selectionEditor(options: SelectionOptions): SelectionEditor {
  const { node } = options;
  const $mode = input('selection');
  const $form = $mode.closest('form');
  const $account = input('account');
  const saved = storedFilter(node.selectionFilter);
  const savedFilter: HomeFilter = 'filter' in saved ? saved.filter : {};
  if (!$mode.val()) $mode.val('devices');

  const row = (icon: string, key: string, field: keyof typeof SELECT_ID): JQuery => {
    const $row = pickerRow(icon, key, SELECT_ID[field]).addClass(FOR_FILTER);
    $(`<select id="${SELECT_ID[field]}"></select>`).appendTo($row);
    return $row;
  };
  const $rowFamily = row('fa-home', 'family', 'familyId');
  const $refresh = $(
    '<button type="button" class="red-ui-button"><i class="fa fa-refresh"></i></button>',
  )
    .attr('title', t('refresh'))
    .appendTo($rowFamily);
  const $rows = $rowFamily
    .add(row('fa-square-o', 'room', 'roomId'))
    .add(row('fa-cube', 'product', 'productId'))
    .add(row('fa-share-alt', 'shared', 'shared'))
    .add(row('fa-wifi', 'onlineState', 'online'));
  const $line = pickerLine().addClass(FOR_FILTER).addClass('iotx-selection-preview');
  $rows.add($line).insertAfter($mode.closest('.form-row'));
  options.deviceRows.addClass(FOR_DEVICES);

  const select = (field: keyof typeof SELECT_ID): JQuery => $(`#${SELECT_ID[field]}`);
  const text = (field: keyof typeof SELECT_ID): string => String(select(field).val() ?? '');
  const yesNo = (field: 'shared' | 'online', yes: string, no: string): void => {
    fillChoices(
      select(field),
      [
        { value: 'true', text: yes },
        { value: 'false', text: no },
      ],
      savedFilter[field] === undefined ? '' : String(savedFilter[field]),
      '',
    );
  };
  yesNo('shared', t('sharedDevices'), t('ownDevices'));
  yesNo('online', t('online'), t('offline'));
  fillChoices(select('familyId'), [], savedFilter.familyId ?? '', '');
  fillChoices(select('roomId'), [], savedFilter.roomId ?? '', '');
  fillChoices(select('productId'), [], savedFilter.productId ?? '', '');

  let home: HomeSummary | undefined;
  let matched: readonly DeviceRecord[] = [];
  let generation = 0;
  let asked = false;

  const mode = (): SelectionMode => ($mode.val() === 'filter' ? 'filter' : 'devices');

  function filter(): HomeFilter {
    const read: HomeFilter = {};
    if (text('familyId')) read.familyId = text('familyId');
    if (text('roomId')) read.roomId = text('roomId');
    if (text('productId')) read.productId = text('productId');
    if (text('shared')) read.shared = text('shared') === 'true';
    if (text('online')) read.online = text('online') === 'true';
    return read;
  }

  function fillRooms(): void {
    if (!home) return;
    fillChoices(
      select('roomId'),
      roomChoices(home, text('familyId')),
      text('roomId'),
      t('defaultRoom'),
    );
    // With no family chosen, the default room stands for every family's.
    if (!text('familyId')) select('roomId').find('option[value="0"]').text(t('defaultRoomAll'));
  }

  /** Says what the filter matches today, by the runtime's rule, and re-checks the node. */
  function preview(): void {
    matched = [];
    if (home) {
      const shown = previewOf(home.devices, filter(), maxSelectionOf(String($account.val() ?? '')));
      $line.attr('title', '');
      switch (shown.kind) {
        case 'empty':
          showProblem($line, { code: '', text: t('filterEmpty') });
          break;
        case 'none':
          showProblem($line, { code: '', text: t('matchesNone') });
          break;
        case 'tooMany':
          showProblem($line, { code: '', text: t('matchesTooMany', shown) });
          break;
        case 'some': {
          matched = shown.devices;
          const names =
            shown.names.join(t('nameSeparator')) +
            (shown.more ? `${t('nameSeparator')}${t('moreNames')}` : '');
          showInfo($line, tCount('matches', shown.count, { names }), true);
          // Every name, for a preview cut short.
          $line.attr('title', shown.devices.map((d) => d.alias ?? d.deviceName).join('\n'));
          break;
        }
      }
    }
    options.onChange?.();
  }

  function load(): void {
    const mine = ++generation;
    asked = true;
    showInfo($line, t('loading'));
    requestForAccountField<HomeSummary>($account, 'home', {}, (error, data) => {
      if (mine !== generation) return;
      if (error || !data) {
        home = undefined;
        if (error) showProblem($line, error);
        options.onChange?.();
        return;
      }
      home = data;
      fillChoices(
        select('familyId'),
        data.families.map((f) => ({ value: f.familyId, text: f.familyName })),
        text('familyId'),
        '',
      );
      fillRooms();
      fillChoices(select('productId'), productChoices(data.devices), text('productId'), '');
      preview();
    });
  }

  /** Shows the rows of the mode chosen; the home is read the first time a filter is shown. */
  function showMode(): void {
    const byFilter = mode() === 'filter';
    $form.toggleClass(FILTER_MODE_CLASS, byFilter).toggleClass(DEVICES_MODE_CLASS, !byFilter);
    if (byFilter && !asked) load();
    else options.onChange?.();
  }

  /** A filter changed: the preview, and the node's check (Node-RED checks on the field's change). */
  function filterChanged(): void {
    preview();
    $mode.trigger('change');
  }

  select('familyId').on('change', () => {
    fillRooms();
    filterChanged();
  });
  select('roomId').on('change', () => {
    // A room of one family, chosen with no family: its family is chosen with it.
    const room = home && !text('familyId') ? roomChoices(home, '') : [];
    const familyId = room.find((r) => r.value === text('roomId'))?.familyId;
    if (familyId) {
      select('familyId').val(familyId);
      fillRooms();
    }
    filterChanged();
  });
  for (const field of ['productId', 'shared', 'online'] as const) {
    select(field).on('change', filterChanged);
  }
  $refresh.on('click', load);
  $account.on('change', () => {
    home = undefined;
    asked = false;
    if (mode() === 'filter') load();
  });
  $mode.on('change', showMode);
  openDialog = { id: node.id, filter };
  showMode();

  return {
    mode,
    filter,
    productId: () => (mode() === 'filter' ? selectionProductId(filter(), matched) : ''),
    name: () =>
      mode() === 'filter'
        ? filterName(filter(), home, {
            defaultRoom: t('defaultRoom'),
            shared: t('sharedWithMe'),
            own: t('ownDevices'),
            online: t('online'),
            offline: t('offline'),
          })
        : '',
    save(target) {
      target.selectionFilter = mode() === 'filter' ? filter() : {};
    },
  };
}
