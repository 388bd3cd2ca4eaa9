import type { IssuedToken, TokenSource } from '../api/contracts';
import { IotExplorerError, LocalErrorCode, unexpectedError } from '../errors/errors';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Time as the token sources see it, so that a test can move it. */
export interface Clock {
  now(): number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

/** setTimeout takes at most 2^31-1 ms; a 40-day token is longer, so long waits are cut up. */
const MAX_TIMER_MS = DAY_MS;

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(fn, ms) {
    const timer = setTimeout(fn, Math.max(0, ms));
    // A renewal timer must never keep Node-RED (or a test run) alive on its own.
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/**
 * How long before ExpireAt a token is renewed: a tenth of its lifetime, at most one day.
 * A 40-day token is renewed a day early; a short test token a little before it ends.
 */
export function renewalMargin(lifetimeMs: number): number {
  return Math.min(DAY_MS, Math.max(0, lifetimeMs) / 10);
}

export interface PastedTokenSourceOptions {
  token: string;
  /** The account's name, for the error when the token is missing. */
  account: string;
}

/** A token the user pasted: sent as it is; when refused, the user must paste a new one. */
export function createPastedTokenSource(options: PastedTokenSourceOptions): TokenSource {
  const token = options.token.trim();
  return {
    getToken() {
      if (token === '') {
        throw new IotExplorerError({
          code: LocalErrorCode.NoToken,
          key: 'noToken',
          params: { account: options.account },
        });
      }
      return token;
    },
  };
}

/** What a sign-in source reports, for the account's log and its nodes' status. */
export type SignInEvent =
  | { type: 'signedIn'; expireAt: number }
  | { type: 'failed'; error: IotExplorerError; retryAt: number };

export interface SignInTokenSourceOptions {
  /** Obtains a new token (AppGetToken); rejects with an {@link IotExplorerError}. */
  signIn(): Promise<IssuedToken>;
  clock?: Clock;
  onEvent?(event: SignInEvent): void;
  /** Wait after a refused sign-in (wrong password, bad signature…); doubles each time. Default 30 s. */
  refusedBackoffMs?: number;
  /** Wait after a sign-in that did not get an answer (network, timeout, 5xx). Default 2 s. */
  transientBackoffMs?: number;
  /** Longest wait between attempts. Default 10 min. */
  maxBackoffMs?: number;
}

export interface SignInTokenSource extends TokenSource {
  getToken(): Promise<string>;
  renewAfterRejection(rejected: string): Promise<string>;
  /** Signs in now, in the background; the outcome arrives through `onEvent`. */
  start(): void;
  /** The token held now, if any (to log it out on close). */
  heldToken(): string | undefined;
  /** Stops the renewal timer; later calls fail with IOTX_CLOSED. */
  close(): void;
}

interface HeldToken {
  token: string;
  obtainedAt: number;
  /** Infinity when the local clock already says ExpireAt has passed: use it until refused. */
  expiresAt: number;
  renewAt: number;
  /** Obtained because the previous token was refused. */
  afterRejection: boolean;
}

interface Failure {
  error: IotExplorerError;
  retryAt: number;
  waitedMs: number;
}

/**
 * A token refused this soon after a sign-in that replaced a refused token means signing in
 * again will not help (a token from the other platform, say): stop and back off instead.
 */
const FRESH_TOKEN_MS = 10_000;

/** Failures where nothing was refused: the service did not answer, so retry soon. */
function isTransient(error: IotExplorerError): boolean {
  return (
    error.code === LocalErrorCode.Network ||
    error.code === LocalErrorCode.Timeout ||
    error.code === LocalErrorCode.HttpStatus ||
    error.code === LocalErrorCode.BadResponse ||
    error.code === LocalErrorCode.Unexpected ||
    error.code === 'InternalError' ||
    error.code === 'RequestLimitExceeded'
  );
}

/**
 * Signs the user in and keeps the token fresh, in memory only: renewed ahead of ExpireAt by a
 * timer, renewed when the API refuses it (the client then retries the call once), one sign-in
 * at a time however many calls wait for it, and after a failed sign-in no new attempt until
 * a back-off has passed: calls meanwhile fail at once with the sign-in's error.
 */
class SignInSource implements SignInTokenSource {
  private held: HeldToken | undefined;
  private pending: Promise<string> | undefined;
  private failure: Failure | undefined;
  private cancelTimer: (() => void) | undefined;
  private closed = false;
  private readonly clock: Clock;

  constructor(private readonly options: SignInTokenSourceOptions) {
    this.clock = options.clock ?? systemClock;
  }

  start(): void {
    this.renewInBackground();
  }

  heldToken(): string | undefined {
    return this.held?.token;
  }

  async getToken(): Promise<string> {
    const held = this.held;
    if (held && this.clock.now() < held.expiresAt) {
      // Within the margin: renew without making this call wait for it.
      if (this.clock.now() >= held.renewAt) this.renewInBackground();
      return held.token;
    }
    return this.renew(false);
  }

  async renewAfterRejection(rejected: string): Promise<string> {
    const held = this.held;
    // Another call already replaced the refused token: use the new one.
    if (held && held.token !== rejected) return held.token;
    if (held) {
      this.held = undefined;
      if (held.afterRejection && this.clock.now() - held.obtainedAt < FRESH_TOKEN_MS) {
        throw this.fail(
          new IotExplorerError({
            code: 'InvalidParameterValue.InvalidAccessToken',
            key: 'signIn.freshTokenRefused',
          }),
        );
      }
    }
    return this.renew(true);
  }

  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private renewInBackground(): void {
    // The outcome is reported through onEvent; a waiting call sees it itself.
    this.renew(false).catch(() => undefined);
  }

  /** The single flight: every caller during a sign-in shares its promise. */
  private renew(afterRejection: boolean): Promise<string> {
    if (this.closed) {
      return Promise.reject(new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed' }));
    }
    if (this.pending) return this.pending;
    const failure = this.failure;
    if (failure && this.clock.now() < failure.retryAt) {
      return Promise.reject(failure.error.clone());
    }
    const pending = this.signIn(afterRejection).finally(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    this.pending = pending;
    return pending;
  }

  private async signIn(afterRejection: boolean): Promise<string> {
    let issued: IssuedToken;
    try {
      issued = await this.options.signIn();
    } catch (caught) {
      throw this.fail(unexpectedError(caught));
    }
    const now = this.clock.now();
    const expiresAt = issued.expireAt * 1000;
    const lifetime = expiresAt - now;
    this.held = {
      token: issued.token,
      obtainedAt: now,
      expiresAt: lifetime > 0 ? expiresAt : Infinity,
      renewAt: lifetime > 0 ? expiresAt - renewalMargin(lifetime) : Infinity,
      afterRejection,
    };
    this.failure = undefined;
    this.scheduleAt(this.held.renewAt);
    this.options.onEvent?.({ type: 'signedIn', expireAt: issued.expireAt });
    return issued.token;
  }

  /** Records a failed sign-in, sets the back-off, reports it; returns the error to throw. */
  private fail(error: IotExplorerError): IotExplorerError {
    const transient = isTransient(error);
    const first = transient
      ? (this.options.transientBackoffMs ?? 2000)
      : (this.options.refusedBackoffMs ?? 30_000);
    const max = this.options.maxBackoffMs ?? 10 * 60_000;
    const waitedMs = Math.min(max, Math.max(first, (this.failure?.waitedMs ?? 0) * 2));
    const retryAt = this.clock.now() + waitedMs;
    this.failure = { error, retryAt, waitedMs };
    // Only a service that did not answer is tried again unasked: repeating a refused password
    // could get the user's account locked. A refused one waits for the next call.
    if (transient) this.scheduleAt(retryAt);
    this.options.onEvent?.({ type: 'failed', error, retryAt });
    return error.clone();
  }

  private scheduleAt(at: number): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.closed || !Number.isFinite(at)) return;
    const wait = at - this.clock.now();
    this.cancelTimer = this.clock.schedule(
      () => {
        this.cancelTimer = undefined;
        if (this.clock.now() >= at) this.renewInBackground();
        else this.scheduleAt(at);
      },
      Math.min(MAX_TIMER_MS, Math.max(0, wait)),
    );
  }
}

export function createSignInTokenSource(options: SignInTokenSourceOptions): SignInTokenSource {
  return new SignInSource(options);
}
