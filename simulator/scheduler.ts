// Timers the simulator owns (device delays, async actions, fault latency, scripts), so that
// close() can cancel all of them at once. Every timer is unref'd: none keeps the process alive.

/** Thrown (as a rejection) into whatever was waiting when the simulator closed. */
export class SimulatorClosedError extends Error {
  override name = 'SimulatorClosedError';
  constructor() {
    super('simulator closed');
  }
}

export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<() => void>();
  private closed = false;

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves after `ms`; rejects with SimulatorClosedError if the simulator closes first. */
  sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.reject(new SimulatorClosedError());
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const cancel = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        reject(new SimulatorClosedError());
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.waiters.delete(cancel);
        resolve();
      }, ms);
      timer.unref();
      this.timers.add(timer);
      this.waiters.add(cancel);
    });
  }

  /** Runs `fn` once after `ms` unless the simulator closes first. */
  after(ms: number, fn: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Cancels every timer and rejects every sleeper. Later calls do nothing. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const cancel of waiters) cancel();
  }
}
