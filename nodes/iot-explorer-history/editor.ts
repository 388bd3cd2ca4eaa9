// The history node's dialog: the device fields with the device picker, the property select from
// the product's data template, or the event filter.

import { deviceTargetFields, input, literal, showAbsentAsRuntime } from '../../editor/fields';
import { devicePicker } from '../../editor/pickers/device';
import { propertySelect } from '../../editor/pickers/property-select';
import { stored } from '../../editor/dialog-parts';
import {
  HISTORY_EVENTS_CLASS,
  HISTORY_PROPERTY_CLASS,
  HISTORY_PROPERTY_ROW,
  markDialog,
} from '../../editor/style';

export const history = {
  label(node: RedEditorNode): string {
    if (node.name) return node.name;
    const device = stored(node, 'deviceName');
    const eventId = typeof node.eventId === 'string' ? node.eventId : '';
    const what = node.kind === 'event' ? eventId : stored(node, 'property');
    return (
      [device, what].filter(Boolean).join(' · ') || node._('iot-explorer-history.paletteLabel')
    );
  },

  prepare(node: RedEditorNode): void {
    markDialog(input('name'));
    showAbsentAsRuntime(node, 'iot-explorer-history');
    deviceTargetFields(['productId', 'deviceName', 'property']);
    devicePicker({ before: input('productId').closest('.form-row') });
    const properties = propertySelect({
      before: input('property').closest('.form-row'),
      productId: () => literal('productId'),
    });
    input('productId').on('change', properties.refresh);
    // The rows of what is read: the form's class says which (editor/style.ts), so that the
    // picker's line, which shows itself when it has news, stays hidden with its rows.
    properties.rows.addClass(HISTORY_PROPERTY_ROW);
    const $form = input('kind').closest('form');
    input('kind')
      .on('change', () => {
        const events = input('kind').val() === 'event';
        $form
          .toggleClass(HISTORY_EVENTS_CLASS, events)
          .toggleClass(HISTORY_PROPERTY_CLASS, !events);
      })
      .trigger('change');
  },
};
