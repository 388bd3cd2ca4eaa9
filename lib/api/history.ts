// A device's past: a property's values (AppGetDeviceDataHistory) and its events
// (AppListEventHistory), read page by page to the end within a bound on points.

import type { ApiRequester, CallOptions } from './contracts';
import { readPages, type CutShort } from './paging';
import type { TemplateCache } from './template-cache';
import { asText, records } from './envelope';
import type { DeviceId } from '../shared/device-id';
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

export interface PropertyHistoryRequest extends DeviceId, HistoryRange {
  /** The property id (the API's FieldName). */
  property: string;
}

export interface EventHistoryRequest extends DeviceId, HistoryRange {
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
  /**
   * True when the series stopped before the end of its range: at maxPoints, or at the page or
   * byte bound ({@link PagedResult.cutShort} says which).
   */
  maxPointsReached: boolean;
  /** Why the series stopped early; absent when it was read to its end. */
  cutShort?: HistoryCutShort;
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
  /** The reply's size in bytes, counted against the read's budget (0 when unknown). */
  bytes?: number;
}

/** Reads Listover, which comes as a boolean, a "true"/"false" text or 0/1. */
export function readListover(value: unknown): boolean | undefined {
  if (value === true || value === 'true' || value === 1 || value === '1') return true;
  if (value === false || value === 'false' || value === 0 || value === '0') return false;
  return undefined;
}

/** Reply bytes a history read may take per point it may keep: room for long text values. */
export const HISTORY_BYTES_PER_POINT = 2048;
/** The byte budget of a history read is never below this (1 MiB) … */
export const MIN_HISTORY_BYTES = 1024 * 1024;
/** … nor above this (32 MiB), whatever its point bound: a reply is read into memory whole. */
export const MAX_HISTORY_BYTES = 32 * 1024 * 1024;

/** The reply bytes a history read of `maxPoints` may take over all its pages. */
export function historyByteBudget(maxPoints: number): number {
  return Math.min(
    MAX_HISTORY_BYTES,
    Math.max(MIN_HISTORY_BYTES, maxPoints * HISTORY_BYTES_PER_POINT),
  );
}

/**
 * Why a history stopped before the end of its range: the node's point bound (`maxPoints`), the
 * page bound ({@link MAX_HISTORY_PAGES}), or the byte budget of its replies (`size`).
 */
export type HistoryCutShort = 'maxPoints' | 'pages' | 'size';

const HISTORY_CUT_SHORT: Record<CutShort, HistoryCutShort> = {
  items: 'maxPoints',
  pages: 'pages',
  bytes: 'size',
};

/**
 * Follows a history's pages to its end within `maxPoints` items. The doc says `Listover` true
 * means "more to read", the H5 panels and the cloud API read it as "all returned" (reference:
 * docs/scenes-history-api.md); this pager reads it both ways. In either reading `Listover` keeps one
 * value while pages remain and changes on the last page: so the series ends on the page where
 * it changes. The first page alone cannot tell which reading the service uses (nor can its
 * length: a service may send fewer points than asked), so a second page is always asked for
 * when the first gave points and a Context. Whatever Listover says, an empty page, a missing or
 * repeated `Context`, the point bound, the byte budget ({@link historyByteBudget}) and
 * {@link MAX_HISTORY_PAGES} end the series too; the paging itself is the client's one loop
 * (lib/api/paging.ts).
 */
export async function followHistoryPages(
  fetchPage: (context: string, limit: number, maxBytes: number) => Promise<HistoryPage>,
  bounds: { maxPoints: number; pageSize: number; maxBytes?: number },
): Promise<{
  items: Record<string, unknown>[];
  requestIds: string[];
  maxPointsReached: boolean;
  cutShort?: HistoryCutShort;
}> {
  const seenContexts = new Set<string>();
  let firstListover: boolean | undefined;
  let page = 0;
  const read = await readPages<string>(
    '',
    async (context, ask) => {
      const reply = await fetchPage(context, ask.limit, ask.maxBytes);
      const first = page === 0;
      page += 1;
      if (first) firstListover = reply.listover;
      seenContexts.add(context);
      const listoverChanged =
        !first &&
        reply.listover !== undefined &&
        firstListover !== undefined &&
        reply.listover !== firstListover;
      const stuck = reply.context === '' || seenContexts.has(reply.context);
      return {
        requestId: reply.requestId,
        items: reply.items,
        bytes: reply.bytes ?? 0,
        last: listoverChanged,
        next: stuck ? undefined : reply.context,
      };
    },
    {
      maxItems: bounds.maxPoints,
      maxBytes: bounds.maxBytes ?? historyByteBudget(bounds.maxPoints),
      maxPages: MAX_HISTORY_PAGES,
    },
    bounds.pageSize,
  );
  const cutShort = read.cutShort && HISTORY_CUT_SHORT[read.cutShort];
  return {
    items: read.items,
    requestIds: read.requestIds,
    maxPointsReached: cutShort !== undefined,
    ...(cutShort ? { cutShort } : {}),
  };
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
    async (context, limit, maxBytes) => {
      const { requestId, data, bytes } = await client.request(
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
        { ...options, maxReplyBytes: maxBytes },
      );
      return {
        requestId,
        // Only what a point needs is kept, so the points held stay small whatever the reply held.
        items: records(data.Results).map(({ Time, Value }) => ({ Time, Value })),
        context: asText(data.Context),
        listover: readListover(data.Listover),
        bytes,
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
    ...(paged.cutShort ? { cutShort: paged.cutShort } : {}),
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
    async (context, limit, maxBytes) => {
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
      const { requestId, data, bytes } = await client.request('AppListEventHistory', params, {
        ...options,
        maxReplyBytes: maxBytes,
      });
      return {
        requestId,
        items: records(data.EventHistory).map(({ TimeStamp, EventId, Type, Data }) => ({
          TimeStamp,
          EventId,
          Type,
          Data,
        })),
        context: asText(data.Context),
        listover: readListover(data.Listover),
        bytes,
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
  return {
    requestIds: paged.requestIds,
    maxPointsReached: paged.maxPointsReached,
    ...(paged.cutShort ? { cutShort: paged.cutShort } : {}),
    events,
  };
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
