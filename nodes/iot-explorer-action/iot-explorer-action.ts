import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import type { CallOptions } from '../../lib/api/contracts';
import type { DeviceActionResult } from '../../lib/api/client';
import type { IotExplorerAccount } from '../../lib/account/account';
import { IotExplorerError, LocalErrorCode } from '../../lib/errors/errors';
import type { DeviceRecord } from '../../lib/shared/home';
import { ACCOUNT_NAMESPACE } from '../../lib/shared/palette';
import { runOnSelection, selectionConfigError, type DeviceStep } from '../../lib/node/selection';
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
  /** The device's record from the account's home (one device; ids only until the home is read). */
  device?: DeviceRecord;
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
    const { inputParams: inputField, mode, selection: stored, ...fields } = migrateAction(config);
    const { selection } = stored;
    const configError = selectionConfigError(stored);
    const resolve = createFieldResolver<ActionField>(RED, node, fields, TARGET_SPECS);
    const async = mode === 'async';

    const readInput = async (msg: NodeMessage): Promise<string | undefined> =>
      toJsonObjectString(await evaluateTypedField(RED, node, inputField, msg), 'InputParams');

    const call = (
      account: IotExplorerAccount,
      device: { productId: string; deviceName: string },
      actionId: string,
      inputParams: string | undefined,
      callOptions: CallOptions,
    ): Promise<DeviceActionResult> => {
      const request = {
        productId: device.productId,
        deviceName: device.deviceName,
        actionId,
        inputParams,
      };
      return async
        ? account.client.callDeviceActionAsync(request, callOptions)
        : account.client.callDeviceActionSync(request, callOptions);
    };

    /**
     * One device of a selection: skipped when its product's data template has no such action
     * (a product without a template read is called: the service says), else called.
     */
    const callOne = async (
      account: IotExplorerAccount,
      device: DeviceRecord,
      actionId: string,
      inputParams: string | undefined,
      callOptions: CallOptions,
    ): Promise<DeviceStep> => {
      const template = await account.client.templates.get(device.productId, callOptions);
      if (template && !template.actions.some((action) => action.id === actionId)) {
        return {
          skip: new IotExplorerError({
            code: LocalErrorCode.InvalidField,
            key: 'selection.lacksAction',
            params: { device: device.deviceId, actionId },
            notSent: true,
          }),
        };
      }
      const result = await call(account, device, actionId, inputParams, callOptions);
      return {
        done: {
          payload: parseOutputParams(result.outputParams),
          requestId: result.requestId,
          status: result.status,
          clientToken: result.clientToken,
        },
      };
    };

    if (configError) node.status({ fill: 'red', shape: 'ring', text: configError.code });

    handleCallMessages<ActionCallInfo>(RED, node, {
      account: getAccount(RED, config.account),
      action: async ? 'AppCallDeviceActionAsync' : 'AppCallDeviceActionSync',
      async run(msg, { account, callOptions, info }) {
        if (configError) throw configError;
        if (selection.mode === 'filter' && selection.filter) {
          info.actionId = await resolve(msg, 'actionId');
          const inputParams = await readInput(msg);
          const actionId = info.actionId;
          const done = await runOnSelection(RED, {
            account,
            filter: selection.filter,
            callOptions,
            msg,
            info,
            lacking: actionId,
            step: (device) => callOne(account, device, actionId, inputParams, callOptions),
          });
          return RED._(`${ACCOUNT_NAMESPACE}:status.selection`, {
            count: done.count,
            skipped: done.skipped.length,
          });
        }
        const device = {
          productId: (info.productId = await resolve(msg, 'productId')),
          deviceName: (info.deviceName = await resolve(msg, 'deviceName')),
        };
        info.device = account.home.recordFor(device.productId, device.deviceName);
        info.actionId = await resolve(msg, 'actionId');
        const inputParams = await readInput(msg);
        try {
          const result = await call(account, device, info.actionId, inputParams, callOptions);
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
