/**
 * One panel node's picture of its devices, shared by every browser that shows it: the devices
 * of the selection, their products' layouts (with this node's permissions), current values,
 * online state, the last events, and the user's writes in flight. It reads and subscribes
 * through a {@link PanelSource} when the node starts, when its selection changes and when the
 * home changes (a device added, moved, renamed), never when a browser connects; browsers get the
 * view it keeps (see the node, which sends it).
 *
 * A user's write is *pending* until a device report carries the value, *unconfirmed* after
 * {@link CONFIRM_TIMEOUT_MS} without one, and rolled back (with the API's code and message) only
 * when the call fails.
 */

import { buildLayout } from './layout';
import { sameValue } from './format';
import {
  applyPolicy,
  checkActionCall,
  checkPropertyWrite,
  type LayoutView,
  type PanelPolicy,
  type Refusal,
} from './policy';
import {
  sourceError,
  type DeviceRecord,
  type DeviceSelection,
  type DeviceState,
  type PanelSource,
  type PropertyValue,
  type SourceChange,
  type SourceError,
  type SourceHealth,
} from '../source/panel-source';

/** A write not confirmed by a device report within this is shown as unconfirmed. */
export const CONFIRM_TIMEOUT_MS = 10_000;
/** Events kept per device when the node does not say. */
export const DEFAULT_EVENTS_SHOWN = 5;

export interface PendingWrite {
  value: unknown;
  state: 'pending' | 'unconfirmed';
  /** ms since the epoch. */
  since: number;
}

export interface ActionRun {
  state: 'running' | 'done' | 'failed';
  at: number;
  status?: string;
  output?: unknown;
  error?: SourceError;
}

export interface EventEntry {
  eventId: string;
  type: string;
  params: unknown;
  time: number;
}

/** One device card as browsers get it. */
export interface DeviceView {
  deviceId: string;
  productId: string;
  deviceName: string;
  /** The alias, else the DeviceName. */
  name: string;
  roomName: string | null;
  familyName: string | null;
  shared: boolean;
  online: boolean | null;
  values: Record<string, PropertyValue>;
  /** When a property last changed (ms); null before the first report. */
  lastChange: number | null;
  pending: Record<string, PendingWrite>;
  /** The last failed write or call per property id (`action/<id>` for actions). */
  errors: Record<string, SourceError & { at: number }>;
  actions: Record<string, ActionRun>;
  /** Newest first. */
  events: EventEntry[];
}

export interface PanelView {
  rev: number;
  status: 'loading' | 'ready' | 'error';
  error?: SourceError;
  health: SourceHealth;
  /** Layouts by ProductId. */
  products: Record<string, LayoutView>;
  devices: DeviceView[];
  /** Controls hidden by a message: property ids, `action/<id>`, `events`, or `PID/DN/<id>`. */
  hidden: string[];
}

export interface PanelHubOptions {
  source: PanelSource;
  selection: DeviceSelection;
  policy: PanelPolicy;
  eventsShown?: number;
  confirmTimeoutMs?: number;
  now?: () => number;
}

export interface PanelHubListener {
  /** The whole view changed (start, selection, resync). */
  view(view: PanelView): void;
  /** One device's card changed; `rev` is the view's new revision. */
  device(rev: number, device: DeviceView): void;
}

/** A write or call refused by this node's configuration; nothing was sent. */
export class PanelRefusalError extends Error {
  readonly code: string;
  constructor(
    readonly refusal: Refusal,
    message: string,
  ) {
    super(message);
    this.code = refusal.code;
  }
}

/** What a user did, as the node passes it on. */
export interface WriteOutcome {
  device: DeviceRecord;
  requestId: string;
}

export type RefusalText = (refusal: Refusal) => string;

interface DeviceEntry {
  record: DeviceRecord;
  view: DeviceView;
  timers: Map<string, ReturnType<typeof setTimeout>>;
}

export class PanelHub {
  private readonly source: PanelSource;
  private readonly policy: PanelPolicy;
  private readonly eventsShown: number;
  private readonly confirmTimeoutMs: number;
  private readonly now: () => number;
  private selection: DeviceSelection;
  private devices = new Map<string, DeviceEntry>();
  private products: Record<string, LayoutView> = {};
  private hidden: string[] = [];
  private status: PanelView['status'] = 'loading';
  private error?: SourceError;
  private health: SourceHealth = { mode: 'connecting' };
  private rev = 0;
  private generation = 0;
  private unsubscribe?: () => void;
  private unwatchHome?: () => void;
  private readonly closing = new AbortController();
  private stopped = false;

  constructor(
    options: PanelHubOptions,
    private readonly listener: PanelHubListener,
    private readonly refusalText: RefusalText = (r) => r.code,
  ) {
    this.source = options.source;
    this.selection = options.selection;
    this.policy = options.policy;
    this.eventsShown = Math.max(0, options.eventsShown ?? DEFAULT_EVENTS_SHOWN);
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  /** The view as it is now (what a browser opening the page gets). */
  view(): PanelView {
    return {
      rev: this.rev,
      status: this.status,
      ...(this.error ? { error: this.error } : {}),
      health: this.health,
      products: this.products,
      devices: [...this.devices.values()].map((d) => d.view),
      hidden: this.hidden,
    };
  }

  /** How many devices it shows, and how live they are (for the node's status). */
  summary(): {
    status: PanelView['status'];
    devices: number;
    health: SourceHealth;
    error?: SourceError;
  } {
    return {
      status: this.status,
      devices: this.devices.size,
      health: this.health,
      error: this.error,
    };
  }

  /** Reads the selection's devices and products, then follows them. Never rejects. */
  async start(): Promise<void> {
    await this.load(this.selection);
  }

  /** Shows other devices from now on. Rejects when they cannot be read (the view says so too). */
  async select(selection: DeviceSelection): Promise<void> {
    this.selection = selection;
    await this.load(selection);
    if (this.status === 'error' && this.error) {
      throw Object.assign(new Error(this.error.message), { code: this.error.code });
    }
  }

  hide(hidden: string[]): void {
    this.hidden = [...hidden];
    this.emitView();
  }

  /** Ends the subscription, the timers and every call in flight. */
  stop(): void {
    this.stopped = true;
    this.generation += 1;
    this.closing.abort();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.unwatchHome?.();
    this.unwatchHome = undefined;
    for (const entry of this.devices.values()) this.clearTimers(entry);
  }

  /**
   * Resolves the selection and follows its devices. `keep` (the home changed): the devices still
   * shown keep what they hold (values, events, writes in flight), and the view never goes back to
   * loading.
   */
  private async load(selection: DeviceSelection, keep = false): Promise<void> {
    const mine = ++this.generation;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.unwatchHome?.();
    this.unwatchHome = undefined;
    const previous = keep ? this.devices : new Map<string, DeviceEntry>();
    if (!keep) {
      for (const entry of this.devices.values()) this.clearTimers(entry);
      this.status = 'loading';
      this.error = undefined;
      this.emitView();
    }
    const signal = this.closing.signal;
    try {
      const records = await this.source.resolve(selection, { signal });
      const products = await this.source.products([...new Set(records.map((r) => r.productId))], {
        signal,
      });
      if (mine !== this.generation) return;
      this.products = Object.fromEntries(
        products.map((p) => [p.productId, applyPolicy(buildLayout(p), this.policy)]),
      );
      const ids = new Set(records.map((r) => r.deviceId));
      for (const [id, entry] of previous) if (!ids.has(id)) this.clearTimers(entry);
      this.devices = new Map(
        records.map((r) => {
          const kept = previous.get(r.deviceId);
          return [r.deviceId, kept ? this.withRecord(kept, r) : this.entryFor(r)];
        }),
      );
      this.status = 'ready';
      this.error = undefined;
      this.emitView();
      this.unsubscribe = this.source.subscribe(
        records.map((r) => r.deviceId),
        {
          change: (change) => {
            if (mine === this.generation) this.onChange(change);
          },
          resync: (states) => {
            if (mine === this.generation) this.onResync(states);
          },
          health: (health) => {
            if (mine !== this.generation) return;
            this.health = health;
            this.emitView();
          },
        },
      );
      this.unwatchHome = this.source.watchHome?.(() => {
        if (mine === this.generation && !this.stopped) void this.followHome(mine);
      });
    } catch (err) {
      if (mine !== this.generation) return;
      this.status = 'error';
      this.error = sourceError(err);
      for (const entry of this.devices.values()) this.clearTimers(entry);
      this.devices = new Map();
      this.emitView();
    }
  }

  /**
   * The home changed: the selection's devices again. The same devices take their new records
   * (names, rooms); other devices follow the selection, keeping what those still shown hold. A
   * home that cannot be read now leaves the panel as it is.
   */
  private async followHome(mine: number): Promise<void> {
    let records: DeviceRecord[];
    try {
      records = await this.source.resolve(this.selection, { signal: this.closing.signal });
    } catch {
      return;
    }
    if (mine !== this.generation) return;
    const now = [...this.devices.keys()];
    const same = records.length === now.length && records.every((r, i) => r.deviceId === now[i]);
    if (!same) {
      await this.load(this.selection, true);
      return;
    }
    for (const record of records) {
      const entry = this.devices.get(record.deviceId);
      if (entry) this.withRecord(entry, record);
    }
    this.emitView();
  }

  /** The entry with the home's record of its device now (its name, room, family). */
  private withRecord(entry: DeviceEntry, record: DeviceRecord): DeviceEntry {
    entry.record = record;
    const view = entry.view;
    view.name = record.alias || record.deviceName;
    view.roomName = record.roomName;
    view.familyName = record.familyName;
    view.shared = record.shared;
    if (view.online === null) view.online = record.online;
    return entry;
  }

  private entryFor(record: DeviceRecord): DeviceEntry {
    return {
      record,
      timers: new Map(),
      view: {
        deviceId: record.deviceId,
        productId: record.productId,
        deviceName: record.deviceName,
        name: record.alias || record.deviceName,
        roomName: record.roomName,
        familyName: record.familyName,
        shared: record.shared,
        online: record.online,
        values: {},
        lastChange: null,
        pending: {},
        errors: {},
        actions: {},
        events: [],
      },
    };
  }

  private onChange(change: SourceChange): void {
    const entry = this.devices.get(change.deviceId);
    if (!entry) return;
    const view = entry.view;
    switch (change.kind) {
      case 'online':
        view.online = change.online;
        break;
      case 'properties':
        // A control push is what the cloud sent down, not what the device holds: only reports count.
        if (change.origin !== 'report') return;
        view.online = true;
        for (const [id, value] of Object.entries(change.values)) {
          this.applyValue(entry, id, { value, time: change.time });
        }
        break;
      case 'event':
        view.events = [
          {
            eventId: change.eventId,
            type: change.eventType,
            params: change.params,
            time: change.time,
          },
          ...view.events,
        ].slice(0, this.eventsShown);
        break;
    }
    this.emitDevice(entry);
  }

  /** A reported value: shown, and the end of a pending write that asked for it. */
  private applyValue(entry: DeviceEntry, id: string, reading: PropertyValue): void {
    const view = entry.view;
    const before = view.values[id];
    view.values[id] = reading;
    if (!before || !sameValue(before.value, reading.value)) {
      view.lastChange = Math.max(view.lastChange ?? 0, reading.time ?? this.now());
    }
    const pending = view.pending[id];
    if (!pending) return;
    // The value asked for, or, once unconfirmed, whatever the device says now.
    if (sameValue(pending.value, reading.value) || pending.state === 'unconfirmed') {
      this.endPending(entry, id);
    }
  }

  private onResync(states: Map<string, DeviceState>): void {
    for (const [deviceId, state] of states) {
      const entry = this.devices.get(deviceId);
      if (!entry) continue;
      if (state.online !== null) entry.view.online = state.online;
      for (const [id, reading] of Object.entries(state.values)) {
        const known = entry.view.values[id];
        // A read never takes a value back to an older one than a push already gave.
        if (known && known.time !== null && reading.time !== null && reading.time < known.time) {
          continue;
        }
        if (!known || !sameValue(known.value, reading.value) || known.time !== reading.time) {
          this.applyValue(entry, id, reading);
        }
      }
      // The first read says when the device last changed.
      if (entry.view.lastChange === null) {
        const times = Object.values(entry.view.values)
          .map((v) => v.time)
          .filter((t): t is number => t !== null);
        if (times.length) entry.view.lastChange = Math.max(...times);
      }
    }
    this.emitView();
  }

  private endPending(entry: DeviceEntry, id: string): void {
    delete entry.view.pending[id];
    const timer = entry.timers.get(id);
    if (timer) clearTimeout(timer);
    entry.timers.delete(id);
  }

  private clearTimers(entry: DeviceEntry): void {
    for (const timer of entry.timers.values()) clearTimeout(timer);
    entry.timers.clear();
  }

  private layoutOf(entry: DeviceEntry): LayoutView | undefined {
    return this.products[entry.record.productId];
  }

  private isHidden(entry: DeviceEntry, key: string): boolean {
    return this.hidden.includes(key) || this.hidden.includes(`${entry.record.deviceId}/${key}`);
  }

  private entryOrRefuse(deviceId: string, key: string): DeviceEntry {
    const entry = this.devices.get(deviceId);
    if (!entry) {
      throw this.refusal({
        code: 'IOTX_PANEL_UNKNOWN_DEVICE',
        key: 'unknownDevice',
        params: { device: deviceId },
      });
    }
    if (this.isHidden(entry, key)) {
      throw this.refusal({ code: 'IOTX_PANEL_HIDDEN', key: 'hidden', params: { property: key } });
    }
    if (entry.view.online === false) {
      throw this.refusal({
        code: 'IOTX_PANEL_OFFLINE',
        key: 'offline',
        params: { device: deviceId },
      });
    }
    return entry;
  }

  private refusal(refusal: Refusal): PanelRefusalError {
    return new PanelRefusalError(refusal, this.refusalText(refusal));
  }

  /**
   * Sets a property as the user asked on the panel, if this node allows it. Resolves once the
   * API accepted it (the value stays pending until the device reports it); rejects with the
   * refusal or the API's error (then the control rolls back).
   */
  async control(
    deviceId: string,
    propertyId: string,
    value: unknown,
    confirmed: boolean,
  ): Promise<WriteOutcome> {
    const entry = this.entryOrRefuse(deviceId, propertyId);
    const refused = checkPropertyWrite(this.layoutOf(entry), propertyId, value, confirmed);
    if (refused) throw this.refusal(refused);
    const view = entry.view;
    this.endPending(entry, propertyId);
    const pending: PendingWrite = { value, state: 'pending', since: this.now() };
    view.pending[propertyId] = pending;
    delete view.errors[propertyId];
    this.emitDevice(entry);
    try {
      const { requestId } = await this.source.control(
        deviceId,
        { [propertyId]: value },
        { signal: this.closing.signal },
      );
      // Stopped meanwhile: no timer may outlive the node.
      if (!this.stopped && view.pending[propertyId] === pending) {
        entry.timers.set(
          propertyId,
          setTimeout(() => {
            entry.timers.delete(propertyId);
            if (view.pending[propertyId] !== pending) return;
            pending.state = 'unconfirmed';
            this.emitDevice(entry);
          }, this.confirmTimeoutMs),
        );
      }
      return { device: entry.record, requestId };
    } catch (err) {
      if (view.pending[propertyId] === pending) this.endPending(entry, propertyId);
      view.errors[propertyId] = { ...sourceError(err), at: this.now() };
      this.emitDevice(entry);
      throw err;
    }
  }

  /** Calls an action as the user asked on the panel, if this node allows it. */
  async callAction(
    deviceId: string,
    actionId: string,
    input: Record<string, unknown>,
    confirmed: boolean,
  ): Promise<WriteOutcome & { status: string; output: unknown }> {
    const key = `action/${actionId}`;
    const entry = this.entryOrRefuse(deviceId, key);
    const refused = checkActionCall(this.layoutOf(entry), actionId, input, confirmed);
    if (refused) throw this.refusal(refused);
    const view = entry.view;
    const run: ActionRun = { state: 'running', at: this.now() };
    view.actions[actionId] = run;
    delete view.errors[key];
    this.emitDevice(entry);
    try {
      const outcome = await this.source.callAction(deviceId, actionId, input, {
        signal: this.closing.signal,
      });
      if (view.actions[actionId] === run) {
        view.actions[actionId] = {
          state: 'done',
          at: this.now(),
          status: outcome.status,
          output: outcome.output,
        };
        this.emitDevice(entry);
      }
      return { device: entry.record, ...outcome };
    } catch (err) {
      const error = sourceError(err);
      if (view.actions[actionId] === run) {
        view.actions[actionId] = { state: 'failed', at: this.now(), error };
      }
      view.errors[key] = { ...error, at: this.now() };
      this.emitDevice(entry);
      throw err;
    }
  }

  /** The record of a device the panel shows. */
  record(deviceId: string): DeviceRecord | undefined {
    return this.devices.get(deviceId)?.record;
  }

  // Nothing reaches browsers after stop(): a call that ends later must not revive the node's data.
  private emitView(): void {
    if (this.stopped) return;
    this.rev += 1;
    this.listener.view(this.view());
  }

  private emitDevice(entry: DeviceEntry): void {
    if (this.stopped) return;
    this.rev += 1;
    this.listener.device(this.rev, entry.view);
  }
}
