// The history node's property picker: a select of the properties of the product in the
// ProductId field, from its data template (as the property checkboxes are). Picking fills the
// one Property field.

import { showInfo, showProblem } from '../feedback';
import { literal, setLiteral } from '../fields';
import { t } from '../i18n';
import { describeDefine, propertiesOf } from '../template';
import type { TemplateProperty } from '../../lib/shared/data-template';
import { productTemplate } from './product-template';
import { appendOption, pickerLine, pickerRow, placeholderOption } from './row';

export interface PropertySelectOptions {
  /** The row the picker goes before. */
  before: JQuery;
  /** The typed field a pick fills (default `property`). */
  field?: string;
  /** The product whose properties to offer ('' when there is none). */
  productId: () => string;
}

export interface PropertySelect {
  /** Reads the product's template again (the ProductId changed). */
  refresh: () => void;
  /** The picker's rows: its select and the line under it. */
  rows: JQuery;
}

export function propertySelect(options: PropertySelectOptions): PropertySelect {
  const $account = $('#node-input-account');
  const field = options.field ?? 'property';
  const $row = pickerRow('fa-list', 'property', 'node-input-iotx-property');
  const $select = $('<select id="node-input-iotx-property"></select>').appendTo($row);
  const $line = pickerLine();
  let properties: TemplateProperty[] = [];

  function render(list: TemplateProperty[], emptyKey: string): void {
    properties = list;
    placeholderOption($select, list.length ? 'pickProperty' : emptyKey);
    list.forEach((p, i) => {
      appendOption($select, String(i), p.name && p.name !== p.id ? `${p.name} (${p.id})` : p.id, {
        title: (p.desc ? `${p.desc} — ` : '') + describeDefine(p.define),
      });
    });
    const current = literal(field);
    list.forEach((p, i) => {
      if (p.id === current) $select.val(String(i));
    });
  }

  const template = productTemplate($account, options.productId, {
    none() {
      render([], 'pickDeviceFirst');
      showInfo($line, t('propertiesNeedProduct'));
    },
    loading() {
      render([], 'loading');
      showInfo($line, '');
    },
    failed(error) {
      render([], 'unavailable');
      showProblem($line, error);
    },
    loaded(product) {
      const list = propertiesOf(product.dataTemplate);
      render(list, 'noProperties');
      showInfo(
        $line,
        list.length
          ? t('propertyPicked', { product: product.name || product.productId })
          : t('noProperties'),
        true,
      );
    },
  });

  $row.insertBefore(options.before);
  $line.insertBefore(options.before);
  $select.on('change', () => {
    const property = $select.val() ? properties[Number($select.val())] : undefined;
    if (property) setLiteral(field, property.id);
  });
  $account.on('change', template.reload);
  template.load();
  return { refresh: template.load, rows: $row.add($line) };
}
