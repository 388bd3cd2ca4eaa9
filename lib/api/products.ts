// The products of the user's devices with their data templates (AppGetProducts), and their panel
// configurations (AppGetProductsConfig). The templates are kept by lib/api/template-cache.ts.

import type { ApiRequester, CallOptions } from './contracts';
import { asText, records } from './envelope';
import { IotExplorerError } from '../errors/errors';

export interface ProductInfo {
  productId: string;
  name: string;
  /** The raw DataTemplate JSON string. */
  dataTemplate: string;
}

/** `AppGetProducts`: the products with their data templates, with the reply's RequestId. */
export async function getProducts(
  api: ApiRequester,
  productIds: readonly string[],
  options: CallOptions = {},
): Promise<{ requestId: string; products: ProductInfo[] }> {
  const { requestId, data } = await api.request(
    'AppGetProducts',
    { ProductIds: productIds },
    options,
  );
  const products = records(data.Products).map((p) => ({
    productId: asText(p.ProductId),
    name: asText(p.Name),
    dataTemplate:
      typeof p.DataTemplate === 'string' ? p.DataTemplate : asText(p.DataTemplate ?? ''),
  }));
  return { requestId, products };
}

/** `AppGetProducts` for one product; ResourceNotFound.StudioProductNotExist when it is absent. */
export async function getProduct(
  api: ApiRequester,
  productId: string,
  options: CallOptions = {},
): Promise<ProductInfo & { requestId: string }> {
  const { requestId, products } = await getProducts(api, [productId], options);
  const product = products.find((p) => p.productId === productId);
  if (!product) {
    throw new IotExplorerError({
      code: 'ResourceNotFound.StudioProductNotExist',
      key: 'api.productNotExist',
      requestId,
    });
  }
  return { ...product, requestId };
}

export interface ProductConfig {
  productId: string;
  /** `Config` as the service sends it: a JSON text; '' when the product has none. */
  config: string;
}

/**
 * `AppGetProductsConfig`: the products' panel configurations (the apps' standard panel), as
 * `Data: [{ProductId, Config}]`. A product without one may be left out or answer an empty
 * `Config` (no real reply was seen: docs/http-api.md).
 */
export async function getProductsConfig(
  api: ApiRequester,
  productIds: readonly string[],
  options: CallOptions = {},
): Promise<{ requestId: string; configs: ProductConfig[] }> {
  const { requestId, data } = await api.request(
    'AppGetProductsConfig',
    { ProductIds: productIds },
    options,
  );
  const configs = records(data.Data).map((c) => ({
    productId: asText(c.ProductId),
    config:
      typeof c.Config === 'string'
        ? c.Config
        : c.Config === undefined || c.Config === null
          ? ''
          : JSON.stringify(c.Config),
  }));
  return { requestId, configs };
}
