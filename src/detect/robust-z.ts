// "robust_z": robust z-score of the window against the median and MAD of the last `window` of learned
// values (the modified z-score of Iglewicz & Hoaglin, "How to Detect and Handle Outliers", 1993:
// z = (x - median) / (1.4826 · MAD), 1.4826 making the MAD consistent with σ for normal data).
// Incremental: a HistoryRing of window / windowMs values feeds a SortedValues copy, so a new point is
// one binary-search insert and at most one remove, and median and MAD are O(log n) lookups.
// MAD floor: the scale is max(1.4826 · MAD, mad_floor), so a flat history (MAD 0) gives a finite z.
// Excluded windows keep the ring as it was (the value they would have evicted stays), so the median
// and MAD do not move during an alert and the window never empties.
// Level: median + z · scale, or min_count if higher.
import { z } from "zod";
import type { DetectorDefinition, Estimate } from "./detector.js";
import { robustEstimate, windowsIn, zLevel } from "./estimate.js";
import { duration, madFloor, minCount, zeroBaseline } from "./fields.js";
import { HistoryRing } from "./history-ring.js";
import { windowIndex } from "./slots.js";
import { SortedValues } from "./sorted-values.js";

const schema = z.strictObject({
  window: duration("a history length")
    .prefault("1d")
    .describe(
      "How much learned history the median and MAD are taken over, e.g. 1d. Judging starts once half of it is learned.",
    ),
  z: z
    .number()
    .positive()
    .default(5)
    .describe(
      "Breach when (observed - median) / (1.4826 · MAD) is at least this (3.5 is the classic outlier cut; 5 pages less).",
    ),
  mad_floor: madFloor(),
  min_count: minCount(),
  zero_baseline: zeroBaseline(),
});

export type RobustZConfig = z.output<typeof schema>;

export const robustZDetector: DetectorDefinition<typeof schema> = {
  type: "robust_z",
  description: "Robust z-score against the median and MAD of recent history: breaches when z >= `z`.",
  schema,
  thresholdKeys: ["z", "min_count"],
  create(config, { windowMs }) {
    const capacity = windowsIn(config.window, windowMs);
    const sorted = new SortedValues(capacity);
    const ring = new HistoryRing(capacity, {
      add: (value) => sorted.insert(value),
      remove: (value) => void sorted.remove(value),
    });
    const breaches = (estimate: Estimate, thresholds: RobustZConfig) =>
      estimate.ready && estimate.score >= thresholds.z && estimate.observed >= thresholds.min_count;
    return {
      evaluate(_time, value): Estimate {
        return robustEstimate(sorted, Math.ceil(capacity / 2), value, config);
      },
      breaches,
      levelFor: (estimate, thresholds) =>
        zLevel(estimate, thresholds.z, thresholds.min_count, config.zero_baseline, (candidate) =>
          breaches(candidate, thresholds),
        ),
      learn(time, value, excluded) {
        ring.push(windowIndex(time, windowMs), excluded ? undefined : value);
      },
    };
  },
};
