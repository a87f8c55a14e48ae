// The InfluxDB writer's decisions, as pure functions of its state: what to do next (spill, send a
// batch, wait), what a failed write means, and how long to back off. Time and randomness come from
// the caller, so every decision is tested without a server or a timer.

export interface WriterState {
  now: number;
  /** Points held in memory, oldest first. */
  memory: number;
  /** Points in the spill file, all older than those in memory. */
  spilled: number;
  /** When the oldest point in memory arrived (undefined when memory is empty). */
  pendingSince?: number;
  /** A failed write is retried no sooner than this. */
  retryAt?: number;
  /** Spilling failed; it is tried again no sooner than this. */
  spillRetryAt?: number;
  /** Set by close(): after this, stop sending and spill what is left. */
  deadline?: number;
}

export interface WriterLimits {
  /** Points per write request. */
  batchSize: number;
  flushIntervalMs: number;
  /** Points memory may hold; beyond it, the oldest spill to disk. */
  bufferPoints: number;
}

export type Step =
  /** Move the oldest `count` points of memory to the spill file. */
  | { kind: "spill"; count: number }
  /** Write the oldest `count` points of the spill file, or of memory. */
  | { kind: "send"; from: "spill" | "memory"; count: number }
  /** Nothing to do until then (or until woken; undefined: until woken). */
  | { kind: "wait"; ms?: number }
  /** Closing and nothing more can be sent in time: spill the rest and stop. */
  | { kind: "done" };

/**
 * Spilled points are older than any in memory (only the oldest of memory ever spill), so sending
 * the spill file first, then memory, keeps the order in which points were written.
 */
export function nextStep(state: WriterState, limits: WriterLimits): Step {
  const { now, memory, spilled, deadline } = state;
  const closing = deadline !== undefined;
  if (memory > limits.bufferPoints && !(state.spillRetryAt !== undefined && now < state.spillRetryAt)) {
    // Down to half the buffer, so a long outage costs one spill per half buffer, not one per window.
    return { kind: "spill", count: memory - Math.floor(limits.bufferPoints / 2) };
  }
  if (closing && now >= deadline) return { kind: "done" };
  if (state.retryAt !== undefined && now < state.retryAt) {
    if (closing && state.retryAt >= deadline) return { kind: "done" };
    return { kind: "wait", ms: state.retryAt - now };
  }
  if (spilled > 0) return { kind: "send", from: "spill", count: Math.min(spilled, limits.batchSize) };
  if (memory >= limits.batchSize) return { kind: "send", from: "memory", count: limits.batchSize };
  if (memory > 0) {
    const due = (state.pendingSince ?? now) + limits.flushIntervalMs;
    if (closing || now >= due) return { kind: "send", from: "memory", count: memory };
    return { kind: "wait", ms: due - now };
  }
  return closing ? { kind: "done" } : { kind: "wait" };
}

/** What a write that got no 2xx means for its batch. */
export type FailureAction = "retry" | "split" | "drop";

/**
 * No status (refused, reset, timed out) and 5xx, 429, 408 are outages: retry. 401/403/404 (bad
 * credentials, a missing database or bucket) are retried too: an operator fixes them and nothing is
 * lost meanwhile. 413: the batch is too large, send halves. 400 and 422 reject the points themselves
 * (unparseable, field type conflict, outside retention); InfluxDB 1.x has already written the rest of
 * a "partial write", so the batch is dropped rather than block every later point.
 */
export function failureAction(status: number | undefined, points: number): FailureAction {
  if (status === undefined) return "retry";
  if (status === 413) return points > 1 ? "split" : "drop";
  if (status === 400 || status === 422) return "drop";
  return "retry";
}
