import catalog from '../../nodes/locales/en-US/iot-explorer-account.json';

/**
 * English error texts, read from the account node's en-US catalogue so that each text is
 * written once. The nodes translate with `RED._()`; this is the fallback outside Node-RED
 * (benchmarks, scripts) and the text a key-less caller gets.
 */
type Catalogue = { [key: string]: string | Catalogue };

const errors: Catalogue = (catalog as unknown as { errors: Catalogue }).errors;

function lookup(key: string): string | undefined {
  let node: string | Catalogue | undefined = errors;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Node-RED's i18n marks parameters as `__name__`; so do we. */
export function interpolate(template: string, params: Record<string, string | number>): string {
  return template.replace(/__([A-Za-z0-9_]+?)__/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function formatMessage(key: string, params: Record<string, string | number>): string {
  const template = lookup(key);
  return template === undefined ? `${key} (${params.code ?? ''})` : interpolate(template, params);
}
