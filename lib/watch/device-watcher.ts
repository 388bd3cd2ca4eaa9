import type { IotExplorerError } from '../errors/errors';
import { ChangeTracker, type WatchChange } from './changes';
import { DeviceReader, type DeviceReads, type ReadTarget } from './device-reader';

export type {
  WatchChange,
  PropertyChange,
  OnlineChange,
  EventChange,
  ActionReplyChange,
} from './changes';

/** After failing rounds the period doubles, up to this (or the interval, if longer). */
export const MAX_BACKOFF_MS = 10 * 60 * 1000;

export interface PollWatchOptions {
  /** Where the reads go: the account's API client. */
  reads: DeviceReads;
  /** 'PID/DN' ids, without repeats. */
  deviceIds: readonly string[];
  /** Property ids to watch; empty: all. */
  properties: readonly string[];
  watchState: boolean;
  watchOnline: boolean;
  intervalMs: number;
  /** Report the first poll's values as changes (oldValue/was null) instead of silently. */
  emitInitial: boolean;
}

/** What the watcher tells its owner; the owner turns it into messages and status. */
export interface PollWatchListener {
  change(change: WatchChange): void;
  /**
   * A poll failed. Called once per distinct error code per target until that target recovers,
   * so a device that stays offline for a day does not report every poll.
   */
  failure(err: IotExplorerError, target: ReadTarget): void;
  /** A round of polls ended: `failed` is its first error, `nextMs` when the next round starts. */
  round(outcome: { failed?: IotExplorerError; nextMs: number }): void;
}

type Poll = () => Promise<IotExplorerError | undefined>;

const POLL = { source: 'poll', read: true, gapFill: false } as const;

/**
 * Polls the online status (one AppGetDeviceStatuses for all devices) and the properties (one
 * AppGetDeviceData per device) of a set of devices, spreading the calls over the interval, and
 * reports what changed since the last poll. The first poll sets the baseline. Failing rounds
 * double the period up to {@link MAX_BACKOFF_MS}; stop() ends everything at once.
 */
export class DeviceWatcher {
  private readonly controller = new AbortController();
  private readonly reader: DeviceReader;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failedRounds = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly options: PollWatchOptions,
    private readonly listener: PollWatchListener,
  ) {
    const tracker = new ChangeTracker(options, (change) => listener.change(change));
    this.reader = new DeviceReader(options.reads, tracker, this.controller.signal, (err, target) =>
      listener.failure(err, target),
    );
  }

  /** The calls of one round. Zero when there is nothing to watch. */
  get callsPerRound(): number {
    const { deviceIds, watchOnline, watchState } = this.options;
    if (deviceIds.length === 0) return 0;
    return (watchOnline ? 1 : 0) + (watchState ? deviceIds.length : 0);
  }

  start(): void {
    if (this.running || this.callsPerRound === 0) return;
    this.running = this.loop();
  }

  /** Stops polling and aborts calls in flight; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.controller.abort();
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.running;
  }

  private get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  private period(): number {
    const { intervalMs } = this.options;
    const backedOff = intervalMs * 2 ** Math.min(this.failedRounds, 20);
    return Math.min(backedOff, Math.max(intervalMs, MAX_BACKOFF_MS));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  private polls(): Poll[] {
    const { deviceIds } = this.options;
    const polls: Poll[] = [];
    if (this.options.watchOnline) polls.push(() => this.reader.readOnline(deviceIds, POLL));
    if (this.options.watchState) {
      for (const id of deviceIds) polls.push(() => this.reader.readValues(id, POLL));
    }
    return polls;
  }

  private async loop(): Promise<void> {
    const polls = this.polls();
    while (!this.stopped) {
      // Spread the round's calls evenly over the period, so a large set is not a burst.
      const spacing = this.period() / polls.length;
      let failed: IotExplorerError | undefined;
      for (let i = 0; i < polls.length && !this.stopped; i++) {
        const started = Date.now();
        const err = await polls[i]();
        if (this.stopped) return;
        failed ??= err;
        let wait = spacing;
        if (i === polls.length - 1) {
          this.failedRounds = failed ? this.failedRounds + 1 : 0;
          // A failing round waits the whole backed-off period; one that succeeds after failures
          // goes back to the interval's pace at once.
          wait = failed ? this.period() : this.period() / polls.length;
          this.listener.round({ failed, nextMs: wait });
        }
        await this.sleep(wait - (Date.now() - started));
      }
    }
  }
}
