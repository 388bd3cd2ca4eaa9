// The line under a picker or a button that says what happened.

/** A failure in the editor's language, with the API's code when there is one. */
export interface EditorError {
  code: string;
  text: string;
}

/** Shows a failure (with its code, unless the text already names it). */
export function showProblem($line: JQuery, error: EditorError): void {
  const code = error.code && !error.text.includes(error.code) ? ` (${error.code})` : '';
  $line
    .empty()
    .removeClass('iotx-ok')
    .addClass('iotx-error')
    .append($('<i class="fa fa-exclamation-triangle"></i>'))
    .append(document.createTextNode(` ${error.text}${code}`))
    .show();
}

/** Shows a note (green when `ok`); hides the line when there is nothing to say. */
export function showInfo($line: JQuery, text: string, ok = false): void {
  $line.empty().removeClass('iotx-error').toggleClass('iotx-ok', ok).text(text).toggle(!!text);
}
