// The package's one rule against cross-site requests. Every HTTP route the package adds passes
// it (lib/admin/routes.ts); settings.js may use the same rule as Node-RED's httpAdminMiddleware
// and httpNodeMiddleware (the demo does: demo/launch.ts). It reads only the request's headers,
// so it works before or after Node-RED's body parsers and needs neither express nor a runtime.
//
// Why these headers: a page of another site can make the browser send a form post (urlencoded,
// multipart or text/plain) without asking anyone, and on Node-RED 4.1, whose admin API answers
// CORS preflights with `*`, a JSON post too. Browsers mark each request with Sec-Fetch-Site and
// (for posts and cross-origin reads) Origin, which no page can forge.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { IotExplorerError } from '../errors/errors';
import { AdminErrorCode } from '../shared/admin-api';

/**
 * The settings.js property that lists the origins (`scheme://host[:port]`) besides Node-RED's
 * own that the editor may be reached through: a reverse proxy that rewrites the Host header
 * and sends no X-Forwarded-Host. Another site's pages stay refused whatever it lists.
 */
export const ALLOWED_ORIGINS_SETTING = 'iotExplorerAllowedOrigins';

export interface CrossSiteRule {
  /** Origins accepted besides the request's own (see {@link ALLOWED_ORIGINS_SETTING}). */
  allowedOrigins?: readonly string[];
  /** Posts (any method but GET and HEAD) must carry `application/json` (the package's routes). */
  jsonOnly?: boolean;
  /**
   * A top-level GET or HEAD navigation passes from any site: a link to the editor or to a
   * dashboard page. The other site cannot read the page; a GET must change nothing.
   */
  allowNavigation?: boolean;
}

export interface CrossSiteRefusal {
  /** 403 for another site, 415 for a body that is not JSON. */
  status: 403 | 415;
  error: IotExplorerError;
}

/** The longest part of a header an answer repeats (a refused Origin, a content type). */
const ECHO_LIMIT = 120;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.trim();
}

/** The first entry of a list header such as X-Forwarded-Host (`a, b`: the client-facing one). */
function firstOfList(value: string | undefined): string | undefined {
  const first = value?.split(',')[0]?.trim();
  return first === undefined || first === '' ? undefined : first;
}

/** `scheme://host[:port]` of an http(s) URL, normalised (default port dropped); else undefined. */
export function originOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** An allowed-origins setting as the rule uses it, and the entries that are not origins. */
export function readAllowedOrigins(raw: unknown): { origins: string[]; invalid: string[] } {
  const entries = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const entry of entries as unknown[]) {
    // Only scheme, host and port: a path or a trailing slash is a mistake worth naming.
    const origin = typeof entry === 'string' ? originOf(entry) : undefined;
    if (origin !== undefined && typeof entry === 'string' && origin === entry.replace(/\/$/, '')) {
      origins.push(origin);
    } else {
      invalid.push(typeof entry === 'string' ? entry : JSON.stringify(entry));
    }
  }
  return { origins, invalid };
}

/**
 * The origins the request itself was made to: its Host with the connection's scheme, and, when
 * `forwarded`, what a reverse proxy says in X-Forwarded-Host / X-Forwarded-Proto.
 */
function ownOrigins(req: IncomingMessage, forwarded: boolean): string[] {
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const scheme = encrypted ? 'https' : 'http';
  const host = header(req, 'host');
  const own: string[] = [];
  const add = (proto: string, at: string | undefined): void => {
    const origin = at === undefined ? undefined : originOf(`${proto}://${at}`);
    if (origin !== undefined) own.push(origin);
  };
  add(scheme, host);
  if (forwarded) {
    const proto = firstOfList(header(req, 'x-forwarded-proto'))?.toLowerCase();
    const forwardedProto = proto === 'http' || proto === 'https' ? proto : scheme;
    add(forwardedProto, firstOfList(header(req, 'x-forwarded-host')) ?? host);
  }
  return own;
}

function refusal(
  status: 403 | 415,
  code: string,
  key: 'admin.crossSite' | 'admin.notJson',
  params: Record<string, string>,
): CrossSiteRefusal {
  return { status, error: new IotExplorerError({ code, key, params }) };
}

function crossSite(reason: string): CrossSiteRefusal {
  return refusal(403, AdminErrorCode.CrossSite, 'admin.crossSite', {
    reason: reason.slice(0, ECHO_LIMIT),
  });
}

/** The media type of a Content-Type header, lower case, without parameters. */
function mediaType(req: IncomingMessage): string | undefined {
  const type = header(req, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  return type === undefined || type === '' ? undefined : type;
}

/**
 * Why the request must be refused, or undefined when it may pass:
 * - `Sec-Fetch-Site` other than `same-origin` or `none` → 403 (`same-site` included: another
 *   port of the same host is the same site);
 * - an `Origin` (`null` included) other than the request's own or a listed one → 403. A proxy's
 *   X-Forwarded-Host / X-Forwarded-Proto count only when the browser itself says same-origin
 *   (Sec-Fetch-Site): a page cannot set Sec-Fetch-Site, but on Node-RED 4.1 it can add any
 *   X-Forwarded-* header to a cross-origin post;
 * - with `jsonOnly`, a post whose Content-Type is not `application/json` → 415.
 * A request with neither header (curl, scripts, Node-RED's own tools) passes the first two.
 */
export function crossSiteRefusal(
  req: IncomingMessage,
  rule: CrossSiteRule = {},
): CrossSiteRefusal | undefined {
  const method = (req.method ?? 'GET').toUpperCase();
  const safe = method === 'GET' || method === 'HEAD';
  const site = header(req, 'sec-fetch-site')?.toLowerCase();
  const navigation = header(req, 'sec-fetch-mode')?.toLowerCase() === 'navigate';
  if (!(rule.allowNavigation === true && safe && navigation)) {
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return crossSite(`Sec-Fetch-Site: ${site}`);
    }
    const origin = header(req, 'origin');
    if (origin !== undefined) {
      const normalised = originOf(origin);
      const accepted =
        normalised !== undefined &&
        (ownOrigins(req, site !== undefined).includes(normalised) ||
          readAllowedOrigins(rule.allowedOrigins).origins.includes(normalised));
      if (!accepted) return crossSite(`Origin: ${origin}`);
    }
  }
  if (rule.jsonOnly === true && !safe) {
    const type = mediaType(req);
    if (type !== 'application/json') {
      return refusal(415, AdminErrorCode.NotJson, 'admin.notJson', {
        type: (type ?? 'none').slice(0, ECHO_LIMIT),
      });
    }
  }
  return undefined;
}

/** Answers a refusal as the package's admin routes answer: `{success: false, code, key, …}`. */
export function sendRefusal(
  res: ServerResponse,
  refusal: CrossSiteRefusal,
  error: IotExplorerError = refusal.error,
): void {
  const body = JSON.stringify({
    success: false,
    code: error.code,
    key: error.key,
    params: error.params,
    message: error.message,
  });
  // Node-RED 4.1 has added `*` to every admin answer: a refusal is for nobody else to read.
  res.removeHeader('Access-Control-Allow-Origin');
  res.statusCode = refusal.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

/**
 * The rule as connect/express middleware, for settings.js:
 *
 *     httpAdminMiddleware: require('@homeflow/node-red-tencent-iot-explorer/dist/lib/admin/cross-site.js')
 *       .crossSiteGuard({ allowNavigation: true }),
 *
 * Refused requests get the English text; the package's own routes answer in the runtime's
 * language (lib/admin/routes.ts).
 */
export function crossSiteGuard(
  rule: CrossSiteRule = {},
): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void {
  return (req, res, next) => {
    const refused = crossSiteRefusal(req, rule);
    if (refused) sendRefusal(res, refused);
    else next();
  };
}
