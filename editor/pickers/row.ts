// The parts every picker is made of: a labelled form row and a line for what happened.

import type { Choice } from '../home-choices';
import { t } from '../i18n';
import { optionText } from '../option-text';

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

/**
 * Appends an option to `$parent` (a select or an optgroup) showing `text` (already fitted by
 * {@link optionText}, or fitted here); its tooltip is `title`, or the whole text when cut.
 */
export function appendOption($parent: JQuery, value: string, text: string, title?: string): JQuery {
  const shown = optionText(text);
  const $option = $('<option></option>').val(value).text(shown);
  const tooltip = title ?? (shown === text ? '' : text);
  if (tooltip) $option.attr('title', tooltip);
  return $option.appendTo($parent);
}

/**
 * Fills a select with "any" first, then `choices` (a null text named `unnamed`), then `keep`
 * when the choices lack it, marked as not in the home; `keep` is chosen.
 */
export function fillChoices(
  $select: JQuery,
  choices: readonly Choice[],
  keep: string,
  unnamed: string,
): void {
  $select.empty();
  $('<option></option>').val('').text(t('any')).appendTo($select);
  for (const choice of choices) appendOption($select, choice.value, choice.text ?? unnamed);
  if (keep && !choices.some((c) => c.value === keep)) {
    appendOption($select, keep, t('notInHome', { id: keep }));
  }
  $select.val(keep);
}
