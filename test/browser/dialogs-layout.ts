// What the dialog tour measures in the page: each function here is handed to `page.evaluate`
// whole, so it uses nothing from outside its own body (no imports, no helpers of this module).
// "Wrapped" and "cut" are read from the DOM's geometry, as a person sees them: the lines a
// label's text and icon sit on, a select's width against the width its chosen text needs, a
// row's controls against the row's right edge.

/** A problem found in the dialog under `root`, in words a reviewer can act on. */
export type LayoutProblem = string;

/**
 * The layout problems of the dialog form `root`: labels on more than one line (text wrapped, or
 * the icon alone on its line) or wider than their box; selects too narrow for their chosen text;
 * anything past the form's right edge; a wide row whose controls stop short of the row's right
 * edge (widths that differ from row to row); a horizontal scroll bar in the dialog.
 */
export function layoutProblems(root: HTMLElement): LayoutProblem[] {
  const problems: string[] = [];
  const shown = (el: Element): boolean =>
    el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const name = (el: Element): string => {
    const id = el.id ? `#${el.id}` : el.className ? `.${String(el.className).split(' ')[0]}` : '';
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50);
    return `${el.tagName.toLowerCase()}${id}${text ? ` "${text}"` : ''}`;
  };
  const formRect = root.getBoundingClientRect();

  // Labels, and the words beside a control (a unit): the text and the icon on one line, and no
  // wider than their box.
  for (const label of Array.from(
    root.querySelectorAll('label, .form-row > span:not(.form-tips)'),
  )) {
    if (!shown(label)) continue;
    if (!(label.textContent ?? '').replace(/\u00a0/g, ' ').trim()) continue;
    const style = getComputedStyle(label);
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    const centres: number[] = [];
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (!(node.textContent ?? '').replace(/\u00a0/g, ' ').trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of Array.from(range.getClientRects())) {
          if (rect.width > 0) centres.push(rect.top + rect.height / 2);
        }
      } else if ((node as Element).tagName === 'I') {
        const rect = (node as Element).getBoundingClientRect();
        if (rect.width > 0) centres.push(rect.top + rect.height / 2);
      }
    }
    centres.sort((a, b) => a - b);
    let lines = centres.length ? 1 : 0;
    for (let i = 1; i < centres.length; i++) {
      if (centres[i] - centres[i - 1] > lineHeight / 2) lines++;
    }
    if (lines > 1) problems.push(`text wraps onto ${lines} lines: ${name(label)}`);
    if (style.display !== 'inline' && label.scrollWidth > label.clientWidth + 1) {
      problems.push(
        `text cut: ${name(label)} needs ${label.scrollWidth}px, has ${label.clientWidth}px`,
      );
    }
  }

  // Selects: the chosen option's text fits. A copy holding only that option, sized to it, says
  // how wide the select must be (text, padding and arrow, in the same font).
  for (const select of Array.from(root.querySelectorAll('select'))) {
    if (!shown(select) || select.selectedIndex < 0) continue;
    const chosen = select.options[select.selectedIndex];
    const copy = select.cloneNode(false) as HTMLSelectElement;
    copy.removeAttribute('id');
    copy.appendChild(chosen.cloneNode(true));
    copy.style.cssText +=
      ';position:absolute;visibility:hidden;width:auto;min-width:0;max-width:none;flex:none';
    select.parentElement?.appendChild(copy);
    const needed = copy.getBoundingClientRect().width;
    copy.remove();
    const has = select.getBoundingClientRect().width;
    if (needed > has + 0.5) {
      problems.push(
        `select cuts its text: #${select.id} "${chosen.text}" needs ${Math.ceil(needed)}px, has ${Math.floor(has)}px`,
      );
    }
  }

  // An empty input's placeholder (the hint it gives) fits inside it.
  const measure = document.createElement('canvas').getContext('2d');
  for (const input of Array.from(root.querySelectorAll('input[placeholder]'))) {
    const box = input as HTMLInputElement;
    if (!shown(box) || box.value || !box.placeholder || !measure) continue;
    const style = getComputedStyle(box);
    measure.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const needed = measure.measureText(box.placeholder).width;
    const has = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (needed > has + 0.5) {
      problems.push(
        `placeholder cut: ${box.id ? `#${box.id}` : box.className} "${box.placeholder}" needs ${Math.ceil(needed)}px, has ${Math.floor(has)}px`,
      );
    }
  }

  // Nothing past the form's right edge; no horizontal scroll bar.
  for (const el of Array.from(root.querySelectorAll('.form-row *'))) {
    if (!shown(el)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width > 0 && rect.right > formRect.right + 1) {
      problems.push(
        `past the dialog's right edge by ${Math.ceil(rect.right - formRect.right)}px: ${name(el)}`,
      );
    }
  }
  const body = root.closest('.red-ui-tray-body-wrapper');
  if (body && body.scrollWidth > body.clientWidth + 1) {
    problems.push(
      `horizontal scroll bar: the dialog's content is ${body.scrollWidth}px wide in ${body.clientWidth}px`,
    );
  }

  // A labelled row whose controls take most of the row ends where the row ends, as every other.
  const isControl = (el: Element): boolean =>
    el.matches('input, select, textarea, button, a.red-ui-button') ||
    el.querySelector('input, select, textarea, button') !== null;
  for (const row of Array.from(root.querySelectorAll('.form-row'))) {
    const label = row.firstElementChild;
    if (!shown(row) || !label || label.tagName !== 'LABEL' || !shown(label)) continue;
    const controls = Array.from(row.children).filter(
      (el) =>
        el !== label &&
        shown(el) &&
        isControl(el) &&
        !el.matches('input[type=checkbox], input[type=radio], .form-tips'),
    );
    if (!controls.length) continue;
    const rowRect = row.getBoundingClientRect();
    const rowStyle = getComputedStyle(row);
    const rowRight = rowRect.right - parseFloat(rowStyle.paddingRight);
    const labelRight = label.getBoundingClientRect().right;
    const left = Math.min(...controls.map((el) => el.getBoundingClientRect().left));
    const right = Math.max(...controls.map((el) => el.getBoundingClientRect().right));
    const field = rowRight - labelRight;
    if (right - left >= field / 2 && Math.abs(rowRight - right) > 2) {
      problems.push(
        `row's controls end ${Math.round(rowRight - right)}px before the row's edge: ${name(label)}`,
      );
    }
    // The first control starts on the label's line, not under it (but a list across the whole
    // dialog, under its label).
    const labelRect = label.getBoundingClientRect();
    const first = controls[0].getBoundingClientRect();
    const underOnPurpose = first.left <= rowRect.left + 1 && first.right >= rowRight - 2;
    if (first.top >= labelRect.bottom - 2 && !underOnPurpose) {
      problems.push(`control below its label instead of beside it: ${name(label)}`);
    }
  }
  // Every row says what it is: no two rows with one label (the reader could not tell them apart).
  const labels = Array.from(root.querySelectorAll('.form-row > label:first-child'))
    .filter((label) => shown(label) && !label.closest('.iotx-fields'))
    .map((label) => (label.textContent ?? '').replace(/\u00a0/g, ' ').trim())
    .filter((text) => text);
  for (const text of new Set(labels)) {
    if (labels.filter((other) => other === text).length > 1) {
      problems.push(`two rows labelled "${text}"`);
    }
  }

  // The Family picker comes before the typed fields, as in every dialog of ours.
  const rows = Array.from(root.querySelectorAll('.form-row')).filter(shown);
  const family = rows.findIndex((row) => row.querySelector('select[id$="family"]'));
  if (family > 0) {
    for (const row of rows.slice(0, family)) {
      if (row.querySelector('.red-ui-typedInput-container')) {
        problems.push(
          `a typed field above the Family picker: ${name(row.querySelector('label') ?? row)}`,
        );
      }
    }
  }
  return problems;
}

/**
 * Row labels of a Chinese dialog left in English: a label must hold Chinese, or be one of the
 * API's identifiers, which stay as the API spells them (ProductId, InputParams, AccessToken).
 */
export function untranslatedLabels(root: HTMLElement): string[] {
  const shown = (el: Element): boolean =>
    el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  return Array.from(root.querySelectorAll('.form-row > label:first-child'))
    .filter((label) => shown(label) && !label.closest('.iotx-fields'))
    .map((label) => (label.textContent ?? '').replace(/\u00a0/g, ' ').trim())
    .filter(
      (text) =>
        text && !/[\u4e00-\u9fff]/.test(text) && !/^[A-Z][a-z]*(?:[A-Z][a-z]*)+$/.test(text),
    );
}

/**
 * Texts of the dialog that are catalogue keys instead of words (a key the catalogue lacks is
 * shown as the key), or that still hold a `__param__`: shown texts, placeholders, the options of
 * shown selects, and tooltips.
 */
export function rawKeys(root: HTMLElement): string[] {
  const found: string[] = [];
  const shown = (el: Element): boolean =>
    el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const isKey = (text: string): boolean => {
    const t = text.replace(/\u00a0/g, ' ').trim();
    if (/__[A-Za-z]+__/.test(t) || /\biot-explorer-[a-z]+\.[A-Za-z]/.test(t)) return true;
    const dotted = /^(?:[\w@/-]+:)?[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)+$/.test(t);
    // Message properties (msg.payload) and host names are words here.
    return dotted && !/^msg\./.test(t) && !/\.(com|cn|net|org|io)$/.test(t);
  };
  const texts: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && parent.tagName !== 'OPTION' && shown(parent)) texts.push(node.textContent ?? '');
  }
  for (const el of Array.from(root.querySelectorAll('[placeholder], [title]'))) {
    if (!shown(el)) continue;
    texts.push(el.getAttribute('placeholder') ?? '', el.getAttribute('title') ?? '');
  }
  for (const select of Array.from(root.querySelectorAll('select'))) {
    if (!shown(select)) continue;
    for (const option of Array.from(select.options)) texts.push(option.text);
  }
  for (const text of texts)
    if (isKey(text) && !found.includes(text.trim())) found.push(text.trim());
  return found;
}
