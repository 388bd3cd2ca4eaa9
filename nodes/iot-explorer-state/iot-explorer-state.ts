import type { Node, NodeAPI, NodeDef } from 'node-red';
import { handleCallMessages, type CallInfo } from '../../lib/node/call-life-cycle';
import { createFieldResolver, DEVICE_TARGET_SPECS } from '../../lib/node/typed-fields';
import { getAccount } from '../../lib/account/account';
import { migrateState, type StoredState } from './settings';

export interface StateConfig extends NodeDef, StoredState {
  account: string;
}

/** What `msg.iotexplorer` holds after a state read. */
export interface StateCallInfo extends CallInfo {
  action: 'AppGetDeviceData';
  productId?: string;
  deviceName?: string;
  /** Property id → the time (ms) the device last reported it, null when unknown. */
  lastUpdate?: Record<string, number | null>;
}

export default function register(RED: NodeAPI): void {
  function IotExplorerStateNode(this: Node, config: StateConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const { properties: wanted, ...fields } = migrateState(config);
    const resolve = createFieldResolver(RED, node, fields, DEVICE_TARGET_SPECS);

    handleCallMessages<StateCallInfo>(RED, node, {
      account: getAccount(RED, config.account),
      action: 'AppGetDeviceData',
      async run(msg, { account, callOptions, info }) {
        info.productId = await resolve(msg, 'productId');
        info.deviceName = await resolve(msg, 'deviceName');
        // The device's names from the account's home; never waits for it (ids only until read).
        info.device = account.home.recordFor(info.productId, info.deviceName);
        const result = await account.client.getDeviceData(
          { productId: info.productId, deviceName: info.deviceName },
          callOptions,
        );
        info.requestId = result.requestId;
        const ids = wanted.length > 0 ? wanted : Object.keys(result.properties);
        const values: Record<string, unknown> = {};
        const lastUpdate: Record<string, number | null> = {};
        for (const id of ids) {
          const reading = result.properties[id];
          // A listed property the device never reported is absent rather than invented.
          if (reading === undefined) continue;
          values[id] = reading.value;
          lastUpdate[id] = reading.lastUpdate;
        }
        info.lastUpdate = lastUpdate;
        msg.payload = values;
        const times = Object.values(lastUpdate).filter((t): t is number => t !== null);
        return times.length > 0
          ? new Date(Math.max(...times)).toLocaleTimeString()
          : `${Object.keys(values).length}`;
      },
    });
  }

  RED.nodes.registerType('iot-explorer-state', IotExplorerStateNode);
}

module.exports = register;
