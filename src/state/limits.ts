/**
 * Limits shared by every layer that walks a state tree, so that what one layer accepts the next one accepts too: a
 * state `stateDict()` can produce is a state `saveCheckpoint` can write, and a file `saveCheckpoint` wrote is a file
 * `loadCheckpoint` can read back.
 */

/**
 * The deepest a state tree may nest: the number of containers (plain objects, arrays, Map entries) on the path from
 * the root to a value, the root container counting as 1. Real checkpoints nest a few dozen levels at most; the limit
 * is far above that and far below the depth at which a recursive walk would exhaust the stack.
 */
export const MAX_STATE_DEPTH = 512;

/** How many problems one validation records before it stops and reports "and N more". */
export const MAX_REPORTED_ISSUES = 1000;
