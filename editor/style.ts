// The few styles the pickers and the form need, added once to the editor's page.

const CSS = `
.iotx-line { margin-left: 104px; }
.iotx-error { color: var(--red-ui-text-color-error, #d6615f); }
.iotx-ok { color: var(--red-ui-text-color-success, #3e8e41); }
.iotx-fields .form-row label { width: 140px; }
.iotx-properties { display: inline-block; width: 70%; }
/* More specific than the editor's \`.form-row label\` (a fixed 100px width). */
.red-ui-editor .form-row label.iotx-property {
  display: inline-block; width: auto; margin: 0 14px 2px 0; white-space: nowrap; }
.red-ui-editor .form-row label.iotx-property input[type="checkbox"] {
  width: auto; margin: 0 4px 0 0; vertical-align: middle; }
`;

export function addStyles(doc: Document): void {
  const style = doc.createElement('style');
  style.textContent = CSS;
  doc.head.appendChild(style);
}
