// The property picker: one checkbox per property of a product's data template, beside a
// free-text property filter. Ticking adds the id to the text, unticking removes it; ids typed
// by hand stay.

import { showInfo, showProblem } from '../feedback';
import { t } from '../i18n';
import { propertyIds, withProperty } from '../lists';
import { describeDefine, propertiesOf } from '../template';
import type { TemplateProperty } from '../../lib/shared/data-template';
import { productTemplate } from './product-template';
import { pickerLine } from './row';

export interface PropertyPickerOptions {
  /** The row of the free-text filter; the boxes go after it. */
  after: JQuery;
  accountField?: string;
  /** The filter's property (default `properties`). */
  field?: string;
  /** The product whose properties to offer ('' when there is none). */
  productId: () => string;
}

export function propertyPicker(options: PropertyPickerOptions): { refresh: () => void } {
  const $account = $(options.accountField ?? '#node-input-account');
  const $text = $(`#node-input-${options.field ?? 'properties'}`);
  const $row = $('<div class="form-row iotx-property-picker"></div>');
  $('<label>&nbsp;</label>').appendTo($row);
  const $boxes = $('<div class="iotx-properties"></div>').appendTo($row);
  const $line = pickerLine();

  /** Ticks the boxes the text names. */
  function sync(): void {
    const listed = propertyIds(String($text.val() ?? ''));
    $boxes.find('input[type=checkbox]').each(function () {
      $(this).prop('checked', listed.includes(String($(this).val())));
    });
  }

  function render(properties: TemplateProperty[]): void {
    $boxes.empty();
    $row.toggle(properties.length > 0);
    for (const p of properties) {
      const define = describeDefine(p.define);
      $('<label class="iotx-property"></label>')
        .attr('title', (p.desc ? `${p.desc} — ` : '') + define)
        .append($('<input type="checkbox">').val(p.id))
        .append(
          document.createTextNode(` ${p.name && p.name !== p.id ? `${p.name} (${p.id})` : p.id}`),
        )
        .appendTo($boxes);
    }
    sync();
  }

  const template = productTemplate($account, options.productId, {
    none() {
      render([]);
      showInfo($line, t('propertiesNeedProduct'));
    },
    loading() {
      render([]);
      showInfo($line, t('loading'));
    },
    failed: (error) => showProblem($line, error),
    loaded(product) {
      const properties = propertiesOf(product.dataTemplate);
      render(properties);
      showInfo(
        $line,
        properties.length
          ? t('propertiesOf', { product: product.name || product.productId })
          : t('noProperties'),
        true,
      );
    },
  });

  $line.insertAfter(options.after);
  $row.insertAfter(options.after);
  $boxes.on('change', 'input[type=checkbox]', function () {
    const $box = $(this);
    $text
      .val(
        withProperty(String($text.val() ?? ''), String($box.val()), $box.prop('checked') === true),
      )
      .trigger('change');
  });
  $text.on('change input', sync);
  $account.on('change', template.reload);
  template.load();
  return { refresh: template.load };
}
