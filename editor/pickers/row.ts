// The parts every picker is made of: a labelled form row and a line for what happened.

import type { Choice } from '../home-choices';
import { t } from '../i18n';
import { optionText, type TextWidth } from '../option-text';

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

/** What is drawn around an option's text in a select (padding, border, arrow), by select. */
const selectChrome = new WeakMap<HTMLSelectElement, number>();
let canvas: CanvasRenderingContext2D | null | undefined;

/**
 * How `select` measures an option's text and the room it has, in pixels, as it is laid out
 * now; undefined while it is not (a hidden row), when the half-width estimate stands in.
 */
function roomIn(select: HTMLSelectElement): { width: TextWidth; room: number } | undefined {
  const has = select.getBoundingClientRect().width;
  if (!has) return undefined;
  canvas ??= document.createElement('canvas').getContext('2d');
  const context = canvas;
  if (!context) return undefined;
  let chrome = selectChrome.get(select);
  if (chrome === undefined) {
    // A copy with one empty option, sized to it: the select's width without any text.
    const copy = select.cloneNode(false) as HTMLSelectElement;
    copy.removeAttribute('id');
    copy.appendChild(document.createElement('option'));
    copy.style.cssText +=
      ';position:absolute;visibility:hidden;width:auto;min-width:0;max-width:none;flex:none';
    select.parentElement?.appendChild(copy);
    chrome = copy.getBoundingClientRect().width;
    copy.remove();
    selectChrome.set(select, chrome);
  }
  const style = getComputedStyle(select);
  const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const width = (text: string): number => {
    context.font = font; // the context is shared by every select
    return context.measureText(text).width;
  };
  // A pixel to spare: the browser rounds the text's width up.
  return { width, room: has - chrome - 1 };
}

/**
 * Rooms measured during the task under way: a list filled option by option is measured once,
 * not once per option (each reading after an append would lay the page out again).
 */
const roomsThisTask = new Map<HTMLSelectElement, ReturnType<typeof roomIn>>();

function roomNow(select: HTMLSelectElement): ReturnType<typeof roomIn> {
  if (!roomsThisTask.has(select)) {
    if (roomsThisTask.size === 0) queueMicrotask(() => roomsThisTask.clear());
    roomsThisTask.set(select, roomIn(select));
  }
  return roomsThisTask.get(select);
}

/**
 * Appends an option to `$parent` (a select or an optgroup of one) showing `text`, cut to what
 * the select shows, then `suffix` whole; its tooltip is `title`, or the whole text when cut.
 */
export function appendOption(
  $parent: JQuery,
  value: string,
  text: string,
  more: { suffix?: string; title?: string } = {},
): JQuery {
  const select = $parent.closest('select')[0] as HTMLSelectElement | undefined;
  const measured = select ? roomNow(select) : undefined;
  const whole = text + (more.suffix ?? '');
  const shown = optionText(text, more.suffix, measured?.width, measured?.room);
  const $option = $('<option></option>').val(value).text(shown);
  const tooltip = more.title ?? (shown === whole ? '' : whole);
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
