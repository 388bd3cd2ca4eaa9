import type { Node, NodeAPI, NodeDef } from 'node-red';
import type { DeviceStatus } from '../../lib/api/client';
import {
  handleCallMessages,
  type CallInfo,
  type CallMessage,
} from '../../lib/node/call-life-cycle';
import {
  createFieldResolver,
  DEVICE_TARGET_SPECS,
  overrideWarning,
} from '../../lib/node/typed-fields';
import { parseDeviceIds, storedDeviceIds } from '../../lib/node/device-ids';
import { getAccount } from '../../lib/account/account';
import { migrateStatus, type StoredStatus } from './settings';
import { deviceNotReported } from '../../lib/errors/errors';
import { isBlankLiteral } from '../../lib/node/typed-fields';
import { DeviceId } from '../../lib/shared/device-id';

export type StatusConfig = NodeDef & StoredStatus & { account: string };

/** What `msg.iotexplorer` holds after a status read. */
export interface StatusCallInfo extends CallInfo {
  action: 'AppGetDeviceStatuses';
  /** One device: its ids. */
  productId?: string;
  deviceName?: string;
  /** Many devices: every status the API reported. */
  devices?: DeviceStatus[];
  /** Many devices: the ids asked for that the API did not report (unknown or not bound). */
  missing?: string[];
  /** One RequestId per batch of 1000 ids. */
  requestIds?: string[];
}

export default function register(RED: NodeAPI): void {
  function IotExplorerStatusNode(this: Node, config: StatusConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const { devices, ...fields } = migrateStatus(config);
    const resolve = createFieldResolver(RED, node, fields, DEVICE_TARGET_SPECS);
    const fieldsBlank = isBlankLiteral(fields.productId) && isBlankLiteral(fields.deviceName);

    const warnOverridden = overrideWarning(RED, node);

    /**
     * Many devices when the node's own fields are blank: the node's list, else `msg.deviceIds`
     * (the same precedence as every field: the node's setting, else the message).
     */
    function requestedList(msg: CallMessage): string[] | undefined {
      if (!fieldsBlank) return undefined;
      const list = (msg as { deviceIds?: unknown }).deviceIds;
      const own = storedDeviceIds(devices);
      if (own.length > 0) {
        warnOverridden(list === undefined ? [] : ['msg.deviceIds']);
        return own;
      }
      return list !== undefined ? parseDeviceIds(list) : undefined;
    }

    handleCallMessages<StatusCallInfo>(RED, node, {
      account: getAccount(RED, config.account),
      action: 'AppGetDeviceStatuses',
      async run(msg, { account, callOptions, info }) {
        const list = requestedList(msg);
        let ids = list;
        if (ids === undefined) {
          info.productId = await resolve(msg, 'productId');
          info.deviceName = await resolve(msg, 'deviceName');
          // The device's names from the account's home; never waits for it (ids only until read).
          info.device = account.home.recordFor(info.productId, info.deviceName);
          ids = [DeviceId.format({ productId: info.productId, deviceName: info.deviceName })];
        }
        const result = await account.client.getDeviceStatuses(ids, callOptions);
        info.requestIds = result.requestIds;
        info.requestId = result.requestIds[result.requestIds.length - 1];
        const byId = new Map(result.statuses.map((s) => [s.deviceId, s]));
        if (list === undefined) {
          const status = byId.get(ids[0]);
          if (!status) {
            // The API leaves out devices it does not know or the user may not see.
            throw deviceNotReported(result.requestIds[result.requestIds.length - 1]);
          }
          msg.payload = status.online;
          return RED._(`iot-explorer-status.status.${status.online ? 'online' : 'offline'}`);
        }
        const payload: Record<string, boolean> = {};
        for (const id of ids) {
          const status = byId.get(id);
          if (status) payload[id] = status.online;
        }
        info.devices = result.statuses.map((s) => ({
          ...s,
          device: account.home.recordFor(s.productId, s.deviceName),
        }));
        info.missing = ids.filter((id) => !byId.has(id));
        msg.payload = payload;
        const online = Object.values(payload).filter(Boolean).length;
        return `${online}/${Object.keys(payload).length}`;
      },
    });
  }

  RED.nodes.registerType('iot-explorer-status', IotExplorerStatusNode);
}

module.exports = register;
