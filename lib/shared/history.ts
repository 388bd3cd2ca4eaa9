/** The point bound of a history read, shared by the runtime and the editor's defaults. */

/** Points a history read returns at most unless told otherwise. */
export const DEFAULT_MAX_POINTS = 5000;
/** The largest bound a user may set: beyond it a reply no longer fits a chart or a message. */
export const MAX_POINTS_LIMIT = 100000;
