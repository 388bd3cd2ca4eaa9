import type { Node, NodeStatus } from 'node-red';

export interface CallStatusTexts {
  /** e.g. "2 calling…", or with a queue "10 calling, 5 queued". */
  calling(count: number, queued: number): string;
  /** What to show when no call is in flight, above the last result (e.g. a token about to expire). */
  notice?(): NodeStatus | undefined;
}

/** At most this often does a busy node repaint its status: a status costs a message to the editor. */
export const MIN_REPAINT_MS = 250;

/**
 * A node's status: a blue dot with the calls in flight (and those waiting in the account's
 * queue), then a green dot with the last result or a red ring with the last error's code; an
 * account's notice, when there is one, replaces the last result. Repaints are throttled so that
 * a burst of messages
 * does not become a burst of status events.
 */
export class CallStatus {
  private inFlight = 0;
  private waiting = 0;
  private last: NodeStatus | undefined;
  private lastPaint = 0;
  private timer: NodeJS.Timeout | undefined;
  private painted = '';

  constructor(
    private readonly node: Node,
    private readonly texts: CallStatusTexts,
  ) {}

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

  /** Repaints, e.g. when the notice changed. */
  refresh(): void {
    this.schedule();
  }

  /** Clears the status and stops any pending repaint (on close). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight = 0;
    this.waiting = 0;
    this.node.status({});
  }

  private current(): NodeStatus {
    if (this.inFlight > 0) {
      const waiting = Math.min(this.waiting, this.inFlight);
      return {
        fill: 'blue',
        shape: 'dot',
        text: this.texts.calling(this.inFlight - waiting, waiting),
      };
    }
    return this.texts.notice?.() ?? this.last ?? {};
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
