// The crisis stage of a firing alert, from its trajectory: emerging when it fires, escalating when it
// grows well past what people were last told, peak once the growth has stopped below the episode's
// top, subsiding when it has fallen well below it, resolved with the alert. Only escalation re-notifies
// (a worse stage), and only when the count has at least doubled since the last page and the recent
// windows grow significantly: the people paged hear of a crisis that got worse, not of every wobble.
import type { CrisisStage, Trend } from "../model/index.js";

/** Escalating: the window's value reached this multiple of the value last told (fired or escalated). */
export const ESCALATION_RATIO = 2;
/** Subsiding: the window's value fell to this share of the episode's peak or below. */
export const SUBSIDED_SHARE = 0.5;

export interface Trajectory {
  /** The latest window's value and the episode's peak. */
  last: number;
  peak: number;
  /** The value of the alert's latest page-worthy event (firing or escalated). */
  told: number;
  /** Whether the crisis escalated by its stage before: where it returns after a pause. */
  grew: boolean;
  /** The growth of the recent windows; undefined when too few windows or no fit. */
  trend: Trend | undefined;
}

export interface StageMove {
  stage: CrisisStage;
  /** A move to a worse stage: told inside the same incident. */
  worse: boolean;
}

/** The stage after the latest window of a firing alert currently at `current`. */
export function nextStage(current: CrisisStage, { last, peak, told, grew, trend }: Trajectory): StageMove {
  const growing = trend !== undefined && trend.low > 0;
  const shrinking = trend !== undefined && trend.high < 0;
  if (growing && last >= ESCALATION_RATIO * Math.max(told, 1))
    return { stage: "escalating", worse: current !== "escalating" };
  const belowPeak = last < peak;
  if (belowPeak && (last <= SUBSIDED_SHARE * peak || shrinking)) return { stage: "subsiding", worse: false };
  if (belowPeak && !growing) return { stage: current === "subsiding" ? current : "peak", worse: false };
  // Back at the top, or growing again short of a doubling: the stage it grew in, told no more.
  const growthStage = grew ? "escalating" : "emerging";
  return { stage: current === "peak" || current === "subsiding" ? growthStage : current, worse: false };
}
