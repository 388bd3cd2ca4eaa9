import assert from 'node:assert/strict';
import { TEMPLATE_CACHE_SIZE, TEMPLATE_TTL_MS, TemplateCache } from '../../lib/api/template-cache';
import type { ProductInfo } from '../../lib/api/client';

const TEMPLATE = JSON.stringify({
  version: '1.0',
  properties: [{ id: 'power_switch', mode: 'rw', define: { type: 'bool' } }],
  events: [],
  actions: [],
});

/** A product source that counts what it was asked for; the clock is the test's. */
function source() {
  const fetched: string[] = [];
  let now = 0;
  const cache = new TemplateCache(
    (ids: string[]): Promise<ProductInfo[]> => {
      fetched.push(...ids);
      return Promise.resolve(
        ids.map((productId) => ({ productId, name: productId, dataTemplate: TEMPLATE })),
      );
    },
    () => now,
  );
  return {
    cache,
    fetched,
    advance: (ms: number): void => {
      now += ms;
    },
  };
}

describe('the data-template cache', function () {
  it('holds at most TEMPLATE_CACHE_SIZE products, however many are asked for', async function () {
    const { cache, fetched } = source();
    for (let i = 0; i < TEMPLATE_CACHE_SIZE * 3; i++) {
      assert.ok(await cache.get(`PROD${i}`));
    }
    assert.equal(cache.size, TEMPLATE_CACHE_SIZE);
    assert.equal(fetched.length, TEMPLATE_CACHE_SIZE * 3);
  });

  it('evicts the least recently used product first', async function () {
    const { cache, fetched } = source();
    for (let i = 0; i < TEMPLATE_CACHE_SIZE; i++) await cache.get(`PROD${i}`);
    // PROD0 is used again, so PROD1 is now the oldest.
    await cache.get('PROD0');
    await cache.get('NEW');
    fetched.length = 0;
    await cache.get('PROD0');
    assert.deepEqual(fetched, [], 'PROD0 was kept');
    await cache.get('PROD1');
    assert.deepEqual(fetched, ['PROD1'], 'PROD1 was evicted and fetched again');
    assert.equal(cache.size, TEMPLATE_CACHE_SIZE);
  });

  it('fetches a template again once its time is up', async function () {
    const { cache, fetched, advance } = source();
    await cache.get('PROD');
    advance(TEMPLATE_TTL_MS - 1);
    await cache.get('PROD');
    assert.equal(fetched.length, 1);
    advance(2);
    await cache.get('PROD');
    assert.equal(fetched.length, 2);
    assert.equal(cache.size, 1);
  });
});
