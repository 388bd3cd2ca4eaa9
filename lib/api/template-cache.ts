import type { CallOptions, ProductInfo } from './client';
import { parseDataTemplate, type DataTemplate } from '../shared/data-template';
import { IotExplorerError, LocalErrorCode } from '../errors/errors';

/** A template is kept this long: templates change rarely, and only when a product is edited. */
export const TEMPLATE_TTL_MS = 5 * 60 * 1000;
/** After a failed fetch, wait this long before asking again, so a burst asks once. */
export const TEMPLATE_RETRY_MS = 30 * 1000;

type FetchProducts = (productIds: string[], options: CallOptions) => Promise<ProductInfo[]>;

interface Entry {
  /** undefined: the template could not be had (the caller then sends unchecked). */
  template: Promise<DataTemplate | undefined>;
  expiresAt: number;
}

/**
 * The data templates of one account's products (`AppGetProducts`), per ProductId. Concurrent
 * requests for one product share one fetch. A failed fetch yields undefined rather than an
 * error: a template is a help for checking, never a reason not to send.
 */
export class TemplateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly fetchProducts: FetchProducts,
    private readonly now: () => number = Date.now,
  ) {}

  /** The product's template, or undefined when it cannot be fetched or read. */
  get(productId: string, options: CallOptions = {}): Promise<DataTemplate | undefined> {
    const cached = this.entries.get(productId);
    const pending =
      cached && cached.expiresAt > this.now() ? cached.template : this.fetch(productId);
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
    this.entries.set(productId, entry);
    return entry.template;
  }
}

/** Lets one caller stop waiting for a shared promise without cancelling it for the others. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
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
