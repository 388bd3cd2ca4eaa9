import type { Node, NodeAPI, NodeDef } from 'node-red';
import { parseOutputParams } from '../../lib/api/envelope';
import { ActionStatusError } from '../../lib/errors/errors';
import { handleCallMessages, type CallInfo } from '../../lib/node/call-life-cycle';
import { createFieldResolver, DEVICE_TARGET_SPECS } from '../../lib/node/typed-fields';
import { getAccount } from '../../lib/account/account';
import { migrateAction, type StoredAction } from './settings';
import { evaluateTypedField, toJsonObjectString } from '../../lib/node/typed-fields';

export type { ActionMode } from './settings';

export interface ActionConfig extends NodeDef, StoredAction {
  account: string;
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

export default function register(RED: NodeAPI): void {
  function IotExplorerActionNode(this: Node, config: ActionConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const { inputParams: inputField, mode, ...fields } = migrateAction(config);
    const resolve = createFieldResolver<ActionField>(RED, node, fields, TARGET_SPECS);
    const async = mode === 'async';

    handleCallMessages<ActionCallInfo>(RED, node, {
      account: getAccount(RED, config.account),
      action: async ? 'AppCallDeviceActionAsync' : 'AppCallDeviceActionSync',
      async run(msg, { account, callOptions, info }) {
        info.productId = await resolve(msg, 'productId');
        info.deviceName = await resolve(msg, 'deviceName');
        info.actionId = await resolve(msg, 'actionId');
        const inputParams = toJsonObjectString(
          await evaluateTypedField(RED, node, inputField, msg),
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
            ? await account.client.callDeviceActionAsync(call, callOptions)
            : await account.client.callDeviceActionSync(call, callOptions);
          Object.assign(info, result);
          msg.payload = parseOutputParams(result.outputParams);
          return result.status || 'OK';
        } catch (err) {
          // A failed Status arrives in a success envelope: keep what the reply said.
          if (err instanceof ActionStatusError) {
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
