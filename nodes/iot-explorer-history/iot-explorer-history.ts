import type { Node, NodeAPI, NodeDef } from 'node-red';
import type { EventRecord, HistoryCutShort, HistoryPoint } from '../../lib/api/history';
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
import { getAccount } from '../../lib/account/account';
import { migrateHistory, type HistoryOutput, type StoredHistory } from './settings';
import { lastRange, messageRange, readMaxPoints, type TimeRange } from '../../lib/node/time-range';

export type { HistoryKind, HistoryOutput } from './settings';

export interface HistoryConfig extends NodeDef, StoredHistory {
  account: string;
}

/** What `msg.iotexplorer` holds after a history read. */
export interface HistoryCallInfo extends CallInfo {
  action: 'AppGetDeviceDataHistory' | 'AppListEventHistory';
  productId?: string;
  deviceName?: string;
  property?: string;
  eventId?: string;
  eventType?: string;
  /** The range read, ms since the epoch. */
  start?: number;
  end?: number;
  /** How many points (or events) msg.payload holds. */
  count?: number;
  maxPoints?: number;
  /** True when the series stopped at maxPoints: there may be more in the range. */
  maxPointsReached?: boolean;
  /** Why the series stopped early (maxPoints, or the read's page or size bound); absent when read to its end. */
  cutShort?: HistoryCutShort;
  /** property: values kept as the API's text because they did not read as the template's type. */
  untypedValues?: number;
  /** property: whether the values were typed by the product's data template. */
  templateChecked?: boolean;
  /** One per page read. */
  requestIds?: string[];
}

/** A property's points in the chosen output shape. */
function propertyPayload(points: HistoryPoint[], output: HistoryOutput): unknown[] {
  return output === 'chart'
    ? points.map((p) => ({ x: p.time, y: p.value }))
    : points.map((p) => ({ time: p.time, value: p.value }));
}

/** Events in the chosen output shape: on a chart, each is a point at its time named by its id. */
function eventPayload(events: EventRecord[], output: HistoryOutput): unknown[] {
  return output === 'chart'
    ? events.map((e) => ({ x: e.time, y: e.eventId, type: e.type, data: e.data }))
    : events.map((e) => ({ time: e.time, eventId: e.eventId, type: e.type, data: e.data }));
}

export default function register(RED: NodeAPI): void {
  function IotExplorerHistoryNode(this: Node, config: HistoryConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const settings = migrateHistory(config);
    const { kind, output, eventType, eventId, range } = settings;
    const device = createFieldResolver(
      RED,
      node,
      { productId: settings.productId, deviceName: settings.deviceName },
      DEVICE_TARGET_SPECS,
    );
    const property = createFieldResolver(
      RED,
      node,
      { property: settings.property },
      { property: { label: 'property', msgProperty: 'property' } },
    );
    // Blank (saved so): msg.start / msg.end.
    const fixedRange = range.trim() !== '';
    const warnOverridden = overrideWarning(RED, node);
    let warnedLimit = false;
    let warnedUntyped = false;

    /** The node's "last N …" when set (the node's setting wins), else msg.start / msg.end. */
    function rangeFor(msg: CallMessage): TimeRange {
      const { start, end } = msg as { start?: unknown; end?: unknown };
      const now = Date.now();
      if (fixedRange) {
        warnOverridden(() =>
          [start !== undefined && 'msg.start', end !== undefined && 'msg.end'].filter(
            (p): p is string => p !== false,
          ),
        );
        return lastRange(range, settings.rangeUnit, now);
      }
      return messageRange(start, end, now);
    }

    handleCallMessages<HistoryCallInfo>(RED, node, {
      account: getAccount(RED, config.account),
      action: kind === 'event' ? 'AppListEventHistory' : 'AppGetDeviceDataHistory',
      async run(msg, { account, callOptions, info }) {
        info.productId = await device(msg, 'productId');
        info.deviceName = await device(msg, 'deviceName');
        // The device's names from the account's home; never waits for it (ids only until read).
        info.device = account.home.recordFor(info.productId, info.deviceName);
        const target = { productId: info.productId, deviceName: info.deviceName };
        const propertyId = kind === 'property' ? await property(msg, 'property') : undefined;
        if (propertyId !== undefined) info.property = propertyId;
        const range = rangeFor(msg);
        info.start = range.from;
        info.end = range.to;
        const maxPoints = readMaxPoints(settings.maxPoints);
        info.maxPoints = maxPoints;
        const request = { ...target, ...range, maxPoints };
        let count: number;
        if (propertyId !== undefined) {
          const result = await account.client.getPropertyHistory(
            { ...request, property: propertyId },
            callOptions,
          );
          info.requestIds = result.requestIds;
          info.templateChecked = result.templateChecked;
          info.untypedValues = result.untypedValues;
          info.maxPointsReached = result.maxPointsReached;
          if (result.cutShort) info.cutShort = result.cutShort;
          msg.payload = propertyPayload(result.points, output);
          count = result.points.length;
          if (!result.templateChecked && !warnedUntyped) {
            warnedUntyped = true;
            node.warn(RED._('iot-explorer-history.warn.untyped', { productId: info.productId }));
          }
        } else {
          if (eventId) info.eventId = eventId;
          if (eventType) info.eventType = eventType;
          const result = await account.client.getEventHistory(
            { ...request, eventId: eventId || undefined, type: eventType },
            callOptions,
          );
          info.requestIds = result.requestIds;
          info.maxPointsReached = result.maxPointsReached;
          if (result.cutShort) info.cutShort = result.cutShort;
          msg.payload = eventPayload(result.events, output);
          count = result.events.length;
        }
        info.count = count;
        info.requestId = info.requestIds[info.requestIds.length - 1];
        if (info.maxPointsReached && !warnedLimit) {
          warnedLimit = true;
          node.warn(
            info.cutShort === undefined || info.cutShort === 'maxPoints'
              ? RED._('iot-explorer-history.warn.maxPoints', { max: maxPoints })
              : RED._('iot-explorer-history.warn.cutShort', { count, reason: info.cutShort }),
          );
        }
        return RED._(
          `iot-explorer-history.status.${info.maxPointsReached ? 'pointsLimit' : 'points'}`,
          { count },
        );
      },
    });
  }

  RED.nodes.registerType('iot-explorer-history', IotExplorerHistoryNode);
}

module.exports = register;
