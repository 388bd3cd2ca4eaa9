import type { Node, NodeAPI, NodeDef } from 'node-red';
import { parseOutputParams } from '../lib/api/envelope';
import { DeviceStatusError } from '../lib/errors/errors';
import {
  createFieldResolver,
  DEVICE_TARGET_SPECS,
  deviceTargetFields,
  handleDeviceMessages,
  type AccountNode,
  type CallInfo,
  type DeviceTargetConfig,
} from '../lib/node/device-node';
import {
  evaluateTypedField,
  payloadField,
  toJsonObjectString,
  type TypedField,
} from '../lib/node/typed-fields';

/** `sync` waits for the device's answer; `async` only hands the call to the cloud. */
export type ActionMode = 'sync' | 'async';

export interface ActionConfig extends NodeDef, DeviceTargetConfig {
  account: string;
  /** Absent in flows saved before it existed: those stay synchronous. */
  mode?: ActionMode;
  actionId?: string;
  actionIdType?: string;
  inputParams?: string;
  inputParamsType?: string;
}

/** What `msg.iotexplorer` holds after a call, on success and (as far as known) on error. */
export interface ActionCallInfo extends CallInfo {
  action: 'AppCallDeviceActionSync' | 'AppCallDeviceActionAsync';
  productId?: string;
  deviceName?: string;
  actionId?: string;
  status?: string;
  clientToken?: string;
  outputParams?: string | null;
}

type ActionField = 'productId' | 'deviceName' | 'actionId';

const TARGET_SPECS = {
  ...DEVICE_TARGET_SPECS,
  actionId: { label: 'ActionId', msgProperty: 'actionId' },
};

/** The editor's fields, with the defaults a node added with only `account` set should get. */
export function actionFields(
  config: ActionConfig,
): Record<ActionField | 'inputParams', TypedField> {
  return {
    ...deviceTargetFields(config),
    actionId: { value: config.actionId ?? '', type: config.actionIdType || 'str' },
    inputParams: payloadField(config.inputParams, config.inputParamsType),
  };
}

export default function register(RED: NodeAPI): void {
  function IotExplorerActionNode(this: Node, config: ActionConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const fields = actionFields(config);
    const resolve = createFieldResolver<ActionField>(RED, node, fields, TARGET_SPECS);
    const async = config.mode === 'async';

    handleDeviceMessages<ActionCallInfo>(RED, node, {
      account: RED.nodes.getNode(config.account) as AccountNode | null,
      action: async ? 'AppCallDeviceActionAsync' : 'AppCallDeviceActionSync',
      async run(msg, { account, signal, info }) {
        info.productId = await resolve(msg, 'productId');
        info.deviceName = await resolve(msg, 'deviceName');
        info.actionId = await resolve(msg, 'actionId');
        const inputParams = toJsonObjectString(
          await evaluateTypedField(RED, node, fields.inputParams, msg),
          'InputParams',
        );
        try {
          const call = {
            productId: info.productId,
            deviceName: info.deviceName,
            actionId: info.actionId,
            inputParams,
          };
          const result = async
            ? await account.client.callDeviceActionAsync(call, { signal })
            : await account.client.callDeviceActionSync(call, { signal });
          Object.assign(info, result);
          msg.payload = parseOutputParams(result.outputParams);
          return result.status || 'OK';
        } catch (err) {
          // A failed Status arrives in a success envelope: keep what the reply said.
          if (err instanceof DeviceStatusError) {
            info.status = err.status;
            info.clientToken = err.clientToken;
          }
          throw err;
        }
      },
    });
  }

  RED.nodes.registerType('iot-explorer-action', IotExplorerActionNode);
}

module.exports = register;
