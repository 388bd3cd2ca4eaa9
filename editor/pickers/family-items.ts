// The scene and automation pickers: a family select and a select of the family's scenes (or
// automations), fed by the account like the device picker, before the first deploy too.
// Picking fills the id field (as literal text) and keeps the name and family for the label.

import type {
  AdminQuestion,
  AutomationSummary,
  FamilySummary,
  SceneSummary,
} from '../../lib/shared/admin-api';
import { requestForAccountField } from '../account-requests';
import { showInfo, showProblem } from '../feedback';
import { input, literal, setLiteral } from '../fields';
import { t } from '../i18n';
import { pickerLine, pickerRow, placeholderOption } from './row';

/** What one kind of item (scene, automation) needs said and read. */
interface ItemKind<T> {
  question: Extract<AdminQuestion, 'scenes' | 'automations'>;
  icon: string;
  /** `editor.*` keys: the row's label, the empty select, "none in this family", "N found". */
  texts: { label: string; pick: string; none: string; found: string };
  id(item: T): string;
  name(item: T): string;
  /** The option's text: the name and what is worth knowing at a glance. */
  describe(item: T): string;
}

export interface FamilyItemPickerOptions {
  /** The row the picker's rows go before. */
  before: JQuery;
  /** The typed field a pick fills (`sceneId`, `automationId`). */
  idField: string;
  /** Hidden fields that keep the picked item's name and family (for the label and reopening). */
  nameField: string;
  familyField: string;
  /** The family field is a TypedInput (the automation node lists a family's automations). */
  familyTyped?: boolean;
}

export interface FamilyItemPicker {
  reload(): void;
  /** The row of the item select, for a dialog that hides it (listing needs only the family). */
  itemRow: JQuery;
}

const SCENES: ItemKind<SceneSummary> = {
  question: 'scenes',
  icon: 'fa-magic',
  texts: { label: 'scene', pick: 'pickScene', none: 'noScenes', found: 'scenesFound' },
  id: (s) => s.sceneId,
  name: (s) => s.name,
  describe: (s) => `${s.name || s.sceneId}${s.devicesLeft ? ` ⚠ ${t('devicesLeft')}` : ''}`,
};

const AUTOMATIONS: ItemKind<AutomationSummary> = {
  question: 'automations',
  icon: 'fa-cogs',
  texts: {
    label: 'automation',
    pick: 'pickAutomation',
    none: 'noAutomations',
    found: 'automationsFound',
  },
  id: (a) => a.automationId,
  name: (a) => a.name,
  describe: (a) => `${a.name || a.automationId} (${t(a.enabled ? 'on' : 'off')})`,
};

function familyItemPicker<T>(
  kind: ItemKind<T>,
  options: FamilyItemPickerOptions,
): FamilyItemPicker {
  const $account = $('#node-input-account');
  const $rowFamily = pickerRow('fa-home', 'family', `node-input-iotx-${kind.question}-family`);
  const $family = $(
    `<select id="node-input-iotx-${kind.question}-family" style="width: 60%"></select>`,
  ).appendTo($rowFamily);
  const $refresh = $(
    '<button type="button" class="red-ui-button" style="margin-left: 4px"><i class="fa fa-refresh"></i></button>',
  )
    .attr('title', t('refresh'))
    .appendTo($rowFamily);
  const $rowItem = pickerRow(kind.icon, kind.texts.label, `node-input-iotx-${kind.question}`);
  const $item = $(
    `<select id="node-input-iotx-${kind.question}" style="width: 70%"></select>`,
  ).appendTo($rowItem);
  const $line = pickerLine();
  let items: T[] = [];
  let generation = 0;

  function savedFamily(): string {
    return options.familyTyped
      ? literal(options.familyField)
      : String(input(options.familyField).val() ?? '');
  }

  function keepFamily(familyId: string): void {
    if (options.familyTyped) setLiteral(options.familyField, familyId);
    else input(options.familyField).val(familyId);
  }

  function loadFamilies(): void {
    const mine = ++generation;
    placeholderOption($family, 'loading');
    placeholderOption($item, kind.texts.pick);
    showInfo($line, '');
    requestForAccountField<FamilySummary[]>($account, 'families', {}, (error, families) => {
      if (mine !== generation) return;
      if (error || !families) {
        placeholderOption($family, 'unavailable');
        if (error) showProblem($line, error);
        return;
      }
      $family.empty();
      if (families.length === 0) return placeholderOption($family, 'noFamilies');
      for (const f of families) {
        $('<option></option>').val(f.familyId).text(f.name).appendTo($family);
      }
      // Reopened: the family of the item picked before.
      const saved = savedFamily();
      if (families.some((f) => f.familyId === saved)) $family.val(saved);
      loadItems();
    });
  }

  function loadItems(): void {
    const mine = ++generation;
    const familyId = String($family.val() ?? '');
    placeholderOption($item, 'loading');
    if (!familyId) return placeholderOption($item, kind.texts.pick);
    requestForAccountField<T[]>($account, kind.question, { familyId }, (error, list) => {
      if (mine !== generation) return;
      if (error || !list) {
        placeholderOption($item, 'unavailable');
        if (error) showProblem($line, error);
        return;
      }
      items = list;
      placeholderOption($item, list.length ? kind.texts.pick : kind.texts.none);
      list.forEach((item, i) => {
        $('<option></option>').val(String(i)).text(kind.describe(item)).appendTo($item);
      });
      const current = literal(options.idField);
      list.forEach((item, i) => {
        if (kind.id(item) === current) $item.val(String(i));
      });
      showInfo($line, t(kind.texts.found, { count: list.length }), true);
    });
  }

  $rowFamily.insertBefore(options.before);
  $rowItem.insertBefore(options.before);
  $line.insertBefore(options.before);
  $account.on('change', loadFamilies);
  $family.on('change', (event: JQuery.Event) => {
    // A family the user chose (not one the dialog set on opening) is the node's family now.
    if ((event as unknown as { originalEvent?: unknown }).originalEvent) {
      keepFamily(String($family.val() ?? ''));
    }
    loadItems();
  });
  $refresh.on('click', loadFamilies);
  $item.on('change', () => {
    const item = $item.val() ? items[Number($item.val())] : undefined;
    if (!item) return;
    setLiteral(options.idField, kind.id(item));
    input(options.nameField).val(kind.name(item));
    keepFamily(String($family.val() ?? ''));
  });
  loadFamilies();
  return { reload: loadFamilies, itemRow: $rowItem };
}

/** Scenes of the account's families; a scene with a device gone is marked. */
export function scenePicker(options: FamilyItemPickerOptions): FamilyItemPicker {
  return familyItemPicker(SCENES, options);
}

/** Automations of the account's families, each shown on or off. */
export function automationPicker(options: FamilyItemPickerOptions): FamilyItemPicker {
  return familyItemPicker(AUTOMATIONS, options);
}
