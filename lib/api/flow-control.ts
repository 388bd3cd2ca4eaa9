import { IotExplorerError, LocalErrorCode } from '../errors/errors';
import type { CallLane, QueueObserver } from './contracts';
export type { CallLane } from './contracts';

// Shared with the editor's placeholders: one home, lib/shared/account.ts.
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_QUEUE } from '../shared/account';

export { DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_QUEUE };

export interface FlowControlOptions {
  /** Calls on the wire at once (the official SDK's default is 10). */
  maxInFlight?: number;
  /** Calls waiting for a slot; one more is refused with IOTX_QUEUE_FULL. */
  maxQueue?: number;
  /** Calls started per second, for users who share a quota; 0 or undefined = no limit. */
  ratePerSecond?: number;
}

interface Waiter {
  resolve(): void;
  reject(err: IotExplorerError): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Hears when this call leaves the queue (the node that sent it). */
  observer: QueueObserver | undefined;
  prev: Waiter | undefined;
  next: Waiter | undefined;
}

function closedError(): IotExplorerError {
  return new IotExplorerError({ code: LocalErrorCode.Closed, key: 'closed' });
}

/**
 * An account's flow control: at most `maxInFlight` calls at once, the rest waiting in arrival
 * order up to `maxQueue`, optionally no more than `ratePerSecond` starts per second (a token
 * bucket holding one second's worth). Every operation is O(1); no timer runs while idle.
 */
export class FlowControl {
  readonly maxInFlight: number;
  readonly maxQueue: number;
  readonly ratePerSecond: number;
  private running = 0;
  private waiting = 0;
  private head: Waiter | undefined;
  private tail: Waiter | undefined;
  private tokens: number;
  private refilledAt = 0;
  private refillTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: FlowControlOptions = {}) {
    this.maxInFlight = positiveInt(options.maxInFlight, DEFAULT_MAX_IN_FLIGHT);
    this.maxQueue = nonNegativeInt(options.maxQueue, DEFAULT_MAX_QUEUE);
    const rate = options.ratePerSecond ?? 0;
    this.ratePerSecond = Number.isFinite(rate) && rate > 0 ? rate : 0;
    this.tokens = Math.max(1, this.ratePerSecond);
  }

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting;
  }

  /**
   * Takes a slot: at once when one is free and nobody waits, else after the calls queued before.
   * Rejects with IOTX_QUEUE_FULL when the queue is full and with IOTX_CLOSED on abort or close.
   * Each successful acquire must be matched by one {@link release}. `observer` hears when the
   * call waits in the queue and when it leaves it.
   */
  acquire(signal?: AbortSignal, observer?: QueueObserver): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.reject(closedError());
    if (this.head === undefined && this.running < this.maxInFlight && this.takeToken()) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting >= this.maxQueue) {
      return Promise.reject(
        new IotExplorerError({
          code: LocalErrorCode.QueueFull,
          key: 'queueFull',
          params: { maxQueue: this.maxQueue, maxInFlight: this.maxInFlight },
        }),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: undefined,
        observer,
        prev: this.tail,
        next: undefined,
      };
      if (this.tail) this.tail.next = waiter;
      else this.head = waiter;
      this.tail = waiter;
      this.waiting += 1;
      if (signal) {
        waiter.onAbort = () => {
          this.unlink(waiter);
          reject(closedError());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      observer?.queued();
      this.pump();
    });
  }

  /** Gives a slot back; the next queued call (if any) starts. */
  release(): void {
    if (this.running > 0) this.running -= 1;
    this.pump();
  }

  /** Refuses every queued call and all later ones with IOTX_CLOSED. */
  close(): void {
    this.closed = true;
    if (this.refillTimer) clearTimeout(this.refillTimer);
    this.refillTimer = undefined;
    while (this.head) {
      const waiter = this.head;
      this.unlink(waiter);
      waiter.reject(closedError());
    }
  }

  private pump(): void {
    while (this.head && this.running < this.maxInFlight) {
      if (!this.takeToken()) {
        this.scheduleRefill();
        return;
      }
      const waiter = this.head;
      this.unlink(waiter);
      this.running += 1;
      waiter.resolve();
    }
  }

  private unlink(waiter: Waiter): void {
    if (waiter.prev) waiter.prev.next = waiter.next;
    else this.head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else this.tail = waiter.prev;
    waiter.prev = undefined;
    waiter.next = undefined;
    this.waiting -= 1;
    if (waiter.signal && waiter.onAbort) {
      waiter.signal.removeEventListener('abort', waiter.onAbort);
    }
    waiter.observer?.dequeued();
  }

  /** Token bucket: refills continuously at ratePerSecond, holds at most one second's worth. */
  private takeToken(): boolean {
    if (this.ratePerSecond === 0) return true;
    const now = performance.now();
    const capacity = Math.max(1, this.ratePerSecond);
    this.tokens = Math.min(
      capacity,
      this.tokens + ((now - this.refilledAt) / 1000) * this.ratePerSecond,
    );
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private scheduleRefill(): void {
    if (this.refillTimer || this.closed) return;
    const waitMs = Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
    this.refillTimer = setTimeout(
      () => {
        this.refillTimer = undefined;
        this.pump();
      },
      Math.max(1, waitMs),
    );
  }
}

function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

function nonNegativeInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value >= 0 ? value : fallback;
}

export interface SideLaneOptions {
  /** Calls of this lane on the wire at once. */
  maxInFlight: number;
  /** Calls of this lane waiting; one more is refused with `full()`. */
  maxQueue: number;
  /** The error a call gets when the lane's queue is full. */
  full: () => Error;
}

/**
 * A small lane beside an account's flow control (the editor's requests): its own in-flight
 * limit and queue, so its calls neither wait in nor fill the flows' queue. It does not close:
 * a caller that goes away aborts its calls' signals.
 */
export class SideLane implements CallLane {
  private readonly control: FlowControl;
  private readonly full: () => Error;

  constructor(options: SideLaneOptions) {
    // Its own FlowControl: the same queue rules, never the flows' instance.
    this.control = new FlowControl({
      maxInFlight: options.maxInFlight,
      maxQueue: options.maxQueue,
    });
    this.full = options.full;
  }

  get inFlight(): number {
    return this.control.inFlight;
  }

  get queued(): number {
    return this.control.queued;
  }

  /** True when no call of this lane runs or waits. */
  get idle(): boolean {
    return this.control.inFlight === 0 && this.control.queued === 0;
  }

  acquire(signal?: AbortSignal, observer?: QueueObserver): Promise<void> {
    return this.control.acquire(signal, observer).catch((err: unknown) => {
      throw err instanceof IotExplorerError && err.code === LocalErrorCode.QueueFull
        ? this.full()
        : err;
    });
  }

  release(): void {
    this.control.release();
  }
}
