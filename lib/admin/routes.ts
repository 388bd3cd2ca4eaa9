// The one way the package adds an HTTP route to Node-RED: every route registered here passes
// the cross-site guard (lib/admin/cross-site.ts) and Node-RED's permission check before its
// handler runs, and is listed for the tests, which send each one the requests a hostile page
// can make. A route added later (Dashboard, home) gets all of it by being registered here.

import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { NodeAPI } from 'node-red';
import { localizeError } from '../node/i18n';
import { IotExplorerError } from '../errors/errors';
import {
  ALLOWED_ORIGINS_SETTING,
  crossSiteRefusal,
  readAllowedOrigins,
  sendRefusal,
} from './cross-site';

export type AdminMethod = 'get' | 'post' | 'put' | 'delete';

/** A Node-RED permission (e.g. `iot-explorer-account.read`), or several that must all hold. */
export type Permission = string | string[];

export interface AdminRoute {
  method: AdminMethod;
  /** Relative to Node-RED's admin root, in express syntax, e.g. `/iot-explorer/accounts/:id/user`. */
  path: string;
  /** What the user must hold; a function chooses it per request (read or write, by the body). */
  permission: Permission | ((req: Request) => Permission);
  /**
   * Runs after the guard and the permission check. A GET must change nothing. A rejection or a
   * throw answers 500 with no detail.
   */
  handler(req: Request, res: Response): void | Promise<void>;
}

/** What the tests enumerate: every route of the package on one admin app. */
export interface RegisteredRoute {
  method: AdminMethod;
  path: string;
}

const registered = new WeakMap<object, RegisteredRoute[]>();

/** The routes the package registered on an admin app (Node-RED's `RED.httpAdmin`). */
export function registeredRoutes(app: object): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

/** The allowed-origins setting, read per request; entries that are not origins are warned of once. */
function allowedOrigins(RED: NodeAPI): () => string[] {
  const warned = new Set<string>();
  return () => {
    const settings = RED.settings as unknown as Record<string, unknown> | undefined;
    const raw = settings?.[ALLOWED_ORIGINS_SETTING];
    const { origins, invalid } = readAllowedOrigins(raw);
    for (const value of invalid) {
      if (warned.has(value)) continue;
      warned.add(value);
      const problem = new IotExplorerError({
        code: 'IOTX_SETTING',
        key: 'admin.badAllowedOrigin',
        params: { value },
      });
      RED.log.warn(localizeError(RED, problem).message);
    }
    return origins;
  };
}

const guards = new WeakMap<object, RequestHandler>();

/** The cross-site guard of one runtime, answering in its language. */
function guardOf(RED: NodeAPI): RequestHandler {
  const known = guards.get(RED.httpAdmin);
  if (known) return known;
  const origins = allowedOrigins(RED);
  const guard: RequestHandler = (req, res, next) => {
    const refused = crossSiteRefusal(req, { jsonOnly: true, allowedOrigins: origins() });
    if (!refused) return next();
    sendRefusal(res, refused, localizeError(RED, refused.error));
  };
  guards.set(RED.httpAdmin, guard);
  return guard;
}

function permissionCheck(RED: NodeAPI, permission: AdminRoute['permission']): RequestHandler {
  if (typeof permission !== 'function') return RED.auth.needsPermission(permission as string);
  return (req: Request, res: Response, next: NextFunction) =>
    RED.auth.needsPermission(permission(req) as string)(req, res, next);
}

/**
 * Registers a route on Node-RED's admin API behind the cross-site guard and the permission
 * check; a second registration of the same method and path on the same runtime is ignored.
 */
export function addAdminRoute(RED: NodeAPI, route: AdminRoute): void {
  const app = RED.httpAdmin;
  const routes = registered.get(app) ?? [];
  if (routes.some((r) => r.method === route.method && r.path === route.path)) return;
  routes.push({ method: route.method, path: route.path });
  registered.set(app, routes);
  const run: RequestHandler = (req, res) => {
    // No answer of ours is for another origin, whatever CORS header Node-RED 4.1 added.
    res.removeHeader('Access-Control-Allow-Origin');
    Promise.resolve()
      .then(() => route.handler(req, res))
      .catch(() => {
        if (!res.headersSent) res.status(500).end();
        else res.end();
      });
  };
  app[route.method](route.path, guardOf(RED), permissionCheck(RED, route.permission), run);
}
