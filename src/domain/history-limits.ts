/**
 * Continue-as-new this many events before the cap: one more turn (and a fold) must fit. A turn
 * takes at most 5 model steps and 5 tool calls per step, about 200 events. (No imports: the
 * workflow reads it, and every module a workflow loads is loaded again for each conversation.)
 */
export const HISTORY_HEADROOM = 250;
/** The smallest event cap that still leaves a turn's room beyond the headroom. */
export const MIN_HISTORY_EVENT_CAP = 2 * HISTORY_HEADROOM;
