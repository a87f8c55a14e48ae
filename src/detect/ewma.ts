// "ewma": the window against an exponentially weighted mean and standard deviation of the series.
// Chart choice: we chart each observation against the EWMA used as a one-step-ahead forecast, with
// limits from an EW variance (Hunter, "The exponentially weighted moving average", J. Quality
// Technology 18, 1986), not the classic EWMA-statistic chart (Roberts, Technometrics 1, 1959; NIST/
// SEMATECH e-Handbook §6.3.2.4), which smooths the observations themselves and sets limits around a
// fixed in-control mean. Buzz has no fixed in-control mean, and a spike must count in the window it
// happens, not be averaged away: breach when observed >= mean + k·sd (z = (x - mean)/sd >= k).
// Incremental: O(1) per window, three numbers of state (EwStats). Excluded windows are skipped.
// Level: mean + k · sd (sd floored at sd_floor), or min_count if higher.
import { z } from "zod";
import type { DetectorDefinition, Estimate } from "./detector.js";
import { notReady, zEstimate, zLevel } from "./estimate.js";
import { EwStats } from "./ew-stats.js";
import { minCount, zeroBaseline } from "./fields.js";

const schema = z.strictObject({
  alpha: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.1)
    .describe(
      "Weight of each new window in the mean and variance (0 < alpha < 1); the equivalent moving window is 2/alpha - 1 windows, and judging starts after that many.",
    ),
  k: z
    .number()
    .positive()
    .default(4)
    .describe("Breach when observed >= mean + k · sd (k standard deviations above the EW mean)."),
  sd_floor: z
    .number()
    .positive()
    .default(1)
    .describe(
      "Smallest standard deviation used, so a flat history does not make every change infinite; in the metric's units (1 mention; use e.g. 0.02 for a share).",
    ),
  min_count: minCount(),
  zero_baseline: zeroBaseline(),
});

export type EwmaConfig = z.output<typeof schema>;

export const ewmaDetector: DetectorDefinition<typeof schema> = {
  type: "ewma",
  description:
    "EWMA chart: breaches when the window is at least `k` EW standard deviations above the EW mean.",
  schema,
  thresholdKeys: ["k", "min_count"],
  create(config) {
    const stats = new EwStats(config.alpha);
    const warmup = Math.ceil(2 / config.alpha - 1);
    const breaches = (estimate: Estimate, thresholds: EwmaConfig) =>
      estimate.ready && estimate.score >= thresholds.k && estimate.observed >= thresholds.min_count;
    return {
      evaluate(_time, value): Estimate {
        if (stats.n < warmup) return notReady(value, stats.mean, config.zero_baseline);
        return zEstimate(value, stats.mean, Math.max(stats.sd, config.sd_floor), config.zero_baseline);
      },
      breaches,
      levelFor: (estimate, thresholds) =>
        zLevel(estimate, thresholds.k, thresholds.min_count, config.zero_baseline, (candidate) =>
          breaches(candidate, thresholds),
        ),
      learn(_time, value, excluded) {
        if (!excluded) stats.add(value);
      },
    };
  },
};
