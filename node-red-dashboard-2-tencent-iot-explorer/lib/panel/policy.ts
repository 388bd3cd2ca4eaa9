/**
 * What a panel may change: the node's configuration decides, the server enforces. Dashboard 2
 * has no login unless the user adds one, and any socket.io client can send what the browser
 * sends, so every write the browser asks for is checked here, against the node's settings, before
 * anything reaches the API. The browser only draws what this allows.
 *
 * Properties and actions that open or unlock something are *guarded*: read-only until the node
 * turns them on, and then confirmed on the panel. The service publishes no category table, so
 * they are found by id: {@link GUARD_PATTERNS}, plus the words the user lists in the node.
 */

import {
  checkActionInput,
  checkValue,
  type TemplateProblem,
} from '../../../lib/shared/data-template';
import type { PanelAction, PanelControl, ProductLayout } from './layout';

/** Parts of an id that mark a property or action as opening or unlocking something. */
export const GUARD_PATTERNS: readonly string[] = ['lock', 'door', 'garage', 'safe', 'open'];

export interface PanelPolicy {
  /** The panel may set writable (`rw`) properties. */
  allowProperties: boolean;
  /** The panel may call actions. */
  allowActions: boolean;
  /** Guarded properties and actions may be used (each use confirmed on the panel). */
  allowGuarded: boolean;
  /** More id parts that mark a property or action as guarded (lower case). */
  extraGuards: string[];
}

/** Reads the node's list of extra guard words: separated by commas, spaces or new lines. */
export function parseGuardList(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  return [
    ...new Set(
      text
        .split(/[\s,;，；]+/)
        .map((w) => w.trim().toLowerCase())
        .filter((w) => w !== ''),
    ),
  ];
}

/** Whether an id names something that opens or unlocks (by the built-in and the user's words). */
export function isGuarded(id: string, extraGuards: readonly string[] = []): boolean {
  const lower = id.toLowerCase();
  return [...GUARD_PATTERNS, ...extraGuards].some((word) => lower.includes(word));
}

/** A control as the browser gets it: what the template says, and what this node allows. */
export interface ControlView extends PanelControl {
  /** Opens or unlocks something. */
  guarded: boolean;
  /** The panel may change it now (the device's online state aside). */
  writable: boolean;
  /** Each change asks the user first. */
  confirm: boolean;
}

export interface ActionView extends PanelAction {
  guarded: boolean;
  writable: boolean;
  confirm: boolean;
}

export interface LayoutView extends Omit<ProductLayout, 'controls' | 'actions'> {
  controls: ControlView[];
  actions: ActionView[];
}

/** The layout with this node's permissions marked on each control and action. */
export function applyPolicy(layout: ProductLayout, policy: PanelPolicy): LayoutView {
  return {
    ...layout,
    controls: layout.controls.map((c) => {
      const guarded = isGuarded(c.id, policy.extraGuards);
      const writable = !c.readOnly && policy.allowProperties && (!guarded || policy.allowGuarded);
      return { ...c, guarded, writable, confirm: writable && guarded };
    }),
    actions: layout.actions.map((a) => {
      const guarded = isGuarded(a.id, policy.extraGuards);
      const writable = policy.allowActions && (!guarded || policy.allowGuarded);
      return { ...a, guarded, writable, confirm: writable && guarded };
    }),
  };
}

/** Why a write is refused: a code for the panel and the log, and the catalogue key's params. */
export interface Refusal {
  code: string;
  /** A key of the node's catalogue under `refusal.` */
  key: string;
  params: Record<string, string>;
}

function refuse(code: string, key: string, params: Record<string, string>): Refusal {
  return { code, key, params };
}

function fromProblem(problem: TemplateProblem): Refusal {
  return {
    code: 'IOTX_PANEL_BAD_VALUE',
    key: 'badValue',
    params: { ...problem.params, problem: problem.key },
  };
}

/** Checks a property write against the layout as this node allows it. */
export function checkPropertyWrite(
  layout: LayoutView | undefined,
  propertyId: string,
  value: unknown,
  confirmed: boolean,
): Refusal | undefined {
  const control = layout?.controls.find((c) => c.id === propertyId);
  if (!control) return refuse('IOTX_PANEL_UNKNOWN', 'unknownProperty', { property: propertyId });
  if (control.readOnly) return refuse('IOTX_PANEL_READ_ONLY', 'readOnly', { property: propertyId });
  if (!control.writable) {
    return control.guarded
      ? refuse('IOTX_PANEL_GUARDED', 'guarded', { property: propertyId })
      : refuse('IOTX_PANEL_NOT_ALLOWED', 'notAllowed', { property: propertyId });
  }
  if (control.confirm && !confirmed) {
    return refuse('IOTX_PANEL_NOT_CONFIRMED', 'notConfirmed', { property: propertyId });
  }
  const problem = checkValue(control.define, value, propertyId);
  return problem ? fromProblem(problem) : undefined;
}

/** Checks an action call against the layout as this node allows it. */
export function checkActionCall(
  layout: LayoutView | undefined,
  actionId: string,
  input: unknown,
  confirmed: boolean,
): Refusal | undefined {
  const action = layout?.actions.find((a) => a.id === actionId);
  if (!action) return refuse('IOTX_PANEL_UNKNOWN', 'unknownAction', { property: actionId });
  if (!action.writable) {
    return action.guarded
      ? refuse('IOTX_PANEL_GUARDED', 'guarded', { property: actionId })
      : refuse('IOTX_PANEL_NOT_ALLOWED', 'notAllowed', { property: actionId });
  }
  if (action.confirm && !confirmed) {
    return refuse('IOTX_PANEL_NOT_CONFIRMED', 'notConfirmed', { property: actionId });
  }
  const problem = checkActionInput(action, input);
  return problem ? fromProblem(problem) : undefined;
}
