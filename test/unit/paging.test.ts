import assert from 'node:assert/strict';
import { rejection } from '../support/rejection';
import { IotExplorerError, LocalErrorCode } from '../../lib/errors/errors';
import {
  LIST_BUDGET,
  MAX_PAGES,
  PAGE_LIMIT,
  readList,
  readPages,
  type PageReply,
} from '../../lib/api/paging';
import { followHistoryPages, historyByteBudget } from '../../lib/api/history';
import type { ApiReply, ApiRequester, RequestOptions } from '../../lib/api/contracts';

const item = (i: number): Record<string, unknown> => ({ id: i });

/** A requester for one list Action, answering each page from `page(offset, limit, maxBytes)`. */
function listServer(
  page: (offset: number, limit: number, options: RequestOptions) => Partial<ApiReply>,
): ApiRequester & { asked: Array<{ offset: number; limit: number; maxBytes?: number }> } {
  const asked: Array<{ offset: number; limit: number; maxBytes?: number }> = [];
  return {
    asked,
    request(_action, params, options = {}) {
      const offset = Number(params.Offset);
      const limit = Number(params.Limit);
      asked.push({ offset, limit, maxBytes: options.maxReplyBytes });
      const reply = page(offset, limit, options);
      return Promise.resolve({ requestId: `r${asked.length}`, data: {}, bytes: 100, ...reply });
    },
  };
}

describe('the paging loop and its budget', function () {
  it('reads an Offset/Limit list to its Total, page by page', async function () {
    const server = listServer((offset, limit) => ({
      data: {
        Total: 120,
        List: Array.from({ length: Math.min(limit, 120 - offset) }, (_, i) => item(offset + i)),
      },
    }));
    const { items, requestIds } = await readList(server, 'AppGetFamilyList', {}, 'List');
    assert.equal(items.length, 120);
    assert.deepEqual(
      server.asked.map((a) => [a.offset, a.limit]),
      [
        [0, PAGE_LIMIT],
        [50, PAGE_LIMIT],
        [100, PAGE_LIMIT],
      ],
    );
    assert.deepEqual(requestIds, ['r1', 'r2', 'r3']);
  });

  it('fails a list that never ends with IOTX_READ_LIMIT after its item budget, nothing partial', async function () {
    const server = listServer((offset, limit) => ({
      data: { List: Array.from({ length: limit }, (_, i) => item(offset + i)) },
    }));
    const err = await rejection(readList(server, 'AppGetFamilyList', {}, 'List'));
    assert.equal(err.code, LocalErrorCode.ReadLimit);
    assert.match(err.message, /AppGetFamilyList/);
    assert.equal(server.asked.length, MAX_PAGES);
  });

  it('fails a list whose pages grow past the byte budget, before reading the page that would pass it', async function () {
    const pageBytes = 6 * 1024 * 1024;
    const server = listServer((offset, limit, options) => {
      // What the transport does with a reply longer than it may read.
      if (options.maxReplyBytes !== undefined && pageBytes > options.maxReplyBytes) {
        throw new IotExplorerError({
          code: LocalErrorCode.BadResponse,
          key: 'replyTooLarge',
          params: { limit: options.maxReplyBytes },
        });
      }
      return {
        bytes: pageBytes,
        data: { Total: 1e9, List: Array.from({ length: limit }, (_, i) => item(offset + i)) },
      };
    });
    const err = await rejection(readList(server, 'AppGetFamilyDeviceList', {}, 'List'));
    assert.equal(err.code, LocalErrorCode.ReadLimit);
    // 16 MiB: two pages of 6 MiB fit, the third is refused by its byte limit.
    assert.deepEqual(
      server.asked.map((a) => a.maxBytes),
      [
        LIST_BUDGET.maxBytes,
        LIST_BUDGET.maxBytes - pageBytes,
        LIST_BUDGET.maxBytes - 2 * pageBytes,
      ],
    );
  });

  it("keeps a reply's own size error when it is the transport's limit, not the budget", async function () {
    const server = listServer(() => {
      throw new IotExplorerError({
        code: LocalErrorCode.BadResponse,
        key: 'replyTooLarge',
        params: { limit: 8 * 1024 * 1024 },
      });
    });
    const err = await rejection(readList(server, 'AppGetRoomList', {}, 'List'));
    assert.equal(err.code, LocalErrorCode.BadResponse);
  });

  it('fails a single page with more items than the budget', async function () {
    const server = listServer(() => ({
      data: { Total: 1, List: Array.from({ length: LIST_BUDGET.maxItems + 1 }, (_, i) => item(i)) },
    }));
    const err = await rejection(readList(server, 'AppGetSceneList', {}, 'List'));
    assert.equal(err.code, LocalErrorCode.ReadLimit);
  });

  it('says why a read was cut short: items, bytes or pages', async function () {
    const pages = (bytes: number, items: number) => (): Promise<PageReply<number>> =>
      Promise.resolve({
        requestId: 'r',
        items: Array.from({ length: items }, (_, i) => item(i)),
        bytes,
        last: false,
        next: 1,
      });
    const budget = { maxItems: 10, maxBytes: 1000, maxPages: 5 };
    assert.equal((await readPages(0, pages(1, 4), budget, 4)).cutShort, 'items');
    assert.equal((await readPages(0, pages(600, 1), budget, 4)).cutShort, 'bytes');
    assert.equal((await readPages(0, pages(1, 1), budget, 4)).cutShort, 'pages');
    const whole = await readPages(
      0,
      () => Promise.resolve({ requestId: 'r', items: [item(1)], bytes: 1, last: true, next: 1 }),
      budget,
      4,
    );
    assert.equal(whole.cutShort, undefined);
    assert.equal(whole.items.length, 1);
  });

  it('history: a series of huge points stops at the byte budget its point bound allows', async function () {
    let pagesAsked = 0;
    const out = await followHistoryPages(
      (_context, _limit, maxBytes) => {
        pagesAsked += 1;
        const bytes = 4 * 1024 * 1024;
        if (bytes > maxBytes) {
          return Promise.reject(
            new IotExplorerError({
              code: LocalErrorCode.BadResponse,
              key: 'replyTooLarge',
              params: { limit: maxBytes },
            }),
          );
        }
        return Promise.resolve({
          requestId: `r${pagesAsked}`,
          items: [{ Time: String(pagesAsked) }],
          context: `c${pagesAsked}`,
          listover: false,
          bytes,
        });
      },
      { maxPoints: 5000, pageSize: 500 },
    );
    // 5000 points allow historyByteBudget(5000) ≈ 9.8 MiB: two pages of 4 MiB.
    assert.equal(historyByteBudget(5000), 5000 * 2048);
    assert.equal(out.items.length, 2);
    assert.equal(out.maxPointsReached, true);
    assert.equal(out.cutShort, 'size');
    assert.equal(pagesAsked, 3);
  });

  it('history: the byte budget is never below 1 MiB nor above 32 MiB', function () {
    assert.equal(historyByteBudget(1), 1024 * 1024);
    assert.equal(historyByteBudget(100000), 32 * 1024 * 1024);
  });
});
