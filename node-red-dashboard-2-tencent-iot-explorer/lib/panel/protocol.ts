/**
 * What the node and the browser's component say to each other over Dashboard 2's socket, in
 * one place for both sides.
 *
 * Node → browser: `msg-input:<node id>` with `{iotxPanel: PanelMessage}`; the same message, with
 * the whole view, is kept in Dashboard 2's data store, so a browser that opens the page gets it
 * with `widget-load` and the node calls nothing for it.
 *
 * Browser → node: Dashboard 2's `widget-action` with `{iotxCommand: PanelCommand}`. Any socket
 * client can send one: the node checks every field and its permissions (lib/panel/policy.ts).
 */

import type { DeviceView, PanelView } from './panel-hub';

/** The message property that carries the node's messages to the browser. */
export const PANEL_MESSAGE = 'iotxPanel';
/** The message property that carries the browser's commands to the node. */
export const PANEL_COMMAND = 'iotxCommand';

export type PanelMessage =
  { kind: 'view'; view: PanelView } | { kind: 'device'; rev: number; device: DeviceView };

export type PanelCommand =
  | { op: 'control'; deviceId: string; property: string; value: unknown; confirmed: boolean }
  | {
      op: 'action';
      deviceId: string;
      action: string;
      input: Record<string, unknown>;
      confirmed: boolean;
    };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shortText(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.length <= 256;
}

/** The command in a `widget-action` message, or undefined when it is not a well-formed one. */
export function readCommand(msg: unknown): PanelCommand | undefined {
  if (!isRecord(msg)) return undefined;
  const raw = msg[PANEL_COMMAND];
  if (!isRecord(raw) || !shortText(raw.deviceId)) return undefined;
  const confirmed = raw.confirmed === true;
  if (raw.op === 'control' && shortText(raw.property) && 'value' in raw) {
    return {
      op: 'control',
      deviceId: raw.deviceId,
      property: raw.property,
      value: raw.value,
      confirmed,
    };
  }
  if (raw.op === 'action' && shortText(raw.action)) {
    const input = raw.input === undefined ? {} : raw.input;
    if (!isRecord(input)) return undefined;
    return { op: 'action', deviceId: raw.deviceId, action: raw.action, input, confirmed };
  }
  return undefined;
}

/** The watch node's topic for a property: `PID/DN/<property>`. */
export function propertyTopic(deviceId: string, property: string): string {
  return `${deviceId}/${property}`;
}

/** The watch node's topic for an action: `PID/DN/action/<actionId>`. */
export function actionTopic(deviceId: string, action: string): string {
  return `${deviceId}/action/${action}`;
}

/**
 * The browser's view after a message. A whole view replaces it (the node sends views in order on
 * each socket, and a redeployed node counts again from 1). A device's card replaces that card
 * when it is newer than the view.
 */
export function applyMessage(view: PanelView | null, message: PanelMessage): PanelView | null {
  if (message.kind === 'view') return message.view;
  if (!view || message.rev <= view.rev) return view;
  const index = view.devices.findIndex((d) => d.deviceId === message.device.deviceId);
  if (index < 0) return { ...view, rev: message.rev };
  const devices = view.devices.slice();
  devices[index] = message.device;
  return { ...view, rev: message.rev, devices };
}

/** The panel message in a Dashboard 2 message, if it carries one. */
export function panelMessageOf(msg: unknown): PanelMessage | undefined {
  if (!isRecord(msg)) return undefined;
  const message = msg[PANEL_MESSAGE];
  if (!isRecord(message)) return undefined;
  if (message.kind === 'view' && isRecord(message.view)) return message as unknown as PanelMessage;
  if (message.kind === 'device' && isRecord(message.device) && typeof message.rev === 'number') {
    return message as unknown as PanelMessage;
  }
  return undefined;
}
