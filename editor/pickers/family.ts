// The Family row every picker starts with: a select of the account's families and a button that
// reads them again, filled the same way for devices, scenes and automations.

import type { FamilySummary } from '../../lib/shared/admin-api';
import { requestForAccountField } from '../account-requests';
import { showInfo, showProblem } from '../feedback';
import { t } from '../i18n';
import { appendOption, pickerRow, placeholderOption } from './row';

export interface FamilyRow {
  $row: JQuery;
  $family: JQuery;
  $refresh: JQuery;
}

/** The row, its select `#<id>` and its refresh button (the caller wires the button). */
export function familyRow(id: string): FamilyRow {
  const $row = pickerRow('fa-home', 'family', id);
  const $family = $('<select></select>').attr('id', id).appendTo($row);
  const $refresh = $(
    '<button type="button" class="red-ui-button"><i class="fa fa-refresh"></i></button>',
  )
    .attr('title', t('refresh'))
    .appendTo($row);
  return { $row, $family, $refresh };
}

export interface FamilyRead {
  $account: JQuery;
  $family: JQuery;
  /** The select that lists what is in a family: "unavailable" when the families are. */
  $items: JQuery;
  /** The line under the picker: emptied now, the problem when the account cannot answer. */
  $line: JQuery;
  /** False once a newer read has begun: this answer is then dropped. */
  current(): boolean;
  /** The families, listed in `$family` ("no families" when there is none). */
  loaded(families: FamilySummary[]): void;
}

/** Reads the account's families into the Family select. */
export function readFamilies(read: FamilyRead): void {
  placeholderOption(read.$family, 'loading');
  showInfo(read.$line, '');
  requestForAccountField<FamilySummary[]>(read.$account, 'families', {}, (error, families) => {
    if (!read.current()) return;
    if (error || !families) {
      placeholderOption(read.$family, 'unavailable');
      placeholderOption(read.$items, 'unavailable');
      if (error) showProblem(read.$line, error);
      return;
    }
    read.$family.empty();
    if (families.length === 0) placeholderOption(read.$family, 'noFamilies');
    for (const f of families) appendOption(read.$family, f.familyId, f.name);
    read.loaded(families);
  });
}
