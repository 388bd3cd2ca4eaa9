// The action picker: the actions of the product in the ProductId field. Picking one fills
// ActionId and tells the node (which shows the InputParams form for it).

import type { TemplateAction } from '../../lib/shared/data-template';
import { showInfo, showProblem } from '../feedback';
import { literal, setLiteral } from '../fields';
import { actionsOf } from '../template';
import { productTemplate } from './product-template';
import { appendOption, pickerLine, pickerRow, placeholderOption } from './row';

export interface ActionPickerOptions {
  before: JQuery;
  accountField?: string;
  productField?: string;
  /**
   * The product whose actions to offer, when it is not the ProductId field's (a selection of
   * the home); '' means the field's.
   */
  productId?: () => string;
  actionField?: string;
  /** `byUser` is false when the saved ActionId was found again on opening the dialog. */
  onPick?(action: TemplateAction, how: { byUser: boolean }): void;
  onTemplate?(template: Record<string, unknown>): void;
}

export function actionPicker(options: ActionPickerOptions): {
  reload: () => void;
  /** Asks for the product named now, unless it is the one already read. */
  refresh: () => void;
} {
  const $account = $(options.accountField ?? '#node-input-account');
  const productField = options.productField ?? 'productId';
  const actionField = options.actionField ?? 'actionId';
  const $row = pickerRow('fa-bolt', 'action', 'node-input-iotx-action');
  const $action = $('<select id="node-input-iotx-action"></select>').appendTo($row);
  const $line = pickerLine();
  let actions: TemplateAction[] = [];

  function pick(byUser: boolean): void {
    const action = $action.val() ? actions[Number($action.val())] : undefined;
    if (!action) return;
    if (byUser) setLiteral(actionField, action.id);
    options.onPick?.(action, { byUser });
  }

  function waiting(key: string): void {
    actions = [];
    showInfo($line, '');
    placeholderOption($action, key);
  }

  const productId = (): string => options.productId?.() || literal(productField);
  const template = productTemplate($account, productId, {
    none: () => waiting('pickDeviceFirst'),
    loading: () => waiting('loading'),
    failed(error) {
      placeholderOption($action, 'unavailable');
      showProblem($line, error);
    },
    loaded(product) {
      actions = actionsOf(product.dataTemplate);
      placeholderOption($action, actions.length ? 'pickAction' : 'noActions');
      actions.forEach((a, i) => {
        const text = a.name && a.name !== a.id ? `${a.name} (${a.id})` : a.id;
        appendOption($action, String(i), text, { title: a.desc || undefined });
      });
      options.onTemplate?.(product.dataTemplate);
      const current = literal(actionField);
      actions.forEach((a, i) => {
        if (a.id === current) $action.val(String(i));
      });
      pick(false);
    },
  });

  $row.insertBefore(options.before);
  $line.insertBefore(options.before);
  $action.on('change', () => pick(true));
  $(`#node-input-${productField}`).on('change', template.load);
  $account.on('change', template.reload);
  template.load();
  return { reload: template.reload, refresh: template.load };
}
