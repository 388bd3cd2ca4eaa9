import type { CallOptions } from './client';
import type { ApiReply } from './envelope';

/**
 * The one thing the paged and scene/history calls need from the client: its private request,
 * handed to them by the client's own methods so nothing outside lib/api/ can send raw calls.
 */
export interface ApiRequester {
  request(
    action: string,
    params: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<ApiReply>;
}

/** The API's page size limit for Offset/Limit lists (families, devices, rooms, scenes). */
export const PAGE_LIMIT = 50;
/** Stops paging after this many pages (5000 items), whatever Total says. */
export const MAX_PAGES = 100;

export interface PagedList {
  /** Every item read, in the API's order. */
  items: Record<string, unknown>[];
  /** One per page asked. */
  requestIds: string[];
  /** The reply's Total, when it gave one. */
  total?: number;
}

/**
 * Reads an Offset/Limit list Action to its end: until Total items have come, a page comes back
 * empty, or (without a Total) a page is shorter than the limit. Never more than
 * {@link MAX_PAGES} pages, whatever the reply says.
 */
export async function readAllPages(
  client: ApiRequester,
  action: string,
  params: Record<string, unknown>,
  listField: string,
  options: CallOptions = {},
): Promise<PagedList> {
  const result: PagedList = { items: [], requestIds: [] };
  for (let page = 0; page < MAX_PAGES; page++) {
    const { requestId, data } = await client.request(
      action,
      { ...params, Offset: result.items.length, Limit: PAGE_LIMIT },
      options,
    );
    result.requestIds.push(requestId);
    const list = Array.isArray(data[listField])
      ? (data[listField] as unknown[]).filter(
          (item): item is Record<string, unknown> => typeof item === 'object' && item !== null,
        )
      : [];
    result.items.push(...list);
    const total = Number(data.Total);
    if (Number.isFinite(total)) result.total = total;
    if (list.length === 0 || (Number.isFinite(total) && result.items.length >= total)) break;
    if (!Number.isFinite(total) && list.length < PAGE_LIMIT) break;
  }
  return result;
}
