// The data template of the product a node names, asked once per product.

import type { ProductSummary } from '../../lib/shared/admin-api';
import { requestForAccountField } from '../account-requests';
import type { EditorError } from '../feedback';
import { rememberTemplate } from '../validation';

export interface TemplateView {
  /** No product is named. */
  none(): void;
  loading(): void;
  failed(error: EditorError): void;
  loaded(product: ProductSummary): void;
}

export interface ProductTemplate {
  /** Asks for the product named now, unless it is the one already asked for. */
  load: () => void;
  /** Asks again (another account). */
  reload: () => void;
}

/**
 * Asks for the data template of the product `productId()` names, once per product; a newer
 * request wins over an older one still under way. The editor keeps each template it reads, for
 * the validators of the fields it decides (editor/validation.ts).
 */
export function productTemplate(
  $account: JQuery,
  productId: () => string,
  view: TemplateView,
): ProductTemplate {
  let loaded: string | null = null;
  let generation = 0;

  function load(): void {
    const id = productId();
    if (id === loaded) return;
    loaded = id;
    const mine = ++generation;
    if (!id) return view.none();
    view.loading();
    requestForAccountField<ProductSummary>(
      $account,
      'product',
      { productId: id },
      (error, product) => {
        if (mine !== generation) return;
        if (error || !product) {
          loaded = null;
          return view.failed(error ?? { code: '', text: '' });
        }
        rememberTemplate(String($account.val() ?? ''), id, product.dataTemplate);
        view.loaded(product);
      },
    );
  }

  return {
    load,
    reload() {
      loaded = null;
      load();
    },
  };
}
