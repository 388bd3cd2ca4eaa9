import { DAY_MS, systemClock, type Clock } from './token-source';

/** What the nodes of an account should show about its token when they are idle. */
export type TokenNotice =
  | { kind: 'expiresSoon'; days: number; expireAt: number }
  | { kind: 'expired'; expireAt: number }
  | { kind: 'signInFailed'; code: string };

/** A pasted token's nodes turn yellow this many days before its ExpireAt. */
export const EXPIRY_WARNING_DAYS = 7;

/** How often a pasted token's expiry is looked at again. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * The account's current notice, which the device nodes paint as their idle status; they
 * subscribe to repaint when it changes (the mqtt-broker pattern, without a node registry).
 */
export class TokenHealth {
  private notice: TokenNotice | undefined;
  private readonly listeners = new Set<() => void>();

  current(): TokenNotice | undefined {
    return this.notice;
  }

  set(notice: TokenNotice | undefined): void {
    if (JSON.stringify(notice) === JSON.stringify(this.notice)) return;
    this.notice = notice;
    for (const listener of this.listeners) listener();
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

// The editor reads a typed ExpireAt by the same rule: it lives in lib/shared/.
export { parseExpireAt } from '../shared/expire-at';

/** The notice for a pasted token at time `now` (ms). */
export function pastedTokenNotice(expireAt: number, now: number): TokenNotice | undefined {
  const left = expireAt * 1000 - now;
  if (left <= 0) return { kind: 'expired', expireAt };
  if (left <= EXPIRY_WARNING_DAYS * DAY_MS) {
    return { kind: 'expiresSoon', days: Math.ceil(left / DAY_MS), expireAt };
  }
  return undefined;
}

export interface PastedExpiryWatch {
  expireAt: number;
  health: TokenHealth;
  /** Called when the user should be told in the log: at most once a day. */
  warn(notice: TokenNotice): void;
  clock?: Clock;
}

/** Keeps a pasted token's notice current and warns in the log at most once a day. Returns stop(). */
export function watchPastedExpiry(watch: PastedExpiryWatch): () => void {
  const clock = watch.clock ?? systemClock;
  let lastWarnAt = -Infinity;
  let cancel: (() => void) | undefined;
  let stopped = false;
  const check = (): void => {
    if (stopped) return;
    const now = clock.now();
    const notice = pastedTokenNotice(watch.expireAt, now);
    watch.health.set(notice);
    if (notice && now - lastWarnAt >= DAY_MS) {
      lastWarnAt = now;
      watch.warn(notice);
    }
    cancel = clock.schedule(check, CHECK_EVERY_MS);
  };
  check();
  return () => {
    stopped = true;
    cancel?.();
  };
}
