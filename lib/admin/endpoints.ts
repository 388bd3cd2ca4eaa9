// The account node's admin endpoints: they feed the editor's device, action and InputParams
// pickers from what the user's account holds. The token stays on the server: the editor may
// send one it has just typed, or the sign-in settings of an account not yet deployed (the
// server then signs in for the one request), but no answer ever carries a token or a secret.
// Each route is registered through lib/admin/routes.ts (the cross-site guard, permissions); its
// calls go through the editor's own lane (never the flows' queue) and end when the browser goes.

import type { Request, Response } from 'express';
import type { NodeAPI } from 'node-red';
import {
  ApiClient,
  DEFAULT_TIMEOUT_MS,
  type CallOptions,
  type RoomInfo,
  type SharedDevice,
} from '../api/client';
import { SideLane } from '../api/flow-control';
import type { AutomationSummary, SceneSummary } from '../api/scenes';
import { IotExplorerError, LocalErrorCode, unexpectedError } from '../errors/errors';
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
import { deployedNodeKind, getAccount, type IotExplorerAccount } from '../account/account';
import type { AccountCredentials } from '../account/open-account';
import { SIGN_IN_CREDENTIALS, SIGN_IN_SETTINGS, UNCHANGED_SECRET } from '../shared/account';
import {
  ADMIN_QUESTIONS,
  AdminErrorCode,
  type AdminAnswer,
  type AdminQuestion,
  type DeviceSummary,
  type FamilySummary,
  type HomeSummary,
  type ProductSummary,
  type UserSummary,
} from '../shared/admin-api';
import { addAdminRoute } from './routes';
import { readHome } from '../home/home-reader';

// The answers' shapes are shared with the editor: one home, lib/shared/admin-api.ts.
export type {
  AdminAnswer,
  DeviceSummary,
  FamilySummary,
  ProductSummary,
  UserSummary,
} from '../shared/admin-api';

/** Base path of every route; `:id` is the account config node's id. */
export const ADMIN_BASE = '/iot-explorer/accounts/:id';

/** The editor's calls per account on the wire at once, beside (never in) the flows' limit. */
export const EDITOR_MAX_IN_FLIGHT = 2;
/** The editor's calls per account waiting for one of its slots; one more is IOTX_EDITOR_BUSY. */
export const EDITOR_MAX_QUEUE = 8;

/**
 * The account settings the editor may send: what it shows now, deployed or not. A sign-in
 * field left out means "as deployed" (a setting) or "as stored" (a credential), and so does
 * {@link UNCHANGED_SECRET} for a credential.
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

/** The client one admin request uses, and what is known of its token's expiry. */
interface AdminAccount {
  client: ApiClient;
  /** For every call of the request: the editor's lane, and the signal of the browser leaving. */
  call: CallOptions;
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

function signInMode(body: AdminRequestBody, deployed: IotExplorerAccount | undefined): boolean {
  return body.authMode === undefined
    ? deployed?.settings.authMode === 'signin'
    : body.authMode === 'signin';
}

/** A token typed in the editor; a sign-in account ignores a leftover one. */
function typedToken(body: AdminRequestBody): string | undefined {
  if (body.authMode === 'signin') return undefined;
  const token = text(body.accessToken);
  return token === undefined || token === UNCHANGED_SECRET ? undefined : token;
}

/**
 * Refuses an id that names a deployed node of another type (an mqtt-broker, an http request
 * node): its credentials must never travel, not even to the endpoint the editor names.
 */
function refuseOtherNodes(RED: NodeAPI, id: string): void {
  if (deployedNodeKind(RED, id) === 'other') {
    throw new IotExplorerError({
      code: AdminErrorCode.NotAccount,
      key: 'admin.notAccount',
      params: { id: id.slice(0, 64) },
    });
  }
}

function timeoutOf(raw: unknown, fallback: number): number {
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' ? Number.parseInt(raw, 10) : NaN;
  return Number.isFinite(value) && value > 0 ? Math.min(value, 60000) : fallback;
}

/**
 * The stored credentials of the account node `id`; none for any other node, and none for an id
 * that no deployed node has (a node on a disabled tab keeps its credentials: they stay there).
 */
function storedCredentials(RED: NodeAPI, id: string): AccountCredentials {
  if (deployedNodeKind(RED, id) !== 'account') return {};
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
  for (const field of SIGN_IN_SETTINGS) config[field] = sent(body[field]) ?? deployed?.[field];
  const credentials: SignInCredentials = {};
  for (const field of SIGN_IN_CREDENTIALS) {
    const value = sent(body[field]);
    credentials[field] = value === undefined || value === UNCHANGED_SECRET ? stored[field] : value;
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
  | { kind: 'deployed'; deployed: IotExplorerAccount }
  | { kind: 'pasted'; token: string }
  | { kind: 'signin'; config: SignInConfig; credentials: SignInCredentials };

/**
 * The deployed node as it is, when the editor shows its settings unchanged (a sign-in account's
 * token lives there); else what the editor shows: a typed or stored token, or a sign-in with
 * the settings sent over the deployed and stored ones.
 */
function planFor(RED: NodeAPI, id: string, body: AdminRequestBody): AccountPlan {
  const deployed = getAccount(RED, id);
  const settings = deployed?.settings;
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
function accountFor(
  RED: NodeAPI,
  id: string,
  body: AdminRequestBody,
  call: CallOptions,
): AdminAccount {
  const plan = planFor(RED, id, body);
  const settings = getAccount(RED, id)?.settings;
  const fixedSecrets = [
    typedToken(body),
    ...SIGN_IN_CREDENTIALS.map((field) => body[field]),
    ...Object.values(storedCredentials(RED, id) as Record<string, unknown>),
  ].filter((v): v is string => typeof v === 'string' && v !== UNCHANGED_SECRET);
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
      call,
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
      call,
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
    signal: call.signal,
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
    call,
    expiresAt: () => signedInUntil,
    secrets: () => [...fixedSecrets, source.heldToken() ?? ''],
    release: () => endSignIn(client, source),
  };
}

/**
 * Read permission is enough to use the deployed account as it is. Anything else needs write
 * permission too: a typed token, typed or edited sign-in settings, or the stored credentials
 * sent to an endpoint other than the deployed one (a read-only user could otherwise send them
 * to a server of their choosing).
 */
function permissionFor(RED: NodeAPI, req: Request): string[] {
  const body = (req.body ?? {}) as AdminRequestBody;
  const read = 'iot-explorer-account.read';
  return planFor(RED, String(req.params.id), body).kind === 'deployed'
    ? [read]
    : [read, 'iot-explorer-account.write'];
}

function toAnswer(RED: NodeAPI, err: unknown): AdminAnswer<never> {
  const localized = localizeError(RED, unexpectedError(err));
  return {
    success: false,
    code: localized.code,
    key: localized.key,
    params: localized.params,
    message: localized.message,
  };
}

/**
 * The editor's lane of each account: {@link EDITOR_MAX_IN_FLIGHT} calls at once and
 * {@link EDITOR_MAX_QUEUE} waiting, whoever asks. A lane lives while a request of its account
 * runs, so ids that are asked about once leave nothing behind.
 */
class EditorLanes {
  private readonly lanes = new Map<string, { lane: SideLane; users: number }>();

  take(id: string): SideLane {
    const held = this.lanes.get(id) ?? {
      lane: new SideLane({
        maxInFlight: EDITOR_MAX_IN_FLIGHT,
        maxQueue: EDITOR_MAX_QUEUE,
        full: () =>
          new IotExplorerError({
            code: AdminErrorCode.EditorBusy,
            key: 'admin.editorBusy',
            params: { maxInFlight: EDITOR_MAX_IN_FLIGHT, maxQueue: EDITOR_MAX_QUEUE },
          }),
      }),
      users: 0,
    };
    held.users += 1;
    this.lanes.set(id, held);
    return held.lane;
  }

  give(id: string): void {
    const held = this.lanes.get(id);
    if (held && --held.users === 0) this.lanes.delete(id);
  }
}

/**
 * One route's handler: the account for the request, the question asked of it, the answer with
 * every token and credential scrubbed out. The calls use the account's editor lane and end when
 * the browser goes away: on Node 20 the request's `close` fires once its body is read, so the
 * response's `close` before it has finished is the sign.
 */
function answer<T>(RED: NodeAPI, lanes: EditorLanes, handler: AdminHandler<T>) {
  return async (req: Request, res: Response): Promise<void> => {
    const body = (req.body ?? {}) as AdminRequestBody;
    const id = String(req.params.id);
    const gone = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) gone.abort();
    };
    res.on('close', onClose);
    const lane = lanes.take(id);
    let account: AdminAccount | undefined;
    let result: AdminAnswer<T>;
    try {
      refuseOtherNodes(RED, id);
      account = accountFor(RED, id, body, { signal: gone.signal, lane });
      result = { success: true, data: await handler(account, body) };
    } catch (err) {
      result = toAnswer(RED, err);
    } finally {
      lanes.give(id);
    }
    try {
      if (!gone.signal.aborted) {
        // No token or credential leaves in an answer, whatever a reply or an error echoed.
        res
          .type('application/json')
          .set('Cache-Control', 'no-store')
          .send(redactSecrets(JSON.stringify(result), account?.secrets() ?? []));
      }
    } finally {
      res.off('close', onClose);
      await account?.release();
    }
  };
}

export async function listFamilies(
  client: ApiClient,
  call: CallOptions = {},
): Promise<FamilySummary[]> {
  return client.getFamilies(call);
}

/**
 * The devices the user can pick: those of one family (every room, with room names), then those
 * other users share with the user (`shared`, with `sharedBy` where the reply names the sharer),
 * each with its online state. Without a family: the shared devices alone (a user with no family
 * of their own, such as an account kept for automations, still has them to pick).
 */
export async function listDevices(
  client: ApiClient,
  familyId: string | undefined,
  call: CallOptions = {},
): Promise<DeviceSummary[]> {
  // The shared devices only complete the family's list: without a family they are the list.
  const sharedRead = client.getSharedDevices(call);
  const [owned, shared, rooms] = await Promise.all([
    familyId === undefined ? [] : client.getFamilyDevices(familyId, call),
    familyId === undefined ? sharedRead : sharedRead.catch((): SharedDevice[] => []),
    // Room names and online state only decorate the list: a failure there leaves them blank.
    familyId === undefined ? [] : client.getRooms(familyId, call).catch((): RoomInfo[] => []),
  ]);
  const roomNames = new Map(rooms.map((r) => [r.roomId, r.roomName]));
  // A device the user owns and also has shared with them (a slip of the service) is listed once.
  const ownedIds = new Set(owned.map((d) => d.deviceId));
  const sharedOnly = shared.filter((d) => !ownedIds.has(d.deviceId));
  const ids = [...owned, ...sharedOnly].map((d) => d.deviceId);
  const online =
    ids.length === 0
      ? new Map<string, boolean>()
      : await client
          .getDeviceStatuses(ids, call)
          .then(({ statuses }) => new Map(statuses.map((s) => [s.deviceId, s.online])))
          .catch(() => new Map<string, boolean>());
  return [
    ...owned.map((d): DeviceSummary => ({
      familyId: familyId ?? '',
      productId: d.productId,
      deviceName: d.deviceName,
      deviceId: d.deviceId,
      aliasName: d.aliasName,
      roomId: d.roomId,
      roomName: roomNames.get(d.roomId) ?? '',
      online: online.get(d.deviceId),
      shared: false,
      sharedBy: null,
    })),
    ...sharedOnly.map((d): DeviceSummary => ({
      familyId: '',
      productId: d.productId,
      deviceName: d.deviceName,
      deviceId: d.deviceId,
      aliasName: d.aliasName,
      roomId: '',
      roomName: '',
      online: online.get(d.deviceId),
      shared: true,
      sharedBy: d.sharedBy,
    })),
  ];
}

export async function getProduct(
  client: ApiClient,
  productId: string,
  call: CallOptions = {},
): Promise<ProductSummary> {
  const product = await client.getProduct(productId, call);
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
  const summary: UserSummary = await account.client.getUser(account.call);
  const expiresAt = account.expiresAt();
  if (expiresAt !== undefined) summary.expiresAt = expiresAt;
  return summary;
}

/** The scenes of one family, every page; `devicesLeft` marks those with a device gone. */
export async function listFamilyScenes(
  client: ApiClient,
  familyId: string,
  call: CallOptions = {},
): Promise<SceneSummary[]> {
  return (await client.listScenes(familyId, call)).scenes;
}

/** The automations of one family, each with `enabled` (never the raw Status number). */
export async function listFamilyAutomations(
  client: ApiClient,
  familyId: string,
  call: CallOptions = {},
): Promise<AutomationSummary[]> {
  return (await client.listAutomations(familyId, call)).automations;
}

/**
 * The whole home for the editor's filters and pickers: families with their rooms, and every
 * device record, shared devices included. Read on the editor's lane, like every admin question,
 * not through the account's home model (whose reads are the flows').
 */
export async function readHomeSummary(
  client: ApiClient,
  call: CallOptions = {},
): Promise<HomeSummary> {
  const { families, devices } = await readHome(client, call);
  return { families, devices };
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

/** What each question asks of the account. */
const QUESTIONS: { [Q in AdminQuestion]: AdminHandler<unknown> } = {
  user: (account) => getUser(account),
  families: ({ client, call }) => listFamilies(client, call),
  devices: ({ client, call }, body) => listDevices(client, text(body.familyId), call),
  product: ({ client, call }, body) =>
    getProduct(client, requiredText(body.productId, 'productId'), call),
  scenes: ({ client, call }, body) =>
    listFamilyScenes(client, requiredText(body.familyId, 'familyId'), call),
  automations: ({ client, call }, body) =>
    listFamilyAutomations(client, requiredText(body.familyId, 'familyId'), call),
  home: ({ client, call }) => readHomeSummary(client, call),
};

/**
 * Registers the account's routes, one POST per question (lib/shared/admin-api.ts), through
 * {@link addAdminRoute}; the account node's module calls it, once per runtime.
 */
export function registerAdminEndpoints(RED: NodeAPI): void {
  const lanes = new EditorLanes();
  for (const question of ADMIN_QUESTIONS) {
    addAdminRoute(RED, {
      method: 'post',
      path: `${ADMIN_BASE}/${question}`,
      permission: (req) => permissionFor(RED, req),
      handler: answer(RED, lanes, QUESTIONS[question]),
    });
  }
}
