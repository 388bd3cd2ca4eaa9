import type { Node, NodeAPI, NodeDef } from 'node-red';
import { checkControlData } from '../../lib/shared/data-template';
import { handleCallMessages, type CallInfo } from '../../lib/node/call-life-cycle';
import { createFieldResolver, DEVICE_TARGET_SPECS } from '../../lib/node/typed-fields';
import { getAccount } from '../../lib/account/account';
import { migrateControl, type StoredControl } from './settings';
import { IotExplorerError, LocalErrorCode, templateProblemError } from '../../lib/errors/errors';
import { ACCOUNT_NAMESPACE } from '../../lib/shared/palette';
import { evaluateTypedField, toJsonObjectString } from '../../lib/node/typed-fields';

export interface ControlConfig extends NodeDef, StoredControl {
  account: string;
}

/** What `msg.iotexplorer` holds after a control call. */
export interface ControlCallInfo extends CallInfo {
  action: 'AppControlDeviceData';
  productId?: string;
  deviceName?: string;
  /** The Data JSON string sent. */
  data?: string;
  /** Whether the values were checked against the product's data template before sending. */
  templateChecked?: boolean;
}

export default function register(RED: NodeAPI): void {
  function IotExplorerControlNode(this: Node, config: ControlConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    // Control data: an object of property id → value, or a string holding one.
    const { data: dataField, ...fields } = migrateControl(config);
    const resolve = createFieldResolver(RED, node, fields, DEVICE_TARGET_SPECS);
    let warnedUnchecked = false;

    handleCallMessages<ControlCallInfo>(RED, node, {
      account: getAccount(RED, config.account),
      action: 'AppControlDeviceData',
      async run(msg, { account, callOptions, info }) {
        info.productId = await resolve(msg, 'productId');
        info.deviceName = await resolve(msg, 'deviceName');
        const raw = await evaluateTypedField(RED, node, dataField, msg);
        const data = toJsonObjectString(raw, 'Data', LocalErrorCode.InvalidData);
        const values = data === undefined ? {} : (JSON.parse(data) as Record<string, unknown>);
        if (data === undefined || Object.keys(values).length === 0) {
          throw new IotExplorerError({
            code: LocalErrorCode.MissingField,
            key: 'missingField',
            params: {
              field: 'Data',
              msgProperty: dataField.type === 'msg' ? dataField.value : 'payload',
            },
          });
        }
        const template = await account.client.templates.get(info.productId, callOptions);
        info.templateChecked = template !== undefined;
        if (template) {
          const problem = checkControlData(template, values);
          if (problem) throw templateProblemError(problem);
        } else if (!warnedUnchecked) {
          warnedUnchecked = true;
          node.warn(
            RED._(`${ACCOUNT_NAMESPACE}:warn.uncheckedData`, { productId: info.productId }),
          );
        }
        info.data = data;
        const result = await account.client.controlDeviceData(
          { productId: info.productId, deviceName: info.deviceName, data },
          callOptions,
        );
        info.requestId = result.requestId;
        return Object.keys(values).join(', ');
      },
    });
  }

  RED.nodes.registerType('iot-explorer-control', IotExplorerControlNode);
}

module.exports = register;
