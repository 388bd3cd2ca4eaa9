// The service's clock zone: times it writes as text (push `Time`, a share's `CreateTime`) are
// local time in UTC+8 with the offset, e.g. "2023-07-13T14:19:48+08:00".

const SERVICE_UTC_OFFSET_MS = 8 * 3600_000;

/** RFC 3339 in UTC+8, to the second. */
export function serviceTime(ms: number): string {
  return new Date(ms + SERVICE_UTC_OFFSET_MS).toISOString().slice(0, 19) + '+08:00';
}
