/**
 * `ui-iot-explorer-device` ("device panel"): a Dashboard 2 widget showing one card per device of
 * its selection, drawn from each product's data template, live by push.
 *
 * The node registers with its Dashboard 2 group; browsers get the panel's view from Dashboard 2's
 * data store (`widget-load`) and its changes as `msg-input:<id>`; they send commands with
 * `widget-action`, which `beforeSend` checks and carries out (lib/panel/policy.ts decides what is
 * allowed; nothing leaves the node unchecked). A message from a flow can change which devices it
 * shows (`msg.devices`, `msg.selection`) and hide controls (`msg.hide`).
 */

import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import {
  readHidden,
  readPanelConfig,
  readSelection,
  type PanelSettings,
  type StoredPanelConfig,
} from '../lib/panel/config';
import {
  PanelHub,
  PanelRefusalError,
  type DeviceView,
  type PanelView,
} from '../lib/panel/panel-hub';
import type { Refusal } from '../lib/panel/policy';
import {
  actionTopic,
  PANEL_MESSAGE,
  propertyTopic,
  readCommand,
  type PanelCommand,
  type PanelMessage,
} from '../lib/panel/protocol';
import { sourceFor } from '../lib/source/account-source';
import type { DeviceRecord } from '../lib/source/panel-source';

export const NODE_TYPE = 'ui-iot-explorer-device';

type PanelNodeDef = NodeDef & StoredPanelConfig & { group?: string };

/** The parts of Dashboard 2's ui-base the node uses (nodes/config/ui_base.js). */
interface UiBase {
  emit(event: string, msg: Record<string, unknown>, node: Node): void;
  stores: {
    data: {
      save(base: UiBase, node: Node, msg: Record<string, unknown>): void;
    };
  };
}

interface WidgetEvents {
  onAction: boolean;
  onChange: () => void;
  onSend: () => void;
  onInput: () => void;
  beforeSend: (msg: Record<string, unknown>) => Promise<Record<string, unknown> | null>;
}

/** The parts of Dashboard 2's ui-group the node uses (nodes/config/ui_group.js). */
interface UiGroup {
  getBase(): UiBase;
  register(node: Node, config: PanelNodeDef, events: WidgetEvents): void;
}

/** A message with Dashboard 2's own properties that the node passes on to the browser. */
const DASHBOARD_PROPS = ['enabled', 'visible', 'class'] as const;

/** An error a catch node can route: a code and a message. */
function coded(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

function recordFields(record: DeviceRecord): Record<string, unknown> {
  return { ...record };
}

export default function register(RED: NodeAPI): void {
  const text = (key: string, params?: Record<string, string | number>): string =>
    RED._(`${NODE_TYPE}.${key}`, params);

  function refusalText(refusal: Refusal): string {
    return text(`refusal.${refusal.key}`, refusal.params);
  }

  function UIIotExplorerDeviceNode(this: Node, config: PanelNodeDef): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const group = (config.group
      ? RED.nodes.getNode(config.group)
      : null) as unknown as UiGroup | null;
    if (!group || typeof group.getBase !== 'function') {
      node.error(text('error.noGroup'));
      node.status({ fill: 'red', shape: 'ring', text: text('status.noGroup') });
      return;
    }
    const base = group.getBase();

    let settings: PanelSettings | undefined;
    let configProblem: Error | undefined;
    try {
      settings = readPanelConfig(config);
    } catch (err) {
      configProblem = err as Error;
    }

    const source = settings ? sourceFor(RED, settings.account) : undefined;
    let hub: PanelHub | undefined;
    /** Set on close: what the closing node's calls end with is no one's business any more. */
    let closed = false;

    function publish(message: PanelMessage, view: PanelView): void {
      // The whole view stays in the data store for browsers that open the page later.
      base.stores.data.save(base, node, { [PANEL_MESSAGE]: { kind: 'view', view } });
      base.emit(`msg-input:${node.id}`, { [PANEL_MESSAGE]: message }, node);
    }

    function paintStatus(): void {
      if (!hub) return;
      const { status, devices, health, error } = hub.summary();
      if (status === 'loading') {
        node.status({ fill: 'yellow', shape: 'ring', text: text('status.loading') });
      } else if (status === 'error' || health.mode === 'down') {
        node.status({
          fill: 'red',
          shape: 'ring',
          text: error?.code ?? health.code ?? text('status.down'),
        });
      } else {
        node.status({
          fill: health.mode === 'live' ? 'green' : 'yellow',
          shape: health.mode === 'live' ? 'dot' : 'ring',
          text: text(`status.${health.mode}`, { count: devices }),
        });
      }
    }

    if (configProblem || !settings) {
      const message = configProblem?.message ?? 'bad configuration';
      node.error(text('error.badConfig', { reason: message }));
      node.status({ fill: 'red', shape: 'ring', text: text('status.badConfig') });
    } else if (source instanceof Error) {
      node.error(source.message);
      node.status({ fill: 'red', shape: 'ring', text: source.code });
    } else if (source) {
      hub = new PanelHub(
        {
          source,
          selection: settings.selection,
          policy: settings.policy,
          eventsShown: settings.eventsShown,
        },
        {
          view: (view) => {
            publish({ kind: 'view', view }, view);
            paintStatus();
          },
          device: (rev: number, device: DeviceView) => {
            if (hub) publish({ kind: 'device', rev, device }, hub.view());
          },
        },
        refusalText,
      );
      void hub.start();
    }

    /** What the user did, as a message: the watch node's topic forms, the value as payload. */
    function userMessage(command: PanelCommand, from: Record<string, unknown>): NodeMessage {
      const device = hub?.record(command.deviceId);
      const [productId, ...rest] = command.deviceId.split('/');
      const common = {
        source: 'dashboard',
        productId,
        deviceName: rest.join('/'),
        ...(device ? { device: recordFields(device) } : {}),
      };
      const msg: Record<string, unknown> =
        command.op === 'control'
          ? {
              topic: propertyTopic(command.deviceId, command.property),
              payload: command.value,
              iotexplorer: { ...common, property: command.property },
            }
          : {
              topic: actionTopic(command.deviceId, command.action),
              payload: command.input,
              iotexplorer: { ...common, actionId: command.action },
            };
      // Dashboard 2 adds who sent it when the ui-base asks for client data.
      if (from._client !== undefined) msg._client = from._client;
      return msg;
    }

    /** Carries out a browser's command; reports failures to catch nodes; never rejects. */
    async function runCommand(command: PanelCommand, from: Record<string, unknown>): Promise<void> {
      const msg = userMessage(command, from);
      const iotexplorer = (msg as { iotexplorer: Record<string, unknown> }).iotexplorer;
      try {
        if (!hub) throw coded('IOTX_PANEL_NOT_READY', text('error.notReady'));
        if (command.op === 'control') {
          const outcome = await hub.control(
            command.deviceId,
            command.property,
            command.value,
            command.confirmed,
          );
          iotexplorer.requestId = outcome.requestId;
          iotexplorer.device = recordFields(outcome.device);
        } else {
          const outcome = await hub.callAction(
            command.deviceId,
            command.action,
            command.input,
            command.confirmed,
          );
          Object.assign(iotexplorer, {
            requestId: outcome.requestId,
            status: outcome.status,
            output: outcome.output,
            device: recordFields(outcome.device),
          });
        }
        node.send(msg);
      } catch (err) {
        if (closed) return;
        const failure = err instanceof PanelRefusalError ? err : coded(codeOf(err), messageOf(err));
        node.error(failure, msg);
      }
    }

    /** A message from a flow: which devices to show, which controls to hide. */
    async function flowInput(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
      const passed: Record<string, unknown> = {};
      for (const prop of DASHBOARD_PROPS) {
        if (prop in msg) passed[prop] = msg[prop];
      }
      if (!hub) {
        if ('devices' in msg || 'selection' in msg || 'hide' in msg) {
          throw coded('IOTX_PANEL_NOT_READY', text('error.notReady'));
        }
        return passed;
      }
      if ('hide' in msg) {
        const hidden = readHidden(msg.hide);
        if (!hidden) throw coded('IOTX_PANEL_BAD_INPUT', text('error.badHide'));
        hub.hide(hidden);
      }
      if ('devices' in msg || 'selection' in msg) {
        let selection;
        try {
          selection =
            'devices' in msg
              ? readSelection({ selection: 'devices', devices: msg.devices })
              : readSelection(isRecord(msg.selection) ? toSelectionFields(msg.selection) : {});
        } catch (err) {
          throw coded(
            'IOTX_PANEL_BAD_INPUT',
            text('error.badSelection', { reason: messageOf(err) }),
          );
        }
        await hub.select(selection);
        paintStatus();
      }
      return passed;
    }

    // Marks the messages that come from the flow: Dashboard 2 hands both those and the
    // browsers' commands to beforeSend, and only this listener sees the flow's (it runs first,
    // and, taking one argument, leaves done() to Dashboard 2's own listener).
    const fromFlow = new WeakSet<object>();
    node.on('input', (msg: NodeMessage) => {
      fromFlow.add(msg);
    });

    const events: WidgetEvents = {
      onAction: true,
      // A browser's widget-change or widget-send carries nothing this widget takes.
      onChange: () => undefined,
      onSend: () => undefined,
      // beforeSend did the work; nothing is passed on for a flow's message.
      onInput: () => undefined,
      beforeSend: async (msg) => {
        if (fromFlow.has(msg)) return flowInput(msg);
        // From a browser (widget-action). Commands run in the background; nothing else is sent.
        const command = readCommand(msg);
        if (command) {
          void runCommand(command, msg);
        } else {
          node.warn(text('warn.badCommand'));
        }
        return null;
      },
    };
    group.register(node, config, events);

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      hub?.stop();
      hub = undefined;
      node.status({});
      done();
    });
  }

  RED.nodes.registerType(NODE_TYPE, UIIotExplorerDeviceNode);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toSelectionFields(raw: Record<string, unknown>): Record<string, unknown> {
  return {
    selection: raw.type,
    devices: raw.devices ?? raw.deviceIds,
    familyId: raw.familyId,
    roomId: raw.roomId,
    productId: raw.productId,
  };
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : 'IOTX_ERROR';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
