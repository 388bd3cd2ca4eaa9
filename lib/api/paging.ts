// The one paging loop of the API client, and the read budget every paged call is held to: a
// hostile or broken endpoint that pages forever (or sends huge pages) stops at the budget, so one
// message cannot fill Node-RED's memory.

import type { ApiRequester, CallOptions } from './contracts';
import { records } from './envelope';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';
import { isReplyTooLarge } from './transport';

/** The API's page size limit for Offset/Limit lists (families, devices, rooms, scenes). */
export const PAGE_LIMIT = 50;
/** AppListUserShareDevices allows pages of up to 100 devices. */
export const SHARE_PAGE_LIMIT = 100;
/** An Offset/Limit list stops after this many pages (5000 items), whatever Total says. */
export const MAX_PAGES = 100;

/** What one paged call may read, over all its pages. */
export interface ReadBudget {
  /** Items kept at most. */
  maxItems: number;
  /** Reply bytes read at most, summed over the pages. */
  maxBytes: number;
  /** Pages asked at most. */
  maxPages: number;
}

/** 1 MiB. */
const MIB = 1024 * 1024;

/**
 * The budget of a whole list (families, a family's devices, rooms, scenes, automations): more
 * than any real home holds (5000 items, 16 MiB of replies), little for Node-RED's memory.
 */
export const LIST_BUDGET: Readonly<ReadBudget> = {
  maxItems: PAGE_LIMIT * MAX_PAGES,
  maxBytes: 16 * MIB,
  maxPages: MAX_PAGES,
};

/** Why a paged read stopped before its end: the item bound, the byte bound or the page bound. */
export type CutShort = 'items' | 'bytes' | 'pages';

/** One page as the loop sees it. */
export interface PageReply<C> {
  requestId: string;
  items: Record<string, unknown>[];
  /** The reply's size in bytes (0 when unknown). */
  bytes: number;
  /** The reply says this page is the list's last. */
  last: boolean;
  /** Where the next page starts; undefined when the reply gives no way on. */
  next: C | undefined;
}

export interface PagedRead {
  /** Every item kept, in the API's order. */
  items: Record<string, unknown>[];
  /** One per page asked. */
  requestIds: string[];
  /** Set when the read stopped at its budget, not at the end of the list. */
  cutShort?: CutShort;
}

/** What the loop asks of one page: how many items at most, how many reply bytes at most. */
export interface PageAsk {
  limit: number;
  maxBytes: number;
}

/**
 * The one paging loop: asks page after page from `cursor` on, until a page says it is the last,
 * comes back empty or gives no way on, or the budget is spent. A page that would take
 * the reply bytes past the budget is not read to its end (the transport stops reading it); a page
 * with more items than are left keeps those that fit. Either way the read is cut short, and says
 * so: each caller decides whether that is a result or an error ({@link readList} makes it one).
 */
export async function readPages<C>(
  cursor: C,
  fetchPage: (cursor: C, ask: PageAsk) => Promise<PageReply<C>>,
  budget: ReadBudget,
  pageSize: number,
): Promise<PagedRead> {
  const read: PagedRead = { items: [], requestIds: [] };
  let bytesLeft = budget.maxBytes;
  for (let page = 0; page < budget.maxPages; page++) {
    const itemsLeft = budget.maxItems - read.items.length;
    if (bytesLeft <= 0) return { ...read, cutShort: 'bytes' };
    let reply: PageReply<C>;
    try {
      reply = await fetchPage(cursor, {
        limit: Math.min(pageSize, itemsLeft),
        maxBytes: bytesLeft,
      });
    } catch (err) {
      // Stopped by this read's budget, not by the transport's own limit on one reply.
      if (isReplyTooLarge(err) && (err as IotExplorerError).params.limit === bytesLeft) {
        return { ...read, cutShort: 'bytes' };
      }
      throw err;
    }
    read.requestIds.push(reply.requestId);
    bytesLeft -= reply.bytes;
    const kept = reply.items.length > itemsLeft ? reply.items.slice(0, itemsLeft) : reply.items;
    for (const item of kept) read.items.push(item);
    if (kept.length < reply.items.length) return { ...read, cutShort: 'items' };
    if (reply.items.length === 0 || reply.last) return read;
    if (read.items.length >= budget.maxItems) return { ...read, cutShort: 'items' };
    if (reply.next === undefined) return read;
    cursor = reply.next;
  }
  return { ...read, cutShort: 'pages' };
}

/** The error of a list that does not fit its budget: nothing partial is returned. */
export function readLimitError(
  action: string,
  budget: ReadBudget,
  requestId?: string,
): IotExplorerError {
  return new IotExplorerError({
    code: LocalErrorCode.ReadLimit,
    key: 'readLimit',
    params: { action, items: budget.maxItems, bytes: budget.maxBytes },
    requestId,
  });
}

/**
 * Reads an Offset/Limit list Action to its end: until Total items have come, a page comes back
 * empty, or (without a Total) a page is shorter than asked. A list that does not fit the budget
 * ({@link LIST_BUDGET} unless told) fails with IOTX_READ_LIMIT rather than come back partial: a
 * picker or a home model must not take part of a list for all of it. `listField` may name
 * several spellings of the list's key (the first one a reply has is read).
 */
export async function readList(
  client: ApiRequester,
  action: string,
  params: Record<string, unknown>,
  listField: string | readonly string[],
  options: CallOptions = {},
  budget: ReadBudget = LIST_BUDGET,
  pageSize: number = PAGE_LIMIT,
): Promise<{ items: Record<string, unknown>[]; requestIds: string[] }> {
  const fields = typeof listField === 'string' ? [listField] : listField;
  const read = await readPages<number>(
    0,
    async (offset, ask) => {
      const { requestId, data, bytes } = await client.request(
        action,
        { ...params, Offset: offset, Limit: ask.limit },
        { ...options, maxReplyBytes: ask.maxBytes },
      );
      const key = fields.find((field) => Array.isArray(data[field]));
      const list: unknown[] = key === undefined ? [] : (data[key] as unknown[]);
      const items = records(list);
      const total = Number(data.Total);
      // The offset counts what the API sent, objects or not, so a stray entry is not asked again.
      const readSoFar = offset + list.length;
      const last = Number.isFinite(total) ? readSoFar >= total : list.length < ask.limit;
      return {
        requestId,
        items,
        bytes: bytes ?? 0,
        last: last || list.length === 0,
        next: readSoFar,
      };
    },
    budget,
    pageSize,
  );
  if (read.cutShort) {
    throw readLimitError(action, budget, read.requestIds[read.requestIds.length - 1]);
  }
  return { items: read.items, requestIds: read.requestIds };
}
