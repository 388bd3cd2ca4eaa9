// The parts every picker is made of: a labelled form row and a line for what happened.

import { t } from '../i18n';

/** A form row labelled with an icon and an `editor.*` text, for the control `id`. */
export function pickerRow(icon: string, labelKey: string, id: string): JQuery {
  const $row = $('<div class="form-row iotx-picker"></div>');
  $('<label></label>')
    .attr('for', id)
    .append($('<i class="fa"></i>').addClass(icon))
    .append(document.createTextNode(` ${t(labelKey)}`))
    .appendTo($row);
  return $row;
}

/** The (hidden until used) line under a picker. */
export function pickerLine(): JQuery {
  return $('<div class="form-row iotx-line iotx-picker-line" style="display:none"></div>');
}

/** Empties a select down to one disabled-looking choice that says `editor.<key>`. */
export function placeholderOption($select: JQuery, key: string): void {
  $select.empty().append($('<option value=""></option>').text(t(key)));
}
