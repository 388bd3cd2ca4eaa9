import catalogue from './locales/en-US.json';

/**
 * The error texts in English, from lib/errors/locales/en-US.json, where each is written once
 * (the build adds them to the account node's catalogue, for Node-RED's `RED._()`). Every error
 * is built in English; the nodes translate it once, when they report it (lib/node/i18n.ts).
 */
type Catalogue = typeof catalogue;

/** The dotted paths to the texts of a catalogue: `missingField`, `api.invalidToken`, … */
type TextKeys<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${TextKeys<T[K]>}`;
}[keyof T & string];

/** A key of an error text: a key that is not in the catalogue does not compile. */
export type ErrorKey = TextKeys<Catalogue>;

type Tree = { readonly [key: string]: string | Tree };

function lookup(key: string): string | undefined {
  let node: string | Tree | undefined = catalogue;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** True for a key the catalogue holds: for keys computed at run time (data-template problems). */
export function isErrorKey(key: string): key is ErrorKey {
  return lookup(key) !== undefined;
}

/** Node-RED's i18n marks parameters as `__name__`; so do we. */
export function interpolate(template: string, params: Record<string, string | number>): string {
  return template.replace(/__([A-Za-z0-9_]+?)__/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** The English text of an error. */
export function formatMessage(key: ErrorKey, params: Record<string, string | number>): string {
  const template = lookup(key);
  return template === undefined ? `${key} (${params.code ?? ''})` : interpolate(template, params);
}
