// The call nodes' status (action, control, state, status, scene, automation, history): one
// painter for all of them. The subscribers' (the watch's) is lib/watch's.
import type { Node, NodeAPI, NodeStatus } from 'node-red';
import type { TokenHealth, TokenNotice } from '../auth/token-health';
import { ACCOUNT_NAMESPACE } from '../shared/palette';

/** At most this often does a busy node repaint its status: a status costs a message to the editor. */
export const MIN_REPAINT_MS = 250;

/**
 * A call node's status: a blue dot with the calls in flight (and those waiting in the account's
 * queue), then a green dot with the last result or a red ring with the last error's code; the
 * account's token notice (expiring, expired, sign-in failing), when there is one, replaces the
 * last result. Repaints are throttled, so that a burst of messages does not become a burst of
 * status events. The texts are the account catalogue's (shared by every call node).
 *
 * Node-RED's common status texts (`node-red:common.status.*`: connected, connecting, …) name a
 * connection's states; a call node has none, so none of them is used here.
 */
export class CallStatus {
  private inFlight = 0;
  private waiting = 0;
  private last: NodeStatus | undefined;
  private lastPaint = 0;
  private timer: NodeJS.Timeout | undefined;
  private painted = '';
  private readonly unsubscribe: (() => void) | undefined;

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    /** The account's token health; undefined without an account. */
    private readonly health: TokenHealth | undefined,
  ) {
    this.unsubscribe = health?.subscribe(() => this.schedule());
    if (health?.current()) this.schedule();
  }

  begin(): void {
    this.inFlight += 1;
    this.schedule();
  }

  /** One of the calls in flight now waits in the account's queue. */
  queued(): void {
    this.waiting += 1;
    this.schedule();
  }

  /** A queued call left the queue (it started, or was aborted). */
  dequeued(): void {
    this.waiting = Math.max(0, this.waiting - 1);
    this.schedule();
  }

  succeeded(text: string): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.last = { fill: 'green', shape: 'dot', text };
    this.schedule();
  }

  failed(code: string): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.last = { fill: 'red', shape: 'ring', text: code };
    this.schedule();
  }

  /** Clears the status, stops any pending repaint and the token notices (on close). */
  close(): void {
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight = 0;
    this.waiting = 0;
    this.node.status({});
  }

  private text(key: string, params?: Record<string, string | number>): string {
    return this.RED._(`${ACCOUNT_NAMESPACE}:status.${key}`, params);
  }

  private current(): NodeStatus {
    if (this.inFlight > 0) {
      const queued = Math.min(this.waiting, this.inFlight);
      const count = this.inFlight - queued;
      return {
        fill: 'blue',
        shape: 'dot',
        text:
          queued > 0
            ? this.text('callingQueued', { count, queued })
            : this.text('calling', { count }),
      };
    }
    const notice = this.health?.current();
    return (notice && this.noticeStatus(notice)) ?? this.last ?? {};
  }

  /** A token notice as a node status. */
  private noticeStatus(notice: TokenNotice): NodeStatus {
    switch (notice.kind) {
      case 'expiresSoon':
        return {
          fill: 'yellow',
          shape: 'ring',
          text: this.text('tokenExpiresIn', { days: notice.days }),
        };
      case 'expired':
        return { fill: 'red', shape: 'ring', text: this.text('tokenExpired') };
      case 'signInFailed':
        return {
          fill: 'red',
          shape: 'ring',
          text: this.text('signInFailed', { code: notice.code }),
        };
    }
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastPaint + MIN_REPAINT_MS - Date.now();
    if (wait <= 0) {
      this.paint();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.paint();
    }, wait);
    this.timer.unref?.();
  }

  private paint(): void {
    const status = this.current();
    const key = `${status.fill ?? ''}|${status.shape ?? ''}|${String(status.text ?? '')}`;
    this.lastPaint = Date.now();
    if (key === this.painted) return;
    this.painted = key;
    this.node.status(status);
  }
}
