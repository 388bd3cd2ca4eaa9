import type { IotExplorerError } from '../errors/errors';
import type { DevicePush } from '../push/frames';
import type { PushSource, PushState } from '../push/push-connection';
import { ChangeTracker, splitId, type Origin, type WatchChange } from './changes';
import { DeviceReader, type DeviceReads, type ReadTarget } from './device-reader';

export interface PushWatchOptions {
  /** Where the baseline and gap-fill reads go: the account's API client. */
  reads: DeviceReads;
  /** Where changes come from: the account's push connection. */
  pushes: PushSource;
  /** 'PID/DN' ids, without repeats. */
  deviceIds: readonly string[];
  /** Property ids to watch; empty: all. */
  properties: readonly string[];
  watchState: boolean;
  watchOnline: boolean;
  watchEvents: boolean;
  watchActions: boolean;
  emitInitial: boolean;
  /**
   * The baseline is read once the socket is live, so that nothing falls between the read and the
   * subscription. If it is not live within this, it is read anyway (and again once live).
   */
  baselineWaitMs: number;
  /**
   * A failed read is tried again after this, doubling up to 8 times it, until it succeeds: until
   * then the node has no baseline, and changes made meanwhile could only be guessed.
   */
  readRetryMs: number;
}

export interface PushWatchListener {
  change(change: WatchChange): void;
  /** A read (baseline or gap-fill) failed; once per distinct code per target. */
  failure(err: IotExplorerError, target: ReadTarget): void;
  /**
   * The connection's state changed, or (same state) a failed read has succeeded since; `live`
   * counts this watcher's devices the server accepted.
   */
  connection(state: PushState, live: number): void;
}

/** Reads run a few at a time: fast enough after a reconnect, gentle on the account's quota. */
const READ_CONCURRENCY = 4;

/**
 * Pushes held per device while a read of it is pending (and online pushes held while a status
 * read is). A device reports a few times a second at most and a read takes well under a second,
 * so only a server flooding pushes comes near. Past it, the oldest held push is folded into the
 * device's next one (its values under the newer ones): the values end right, and only steps in
 * between go unreported.
 */
export const MAX_HELD_PUSHES = 64;

type ReadOrigin = Omit<Origin, 'action' | 'requestId'>;

type StatePush = Extract<DevicePush, { kind: 'online' | 'properties' }>;

/** A read queued and not started yet: a later request for the same kind of read joins it. */
interface QueuedRead {
  ids: Set<string>;
  origin: ReadOrigin;
}

/**
 * The watch node in push mode: changes come from the account's push socket; reads happen only to
 * set the baseline and, after each reconnect, to fill what the socket missed. A push for a device
 * whose read is in flight waits for that read and is applied after it, so a change is reported
 * once, whichever way it was learned first.
 *
 * Everything it keeps is bounded by its devices: at most one value read and one status read
 * queued besides those in flight (a new request joins the queued one), one retry timer per read
 * target, {@link MAX_HELD_PUSHES} held pushes per device, and the tracker's own bound on property
 * ids.
 */
export class PushWatcher {
  private readonly controller = new AbortController();
  private readonly tracker: ChangeTracker;
  private readonly reader: DeviceReader;
  private readonly mine: ReadonlySet<string>;
  private unsubscribe: (() => void) | undefined;
  private baselineTimer: NodeJS.Timeout | undefined;
  private session = -1;
  /** This session's devices that have been (or are being) read since they became live. */
  private readSinceLive = new Set<string>();
  private baselineRead = false;
  /** Value reads queued or in flight, per device; status reads queued or in flight. */
  private readonly valueReads = new Map<string, number>();
  private onlineReads = 0;
  /** The value read and the status read queued and not started, if any. */
  private nextValues: QueuedRead | undefined;
  private nextOnline: QueuedRead | undefined;
  /** Pushes held back while a read of their device is pending. */
  private readonly held = new Map<string, StatePush[]>();
  private readonly heldOnline: StatePush[] = [];
  private reads: Promise<void> = Promise.resolve();
  /** Failed reads waiting to be tried again (one per target), and how often each has failed. */
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();
  private lastState: PushState | undefined;
  /**
   * Devices the source said are not the user's any more: reported once, then left out of reads
   * (their failures would only say it again) until the source has them live again.
   */
  private readonly gone = new Set<string>();

  constructor(
    private readonly options: PushWatchOptions,
    private readonly listener: PushWatchListener,
  ) {
    this.mine = new Set(options.deviceIds);
    this.tracker = new ChangeTracker(options, (change) => listener.change(change));
    this.reader = new DeviceReader(options.reads, this.tracker, this.controller.signal, (e, t) => {
      if (t.deviceId !== undefined && this.gone.has(t.deviceId)) return;
      listener.failure(e, t);
    });
  }

  /** Whether there is anything to watch. */
  get active(): boolean {
    const o = this.options;
    return (
      o.deviceIds.length > 0 && (o.watchState || o.watchOnline || o.watchEvents || o.watchActions)
    );
  }

  start(): void {
    if (this.unsubscribe || !this.active) return;
    this.unsubscribe = this.options.pushes.subscribe({
      deviceIds: this.options.deviceIds,
      push: (push) => this.onPush(push),
      state: (state) => this.onState(state),
      unattributedStatus: () => {
        // Only a read can tell which device it was: one status call for all of ours.
        if (this.options.watchOnline && !this.stopped) {
          this.readOnline(this.present(this.options.deviceIds), {
            source: 'poll',
            read: true,
            gapFill: true,
          });
        }
      },
      gone: (deviceId, reason) => this.onGone(deviceId, reason),
    });
    if (this.needsReads) {
      this.baselineTimer = setTimeout(() => {
        this.baselineTimer = undefined;
        if (!this.baselineRead) this.read(this.options.deviceIds, false);
      }, this.options.baselineWaitMs);
    }
  }

  /** Unsubscribes, aborts reads in flight; resolves when they have ended. */
  async stop(): Promise<void> {
    this.controller.abort();
    clearTimeout(this.baselineTimer);
    this.baselineTimer = undefined;
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.reads;
  }

  private get needsReads(): boolean {
    return this.options.watchState || this.options.watchOnline;
  }

  /** The devices of `ids` not gone from the home. */
  private present(ids: Iterable<string>): string[] {
    return [...ids].filter((id) => !this.gone.has(id));
  }

  /**
   * A device left the user's home (removed, or its share ended): said once, as a failure of that
   * device; its reads stop, and the other devices go on.
   */
  private onGone(deviceId: string, reason: IotExplorerError): void {
    if (this.stopped || !this.mine.has(deviceId) || this.gone.has(deviceId)) return;
    this.gone.add(deviceId);
    clearTimeout(this.retryTimers.get(deviceId));
    this.retryTimers.delete(deviceId);
    this.failures.delete(deviceId);
    this.held.delete(deviceId);
    this.listener.failure(reason, { action: String(reason.params.action ?? ''), deviceId });
  }

  private onState(state: PushState): void {
    if (this.controller.signal.aborted) return;
    const live = [...this.mine].filter((id) => state.live.has(id));
    for (const id of live) {
      // Live again (shared or bound again): read it as a device new to this session.
      if (this.gone.delete(id)) this.readSinceLive.delete(id);
    }
    if (state.phase === 'live' && this.needsReads) {
      if (state.session !== this.session) {
        this.session = state.session;
        this.readSinceLive = new Set();
      }
      const fresh = live.filter((id) => !this.readSinceLive.has(id));
      if (fresh.length > 0) {
        for (const id of fresh) this.readSinceLive.add(id);
        clearTimeout(this.baselineTimer);
        this.baselineTimer = undefined;
        this.read(fresh, true);
      }
    }
    this.lastState = state;
    this.listener.connection(state, state.phase === 'live' ? live.length : 0);
  }

  /** Queues one read of `deviceIds`; pushes for them wait until their read has been applied. */
  private read(deviceIds: readonly string[], gapFill: boolean): void {
    this.baselineRead = true;
    const origin: ReadOrigin = { source: 'poll', read: true, gapFill };
    const ids = this.present(deviceIds);
    if (ids.length === 0) return;
    if (this.options.watchOnline) this.readOnline(ids, origin);
    if (this.options.watchState) this.readValues(ids, origin);
  }

  /** Queues one status read (or joins the one queued); online pushes wait until it is applied. */
  private readOnline(ids: string[], origin: ReadOrigin): void {
    if (this.nextOnline) {
      join(this.nextOnline, ids, origin);
      return;
    }
    const queued: QueuedRead = { ids: new Set(ids), origin: { ...origin } };
    this.nextOnline = queued;
    this.onlineReads += 1;
    this.chain(async () => {
      if (this.nextOnline === queued) this.nextOnline = undefined;
      const batch = this.present(queued.ids);
      try {
        if (!this.stopped && batch.length > 0) {
          const failed = await this.reader.readOnline(batch, queued.origin);
          this.settled('online', failed, () => this.readOnline(batch, queued.origin));
        }
      } finally {
        this.onlineReads -= 1;
        if (this.onlineReads === 0) this.release(this.heldOnline.splice(0));
      }
    });
  }

  /**
   * Queues one value read per device (or adds them to the read queued); a device's pushes wait
   * until its read has been applied.
   */
  private readValues(ids: string[], origin: ReadOrigin): void {
    const queued = this.nextValues ?? { ids: new Set<string>(), origin: { ...origin } };
    const added = [...new Set(ids)].filter((id) => !queued.ids.has(id));
    for (const id of added) this.valueReads.set(id, (this.valueReads.get(id) ?? 0) + 1);
    if (this.nextValues) {
      join(queued, added, origin);
      return;
    }
    for (const id of added) queued.ids.add(id);
    this.nextValues = queued;
    this.chain(async () => {
      if (this.nextValues === queued) this.nextValues = undefined;
      const queue = [...queued.ids];
      const worker = async (): Promise<void> => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          const device = id;
          try {
            if (!this.stopped && !this.gone.has(device)) {
              const failed = await this.reader.readValues(device, queued.origin);
              this.settled(device, failed, () => this.readValues([device], queued.origin));
            }
          } finally {
            const left = (this.valueReads.get(device) ?? 1) - 1;
            if (left > 0) this.valueReads.set(device, left);
            else {
              this.valueReads.delete(device);
              const held = this.held.get(device) ?? [];
              this.held.delete(device);
              this.release(held);
            }
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, queue.length) }, worker));
    });
  }

  /**
   * After a read of `target` (a device id, or 'online'): a failure is tried again later, with
   * back-off; a success after failures repaints the node's state, which showed the failure.
   */
  private settled(target: string, failed: IotExplorerError | undefined, again: () => void): void {
    if (this.stopped || this.gone.has(target)) return;
    const count = this.failures.get(target) ?? 0;
    if (!failed) {
      if (count === 0) return;
      this.failures.delete(target);
      if (this.failures.size === 0 && this.lastState) this.onState(this.lastState);
      return;
    }
    this.failures.set(target, count + 1);
    // One retry per target: a read that failed again meanwhile (a gap-fill) waits for it.
    if (this.retryTimers.has(target)) return;
    const delay = this.options.readRetryMs * 2 ** Math.min(count, 3);
    const timer = setTimeout(() => {
      this.retryTimers.delete(target);
      if (!this.stopped) again();
    }, delay);
    this.retryTimers.set(target, timer);
  }

  /** Reads run one batch after another; a read reports its own failures, so none escapes. */
  private chain(step: () => Promise<void>): void {
    this.reads = this.reads.then(step).catch(() => undefined);
  }

  private get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  private release(pushes: StatePush[]): void {
    if (this.stopped) return;
    for (const push of pushes) this.apply(push);
  }

  private onPush(push: DevicePush): void {
    // A source hands out only the devices subscribed; what it should not is ignored.
    if (this.stopped || !this.mine.has(push.deviceId)) return;
    const { watchState, watchOnline, watchEvents, watchActions } = this.options;
    const common = {
      ...splitId(push.deviceId),
      deviceId: push.deviceId,
      source: 'push',
      action: 'DeviceChange',
      initial: false,
      gapFill: false,
    } as const;
    switch (push.kind) {
      case 'online':
        if (!watchOnline) return;
        if (this.onlineReads > 0) hold(this.heldOnline, push);
        else this.apply(push);
        return;
      case 'properties':
        if (!watchState || !acceptsValues(push)) return;
        if (this.valueReads.has(push.deviceId)) {
          const held = this.held.get(push.deviceId) ?? [];
          hold(held, push);
          this.held.set(push.deviceId, held);
        } else this.apply(push);
        return;
      case 'event':
        if (!watchEvents) return;
        this.listener.change({
          ...common,
          kind: 'event',
          eventId: push.eventId,
          eventType: push.eventType,
          params: push.params,
          time: push.time,
        });
        return;
      case 'actionReply':
        if (!watchActions) return;
        this.listener.change({
          ...common,
          kind: 'actionReply',
          actionId: push.actionId,
          clientToken: push.clientToken,
          code: push.code,
          status: push.status,
          response: push.response,
          time: push.time,
        });
        return;
      case 'actionCall':
        return;
    }
  }

  private apply(push: StatePush): void {
    const origin = { source: 'push', action: 'DeviceChange', read: false, gapFill: false } as const;
    if (push.kind === 'online') {
      this.tracker.setOnline(push.deviceId, push.online, origin);
      return;
    }
    const readings = Object.fromEntries(
      Object.entries(push.values).map(([id, value]) => [id, { value, lastUpdate: push.time }]),
    );
    this.tracker.setProperties(push.deviceId, readings, origin);
  }
}

/** Adds a request to the read queued: its devices, and gap-fill if either is one. */
function join(queued: QueuedRead, ids: readonly string[], origin: ReadOrigin): void {
  for (const id of ids) queued.ids.add(id);
  if (origin.gapFill) queued.origin.gapFill = true;
}

/**
 * Holds `push` at the end of `held`. Beyond {@link MAX_HELD_PUSHES}, the oldest push that a later
 * one of the same device follows is folded into that one: an online push is simply superseded, a
 * properties push leaves its values under the later push's. When every held push is of another
 * device (online pushes of many devices) nothing can fold: the list is then bounded by the
 * devices watched.
 */
function hold(held: StatePush[], push: StatePush, limit = MAX_HELD_PUSHES): void {
  held.push(push);
  while (held.length > limit) {
    const older = oldestFollowed(held);
    if (older === undefined) return;
    const first = held[older];
    const next = held.findIndex((p, at) => at > older && p.deviceId === first.deviceId);
    const later = held[next];
    if (first.kind === 'properties' && later.kind === 'properties') {
      // A fold's values are ours (a push itself may be shared with other subscribers): folding
      // on into them costs only the later push's values, however many pushes came before.
      const values = folded.has(first) ? first.values : { ...first.values };
      Object.assign(values, later.values);
      const merged = { ...later, values };
      folded.add(merged);
      held[next] = merged;
    }
    held.splice(older, 1);
  }
}

/** Pushes made by {@link hold} by folding: their values object is not shared with anyone. */
const folded = new WeakSet<StatePush>();

/** The index of the oldest push with a later push of the same device, if any. */
function oldestFollowed(held: readonly StatePush[]): number | undefined {
  const seen = new Set<string>();
  let oldest: number | undefined;
  for (let at = held.length - 1; at >= 0; at--) {
    if (seen.has(held[at].deviceId)) oldest = at;
    seen.add(held[at].deviceId);
  }
  return oldest;
}

/**
 * Which property pushes change the known values. A report is what the device says it has. A
 * control is what the cloud sent down; the device answers it with a report, so it is not taken
 * as the device's state (a device that refuses or misses it would otherwise look changed).
 */
export function acceptsValues(push: Extract<DevicePush, { kind: 'properties' }>): boolean {
  return push.origin === 'report';
}
