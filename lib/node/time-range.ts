import { IotExplorerError, LocalErrorCode, type ErrorKey } from '../errors/errors';
import { DEFAULT_MAX_POINTS, MAX_POINTS_LIMIT } from '../shared/history';
import { describeValue } from './typed-fields';

/** The units of a history node's "last N …" range, in ms. */
export const RANGE_UNITS = {
  minutes: 60 * 1000,
  hours: 60 * 60 * 1000,
  days: 24 * 60 * 60 * 1000,
} as const;
export type RangeUnit = keyof typeof RANGE_UNITS;

/** The longest "last N …" range: ten years, far beyond what a history keeps. */
const MAX_RANGE_MS = 3660 * RANGE_UNITS.days;

/** A time range, in ms since the epoch. */
export interface TimeRange {
  from: number;
  to: number;
}

function invalid(key: ErrorKey, params: Record<string, string | number>): IotExplorerError {
  return new IotExplorerError({ code: LocalErrorCode.InvalidField, key, params });
}

/**
 * A time a message carries, as ms since the epoch: a Date, ms since the epoch (a number or a
 * text of digits) or a text Date can read (ISO 8601: `2026-05-01T08:00:00+08:00`).
 */
export function readTime(value: unknown, field: string): number {
  let ms = NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) ms = Number(value);
  else if (typeof value === 'string' && value.trim() !== '') ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms < 0) {
    const got =
      typeof value === 'string' && value.trim() !== ''
        ? JSON.stringify(value.slice(0, 40))
        : typeof value === 'number' || value instanceof Date
          ? String(value)
          : describeValue(value);
    throw invalid('history.notADate', { field, got });
  }
  return ms;
}

/** The range of "the last `amount` `unit`", ending now. */
export function lastRange(amount: unknown, unit: unknown, now: number): TimeRange {
  const n = typeof amount === 'string' && amount.trim() !== '' ? Number(amount) : amount;
  const unitMs = RANGE_UNITS[unit as RangeUnit];
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || unitMs === undefined) {
    throw invalid('history.badRange', { got: `${String(amount)} ${String(unit)}` });
  }
  const length = n * unitMs;
  if (length > MAX_RANGE_MS) {
    throw invalid('history.badRange', { got: `${String(amount)} ${String(unit)}` });
  }
  return { from: Math.round(now - length), to: now };
}

/**
 * The range a message asks for: `start` (required) to `end` (now when absent). A range that
 * starts in the future, or ends before it starts, is refused; an end in the future is now.
 */
export function messageRange(start: unknown, end: unknown, now: number): TimeRange {
  if (start === undefined || start === null || start === '') {
    throw new IotExplorerError({
      code: LocalErrorCode.MissingField,
      key: 'history.missingStart',
    });
  }
  const from = readTime(start, 'msg.start');
  const to = end === undefined || end === null || end === '' ? now : readTime(end, 'msg.end');
  if (from > now) {
    throw invalid('history.inFuture', { start: new Date(from).toISOString() });
  }
  if (to <= from) {
    throw invalid('history.reversed', {
      start: new Date(from).toISOString(),
      end: new Date(to).toISOString(),
    });
  }
  return { from, to: Math.min(to, now) };
}

/** The node's point limit: a whole number from 1 to {@link MAX_POINTS_LIMIT}; blank: the default. */
export function readMaxPoints(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_MAX_POINTS;
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_POINTS_LIMIT) {
    throw invalid('history.maxPoints', {
      got:
        typeof value === 'string'
          ? JSON.stringify(value.slice(0, 40))
          : typeof value === 'number'
            ? String(value)
            : describeValue(value),
      max: MAX_POINTS_LIMIT,
    });
  }
  return n;
}
