// The scene and automation pickers: a family select and a select of the family's scenes (or
// automations), fed by the account like the device picker, before the first deploy too.
// Picking fills the id field (as literal text) and keeps the name and family for the label.

import type { AdminQuestion, AutomationSummary, SceneSummary } from '../../lib/shared/admin-api';
import { requestForAccountField } from '../account-requests';
import { showInfo, showProblem } from '../feedback';
import { input, literal, setLiteral } from '../fields';
import { t, tCount } from '../i18n';
import { familyRow, readFamilies } from './family';
import { appendOption, pickerLine, pickerRow, placeholderOption } from './row';

/** What one kind of item (scene, automation) needs said and read. */
interface ItemKind<T> {
  question: Extract<AdminQuestion, 'scenes' | 'automations'>;
  icon: string;
  /**
   * `editor.*` keys: the row's label, the empty select, "none in this family", "N found, pick
   * one", and "N in this family" (when the dialog offers nothing to pick). The counted keys have
   * a `…One` form for exactly one.
   */
  texts: { label: string; pick: string; none: string; found: string; listed: string };
  id(item: T): string;
  name(item: T): string;
  /** What is worth knowing at a glance, after the name in the option (kept when it is cut). */
  mark(item: T): string;
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
  /**
   * Shows or hides the item select (the automation node's listing needs only the family); the
   * line under the picker says what a pick does only while there is something to pick.
   */
  offerItems(offer: boolean): void;
}

const SCENES: ItemKind<SceneSummary> = {
  question: 'scenes',
  icon: 'fa-magic',
  texts: {
    label: 'scene',
    pick: 'pickScene',
    none: 'noScenes',
    found: 'scenesFound',
    listed: 'scenesListed',
  },
  id: (s) => s.sceneId,
  name: (s) => s.name,
  mark: (s) => (s.devicesLeft ? ` ⚠ ${t('devicesLeft')}` : ''),
};

const AUTOMATIONS: ItemKind<AutomationSummary> = {
  question: 'automations',
  icon: 'fa-cogs',
  texts: {
    label: 'automation',
    pick: 'pickAutomation',
    none: 'noAutomations',
    found: 'automationsFound',
    listed: 'automationsListed',
  },
  id: (a) => a.automationId,
  name: (a) => a.name,
  mark: (a) => ` (${t(a.enabled ? 'on' : 'off')})`,
};

function familyItemPicker<T>(
  kind: ItemKind<T>,
  options: FamilyItemPickerOptions,
): FamilyItemPicker {
  const $account = $('#node-input-account');
  const {
    $row: $rowFamily,
    $family,
    $refresh,
  } = familyRow(`node-input-iotx-${kind.question}-family`);
  const $rowItem = pickerRow(kind.icon, kind.texts.label, `node-input-iotx-${kind.question}`);
  const $item = $(`<select id="node-input-iotx-${kind.question}"></select>`).appendTo($rowItem);
  const $line = pickerLine();
  let items: T[] = [];
  let generation = 0;
  let offering = true;
  /** How many items the family has, once read. */
  let count: number | undefined;

  function showCount(): void {
    if (count !== undefined) {
      showInfo($line, tCount(offering ? kind.texts.found : kind.texts.listed, count), true);
    }
  }

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
    placeholderOption($item, kind.texts.pick);
    count = undefined;
    readFamilies({
      $account,
      $family,
      $items: $item,
      $line,
      current: () => mine === generation,
      loaded(families) {
        if (families.length === 0) return placeholderOption($item, 'unavailable');
        // Reopened: the family of the item picked before.
        const saved = savedFamily();
        if (families.some((f) => f.familyId === saved)) $family.val(saved);
        loadItems();
      },
    });
  }

  function loadItems(): void {
    const mine = ++generation;
    const familyId = String($family.val() ?? '');
    placeholderOption($item, 'loading');
    count = undefined;
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
        appendOption($item, String(i), kind.name(item) || kind.id(item), {
          suffix: kind.mark(item),
        });
      });
      const current = literal(options.idField);
      list.forEach((item, i) => {
        if (kind.id(item) === current) $item.val(String(i));
      });
      count = list.length;
      showCount();
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
  return {
    reload: loadFamilies,
    offerItems(offer: boolean): void {
      offering = offer;
      $rowItem.toggle(offer);
      showCount();
    },
  };
}

/** Scenes of the account's families; a scene with a device gone is marked. */
export function scenePicker(options: FamilyItemPickerOptions): FamilyItemPicker {
  return familyItemPicker(SCENES, options);
}

/** Automations of the account's families, each shown on or off. */
export function automationPicker(options: FamilyItemPickerOptions): FamilyItemPicker {
  return familyItemPicker(AUTOMATIONS, options);
}
