// The styles of our dialogs, added once to the editor's page.
//
// Every dialog of ours is laid out by one rule (its form gets DIALOG_CLASS when it opens, see
// `markDialog`): a label column wide enough for the longest label in English and in Chinese,
// each label on one line with its icon, and the row's first control filling the rest of the
// row, so that every row ends at the same edge at Node-RED's default dialog width (500px).
// The rows are flex boxes: a control's flex basis outranks the inline widths Node-RED's widgets
// give themselves (TypedInput, the config-node select, editableList), with no `!important`.

/** The class of a dialog form laid out by these styles. */
export const DIALOG_CLASS = 'iotx-dialog';

/** The history dialog's form reading events, or a property; and its rows of each. */
export const HISTORY_EVENTS_CLASS = 'iotx-history-events';
export const HISTORY_PROPERTY_CLASS = 'iotx-history-properties';
export const HISTORY_PROPERTY_ROW = 'iotx-history-property';
const HISTORY_EVENT_ROW = 'iotx-history-event';

const CSS = `
/* The form's own width never widens the dialog: Node-RED opens a dialog at 500px, or wider when
   its content asks for more (a select as wide as its longest option would). */
.${DIALOG_CLASS} { --iotx-label-width: 132px; --iotx-gap: 6px; contain: inline-size; }
.iotx-line { margin-left: calc(var(--iotx-label-width, 104px) + var(--iotx-gap, 0px)); }
.iotx-error { color: var(--red-ui-text-color-error, #d6615f); }
.iotx-ok { color: var(--red-ui-text-color-success, #3e8e41); }

.${DIALOG_CLASS} .form-row { display: flex; align-items: center; }
/* The line under a picker is text (an icon and words), not controls. */
.${DIALOG_CLASS} .form-row.iotx-line { display: block; }
.${DIALOG_CLASS} .form-row > label:first-child {
  flex: none; width: var(--iotx-label-width); margin: 0 var(--iotx-gap) 0 0; white-space: nowrap; }
/* The row's first control takes the rest of the row. */
.${DIALOG_CLASS} .form-row > label:first-child + input:not([type="checkbox"]):not([type="radio"]),
.${DIALOG_CLASS} .form-row > label:first-child + select,
.${DIALOG_CLASS} .form-row > label:first-child + div,
.${DIALOG_CLASS} .form-row > label:first-child + .form-tips,
.${DIALOG_CLASS} .form-row > .red-ui-typedInput-container {
  flex: 1 1 0; min-width: 0; width: auto; }
.${DIALOG_CLASS} .form-row > input, .${DIALOG_CLASS} .form-row > select { margin-bottom: 0; }
.${DIALOG_CLASS} .form-row > button, .${DIALOG_CLASS} .form-row > .red-ui-button { flex: none; }
.${DIALOG_CLASS} .form-row > input + button { margin-left: var(--iotx-gap); }
.${DIALOG_CLASS} .form-row > select + button { margin-left: var(--iotx-gap); }
.${DIALOG_CLASS} .form-row > input + select { margin-left: var(--iotx-gap); }
.${DIALOG_CLASS} .form-row > input[type="checkbox"] { flex: none; width: auto; margin: 0; }
.${DIALOG_CLASS} .form-row > input[type="checkbox"] + label {
  width: auto; margin: 0 0 0 var(--iotx-gap); }
.${DIALOG_CLASS} .form-row > .ui-spinner + span { margin-left: var(--iotx-gap); }
/* A number and its unit. */
.iotx-number { display: flex; align-items: center; }
.iotx-number > input { flex: 1 1 0; min-width: 0; width: auto; margin: 0; }
.iotx-number > span { flex: none; margin-left: var(--iotx-gap, 6px); }
/* A list under its label, across the whole dialog. */
.${DIALOG_CLASS} .form-row.iotx-list-row { flex-wrap: wrap; }
.${DIALOG_CLASS} .form-row.iotx-list-row > label:first-child { flex: 1 1 100%; margin-bottom: 6px; }
.${DIALOG_CLASS} .form-row.iotx-list-row > label:first-child + div { flex: 1 1 100%; }
/* A struct's members and an array's items, indented under the input's label. */
.${DIALOG_CLASS} .form-row.iotx-nested { flex-wrap: wrap; }
.${DIALOG_CLASS} .form-row.iotx-nested > label:first-child + div {
  flex: 1 1 100%; margin: 8px 0 0 20px; }

/* The history dialog shows the rows of what it reads only. */
.${HISTORY_EVENTS_CLASS} .${HISTORY_PROPERTY_ROW}, .${HISTORY_PROPERTY_CLASS} .${HISTORY_EVENT_ROW} {
  display: none !important; }
/* A dialog with a Target shows the rows of its mode only (editor/selection.ts). The picker's
   line shows itself (an inline display) when it has news: hidden rows stay hidden. */
.iotx-selection-filter .iotx-for-devices, .iotx-selection-devices .iotx-for-filter {
  display: none !important; }

.iotx-form { margin-bottom: 12px; }
.${DIALOG_CLASS} .iotx-array-item > :first-child { flex: 1 1 0; min-width: 0; }
.${DIALOG_CLASS} .iotx-array-item > button { margin-left: var(--iotx-gap); }
.iotx-form-header { margin-bottom: 8px; }
.iotx-form-header label { display: inline; margin-right: 10px; }
.iotx-properties { display: inline-block; width: 70%; }
/* More specific than the editor's \`.form-row label\` (a fixed 100px width). */
.red-ui-editor .form-row label.iotx-property {
  display: inline-block; width: auto; margin: 0 14px 2px 0; white-space: nowrap; }
.red-ui-editor .form-row label.iotx-property input[type="checkbox"] {
  width: auto; margin: 0 4px 0 0; vertical-align: middle; }
.iotx-device-row { display: flex; align-items: center; gap: var(--iotx-gap, 6px); }
.iotx-device-row > input { flex: 1 1 0; min-width: 0; width: auto; margin: 0; }
.iotx-device-alias {
  flex: 1 1 0; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
  color: var(--red-ui-secondary-text-color, #555); }
`;

export function addStyles(doc: Document): void {
  const style = doc.createElement('style');
  style.textContent = CSS;
  doc.head.appendChild(style);
}

/** Lays out the dialog `$field` is in by these styles; call first in `oneditprepare`. */
export function markDialog($field: JQuery): void {
  $field.closest('form').addClass(DIALOG_CLASS);
}
