// The contracts of the API client, below everything that uses them: what a call takes and what a
// reply is (the wire), where tokens come from (implemented by lib/auth/, used by the request
// pipeline and the push connection), and the requester every domain module calls through.
// Types and constants only: nothing here sends anything.

/** Told when a call waits in the account's queue and when it leaves it (started or aborted). */
export interface QueueObserver {
  queued(): void;
  dequeued(): void;
}

/**
 * Where a call waits for its turn. By default the account's {@link FlowControl}; a caller that
 * must never take a flow's place (the editor) passes a {@link SideLane} of its own instead,
 * through the client's per-call options.
 */
export interface CallLane {
  acquire(signal?: AbortSignal, observer?: QueueObserver): Promise<void>;
  release(): void;
}

export interface CallOptions {
  /** Aborts the call (e.g. when the node closes); the promise then rejects with IOTX_CLOSED. */
  signal?: AbortSignal;
  /** Hears when this call waits in the account's queue and leaves it (a node's status). */
  queue?: QueueObserver;
  /** Where the call waits for its turn instead of the account's flow control (the editor's lane). */
  lane?: CallLane;
}

/** A call's options as the pipeline takes them: the caller's, plus what paging adds. */
export interface RequestOptions extends CallOptions {
  /** Read at most this many bytes of the reply (the remaining budget of a paged read). */
  maxReplyBytes?: number;
}

/** The inner object of a successful reply: the Action's fields plus `RequestId`. */
export type ReplyData = Record<string, unknown>;

export interface ApiReply {
  /** The API's RequestId, or the one we sent when the reply's is empty (a documented quirk). */
  requestId: string;
  data: ReplyData;
  /** The reply body's size in bytes, when known (counted against a paged read's budget). */
  bytes?: number;
}

/**
 * The one thing the domain modules (devices, families, scenes, history…) need: the pipeline's
 * request, which waits for the account's flow control, adds the token, retries where that is safe
 * and redacts the reply. Handed to them by the client; nothing outside lib/api/ sends raw calls.
 */
export interface ApiRequester {
  request(
    action: string,
    params: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<ApiReply>;
}

/** The API's code for a refused AccessToken: the one refusal a new token can cure. */
export const INVALID_TOKEN_CODE = 'InvalidParameterValue.InvalidAccessToken';

/** Where the client gets the user's AccessToken for each call. */
export interface TokenSource {
  /** The token to send now; throws an IotExplorerError (IOTX_NO_TOKEN) when there is none. */
  getToken(): Promise<string> | string;
  /**
   * Called when the API refused `rejected` as invalid. A source that can sign in again returns
   * a fresh token, and the client retries the call once: the server refused the call before
   * acting, so the retry cannot run an action twice. A pasted token returns undefined.
   */
  renewAfterRejection?(rejected: string): Promise<string | undefined>;
}

/** The application's keys, from the IoT Explorer console (应用开发 → the app's settings). */
export interface AppCredentials {
  appKey: string;
  appSecret: string;
}

/** What AppGetToken needs to know about the user. */
export type UserLogin =
  | { type: 'phone'; countryCode: string; phoneNumber: string; password: string }
  | { type: 'email'; email: string; password: string };

/** A token as AppGetToken issues it. */
export interface IssuedToken {
  token: string;
  /** UNIX seconds. */
  expireAt: number;
}

/** An appapi request's params, signed as they are (lib/api/signature.ts). */
export type AppApiParams = Record<string, string | number | boolean | undefined>;
