import type { CallOptions } from './contracts';
import type { ProductInfo } from './products';
import { parseDataTemplate, type DataTemplate } from '../shared/data-template';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';

/** A template is kept this long: templates change rarely, and only when a product is edited. */
export const TEMPLATE_TTL_MS = 5 * 60 * 1000;
/** After a failed fetch, wait this long before asking again, so a burst asks once. */
export const TEMPLATE_RETRY_MS = 30 * 1000;
/**
 * Templates kept at most: far more products than one home uses, so that only a flow that names
 * ever new ProductIds (from messages, say) evicts anything; the least recently used goes first.
 */
export const TEMPLATE_CACHE_SIZE = 200;

type FetchProducts = (productIds: string[], options: CallOptions) => Promise<ProductInfo[]>;

interface Entry {
  /** undefined: the template could not be had (the caller then sends unchecked). */
  template: Promise<DataTemplate | undefined>;
  expiresAt: number;
}

/**
 * The data templates of one account's products (`AppGetProducts`), per ProductId: at most
 * {@link TEMPLATE_CACHE_SIZE} of them (least recently used out first), each for
 * {@link TEMPLATE_TTL_MS}. Concurrent requests for one product share one fetch. A failed fetch
 * yields undefined rather than an error: a template is a help for checking, never a reason not
 * to send.
 */
export class TemplateCache {
  /** In order of last use, oldest first (a Map keeps insertion order). */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly fetchProducts: FetchProducts,
    private readonly now: () => number = Date.now,
    private readonly maxEntries: number = TEMPLATE_CACHE_SIZE,
  ) {}

  /** How many products' templates are held (fetched or being fetched). */
  get size(): number {
    return this.entries.size;
  }

  /** The product's template, or undefined when it cannot be fetched or read. */
  get(productId: string, options: CallOptions = {}): Promise<DataTemplate | undefined> {
    const cached = this.entries.get(productId);
    let pending: Promise<DataTemplate | undefined>;
    if (cached && cached.expiresAt > this.now()) {
      // Used now: to the young end.
      this.entries.delete(productId);
      this.entries.set(productId, cached);
      pending = cached.template;
    } else {
      pending = this.fetch(productId);
    }
    return abortable(pending, options.signal);
  }

  private fetch(productId: string): Promise<DataTemplate | undefined> {
    const entry: Entry = {
      expiresAt: this.now() + TEMPLATE_TTL_MS,
      // The fetch is shared, so no one caller's signal may abort it; the client's timeout bounds it.
      template: this.fetchProducts([productId], {}).then(
        (products) => {
          const product = products.find((p) => p.productId === productId);
          const template = product ? parseDataTemplate(product.dataTemplate) : undefined;
          if (!template) entry.expiresAt = this.now() + TEMPLATE_RETRY_MS;
          return template;
        },
        () => {
          entry.expiresAt = this.now() + TEMPLATE_RETRY_MS;
          return undefined;
        },
      ),
    };
    this.entries.delete(productId);
    this.entries.set(productId, entry);
    this.evict();
    return entry.template;
  }

  /** Drops expired entries, then the least recently used ones beyond the size. */
  private evict(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries) return;
      if (entry.expiresAt <= now) this.entries.delete(id);
    }
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) return;
      this.entries.delete(id);
    }
  }
}

/** Lets one caller stop waiting for a shared promise without cancelling it for the others. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  const closed = () =>
    new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed', notSent: true });
  if (signal.aborted) return Promise.reject(closed());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(closed());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
