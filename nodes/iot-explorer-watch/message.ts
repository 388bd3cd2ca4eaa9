// The watch node's output: one message per change. A module of its own beside the node's, whose
// exports Node-RED replaces with its register function: tests and benchmarks import it here.
import type { NodeMessage } from 'node-red';
import type { DeviceRecord } from '../../lib/shared/home';
import type { WatchChange } from '../../lib/watch/device-watcher';

/**
 * The message for one change: topic `PID/DN/<what>`, the same for polled and pushed changes;
 * `device` (the record from the account's home) becomes `msg.iotexplorer.device`.
 */
export function changeMessage(change: WatchChange, device?: DeviceRecord): NodeMessage {
  const common: Record<string, unknown> = {
    action: change.action,
    productId: change.productId,
    deviceName: change.deviceName,
  };
  if (device) common.device = device;
  if (change.requestId !== undefined) common.requestId = change.requestId;
  common.initial = change.initial;
  common.source = change.source;
  if (change.gapFill) common.gapFill = true;
  switch (change.kind) {
    case 'online':
      return {
        topic: `${change.deviceId}/online`,
        payload: { online: change.online, was: change.was },
        iotexplorer: common,
      };
    case 'property':
      return {
        topic: `${change.deviceId}/${change.property}`,
        payload: {
          property: change.property,
          oldValue: change.oldValue,
          newValue: change.newValue,
        },
        iotexplorer: { ...common, property: change.property, lastUpdate: change.lastUpdate },
      };
    case 'event':
      return {
        topic: `${change.deviceId}/event/${change.eventId}`,
        payload: { eventId: change.eventId, type: change.eventType, params: change.params },
        iotexplorer: { ...common, eventId: change.eventId, time: change.time },
      };
    case 'actionReply':
      return {
        topic: `${change.deviceId}/action/${change.actionId || 'unknown'}`,
        payload: {
          actionId: change.actionId || null,
          clientToken: change.clientToken,
          code: change.code,
          status: change.status,
          response: change.response,
        },
        iotexplorer: { ...common, actionId: change.actionId || null, time: change.time },
      };
  }
}
