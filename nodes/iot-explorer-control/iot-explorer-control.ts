import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import type { CallOptions } from '../../lib/api/contracts';
import type { IotExplorerAccount } from '../../lib/account/account';
import type { DeviceRecord } from '../../lib/shared/home';
import { runOnSelection, selectionConfigError, type DeviceStep } from '../../lib/node/selection';
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
  /** The device's record from the account's home (one device; ids only until the home is read). */
  device?: DeviceRecord;
}

export default function register(RED: NodeAPI): void {
  function IotExplorerControlNode(this: Node, config: ControlConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    // Control data: an object of property id → value, or a string holding one.
    const { data: dataField, selection: stored, ...fields } = migrateControl(config);
    const { selection } = stored;
    const configError = selectionConfigError(stored);
    const resolve = createFieldResolver(RED, node, fields, DEVICE_TARGET_SPECS);
    let warnedUnchecked = false;

    const warnUnchecked = (productId: string): void => {
      if (warnedUnchecked) return;
      warnedUnchecked = true;
      node.warn(RED._(`${ACCOUNT_NAMESPACE}:warn.uncheckedData`, { productId }));
    };

    /** The message's control data: a non-empty object of property id → value. */
    const readValues = async (msg: NodeMessage): Promise<Record<string, unknown>> => {
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
      return values;
    };

    /**
     * One device of a selection: skipped when its product's data template lacks one of the
     * properties, failed when it refuses a value, else controlled.
     */
    const controlOne = async (
      account: IotExplorerAccount,
      device: DeviceRecord,
      values: Record<string, unknown>,
      data: string,
      callOptions: CallOptions,
    ): Promise<DeviceStep> => {
      const { productId, deviceName } = device;
      const template = await account.client.templates.get(productId, callOptions);
      if (template) {
        const problem = checkControlData(template, values);
        if (problem?.key === 'template.unknownProperty') {
          return {
            skip: new IotExplorerError({
              code: LocalErrorCode.InvalidData,
              key: 'selection.unknownPropertySkipped',
              params: { device: device.deviceId, property: problem.params.property },
              notSent: true,
            }),
          };
        }
        if (problem) throw templateProblemError(problem);
      } else warnUnchecked(productId);
      const result = await account.client.controlDeviceData(
        { productId, deviceName, data },
        callOptions,
      );
      return { done: { payload: values, requestId: result.requestId } };
    };

    if (configError) node.status({ fill: 'red', shape: 'ring', text: configError.code });

    handleCallMessages<ControlCallInfo>(RED, node, {
      account: getAccount(RED, config.account),
      action: 'AppControlDeviceData',
      async run(msg, { account, callOptions, info }) {
        if (configError) throw configError;
        const values = await readValues(msg);
        info.data = JSON.stringify(values);
        if (selection.mode === 'filter' && selection.filter) {
          const done = await runOnSelection(RED, {
            account,
            filter: selection.filter,
            callOptions,
            msg,
            info,
            lacking: Object.keys(values).join(', '),
            step: (device) => controlOne(account, device, values, info.data!, callOptions),
          });
          return RED._(`${ACCOUNT_NAMESPACE}:status.selection`, {
            count: done.count,
            skipped: done.skipped.length,
          });
        }
        info.productId = await resolve(msg, 'productId');
        info.deviceName = await resolve(msg, 'deviceName');
        info.device = account.home.recordFor(info.productId, info.deviceName);
        const template = await account.client.templates.get(info.productId, callOptions);
        info.templateChecked = template !== undefined;
        if (template) {
          const problem = checkControlData(template, values);
          if (problem) throw templateProblemError(problem);
        } else warnUnchecked(info.productId);
        const result = await account.client.controlDeviceData(
          { productId: info.productId, deviceName: info.deviceName, data: info.data },
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
