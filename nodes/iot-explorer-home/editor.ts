// The home node's dialog: the filter's family, room and product pickers, fed by the account's
// `home` route (also before the first deploy), and the shared / online selects.

import type { HomeSummary } from '../../lib/shared/admin-api';
import { deviceLabel as recordLabel, type HomeFamily } from '../../lib/shared/home';
import { requestForAccountField } from '../../editor/account-requests';
import { showInfo, showProblem } from '../../editor/feedback';
import { input, showAbsentAsRuntime } from '../../editor/fields';
import { pickerLine } from '../../editor/pickers/row';
import { markDialog } from '../../editor/style';

/** Widest option text, in half-width characters (a CJK character counts two): fits the row. */
const OPTION_WIDTH = 34;

/** The text cut to {@link OPTION_WIDTH} with an ellipsis; the option's title keeps it whole. */
function fitted(text: string): string {
  let width = 0;
  for (let i = 0; i < text.length; i += 1) {
    width += text.charCodeAt(i) > 0x2e80 ? 2 : 1;
    if (width > OPTION_WIDTH) return `${text.slice(0, i).trimEnd()}…`;
  }
  return text;
}

/** Fills a select with `choices`, an "any" first, keeping `saved` even when the home lacks it. */
function fill(
  $select: JQuery,
  anyText: string,
  choices: ReadonlyArray<[string, string]>,
  saved: string,
): void {
  $select.empty();
  $('<option></option>').val('').text(anyText).appendTo($select);
  for (const [value, text] of choices) {
    $('<option></option>').val(value).text(fitted(text)).attr('title', text).appendTo($select);
  }
  if (saved && !choices.some(([value]) => value === saved)) {
    $('<option></option>').val(saved).text(saved).appendTo($select);
  }
  $select.val(saved);
}

export const home = {
  label(node: RedEditorNode): string {
    return node.name || node._('iot-explorer-home.paletteLabel');
  },

  prepare(node: RedEditorNode): void {
    markDialog(input('name'));
    showAbsentAsRuntime(node, 'iot-explorer-home');
    const text = (key: string, params?: Record<string, string | number>): string =>
      node._(`iot-explorer-home.${key}`, params);
    const $family = input('familyId');
    const $room = input('roomId');
    const $product = input('productId');
    const $line = pickerLine();
    $line.insertAfter(input('online').closest('.form-row'));
    let summary: HomeSummary | undefined;
    const saved = (field: string): string => (typeof node[field] === 'string' ? node[field] : '');

    const fillRooms = (keep: string): void => {
      const familyId = String($family.val() ?? '');
      const families: HomeFamily[] = summary?.families ?? [];
      const rooms = families
        .filter((f) => familyId === '' || f.familyId === familyId)
        .flatMap((f) =>
          f.rooms.map((r): [string, string] => [
            r.roomId,
            `${r.roomName ?? text('defaultRoom')}${familyId === '' ? ` · ${f.familyName}` : ''}`,
          ]),
        );
      // The default room is "0" in every family: listed once.
      const unique = [...new Map(rooms).entries()];
      fill($room, text('any'), unique, keep);
    };

    fill($family, text('any'), [], saved('familyId'));
    fill($room, text('any'), [], saved('roomId'));
    fill($product, text('any'), [], saved('productId'));

    const load = (): void => {
      showInfo($line, text('loading'));
      requestForAccountField<HomeSummary>(input('account'), 'home', {}, (error, data) => {
        if (error || !data) {
          if (error) showProblem($line, error);
          return;
        }
        summary = data;
        fill(
          $family,
          text('any'),
          data.families.map((f): [string, string] => [f.familyId, f.familyName]),
          String($family.val() ?? ''),
        );
        fillRooms(String($room.val() ?? ''));
        const products = new Map<string, string>();
        for (const d of data.devices) {
          products.set(d.productId, d.productName ?? d.productId);
        }
        fill($product, text('any'), [...products], String($product.val() ?? ''));
        const shared = data.devices.filter((d) => d.shared);
        showInfo(
          $line,
          text('found', {
            devices: data.devices.length,
            families: data.families.length,
            shared: shared.length,
          }) + (shared.length ? ` (${shared.map(recordLabel).join(', ')})` : ''),
          true,
        );
      });
    };
    $family.on('change', () => fillRooms(String($room.val() ?? '')));
    input('account').on('change', load);
    load();
  },
};
