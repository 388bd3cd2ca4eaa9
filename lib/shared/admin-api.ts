/**
 * The account's admin endpoints as the editor sees them: the routes and what each answers.
 * The server side is lib/admin/endpoints.ts; the editor's requests are editor/account-requests.ts.
 */

/** The routes under Node-RED's admin root, one per question; each is a POST. */
export type AdminQuestion = 'user' | 'families' | 'devices' | 'product' | 'scenes' | 'automations';

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

export interface FamilySummary {
  familyId: string;
  name: string;
  role: number;
}

export interface DeviceSummary {
  familyId: string;
  productId: string;
  deviceName: string;
  deviceId: string;
  aliasName: string;
  roomId: string;
  roomName: string;
  /** Undefined when the status could not be read. */
  online?: boolean;
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
