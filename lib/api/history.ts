// A device's past: a property's values (AppGetDeviceDataHistory) and its events
// (AppListEventHistory), read page by page to the end within a bound on points.

import type { ApiRequester } from './paging';
import type { TemplateCache } from './template-cache';
import type { CallOptions, DeviceTarget } from './client';
import { asText } from './envelope';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';
import { readTemplateValue } from '../shared/data-template';

import { DEFAULT_MAX_POINTS, type EventType } from '../shared/history';

export {
  DEFAULT_MAX_POINTS,
  MAX_POINTS_LIMIT,
  EVENT_TYPES,
  type EventType,
} from '../shared/history';
/** Points asked per page. The doc gives no maximum; paging copes with a service that sends fewer. */
export const HISTORY_PAGE_SIZE = 500;
/** Events asked per page (`Size`): the H5 panels ask for far fewer; 100 stays modest. */
export const EVENT_PAGE_SIZE = 100;
/** A page count no real series needs: stops a service that never says it is done. */
export const MAX_HISTORY_PAGES = 1000;

interface HistoryRange {
  /** ms since the epoch, inclusive. */
  from: number;
  /** ms since the epoch. */
  to: number;
  /** Stop after this many points ({@link DEFAULT_MAX_POINTS}). */
  maxPoints?: number;
  /** Points asked per page ({@link HISTORY_PAGE_SIZE}, events {@link EVENT_PAGE_SIZE}). */
  pageSize?: number;
}

export interface PropertyHistoryRequest extends DeviceTarget, HistoryRange {
  /** The property id (the API's FieldName). */
  property: string;
}

export interface EventHistoryRequest extends DeviceTarget, HistoryRange {
  /** Only this event; blank or undefined for all. */
  eventId?: string;
  type?: EventType;
}

export interface HistoryPoint {
  /** ms since the epoch. */
  time: number;
  /** Typed by the data template; the API's text when it does not read as the template's type. */
  value: unknown;
}

export interface EventRecord {
  /** ms since the epoch. */
  time: number;
  eventId: string;
  /** alert, fault or info. */
  type: string;
  /** The event's parameters (the reply's Data JSON), or the raw text when it is not JSON. */
  data: unknown;
}

interface PagedResult {
  /** One per page asked. */
  requestIds: string[];
  /** True when the series stopped at maxPoints (or at the page bound) rather than at its end. */
  maxPointsReached: boolean;
}

export interface PropertyHistoryResult extends PagedResult {
  /** Oldest first. */
  points: HistoryPoint[];
  /** Whether the values were typed by the product's data template (false: it could not be read). */
  templateChecked: boolean;
  /** How many values did not read as the template's type and were kept as the API's text. */
  untypedValues: number;
}

export interface EventHistoryResult extends PagedResult {
  /** Oldest first. */
  events: EventRecord[];
}

/** One page of a history reply, as the pager needs it. */
export interface HistoryPage {
  requestId: string;
  items: Record<string, unknown>[];
  context: string;
  /** The reply's Listover as a boolean; undefined when it had none. */
  listover: boolean | undefined;
}

/** Reads Listover, which comes as a boolean, a "true"/"false" text or 0/1. */
export function readListover(value: unknown): boolean | undefined {
  if (value === true || value === 'true' || value === 1 || value === '1') return true;
  if (value === false || value === 'false' || value === 0 || value === '0') return false;
  return undefined;
}

/**
 * Follows a history's pages to its end within `maxPoints` items. The doc says `Listover` true
 * means "more to read", the H5 panels and the cloud API read it as "all returned" (reference:
 * scenes-history.md); this pager reads it both ways. In either reading `Listover` keeps one
 * value while pages remain and changes on the last page: so the series ends on the page where
 * it changes. The first page alone cannot tell which reading the service uses (nor can its
 * length: a service may send fewer points than asked), so a second page is always asked for
 * when the first gave points and a Context. Whatever Listover says, an empty page, a missing or
 * repeated `Context`, the point bound and {@link MAX_HISTORY_PAGES} end the series too.
 */
export async function followHistoryPages(
  fetchPage: (context: string, limit: number) => Promise<HistoryPage>,
  bounds: { maxPoints: number; pageSize: number },
): Promise<{ items: Record<string, unknown>[]; requestIds: string[]; maxPointsReached: boolean }> {
  const items: Record<string, unknown>[] = [];
  const requestIds: string[] = [];
  const seenContexts = new Set<string>();
  let context = '';
  let firstListover: boolean | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const limit = Math.min(bounds.pageSize, bounds.maxPoints - items.length);
    const reply = await fetchPage(context, limit);
    requestIds.push(reply.requestId);
    items.push(...reply.items.slice(0, bounds.maxPoints - items.length));
    if (reply.items.length === 0) return { items, requestIds, maxPointsReached: false };
    if (page === 0) {
      firstListover = reply.listover;
    } else if (
      reply.listover !== undefined &&
      firstListover !== undefined &&
      reply.listover !== firstListover
    ) {
      return { items, requestIds, maxPointsReached: false };
    }
    if (items.length >= bounds.maxPoints) return { items, requestIds, maxPointsReached: true };
    seenContexts.add(context);
    if (reply.context === '' || seenContexts.has(reply.context)) {
      return { items, requestIds, maxPointsReached: false };
    }
    context = reply.context;
  }
  return { items, requestIds, maxPointsReached: true };
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];
}

/** A reply time as ms: the API gives ms as text for data, and seconds or ms for events. */
function toMs(value: unknown): number | undefined {
  const n = Number(asText(value).trim() || NaN);
  if (!Number.isFinite(n) || n < 0) return undefined;
  // 1e11 ms is March 1973, 1e11 s is the year 5138: a smaller number is seconds.
  return n < 1e11 ? n * 1000 : n;
}

function bounds(request: HistoryRange, pageSize: number): { maxPoints: number; pageSize: number } {
  return {
    maxPoints: request.maxPoints ?? DEFAULT_MAX_POINTS,
    pageSize: request.pageSize ?? pageSize,
  };
}

/**
 * `AppGetDeviceDataHistory`, every page within the bound. The property must be one of the
 * product's data template (checked before anything is sent, when the template can be read);
 * each value is typed by it, and one that does not read as its type keeps the API's text.
 */
export async function getPropertyHistory(
  client: ApiRequester & { templates: TemplateCache },
  request: PropertyHistoryRequest,
  options: CallOptions = {},
): Promise<PropertyHistoryResult> {
  const template = await client.templates.get(request.productId, options);
  const property = template?.properties.find((p) => p.id === request.property);
  if (template && !property) {
    throw new IotExplorerError({
      code: LocalErrorCode.InvalidField,
      key: 'template.unknownProperty',
      params: {
        property: request.property,
        known: template.properties.map((p) => p.id).join(', '),
      },
      notSent: true,
    });
  }
  const paged = await followHistoryPages(
    async (context, limit) => {
      const { requestId, data } = await client.request(
        'AppGetDeviceDataHistory',
        {
          ProductId: request.productId,
          DeviceName: request.deviceName,
          FieldName: request.property,
          MinTime: request.from,
          MaxTime: request.to,
          Limit: limit,
          Context: context,
        },
        options,
      );
      return {
        requestId,
        items: records(data.Results),
        context: asText(data.Context),
        listover: readListover(data.Listover),
      };
    },
    bounds(request, HISTORY_PAGE_SIZE),
  );
  let untypedValues = 0;
  const points: HistoryPoint[] = [];
  for (const item of paged.items) {
    const time = toMs(item.Time);
    if (time === undefined) continue;
    const typed = property ? readTemplateValue(property.define, item.Value) : undefined;
    if (property && !typed) untypedValues += 1;
    points.push({ time, value: typed ? typed.value : item.Value });
  }
  points.sort((a, b) => a.time - b.time);
  return {
    requestIds: paged.requestIds,
    maxPointsReached: paged.maxPointsReached,
    points,
    templateChecked: template !== undefined,
    untypedValues,
  };
}

/** `AppListEventHistory`, every page within the bound (the API takes UNIX seconds). */
export async function getEventHistory(
  client: ApiRequester,
  request: EventHistoryRequest,
  options: CallOptions = {},
): Promise<EventHistoryResult> {
  const paged = await followHistoryPages(
    async (context, limit) => {
      const params: Record<string, unknown> = {
        ProductId: request.productId,
        DeviceName: request.deviceName,
        Type: request.type ?? '',
        StartTime: Math.floor(request.from / 1000),
        EndTime: Math.ceil(request.to / 1000),
        Context: context,
        Size: limit,
      };
      if (request.eventId) params.EventId = request.eventId;
      const { requestId, data } = await client.request('AppListEventHistory', params, options);
      return {
        requestId,
        items: records(data.EventHistory),
        context: asText(data.Context),
        listover: readListover(data.Listover),
      };
    },
    bounds(request, EVENT_PAGE_SIZE),
  );
  const events: EventRecord[] = [];
  for (const item of paged.items) {
    const time = toMs(item.TimeStamp);
    if (time === undefined) continue;
    events.push({
      time,
      eventId: asText(item.EventId),
      type: asText(item.Type),
      data: parseEventData(item.Data),
    });
  }
  events.sort((a, b) => a.time - b.time);
  return { requestIds: paged.requestIds, maxPointsReached: paged.maxPointsReached, events };
}

function parseEventData(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? {};
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
