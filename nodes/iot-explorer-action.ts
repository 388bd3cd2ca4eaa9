import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import type { DeviceActionResult } from '../lib/api-client';
import { IotExplorerError, LocalErrorCode } from '../lib/errors';
import { CallStatus } from '../lib/call-status';
import { localizeError } from '../lib/node-i18n';
import { parseOutputParams } from '../lib/envelope';
import {
  evaluateTypedField,
  isBlankLiteral,
  resolveStringField,
  toJsonObjectString,
  type TypedField,
} from '../lib/typed-fields';
import type { AccountNode } from './iot-explorer-account';

export interface ActionConfig extends NodeDef {
  account: string;
  productId?: string;
  productIdType?: string;
  deviceName?: string;
  deviceNameType?: string;
  actionId?: string;
  actionIdType?: string;
  inputParams?: string;
  inputParamsType?: string;
}

/** What `msg.iotexplorer` holds after a call, on success and (as far as known) on error. */
export interface ActionCallInfo {
  action: 'AppCallDeviceActionSync';
  productId?: string;
  deviceName?: string;
  actionId?: string;
  status?: string;
  clientToken?: string;
  requestId?: string;
  outputParams?: string | null;
}

type ActionMessage = NodeMessageInFlow & { iotexplorer?: ActionCallInfo };

/** The editor's fields, with the defaults a node added with only `account` set should get. */
export function actionFields(
  config: ActionConfig,
): Record<'productId' | 'deviceName' | 'actionId' | 'inputParams', TypedField> {
  return {
    productId: { value: config.productId ?? '', type: config.productIdType || 'str' },
    deviceName: { value: config.deviceName ?? '', type: config.deviceNameType || 'str' },
    actionId: { value: config.actionId ?? '', type: config.actionIdType || 'str' },
    inputParams: {
      value: config.inputParamsType ? (config.inputParams ?? '') : 'payload',
      type: config.inputParamsType || 'msg',
    },
  };
}

export default function register(RED: NodeAPI): void {
  function IotExplorerActionNode(this: Node, config: ActionConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const account = RED.nodes.getNode(config.account) as AccountNode | null;
    const fields = actionFields(config);
    const status = new CallStatus(node, {
      calling: (count) => RED._('iot-explorer-action.status.calling', { count }),
    });
    const inFlight = new Set<AbortController>();
    let closing = false;
    let warnedOverride = false;

    /** The editor wins over msg; say so once, as the core http request node does. */
    function warnIfOverridden(msg: ActionMessage): void {
      if (warnedOverride) return;
      const overridden = (['productId', 'deviceName', 'actionId'] as const).filter(
        (name) =>
          !isBlankLiteral(fields[name]) && (msg as Record<string, unknown>)[name] !== undefined,
      );
      if (overridden.length > 0) {
        warnedOverride = true;
        node.warn(
          RED._('iot-explorer-action.warn.overridden', {
            properties: overridden.map((p) => `msg.${p}`).join(', '),
          }),
        );
      }
    }

    async function handle(
      msg: ActionMessage,
      send: (msg: NodeMessageInFlow) => void,
      done: (err?: Error) => void,
    ): Promise<void> {
      const controller = new AbortController();
      inFlight.add(controller);
      status.begin();
      const info: ActionCallInfo = { action: 'AppCallDeviceActionSync' };
      try {
        if (!account) {
          throw new IotExplorerError({ code: LocalErrorCode.NoAccount, key: 'noAccount' });
        }
        warnIfOverridden(msg);
        info.productId = await resolveStringField(
          RED,
          node,
          fields.productId,
          { label: 'ProductId', msgProperty: 'productId' },
          msg,
        );
        info.deviceName = await resolveStringField(
          RED,
          node,
          fields.deviceName,
          { label: 'DeviceName', msgProperty: 'deviceName' },
          msg,
        );
        info.actionId = await resolveStringField(
          RED,
          node,
          fields.actionId,
          { label: 'ActionId', msgProperty: 'actionId' },
          msg,
        );
        const inputParams = toJsonObjectString(
          await evaluateTypedField(RED, node, fields.inputParams, msg),
          'InputParams',
        );

        const result: DeviceActionResult = await account.client.callDeviceActionSync(
          {
            productId: info.productId,
            deviceName: info.deviceName,
            actionId: info.actionId,
            inputParams,
          },
          { signal: controller.signal },
        );
        Object.assign(info, result);
        msg.iotexplorer = info;
        msg.payload = parseOutputParams(result.outputParams);
        status.succeeded(result.status || 'OK');
        send(msg);
        done();
      } catch (caught) {
        if (closing) {
          // The flow is stopping: end the message without reporting into a flow that is going away.
          done();
          return;
        }
        const err = caught instanceof IotExplorerError ? caught : wrapUnexpected(caught);
        if (err.requestId !== undefined) info.requestId = err.requestId;
        if (err.reply) {
          info.status = typeof err.reply.Status === 'string' ? err.reply.Status : undefined;
          info.clientToken =
            typeof err.reply.ClientToken === 'string' ? err.reply.ClientToken : undefined;
        }
        msg.iotexplorer = info;
        status.failed(err.code);
        done(localizeError(RED, err));
      } finally {
        inFlight.delete(controller);
      }
    }

    node.on('input', (msg, send, done) => {
      void handle(msg, send, done);
    });

    node.on('close', (done: () => void) => {
      closing = true;
      for (const controller of inFlight) controller.abort();
      status.clear();
      done();
    });
  }

  RED.nodes.registerType('iot-explorer-action', IotExplorerActionNode);
}

/** A failure that is not ours (a context store error, say) still reaches the catch node with a code. */
function wrapUnexpected(caught: unknown): IotExplorerError {
  return new IotExplorerError({
    code: LocalErrorCode.InvalidField,
    key: 'unexpected',
    params: { reason: caught instanceof Error ? caught.message : String(caught) },
  });
}

module.exports = register;
