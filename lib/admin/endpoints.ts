// The account node's admin endpoints: they feed the editor's device, action and InputParams
// pickers from what the user's account holds. The token stays on the server: the editor may
// send one it has just typed, or the sign-in settings of an account not yet deployed (the
// server then signs in for the one request), but no answer ever carries a token or a secret.

import type { NextFunction, Request, Response } from 'express';
import type { NodeAPI } from 'node-red';
import { ApiClient, DEFAULT_TIMEOUT_MS, type FamilyInfo, type RoomInfo } from '../api/client';
import type { AutomationSummary, SceneSummary } from '../api/scenes';
import { IotExplorerError, LocalErrorCode, type MessageParams } from '../errors/errors';
import { localizeError } from '../node/i18n';
import {
  createAccountSignIn,
  endSignIn,
  readSignIn,
  type SignInConfig,
  type SignInCredentials,
} from '../auth/sign-in';
import { parseExpireAt } from '../auth/token-health';
import { createPastedTokenSource } from '../auth/token-source';
import { redactSecrets } from '../api/redact';
import { getAccount, type DeployedAccountSettings } from '../account/account';

/** Base path of every route; `:id` is the account config node's id. */
export const ADMIN_BASE = '/iot-explorer/accounts/:id';

/** What Node-RED's editor sends for a password credential the user has not changed. */
export const UNCHANGED_PASSWORD = '__PWRD__';

/** An account's stored credentials. */
type AccountCredentials = SignInCredentials & { accessToken?: string };

const SIGN_IN_CONFIG = ['appKey', 'loginType', 'countryCode', 'appapiEndpoint'] as const;
const SIGN_IN_CREDENTIALS = ['appSecret', 'password', 'phoneNumber', 'email'] as const;

/**
 * The account settings the editor may send: what it shows now, deployed or not. A sign-in
 * field left out means "as deployed" (a setting) or "as stored" (a credential), and so does
 * {@link UNCHANGED_PASSWORD} for a credential.
 */
export interface AdminRequestBody {
  endpoint?: unknown;
  timeout?: unknown;
  name?: unknown;
  accessToken?: unknown;
  /** 'token' (default) or 'signin'. */
  authMode?: unknown;
  /** A pasted token's ExpireAt as typed in the account dialog. */
  tokenExpireAt?: unknown;
  appKey?: unknown;
  loginType?: unknown;
  countryCode?: unknown;
  appapiEndpoint?: unknown;
  appSecret?: unknown;
  password?: unknown;
  phoneNumber?: unknown;
  email?: unknown;
  familyId?: unknown;
  productId?: unknown;
}

interface DeployedAccount {
  accountSettings: DeployedAccountSettings;
  client: ApiClient;
}

export interface AdminAnswer<T> {
  success: boolean;
  data?: T;
  /** A message in the runtime's language; the editor prefers `key` + `params` in its own. */
  message?: string;
  code?: string;
  key?: string;
  params?: MessageParams;
}

export type FamilySummary = FamilyInfo;

// The answers' shapes are shared with the editor: one home, lib/shared/admin-api.ts.
export type { DeviceSummary, ProductSummary, UserSummary } from '../shared/admin-api';
import type { DeviceSummary, ProductSummary, UserSummary } from '../shared/admin-api';

/** The client one admin request uses, and what is known of its token's expiry. */
interface AdminAccount {
  client: ApiClient;
  /** UNIX seconds, when known. */
  expiresAt(): number | undefined;
  /** Texts that must not appear in an answer: tokens, typed and stored credentials. */
  secrets(): string[];
  /** Ends what was made for this request; nothing for the deployed node's own client. */
  release(): Promise<void>;
}

type AdminHandler<T> = (account: AdminAccount, body: AdminRequestBody) => Promise<T>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function signInMode(body: AdminRequestBody, deployed: DeployedAccount | undefined): boolean {
  return body.authMode === undefined
    ? deployed?.accountSettings.authMode === 'signin'
    : body.authMode === 'signin';
}

/** A token typed in the editor; a sign-in account ignores a leftover one. */
function typedToken(body: AdminRequestBody): string | undefined {
  if (body.authMode === 'signin') return undefined;
  const token = text(body.accessToken);
  return token === undefined || token === UNCHANGED_PASSWORD ? undefined : token;
}

function deployedAccount(RED: NodeAPI, id: string): DeployedAccount | undefined {
  const account = getAccount(RED, id);
  return account && { accountSettings: account.settings, client: account.client };
}

function timeoutOf(raw: unknown, fallback: number): number {
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' ? Number.parseInt(raw, 10) : NaN;
  return Number.isFinite(value) && value > 0 ? Math.min(value, 60000) : fallback;
}

function storedCredentials(RED: NodeAPI, id: string): AccountCredentials {
  return { ...(RED.nodes.getCredentials(id) as AccountCredentials | undefined) };
}

/** The sign-in settings the editor shows: what it sent over what is deployed and stored. */
function editedSignIn(
  body: AdminRequestBody,
  deployed: SignInConfig | undefined,
  stored: AccountCredentials,
): { config: SignInConfig; credentials: SignInCredentials } {
  const sent = (value: unknown): string | undefined =>
    typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  const config: SignInConfig = {};
  for (const field of SIGN_IN_CONFIG) config[field] = sent(body[field]) ?? deployed?.[field];
  const credentials: SignInCredentials = {};
  for (const field of SIGN_IN_CREDENTIALS) {
    const value = sent(body[field]);
    credentials[field] =
      value === undefined || value === UNCHANGED_PASSWORD ? stored[field] : value;
  }
  return { config, credentials };
}

/** Two sign-in settings that would sign in the same way (or fail for the same missing fields). */
function sameSignIn(
  a: { config: SignInConfig; credentials: SignInCredentials },
  b: { config: SignInConfig; credentials: SignInCredentials },
): boolean {
  const key = (s: typeof a): string =>
    JSON.stringify([readSignIn(s.config, s.credentials), (s.config.appapiEndpoint ?? '').trim()]);
  return key(a) === key(b);
}

/** How one admin request reaches the API. */
type AccountPlan =
  | { kind: 'deployed'; deployed: DeployedAccount }
  | { kind: 'pasted'; token: string }
  | { kind: 'signin'; config: SignInConfig; credentials: SignInCredentials };

/**
 * The deployed node as it is, when the editor shows its settings unchanged (a sign-in account's
 * token lives there); else what the editor shows: a typed or stored token, or a sign-in with
 * the settings sent over the deployed and stored ones.
 */
function planFor(RED: NodeAPI, id: string, body: AdminRequestBody): AccountPlan {
  const deployed = deployedAccount(RED, id);
  const settings = deployed?.accountSettings;
  const stored = storedCredentials(RED, id);
  const token = typedToken(body);
  const signIn = signInMode(body, deployed);
  const sameAsDeployed =
    deployed !== undefined &&
    token === undefined &&
    (text(body.endpoint) ?? settings?.endpoint) === settings?.endpoint &&
    signIn === (settings?.authMode === 'signin');
  if (!signIn) {
    if (sameAsDeployed) return { kind: 'deployed', deployed };
    return { kind: 'pasted', token: token ?? stored.accessToken ?? '' };
  }
  const edited = editedSignIn(body, settings?.signIn, stored);
  const asDeployed = { config: settings?.signIn ?? {}, credentials: stored };
  if (sameAsDeployed && sameSignIn(edited, asDeployed)) return { kind: 'deployed', deployed };
  return { kind: 'signin', ...edited };
}

/** The client for one request, as {@link planFor} decided. */
function accountFor(RED: NodeAPI, id: string, body: AdminRequestBody): AdminAccount {
  const plan = planFor(RED, id, body);
  const settings = deployedAccount(RED, id)?.accountSettings;
  const fixedSecrets = [
    typedToken(body),
    ...SIGN_IN_CREDENTIALS.map((field) => body[field]),
    ...Object.values(storedCredentials(RED, id) as Record<string, unknown>),
  ].filter((v): v is string => typeof v === 'string' && v !== UNCHANGED_PASSWORD);
  // The ExpireAt typed in the dialog describes a pasted token, not a deployed sign-in's.
  const typedExpiryApplies = plan.kind === 'pasted' || settings?.authMode !== 'signin';
  // Read after the call: a sign-in account learns its ExpireAt while signing in for it.
  const knownExpiry = (): number | undefined =>
    body.tokenExpireAt !== undefined && typedExpiryApplies
      ? parseExpireAt(text(body.tokenExpireAt))
      : settings?.tokenExpireAt;
  if (plan.kind === 'deployed') {
    return {
      client: plan.deployed.client,
      expiresAt: knownExpiry,
      secrets: () => fixedSecrets,
      release: () => Promise.resolve(),
    };
  }
  const endpoint = text(body.endpoint) ?? settings?.endpoint ?? '';
  if (endpoint === '') {
    throw new IotExplorerError({ code: LocalErrorCode.InvalidEndpoint, key: 'invalidEndpoint' });
  }
  const name = text(body.name) ?? settings?.name ?? id;
  const timeoutMs = timeoutOf(body.timeout, settings?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (plan.kind === 'pasted') {
    const client = new ApiClient({
      endpoint,
      timeoutMs,
      tokenSource: createPastedTokenSource({ token: plan.token, account: name }),
    });
    return {
      client,
      expiresAt: knownExpiry,
      secrets: () => fixedSecrets,
      release: () => {
        client.close();
        return Promise.resolve();
      },
    };
  }
  // Signs in for this request only; the token is logged out when the answer has been sent.
  let signedInUntil: number | undefined;
  const source = createAccountSignIn({
    settings: readSignIn(plan.config, plan.credentials),
    account: name,
    client: () => client,
    onEvent: (event) => {
      if (event.type === 'signedIn') signedInUntil = event.expireAt;
    },
  });
  const client = new ApiClient({
    endpoint,
    appApiEndpoint: text(plan.config.appapiEndpoint),
    timeoutMs,
    tokenSource: source,
  });
  return {
    client,
    expiresAt: () => signedInUntil,
    secrets: () => [...fixedSecrets, source.heldToken() ?? ''],
    release: () => endSignIn(client, source),
  };
}

/**
 * Read permission is enough to use the deployed account as it is. Anything else needs write
 * permission: a typed token, typed or edited sign-in settings, or the stored credentials sent
 * to an endpoint other than the deployed one (a read-only user could otherwise send them to a
 * server of their choosing).
 */
function permissionFor(RED: NodeAPI, req: Request): 'read' | 'write' {
  const body = (req.body ?? {}) as AdminRequestBody;
  return planFor(RED, String(req.params.id), body).kind === 'deployed' ? 'read' : 'write';
}

function guard(RED: NodeAPI) {
  const read = RED.auth.needsPermission('iot-explorer-account.read');
  const write = RED.auth.needsPermission('iot-explorer-account.write');
  return (req: Request, res: Response, next: NextFunction): void => {
    read(req, res, (err?: unknown) => {
      if (err !== undefined) return next(err);
      if (permissionFor(RED, req) === 'write') return write(req, res, next);
      next();
    });
  };
}

function toAnswer(RED: NodeAPI, err: unknown): AdminAnswer<never> {
  const known =
    err instanceof IotExplorerError
      ? err
      : new IotExplorerError({
          code: LocalErrorCode.BadResponse,
          key: 'badResponse',
          params: { reason: err instanceof Error ? err.message : String(err) },
        });
  const localized = localizeError(RED, known);
  return {
    success: false,
    code: localized.code,
    key: localized.key,
    params: localized.params,
    message: localized.message,
  };
}

function route<T>(RED: NodeAPI, handler: AdminHandler<T>) {
  return (req: Request, res: Response): void => {
    const body = (req.body ?? {}) as AdminRequestBody;
    let account: AdminAccount | undefined;
    Promise.resolve()
      .then(() => {
        account = accountFor(RED, String(req.params.id), body);
        return handler(account, body);
      })
      .then(
        (data): AdminAnswer<T> => ({ success: true, data }),
        (err: unknown): AdminAnswer<T> => toAnswer(RED, err),
      )
      .then((answer) => {
        // No token or credential leaves in an answer, whatever a reply or an error echoed.
        res
          .type('application/json')
          .send(redactSecrets(JSON.stringify(answer), account?.secrets() ?? []));
      })
      .catch(() => res.status(500).end())
      .finally(() => account?.release());
  };
}

export async function listFamilies(client: ApiClient): Promise<FamilySummary[]> {
  return client.getFamilies();
}

/** The devices of one family, every room, with room names and online state. */
export async function listDevices(client: ApiClient, familyId: string): Promise<DeviceSummary[]> {
  const devices = await client.getFamilyDevices(familyId);
  // Room names and online state only decorate the list: a failure there leaves them blank.
  const rooms = await client.getRooms(familyId).catch((): RoomInfo[] => []);
  const roomNames = new Map(rooms.map((r) => [r.roomId, r.roomName]));
  const online = await client
    .getDeviceStatuses(devices.map((d) => d.deviceId))
    .then(({ statuses }) => new Map(statuses.map((s) => [s.deviceId, s.online])))
    .catch(() => new Map<string, boolean>());
  return devices.map((d) => ({
    familyId,
    productId: d.productId,
    deviceName: d.deviceName,
    deviceId: d.deviceId,
    aliasName: d.aliasName,
    roomId: d.roomId,
    roomName: roomNames.get(d.roomId) ?? '',
    online: online.get(d.deviceId),
  }));
}

export async function getProduct(client: ApiClient, productId: string): Promise<ProductSummary> {
  const product = await client.getProduct(productId);
  let dataTemplate: unknown;
  try {
    dataTemplate = JSON.parse(product.dataTemplate);
  } catch (err) {
    throw new IotExplorerError({
      code: LocalErrorCode.BadResponse,
      key: 'badResponse',
      params: { reason: `DataTemplate: ${(err as Error).message}` },
      requestId: product.requestId,
    });
  }
  return {
    productId,
    name: product.name,
    dataTemplate:
      typeof dataTemplate === 'object' && dataTemplate !== null && !Array.isArray(dataTemplate)
        ? (dataTemplate as Record<string, unknown>)
        : {},
  };
}

export async function getUser(account: AdminAccount): Promise<UserSummary> {
  const summary: UserSummary = await account.client.getUser();
  const expiresAt = account.expiresAt();
  if (expiresAt !== undefined) summary.expiresAt = expiresAt;
  return summary;
}

/** The scenes of one family, every page; `devicesLeft` marks those with a device gone. */
export async function listFamilyScenes(
  client: ApiClient,
  familyId: string,
): Promise<SceneSummary[]> {
  return (await client.listScenes(familyId)).scenes;
}

/** The automations of one family, each with `enabled` (never the raw Status number). */
export async function listFamilyAutomations(
  client: ApiClient,
  familyId: string,
): Promise<AutomationSummary[]> {
  return (await client.listAutomations(familyId)).automations;
}

function requiredText(value: unknown, field: string): string {
  const found = text(value);
  if (found === undefined) {
    throw new IotExplorerError({
      code: LocalErrorCode.MissingField,
      key: 'missingField',
      params: { field, msgProperty: field },
    });
  }
  return found;
}

const registered = new WeakSet<object>();

/** Registers the routes once per runtime (the account node's module calls it). */
export function registerAdminEndpoints(RED: NodeAPI): void {
  const app = RED.httpAdmin;
  if (registered.has(app)) return;
  registered.add(app);
  const allowed = guard(RED);
  app.post(
    `${ADMIN_BASE}/user`,
    allowed,
    route(RED, (account) => getUser(account)),
  );
  app.post(
    `${ADMIN_BASE}/families`,
    allowed,
    route(RED, ({ client }) => listFamilies(client)),
  );
  app.post(
    `${ADMIN_BASE}/devices`,
    allowed,
    route(RED, ({ client }, body) => listDevices(client, requiredText(body.familyId, 'familyId'))),
  );
  app.post(
    `${ADMIN_BASE}/scenes`,
    allowed,
    route(RED, ({ client }, body) =>
      listFamilyScenes(client, requiredText(body.familyId, 'familyId')),
    ),
  );
  app.post(
    `${ADMIN_BASE}/automations`,
    allowed,
    route(RED, ({ client }, body) =>
      listFamilyAutomations(client, requiredText(body.familyId, 'familyId')),
    ),
  );
  app.post(
    `${ADMIN_BASE}/product`,
    allowed,
    route(RED, ({ client }, body) => getProduct(client, requiredText(body.productId, 'productId'))),
  );
}
