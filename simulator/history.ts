// History: every property keeps its recent values and every device its recent events, recorded
// as the model changes them (controls, actions, scripts, scenes, fired events). The Actions
// AppGetDeviceDataHistory and AppListEventHistory read them. A fixture may start a property with
// a few days of generated history (a daily sine plus noise, computed at start relative to now).

import { visibleDevice } from './device-access';
import { errors } from './envelope';
import { optionalInt, optionalString, requiredString, type Params } from './params';
import { seededRandom } from './seeded-random';
import { checkValue, type DataTemplate, type TemplateDefine } from './template';
import type { TokenHandler } from './tokenapi';

/**
 * The two readings of `Listover` (docs/scenes-history-api.md, "When a series ends"): 'panels' (the H5 panels and the cloud
 * sibling 1131/53099: true = all returned, nothing more to read) and 'doc' (the 1081/43119 page:
 * true = not read to the end yet). This function is the only place that turns one into a value.
 */
export type ListoverReading = 'panels' | 'doc';
export const LISTOVER_READINGS: readonly ListoverReading[] = ['panels', 'doc'];
export const DEFAULT_LISTOVER_READING: ListoverReading = 'panels';

export function listoverValue(reading: ListoverReading, moreRemain: boolean): boolean {
  return reading === 'panels' ? !moreRemain : moreRemain;
}

/** Points kept per property, and events kept per device, by default (the oldest go first). */
export const DEFAULT_HISTORY_LIMIT = 10000;

/** AppGetDeviceDataHistory `Limit`: default and largest (undocumented: chosen). */
export const HISTORY_PAGE_DEFAULT = 10;
export const HISTORY_PAGE_MAX = 500;
/** AppListEventHistory `Size`: default and largest (undocumented: chosen). */
export const EVENT_PAGE_DEFAULT = 10;
export const EVENT_PAGE_MAX = 100;

export const EVENT_TYPES = ['alert', 'fault', 'info'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface HistoryPoint {
  /** ms */
  readonly time: number;
  /** Order of recording; breaks ties between points of the same ms. */
  readonly seq: number;
  readonly value: unknown;
}

export interface EventRecord {
  /** ms */
  readonly time: number;
  readonly seq: number;
  readonly productId: string;
  readonly deviceName: string;
  readonly eventId: string;
  readonly type: EventType;
  readonly params: Record<string, unknown>;
}

type Position = { time: number; seq: number };

function before(a: Position, b: Position): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** Inserts in (time, seq) order: appending is the usual case, a clock moved back the rare one. */
function insertOrdered<T extends Position>(list: T[], item: T, limit: number): void {
  let i = list.length;
  while (i > 0 && before(item, list[i - 1])) i -= 1;
  list.splice(i, 0, item);
  if (list.length > limit) list.splice(0, list.length - limit);
}

export class HistoryStore {
  listoverReading: ListoverReading = DEFAULT_LISTOVER_READING;
  private seq = 0;
  private limit = DEFAULT_HISTORY_LIMIT;
  /** Keyed by 'PID/DN' + '\n' + property id. */
  private readonly points = new Map<string, HistoryPoint[]>();
  /** Keyed by 'PID/DN'. */
  private readonly events = new Map<string, EventRecord[]>();

  /** Points per property and events per device; lowering it drops the oldest at once. */
  get pointLimit(): number {
    return this.limit;
  }

  set pointLimit(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('history limit must be ≥ 1');
    this.limit = limit;
    for (const list of [...this.points.values(), ...this.events.values()]) {
      if (list.length > limit) list.splice(0, list.length - limit);
    }
  }

  /** Called by the model whenever a property changes (and once for each value at start). */
  recordProperty(deviceId: string, propertyId: string, value: unknown, time: number): void {
    const key = `${deviceId}\n${propertyId}`;
    let list = this.points.get(key);
    if (!list) this.points.set(key, (list = []));
    insertOrdered(list, { time, seq: ++this.seq, value: structuredClone(value) }, this.limit);
  }

  /** Called when a device fires an event. */
  recordEvent(event: Omit<EventRecord, 'seq'>): EventRecord {
    const record: EventRecord = {
      ...event,
      params: structuredClone(event.params),
      seq: ++this.seq,
    };
    const key = `${event.productId}/${event.deviceName}`;
    let list = this.events.get(key);
    if (!list) this.events.set(key, (list = []));
    insertOrdered(list, record, this.limit);
    return record;
  }

  /** A property's points, oldest first. */
  propertyPoints(deviceId: string, propertyId: string): readonly HistoryPoint[] {
    return this.points.get(`${deviceId}\n${propertyId}`) ?? [];
  }

  /** A device's events, oldest first. */
  deviceEvents(deviceId: string): readonly EventRecord[] {
    return this.events.get(deviceId) ?? [];
  }
}

// ---- cursors ----
// A Context names the last item returned ("h." + ms + "." + seq for properties, "e." for events),
// so a page continues after it even while new points arrive or old ones are dropped.

function encodeCursor(kind: 'h' | 'e', at: Position): string {
  return `${kind}.${at.time}.${at.seq}`;
}

function decodeCursor(params: Params, kind: 'h' | 'e'): Position | undefined {
  const text = optionalString(params, 'Context');
  if (text === undefined || text === '') return undefined;
  const match = new RegExp(`^${kind}\\.(\\d{1,16})\\.(\\d{1,16})$`).exec(text);
  if (!match) throw errors.badParam('Context is not a cursor this query returned');
  return { time: Number(match[1]), seq: Number(match[2]) };
}

/** The API's Value text: strings as they are, numbers as decimal text, structs and arrays as JSON. */
export function historyValueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

// ---- Actions ----

function requiredMs(params: Params, name: string): number {
  if (params[name] === undefined || params[name] === null) throw errors.requiredParam(name);
  return optionalInt(params, name, 0, Number.MAX_SAFE_INTEGER)!;
}

const getDeviceDataHistory: TokenHandler = (params, ctx, user) => {
  const device = visibleDevice(params, ctx, user);
  const fieldName = requiredString(params, 'FieldName');
  if (!ctx.model.propertyDefinition(device, fieldName)) throw errors.propertyNotExist(fieldName);
  const minTime = requiredMs(params, 'MinTime');
  const maxTime = requiredMs(params, 'MaxTime');
  if (minTime > maxTime) {
    throw errors.badParam(`MinTime (${minTime}) must not be after MaxTime (${maxTime})`);
  }
  const limit = optionalInt(params, 'Limit', 1, HISTORY_PAGE_MAX) ?? HISTORY_PAGE_DEFAULT;
  const after = decodeCursor(params, 'h');
  const all = ctx.model.history.propertyPoints(device.deviceId, fieldName);
  // Oldest first, from MinTime (or after the cursor) up to MaxTime.
  let i = 0;
  while (
    i < all.length &&
    (all[i].time < minTime || (after !== undefined && !before(after, all[i])))
  )
    i += 1;
  const page: HistoryPoint[] = [];
  while (i < all.length && all[i].time <= maxTime && page.length < limit) page.push(all[i++]);
  const moreRemain = i < all.length && all[i].time <= maxTime;
  const last = page.at(-1);
  const context = last ? encodeCursor('h', last) : (optionalString(params, 'Context') ?? '');
  return {
    Context: context,
    FieldName: fieldName,
    Listover: listoverValue(ctx.model.history.listoverReading, moreRemain),
    Results: page.map((p) => ({ Time: String(p.time), Value: historyValueText(p.value) })),
  };
};

const listEventHistory: TokenHandler = (params, ctx, user) => {
  const device = visibleDevice(params, ctx, user);
  const type = optionalString(params, 'Type') ?? '';
  if (type !== '' && !(EVENT_TYPES as readonly string[]).includes(type)) {
    throw errors.badParam(`Type must be alert, fault, info or "" (all), not "${type}"`);
  }
  const eventId = optionalString(params, 'EventId') ?? '';
  if (eventId !== '' && !device.product.template.events.some((e) => e.id === eventId)) {
    throw errors.badParam(`EventId ${eventId} is not an event of product ${device.productId}`);
  }
  const nowSeconds = Math.floor(ctx.now() / 1000);
  const seconds = (name: string, absent: number): number => {
    const v = optionalInt(params, name, 0, Number.MAX_SAFE_INTEGER / 1000);
    return v === undefined ? absent : v === 0 ? nowSeconds : v;
  };
  const startTime = seconds('StartTime', -1);
  const endTime = seconds('EndTime', nowSeconds);
  if (startTime > endTime) {
    throw errors.badParam(`StartTime (${startTime}) must not be after EndTime (${endTime})`);
  }
  const size = optionalInt(params, 'Size', 1, EVENT_PAGE_MAX) ?? EVENT_PAGE_DEFAULT;
  const after = decodeCursor(params, 'e');
  const startMs = startTime < 0 ? -Infinity : startTime * 1000;
  const endMs = endTime * 1000 + 999;
  // Newest first.
  const matching = ctx.model.history
    .deviceEvents(device.deviceId)
    .filter(
      (e) =>
        e.time >= startMs &&
        e.time <= endMs &&
        (type === '' || e.type === type) &&
        (eventId === '' || e.eventId === eventId),
    )
    .reverse();
  const from = after === undefined ? 0 : matching.findIndex((e) => before(e, after));
  const rest = from < 0 ? [] : matching.slice(from);
  const page = rest.slice(0, size);
  const last = page.at(-1);
  return {
    Context: last ? encodeCursor('e', last) : (optionalString(params, 'Context') ?? ''),
    Total: matching.length,
    Listover: listoverValue(ctx.model.history.listoverReading, rest.length > page.length),
    EventHistory: page.map((e) => ({
      TimeStamp: Math.floor(e.time / 1000),
      ProductId: e.productId,
      DeviceName: e.deviceName,
      EventId: e.eventId,
      Type: e.type,
      Data: JSON.stringify(e.params),
    })),
  };
};

export const historyActions: Readonly<Record<string, TokenHandler>> = {
  AppGetDeviceDataHistory: getDeviceDataHistory,
  AppListEventHistory: listEventHistory,
};

// ---- fixture: generated property history and past events ----

/** A property's past, generated at start: mean + amplitude·sin(daily, peaking at peakHourUtc) + noise. */
export interface FixtureGeneratedHistory {
  /** 'PID/DN' */
  device: string;
  property: string;
  /** How far back, in days. */
  days: number;
  /** One point every this many minutes. */
  everyMinutes: number;
  mean: number;
  amplitude: number;
  /** The hour of the day (UTC) at which the sine peaks. */
  peakHourUtc: number;
  /** Largest noise either way. */
  noise: number;
  /** Seed of the noise, so a run is reproducible. */
  seed?: number;
}

/** An event a device fired before the simulator started. */
export interface FixturePastEvent {
  /** 'PID/DN' */
  device: string;
  eventId: string;
  /** How long before start it fired, in seconds. */
  agoSeconds: number;
  params?: Record<string, unknown>;
}

function fitNumber(define: TemplateDefine, raw: number): number {
  const min = define.min === undefined ? -Infinity : Number(define.min);
  const max = define.max === undefined ? Infinity : Number(define.max);
  const step = define.step === undefined ? 0 : Number(define.step);
  let v = Math.min(max, Math.max(min, raw));
  if (define.type === 'int') return Math.round(v);
  if (step > 0) {
    const decimals = (String(define.step).split('.')[1] ?? '').length;
    v = Number((Math.round(v / step) * step).toFixed(decimals));
  }
  return Math.min(max, Math.max(min, v));
}

/** The points of a generated history, oldest first, all before `start` (ms). */
export function generateHistory(
  spec: FixtureGeneratedHistory,
  define: TemplateDefine,
  start: number,
): { time: number; value: number }[] {
  const stepMs = spec.everyMinutes * 60_000;
  const random = seededRandom(spec.seed ?? 1);
  const last = Math.floor((start - 1) / stepMs) * stepMs;
  const count = Math.floor((spec.days * 86_400_000) / stepMs);
  const out: { time: number; value: number }[] = [];
  for (let k = count - 1; k >= 0; k--) {
    const time = last - k * stepMs;
    const hour = (time % 86_400_000) / 3_600_000;
    const wave = Math.cos(((hour - spec.peakHourUtc) / 24) * 2 * Math.PI);
    const value = spec.mean + spec.amplitude * wave + (random() * 2 - 1) * spec.noise;
    out.push({ time, value: fitNumber(define, value) });
  }
  return out;
}

/** Checks the fixture's history entries against its devices and templates. */
export function validateHistoryFixture(
  generated: unknown,
  pastEvents: unknown,
  templateOf: (deviceId: string) => DataTemplate | undefined,
  fail: (where: string, message: string) => never,
): { generatedHistory: FixtureGeneratedHistory[]; pastEvents: FixturePastEvent[] } {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const list = (raw: unknown, where: string): unknown[] => {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) fail(where, 'must be an array');
    return raw;
  };
  const generatedHistory = list(generated, 'generatedHistory').map((raw, i) => {
    const where = `generatedHistory[${i}]`;
    if (!isObj(raw)) fail(where, 'must be an object');
    const allowed = [
      'device',
      'property',
      'days',
      'everyMinutes',
      'mean',
      'amplitude',
      'peakHourUtc',
      'noise',
      'seed',
    ];
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key) && !key.startsWith('_')) fail(where, `unknown field ${key}`);
    }
    const template = typeof raw.device === 'string' ? templateOf(raw.device) : undefined;
    if (!template) fail(`${where}.device`, `no device ${String(raw.device)}`);
    const prop = template.properties.find((p) => p.id === raw.property);
    if (!prop) fail(`${where}.property`, `no property ${String(raw.property)}`);
    if (prop.define.type !== 'int' && prop.define.type !== 'float') {
      fail(`${where}.property`, `${prop.id} is a ${prop.define.type}; only int and float`);
    }
    const num = (key: string, min: number, optional = false): number => {
      const v = raw[key];
      if (v === undefined && optional) return 0;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
        fail(`${where}.${key}`, `must be a number of at least ${min}`);
      }
      return v;
    };
    const spec: FixtureGeneratedHistory = {
      device: raw.device as string,
      property: prop.id,
      days: num('days', 0),
      everyMinutes: num('everyMinutes', 1),
      mean: num('mean', -Infinity),
      amplitude: num('amplitude', 0),
      peakHourUtc: num('peakHourUtc', 0),
      noise: num('noise', 0),
      seed: raw.seed === undefined ? undefined : num('seed', 0),
    };
    if (spec.days * 1440 > spec.everyMinutes * DEFAULT_HISTORY_LIMIT) {
      fail(where, `more than ${DEFAULT_HISTORY_LIMIT} points: raise everyMinutes or lower days`);
    }
    return spec;
  });
  const events = list(pastEvents, 'pastEvents').map((raw, i) => {
    const where = `pastEvents[${i}]`;
    if (!isObj(raw)) fail(where, 'must be an object');
    for (const key of Object.keys(raw)) {
      if (!['device', 'eventId', 'agoSeconds', 'params'].includes(key) && !key.startsWith('_')) {
        fail(where, `unknown field ${key}`);
      }
    }
    const template = typeof raw.device === 'string' ? templateOf(raw.device) : undefined;
    if (!template) fail(`${where}.device`, `no device ${String(raw.device)}`);
    const event = template.events.find((e) => e.id === raw.eventId);
    if (!event) fail(`${where}.eventId`, `no event ${String(raw.eventId)} in the template`);
    if (typeof raw.agoSeconds !== 'number' || !(raw.agoSeconds >= 0)) {
      fail(`${where}.agoSeconds`, 'must be a number of at least 0');
    }
    if (raw.params !== undefined && !isObj(raw.params)) {
      fail(`${where}.params`, 'must be an object of param id → value');
    }
    for (const [id, value] of Object.entries(raw.params ?? {})) {
      const param = event.params.find((p) => p.id === id);
      if (!param) fail(`${where}.params.${id}`, `event ${event.id} has no param ${id}`);
      const problem = checkValue(param.define, value, id);
      if (problem) fail(`${where}.params.${id}`, problem);
    }
    return {
      device: raw.device as string,
      eventId: event.id,
      agoSeconds: raw.agoSeconds,
      params: raw.params,
    };
  });
  return { generatedHistory, pastEvents: events };
}
