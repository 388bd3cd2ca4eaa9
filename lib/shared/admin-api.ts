/**
 * The account's admin endpoints as the editor sees them: the routes and what each answers.
 * The server side is lib/admin/endpoints.ts; the editor's requests are editor/account-requests.ts.
 */

import type { DeviceRecord, HomeFamily } from './home';

/** The questions the editor asks about an account, one route each; each is a POST. */
export const ADMIN_QUESTIONS = [
  'user',
  'families',
  'devices',
  'product',
  'scenes',
  'automations',
  'home',
] as const;

export type AdminQuestion = (typeof ADMIN_QUESTIONS)[number];

/**
 * Codes of the admin routes' own refusals (the answers' `code`); a flow never sees them.
 * `IOTX_CROSS_SITE` (HTTP 403) and `IOTX_NOT_JSON` (HTTP 415) come from the cross-site guard
 * every route of the package passes (lib/admin/cross-site.ts).
 */
export const AdminErrorCode = {
  /** Another site's page (Origin, Sec-Fetch-Site), or an Origin that is not Node-RED's own. */
  CrossSite: 'IOTX_CROSS_SITE',
  /** A body that is not `application/json` (a form post, text/plain, none). */
  NotJson: 'IOTX_NOT_JSON',
  /** The editor's own lane for this account is full (its calls never wait in the flows' queue). */
  EditorBusy: 'IOTX_EDITOR_BUSY',
  /** The id names a node that is not an `iot-explorer-account`: its credentials are not used. */
  NotAccount: 'IOTX_NOT_ACCOUNT',
} as const;

/** The path of a question about the account config node `accountId` (relative to the editor). */
export function adminPath(accountId: string, question: AdminQuestion): string {
  return `iot-explorer/accounts/${encodeURIComponent(accountId)}/${question}`;
}

/** Every answer: data on success, else a message, the API's code and a catalogue key. */
export interface AdminAnswer<T> {
  success: boolean;
  data?: T;
  /** A message in the runtime's language; the editor prefers `key` + `params` in its own. */
  message?: string;
  code?: string;
  key?: string;
  params?: Record<string, string | number>;
}

/** The `home` question's answer: what the home node's filters and the pickers show. */
export interface HomeSummary {
  families: HomeFamily[];
  devices: DeviceRecord[];
}

export interface FamilySummary {
  familyId: string;
  name: string;
  role: number;
}

/**
 * A device the `devices` question lists: one of the family asked about, or one another user
 * shares with the user (listed after the family's, whatever family was asked about).
 */
export interface DeviceSummary {
  /** The family asked about; '' for a shared device (it is in no family of the user's). */
  familyId: string;
  productId: string;
  deviceName: string;
  deviceId: string;
  aliasName: string;
  /** '' for a shared device. */
  roomId: string;
  /** '' for the default room and for a shared device. */
  roomName: string;
  /** Undefined when the status could not be read. */
  online?: boolean;
  /** True for a device another user shares with this one. */
  shared: boolean;
  /** Who shared it (the sharer's user id), where the service says so; else null. */
  sharedBy: string | null;
}

export interface ProductSummary {
  productId: string;
  name: string;
  /** The parsed data template (the API sends it as a JSON string). */
  dataTemplate: Record<string, unknown>;
}

export interface UserSummary {
  userId: string;
  userName: string;
  nickName: string;
  /** UNIX seconds, when the token source knows it. */
  expiresAt?: number;
}

/** A scene of a family (AppGetSceneList), as the scene picker shows it. */
export interface SceneSummary {
  sceneId: string;
  familyId: string;
  name: string;
  icon: string;
  /** `Flag` 1: a device the scene controls has left the family, so part of it will fail. */
  devicesLeft: boolean;
  /** `Status` 1: the scene is running now. */
  running: boolean;
  /** How many steps (device controls, delays, …) the scene has. */
  actionCount: number;
}

/** An automation of a family (AppGetAutomationList): on or off, never the raw Status number. */
export interface AutomationSummary {
  automationId: string;
  name: string;
  icon: string;
  enabled: boolean;
}
