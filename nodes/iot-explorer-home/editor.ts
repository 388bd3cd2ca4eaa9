// The home node's dialog: the filter's family, room and product pickers, fed by the account's
// `home` route (also before the first deploy), and the shared / online selects.

import type { HomeSummary } from '../../lib/shared/admin-api';
import { deviceLabel as recordLabel } from '../../lib/shared/home';
import { requestForAccountField } from '../../editor/account-requests';
import { showInfo, showProblem } from '../../editor/feedback';
import { input, showAbsentAsRuntime } from '../../editor/fields';
import { productChoices, roomChoices } from '../../editor/home-choices';
import { t } from '../../editor/i18n';
import { fillChoices, pickerLine } from '../../editor/pickers/row';
import { markDialog } from '../../editor/style';

export const home = {
  label(node: RedEditorNode): string {
    return node.name || node._('iot-explorer-home.paletteLabel');
  },

  prepare(node: RedEditorNode): void {
    markDialog(input('name'));
    showAbsentAsRuntime(node, 'iot-explorer-home');
    const text = (key: string, params?: Record<string, string | number>): string =>
      node._(`iot-explorer-home.${key}`, params);
    // "1 device", "2 devices": the editor's i18next differs between Node-RED's lines in plurals.
    const counted = (key: string, count: number): string =>
      text(count === 1 ? `${key}One` : key, { count });
    const $family = input('familyId');
    const $room = input('roomId');
    const $product = input('productId');
    const $line = pickerLine();
    $line.insertAfter(input('online').closest('.form-row'));
    let summary: HomeSummary | undefined;
    const saved = (field: string): string => (typeof node[field] === 'string' ? node[field] : '');

    // The pickers of the nodes' Target filter, with the same choices.
    const fillRooms = (keep: string): void => {
      const familyId = String($family.val() ?? '');
      fillChoices($room, summary ? roomChoices(summary, familyId) : [], keep, t('defaultRoom'));
    };

    fillChoices($family, [], saved('familyId'), '');
    fillChoices($room, [], saved('roomId'), '');
    fillChoices($product, [], saved('productId'), '');

    const load = (): void => {
      showInfo($line, text('loading'));
      requestForAccountField<HomeSummary>(input('account'), 'home', {}, (error, data) => {
        if (error || !data) {
          if (error) showProblem($line, error);
          return;
        }
        summary = data;
        fillChoices(
          $family,
          data.families.map((f) => ({ value: f.familyId, text: f.familyName })),
          String($family.val() ?? ''),
          '',
        );
        fillRooms(String($room.val() ?? ''));
        fillChoices($product, productChoices(data.devices), String($product.val() ?? ''), '');
        const shared = data.devices.filter((d) => d.shared);
        showInfo(
          $line,
          text('found', {
            devices: counted('foundDevices', data.devices.length),
            families: counted('foundFamilies', data.families.length),
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
