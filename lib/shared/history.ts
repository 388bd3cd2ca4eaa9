/** The point bound and event types of a history read, shared by the runtime and the editor. */

/** Points a history read returns at most unless told otherwise. */
export const DEFAULT_MAX_POINTS = 5000;
/** The largest bound a user may set: beyond it a reply no longer fits a chart or a message. */
export const MAX_POINTS_LIMIT = 100000;
/** The event types AppListEventHistory filters by; '' for all. */
export const EVENT_TYPES = ['', 'alert', 'fault', 'info'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
